"""Shipments: units scanned out to a dealer. Pure: no I/O.

A shipment is a ``draft`` while the warehouse scans (the scans are stored server-side, one item
per serial, so a reload or another device sees them), then ``confirming`` while its units are
written in chunks (each chunk records its progress, so a cut-short confirmation continues where
it stopped), then ``confirmed``; a draft or a confirmed shipment can be ``cancelled`` (its units
not yet activated go back to ``registered``).

Why a unit cannot be shipped, from its status (the same reasons at scan and at confirmation):

>>> refusal_for_status("activated"), refusal_for_status("void"), refusal_for_status("registered")
('unit_already_activated', 'unit_void', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, Invalid
from chalicelib.core.ids import new_id

DOCUMENT_MAX = 40
_DOCUMENT = re.compile(r"[\w./#-]+(?: [\w./#-]+)*", re.UNICODE)
SCAN_MAX = 64  # a serial or a carton code (an SSCC is 18 digits, 20 with its AI "00")
MAX_UNITS = 5000  # units a shipment may hold (a truck): 51 chunks to confirm


class ShipmentStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMING = "confirming"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Refusal(StrEnum):
    """Why a scanned unit is not in the shipment (catalogue codes, vi + en)."""

    NOT_FOUND = "unit_not_found"
    SHIPPED = "unit_already_shipped"
    ACTIVATED = "unit_already_activated"
    VOID = "unit_void"
    IN_ANOTHER_DRAFT = "unit_in_another_draft"
    UNKNOWN_CODE = "scan_code_unknown"
    NOT_SHIPPABLE = "unit_not_shippable"


_BY_STATUS = {
    "shipped": Refusal.SHIPPED,
    "activated": Refusal.ACTIVATED,
    "void": Refusal.VOID,
}


def refusal_for_status(status: str | None) -> str | None:
    """The refusal of a unit in ``status`` (``None``: it can be shipped; no item: not found)."""
    if status is None:
        return Refusal.NOT_FOUND.value
    found = _BY_STATUS.get(status)
    return found.value if found else None


@dataclass(frozen=True)
class Refused:
    serial: str
    reason: str  # a Refusal's value
    detail: str = ""  # e.g. the other draft's id, the status met at confirmation


def refused_at_confirmation(serial: str, status: str | None, shipment_id: str) -> Refused:
    """A unit whose conditional update failed, from what it was then: activated meanwhile,
    shipped by another shipment, voided, or gone.

    >>> refused_at_confirmation("GAR1", "shipped", "s_other")
    Refused(serial='GAR1', reason='unit_already_shipped', detail='s_other')
    """
    reason = refusal_for_status(status) or Refusal.NOT_SHIPPABLE.value
    return Refused(serial, reason, shipment_id if status == "shipped" else (status or ""))


@dataclass(frozen=True)
class ScannedUnit:
    """A unit as a scan sees it (from the catalog): its model, status and shipment."""

    serial: str
    model_code: str
    status: str
    shipment_id: str = ""


@dataclass(frozen=True)
class Scan:
    """One serial in a draft (an item of its own: a 2,000-unit draft never nears 400 KB)."""

    serial: str
    model_code: str
    scanned_at: datetime
    scanned_by: str
    carton: str = ""
    returned: bool = False  # given back by the dealer after the shipment shipped it


@dataclass(frozen=True)
class ShipmentDetails:
    dealer_id: str
    ship_date: date
    document_number: str


@dataclass(frozen=True)
class Progress:
    """What the confirmation has done so far: the last serial of the last committed chunk
    (scans are read in serial order), units shipped, units set aside with their reason."""

    cursor: str = ""
    shipped: int = 0
    refused: tuple[Refused, ...] = ()
    chunks: int = 0


@dataclass(frozen=True)
class Shipment:
    shipment_id: str
    details: ShipmentDetails
    dealer_code: str
    dealer_name: str
    status: ShipmentStatus
    created_at: datetime
    created_by: str
    updated_at: datetime
    counts: Mapping[str, int] = field(default_factory=dict)  # model code → units scanned
    progress: Progress = field(default_factory=Progress)
    confirmed_by: str = ""
    confirmed_at: datetime | None = None
    cancelled_by: str = ""
    cancelled_at: datetime | None = None
    kept: tuple[str, ...] = ()  # activated units a cancellation left with the dealer
    returned: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def with_progress(self, progress: Progress) -> Shipment:
        return replace(self, progress=progress)


@dataclass(frozen=True)
class ShipmentSummary:
    shipment_id: str
    dealer_id: str
    dealer_code: str
    dealer_name: str
    ship_date: date
    document_number: str
    status: ShipmentStatus
    total: int
    shipped: int
    created_by: str
    created_at: datetime
    returned: int = 0  # taken back from the dealer while the shipment stood
    kept: int = 0  # activated units a cancellation left with the dealer


def summary(shipment: Shipment) -> ShipmentSummary:
    return ShipmentSummary(
        shipment_id=shipment.shipment_id,
        dealer_id=shipment.details.dealer_id,
        dealer_code=shipment.dealer_code,
        dealer_name=shipment.dealer_name,
        ship_date=shipment.details.ship_date,
        document_number=shipment.details.document_number,
        status=shipment.status,
        total=shipment.total,
        shipped=shipment.progress.shipped,
        created_by=shipment.created_by,
        created_at=shipment.created_at,
        returned=shipment.returned,
        kept=len(shipment.kept),
    )


def new_shipment_id(now: datetime | None = None) -> str:
    """``s_`` + 26 Crockford base32 characters (a ULID's layout: ids sort by creation)."""
    return new_id("s_", now)


def clean_document_number(raw: str) -> str:
    """The delivery note's number as printed: trimmed, inner spaces collapsed, at most 40
    letters, digits and ``. / # - _``.

    >>> clean_document_number("  PXK  2026/0012 ")
    'PXK 2026/0012'
    """
    cleaned = " ".join(raw.split())
    if not cleaned:
        raise Invalid("shipment_document_required")
    if len(cleaned) > DOCUMENT_MAX or not _DOCUMENT.fullmatch(cleaned):
        raise Invalid("shipment_document_invalid")
    return cleaned


def clean_scan_code(raw: str) -> str:
    """A scanned code as the scanner typed it, trimmed; an SSCC's ``(00)`` / ``00`` prefix is
    the carton's, kept as it is (the carton lookup normalises it).

    >>> clean_scan_code(" gar00000017w\\r")
    'GAR00000017W'
    """
    code = raw.strip().upper()
    if not code or len(code) > SCAN_MAX or not code.isprintable() or " " in code:
        raise Invalid("scan_code_invalid")
    return code


def require_draft(shipment: Shipment) -> None:
    """Scans change only while the shipment is a draft."""
    if shipment.status is not ShipmentStatus.DRAFT:
        raise Conflict("shipment_not_draft", status=shipment.status.value)


def counts_by_model(scans: Iterable[Scan]) -> dict[str, int]:
    """``{"AC-9": 2, "AC-12": 1}`` from the scans, models in code order."""
    counts: dict[str, int] = {}
    for scan in scans:
        counts[scan.model_code] = counts.get(scan.model_code, 0) + 1
    return dict(sorted(counts.items()))


def check_unit(unit: ScannedUnit | None, *, other_draft: str | None) -> Refused | None:
    """Why a scanned unit cannot join the draft, or ``None``: it exists, is ``registered`` and
    no other draft holds it."""
    if unit is None:
        return None  # the caller tries the code as a carton
    reason = refusal_for_status(unit.status)
    if reason is not None:
        return Refused(unit.serial, reason, unit.shipment_id)
    if other_draft:
        return Refused(unit.serial, Refusal.IN_ANOTHER_DRAFT.value, other_draft)
    return None
