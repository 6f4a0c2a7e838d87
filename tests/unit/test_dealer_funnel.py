"""The funnel's rules without I/O: which writes of a unit count as shipped, activated or
returned, and how the report derives rates and ageing from the counters (a fake reader)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from chalicelib.catalog.model import HistoryEvent, Unit, UnitStatus
from chalicelib.dealers.funnel import (
    ACTIVATED,
    RETURNED,
    SHIPPED,
    UNSHIPPED,
    FunnelChange,
    FunnelCounters,
    FunnelEvent,
    unit_changes,
)
from chalicelib.dealers.funnel_rebuild import unit_events
from chalicelib.dealers.funnel_report import FunnelQuery, build_funnel, days_read
from chalicelib.platform.rollups import tally

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


def back(event: str) -> Unit:
    """The shipped unit brought back to ``registered`` with ``event`` last in its history."""
    at = datetime(2026, 12, 2, 3, tzinfo=UTC)
    return replace(REGISTERED, history=(HistoryEvent(at, event, "staff", "s_1"),))


def test_a_cancelled_shipment_takes_its_units_off_shipped_and_a_return_stays_a_return() -> None:
    [cancelled] = unit_changes(SHIPPED_UNIT, back("unshipped"), activated_on=None, today=TODAY)
    [returned] = unit_changes(SHIPPED_UNIT, back("returned"), activated_on=None, today=TODAY)

    assert cancelled.kind == UNSHIPPED
    assert returned.kind == RETURNED
    shipped_then_cancelled = tally(
        [FunnelEvent("1", (shipped("d_1", "AC-9", 40),)), FunnelEvent("2", (cancelled,))]
    )
    assert shipped_then_cancelled == {
        f"day#{ago(40).isoformat()}": Counter({"shipped#d_1#AC-9": 0}),
        "totals#d_1": Counter({"shipped#AC-9": 0}),
    }


def test_shipping_two_returning_one_and_cancelling_leaves_nothing_shipped_and_one_return() -> None:
    # Given 2 units shipped 40 days ago (and 3 others kept), one returned, the shipment cancelled
    kept = [shipped("d_1", "AC-9", 40) for _ in range(3)]
    undone = [
        shipped("d_1", "AC-9", 40),
        shipped("d_1", "AC-9", 40),
        *unit_changes(SHIPPED_UNIT, back("returned"), activated_on=None, today=TODAY),
        *unit_changes(SHIPPED_UNIT, back("unshipped"), activated_on=None, today=TODAY),
    ]

    funnel = build_funnel(
        TODAY, FunnelQuery(months=6), dealer_ids=["d_1"], counters=FakeCounters(kept + undone)
    )

    # Then the cancelled unit was never shipped, the returned one shows apart, and the net
    # shipped is the rate's denominator
    total = funnel.total
    assert (total.shipped, total.returned, total.cohort_returned) == (4, 1, 1)
    assert total.net_shipped == 3
    assert total.activation_rate == 0.0
    assert funnel.ageing.days_31_90 == 3


def test_the_rebuild_counts_past_returns_from_the_history_and_no_cancellation() -> None:
    shipments = {"s_1": ("d_1", ago(40))}
    returned = replace(back("returned"), serial="SN-2")
    cancelled = replace(back("unshipped"), serial="SN-3")

    items = tally(unit_events([SHIPPED_UNIT, returned, cancelled], shipments.get))

    assert items[f"day#{ago(40).isoformat()}"] == Counter(
        {"shipped#d_1#AC-9": 2, "cohort_returned#d_1#AC-9": 1}
    )
    assert items[f"day#{TODAY.isoformat()}"] == Counter({"returned#d_1#AC-9": 1})
    assert items["totals#d_1"] == Counter({"shipped#AC-9": 2, "returned#AC-9": 1})


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
