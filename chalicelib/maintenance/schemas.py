"""Request bodies of the maintenance routes (pydantic: loaded by the body routes on first use)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.maintenance.booking import Action, Answer
from chalicelib.maintenance.lines import Booking, DayPart
from chalicelib.maintenance.model import (
    CHECK_MAX,
    MAX_CHECKLIST,
    MAX_COMPONENTS,
    MAX_PRICE_VND,
    NAME_MAX,
    PlanComponent,
    normalize_component_code,
)
from chalicelib.maintenance.parts import (
    MAX_MODELS,
    MAX_PART_VND,
    MAX_QTY,
    REASON_MAX,
    UNIT_MAX,
    Location,
    LocationKind,
    MovementKind,
    Part,
    normalize_location_id,
    normalize_part_code,
)
from chalicelib.maintenance.parts import NAME_MAX as PART_NAME_MAX
from chalicelib.maintenance.schedule import (
    MAX_DAYS,
    MAX_LEAD_DAYS,
    MAX_MONTHS,
    Rhythm,
    parse_cycle,
)
from chalicelib.maintenance.stock_service import MoveRequest
from chalicelib.maintenance.tickets import (
    CONFIRMER_MAX,
    MAX_LABOUR_VND,
    NOTES_MAX,
    Payment,
    PaymentMethod,
    Work,
)
from chalicelib.platform.schemas import IsoDay, RequestBody, domain_check, text_field

NOTE_MAX = 300

Months = Annotated[StrictInt, Field(ge=0, le=MAX_MONTHS)]
Days = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS)]


class ComponentRequest(RequestBody):
    """One component: its cycle in months or in days (one of them), the first service's offset
    from the anchor (none: one cycle), the reminder's lead days, free or paid, its checklist."""

    code: Annotated[StrictStr, domain_check(normalize_component_code)]
    name: Annotated[StrictStr, text_field("maintenance_name", NAME_MAX)]
    name_en: Annotated[StrictStr, text_field("maintenance_name", NAME_MAX, False)] = ""
    cycle_months: Months = 0
    cycle_days: Days = 0
    first_months: Months = 0
    first_days: Days = 0
    lead_days: Annotated[StrictInt, Field(ge=0, le=MAX_LEAD_DAYS)] = 7
    rhythm: Literal["fixed", "floating"] = "fixed"
    price_vnd: Annotated[StrictInt, Field(ge=0, le=MAX_PRICE_VND)] = 0
    checklist: Annotated[
        list[Annotated[StrictStr, text_field("maintenance_check", CHECK_MAX)]],
        Field(max_length=MAX_CHECKLIST),
    ] = Field(default_factory=list)

    def to_component(self, index: int) -> PlanComponent:
        cycle = parse_cycle(self.cycle_months, self.cycle_days, field=f"components.{index}.cycle")
        first = (
            parse_cycle(self.first_months, self.first_days, field=f"components.{index}.first")
            if self.first_months or self.first_days
            else cycle
        )
        return PlanComponent(
            code=self.code,
            name=self.name,
            name_en=self.name_en,
            cycle=cycle,
            first_offset=first,
            lead_days=self.lead_days,
            rhythm=Rhythm(self.rhythm),
            price_vnd=self.price_vnd,
            checklist=tuple(self.checklist),
        )


class PlanRequest(RequestBody):
    """The model's whole plan, over the version the editor read (0: none yet)."""

    version: Annotated[StrictInt, Field(ge=0)]
    components: Annotated[list[ComponentRequest], Field(max_length=MAX_COMPONENTS)]

    def to_components(self) -> tuple[PlanComponent, ...]:
        return tuple(c.to_component(i) for i, c in enumerate(self.components))


