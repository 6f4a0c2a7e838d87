"""Customers as staff find them: everyone who activated, by phone, by the start of the name or
by a unit's serial; a customer's units, consents and messages; the full name and phone only on an
explicit reveal, which the audit trail records.

No search lists customers by a scan: a phone is the customers table's key (HMAC of the E.164
number), a serial is the units table's key and carries its owner's phone, a name is a
``begins_with`` query on the brand's folded-name index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.phone import normalize_vn_mobile, phone_key
from chalicelib.core.text import fold_name

if TYPE_CHECKING:
    from chalicelib.catalog.model import Unit
    from chalicelib.outbox.model import OutboundMessage

MIN_NAME_PREFIX = 2  # folded characters: one letter would page through half the brand
MAX_NAME_QUERY = 100
REVEALED = "customer_revealed"


class SearchMode(StrEnum):
    PHONE = "phone"
    NAME = "name"
    SERIAL = "serial"


@dataclass(frozen=True)
class Consent:
    """One purpose's decision as recorded at activation: given or refused, when, through which
    channel, under which version of the notice, and what shows it (``activation:<serial>``)."""

    purpose: str
    granted: bool
    at: datetime
    channel: str
    notice_version: str
    evidence: str


@dataclass(frozen=True)
class Customer:
    """``customer_id`` is the customers table's key (HMAC of the phone): stable and opaque, so
    it may travel in a URL where the phone never does."""

    customer_id: str
    name: str
    phone: str
    consents: tuple[Consent, ...]
    updated_at: datetime


@dataclass(frozen=True)
class CustomerPage:
    customers: list[Customer]
    after: str | None  # the last customer_id read when more may follow (name searches)


@dataclass(frozen=True)
class CustomerProfile:
    customer: Customer
    units: list[Unit]
    messages: list[OutboundMessage]


class CustomerStore(Protocol):
    def get(self, customer_id: str) -> Customer | None:
        """The brand's customer; ``None`` when unknown or another brand's."""
        ...

    def find_by_name(
        self, prefix: str, *, limit: int, after: str | None
    ) -> tuple[list[Customer], str | None]: ...


class OwnedUnits(Protocol):
    def find(self, serial: str) -> Unit | None: ...
    def list_by_owner(self, owner_key: str) -> list[Unit]: ...


class MessagesTo(Protocol):
    def __call__(self, recipient_key: str) -> list[OutboundMessage]: ...


class Audit(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


def search_mode(params: dict[str, str]) -> tuple[SearchMode, str]:
    """The one search a query asks for (``phone``, ``name`` or ``serial``), else ``Invalid``."""
    given = [mode for mode in SearchMode if mode.value in params]
    if len(given) != 1:
        raise Invalid("customer_search_mode")
    return given[0], params[given[0].value]


def name_prefix(raw: str) -> str:
    """The folded prefix a name search queries; field errors on ``name`` when too short/long."""
    if len(raw) > MAX_NAME_QUERY:
        raise Invalid(fields=[FieldError("name", "customer_name_too_long")])
    prefix = fold_name(raw)
    if len(prefix) < MIN_NAME_PREFIX:
        raise Invalid(fields=[FieldError("name", "customer_name_too_short")])
    return prefix


def find_by_phone(raw: str, *, pepper: bytes, customers: CustomerStore) -> CustomerPage:
    """The customer with this phone, written any way Vietnamese numbers are (``0912 345 678``,
    ``+84912345678``, ``84-912-345-678``, a pre-2018 11-digit number): one key read."""
    try:
        phone = normalize_vn_mobile(raw)
    except Invalid as exc:
        raise Invalid(fields=[FieldError("phone", exc.code)]) from None
    found = customers.get(phone_key(pepper, phone))
    return CustomerPage([found] if found else [], None)


def find_by_serial(
    serial: str, *, pepper: bytes, customers: CustomerStore, units: OwnedUnits
) -> CustomerPage:
    """The owner of the unit with this (normalised) serial: the unit, then its owner's key."""
    unit = units.find(serial)
    if unit is None or unit.activation is None:
        return CustomerPage([], None)
    found = customers.get(phone_key(pepper, unit.activation.owner.phone))
    return CustomerPage([found] if found else [], None)


def find_by_name(
    raw: str, *, limit: int, after: str | None, customers: CustomerStore
) -> CustomerPage:
    """The brand's customers whose folded name starts like ``raw`` folded (``tran thi`` finds
    "Trần Thị Bình"), in name order, one page."""
    found, last = customers.find_by_name(name_prefix(raw), limit=limit, after=after)
    return CustomerPage(found, last)


def profile(
    customer_id: str, *, customers: CustomerStore, units: OwnedUnits, messages: MessagesTo
) -> CustomerProfile:
    """A customer with their units (the units' ``owner_index``) and the brand's messages to
    them (the outbox's ``recipient_index``); ``NotFound`` for another brand's customer too."""
    customer = customers.get(customer_id)
    if customer is None:
        raise NotFound("customer_not_found")
    return CustomerProfile(
        customer, units.list_by_owner(customer_id), messages(customer.customer_id)
    )


def reveal(
    customer_id: str, *, by: str, source: str, now: datetime, customers: CustomerStore, audit: Audit
) -> Customer:
    """The customer's full name and phone for a staff member; the reveal is recorded first
    (``customer_revealed``, the request id as its source), so nothing is shown unrecorded."""
    customer = customers.get(customer_id)
    if customer is None:
        raise NotFound("customer_not_found")
    audit.record(
        AuditEntry(
            at=now,
            actor=by,
            action=REVEALED,
            entity="customer",
            entity_id=customer_id,
            source=source,
            extra={"fields": "name,phone"},
        )
    )
    return customer
