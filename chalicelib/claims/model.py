"""A service request as the rest of the code sees it (no storage detail), who is acting on it,
and what one change of it records. Pure: no I/O.

The request's reference is ``SR-`` + 8 Crockford base32 letters (no I, L, O, U: read out on the
phone without doubt); its ``version`` counts the writes and every write is conditional on it.

>>> is_claim_id("SR-7K3M9Q2X"), is_claim_id("SR-7K3M9Q2I"), is_claim_id("sr-7k3m9q2x")
(True, False, False)
>>> len(new_claim_id()), new_claim_id().startswith("SR-")
(11, True)
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.catalog.warranty import ExclusionCode, WarrantyTerms, business_day
from chalicelib.claims.states import Actor, ClaimState

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CLAIM_ID = re.compile(r"SR-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}")

# Staff roles by what they may do with requests (the values of ``platform.auth.Role``).
DESK_ROLES = frozenset({"admin", "cs", "director"})
READER_ROLES = DESK_ROLES | {"accountant"}
TECHNICIAN_ROLE = "technician"
SERVICE_ROLE = "service"
DIRECTOR_ROLE = "director"
OVERRIDE_ROLES = frozenset({DIRECTOR_ROLE, "admin"})  # the admin may do anything staff do


class ClaimType(StrEnum):
    REPAIR = "repair"
    WARRANTY = "warranty"
    INSTALLATION = "installation"
    MAINTENANCE = "maintenance"
    COMPLAINT = "complaint"


class Channel(StrEnum):
    PORTAL = "portal"
    CONSOLE = "console"
    ZALO = "zalo"


class Routing(StrEnum):
    INTERNAL = "internal"  # a technician of ours: ``tech#<username>``
    OUTSOURCED = "outsourced"  # a partner service company: ``company#<center_id>``


class VerdictStatus(StrEnum):
    IN_WARRANTY = "in_warranty"
    OUT_OF_WARRANTY = "out_of_warranty"
    NEEDS_INSPECTION = "needs_inspection"


# What staff may exclude from the warranty (each with a reason).
EXCLUSION_CODES = (
    "physical_damage",
    "unauthorised_installation",
    "unauthorised_repair",
    "misuse",
    "natural_disaster",
    "consumables",
    "power_surge",
)


def new_claim_id() -> str:
    """``SR-`` + 8 random Crockford base32 letters (40 bits: a collision is refused by the
    create's condition and retried)."""
    return "SR-" + "".join(secrets.choice(CROCKFORD) for _ in range(8))


def is_claim_id(value: str) -> bool:
    return bool(_CLAIM_ID.fullmatch(value))


def technician_key(username: str) -> str:
    return f"tech#{username}"


def company_key(center_id: str) -> str:
    return f"company#{center_id}"


def routing_of(assignee_key: str) -> Routing:
    """``tech#…`` is internal, ``company#…`` outsourced.

    >>> routing_of("company#sc_1").value
    'outsourced'
    """
    return Routing.INTERNAL if assignee_key.startswith("tech#") else Routing.OUTSOURCED


# -- eligibility -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why, in words a person reads: a catalogue key (both languages) and its values, e.g.
    ``Reason("warranty_ended", {"day": "2026-01-31"})``. Values are strings and integers (a
    day is ISO), so a verdict stores as it is."""

    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    reasons: tuple[Reason, ...]  # never empty
    rules_version: str  # the terms' digest (``WarrantyTerms.rules_version``)


@dataclass(frozen=True)
class Exclusion:
    """What staff found (``physical_damage`` …) and why they say so; for one component
    (``compressor``) or, with ``component`` ``None``, the whole unit."""

    code: ExclusionCode
    reason: str
    component: str | None = None


@dataclass(frozen=True)
class UnitFacts:
    """What the verdict needs to know of a unit: its dates and its model's terms.

    ``warranty_end`` (and ``warranty_start``) are what the customer was promised at activation:
    they win over the terms read today. ``replaced_on`` is set on a unit given as a
    replacement: its warranty starts again that day."""

    serial: str
    model_code: str
    activated_on: date | None
    warranty_end: date | None
    manufactured_on: date | None
    shipped_on: date | None
    replaced_on: date | None
    terms: WarrantyTerms
    warranty_start: date | None = None

    @classmethod
    def of(cls, unit: Unit, model: ProductModel, *, replaced_on: date | None = None) -> UnitFacts:
        activation = unit.activation
        return cls(
            serial=unit.serial,
            model_code=unit.model_code,
            activated_on=business_day(activation.activated_at) if activation else None,
            warranty_end=activation.warranty_end if activation else None,
            manufactured_on=unit.manufactured_on,
            shipped_on=unit.shipped_on,
            replaced_on=replaced_on,
            terms=model.terms,
            warranty_start=activation.warranty_start if activation else None,
        )


@dataclass(frozen=True)
class VerdictOverride:
    by: str  # the director
    reason: str
    status_before: VerdictStatus


@dataclass(frozen=True)
class Decided:
    """A verdict as the request keeps it: when it was made, and the director's override."""

    verdict: Verdict
    at: datetime
    override: VerdictOverride | None = None

    @property
    def status(self) -> VerdictStatus:
        return self.verdict.status


# -- the request -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    name: str
    phone: str  # E.164
    address: str = ""
    province: str = ""
    language: str = "vi"


@dataclass(frozen=True)
class Photo:
    key: str  # the cleaned photo's key in the uploads bucket (or the upload's, until cleaned)
    state: str  # uploaded | ready | refused
    by: str
    at: datetime


@dataclass(frozen=True)
class CostLine:
    """One cost or revenue line, appended, never edited (a correction is a line of its own)."""

    line_id: str
    kind: str  # part | labour | travel | revenue
    description: str
    amount_vnd: int  # the line's total, integer VND (negative corrects an earlier line)
    payer: str  # warranty | customer | supplier
    by: str
    at: datetime
    quantity: int = 1
    part_code: str = ""
    movement_id: str = ""  # a part from stock: its movement (only such lines can go back)


@dataclass(frozen=True)
class AlsoWrite:
    """Another capability's writes made in the request's own transaction (a spare part leaving
    a place's stock with its cost line), and the error code to answer when one of their
    conditions refuses (the request's own refusal stays ``claim_changed``)."""

    build: Callable[[Any], None]
    refusal: str


@dataclass(frozen=True)
class NewCost:
    """A cost or revenue line as staff give it (``amount_vnd``: the line's total, negative to
    correct an earlier line; revenue is the customer's)."""

    version: int
    kind: str
    description: str
    amount_vnd: int
    payer: str
    quantity: int = 1
    part_code: str = ""
    movement_id: str = ""


@dataclass(frozen=True)
class Claim:
    claim_id: str
    version: int
    claim_type: ClaimType
    channel: Channel
    state: ClaimState
    state_since: datetime
    created_at: datetime
    created_by: str
    updated_at: datetime
    serial: str
    model_code: str
    customer: Customer
    description: str
    model_name: str = ""
    category: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)
    preferred_time: str = ""
    photos: tuple[Photo, ...] = ()
    decided: Decided | None = None
    exclusions: tuple[Exclusion, ...] = ()
    routing: Routing | None = None
    assignee_key: str | None = None
    assignee_name: str | None = None
    expected_return: date | None = None
    appointment: datetime | None = None
    due_at: datetime | None = None
    costs: tuple[CostLine, ...] = ()
    quote_vnd: int | None = None
    reopened_from: ClaimState | None = None
    reopen_count: int = 0
    replacement_serial: str | None = None
    rating: int | None = None
    rating_note: str | None = None
    customer_confirmed: bool = False
    outcome: ClaimState | None = None  # the workshop's result (repaired, replaced, …) or the end
    updated_by: str = ""  # who made the last change (the audit trail's actor)
    last_action: str = ""  # the last change's action (create, move, route, …)