class AnswerRequest(RequestBody):
    """The customer's answer: ``book`` a ``day`` and ``part`` (morning or afternoon),
    ``postpone`` ``until`` a day, or ``decline`` this service; an optional note."""

    action: Literal["book", "postpone", "decline"]
    day: IsoDay | None = None
    part: Literal["morning", "afternoon"] = "morning"
    until: IsoDay | None = None
    note: Annotated[StrictStr, text_field("maintenance_note", NOTE_MAX, False)] = ""

    def to_answer(self) -> Answer:
        if self.action == "book" and self.day is None:
            raise Invalid(fields=[FieldError("day", "maintenance_slot_required")])
        if self.action == "postpone" and self.until is None:
            raise Invalid(fields=[FieldError("until", "maintenance_postpone_required")])
        return Answer(Action(self.action), self.day, DayPart(self.part), self.until, self.note)


class NewTicketRequest(RequestBody):
    """The desk books a visit for a unit's component (a phone call, a walk-in): today at the
    earliest, three months ahead at most."""

    serial: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    component: Annotated[StrictStr, domain_check(normalize_component_code)]
    day: IsoDay
    part: Literal["morning", "afternoon"] = "morning"
    note: Annotated[StrictStr, text_field("maintenance_note", NOTE_MAX, False)] = ""
    claim_id: Annotated[StrictStr, Field(pattern=r"^SR-[0-9A-Z]{8}$")] | None = None

    def slot(self) -> Booking:
        return Booking(self.day, DayPart(self.part), self.note)


class TicketVersion(RequestBody):
    version: Annotated[StrictInt, Field(ge=1)]


class AssignRequest(TicketVersion):
    """To a technician (``tech#<username>``) or a service company (``company#<id>``)."""

    assignee: Annotated[
        StrictStr, Field(min_length=6, max_length=80, pattern=r"^(tech|company)#[\w.\-]+$")
    ]


class RescheduleRequest(TicketVersion):
    day: IsoDay
    part: Literal["morning", "afternoon"] = "morning"
    note: Annotated[StrictStr, text_field("maintenance_note", NOTE_MAX, False)] = ""

    def slot(self) -> Booking:
        return Booking(self.day, DayPart(self.part), self.note)


class PaymentBody(RequestBody):
    amount_vnd: Annotated[StrictInt, Field(ge=0, le=MAX_LABOUR_VND + MAX_PRICE_VND)]
    method: Literal["cash", "transfer"]


class WorkRequest(TicketVersion):
    """The visit's record: each field left out stays as it is; ``payment`` ``null`` clears it."""

    checked: Annotated[list[StrictBool], Field(max_length=MAX_CHECKLIST)] | None = None
    notes: Annotated[StrictStr, text_field("maintenance_ticket_notes", NOTES_MAX, False)] | None = (
        None
    )
    labour_vnd: Annotated[StrictInt, Field(ge=0, le=MAX_LABOUR_VND)] | None = None
    payment: PaymentBody | None = None
    confirmed_by: (
        Annotated[StrictStr, text_field("maintenance_confirmer", CONFIRMER_MAX, False)] | None
    ) = None

    def to_work(self, collected_by: str) -> Work:
        payment = (
            Payment(self.payment.amount_vnd, PaymentMethod(self.payment.method), collected_by)
            if self.payment
            else None
        )
        return Work(
            checked=tuple(self.checked) if self.checked is not None else None,
            notes=self.notes,
            labour_vnd=self.labour_vnd,
            payment=payment,
            clear_payment="payment" in self.model_fields_set and self.payment is None,
            confirmed_by=self.confirmed_by,
        )


class CancelRequest(TicketVersion):
    reason: Annotated[StrictStr, text_field("maintenance_cancel_reason", NOTE_MAX)]


Qty = Annotated[StrictInt, Field(ge=1, le=MAX_QTY)]
Vnd = Annotated[StrictInt, Field(ge=0, le=MAX_PART_VND)]
PlaceId = Annotated[StrictStr, domain_check(normalize_location_id)]


