"""Rebuilding the funnel's counters from the units themselves: a one-off (``python -m devstack
funnel rebuild``) for counters that drifted or predate the funnel, never a Lambda's job (it
reads the whole units table).

A unit tells what it is now and, in its history, what came back: every unit held by a dealer
counts as shipped on its ``shipped_on`` day (and activated on its activation's day, in its
cohort); every ``returned`` event of its history (its note: the shipment) counts as shipped to
that shipment's dealer on its day and returned on the event's day, as the units stream counted
it. A cancelled shipment's ``unshipped`` event counts nothing: it never was shipped. Each
rebuilt item replaces the stored one whole; an item no unit accounts for is removed; counting
markers are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from chalicelib.catalog.model import Unit
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.funnel import (
    RETURNED,
    SHIPPED,
    FunnelChange,
    FunnelEvent,
    unit_changes,
)
from chalicelib.platform.rollups import RebuiltItems, rewrite, tally

# a shipment id → (its dealer, its ship date), ``None`` when unknown
ShipmentOf = Callable[[str], tuple[str, date] | None]


def _returns(unit: Unit, shipment_of: ShipmentOf) -> list[FunnelChange]:
    """Each past return of ``unit``: shipped on its shipment's day, returned on the event's."""
    found: list[FunnelChange] = []
    for event in unit.history:
        shipment = shipment_of(event.note) if event.event == RETURNED and event.note else None
        if shipment is None:
            continue
        dealer_id, shipped_on = shipment
        returned_on = business_day(event.at)
        found.append(FunnelChange(SHIPPED, dealer_id, unit.model_code, shipped_on, shipped_on))
        found.append(FunnelChange(RETURNED, dealer_id, unit.model_code, shipped_on, returned_on))
    return found


def unit_events(units: Iterable[Unit], shipment_of: ShipmentOf) -> list[FunnelEvent]:
    """Each unit as if it had just been written (shipped, and activated if it is), after its
    past returns."""
    events = []
    for unit in units:
        changes = _returns(unit, shipment_of)
        if unit.shipped_on is not None:
            activated_on = business_day(unit.activation.activated_at) if unit.activation else None
            changes += unit_changes(None, unit, activated_on=activated_on, today=unit.shipped_on)
        if changes:
            events.append(FunnelEvent(f"rebuild#{unit.serial}", tuple(changes)))
    return events


def rebuild(
    units: Iterable[Unit], *, shipment_of: ShipmentOf, store: RebuiltItems
) -> dict[str, Counter[str]]:
    """Replace every day's and dealer's counters by what the units say; returns the items."""
    items = tally(unit_events(units, shipment_of))
    rewrite(items, store=store)
    return items
