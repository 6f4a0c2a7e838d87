"""The funnel as staff read it: shipped vs activated per dealer, model and month, the activation
rate, and the ageing of units not yet activated. Pure: the counters come through a port.

Reads are bounded by days and dealers, never by units: the period's days and the last 91
(one ``BatchGetItem`` per 100 keys, with one totals key per dealer shown).

**Net shipped** is what the screen and the Excel call shipped: the units shipped in the period
less those of them returned since (``shipped − cohort_returned``; a cancelled shipment was never
shipped at all, see :mod:`chalicelib.dealers.funnel`), the returns shown apart. The
**activation rate** is the cohort's: of the units net shipped in a month, the share activated
since, whenever the activation came. **Ageing** counts the units
still awaiting activation by the age of their shipment: 0–30 days and 31–90 days from the last
91 days' cohorts, over 90 days as what the dealer's totals leave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from chalicelib.dealers.funnel import (
    ACTIVATED,
    COHORT_ACTIVATED,
    COHORT_RETURNED,
    RETURNED,
    SHIPPED,
    FunnelCounters,
)

MAX_MONTHS = 24
DEFAULT_MONTHS = 6
AGEING_DAYS = 91  # ages 0…90: the two bounded buckets
RECENT, MIDDLE = 30, 90  # 0–30, 31–90, over 90


class FunnelCounterReader(Protocol):
    def read(self, days: Sequence[date], dealer_ids: Sequence[str]) -> FunnelCounters: ...


@dataclass(frozen=True)
class FunnelQuery:
    months: int = DEFAULT_MONTHS
    dealer_id: str | None = None
    model_code: str | None = None


@dataclass
class Tally:
    """Counts of one cell: shipped, activated and returned in it, and of its shipping cohort
    the units activated (``cohort_activated``) and returned (``cohort_returned``) since."""

    shipped: int = 0
    activated: int = 0
    returned: int = 0
    cohort_activated: int = 0
    cohort_returned: int = 0

    def add(self, kind: str, n: int) -> None:
        setattr(self, kind, getattr(self, kind) + n)

    @property
    def net_shipped(self) -> int:
        """The units shipped in the cell and still with the dealer or activated:
        ``shipped − cohort_returned``.

        >>> Tally(shipped=5, cohort_returned=2).net_shipped
        3
        """
        return max(0, self.shipped - self.cohort_returned)

    @property
    def activation_rate(self) -> float | None:
        """``cohort_activated / net_shipped``; ``None`` when nothing stayed.

        >>> Tally(shipped=5, cohort_activated=2, cohort_returned=1).activation_rate
        0.5
        """
        kept = self.net_shipped
        return None if kept <= 0 else round(self.cohort_activated / kept, 4)

    def merged(self, other: Tally) -> Tally:
        return Tally(
            self.shipped + other.shipped,
            self.activated + other.activated,
            self.returned + other.returned,
            self.cohort_activated + other.cohort_activated,
            self.cohort_returned + other.cohort_returned,
        )


@dataclass(frozen=True)
class Ageing:
    days_0_30: int = 0
    days_31_90: int = 0
    over_90: int = 0

    def merged(self, other: Ageing) -> Ageing:
        return Ageing(
            self.days_0_30 + other.days_0_30,
            self.days_31_90 + other.days_31_90,
            self.over_90 + other.over_90,
        )


@dataclass(frozen=True)
class FunnelRow:
    month: str  # YYYY-MM
    dealer_id: str
    model_code: str
    tally: Tally


@dataclass(frozen=True)
class DealerFunnel:
    dealer_id: str
    tally: Tally  # over the period
    ageing: Ageing  # now, whatever the period


@dataclass(frozen=True)
class Funnel:
    today: date
    query: FunnelQuery
    months: list[str]  # oldest first
    rows: list[FunnelRow]  # month, dealer, model with anything in the period
    by_month: list[tuple[str, Tally]]
    dealers: list[DealerFunnel]  # dealers with anything in the period or awaiting
    total: Tally
    ageing: Ageing
    model_codes: list[str] = field(default_factory=list)
    reads: int = 0  # the counters' BatchGetItem calls


def period_months(today: date, months: int) -> list[str]:
    """The ``months`` calendar months ending with ``today``'s, oldest first.

    >>> period_months(date(2026, 2, 10), 3)
    ['2025-12', '2026-01', '2026-02']
    """
    year, month = today.year, today.month
    found = []
    for _ in range(months):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def period_days(today: date, months: int) -> list[date]:
    """Every day from the first of the period's first month to ``today``."""
    first = date.fromisoformat(f"{period_months(today, months)[0]}-01")
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def days_read(today: date, months: int) -> list[date]:
    """The day items the funnel reads: the period's days and the last 91 (for the ageing)."""
    ageing = {today - timedelta(days=age) for age in range(AGEING_DAYS)}
    return sorted(set(period_days(today, months)) | ageing)


