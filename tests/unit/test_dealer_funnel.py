"""The funnel's rules without I/O: which writes of a unit count as shipped, activated or
returned, and how the report derives rates and ageing from the counters (a fake reader)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.dealers.funnel import (
    ACTIVATED,
    RETURNED,
    SHIPPED,
    FunnelChange,
    FunnelCounters,
    FunnelEvent,
    tally,
    unit_changes,
)
from chalicelib.dealers.funnel_report import FunnelQuery, build_funnel, days_read

TODAY = date(2026, 12, 2)
REGISTERED = Unit("SN-1", "AC-9", UnitStatus.REGISTERED)
SHIPPED_UNIT = replace(
    REGISTERED,
    status=UnitStatus.SHIPPED,
    dealer_id="d_1",
    shipment_id="s_1",
    shipped_on=TODAY - timedelta(days=40),
)


def kinds(old: Unit | None, new: Unit | None) -> list[tuple[str, str]]:
    return [(c.kind, c.dealer_id) for c in unit_changes(old, new, activated_on=TODAY, today=TODAY)]


def test_a_shipped_unit_activated_counts_once_in_its_cohort() -> None:
    activated = replace(SHIPPED_UNIT, status=UnitStatus.ACTIVATED)

    [change] = unit_changes(SHIPPED_UNIT, activated, activated_on=TODAY, today=TODAY)

    assert (change.kind, change.on, change.shipped_on) == (
        ACTIVATED,
        TODAY,
        SHIPPED_UNIT.shipped_on,
    )
    assert kinds(activated, activated) == []  # a later edit of the activated unit


def test_a_return_a_void_and_a_removal_of_a_shipped_unit_are_returns() -> None:
    void = replace(SHIPPED_UNIT, status=UnitStatus.VOID)

    assert kinds(SHIPPED_UNIT, REGISTERED) == [(RETURNED, "d_1")]
    assert kinds(SHIPPED_UNIT, void) == [(RETURNED, "d_1")]
    assert kinds(SHIPPED_UNIT, None) == [(RETURNED, "d_1")]


def test_a_unit_moved_to_another_dealer_is_returned_by_one_and_shipped_to_the_other() -> None:
    moved = replace(SHIPPED_UNIT, dealer_id="d_2", shipment_id="s_2", shipped_on=TODAY)

    assert kinds(SHIPPED_UNIT, moved) == [(RETURNED, "d_1"), (SHIPPED, "d_2")]


def test_units_never_shipped_count_nothing() -> None:
    activated = replace(REGISTERED, status=UnitStatus.ACTIVATED)

    assert kinds(REGISTERED, activated) == []
    assert kinds(None, REGISTERED) == []


class FakeCounters:
    """Counters as the store holds them, built from changes (what the stream would write)."""

    def __init__(self, changes: list[FunnelChange]) -> None:
        self.items = tally([FunnelEvent(str(i), (c,)) for i, c in enumerate(changes)])
        self.asked: list[date] = []

    def read(self, days: Sequence[date], dealer_ids: Sequence[str]) -> FunnelCounters:
        self.asked = list(days)
        empty: Counter[str] = Counter()
        return FunnelCounters(
            days={d: dict(self.items.get(f"day#{d.isoformat()}", empty)) for d in days},
            totals={d: dict(self.items.get(f"totals#{d}", empty)) for d in dealer_ids},
            reads=1,
        )


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def shipped(dealer: str, model: str, age: int) -> FunnelChange:
    return FunnelChange(SHIPPED, dealer, model, ago(age), ago(age))


def test_rates_follow_the_cohort_and_ageing_has_three_buckets() -> None:
    changes = [
        *(shipped("d_1", "AC-9", 10) for _ in range(4)),  # 0–30: 4, one activated
        *(shipped("d_1", "AC-9", 60) for _ in range(2)),  # 31–90: 2, one returned
        *(shipped("d_1", "LK-1", 200) for _ in range(3)),  # over 90, outside a 6-month period
        FunnelChange(ACTIVATED, "d_1", "AC-9", ago(10), ago(2)),
        FunnelChange(RETURNED, "d_1", "AC-9", ago(60), ago(5)),
    ]
    counters = FakeCounters(changes)

    funnel = build_funnel(TODAY, FunnelQuery(months=6), dealer_ids=["d_1"], counters=counters)
    one_model = build_funnel(
        TODAY, FunnelQuery(months=6, model_code="AC-9"), dealer_ids=["d_1"], counters=counters
    )

    assert (funnel.total.shipped, funnel.total.activated, funnel.total.returned) == (6, 1, 1)
    assert funnel.total.activation_rate == round(1 / 5, 4)  # of the 5 units kept
    [dealer] = funnel.dealers
    assert (dealer.ageing.days_0_30, dealer.ageing.days_31_90, dealer.ageing.over_90) == (3, 1, 3)
    assert one_model.ageing.over_90 == 0  # the old units are LK-1
    assert counters.asked == days_read(TODAY, 6)
