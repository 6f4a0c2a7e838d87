"""The reports' counters: the platform's counter store (``platform.counter_store``) over the
reports' table, read back by item."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.connection import Connection

from chalicelib.platform.counter_store import CounterStore
from chalicelib.platform.rollups import StoredCounters
from chalicelib.reports.tables import ReportRollupRecord


class ReportCounters(CounterStore):
    """One brand's report counters."""

    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        super().__init__(ReportRollupRecord, brand_id, connection)

    def items(self, items: Sequence[str]) -> StoredCounters:
        """The counters of each item asked (``{}`` when absent): one ``BatchGetItem`` per 100
        items, whatever the number of units or requests counted."""
        return self.read_items(items)
