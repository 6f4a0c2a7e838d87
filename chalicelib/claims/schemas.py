"""Request bodies of service requests: the staff's (``/claims…``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from chalicelib.catalog.serials import normalize_serial
from chalicelib.catalog.warranty import ExclusionCode
from chalicelib.claims.model import (
    EXCLUSION_CODES,
    ClaimDraft,
    ClaimType,
    Customer,
    Exclusion,
    NewCost,
)
from chalicelib.platform.schemas import (
    Address,
    IsoDay,
    Language,
    PersonName,
    Phone,
    Province,
    RequestBody,
    domain_check,
    text_field,
)

DESCRIPTION_MAX = 2000
NOTE_MAX = 1000
MAX_QUOTE_VND = 1_000_000_000  # a billion đồng: no repair quote is near it


def iso_instant(value: Any) -> datetime:
    """``2026-03-02T09:00:00+07:00``: an instant with its offset (a visit's time)."""
    if not isinstance(value, str) or not 16 <= len(value) <= 40:
        raise PydanticCustomError("instant_invalid", "instant_invalid")
    try:
        found = datetime.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("instant_invalid", "instant_invalid") from exc
    if found.tzinfo is None:
        raise PydanticCustomError("instant_invalid", "instant_invalid")
    return found


IsoInstant = Annotated[datetime, BeforeValidator(iso_instant)]
Serial = Annotated[StrictStr, Field(min_length=1, max_length=40), domain_check(normalize_serial)]
Description = Annotated[StrictStr, text_field("claim_description", DESCRIPTION_MAX)]
Note = Annotated[StrictStr, text_field("claim_note", NOTE_MAX, required=False)]
ShortText = Annotated[StrictStr, text_field("claim_text", 200, required=False)]
ClaimTypeName = Literal["repair", "warranty", "installation", "maintenance", "complaint"]
StateName = Literal[
    "new",
    "triaged",
    "quoted",
    "quote_accepted",
    "quote_declined",
    "routed",
    "accepted",
    "scheduled",
    "received",
    "diagnosing",
    "waiting_parts",
    "repairing",
    "repaired",
    "replaced",
    "no_fault_found",
    "rejected",
    "ready_for_return",
    "returned",
    "confirmed",
    "closed",
    "cancelled",
    "reopened",
]
Version = Annotated[StrictInt, Field(ge=1)]
Amount = Annotated[StrictInt, Field(ge=1, le=MAX_QUOTE_VND)]
AnswerValue = Annotated[StrictStr, Field(max_length=500)] | StrictInt | bool | None


class CustomerBody(RequestBody):
    name: PersonName
    phone: Phone
    address: Address = ""
    province: Province = ""
    language: Language = "vi"

    def customer(self) -> Customer:
        return Customer(self.name, self.phone, self.address, self.province, self.language)


class ClaimCreateRequest(RequestBody):
    """A request staff file for a customer (a phone call, the counter)."""

    claim_type: ClaimTypeName = "repair"
    serial: Serial
    customer: CustomerBody
    description: Description
    answers: dict[Annotated[str, Field(max_length=40)], AnswerValue] = Field(
        default_factory=dict, max_length=30
    )
    preferred_time: ShortText = ""

    def draft(self) -> ClaimDraft:
        return ClaimDraft(
            claim_type=ClaimType(self.claim_type),
            serial=self.serial,
            customer=self.customer.customer(),
            description=self.description,
            answers=dict(self.answers),
            preferred_time=self.preferred_time,
        )


class MoveRequest(RequestBody):
    """One move: the state to go to, the version read; a note where the move needs one; the
    expected return day, a visit's time or a quote with the moves that set them."""

    to: StateName
    version: Version
    note: Note = ""
    expected_return: IsoDay | None = None
    appointment: IsoInstant | None = None
    quote_vnd: Amount | None = None


class EditRequest(RequestBody):
    """Fields corrected without a move (absent: unchanged)."""

    version: Version
    claim_type: ClaimTypeName | None = None
    expected_return: IsoDay | None = None
    appointment: IsoInstant | None = None
    description: Description | None = None
    customer_address: Address | None = None
    customer_province: Province | None = None
    preferred_time: ShortText | None = None
    note: Note = ""


class RouteRequest(RequestBody):
    """To a technician (``internal``, their username) or a service company (``outsourced``,
    its id)."""

    routing: Literal["internal", "outsourced"]
    assignee: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[\w.\-]+$")]
    version: Version
    note: Note = ""

    def assignee_key(self) -> str:
        prefix = "tech" if self.routing == "internal" else "company"
        return f"{prefix}#{self.assignee}"


class ExclusionBody(RequestBody):
    code: Literal[EXCLUSION_CODES]  # type: ignore[valid-type]
    reason: Annotated[StrictStr, text_field("claim_exclusion_reason", 500)]
    component: Annotated[StrictStr, Field(min_length=1, max_length=40)] | None = None


class VerdictRequest(RequestBody):
    """Decide again, with the causes staff found that the warranty does not cover."""

    version: Version
    exclusions: list[ExclusionBody] = Field(default_factory=list, max_length=len(EXCLUSION_CODES))

    def exclusion_list(self) -> list[Exclusion]:
        return [Exclusion(ExclusionCode(e.code), e.reason, e.component) for e in self.exclusions]


class OverrideRequest(RequestBody):
    """The director's verdict, with the reason the history keeps."""

    status: Literal["in_warranty", "out_of_warranty", "needs_inspection"]
    reason: Annotated[StrictStr, text_field("claim_override_reason", 1000)]
    version: Version


class CostRequest(RequestBody):
    """One cost or revenue line (integer VND, the line's total; negative corrects a line)."""

    version: Version
    kind: Literal["part", "labour", "travel", "revenue"]
    description: Annotated[StrictStr, text_field("claim_cost_description", 200)]
    amount_vnd: Annotated[StrictInt, Field(ge=-MAX_QUOTE_VND, le=MAX_QUOTE_VND)]
    payer: Literal["warranty", "customer", "supplier"]
    quantity: Annotated[StrictInt, Field(ge=1, le=1000)] = 1
    part_code: Annotated[StrictStr, Field(max_length=40, pattern=r"^[\w.\-/]*$")] = ""

    def cost(self) -> NewCost:
        return NewCost(
            version=self.version,
            kind=self.kind,
            description=self.description,
            amount_vnd=self.amount_vnd,
            payer=self.payer,
            quantity=self.quantity,
            part_code=self.part_code,
        )


class ReplacementRequest(RequestBody):
    """The unit handed to the customer instead (registered now if it is not yet)."""

    new_serial: Serial
    version: Version
    note: Note = ""


# -- the customer's (``/service-requests…``) ---------------------------------------------------

QrSig = Annotated[StrictStr, Field(min_length=8, max_length=80)]
PhotoKey = Annotated[StrictStr, Field(min_length=1, max_length=120)]


class EligibilityRequest(RequestBody):
    """A unit the customer holds: its serial and the signature of its sticker's QR link
    (``sig``: the token of ``/q/<token>``), or a "my products" session instead of ``sig``."""

    serial: Serial
    sig: QrSig | None = None


class ServiceRequestCreateRequest(EligibilityRequest):
    claim_type: ClaimTypeName = "repair"
    customer: CustomerBody
    description: Description
    answers: dict[Annotated[str, Field(max_length=40)], AnswerValue] = Field(
        default_factory=dict, max_length=30
    )
    preferred_time: ShortText = ""
    photos: list[PhotoKey] = Field(default_factory=list)

    def draft(self) -> ClaimDraft:
        return ClaimDraft(
            claim_type=ClaimType(self.claim_type),
            serial=self.serial,
            customer=self.customer.customer(),
            description=self.description,
            answers=dict(self.answers),
            preferred_time=self.preferred_time,
            photos=tuple(self.photos),
        )


class CustomerMoveRequest(RequestBody):
    """What the customer may do: accept or decline a quote, confirm the unit is back, reopen,
    cancel before the work starts (a note where the move needs one)."""

    to: Literal["quote_accepted", "quote_declined", "confirmed", "reopened", "cancelled"]
    note: Note = ""


class RatingRequest(RequestBody):
    rating: Annotated[StrictInt, Field(ge=1, le=5)]
    note: Note = ""


class PhotosDoneRequest(RequestBody):
    """Photos uploaded by presigned PUT, added to the request (cleaned by the stream)."""

    keys: list[PhotoKey] = Field(min_length=1, max_length=6)
