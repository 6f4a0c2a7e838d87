"""A maintenance ticket: one visit to one unit for one component of its plan, made when the
customer books a slot (or a manager books one for them), assigned to a technician or a service
company, worked on site and closed with the customer's confirmation. Pure: no I/O, no clock.

    new ──assign──▶ assigned ──start──▶ started ──complete──▶ done
     └──────────────┴────────────────────┴──cancel──▶ cancelled

The desk (admin, customer service) assigns, reschedules and cancels; the assignee (or the
desk) starts it, records the work (the checklist, notes, labour, the payment collected, who
confirmed for the customer) and completes it. A ticket is done only with its checklist ticked,
the customer's confirmation, and the payment when something is owed. Every change is one
:class:`Change` (the ticket's history), written with the ticket.

The ticket's reference is ``MT-`` + 8 Crockford base32 letters drawn from the line's key, its
occurrence and its version at booking: the same booking retried makes the same ticket (its
create's condition refuses the second), a new booking of the same visit a new one.

>>> ticket_id_for("GAR000000019#LOC-BUI", 3, 5)
'MT-2KJY2THT'
>>> is_ticket_id("MT-2KJY2THT"), is_ticket_id("mt-2kjy2tht"), is_ticket_id("MT-2KJY2THI")
(True, False, False)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Forbidden, Invalid
from chalicelib.maintenance.lines import DESK_BOOKING_DAYS, Booking
from chalicelib.maintenance.model import PlanComponent

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TICKET_ID = re.compile(r"MT-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}")
NOTES_MAX = 2000
CONFIRMER_MAX = 100
MAX_LABOUR_VND = 100_000_000
_MISSING = {
    "checked": "maintenance_checklist_incomplete",
    "confirmed_by": "maintenance_confirmation_required",
    "payment": "maintenance_payment_required",
}


class TicketStatus(StrEnum):
    NEW = "new"  # booked, nobody assigned yet
    ASSIGNED = "assigned"
    STARTED = "started"  # the technician is on site
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.STARTED)


class Source(StrEnum):
    BOOKING = "booking"  # the customer picked the slot on the reminder's page
    MANAGER = "manager"  # the desk booked it (a phone call, a walk-in)
    CLAIM = "claim"  # the desk booked it from a service request (``claim_id``)


class PaymentMethod(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"


class Role(StrEnum):
    """The caller's part in a ticket."""

    DESK = "desk"  # admin, customer service: every move
    ASSIGNEE = "assignee"  # the technician (or the company's user) it is assigned to


@dataclass(frozen=True)
class Check:
    text: str
    done: bool = False


@dataclass(frozen=True)
class Payment:
    """What the assignee collected on site: the amount (whole VND), cash or transfer, and who
    holds it (the assignee's key: ``tech#<username>`` or ``company#<id>``)."""

    amount_vnd: int
    method: PaymentMethod
    collected_by: str


@dataclass(frozen=True)
class PartUse:
    """A spare part used on the visit: taken from ``location_id`` (an ``issue`` movement), at
    the catalogue's price and cost when it was used."""

    code: str
    name: str
    unit: str
    qty: int
    price_vnd: int
    cost_vnd: int
    location_id: str

    @property
    def amount_vnd(self) -> int:
        return self.price_vnd * self.qty


@dataclass(frozen=True)
class Customer:
    """The unit's owner when the ticket was made: the visit's address and who to call."""

    name: str
    phone: str  # E.164
    province: str = ""
    address: str = ""


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    serial: str
    model_code: str
    component: PlanComponent  # as the unit's line held it when booked
    occurrence: int  # the line's occurrence this visit serves
    source: Source
    customer: Customer
    slot: Booking
    status: TicketStatus
    created_at: datetime
    created_by: str
    checklist: tuple[Check, ...] = ()
    assignee_key: str | None = None
    assignee_name: str | None = None
    notes: str = ""
    labour_vnd: int = 0
    payment: Payment | None = None
    confirmed_by: str = ""  # who signed for the customer ("" : not yet)
    done_on: date | None = None
    cancel_reason: str = ""
    parts: tuple[PartUse, ...] = ()
    photos: tuple[str, ...] = ()  # keys of the stored WebPs (ticket-photos/<ticket_id>/…)
    claim_id: str | None = None  # the service request it was booked from
    version: int = 1

    @property
    def amount_vnd(self) -> int:
        """What the customer owes for the visit: the component's price, the labour and the
        parts used."""
        return self.component.price_vnd + self.labour_vnd + sum(p.amount_vnd for p in self.parts)

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class Change:
    """One change of a ticket, numbered by its version after it."""

    ticket_id: str
    seq: int
    at: datetime
    by: str
    action: str  # create | assign | reschedule | start | work | part | part_return | photo |
    # photo_remove | complete | cancel
    status_from: TicketStatus | None
    status_to: TicketStatus
    note: str = ""


