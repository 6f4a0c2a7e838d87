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
from chalicelib.core.ids import new_id
from chalicelib.maintenance import ticket_photos
from chalicelib.maintenance import tickets as rules
from chalicelib.maintenance.lines import Booking, PlanLine, book, rebooked, reopened, visited
from chalicelib.maintenance.parts import Movement, MovementKind, check_movement
from chalicelib.maintenance.receivables import Receivable, ReceivableStatus, month_of
from chalicelib.maintenance.stock_service import StockStore, part_for
from chalicelib.maintenance.tickets import (
    Change,
    Customer,
    PartUse,
    Role,
    Source,
    Ticket,
    TicketStatus,
)

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
        movement: Movement | None = None,
        receivable: Receivable | None = None,
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
    claim_id: str | None = None,
) -> tuple[PlanLine, Ticket]:
    """The line booked for ``slot`` and its ticket opened, in one write (``claim_id``: the
    service request the desk booked it from)."""
    after = book(line, slot, today, desk=source is not Source.BOOKING)
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
        claim_id=claim_id,
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
    if after.status in (TicketStatus.DONE, TicketStatus.CANCELLED) or after.slot != ticket.slot:
        line = lines.find(ticket.serial, ticket.component.code)
        if line is not None:
            if after.status is TicketStatus.DONE:
                moved = visited(line, ticket.occurrence, after.done_on or today, today)
            elif after.status is TicketStatus.CANCELLED:
                moved = reopened(line, ticket.occurrence, today)
            else:  # rescheduled: the line's booking follows (the due list shows it)
                moved = rebooked(line, ticket.occurrence, after.slot)
            line_move = (line, moved) if moved else None
    receivable = receivable_of(after) if after.status is TicketStatus.DONE else None
    tickets.save(after, entry, before=ticket, line=line_move, receivable=receivable, at=at)
    return after


def receivable_of(ticket: Ticket) -> Receivable | None:
    """A done visit's receivable, in its month (none when it cost nothing): collected by its
    assignee when a payment was recorded, else open."""
    if ticket.amount_vnd <= 0 or ticket.done_on is None:
        return None
    paid = ticket.payment if ticket.payment and ticket.payment.amount_vnd > 0 else None
    return Receivable(
        month=month_of(ticket.done_on),
        ticket_id=ticket.ticket_id,
        serial=ticket.serial,
        customer_name=ticket.customer.name,
        done_on=ticket.done_on,
        amount_vnd=ticket.amount_vnd,
        collected_vnd=paid.amount_vnd if paid else 0,
        method=paid.method.value if paid else "",
        holder=paid.collected_by if paid else "",
        holder_name=(
            (ticket.assignee_name or "")
            if paid and paid.collected_by == ticket.assignee_key
            else (paid.collected_by if paid else "")
        ),
        parts_cost_vnd=sum(u.cost_vnd * u.qty for u in ticket.parts),
        status=ReceivableStatus.COLLECTED if paid else ReceivableStatus.OPEN,
    )


def use_part(
    ticket: Ticket,
    caller: Caller,
    *,
    part_code: str,
    qty: int,
    location_id: str,
    at: datetime,
    stock: StockStore,
    tickets: TicketStore,
) -> Ticket:
    """A part used on the visit, taken from ``location_id`` in the ticket's own write (409
    ``stock_not_enough`` when the place has less). The assignee takes from a warehouse or their
    own van (a company: its own place); the desk from anywhere. The part must be active and,
    when the catalogue names models, fit the unit's."""
    role = role_of(caller, ticket)
    part, place = part_for(
        part_code, ticket.model_code, location_id,
        assignee_key=caller.assignee_key if role is Role.ASSIGNEE else None, store=stock,
    )  # fmt: skip
    use = PartUse(part.code, part.name, part.unit, qty, part.price_vnd, part.cost_vnd,
                  place.location_id)  # fmt: skip
    movement = check_movement(
        Movement(new_id("mv_", at), MovementKind.ISSUE, part.code, qty, place.location_id, None,
                 at, by=caller.name, ticket_id=ticket.ticket_id, unit_cost_vnd=part.cost_vnd)
    )  # fmt: skip
    after, entry = rules.use_part(ticket, use, role=role, by=caller.name, at=at)
    tickets.save(after, entry, before=ticket, movement=movement, at=at)
    return after


def return_part(
    ticket: Ticket, caller: Caller, index: int, *, at: datetime, tickets: TicketStore
) -> Ticket:
    """The part at ``index`` back to the place it came from, in the ticket's own write."""
    after, entry, returned = rules.return_part(
        ticket, index, role=role_of(caller, ticket), by=caller.name, at=at
    )
    movement = Movement(
        new_id("mv_", at), MovementKind.RETURN, returned.code, returned.qty, None,
        returned.location_id, at, by=caller.name, ticket_id=ticket.ticket_id,
        unit_cost_vnd=returned.cost_vnd,
    )  # fmt: skip
    tickets.save(after, entry, before=ticket, movement=movement, at=at)
    return after


def add_photo(
    ticket: Ticket,
    caller: Caller,
    upload_key: str,
    *,
    at: datetime,
    storage: ticket_photos.PhotoStorage,
    tickets: TicketStore,
) -> Ticket:
    """The photo uploaded for the ticket checked, stored without metadata and added to it. The
    caller's right and the ticket's room are checked before the upload is read."""
    role = role_of(caller, ticket)
    rules.check_photo(ticket, role)
    key = ticket_photos.finish_upload(ticket.ticket_id, upload_key, storage=storage)
    after, entry = rules.add_photo(ticket, key, role=role, by=caller.name, at=at)
    tickets.save(after, entry, before=ticket, at=at)
    return after


def remove_photo(
    ticket: Ticket, caller: Caller, key: str, *, at: datetime, tickets: TicketStore
) -> Ticket:
    after, entry = rules.remove_photo(ticket, key, role=role_of(caller, ticket), by=caller.name,
                                      at=at)  # fmt: skip
    tickets.save(after, entry, before=ticket, at=at)
    return after
