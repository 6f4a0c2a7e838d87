"""The local dead-letter store: stream records a handler kept failing, one JSON object a line.

In AWS a failed record goes to the event source mapping's on-failure destination after
``MaximumRetryAttempts``; locally the poller parks it in ``<data dir>/dead-letters.jsonl`` and
moves on. ``python -m devstack dlq replay <id>|--all`` delivers a parked record again (alone, in
a batch of one) to the same handler, and removes it from the store when the handler succeeds.

The running stack appends while a one-off command may remove: every read-modify-write holds an
exclusive ``flock`` on ``dead-letters.jsonl.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalice.app import Chalice

from devstack.invocation import invoke_stream_handler


@dataclass(frozen=True)
class DeadLetter:
    """One parked record, as the handler last received it (Lambda shape)."""

    id: str
    handler: str
    table: str
    record: dict[str, Any]
    error: str
    attempts: int
    parked_at: str
    traceback: str = ""
    replays: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sequence_number(self) -> str:
        return str(self.record.get("dynamodb", {}).get("SequenceNumber", ""))

    @property
    def event_name(self) -> str:
        return str(self.record.get("eventName", ""))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeadLetter:
        return cls(
            id=str(data["id"]),
            handler=str(data["handler"]),
            table=str(data.get("table", "")),
            record=dict(data["record"]),
            error=str(data.get("error", "")),
            attempts=int(data.get("attempts", 0)),
            parked_at=str(data.get("parked_at", "")),
            traceback=str(data.get("traceback", "")),
            replays=list(data.get("replays", [])),
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DeadLetterStore:
    """Append-only JSON lines with removal; safe across threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_name(path.name + ".lock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[DeadLetter]:
        if not self.path.exists():
            return []
        letters = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                letters.append(DeadLetter.from_json(json.loads(line)))
        return letters

    def _write(self, letters: Sequence[DeadLetter]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            for letter in letters:
                out.write(json.dumps(asdict(letter), ensure_ascii=False) + "\n")
        os.replace(temporary, self.path)

    def park(
        self,
        *,
        handler: str,
        table: str,
        record: Mapping[str, Any],
        error: str,
        attempts: int,
        traceback: str = "",
    ) -> DeadLetter:
        letter = DeadLetter(
            id=uuid.uuid4().hex[:12],
            handler=handler,
            table=table,
            record=dict(record),
            error=error,
            attempts=attempts,
            parked_at=_now(),
            traceback=traceback,
        )
        with self._locked(), self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(letter), ensure_ascii=False) + "\n")
        return letter

    def list(self) -> list[DeadLetter]:
        with self._locked():
            return self._read()

    def get(self, letter_id: str) -> DeadLetter | None:
        return next((letter for letter in self.list() if letter.id == letter_id), None)

    def remove(self, letter_id: str) -> bool:
        with self._locked():
            letters = self._read()
            kept = [letter for letter in letters if letter.id != letter_id]
            if len(kept) == len(letters):
                return False
            self._write(kept)
            return True

    def record_failed_replay(self, letter_id: str, error: str) -> None:
        with self._locked():
            letters = [
                replace(
                    letter,
                    attempts=letter.attempts + 1,
                    error=error,
                    replays=[*letter.replays, {"at": _now(), "error": error}],
                )
                if letter.id == letter_id
                else letter
                for letter in self._read()
            ]
            self._write(letters)


@dataclass(frozen=True)
class ReplayResult:
    letter_id: str
    handler: str
    succeeded: bool
    error: str


def replay(
    store: DeadLetterStore,
    app: Chalice,
    letter_ids: Sequence[str] | None,
    *,
    region: str,
    timeout_seconds: int = 60,
    memory_mb: int = 128,
    limits: Callable[[str], tuple[int, int]] | None = None,
) -> list[ReplayResult]:
    """Deliver parked records again, each alone; remove those the handler now accepts.

    ``letter_ids=None`` replays every parked record, oldest first. An unknown id is reported as
    a failed result, not raised, so ``--all`` and a list of ids behave alike. ``limits(handler)``
    gives a handler's own timeout (s) and memory (MB) instead of ``timeout_seconds`` and
    ``memory_mb``.
    """
    letters = store.list()
    if letter_ids is not None:
        by_id = {letter.id: letter for letter in letters}
        missing = [i for i in letter_ids if i not in by_id]
        letters = [by_id[i] for i in letter_ids if i in by_id]
    else:
        missing = []
    results = [ReplayResult(i, "", False, "no dead letter with this id") for i in missing]
    for letter in letters:
        timeout, memory = limits(letter.handler) if limits else (timeout_seconds, memory_mb)
        outcome = invoke_stream_handler(
            app,
            letter.handler,
            [letter.record],
            region=region,
            timeout_seconds=timeout,
            memory_mb=memory,
        )
        if outcome.succeeded:
            store.remove(letter.id)
        else:
            store.record_failed_replay(letter.id, outcome.error)
        results.append(ReplayResult(letter.id, letter.handler, outcome.succeeded, outcome.error))
    return results
