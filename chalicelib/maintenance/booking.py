"""The customer's answer to a maintenance reminder (the portal's ``/m/<serial>/<component>``
page, opened from the message's signed link): book a slot (which opens the visit's ticket), put
the service off, or decline this one. Pure: the lines and tickets come as ports.

A link opens its own line only (its token an HMAC of the line's key): a wrong or made-up link is
``maintenance_not_found``, as a line that does not exist. Each answer is the line's conditional
write on the version it was read at: two answers at once, one wins, the other is told
(``maintenance_changed``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.maintenance import booking_link
from chalicelib.maintenance.lines import Booking, DayPart, PlanLine, decline, postpone
from chalicelib.maintenance.ticket_service import TicketStore, book_visit
from chalicelib.maintenance.tickets import Customer, Source
from chalicelib.outbox.model import OutboundMessage


class LineStore(Protocol):
    def find(self, serial: str, component: str) -> PlanLine | None: ...
    def advance(
        self,
        before: PlanLine,
        after: PlanLine,
        messages: Sequence[OutboundMessage],
        *,
        at: datetime,
    ) -> bool: ...


class Action(StrEnum):
    BOOK = "book"
    POSTPONE = "postpone"
    DECLINE = "decline"


@dataclass(frozen=True)
class Answer:
    action: Action
    day: date | None = None  # book: the slot's day
    part: DayPart = DayPart.MORNING
    until: date | None = None  # postpone: the new due day
    note: str = ""


def line_for_link(
    serial: str, component: str, token: str | None, *, key: bytes, lines: LineStore
) -> PlanLine:
    """The line the link opens (``maintenance_not_found`` 404 for any other link)."""
    if not booking_link.verify(key, serial, component, token):
        raise NotFound("maintenance_not_found")
    line = lines.find(serial, component)
    if line is None:
        raise NotFound("maintenance_not_found")
    return line


def answer(
    line: PlanLine,
    given: Answer,
    *,
    today: date,
    lines: LineStore,
    tickets: TicketStore,
    customer: Callable[[], Customer],
    at: datetime,
) -> PlanLine:
    """The line after the customer's answer, written over the version it was read at; a
    booking opens its ticket in the same write."""
    if given.action is Action.BOOK:
        assert given.day is not None  # the schema requires it
        after, _ = book_visit(
            line, Booking(given.day, given.part, given.note), source=Source.BOOKING,
            customer=customer(), by="customer", today=today, at=at, tickets=tickets,
        )  # fmt: skip
        return after
    if given.action is Action.POSTPONE:
        assert given.until is not None
        after = postpone(line, given.until, today)
    else:
        after = decline(line, today)
    if not lines.advance(line, after, (), at=at):
        raise Conflict("maintenance_changed")
    return after