class PartRequest(RequestBody):
    """A part of the catalogue, saved whole over the version read (0: a new code)."""

    version: Annotated[StrictInt, Field(ge=0)]
    name: Annotated[StrictStr, text_field("part_name", PART_NAME_MAX)]
    name_en: Annotated[StrictStr, text_field("part_name", PART_NAME_MAX, False)] = ""
    unit: Annotated[StrictStr, text_field("part_unit", UNIT_MAX)]
    cost_vnd: Vnd
    price_vnd: Vnd
    models: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=32)]], Field(max_length=MAX_MODELS)
    ] = Field(default_factory=list)
    min_stock: Annotated[StrictInt, Field(ge=0, le=MAX_QTY)] = 0
    active: StrictBool = True

    def to_part(self, code: str) -> Part:
        models = tuple(dict.fromkeys(m.strip().upper() for m in self.models))
        return Part(code, self.name, self.name_en, self.unit, self.cost_vnd, self.price_vnd,
                    models, self.min_stock, self.active)  # fmt: skip


class LocationRequest(RequestBody):
    location_id: PlaceId
    name: Annotated[StrictStr, text_field("stock_location_name", PART_NAME_MAX)]
    kind: Literal["warehouse", "van", "company"]
    holder: (
        Annotated[
            StrictStr, Field(min_length=6, max_length=80, pattern=r"^(tech|company)#[\w.\-]+$")
        ]
        | None
    ) = None

    def to_location(self) -> Location:
        if (self.kind == "warehouse") != (self.holder is None):
            raise Invalid(fields=[FieldError("holder", "stock_holder_mismatch")])
        if self.holder and not self.holder.startswith(
            "tech#" if self.kind == "van" else "company#"
        ):
            raise Invalid(fields=[FieldError("holder", "stock_holder_mismatch")])
        return Location(self.location_id, self.name, LocationKind(self.kind), self.holder)


class MovementRequest(RequestBody):
    """A receipt (``to``), a transfer (``from`` and ``to``) or an adjustment (one of them, with a
    ``reason``)."""

    kind: Literal["receipt", "transfer", "adjustment"]
    part_code: Annotated[StrictStr, domain_check(normalize_part_code)]
    qty: Qty
    from_: PlaceId | None = Field(default=None, alias="from")
    to: PlaceId | None = None
    reason: Annotated[StrictStr, text_field("stock_reason", REASON_MAX, False)] = ""
    unit_cost_vnd: Vnd | None = None

    def to_request(self) -> MoveRequest:
        return MoveRequest(MovementKind(self.kind), self.part_code, self.qty, self.from_, self.to,
                           self.reason, self.unit_cost_vnd)  # fmt: skip


class UsePartRequest(TicketVersion):
    part_code: Annotated[StrictStr, domain_check(normalize_part_code)]
    qty: Qty
    location: PlaceId


class ReturnPartRequest(TicketVersion):
    index: Annotated[StrictInt, Field(ge=0, le=100)]


class PhotoDoneRequest(TicketVersion):
    """A photo: the upload's key (finishing it), or the stored photo's (removing it)."""

    key: Annotated[StrictStr, Field(min_length=1, max_length=160)]


class ClaimPartRequest(TicketVersion):
    """A part for a service request (``version``: the request's), taken from ``location``."""

    part_code: Annotated[StrictStr, domain_check(normalize_part_code)]
    qty: Qty
    location: PlaceId
    payer: Literal["warranty", "customer", "supplier"] = "warranty"


class ClaimPartReturnRequest(TicketVersion):
    """Some of a part the request holds, back to ``location``."""

    part_code: Annotated[StrictStr, domain_check(normalize_part_code)]
    qty: Qty
    location: PlaceId


class ReceivableVersion(RequestBody):
    version: Annotated[StrictInt, Field(ge=1)]


class CollectRequest(ReceivableVersion):
    """What was collected after the visit (a transfer to the company, cash taken later): the
    amount, how, and who holds it (none: the company itself)."""

    amount_vnd: Annotated[StrictInt, Field(ge=1, le=MAX_LABOUR_VND + MAX_PRICE_VND * 2)]
    method: Literal["cash", "transfer"]


class RemitRequest(ReceivableVersion):
    amount_vnd: Annotated[StrictInt, Field(ge=0, le=MAX_LABOUR_VND + MAX_PRICE_VND * 2)]
    on: IsoDay | None = None
