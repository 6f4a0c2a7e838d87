"""The funnel's counters store (a stream batch's counts added once; days and totals read back)
and the dealers' directory the funnel and the weekly nudge read.

Idempotent under redelivery, like the dashboard's roll-ups: each chunk of a batch is one
transaction that ``ADD``s the summed counters to their items and puts one marker per counted
event on the condition that it is not there yet. A redelivered record's marker exists, so the
transaction is cancelled; the events whose markers failed are dropped and the rest committed.
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

from chalicelib.dealers.funnel import (
    FunnelCounters,
    FunnelEvent,
    chunks,
    day_item,
    tally,
    totals_item,
)
from chalicelib.dealers.funnel_tables import DealerRollupRecord
from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit per TransactWriteItems
MAX_BATCH_GET = 100  # keys per BatchGetItem
MARKER_TTL = timedelta(days=2)  # outlives the stream's 24-hour retention
LISTED = "dealer"


class UncountedFunnelEvents(Exception):
    """A chunk could not be written: ``events`` (it and every later chunk) are not counted."""

    def __init__(self, events: Sequence[FunnelEvent]) -> None:
        super().__init__(f"{len(events)} funnel events not counted")
        self.events = list(events)


class FunnelRepository:
    """One brand's funnel counters."""

    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        self._brand_id = brand_id
        self._connection = connection or Connection(region=DealerRollupRecord.Meta.region)

    def _key(self, item: str) -> str:
        return f"{self._brand_id}#{item}"

    def count(self, events: Sequence[FunnelEvent], *, now: datetime) -> int:
        """Add every event's counters, each event at most once ever; returns how many were
        counted now. Raises :class:`UncountedFunnelEvents` from the first chunk not written."""
        counted = 0
        groups = chunks([e for e in events if e.changes], MAX_TRANSACTION_ITEMS)
        for index, group in enumerate(groups):
            try:
                counted += self._commit(group, now)
            except TransactWriteError as exc:
                raise UncountedFunnelEvents([e for g in groups[index:] for e in g]) from exc
        return counted

    def _commit(self, group: list[FunnelEvent], now: datetime) -> int:
        pending = list(group)
        while pending:
            try:
                write_transaction(self._connection, self._transaction(pending, now))
                return len(pending)
            except TransactWriteError as exc:
                reasons = exc.cancellation_reasons or []
                seen = {
                    i
                    for i, reason in enumerate(reasons[: len(pending)])
                    if reason is not None and reason.code == ITEM_CONDITION_FAILED
                }
                if not seen:
                    raise
                pending = [event for i, event in enumerate(pending) if i not in seen]
        return 0

    def _transaction(self, events: list[FunnelEvent], now: datetime) -> Any:
        expires = now + MARKER_TTL

        def build(tx: TransactWrite) -> None:
            # markers come first: the transaction's item i is events[i]
            for event in events:
                tx.save(
                    DealerRollupRecord(self._key(f"counted#{event.event_id}"), expires=expires),
                    condition=DealerRollupRecord.rollup_key.does_not_exist(),
                )
            for item, counters in sorted(tally(events).items()):
                tx.update(
                    DealerRollupRecord(self._key(item)),
                    actions=[Path([name]).add(n) for name, n in sorted(counters.items())],
                )

        return build

    def read(self, days: Sequence[date], dealer_ids: Sequence[str]) -> FunnelCounters:
        """The counters of each day and each dealer's totals (absent ones are ``{}``): one
        ``BatchGetItem`` per 100 keys, whatever the number of units."""
        wanted = [self._key(day_item(d)) for d in days]
        wanted += [self._key(totals_item(d)) for d in dealer_ids]
        found, reads = self._batch_get(wanted)
        by_day = {d: found.get(self._key(day_item(d)), {}) for d in days}
        totals = {d: found.get(self._key(totals_item(d)), {}) for d in dealer_ids}
        return FunnelCounters(days=by_day, totals=totals, reads=reads)

    def _batch_get(self, keys: list[str]) -> tuple[dict[str, dict[str, int]], int]:
        table = DealerRollupRecord.Meta.table_name
        found: dict[str, dict[str, int]] = {}
        reads = 0
        for start in range(0, len(keys), MAX_BATCH_GET):
            request: dict[str, Any] = {
                table: {"Keys": [{"rollup_key": {"S": k}} for k in keys[start : start + 100]]}
            }
            while request:
                reads += 1
                answer = self._connection.client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(table, []):
                    found[item["rollup_key"]["S"]] = {
                        name: int(value["N"]) for name, value in item.items() if "N" in value
                    }
                request = answer.get("UnprocessedKeys") or {}
        return found, reads

    # -- the one-off rebuild (dealers.funnel_rebuild): never from a Lambda, it scans

    def stored_items(self) -> list[str]:
        """Every day and totals item of this brand (a scan), as ``day#…`` / ``totals#…``."""
        prefix = f"{self._brand_id}#"
        request: dict[str, Any] = {
            "TableName": DealerRollupRecord.Meta.table_name,
            "ProjectionExpression": "rollup_key",
        }
        found: list[str] = []
        while True:
            page = self._connection.client.scan(**request)
            for item in page["Items"]:
                key = item["rollup_key"]["S"]
                name = key[len(prefix) :]
                if key.startswith(prefix) and not name.startswith("counted#"):
                    found.append(name)
            if "LastEvaluatedKey" not in page:
                return sorted(found)
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def replace_items(self, items: dict[str, Counter[str]]) -> None:
        """Each item replaced whole by these counters."""
        for item, counters in items.items():
            values = {name: {"N": str(n)} for name, n in counters.items()}
            self._connection.client.put_item(
                TableName=DealerRollupRecord.Meta.table_name,
                Item={**values, "rollup_key": {"S": self._key(item)}},
            )

    def remove_items(self, items: Sequence[str]) -> None:
        for item in items:
            DealerRollupRecord(self._key(item)).delete()
