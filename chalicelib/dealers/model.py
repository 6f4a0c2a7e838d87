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
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.core.ids import new_id
from chalicelib.core.lifecycle import ALLOWED_MOVES as LIFECYCLE_MOVES
from chalicelib.core.lifecycle import Lifecycle, StatusChange, created, move

_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{1,31}")
NOTE_MAX = 500
NAME_MAX = 150


# The dealers' status machine is the registries' own (core.lifecycle): the names stay, for the
# code that reads ``DealerStatus.ACTIVE``.
DealerStatus = Lifecycle
ALLOWED_MOVES = LIFECYCLE_MOVES


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
    version: int = 1  # +1 on every write: an edit is conditional on the version it read
    updated_at: datetime | None = None
    history: tuple[StatusChange, ...] = ()

    @property
    def name(self) -> str:
        return self.details.name

    @property
    def code(self) -> str:
        return self.details.code


def new_dealer(
    details: DealerDetails, *, by: str, at: datetime, note: str = "", dealer_id: str | None = None
) -> Dealer:
    """A dealer as staff create it: ``active``, version 1, its creation in the history."""
    if details.parent_id is not None and details.parent_id == dealer_id:
        raise Invalid(fields=[FieldError("parent_id", "dealer_parent_self")])
    return Dealer(
        dealer_id=dealer_id or new_dealer_id(at),
        details=details,
        status=DealerStatus.ACTIVE,
        created_at=at,
        created_by=by,
        version=1,
        updated_at=at,
        history=(created(by=by, at=at, note=note),),
    )


def check_parent(dealer_id: str, parent: Dealer | None, parent_id: str | None) -> None:
    """A dealer's distributor: an existing dealer (``dealer_parent_not_found``), not itself
    (``dealer_parent_self``), not one that buys from this dealer (``dealer_parent_cycle``),
    not closed (``dealer_parent_closed``). Only one level is kept: a cycle is two dealers
    naming each other."""
    if parent_id is None:
        return
    if parent_id == dealer_id:
        raise Invalid(fields=[FieldError("parent_id", "dealer_parent_self")])
    if parent is None:
        raise Invalid(fields=[FieldError("parent_id", "dealer_parent_not_found")])
    if parent.details.parent_id == dealer_id:
        raise Invalid(fields=[FieldError("parent_id", "dealer_parent_cycle")])
    if parent.status is DealerStatus.CLOSED:
        raise Invalid(fields=[FieldError("parent_id", "dealer_parent_closed")])


def edit(dealer: Dealer, details: DealerDetails, *, at: datetime) -> Dealer:
    """The dealer with new details (its code never changes: shipments and labels carry it)."""
    if details.code != dealer.details.code:
        raise Invalid(fields=[FieldError("code", "dealer_code_fixed")])
    if dealer.status is DealerStatus.CLOSED:
        raise Conflict("dealer_closed")
    return replace(dealer, details=details, version=dealer.version + 1, updated_at=at)


def change_status(dealer: Dealer, to: DealerStatus, *, note: str, by: str, at: datetime) -> Dealer:
    """The dealer after the move to ``to``: ``Conflict("dealer_status_not_allowed")`` for a
    move the status machine has not; ``Invalid`` (``note_required``) to suspend or close
    without a note."""
    refused = "dealer_status_not_allowed"
    change = move(dealer.status, to, note=note, by=by, at=at, refused=refused)
    return replace(
        dealer,
        status=to,
        version=dealer.version + 1,
        updated_at=at,
        history=(*dealer.history, change),
    )


def normalize_dealer_code(raw: str) -> str:
    """Upper-case, trimmed; 2–32 letters, digits, dot, dash or underscore, else ``Invalid``."""
    code = raw.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid(fields=[FieldError("code", "dealer_code_invalid")])
    return code


def new_dealer_id(now: datetime | None = None) -> str:
    """``d_`` + 26 Crockford base32 characters (a ULID's layout, like partners' ids)."""
    return new_id("d_", now)
