"""A dealer as the rest of the code sees it: who it is, where, who it buys from, its status.
Pure: no I/O.

A dealer (or a distributor: a dealer other dealers buy from) is ``active`` when created; staff
suspend it (no new shipment goes to it, its users cannot sign in) and reinstate it, or close it
for good. ``code`` is the manufacturer's own short code for it, unique, upper-case.

>>> normalize_dealer_code("  hn-01 ")
'HN-01'
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import FieldError, Invalid

_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{1,31}")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class DealerStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


@dataclass(frozen=True)
class DealerDetails:
    """What staff fill in for a dealer, already normalised."""

    code: str
    name: str
    province: str  # one of the 34 units since July 2025 (core.provinces)
    address: str = ""
    tax_code: str | None = None
    contact_phone: str | None = None  # E.164: the weekly "not yet activated" message goes here
    parent_id: str | None = None  # the distributor it buys from


@dataclass(frozen=True)
class Dealer:
    dealer_id: str
    details: DealerDetails
    status: DealerStatus
    created_at: datetime
    created_by: str

    @property
    def name(self) -> str:
        return self.details.name


def normalize_dealer_code(raw: str) -> str:
    """Upper-case, trimmed; 2–32 letters, digits, dot, dash or underscore, else ``Invalid``."""
    code = raw.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid(fields=[FieldError("code", "dealer_code_invalid")])
    return code


def new_dealer_id(now: datetime | None = None) -> str:
    """``d_`` + 26 Crockford base32 characters (a ULID's layout, like partners' ids)."""
    millis = int((now.timestamp() if now else time.time()) * 1000) & (2**48 - 1)
    value = (millis << 80) | secrets.randbits(80)
    return "d_" + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))
