"""When a unit's component is next due for maintenance, and when its customer is reminded. Pure:
no I/O, no clock (the caller passes the days).

A plan line starts on an **anchor** day (the unit's activation or installation day). Its cycle is
calendar months or days. The first service falls ``first_offset`` after the anchor (one cycle
when the plan names none), then every cycle:

- **fixed**: every due day is counted from the anchor (the n-th is ``anchor + offset + (n-1) ×
  cycle``), so the rhythm never drifts: a filter first due on 31 January is due again on 28 (or
  29) February and then on 31 March, not 28 March; servicing it late or early moves nothing.
- **floating**: the next due day is one cycle after the service actually done (a filter changed
  late is next changed one cycle after that).

Calendar months are real months (``catalog.warranty.add_months``: clamped to the month's end),
never 30 days. The reminder goes ``lead_days`` before the due day, never before the anchor.

>>> from datetime import date
>>> monthly = Cycle(months=1)
>>> [due_on(date(2027, 1, 31), monthly, monthly, n) for n in (1, 2, 3)]
[datetime.date(2027, 2, 28), datetime.date(2027, 3, 31), datetime.date(2027, 4, 30)]
>>> next_due(Rhythm.FLOATING, date(2027, 1, 31), monthly, monthly, 1, done_on=date(2027, 3, 5))
datetime.date(2027, 4, 5)
>>> remind_on(date(2027, 2, 28), lead_days=7, anchor=date(2027, 1, 31))
datetime.date(2027, 2, 21)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.catalog.warranty import add_months
from chalicelib.core.errors import FieldError, Invalid

MAX_MONTHS = 120  # a cycle of at most ten years
MAX_DAYS = 3660
MAX_LEAD_DAYS = 60


class Rhythm(StrEnum):
    FIXED = "fixed"  # due days on the anchor's rhythm, whenever the service was done
    FLOATING = "floating"  # the next due day counts from the service actually done


@dataclass(frozen=True)
class Cycle:
    """Every ``months`` calendar months, or every ``days`` days (exactly one of them)."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if (self.months > 0) == (self.days > 0) or self.months < 0 or self.days < 0:
            raise ValueError("a cycle is a number of months or a number of days")

    def after(self, day: date, times: int = 1) -> date:
        """``times`` cycles after ``day`` (calendar months clamped to the month's end)."""
        if self.months:
            return add_months(day, self.months * times)
        return day + timedelta(days=self.days * times)

    def __str__(self) -> str:
        return f"{self.months}m" if self.months else f"{self.days}d"


def parse_cycle(months: int | None, days: int | None, *, field: str) -> Cycle:
    """A cycle from a form's two numbers: exactly one of them, within bounds, else
    ``Invalid`` on ``field`` (``maintenance_cycle_invalid``)."""
    months, days = months or 0, days or 0
    if (months > 0) == (days > 0) or not 0 <= months <= MAX_MONTHS or not 0 <= days <= MAX_DAYS:
        raise Invalid(fields=[FieldError(field, "maintenance_cycle_invalid")])
    return Cycle(months=months, days=days)


def due_on(anchor: date, first_offset: Cycle, cycle: Cycle, occurrence: int) -> date:
    """The ``occurrence``-th due day (1: the first) on the anchor's fixed rhythm."""
    if occurrence < 1:
        raise ValueError("occurrences count from 1")
    first = first_offset.after(anchor)
    if occurrence == 1:
        return first
    if cycle.months and first_offset.months:
        # both in months: count every occurrence from the anchor, so a clamped month (28
        # February) never shortens the ones after it
        return add_months(anchor, first_offset.months + cycle.months * (occurrence - 1))
    return cycle.after(first, occurrence - 1)


def next_due(
    rhythm: Rhythm,
    anchor: date,
    first_offset: Cycle,
    cycle: Cycle,
    occurrence: int,
    *,
    done_on: date,
) -> date:
    """The due day of occurrence ``occurrence + 1`` once occurrence ``occurrence`` was done on
    ``done_on``: the anchor's rhythm (fixed), or one cycle after the service (floating)."""
    if rhythm is Rhythm.FIXED:
        return due_on(anchor, first_offset, cycle, occurrence + 1)
    return cycle.after(done_on)


def remind_on(due: date, *, lead_days: int, anchor: date) -> date:
    """The day the customer is reminded: ``lead_days`` before ``due``, never before ``anchor``."""
    if not 0 <= lead_days <= MAX_LEAD_DAYS:
        raise ValueError("lead days out of range")
    return max(due - timedelta(days=lead_days), anchor)
