"""One store for every capability's roll-up counters: a stream batch's counts added once, items
read back, and a rebuild's rewrite.

Any table with a string hash key and an ``expires`` TTL attribute holds one owner's (a brand's)
items as ``<owner>#<item>``: counter items (one number attribute per counter) and markers,
``<owner>#counted#<event id>``. Idempotent under redelivery: each chunk of a batch is one
transaction that ``ADD``s the summed counters to their items and puts one marker per counted
event on the condition that it is not there yet. A redelivered record's marker exists, so the
transaction is cancelled; the events whose markers failed are dropped and the rest committed
(their counters only). A record is counted exactly when its marker is written, in the same
atomic write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import Attribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction
from chalicelib.platform.rollups import (
    MARKER,
    MAX_TRANSACTION_ITEMS,
    Counted,
    StoredCounters,
    UncountedEvents,
    chunks,
    tally,
)

MAX_BATCH_GET = 100  # keys per BatchGetItem
# a marker outlives the stream's 24-hour retention, so no redelivery can come after it is gone
MARKER_TTL = timedelta(days=2)


class CounterStore:
    """``owner``'s counter items in the table of ``model`` (a string hash key, ``expires``)."""

    def __init__(
        self, model: type[Model], owner: str, connection: Connection | None = None
    ) -> None:
        self._model = model
        self._table = model.Meta.table_name
        self._hash_key: Attribute[str] = next(
            a for a in model.get_attributes().values() if a.is_hash_key
        )
        self._name = self._hash_key.attr_name
        self._prefix = f"{owner}#"
        self._connection = connection or Connection(region=model.Meta.region)

    def _key(self, item: str) -> str:
        return f"{self._prefix}{item}"

    def count(self, events: Sequence[Counted], *, now: datetime) -> int:
        """Add every event's counters, each event at most once ever (an event without bumps is
        not one); returns how many were counted now (the others had been). Raises
        :class:`UncountedEvents` with the events from the first chunk that could not be written."""
        counted = 0
        groups = chunks([e for e in events if e.bumps()], MAX_TRANSACTION_ITEMS)
        for index, group in enumerate(groups):
            try:
                counted += self._commit(group, now)
            except TransactWriteError as exc:
                raise UncountedEvents([e for g in groups[index:] for e in g]) from exc
        return counted

    def _commit(self, group: list[Counted], now: datetime) -> int:
        pending = list(group)
        while pending:
            try:
                write_transaction(self._connection, self._transaction(pending, now))
                return len(pending)
            except TransactWriteError as exc:
                seen = _markers_that_exist(exc, len(pending))
                if not seen:
                    raise
                pending = [event for i, event in enumerate(pending) if i not in seen]
        return 0

    def _transaction(self, events: list[Counted], now: datetime) -> Any:
        expires = now + MARKER_TTL
        model = self._model

        def build(tx: TransactWrite) -> None:
            # markers are the transaction's puts, which come first: item i is events[i]
            for event in events:
                tx.save(
                    model(self._key(f"{MARKER}{event.event_id}"), expires=expires),
                    condition=self._hash_key.does_not_exist(),
                )
            for item, counters in sorted(tally(events).items()):
                tx.update(
                    model(self._key(item)),
                    actions=[Path([name]).add(n) for name, n in sorted(counters.items())],
                )

        return build

    def read_items(self, items: Sequence[str]) -> StoredCounters:
        """The counters of each item asked (an absent one is ``{}``): one ``BatchGetItem`` per
        100 items, whatever the number of events counted."""
        by_key = {self._key(item): item for item in items}
        found: dict[str, dict[str, int]] = {item: {} for item in items}
        keys = list(by_key)
        reads = 0
        for start in range(0, len(keys), MAX_BATCH_GET):
            batch = keys[start : start + MAX_BATCH_GET]
            request: dict[str, Any] = {self._table: {"Keys": [self._key_of(k) for k in batch]}}
            while request:
                reads += 1
                answer = self._connection.client.batch_get_item(RequestItems=request)
                for stored in answer.get("Responses", {}).get(self._table, []):
                    found[by_key[stored[self._name]["S"]]] = _numbers(stored)
                request = answer.get("UnprocessedKeys") or {}
        return StoredCounters(found, reads)

    def _key_of(self, key: str) -> dict[str, Any]:
        return {self._name: {"S": key}}

    # -- a one-off rebuild (``platform.rollups.rewrite``): never from a Lambda, it scans

    def stored_items(self) -> list[str]:
        """Every counter item of this owner (a scan of the table), markers left out."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "FilterExpression": "begins_with(#k, :owner) AND NOT begins_with(#k, :marker)",
            "ExpressionAttributeNames": {"#k": self._name},
            "ExpressionAttributeValues": {
                ":owner": {"S": self._prefix},
                ":marker": {"S": self._key(MARKER)},
            },
            "ProjectionExpression": "#k",
        }
        found: list[str] = []
        while True:
            page = self._connection.client.scan(**request)
            found += [i[self._name]["S"][len(self._prefix) :] for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return sorted(found)
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def replace_items(self, items: Mapping[str, Counter[str]]) -> None:
        """Each item replaced whole by these counters."""
        for item, counters in items.items():
            values = {name: {"N": str(n)} for name, n in counters.items()}
            self._connection.client.put_item(
                TableName=self._table, Item={**values, **self._key_of(self._key(item))}
            )

    def remove_items(self, items: Sequence[str]) -> None:
        for item in items:
            self._connection.client.delete_item(
                TableName=self._table, Key=self._key_of(self._key(item))
            )


def _numbers(item: dict[str, Any]) -> dict[str, int]:
    return {name: int(value["N"]) for name, value in item.items() if "N" in value}


def _markers_that_exist(exc: TransactWriteError, markers: int) -> set[int]:
    reasons = exc.cancellation_reasons or []
    return {
        i
        for i, reason in enumerate(reasons[:markers])
        if reason is not None and reason.code == ITEM_CONDITION_FAILED
    }
