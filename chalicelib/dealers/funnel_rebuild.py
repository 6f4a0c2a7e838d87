"""Rebuilding the funnel's counters from the units themselves: a one-off (``python -m devstack
funnel rebuild``) for counters that drifted or predate the funnel, never a Lambda's job (it
reads the whole units table).

A unit tells what it is now, not its past: every unit held by a dealer counts as shipped on its
``shipped_on`` day (and activated on its activation's day, in its cohort); a unit shipped and
returned since shows nothing, so the rebuilt ``returned`` counters are zero and shipped is
the net. Activation rates and ageing come out the same. Each rebuilt item replaces the stored
one whole; an item no unit accounts for is removed; counting markers are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from chalicelib.catalog.model import Unit
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.funnel import FunnelEvent, tally, unit_changes


class RebuiltItems(Protocol):
    def stored_items(self) -> list[str]: ...
    def replace_items(self, items: dict[str, Counter[str]]) -> None: ...
    def remove_items(self, items: Sequence[str]) -> None: ...


def unit_events(units: Iterable[Unit]) -> list[FunnelEvent]:
    """Each held unit as if it had just been written (shipped, and activated if it is)."""
    events = []
    for unit in units:
        if unit.shipped_on is None:
            continue
        activated_on = business_day(unit.activation.activated_at) if unit.activation else None
        changes = unit_changes(None, unit, activated_on=activated_on, today=unit.shipped_on)
        if changes:
            events.append(FunnelEvent(f"rebuild#{unit.serial}", tuple(changes)))
    return events


def rebuild(units: Iterable[Unit], *, store: RebuiltItems) -> dict[str, Counter[str]]:
    """Replace every day's and dealer's counters by what the units say; returns the items."""
    items = tally(unit_events(units))
    stale = [item for item in store.stored_items() if item not in items]
    store.replace_items(items)
    store.remove_items(stale)
    return items
