"""The dealer funnel's counters: which change of a unit bumps which counters of which item (the
platform's roll-ups, ``platform.rollups``, make a stream batch one ``ADD`` per counter and item).
Pure: no I/O.

A unit is *held* by a dealer while it carries a ``dealer_id`` and a ``shipped_on`` and is
shipped or activated. Four changes count, each on (dealer, model):

- **shipped**: the unit becomes held (by a new dealer or shipment): on its ``shipped_on`` day;
- **activated**: a held unit becomes activated: on the day of the activation, and in the
  *cohort* of its ``shipped_on`` day (``cohort_activated``);
- **returned**: a shipped (not activated) unit stops being held (a return, a void, a
  removal): on the day of the change, and in its cohort (``cohort_returned``);
- **unshipped**: a shipped unit's shipment is cancelled (its last history event is the
  catalog's ``unshipped``): it never was shipped, so it comes off ``shipped`` on its
  ``shipped_on`` day (the day and the cohort are the same item) and off the dealer's totals;
  no counter of its own, and not a return.

The counters live in one item per day (``day#<yyyy-mm-dd>``) and one item per dealer of
all-time totals (``totals#<dealer>``): a cohort day's units still awaiting activation are its
``shipped − cohort_activated − cohort_returned``, so the ageing buckets read the last 91 days
and the totals, never the units.

>>> from datetime import date
>>> change = FunnelChange(ACTIVATED, "d_1", "AC-9", date(2026, 11, 2), date(2026, 12, 1))
>>> [(b.item, b.counter) for b in change.bumps()]
[('day#2026-12-01', 'activated#d_1#AC-9'), ('day#2026-11-02', 'cohort_activated#d_1#AC-9'), \
('totals#d_1', 'activated#AC-9')]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.platform.rollups import Bump

SHIPPED = "shipped"
ACTIVATED = "activated"
RETURNED = "returned"
UNSHIPPED = "unshipped"  # a cancelled shipment: counted as ``shipped`` −1, never stored as such
KINDS = (SHIPPED, ACTIVATED, RETURNED)
# the history event ``catalog.unit_shipping`` writes when a shipment is cancelled (a return
# writes ``returned``)
CANCELLED_EVENT = "unshipped"
COHORT_ACTIVATED = "cohort_activated"
COHORT_RETURNED = "cohort_returned"
_COHORT = {ACTIVATED: COHORT_ACTIVATED, RETURNED: COHORT_RETURNED}
_HELD = (UnitStatus.SHIPPED, UnitStatus.ACTIVATED)
TOTALS_PREFIX = "totals#"


def day_item(day: date) -> str:
    return f"day#{day.isoformat()}"


def totals_item(dealer_id: str) -> str:
    return f"{TOTALS_PREFIX}{dealer_id}"


def pair_counter(kind: str, dealer_id: str, model_code: str) -> str:
    """A day item's counter: ``shipped#d_1#AC-9``, ``cohort_returned#d_1#AC-9``…"""
    return f"{kind}#{dealer_id}#{model_code}"


@dataclass(frozen=True)
class FunnelChange:
    """One counted change of one unit: ``kind`` on ``on`` (the day it happened) for a unit of
    ``model_code`` shipped to ``dealer_id`` on ``shipped_on`` (its cohort)."""

    kind: str
    dealer_id: str
    model_code: str
    shipped_on: date
    on: date

    def bumps(self) -> tuple[Bump, ...]:
        if self.kind == UNSHIPPED:  # the shipment is undone: its day (the cohort) and totals
            counter = pair_counter(SHIPPED, self.dealer_id, self.model_code)
            return (
                Bump(day_item(self.shipped_on), counter, -1),
                Bump(totals_item(self.dealer_id), f"{SHIPPED}#{self.model_code}", -1),
            )
        day = Bump(day_item(self.on), pair_counter(self.kind, self.dealer_id, self.model_code))
        total = Bump(totals_item(self.dealer_id), f"{self.kind}#{self.model_code}")
        cohort = _COHORT.get(self.kind)
        if cohort is None:  # shipped: its day is its cohort
            return (day, total)
        in_cohort = pair_counter(cohort, self.dealer_id, self.model_code)
        return (day, Bump(day_item(self.shipped_on), in_cohort), total)


