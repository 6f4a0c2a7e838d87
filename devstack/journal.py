"""The write-ahead journal: nothing the emulator acknowledged is lost on a crash.

The snapshot (:mod:`devstack.state`) is a minute old at worst; the journal holds what happened
since. Inside the emulator process every item change (a put, an update, a delete, each item of a
batch or a transaction) appends one JSON line to the open segment *before* the request is
answered, with one ``write`` to the file (``fsync`` too with ``GARANTI_JOURNAL_SYNC=fsync``): a
``kill -9`` of the stack (the emulator follows it within a second) loses no answered write.

One line per change, in the order the changes happened (DynamoDB operations are serialised)::

    {"seq": 412, "at": 1767225600.5, "table": "garanti-local-units",
     "keys": {"serial": {"S": "GAR000000027"}}, "new": {…} | null,
     "event": "MODIFY", "old": {…}}          # "event" and "old" only for a table with a stream

``seq`` is durable and grows across restarts; it is also the stream record's ``SequenceNumber``
(the emulator numbers its streams from the journal), so a stream poller's checkpoint (the last
sequence number its handler finished, :class:`Checkpoints`) means the same thing after a
restart. Segments are ``journal/<first seq>.jsonl``; the newest is open.

- **Start**: the saved tables are loaded, then every segment is replayed on top (the last change
  of each item wins), then the journal opens a new segment. Each poller first gets, from the
  journal, the stream records of its table after its checkpoint (written before the crash or the
  stop but never finished), then the live stream.
- **Snapshot**: the journal is rotated, the tables are saved, then the closed segments are
  deleted from the oldest while both the snapshot and every poller's checkpoint cover them.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.dynamodb_json import from_json_safe

logger = logging.getLogger(__name__)

SEGMENT_SUFFIX = ".jsonl"
# The changes the long poll remembers (table per sequence number); older ones read as "all".
RECENT_CHANGES = 10_000
BATCH_WRITE_LIMIT = 25


def _bytes_as_base64(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot journal a {type(value).__name__}")


def segment_paths(directory: Path) -> list[Path]:
    """The segments, oldest first (named by their first sequence number)."""
    if not directory.is_dir():
        return []
    return sorted(
        (p for p in directory.glob(f"*{SEGMENT_SUFFIX}") if p.stem.isdigit()),
        key=lambda p: int(p.stem),
    )


def read_segment(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of one segment; a torn last line (a crash mid-write) is skipped."""
    with path.open("rb") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                logger.warning("torn journal line skipped", extra={"segment": path.name})
                continue
            if isinstance(entry, dict):
                yield entry


def read_entries(directory: Path) -> Iterator[dict[str, Any]]:
    for path in segment_paths(directory):
        yield from read_segment(path)


def journaled(directory: Path) -> bool:
    """True when the journal holds at least one change."""
    return any(True for _ in read_entries(directory))


def next_sequence(directory: Path) -> int:
    """The first sequence number the next run may use: past every one ever written."""
    last = 0
    for path in segment_paths(directory):
        last = max(last, int(path.stem) - 1)
    segments = segment_paths(directory)
    if segments:
        for entry in read_segment(segments[-1]):
            last = max(last, int(entry["seq"]))
    return last + 1


class Journal:
    """The emulator's side: appends under the emulator's DynamoDB lock (the caller's)."""

    def __init__(self, directory: Path, *, fsync: bool = False) -> None:
        self.directory = directory
        self.fsync = fsync
        self.next_seq = 1
        self._fd: int | None = None
        self._allocated = threading.Condition()
        self._recent: deque[tuple[int, str]] = deque(maxlen=RECENT_CHANGES)

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def allocate(self, table: str) -> int:
        """The next sequence number, for a change of ``table``."""
        seq = self.next_seq
        self.next_seq += 1
        with self._allocated:
            self._recent.append((seq, table))
            self._allocated.notify_all()
        return seq

    def wait_past(self, next_seq: int, timeout: float) -> tuple[int, list[str] | None]:
        """Once a change is numbered ``next_seq`` or later, or after ``timeout`` seconds: the
        next sequence number and the tables changed since ``next_seq`` (``None``: too many
        changes ago to say, take them all). How the stack's pollers learn that their table has
        something to read without each asking four times a second. Not under the DynamoDB
        lock: writes go on while it waits."""
        with self._allocated:
            self._allocated.wait_for(lambda: self.next_seq > next_seq, timeout)
            if self._recent and self._recent[0][0] > next_seq:
                return self.next_seq, None
            return self.next_seq, sorted({t for seq, t in self._recent if seq >= next_seq})

    def open(self, next_seq: int) -> None:
        """Start journaling (after the restore and the replay, which are not journaled)."""
        self.next_seq = max(self.next_seq, next_seq)
        self._open_segment()

    def rotate(self) -> None:
        """Close the open segment and start the next one (a snapshot follows)."""
        if self._fd is not None:
            self._open_segment()

    def _open_segment(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self.next_seq:016d}{SEGMENT_SUFFIX}"
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def append(self, entry: Mapping[str, Any]) -> None:
        if self._fd is None:
            return
        line = json.dumps(entry, separators=(",", ":"), default=_bytes_as_base64) + "\n"
        os.write(self._fd, line.encode("utf-8"))  # one write: in the OS's hands before we answer
        if self.fsync:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# -- the stack's side ------------------------------------------------------------------------


