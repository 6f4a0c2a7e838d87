"""The funnel's counters store: the platform's counter store (``platform.counter_store``: a
stream batch's counts added once, each record at most once ever) over the funnel's table, read
back as days and dealers' totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pynamodb.connection import Connection

from chalicelib.dealers.funnel import FunnelCounters, day_item, totals_item
from chalicelib.dealers.funnel_tables import DealerRollupRecord
from chalicelib.platform.counter_store import CounterStore


class FunnelRepository(CounterStore):
    """One brand's funnel counters."""

    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        super().__init__(DealerRollupRecord, brand_id, connection)

    def read(self, days: Sequence[date], dealer_ids: Sequence[str]) -> FunnelCounters:
        """The counters of each day and each dealer's totals (absent ones are ``{}``): one
        ``BatchGetItem`` per 100 keys, whatever the number of units."""
        wanted = [day_item(d) for d in days] + [totals_item(d) for d in dealer_ids]
        found = self.read_items(wanted)
        return FunnelCounters(
            days={d: found.items[day_item(d)] for d in days},
            totals={d: found.items[totals_item(d)] for d in dealer_ids},
            reads=found.reads,
        )