def _pairs(counters: dict[str, int]) -> Iterable[tuple[str, str, str, int]]:
    """``shipped#d_1#AC-9`` → (``shipped``, ``d_1``, ``AC-9``, n); other names skipped."""
    for name, n in counters.items():
        parts = name.split("#", 2)
        if len(parts) == 3 and n:
            yield parts[0], parts[1], parts[2], n


def _wanted(query: FunnelQuery, dealer_id: str, model_code: str) -> bool:
    return (query.dealer_id in (None, dealer_id)) and (query.model_code in (None, model_code))


def _ageing(
    today: date, counters: FunnelCounters, query: FunnelQuery, dealer_ids: Sequence[str]
) -> dict[str, Ageing]:
    recent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for age in range(AGEING_DAYS):
        for kind, dealer, model, n in _pairs(counters.days.get(today - timedelta(days=age), {})):
            if not _wanted(query, dealer, model):
                continue
            sign = {SHIPPED: 1, COHORT_ACTIVATED: -1, COHORT_RETURNED: -1}.get(kind, 0)
            recent[dealer][0 if age <= RECENT else 1] += sign * n
    found: dict[str, Ageing] = {}
    for dealer in dealer_ids:
        awaiting = 0
        for name, n in counters.totals.get(dealer, {}).items():
            kind, _, model = name.partition("#")
            if _wanted(query, dealer, model):
                awaiting += n if kind == SHIPPED else -n if kind in (ACTIVATED, RETURNED) else 0
        first, second = (max(0, n) for n in recent[dealer])
        found[dealer] = Ageing(first, second, max(0, awaiting - first - second))
    return found


def build_funnel(
    today: date, query: FunnelQuery, *, dealer_ids: Sequence[str], counters: FunnelCounterReader
) -> Funnel:
    """The funnel for the period ending ``today`` (the Vietnamese day). ``dealer_ids``: the
    dealers whose totals are read (the ageing over 90 days), already narrowed to the
    query's dealer."""
    found = counters.read(days_read(today, query.months), dealer_ids)
    months = period_months(today, query.months)
    first = date.fromisoformat(f"{months[0]}-01")
    cells: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    for day, day_counters in found.days.items():
        if day < first:
            continue
        for kind, dealer, model, n in _pairs(day_counters):
            if _wanted(query, dealer, model):
                cells[(day.strftime("%Y-%m"), dealer, model)].add(kind, n)
    rows = [FunnelRow(m, d, c, t) for (m, d, c), t in sorted(cells.items())]
    by_month = {month: Tally() for month in months}
    by_dealer: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        by_month[row.month] = by_month[row.month].merged(row.tally)
        by_dealer[row.dealer_id] = by_dealer[row.dealer_id].merged(row.tally)
    ageing = _ageing(today, found, query, dealer_ids)
    shown = set(by_dealer) | {d for d, a in ageing.items() if a != Ageing()}
    dealers = [
        DealerFunnel(d, by_dealer.get(d, Tally()), ageing.get(d, Ageing())) for d in sorted(shown)
    ]
    total = Tally()
    for tally in by_month.values():
        total = total.merged(tally)
    overall = Ageing()
    for shown_dealer in dealers:
        overall = overall.merged(shown_dealer.ageing)
    return Funnel(
        today=today,
        query=query,
        months=months,
        rows=rows,
        by_month=list(by_month.items()),
        dealers=dealers,
        total=total,
        ageing=overall,
        model_codes=sorted({row.model_code for row in rows}),
        reads=found.reads,
    )