def _item_key(entry: Mapping[str, Any]) -> tuple[str, str]:
    return str(entry["table"]), json.dumps(entry["keys"], sort_keys=True)


def replay(dynamodb: Any, directory: Path, tables: set[str]) -> int:
    """Put the last journaled state of every changed item into the emulator (after the
    snapshot's restore); returns the items written. A table no model has any more is skipped."""
    final: dict[tuple[str, str], dict[str, Any]] = {}
    for journaled in read_entries(directory):
        if journaled.get("table") in tables:
            final[_item_key(journaled)] = journaled
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entry in final.values():
        request = (
            {"PutRequest": {"Item": from_json_safe(entry["new"])}}
            if entry.get("new") is not None
            else {"DeleteRequest": {"Key": from_json_safe(entry["keys"])}}
        )
        by_table.setdefault(str(entry["table"]), []).append(request)
    for table, requests in by_table.items():
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            pending: dict[str, Any] = {table: requests[start : start + BATCH_WRITE_LIMIT]}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems")
    return len(final)


def stream_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A journaled change as ``dynamodbstreams.get_records`` gives it (for a poller's backlog)."""
    dynamodb: dict[str, Any] = {
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "ApproximateCreationDateTime": entry.get("at", time.time()),
        "SequenceNumber": str(entry["seq"]),
        "SizeBytes": 1,
        "Keys": entry["keys"],
    }
    if entry.get("new") is not None:
        dynamodb["NewImage"] = entry["new"]
    if entry.get("old") is not None:
        dynamodb["OldImage"] = entry["old"]
    return {
        "eventID": f"journal-{entry['seq']}",
        "eventName": entry["event"],
        "eventSource": "aws:dynamodb",
        "eventVersion": "1.0",
        "awsRegion": "",
        "dynamodb": dynamodb,
    }


def backlog(directory: Path, table: str, after: int) -> list[dict[str, Any]]:
    """The stream records of ``table`` after sequence number ``after``, oldest first."""
    return [
        stream_record(entry)
        for entry in read_entries(directory)
        if entry.get("table") == table and "event" in entry and int(entry["seq"]) > after
    ]


class Checkpoints:
    """Per stream handler, the sequence number of the last record it finished (or parked):
    ``stream-checkpoints.json``. Written after each batch (no fsync: a checkpoint lost in a
    crash only means a record delivered again, which handlers tolerate)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._values: dict[str, int] = {}
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._values = {str(k): int(v) for k, v in raw.items()}

    def get(self, handler: str) -> int | None:
        with self._lock:
            return self._values.get(handler)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._values)

    def advance(self, handler: str, seq: int) -> None:
        """Record that ``handler`` finished ``seq``. The first value is always written, even 0 (a
        fresh data dir): a handler with no checkpoint is new and starts at the live stream, so
        one that merely finished nothing yet must not look new after a restart."""
        with self._lock:
            if handler in self._values and seq <= self._values[handler]:
                return
            self._values[handler] = seq
            temporary = self.path.with_name(f".{self.path.name}.tmp")
            temporary.write_text(json.dumps(self._values, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)


@dataclass(frozen=True)
class Compaction:
    """Which closed segments a snapshot may delete: those the snapshot covers (all closed ones)
    and whose stream records every poller (``handler → table``) has finished."""

    directory: Path
    checkpoints: Checkpoints
    tables_of: Mapping[str, str]

    def _finished(self, path: Path) -> bool:
        last_of_table: dict[str, int] = {}
        for entry in read_segment(path):
            if "event" in entry:
                table = str(entry["table"])
                last_of_table[table] = max(last_of_table.get(table, 0), int(entry["seq"]))
        for handler, table in self.tables_of.items():
            if (
                table in last_of_table
                and (self.checkpoints.get(handler) or 0) < last_of_table[table]
            ):
                return False
        return True

    def run(self) -> int:
        """Delete the covered closed segments, oldest first; returns how many."""
        deleted = 0
        for path in segment_paths(self.directory)[:-1]:  # the newest is open
            if not self._finished(path):
                break
            path.unlink()
            deleted += 1
        return deleted


@dataclass(frozen=True)
class JournalKeeper:
    """What a snapshot does with the journal: rotate before it scans, compact after it saved."""

    rotate: Callable[[], object]
    compaction: Compaction

    def compact(self) -> int:
        return self.compaction.run()
