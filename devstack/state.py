"""Saving the emulator's tables and buckets to disk and loading them back (moto keeps nothing
on exit).

One file per table, ``<data dir>/tables/<table>.json``: ``{"table", "saved_at", "items"}``
with items in DynamoDB JSON (binary values as base64, see :mod:`devstack.dynamodb_json`).
Each file is replaced atomically, so a crash mid-save leaves the previous snapshot.

One folder per bucket, ``<data dir>/buckets/<bucket>/``: ``index.json`` (``{"bucket",
"saved_at", "objects": {key: {"file", "etag", "content_type", …}}}``) and ``objects/<file>``,
each object's bytes under a name derived from its key (any key is a safe file name). A save
downloads only the objects whose ETag changed since the last one, so a 50 MB label sheet is
fetched once, not every minute.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstack.dynamodb_json import from_json_safe, to_json_safe

if TYPE_CHECKING:
    from devstack.journal import JournalKeeper

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


# -- buckets ------------------------------------------------------------------------------------

# What a restored object keeps besides its bytes: get_object's field → put_object's argument.
_OBJECT_HEADERS = {
    "ContentType": "content_type",
    "ContentDisposition": "content_disposition",
    "ContentEncoding": "content_encoding",
    "CacheControl": "cache_control",
}


def _object_file(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _list_objects(s3: Any, bucket: str) -> dict[str, str]:
    """Key → ETag of every object in ``bucket``."""
    objects: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        objects.update({o["Key"]: o["ETag"] for o in page.get("Contents", [])})
    return objects


def _read_index(bucket_dir: Path) -> dict[str, Any]:
    path = bucket_dir / "index.json"
    if not path.is_file():
        return {}
    objects = json.loads(path.read_text(encoding="utf-8")).get("objects", {})
    return dict(objects) if isinstance(objects, dict) else {}


def _index_entry(file_name: str, response: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": file_name, "etag": response["ETag"]}
    entry.update({f: response[h] for h, f in _OBJECT_HEADERS.items() if response.get(h)})
    if response.get("Metadata"):
        entry["metadata"] = response["Metadata"]
    return entry


def save_bucket(s3: Any, bucket: str, bucket_dir: Path) -> int:
    """Bring ``bucket_dir`` up to date with ``bucket``; returns the object count."""
    objects_dir = bucket_dir / "objects"
    objects_dir.mkdir(parents=True, exist_ok=True)
    saved = _read_index(bucket_dir)
    index: dict[str, Any] = {}
    for key, etag in _list_objects(s3, bucket).items():
        entry = saved.get(key)
        if entry and entry.get("etag") == etag and (objects_dir / entry["file"]).is_file():
            index[key] = entry
            continue
        try:
            response = s3.get_object(Bucket=bucket, Key=key)
        except s3.exceptions.NoSuchKey:  # deleted since the listing
            continue
        name = _object_file(key)
        temporary = objects_dir / f".{name}.tmp"
        with temporary.open("wb") as out:
            shutil.copyfileobj(response["Body"], out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, objects_dir / name)
        index[key] = _index_entry(name, response)
    _write_index(bucket_dir, bucket, index)
    kept = {entry["file"] for entry in index.values()}
    for path in objects_dir.iterdir():
        if path.name not in kept:
            path.unlink()
    return len(index)


def _write_index(bucket_dir: Path, bucket: str, index: dict[str, Any]) -> None:
    _write_atomically(
        bucket_dir / "index.json",
        {
            "bucket": bucket,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "objects": index,
        },
    )


def restore_bucket(s3: Any, bucket: str, bucket_dir: Path) -> int:
    """Put every saved object back into ``bucket`` (which must exist); returns the count."""
    index = _read_index(bucket_dir)
    restored: dict[str, Any] = {}
    for key, entry in index.items():
        path = bucket_dir / "objects" / str(entry.get("file", ""))
        if not path.is_file():
            logger.warning("saved object has no file: skipped", extra={"bucket": bucket})
            continue
        arguments: dict[str, Any] = {
            header: entry[field] for header, field in _OBJECT_HEADERS.items() if field in entry
        }
        if entry.get("metadata"):
            arguments["Metadata"] = entry["metadata"]
        with path.open("rb") as body:
            response = s3.put_object(Bucket=bucket, Key=key, Body=body, **arguments)
        # A multipart upload's ETag is not a single put's: remember the new one, or the next
        # save would download every such object again.
        restored[key] = entry | {"etag": response["ETag"]}
    if restored != index:
        _write_index(bucket_dir, bucket, restored)
    return len(restored)


@dataclass(frozen=True)
class SavedBuckets:
    """The buckets kept across restarts, each in ``buckets_dir / <bucket>``."""

    s3: Any
    buckets_dir: Path
    names: Sequence[str]

    def save(self) -> dict[str, int]:
        return {name: save_bucket(self.s3, name, self.buckets_dir / name) for name in self.names}

    def restore(self) -> dict[str, int]:
        return {name: restore_bucket(self.s3, name, self.buckets_dir / name) for name in self.names}


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
    """Saves every table (and ``buckets``) every ``interval`` seconds in a thread, and once more
    on :meth:`stop`."""

    def __init__(
        self,
        dynamodb: Any,
        tables_dir: Path,
        interval: float = SNAPSHOT_SECONDS,
        buckets: SavedBuckets | None = None,
        journal: JournalKeeper | None = None,
    ) -> None:
        self._journal = journal
        self._dynamodb = dynamodb
        self._tables_dir = tables_dir
        self._interval = interval
        self._buckets = buckets
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="devstack-snapshots", daemon=True)

    def save_now(self) -> dict[str, int]:
        """Save; returns the items saved per table."""
        with self._lock:
            if self._journal is not None:
                self._journal.rotate()  # what the closed segments hold, the scan below sees
            saved = save_tables(self._dynamodb, self._tables_dir)
            if self._buckets is not None:
                self._buckets.save()
            if self._journal is not None:
                self._journal.compact()
            return saved

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
