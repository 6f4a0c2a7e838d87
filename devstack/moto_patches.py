"""Two fixes to the emulator, where moto 5.2.5 differs from DynamoDB in ways we depend on.
Neither touches our code; the devstack's emulator process and the tests both apply them. The
emulator process also installs the journal's hooks (:func:`apply_journal`, see
:mod:`devstack.journal`).

1. **Operations are serialisable.** moto checks a condition and then writes with nothing in
   between, and its server answers requests in threads, so two conditional writes to one item
   can both pass their check, and a read can see half a transaction. DynamoDB allows neither,
   and activation "exactly once" depends on it: every DynamoDB backend operation runs under one
   lock. (Other services need no lock.)
2. **Transactions cost what they write.** moto's ``transact_write_items`` deep-copies the
   whole target table once per transaction item, to roll back on failure. A 100-item
   transaction on a 10,000-item table copies a million items (seconds per call, growing with
   every unit ever registered), so a local import of 10,000 units would take hours. Our
   replacement keeps moto's semantics (all conditions checked first; one failing item cancels
   the whole transaction with per-item reasons, ``ALL_OLD`` on request) and rolls back a
   failure during the write phase from an undo log of the touched items only.
"""

from __future__ import annotations

import bisect
import copy
import functools
import threading
import time
from typing import Any

import moto
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend

# The moto release these fixes were written against and checked on (requirements-dev.txt pins
# it): another release may have fixed, moved or changed what they replace, so it is refused.
WRITTEN_FOR = "5.2.5"
OPERATIONS = ("ConditionCheck", "Put", "Delete", "Update")
SERIALISED = (
    "get_item", "put_item", "update_item", "delete_item", "query", "scan", "batch_get_item",
    "batch_write_item", "transact_get_items", "transact_write_items",
)  # fmt: skip
_LOCK = threading.RLock()
_APPLIED = False


def _key_of(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def _check(backend: DynamoDBBackend, items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    """Phase 1: every condition, nothing written. One reason per item, as DynamoDB reports."""
    seen: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []
    for item in items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(item.items()))
        if op_type not in OPERATIONS:
            raise MockValidationException("Unsupported transaction operation")
        key = _key_of(backend, op_type, op)
        marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)
        try:
            current = backend.get_item(op["TableName"], key)
            expression = op.get("ConditionExpression")
            if expression is not None:
                condition = get_filter_expression(
                    expression,
                    op.get("ExpressionAttributeNames"),
                    op.get("ExpressionAttributeValues"),
                )
                if not condition.expr(current):
                    old = None
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        old = current.to_json()["Attributes"]
                    failure = ConditionalCheckFailed(item=old)
                    reasons.append(("ConditionalCheckFailed", str(failure.message), old))
                    continue
            reasons.append((None, None, None))
        except MockValidationException:
            raise
        except Exception as exc:  # noqa: BLE001 - reported per item, as moto does
            reasons.append((type(exc).__name__, str(exc), None))
    return reasons


def _apply(backend: DynamoDBBackend, items: list[dict[str, Any]]) -> None:
    """Phase 2: the writes, with an undo log of the touched items for a mid-way failure."""
    undo: list[tuple[str, dict[str, Any], Any]] = []
    try:
        for item in items:
            op_type, op = next(iter(item.items()))
            if op_type == "ConditionCheck":
                continue
            table_name = op["TableName"]
            key = _key_of(backend, op_type, op)
            undo.append((table_name, key, copy.deepcopy(backend.get_item(table_name, key))))
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                backend.put_item(table_name, op["Item"])
            elif op_type == "Delete":
                backend.delete_item(table_name, key)
            else:
                backend.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
    except Exception:
        for table_name, key, previous in reversed(undo):
            if previous is None:
                if backend.get_item(table_name, key) is not None:
                    backend.delete_item(table_name, key)
            else:
                backend.put_item(table_name, previous.to_json()["Attributes"])
        raise


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    reasons = _check(self, transact_items)
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    _apply(self, transact_items)


def _serialised(method: Any) -> Any:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


def lock() -> Any:
    """The DynamoDB lock (held by every serialised operation)."""
    return _LOCK