@dataclass(frozen=True)
class Work:
    """What the assignee records on site (each field ``None``: left as it is)."""

    checked: tuple[bool, ...] | None = None  # one per checklist item, in order
    notes: str | None = None
    labour_vnd: int | None = None
    payment: Payment | None = None
    clear_payment: bool = False
    confirmed_by: str | None = None


def ticket_id_for(line_key: str, occurrence: int, line_version: int) -> str:
    digest = hashlib.sha256(f"{line_key}\x1f{occurrence}\x1f{line_version}".encode()).digest()
    value = int.from_bytes(digest[:5], "big")
    return "MT-" + "".join(CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))


def is_ticket_id(value: str) -> bool:
    return bool(_TICKET_ID.fullmatch(value))


def new_ticket(
    *,
    ticket_id: str,
    serial: str,
    model_code: str,
    component: PlanComponent,
    occurrence: int,
    source: Source,
    customer: Customer,
    slot: Booking,
    by: str,
    at: datetime,
    claim_id: str | None = None,
) -> tuple[Ticket, Change]:
    ticket = Ticket(
        ticket_id=ticket_id,
        serial=serial,
        model_code=model_code,
        component=component,
        occurrence=occurrence,
        source=source,
        customer=customer,
        slot=slot,
        status=TicketStatus.NEW,
        created_at=at,
        created_by=by,
        checklist=tuple(Check(text) for text in component.checklist),
        claim_id=claim_id,
    )
    return ticket, Change(ticket_id, 1, at, by, "create", None, TicketStatus.NEW,
                          claim_id or slot.note)  # fmt: skip


def _changed(
    before: Ticket, after: Ticket, *, by: str, at: datetime, action: str, note: str = ""
) -> tuple[Ticket, Change]:
    after = replace(after, version=before.version + 1)
    change = Change(
        before.ticket_id, after.version, at, by, action, before.status, after.status, note
    )
    return after, change


def _require(ticket: Ticket, role: Role | None, *allowed: Role) -> None:
    if role not in allowed:
        raise Forbidden("maintenance_ticket_forbidden")
    if not ticket.open:
        raise Conflict("maintenance_ticket_closed", status=ticket.status.value)


