"""The roll-up counters' store: a stream batch's counts added once, and days read back.

Idempotent under redelivery: each chunk of a batch is one transaction that ``ADD``s the summed
counters to their day items and puts one marker per counted event on the condition that it is
not there yet. A redelivered record's marker exists, so the transaction is cancelled; the events
whose markers failed are dropped and the rest committed (their counters only). A record is
counted exactly when its marker is written, in the same atomic write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactWrite

from chalicelib.dashboard.counters import CountedEvent, chunks, tally
from chalicelib.dashboard.tables import RollupRecord
from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit per TransactWriteItems
MAX_BATCH_GET = 100  # keys per BatchGetItem
# a marker outlives the stream's 24-hour retention, so no redelivery can come after it is gone
MARKER_TTL = timedelta(days=2)


class UncountedEvents(Exception):
    """A chunk could not be written: ``events`` (it and every later chunk) are not counted."""

    def __init__(self, events: Sequence[CountedEvent]) -> None:
        super().__init__(f"{len(events)} events not counted")
        self.events = list(events)


class RollupRepository:
    """One brand's daily counters."""

    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        self._brand_id = brand_id
        self._connection = connection or Connection(region=RollupRecord.Meta.region)

    def day_key(self, day: date) -> str:
        return f"{self._brand_id}#day#{day.isoformat()}"

    def _marker_key(self, event_id: str) -> str:
        return f"{self._brand_id}#counted#{event_id}"

    def count(self, events: Sequence[CountedEvent], *, now: datetime) -> int:
        """Add every event's counters to its day, each event at most once ever; returns how
        many were counted now (the others had been). Raises :class:`UncountedEvents` with the
        events from the first chunk that could not be written."""
        counted = 0
        groups = chunks(events, MAX_TRANSACTION_ITEMS)
        for index, group in enumerate(groups):
            try:
                counted += self._commit(group, now)
            except TransactWriteError as exc:
                raise UncountedEvents([e for g in groups[index:] for e in g]) from exc
        return counted

    def _commit(self, group: list[CountedEvent], now: datetime) -> int:
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

    def _transaction(self, events: list[CountedEvent], now: datetime) -> Any:
        expires = now + MARKER_TTL

        def build(tx: TransactWrite) -> None:
            # markers are the transaction's puts, which come first: item i is events[i]
            for event in events:
                tx.save(
                    RollupRecord(self._marker_key(event.event_id), expires=expires),
                    condition=RollupRecord.counter_key.does_not_exist(),
                )
            for day, counters in sorted(tally(events).items()):
                tx.update(
                    RollupRecord(self.day_key(day)),
                    actions=[Path([name]).add(n) for name, n in sorted(counters.items())],
                )

        return build

    def days(self, days: Sequence[date]) -> dict[date, dict[str, int]]:
        """The counters of each day asked (a day nothing happened on is ``{}``): one
        ``BatchGetItem`` per 100 days, whatever the number of units."""
        by_key = {self.day_key(day): day for day in days}
        found: dict[date, dict[str, int]] = {day: {} for day in days}
        keys = list(by_key)
        table = RollupRecord.Meta.table_name
        for start in range(0, len(keys), MAX_BATCH_GET):
            request: dict[str, Any] = {
                table: {
                    "Keys": [{"counter_key": {"S": k}} for k in keys[start : start + MAX_BATCH_GET]]
                }
            }
            while request:
                answer = self._connection.client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(table, []):
                    found[by_key[item["counter_key"]["S"]]] = _numbers(item)
                request = answer.get("UnprocessedKeys") or {}
        return found

    # -- the one-off rebuild (dashboard.rebuild): never from a Lambda, it scans

    def stored_days(self) -> list[date]:
        """Every day this brand has an item for (a scan of the table)."""
        prefix = f"{self._brand_id}#day#"
        table = RollupRecord.Meta.table_name
        found: list[date] = []
        request: dict[str, Any] = {
            "TableName": table,
            "FilterExpression": "begins_with(counter_key, :day)",
            "ExpressionAttributeValues": {":day": {"S": prefix}},
            "ProjectionExpression": "counter_key",
        }
        while True:
            page = self._connection.client.scan(**request)
            found += [
                date.fromisoformat(i["counter_key"]["S"][len(prefix) :]) for i in page["Items"]
            ]
            if "LastEvaluatedKey" not in page:
                return sorted(found)
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def replace_days(self, days: dict[date, Counter[str]]) -> None:
        """Each day's item replaced whole by these counters."""
        for day, counters in days.items():
            item = {name: {"N": str(n)} for name, n in counters.items()}
            self._connection.client.put_item(
                TableName=RollupRecord.Meta.table_name,
                Item={**item, "counter_key": {"S": self.day_key(day)}},
            )

    def remove_days(self, days: Sequence[date]) -> None:
        for day in days:
            RollupRecord(self.day_key(day)).delete()


def _numbers(item: dict[str, Any]) -> dict[str, int]:
    return {name: int(value["N"]) for name, value in item.items() if "N" in value}


def _markers_that_exist(exc: TransactWriteError, markers: int) -> set[int]:
    reasons = exc.cancellation_reasons or []
    return {
        i
        for i, reason in enumerate(reasons[:markers])
        if reason is not None and reason.code == ITEM_CONDITION_FAILED
    }
