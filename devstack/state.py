"""Saving the emulator's tables to disk and loading them back (moto keeps nothing on exit).

One file per table, ``<data dir>/tables/<table>.json``: ``{"table", "saved_at", "items"}``
with items in DynamoDB JSON (binary values as base64, see :mod:`devstack.dynamodb_json`).
Each file is replaced atomically, so a crash mid-save leaves the previous snapshot.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstack.dynamodb_json import from_json_safe, to_json_safe

logger = logging.getLogger(__name__)

SNAPSHOT_SECONDS = 60.0
BATCH_WRITE_LIMIT = 25


def has_saved_tables(tables_dir: Path) -> bool:
    return tables_dir.is_dir() and any(tables_dir.glob("*.json"))


def list_table_names(dynamodb: Any) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = dynamodb.list_tables(**kwargs)
        names.extend(page.get("TableNames", []))
        if not page.get("LastEvaluatedTableName"):
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]


def scan_items(dynamodb: Any, table_name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table_name}
    while True:
        page = dynamodb.scan(**kwargs)
        items.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def save_table(dynamodb: Any, table_name: str, tables_dir: Path) -> int:
    """Write every item of ``table_name`` to ``tables_dir``; returns the item count."""
    items = scan_items(dynamodb, table_name)
    tables_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(
        tables_dir / f"{table_name}.json",
        {
            "table": table_name,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "items": [to_json_safe(item) for item in items],
        },
    )
    return len(items)


def save_tables(
    dynamodb: Any, tables_dir: Path, table_names: list[str] | None = None
) -> dict[str, int]:
    """Save ``table_names`` (default: every table of the emulator); returns counts per table."""
    names = list_table_names(dynamodb) if table_names is None else table_names
    return {name: save_table(dynamodb, name, tables_dir) for name in names}


def _batch_write(dynamodb: Any, table_name: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), BATCH_WRITE_LIMIT):
        requests: dict[str, Any] = {
            table_name: [
                {"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE_LIMIT]
            ]
        }
        for _ in range(10):
            unprocessed = dynamodb.batch_write_item(RequestItems=requests).get("UnprocessedItems")
            if not unprocessed:
                break
            requests = unprocessed
        else:
            raise RuntimeError(f"could not restore every item of {table_name}")


def restore_table(dynamodb: Any, path: Path) -> tuple[str, int]:
    """Put every item saved in ``path`` into its table (which must exist)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    table_name = str(data["table"])
    items = [from_json_safe(item) for item in data.get("items", [])]
    _batch_write(dynamodb, table_name, items)
    return table_name, len(items)


def restore_tables(dynamodb: Any, tables_dir: Path) -> dict[str, int]:
    """Load every saved table whose table exists; a saved table with no table is skipped."""
    existing = set(list_table_names(dynamodb))
    restored: dict[str, int] = {}
    for path in sorted(tables_dir.glob("*.json")):
        table_name = path.stem
        if table_name not in existing:
            logger.warning(
                "saved table has no table in the models: skipped", extra={"table": table_name}
            )
            continue
        name, count = restore_table(dynamodb, path)
        restored[name] = count
    return restored


class Snapshotter:
    """Saves every table every ``interval`` seconds in a thread, and once more on :meth:`stop`."""

    def __init__(self, dynamodb: Any, tables_dir: Path, interval: float = SNAPSHOT_SECONDS) -> None:
        self._dynamodb = dynamodb
        self._tables_dir = tables_dir
        self._interval = interval
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="devstack-snapshots", daemon=True)

    def save_now(self) -> dict[str, int]:
        with self._lock:
            return save_tables(self._dynamodb, self._tables_dir)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.save_now()
            except Exception:  # the emulator busy or gone: keep the thread, try next time
                logger.exception("snapshot failed (will try again)")

    def start(self) -> None:
        self._thread.start()

    def stop(self, save: bool = True) -> dict[str, int]:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        return self.save_now() if save else {}