def assign(
    ticket: Ticket, key: str, name: str, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """To a technician (``tech#<username>``) or a company (``company#<id>``), before it is done;
    a started ticket moved to someone else starts again."""
    _require(ticket, role, Role.DESK)
    if key == ticket.assignee_key:
        raise Conflict("maintenance_ticket_same_assignee")
    after = replace(ticket, status=TicketStatus.ASSIGNED, assignee_key=key, assignee_name=name)
    return _changed(ticket, after, by=by, at=at, action="assign", note=name)


def reschedule(
    ticket: Ticket, slot: Booking, today: date, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    _require(ticket, role, Role.DESK)
    if not today <= slot.day <= today + timedelta(days=DESK_BOOKING_DAYS):
        raise Invalid(fields=[FieldError("day", "maintenance_desk_slot_out_of_range")])
    after = replace(ticket, slot=slot)
    return _changed(ticket, after, by=by, at=at, action="reschedule", note=slot.day.isoformat())


def start(ticket: Ticket, *, role: Role | None, by: str, at: datetime) -> tuple[Ticket, Change]:
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if ticket.status is not TicketStatus.ASSIGNED:
        raise Conflict("maintenance_ticket_not_assigned")
    after = replace(ticket, status=TicketStatus.STARTED)
    return _changed(ticket, after, by=by, at=at, action="start")


def record_work(
    ticket: Ticket, work: Work, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """The assignee's (or the desk's) record of the visit, once it is assigned."""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if ticket.status is TicketStatus.NEW:
        raise Conflict("maintenance_ticket_not_assigned")
    checklist = ticket.checklist
    if work.checked is not None:
        if len(work.checked) != len(checklist):
            raise Invalid(fields=[FieldError("checked", "maintenance_checklist_mismatch")])
        checklist = tuple(replace(c, done=d) for c, d in zip(checklist, work.checked, strict=True))
    payment = None if work.clear_payment else (work.payment or ticket.payment)
    after = replace(
        ticket,
        checklist=checklist,
        notes=ticket.notes if work.notes is None else work.notes,
        labour_vnd=ticket.labour_vnd if work.labour_vnd is None else work.labour_vnd,
        payment=payment,
        confirmed_by=ticket.confirmed_by if work.confirmed_by is None else work.confirmed_by,
    )
    _check_payment(after)
    return _changed(ticket, after, by=by, at=at, action="work")


def _check_payment(ticket: Ticket) -> None:
    """Never more collected than the visit costs (a part taken back lowers the cost: the
    payment is corrected first)."""
    if ticket.payment and ticket.payment.amount_vnd > ticket.amount_vnd:
        raise Invalid(fields=[FieldError("payment.amount_vnd", "maintenance_payment_too_much")])


MAX_PARTS = 30


def use_part(
    ticket: Ticket, use: PartUse, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """A part used on the visit (the assignee or the desk, once it is assigned)."""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if ticket.status is TicketStatus.NEW:
        raise Conflict("maintenance_ticket_not_assigned")
    if len(ticket.parts) >= MAX_PARTS:
        raise Invalid(fields=[FieldError("part_code", "maintenance_too_many_parts")])
    after = replace(ticket, parts=(*ticket.parts, use))
    return _changed(ticket, after, by=by, at=at, action="part", note=f"{use.code} × {use.qty}")


def return_part(
    ticket: Ticket, index: int, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change, PartUse]:
    """The part at ``index`` taken back (not used after all): it returns to its place."""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if not 0 <= index < len(ticket.parts):
        raise Invalid(fields=[FieldError("index", "maintenance_part_unknown")])
    returned = ticket.parts[index]
    after = replace(ticket, parts=ticket.parts[:index] + ticket.parts[index + 1 :])
    _check_payment(after)
    note = f"{returned.code} × {returned.qty}"
    return (*_changed(ticket, after, by=by, at=at, action="part_return", note=note), returned)


MAX_PHOTOS = 10


def check_photo(ticket: Ticket, role: Role | None) -> None:
    """May ``role`` add a photo now (checked before the upload is read)?"""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if ticket.status is TicketStatus.NEW:
        raise Conflict("maintenance_ticket_not_assigned")
    if len(ticket.photos) >= MAX_PHOTOS:
        raise Invalid("maintenance_too_many_photos", limit=MAX_PHOTOS)


def add_photo(
    ticket: Ticket, key: str, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """A photo of the work (the parts before and after), once the ticket is assigned: at most
    ten; the same photo twice is refused."""
    check_photo(ticket, role)
    if key in ticket.photos:
        raise Conflict("maintenance_photo_repeated")
    after = replace(ticket, photos=(*ticket.photos, key))
    return _changed(ticket, after, by=by, at=at, action="photo")


def remove_photo(
    ticket: Ticket, key: str, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """A photo taken off the ticket while it is open (the stored file stays, unlinked)."""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if key not in ticket.photos:
        raise Invalid(fields=[FieldError("key", "maintenance_photo_unknown")])
    after = replace(ticket, photos=tuple(p for p in ticket.photos if p != key))
    return _changed(ticket, after, by=by, at=at, action="photo_remove")


def complete(
    ticket: Ticket, today: date, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    """Done: every check ticked, the customer's confirmation, and the payment when the visit
    costs something (``maintenance_ticket_incomplete`` names what is missing)."""
    _require(ticket, role, Role.DESK, Role.ASSIGNEE)
    if ticket.status is TicketStatus.NEW:
        raise Conflict("maintenance_ticket_not_assigned")
    wanting = {
        "checked": not all(c.done for c in ticket.checklist),
        "confirmed_by": not ticket.confirmed_by,
        "payment": ticket.amount_vnd > 0 and ticket.payment is None,
    }
    missing = [FieldError(name, _MISSING[name]) for name, lacking in wanting.items() if lacking]
    _check_payment(ticket)
    if missing:
        raise Invalid("maintenance_ticket_incomplete", fields=missing)
    after = replace(ticket, status=TicketStatus.DONE, done_on=today)
    return _changed(ticket, after, by=by, at=at, action="complete")


def cancel(
    ticket: Ticket, reason: str, *, role: Role | None, by: str, at: datetime
) -> tuple[Ticket, Change]:
    _require(ticket, role, Role.DESK)
    if ticket.parts:  # they left a place's stock: they go back before the visit is dropped
        raise Conflict("maintenance_parts_to_return", count=len(ticket.parts))
    after = replace(ticket, status=TicketStatus.CANCELLED, cancel_reason=reason)
    return _changed(ticket, after, by=by, at=at, action="cancel", note=reason)
