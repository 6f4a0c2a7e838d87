"""The roll-up counters' store: the platform's counter store (``platform.counter_store``: a
stream batch's counts added once, each record at most once ever) over the dashboard's table,
read back by day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pynamodb.connection import Connection

from chalicelib.dashboard.counters import day_item
from chalicelib.dashboard.tables import RollupRecord
from chalicelib.platform.counter_store import CounterStore


class RollupRepository(CounterStore):
    """One brand's daily counters."""

    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        super().__init__(RollupRecord, brand_id, connection)

    def days(self, days: Sequence[date]) -> dict[date, dict[str, int]]:
        """The counters of each day asked (a day nothing happened on is ``{}``): one
        ``BatchGetItem`` per 100 days, whatever the number of units."""
        found = self.read_items([day_item(day) for day in days]).items
        return {day: found[day_item(day)] for day in days}
