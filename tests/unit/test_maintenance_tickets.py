"""A maintenance ticket's rules as tables: who may make each move in which status, what a
completion needs (the checklist, the customer's confirmation, the payment when something is
owed), and what a completed or cancelled visit does to the unit's line (the next visit on a
fixed or floating rhythm; open again, waiting or overdue)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.core.errors import Conflict, Forbidden, Invalid
from chalicelib.maintenance import tickets as rules
from chalicelib.maintenance.lines import Booking, DayPart, PlanLine, Stage, reopened, visited
from chalicelib.maintenance.model import PlanComponent
from chalicelib.maintenance.schedule import Cycle, Rhythm
from chalicelib.maintenance.tickets import (
    Customer,
    Payment,
    PaymentMethod,
    Role,
    Source,
    Ticket,
    TicketStatus,
    Work,
)

AT = datetime(2027, 2, 20, 3, 0, tzinfo=UTC)
TODAY = date(2027, 2, 20)


def component(price: int = 0, checks: tuple[str, ...] = ("Tháo lưới", "Rửa lưới")) -> PlanComponent:
    return PlanComponent(
        code="LOC-BUI", name="Lưới lọc bụi", name_en="Dust filter", cycle=Cycle(months=1),
        first_offset=Cycle(months=1), lead_days=3, rhythm=Rhythm.FIXED, price_vnd=price,
        checklist=checks,
    )  # fmt: skip


def ticket(price: int = 0, status: TicketStatus = TicketStatus.ASSIGNED) -> Ticket:
    made, _ = rules.new_ticket(
        ticket_id="MT-2KJY2THT", serial="GAR1", model_code="AC-9", component=component(price),
        occurrence=1, source=Source.BOOKING, customer=Customer("An", "+84912345678"),
        slot=Booking(TODAY, DayPart.MORNING), by="customer", at=AT,
    )  # fmt: skip
    return replace(made, status=status, assignee_key="tech#an", assignee_name="an")


def line(rhythm: Rhythm, stage: Stage = Stage.BOOKED, due: date = date(2027, 2, 24)) -> PlanLine:
    return PlanLine(
        serial="GAR1", component=replace(component(), rhythm=rhythm), model_code="AC-9",
        plan_version=1, anchor=date(2027, 1, 24), occurrence=1, due=due, stage=stage,
        timer=None, booking=Booking(TODAY, DayPart.MORNING),
    )  # fmt: skip


def missing(error: Invalid) -> set[str]:
    return {f.field for f in error.fields}


@pytest.mark.parametrize(
    ("price", "labour", "work", "wanting"),
    [
        # nothing recorded: every check, the confirmation (free: no payment)
        (0, 0, Work(), {"checked", "confirmed_by"}),
        # a paid component: its payment too
        (150_000, 0, Work(), {"checked", "confirmed_by", "payment"}),
        # a free component with labour: owed, so paid
        (0, 50_000, Work(checked=(True, True), confirmed_by="An"), {"payment"}),
        # ticked but one
        (0, 0, Work(checked=(True, False), confirmed_by="An"), {"checked"}),
    ],
)
def test_a_ticket_is_done_only_with_what_the_visit_needs(
    price: int, labour: int, work: Work, wanting: set[str]
) -> None:
    worked, _ = rules.record_work(
        replace(ticket(price), labour_vnd=labour), work, role=Role.ASSIGNEE, by="an", at=AT
    )

    with pytest.raises(Invalid) as refused:
        rules.complete(worked, TODAY, role=Role.ASSIGNEE, by="an", at=AT)

    assert refused.value.code == "maintenance_ticket_incomplete"
    assert missing(refused.value) == wanting


def test_a_complete_record_closes_it_on_the_day() -> None:
    paid = Payment(150_000, PaymentMethod.TRANSFER, "tech#an")
    work = Work(checked=(True, True), confirmed_by="Chị Lan", payment=paid)
    worked, _ = rules.record_work(ticket(150_000), work, role=Role.ASSIGNEE, by="an", at=AT)

    done, change = rules.complete(worked, TODAY, role=Role.ASSIGNEE, by="an", at=AT)

    assert (done.status, done.done_on, done.version) == (TicketStatus.DONE, TODAY, 3)
    assert (change.seq, change.status_from, change.status_to) == (
        3, TicketStatus.ASSIGNED, TicketStatus.DONE
    )  # fmt: skip


@pytest.mark.parametrize(
    ("move", "role", "status", "error", "code"),
    [
        (lambda t, r: rules.assign(t, "tech#binh", "binh", role=r, by="x", at=AT),
         Role.ASSIGNEE, TicketStatus.ASSIGNED, Forbidden, "maintenance_ticket_forbidden"),
        (lambda t, r: rules.cancel(t, "vắng nhà", role=r, by="x", at=AT),
         None, TicketStatus.ASSIGNED, Forbidden, "maintenance_ticket_forbidden"),
        (lambda t, r: rules.start(t, role=r, by="x", at=AT),
         Role.DESK, TicketStatus.NEW, Conflict, "maintenance_ticket_not_assigned"),
        (lambda t, r: rules.record_work(t, Work(checked=(True,)), role=r, by="x", at=AT),
         Role.ASSIGNEE, TicketStatus.STARTED, Invalid, "invalid_input"),
        (lambda t, r: rules.start(t, role=r, by="x", at=AT),
         Role.DESK, TicketStatus.DONE, Conflict, "maintenance_ticket_closed"),
        (lambda t, r: rules.assign(t, "tech#an", "an", role=r, by="x", at=AT),
         Role.DESK, TicketStatus.ASSIGNED, Conflict, "maintenance_ticket_same_assignee"),
        (lambda t, r: rules.reschedule(t, Booking(date(2027, 2, 19), DayPart.MORNING), TODAY,
                                       role=r, by="x", at=AT),
         Role.DESK, TicketStatus.ASSIGNED, Invalid, "invalid_input"),
    ],
)  # fmt: skip
def test_moves_are_refused_to_the_wrong_caller_or_in_the_wrong_status(
    move: object, role: Role | None, status: TicketStatus, error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as refused:
        move(ticket(status=status), role)  # type: ignore[operator]

    assert getattr(refused.value, "code", None) == code


@pytest.mark.parametrize(
    ("rhythm", "done_on", "next_due", "timer"),
    [
        # fixed: the anchor's rhythm, whenever the visit was done (24th of each month)
        (Rhythm.FIXED, date(2027, 2, 20), date(2027, 3, 24), date(2027, 3, 21)),
        # floating: one month from the visit
        (Rhythm.FLOATING, date(2027, 2, 20), date(2027, 3, 20), date(2027, 3, 17)),
        # a fixed visit done very late: the next reminder's day is past, so tomorrow
        (Rhythm.FIXED, date(2027, 3, 23), date(2027, 3, 24), date(2027, 3, 24)),
    ],
)
def test_a_visit_done_moves_the_line_to_its_next_occurrence(
    rhythm: Rhythm, done_on: date, next_due: date, timer: date
) -> None:
    after = visited(line(rhythm), 1, done_on, done_on)

    assert after is not None
    assert (after.occurrence, after.due, after.timer, after.stage, after.booking) == (
        2, next_due, timer, Stage.WAITING, None
    )  # fmt: skip
    assert visited(after, 1, done_on, done_on) is None  # seen twice: nothing to move


@pytest.mark.parametrize(
    ("due", "stage", "timer"),
    [
        (date(2027, 2, 24), Stage.WAITING, date(2027, 2, 21)),  # before its day: reminded again
        (date(2027, 2, 20), Stage.OVERDUE, None),  # its day is here: the digest lists it
    ],
)
def test_a_cancelled_visit_opens_again(due: date, stage: Stage, timer: date | None) -> None:
    after = reopened(line(Rhythm.FIXED, due=due), 1, TODAY)

    assert after is not None
    assert (after.stage, after.timer, after.booking, after.occurrence) == (stage, timer, None, 1)
    assert reopened(line(Rhythm.FIXED, Stage.WAITING), 1, TODAY) is None