def _holder(unit: Unit | None) -> tuple[str, str] | None:
    """(dealer, shipment) of a held unit, else ``None``."""
    if unit is None or not unit.dealer_id or unit.shipped_on is None:
        return None
    if unit.status not in _HELD:
        return None
    return (unit.dealer_id, unit.shipment_id)


def _change(kind: str, unit: Unit, on: date) -> FunnelChange:
    assert unit.shipped_on is not None  # a held unit
    return FunnelChange(kind, unit.dealer_id, unit.model_code, unit.shipped_on, on)


def _cancelled(unit: Unit | None) -> bool:
    """Whether ``unit`` was just taken back by a cancelled shipment (not returned)."""
    return unit is not None and bool(unit.history) and unit.history[-1].event == CANCELLED_EVENT


def unit_changes(
    old: Unit | None, new: Unit | None, *, activated_on: date | None, today: date
) -> list[FunnelChange]:
    """What one write of a unit (``old`` → ``new``; ``None`` = absent) changes in the funnel.
    ``activated_on``: the Vietnamese day of ``new``'s activation; ``today``: the day of the
    change (a return's day).

    >>> from datetime import date
    >>> d = date(2026, 12, 1)
    >>> before = Unit("SN-1", "AC-9", UnitStatus.REGISTERED)
    >>> after = Unit("SN-1", "AC-9", UnitStatus.SHIPPED, shipped_on=d, dealer_id="d_1",
    ...              shipment_id="s_1")
    >>> [c.kind for c in unit_changes(before, after, activated_on=None, today=d)]
    ['shipped']
    >>> [c.kind for c in unit_changes(after, before, activated_on=None, today=d)]
    ['returned']
    >>> from chalicelib.catalog.model import HistoryEvent
    >>> from datetime import datetime
    >>> cancel = HistoryEvent(datetime(2026, 12, 2), "unshipped", "staff", "s_1")
    >>> undone = Unit("SN-1", "AC-9", UnitStatus.REGISTERED, history=(cancel,))
    >>> [c.kind for c in unit_changes(after, undone, activated_on=None, today=d)]
    ['unshipped']
    >>> unit_changes(after, after, activated_on=None, today=d)
    []
    """
    was, now = _holder(old), _holder(new)
    changes: list[FunnelChange] = []
    if was is not None and was != now and old is not None and old.status is UnitStatus.SHIPPED:
        changes.append(_change(UNSHIPPED if _cancelled(new) else RETURNED, old, today))
    if now is not None and now != was and new is not None:
        changes.append(_change(SHIPPED, new, new.shipped_on or today))
    newly_activated = old is None or old.status is not UnitStatus.ACTIVATED
    if (
        now is not None
        and new is not None
        and new.status is UnitStatus.ACTIVATED
        and newly_activated
    ):
        changes.append(_change(ACTIVATED, new, activated_on or today))
    return changes


@dataclass(frozen=True)
class FunnelEvent:
    """A stream record's contribution, counted once for ``event_id`` (the record's id, the
    same on every redelivery)."""

    event_id: str
    changes: tuple[FunnelChange, ...]

    def bumps(self) -> list[Bump]:
        return [bump for change in self.changes for bump in change.bumps()]


@dataclass(frozen=True)
class FunnelCounters:
    """Counters as stored: each day's item and each dealer's totals (``{}`` when absent)."""

    days: dict[date, dict[str, int]]
    totals: dict[str, dict[str, int]]
    reads: int = 0  # the BatchGetItem calls it took