@dataclass(frozen=True)
class ClaimDraft:
    """A new request as its filer gives it."""

    claim_type: ClaimType
    serial: str
    customer: Customer
    description: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    preferred_time: str = ""
    photos: tuple[str, ...] = ()  # keys of uploaded photos (processed by the stream)


# -- who acts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who is asking: a staff member or a service company's user (``roles``; ``assignee_key``
    their own: ``tech#<username>`` for a technician, ``company#<id>`` for a company's user), the
    customer (through the tracking link or "my products"), or the schedule."""

    name: str
    roles: frozenset[str] = frozenset()
    assignee_key: str | None = None
    customer: bool = False
    system: bool = False

    @staticmethod
    def the_customer() -> Caller:
        return Caller("customer", customer=True)

    @staticmethod
    def the_system() -> Caller:
        return Caller("system", system=True)

    @property
    def desk(self) -> bool:
        return bool(self.roles & DESK_ROLES)

    @property
    def reads_all(self) -> bool:
        """The desk and the accountant read every request."""
        return bool(self.roles & READER_ROLES)

    @property
    def contacts_customers(self) -> bool:
        """The desk and the assignees call customers; the others (the accountant) see their
        phone masked and no street address."""
        return self.desk or bool(self.assignee_key)


def actor_of(caller: Caller, claim: Claim) -> Actor | None:
    """The caller's part in ``claim``'s moves: the schedule, the customer, the desk (admin,
    customer service, director), the request's assignee, or none (a technician or company user
    it is not assigned to, an accountant).

    >>> c = _example(assignee_key="tech#an")
    >>> actor_of(Caller("an", frozenset({"technician"}), "tech#an"), c).value
    'assignee'
    >>> actor_of(Caller("binh", frozenset({"technician"}), "tech#binh"), c) is None
    True
    >>> actor_of(Caller("lan", frozenset({"cs", "technician"}), "tech#lan"), c).value
    'desk'
    """
    if caller.system:
        return Actor.SYSTEM
    if caller.customer:
        return Actor.CUSTOMER
    if caller.desk:
        return Actor.DESK
    if caller.assignee_key and caller.assignee_key == claim.assignee_key:
        return Actor.ASSIGNEE
    return None


def may_read(caller: Caller, claim: Claim) -> bool:
    """The desk and the accountant read every request; a technician or a company's user only
    those assigned to them (any other is "not found" to them)."""
    return caller.reads_all or caller.customer or actor_of(caller, claim) is not None


# -- the history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a request, numbered by the request's version after it (``seq``)."""

    claim_id: str
    seq: int
    at: datetime
    by: str
    actor: Actor
    action: str  # create | move | edit | verdict | override | route | cost | photo | rating | …
    state_from: ClaimState | None
    state_to: ClaimState
    note: str = ""
    changes: tuple[FieldChange, ...] = ()
    visible: bool = False  # the customer's timeline shows it