def check_version(version: str) -> None:
    """Refuse a moto release the fixes were not written for: an upgrade must fail loudly."""
    if version != WRITTEN_FOR:
        raise RuntimeError(
            f"devstack/moto_patches.py was written for moto {WRITTEN_FOR}, not {version}: check "
            "both fixes against the new release, then change WRITTEN_FOR and the pin together"
        )


def apply() -> None:
    """Install both fixes in this process's moto (idempotent)."""
    global _APPLIED
    if _APPLIED:
        return
    check_version(moto.__version__)
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    for name in SERIALISED:
        setattr(DynamoDBBackend, name, _serialised(getattr(DynamoDBBackend, name)))
    _APPLIED = True


# -- the journal (devstack.journal): the emulator process only --------------------------------


def _keys_of(table: Any, item: Any) -> dict[str, Any]:
    keys = {table.hash_key_attr: item.hash_key.to_json()}
    if table.range_key_attr is not None:
        keys[table.range_key_attr] = item.range_key.to_json()
    return keys


class _JournalHooks:
    """Journals every item change and numbers the streams from the journal (see
    :mod:`devstack.journal`). Installed by :func:`apply_journal`."""

    def __init__(self, journal: Any) -> None:
        self.journal = journal
        self.last_record: Any = None

    def record(self, table: Any, old: Any, new: Any) -> None:
        """One change of ``table`` (``old``/``new``: moto items or ``None``), just made."""
        stream = self.last_record
        self.last_record = None
        if not self.journal.is_open:
            return
        seq = (
            stream.record["dynamodb"]["SequenceNumber"]
            if stream
            else self.journal.allocate(table.name)
        )
        item = new if new is not None else old
        entry: dict[str, Any] = {
            "seq": int(seq),
            "at": time.time(),
            "table": table.name,
            "keys": _keys_of(table, item),
            "new": new.to_json()["Attributes"] if new is not None else None,
        }
        if stream is not None:
            entry["event"] = stream.record["eventName"]
            entry["old"] = stream.record["dynamodb"].get("OldImage")
        self.journal.append(entry)


def apply_journal(journal: Any) -> _JournalHooks:
    """Journal every DynamoDB item change into ``journal`` (a :class:`devstack.journal.Journal`)
    before the request is answered, and give stream records the journal's sequence numbers
    (durable across restarts) instead of moto's positions. Returns the hooks (for tests)."""
    from moto.dynamodb.models.table import StreamRecord, StreamShard, Table
    from moto.dynamodbstreams.models import ShardIterator

    apply()
    hooks = _JournalHooks(journal)
    table_put, table_delete = Table.put_item, Table.delete_item
    backend_update = DynamoDBBackend.update_item
    iterator_init = ShardIterator.__init__

    def add(self: Any, old: Any, new: Any) -> None:
        kind = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
        view = self.table.stream_specification["StreamViewType"]
        record = StreamRecord(self.table, view, kind, old, new, journal.allocate(self.table.name))
        self.items.append(record)
        hooks.last_record = record

    def get(self: Any, start: int, quantity: int) -> list[dict[str, Any]]:
        first = bisect.bisect_left(
            self.items, int(start), key=lambda r: int(r.record["dynamodb"]["SequenceNumber"])
        )
        return [r.to_json() for r in self.items[first : first + quantity]]

    def init_iterator(self: Any, backend: Any, shard: Any, kind: str, seq: Any = None) -> None:
        iterator_init(self, backend, shard, kind, None if seq is None else int(seq))
        if kind == "TRIM_HORIZON":
            self.sequence_number = 0
        elif kind == "LATEST":
            self.sequence_number = journal.next_seq

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            hooks.last_record = None
            item = table_put(self, *args, **kwargs)
            hooks.record(self, None, item)
            return item

    def delete_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            hooks.last_record = None
            item = table_delete(self, *args, **kwargs)
            if item is not None:
                hooks.record(self, item, None)
            return item

    def update_item(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            hooks.last_record = None
            item = backend_update(self, table_name, *args, **kwargs)
            hooks.record(self.get_table(table_name), None, item)
            return item

    StreamShard.add = add  # type: ignore[method-assign]
    StreamShard.get = get  # type: ignore[method-assign]
    ShardIterator.__init__ = init_iterator  # type: ignore[method-assign,assignment]
    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
    return hooks
