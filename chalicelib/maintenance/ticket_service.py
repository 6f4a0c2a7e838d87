"""Maintenance tickets' use cases: a visit booked (by the customer on the reminder's page, or by
the desk) opens a ticket and books the unit's line in one write; the desk assigns, reschedules
and cancels; the assignee (or the desk) starts, records the work and completes it. Completing
moves the line to its next occurrence; cancelling opens the visit again. Pure: the stores come
as ports.

Who sees what: the desk and the accountant read every ticket; a technician reads the tickets
assigned to them, a service company's user their company's; any other ticket is
``maintenance_ticket_not_found``, as one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.catalog.model import Unit
from chalicelib.core.errors import NotFound
from chalicelib.maintenance import tickets as rules
from chalicelib.maintenance.lines import Booking, PlanLine, book, reopened, visited
from chalicelib.maintenance.tickets import Change, Customer, Role, Source, Ticket, TicketStatus

DESK = frozenset({"admin", "cs"})
READERS = DESK | {"director", "accountant"}
LIST_LIMIT = 200

LineMove = tuple[PlanLine, PlanLine]


class TicketStore(Protocol):
    def get(self, ticket_id: str) -> Ticket | None: ...
    def create(self, ticket: Ticket, change: Change, *, line: LineMove, at: datetime) -> None: ...
    def save(
        self,
        ticket: Ticket,
        change: Change,
        *,
        before: Ticket,
        line: LineMove | None = None,
        at: datetime,
    ) -> None: ...


class LineFinder(Protocol):
    def find(self, serial: str, component: str) -> PlanLine | None: ...


@dataclass(frozen=True)
class Caller:
    """A staff member (``roles``) or a service company's user; ``assignee_key`` their own
    (``tech#<username>``, ``company#<id>``) when they take tickets."""

    name: str
    roles: frozenset[str]
    assignee_key: str | None = None

    @property
    def desk(self) -> bool:
        return bool(self.roles & DESK)

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READERS)


def role_of(caller: Caller, ticket: Ticket) -> Role | None:
    if caller.desk:
        return Role.DESK
    if caller.assignee_key and caller.assignee_key == ticket.assignee_key:
        return Role.ASSIGNEE
    return None


def customer_of(unit: Unit) -> Customer:
    if unit.activation is None:
        raise NotFound("maintenance_not_found")
    owner = unit.activation.owner
    return Customer(owner.name, owner.phone, owner.province, owner.address)


def book_visit(
    line: PlanLine,
    slot: Booking,
    *,
    source: Source,
    customer: Customer,
    by: str,
    today: date,
    at: datetime,
    tickets: TicketStore,
) -> tuple[PlanLine, Ticket]:
    """The line booked for ``slot`` and its ticket opened, in one write."""
    after = book(line, slot, today, desk=source is Source.MANAGER)
    ticket, change = rules.new_ticket(
        ticket_id=rules.ticket_id_for(line.key, line.occurrence, line.version),
        serial=line.serial,
        model_code=line.model_code,
        component=line.component,
        occurrence=line.occurrence,
        source=source,
        customer=customer,
        slot=slot,
        by=by,
        at=at,
    )
    tickets.create(ticket, change, line=(line, after), at=at)
    return after, ticket


def visible(ticket_id: str, caller: Caller, *, tickets: TicketStore) -> Ticket:
    """The ticket, when the caller may read it (else 404, as one that does not exist)."""
    ticket = tickets.get(ticket_id) if rules.is_ticket_id(ticket_id) else None
    if ticket is None or not (caller.reads_all or role_of(caller, ticket)):
        raise NotFound("maintenance_ticket_not_found")
    return ticket


Move = Callable[[Ticket, Role | None], tuple[Ticket, Change]]


def change(
    ticket: Ticket,
    move: Move,
    caller: Caller,
    *,
    today: date,
    at: datetime,
    tickets: TicketStore,
    lines: LineFinder,
) -> Ticket:
    """``move`` applied by ``caller`` and saved over the version read. Done moves the unit's
    line to its next occurrence, cancelled opens the visit again (when the line still waits
    for this ticket's occurrence)."""
    after, entry = move(ticket, role_of(caller, ticket))
    line_move = None
    if after.status in (TicketStatus.DONE, TicketStatus.CANCELLED):
        line = lines.find(ticket.serial, ticket.component.code)
        if line is not None:
            moved = (
                visited(line, ticket.occurrence, after.done_on or today, today)
                if after.status is TicketStatus.DONE
                else reopened(line, ticket.occurrence, today)
            )
            line_move = (line, moved) if moved else None
    tickets.save(after, entry, before=ticket, line=line_move, at=at)
    return after