# Fields a change records with its before and after (the request's own bookkeeping is left out).
_UNTRACKED = frozenset(
    {
        "version", "updated_at", "state_since", "created_at", "created_by", "claim_id", "channel",
        "updated_by", "last_action",
    }
)  # fmt: skip


def _shown(value: Any) -> str | None:
    """A field's value as the history keeps it: text (money and counts as digits)."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decided):
        return value.status.value
    if isinstance(value, tuple):
        return str(len(value))
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def field_changes(before: Claim | None, after: Claim) -> tuple[FieldChange, ...]:
    """Each tracked field whose value differs, with its before and after as text.

    >>> old = _example()
    >>> new = replace(old, state=ClaimState.TRIAGED, quote_vnd=350000)
    >>> [(c.field, c.before, c.after) for c in field_changes(old, new)]
    [('state', 'new', 'triaged'), ('quote_vnd', None, '350000')]
    """
    found: list[FieldChange] = []
    for name, old, new in _tracked(before, after):
        if old != new:
            found.append(FieldChange(name, old, new))
    return tuple(found)


def _tracked(before: Claim | None, after: Claim) -> Iterator[tuple[str, str | None, str | None]]:
    """Each tracked field's name, before and after as text; the customer's contact one line
    each (``customer_address``…), the phone masked."""
    for spec in fields(Claim):
        if spec.name in _UNTRACKED:
            continue
        if spec.name == "customer":
            for part in fields(Customer):
                yield (
                    f"customer_{part.name}",
                    _contact(before.customer, part.name) if before is not None else None,
                    _contact(after.customer, part.name),
                )
            continue
        old = _shown(getattr(before, spec.name)) if before is not None else None
        yield spec.name, old, _shown(getattr(after, spec.name))


def _contact(customer: Customer, part: str) -> str | None:
    value = str(getattr(customer, part))
    if part == "phone":
        return f"{value[:-4]}****"  # never a full phone in the history
    return value or None


def cost_totals(lines: Sequence[CostLine]) -> dict[str, int]:
    """The request's money: costs (every line but revenue), revenue, profit (revenue − costs),
    and the costs each payer carries.

    >>> at = datetime(2026, 3, 1)
    >>> cost_totals([CostLine("1", "part", "Board", 800000, "warranty", "an", at),
    ...              CostLine("2", "labour", "2 h", 300000, "customer", "an", at),
    ...              CostLine("3", "revenue", "Paid repair", 500000, "customer", "an", at)])
    {'cost_vnd': 1100000, 'revenue_vnd': 500000, 'profit_vnd': -600000, 'warranty_vnd': 800000, \
'customer_vnd': 300000, 'supplier_vnd': 0}
    """
    cost = sum(line.amount_vnd for line in lines if line.kind != "revenue")
    revenue = sum(line.amount_vnd for line in lines if line.kind == "revenue")
    by_payer = {
        payer: sum(x.amount_vnd for x in lines if x.kind != "revenue" and x.payer == payer)
        for payer in ("warranty", "customer", "supplier")
    }
    return {
        "cost_vnd": cost,
        "revenue_vnd": revenue,
        "profit_vnd": revenue - cost,
        **{f"{payer}_vnd": amount for payer, amount in by_payer.items()},
    }


def _example(**overrides: Any) -> Claim:
    at = datetime(2026, 3, 1)
    claim = Claim(
        claim_id="SR-7K3M9Q2X",
        version=1,
        claim_type=ClaimType.REPAIR,
        channel=Channel.PORTAL,
        state=ClaimState.NEW,
        state_since=at,
        created_at=at,
        created_by="customer",
        updated_at=at,
        serial="GAR000000019",
        model_code="AC-9",
        customer=Customer("Lan", "+84912345678"),
        description="Không lạnh",
    )
    return replace(claim, **overrides)
