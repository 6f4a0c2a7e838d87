"""The warranty reports' counting and reading without I/O: which change of a request counts
what (a repeat, a reopening, a first-time fix, its money), and the reports summed from items
by month and dimension, filtered, with the units in the field at the period's end."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from chalicelib.claims.model import CostLine
from chalicelib.claims.states import ClaimState
from chalicelib.platform.rollups import Bump
from chalicelib.reports import figures
from chalicelib.reports.changes import claim_bumps, last_work_end
from chalicelib.reports.facts import Dims, counter, day_item
from tests.support.claims import T0, claim_in

HUE = Dims("AC-9", "d_1", "Huế", "portal")


def named(bumps: list[Bump]) -> Counter[str]:
    found: Counter[str] = Counter()
    for bump in bumps:
        found[f"{bump.item} {bump.counter.split('|')[0]}"] += bump.n
    return found


def test_a_new_request_soon_after_the_units_last_work_is_a_repeat() -> None:
    earlier = replace(claim_in(ClaimState.CLOSED), claim_id="SR-00000001", state_since=T0)
    again = replace(
        claim_in(ClaimState.NEW), claim_id="SR-00000002", created_at=T0 + timedelta(days=20)
    )
    ended = last_work_end(again, [earlier, again])

    bumps = named(claim_bumps(None, again, dealer="d_1", work_ended=ended))

    day = day_item("claim", date(2026, 3, 22))
    assert bumps == Counter({f"{day} opened": 1, f"{day} repeat_90": 1, f"{day} repeat_30": 1})
    later = replace(again, created_at=T0 + timedelta(days=60))
    assert "repeat_30" not in str(claim_bumps(None, later, dealer="", work_ended=ended))


def test_a_fix_straight_from_diagnosis_is_a_first_time_fix_and_money_counts_once() -> None:
    diagnosing = claim_in(ClaimState.DIAGNOSING)
    at = T0 + timedelta(hours=30)
    part = CostLine("l1", "part", "Board", 800_000, "warranty", "an", at, part_code="PCB-9")
    paid = CostLine("l2", "revenue", "Fee", 200_000, "customer", "an", at)
    repaired = replace(
        diagnosing, state=ClaimState.REPAIRED, state_since=at, costs=(part, paid), version=9
    )
    again = replace(repaired, version=10)  # a later write: nothing new

    bumps = claim_bumps(diagnosing, repaired, dealer="d_1", work_ended=None)

    resolved = {b.counter.split("|")[0]: b.n for b in bumps if b.item.startswith("claim#")}
    assert resolved == {
        "resolved": 1, "resolved:repaired": 1, "repair_hours": 30, "first_fix": 1
    }  # fmt: skip
    money = {b.counter.split("|")[0]: b.n for b in bumps if b.item.startswith("cost#")}
    assert money == {
        "cost:warranty": 800_000, "part_qty:PCB-9": 1, "part_vnd:PCB-9": 800_000,
        "revenue": 200_000,
    }  # fmt: skip
    assert claim_bumps(repaired, again, dealer="d_1", work_ended=None) == []
    waited = replace(diagnosing, state=ClaimState.REPAIRING)
    assert "first_fix" not in str(claim_bumps(waited, repaired, dealer="", work_ended=None))


def test_a_reopening_counts_as_a_repeat_within_its_days() -> None:
    returned = replace(claim_in(ClaimState.RETURNED), state_since=T0)
    reopened = replace(
        returned, state=ClaimState.REOPENED, state_since=T0 + timedelta(days=5), reopen_count=1
    )

    bumps = named(claim_bumps(returned, reopened, dealer="", work_ended=None))

    assert sorted(name.split(" ")[1] for name in bumps) == ["reopened", "repeat_30", "repeat_90"]


def items_of(*entries: tuple[str, str, Dims, int]) -> dict[str, dict[str, int]]:
    items: dict[str, dict[str, int]] = {}
    for item, measure, dims, n in entries:
        items.setdefault(item, {})[counter(measure, dims)] = n
    return items


def test_the_claims_report_divides_by_the_units_in_the_field_at_the_periods_end() -> None:
    nov = date(2026, 11, 10)
    lock = Dims("LOCK-1", "", "Hà Nội", "web")
    items = items_of(
        ("totals", "field", Dims("AC-9", "d_1", "Huế", "web"), 2_500),
        ("totals", "field", lock, 40),
        (day_item("act", date(2026, 12, 2)), "act", Dims("AC-9", "d_1", "Huế", "web"), 500),
        (day_item("claim", nov), "opened", HUE, 4),
        (day_item("claim", nov), "resolved", HUE, 2),
        (day_item("claim", nov), "resolved:no_fault_found", HUE, 1),
        (day_item("cost", nov), "cost:warranty", HUE, 1_000_000),
        (day_item("claim", nov), "opened", Dims("LOCK-1", "", "Hà Nội", "zalo"), 1),
    )
    query = figures.ReportQuery("2026-10", "2026-11")

    report = figures.claims(query, items, today=date(2026, 12, 3))

    by_model = {r["model"]: r for r in report.tables[1].rows}
    assert (by_model["AC-9"]["field_units"], by_model["AC-9"]["claims_per_1000"]) == (2_000, 2.0)
    assert (by_model["AC-9"]["no_fault_found_rate"], by_model["AC-9"]["cost_per_claim_vnd"]) == (
        0.5, 500_000
    )  # fmt: skip
    assert by_model["LOCK-1"]["claims_per_1000"] == 25.0
    assert [m["opened"] for m in report.tables[0].rows] == [0, 5]
    in_hue = figures.claims(replace(query, wanted=Dims(province="Huế")), items, date(2026, 12, 3))
    assert (in_hue.totals["opened"], in_hue.totals["field_units"]) == (4, 2_000)


def test_a_period_is_in_order_at_most_two_years_and_not_older_than_three() -> None:
    today = datetime(2026, 12, 3, tzinfo=UTC).date()
    figures.check_period("2025-01", "2026-12", today)
    for first, last, code in (
        ("2026-12", "2026-11", "report_period_invalid"),
        ("2026-12", "2027-01", "report_period_invalid"),
        ("2024-12", "2026-12", "report_period_too_long"),
        ("2023-12", "2024-01", "report_period_too_old"),
    ):
        try:
            figures.check_period(first, last, today)
        except figures.Invalid as refused:
            assert refused.fields[0].code == code
        else:
            raise AssertionError(f"{first}–{last} passed")
