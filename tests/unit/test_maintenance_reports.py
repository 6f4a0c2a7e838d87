"""The maintenance reports' sums: months over a year's end, a visit counted in the month it was
done (not booked), parts issued to tickets and claims less what came back at each movement's
own cost, services per model and component."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.maintenance import reports
from chalicelib.maintenance.parts import Movement, MovementKind, Part
from chalicelib.maintenance.tickets import PartUse, TicketStatus
from tests.unit.test_maintenance_tickets import ticket

AT = datetime(2027, 1, 10, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [("2026-11", "2027-02", 4), ("2027-02", "2027-02", 1), ("2026-01", "2026-12", 12)],
)
def test_months_run_over_a_year_s_end(first: str, last: str, count: int) -> None:
    months = reports.months_between(first, last)

    assert (len(months), months[0], months[-1]) == (count, first, last)


@pytest.mark.parametrize(("first", "last"), [("2026-01", "2027-01"), ("2027-03", "2027-02")])
def test_a_span_over_twelve_months_or_backwards_is_refused(first: str, last: str) -> None:
    with pytest.raises(Invalid) as refused:
        reports.months_between(first, last)

    assert [f.code for f in refused.value.fields] == ["maintenance_report_span"]


@pytest.mark.parametrize(
    ("last", "day"), [("2028-02", date(2028, 2, 29)), ("2027-02", date(2027, 2, 28))]
)
def test_a_span_ends_on_its_last_month_s_last_day(last: str, day: date) -> None:
    assert reports.span_of("2027-01", last) == (date(2027, 1, 1), day)


def test_a_visit_counts_in_the_month_it_was_done() -> None:
    late = replace(ticket(), status=TicketStatus.DONE, done_on=date(2027, 2, 1))  # booked 20 Feb
    early = replace(ticket(), status=TicketStatus.DONE, done_on=date(2027, 1, 31))
    open_one = ticket()

    done = reports.done_within([late, early, open_one], date(2027, 2, 1), date(2027, 2, 28))
    months = reports.by_month(["2027-01", "2027-02"], done, {}, {"2027-01": True})

    assert done == [late]
    assert [(m.month, m.visits, m.closed) for m in months] == [
        ("2027-01", 0, True), ("2027-02", 1, False)
    ]  # fmt: skip


def move(kind: MovementKind, qty: int, cost: int, ticket_id: str | None = None,
         claim_id: str | None = None) -> Movement:  # fmt: skip
    return Movement("mv", kind, "LOC-01", qty, "KHO", None, AT, ticket_id=ticket_id,
                    unit_cost_vnd=cost, claim_id=claim_id)  # fmt: skip


def test_a_part_s_usage_is_issued_less_returned_at_each_movement_s_cost() -> None:
    part = Part("LOC-01", "Lõi lọc", "Filter", "cái", cost_vnd=45_000, price_vnd=90_000)
    movements = [
        move(MovementKind.RECEIPT, 20, 38_000),  # bought in: not usage
        move(MovementKind.ISSUE, 2, 40_000, ticket_id="MT-1"),
        move(MovementKind.ISSUE, 1, 42_000, claim_id="SR-1"),
        move(MovementKind.RETURN, 1, 40_000, ticket_id="MT-1"),
        move(MovementKind.TRANSFER, 3, 0),
    ]

    [figures] = reports.by_part([part], movements)

    assert (figures.issued, figures.returned, figures.used) == (3, 1, 2)
    assert figures.cost_vnd == 2 * 40_000 + 42_000 - 40_000
    assert (figures.tickets, figures.claims, figures.name_en) == (1, 1, "Filter")


def test_services_are_counted_per_model_and_component() -> None:
    use = PartUse("LOC-01", "Lõi lọc", "cái", 2, 90_000, 40_000, "VAN")
    done = replace(ticket(price=150_000), status=TicketStatus.DONE, done_on=date(2027, 2, 20))
    with_part = replace(done, parts=(use,))
    other = replace(done, model_code="AC-12")

    figures = reports.by_product([done, with_part, other])

    assert [(f.model_code, f.component_code, f.visits, f.amount_vnd, f.parts) for f in figures] == [
        ("AC-9", "LOC-BUI", 2, 150_000 * 2 + 180_000, 2), ("AC-12", "LOC-BUI", 1, 150_000, 0)
    ]  # fmt: skip
