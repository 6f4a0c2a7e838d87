"""An installer partner: who they are, where to pay them, and the status staff give them.
Pure: no I/O.

A partner signs up (``pending``) or is created by staff (``pending`` or ``approved``); staff
approve or reject a pending partner, suspend an approved one and reinstate a suspended one. Every
change carries who made it and a note (required to reject or suspend) and is kept in the
partner's status history; any other move is ``Conflict("partner_status_not_allowed")``.

>>> normalize_account_holder("  Nguyễn  Văn Đạt ")
'NGUYEN VAN DAT'
>>> mask_digits("0123456789")
'******6789'
"""

from __future__ import annotations

import re
import secrets
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.partners.banks import bank_by_bin

CONSENT_VERSION = "partner-terms-2026-12"  # the consent text's version the sign-up form shows
NOTE_MAX = 500
SELF = "self"  # ``created_by`` of a partner who signed up themselves

_DIGITS = re.compile(r"[0-9]+")
_SEPARATORS = re.compile(r"[\s.\-]")
_HOLDER = re.compile(r"[A-Z]+(?: [A-Z]+)*")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
HOLDER_MAX = 50  # what a VietQR transfer carries


class PartnerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


ALLOWED_MOVES: dict[PartnerStatus, frozenset[PartnerStatus]] = {
    PartnerStatus.PENDING: frozenset({PartnerStatus.APPROVED, PartnerStatus.REJECTED}),
    PartnerStatus.APPROVED: frozenset({PartnerStatus.SUSPENDED}),
    PartnerStatus.SUSPENDED: frozenset({PartnerStatus.APPROVED}),  # reinstated
    PartnerStatus.REJECTED: frozenset(),
}
NOTE_REQUIRED = frozenset({PartnerStatus.REJECTED, PartnerStatus.SUSPENDED})
# Statuses whose sessions are ended on the move (a request re-checks the status anyway).
ENDS_SESSIONS = frozenset({PartnerStatus.REJECTED, PartnerStatus.SUSPENDED})


@dataclass(frozen=True)
class Consent:
    given_at: datetime
    text_version: str


@dataclass(frozen=True)
class StatusChange:
    """One entry of the status history: ``status_from`` is ``None`` for the creation."""

    at: datetime
    by: str
    status_from: PartnerStatus | None
    status_to: PartnerStatus
    note: str


@dataclass(frozen=True)
class PartnerDetails:
    """What a partner (or staff for them) fills in, already normalised."""

    phone: str  # E.164
    name: str
    citizen_id: str
    province: str
    bank_bin: str
    account_number: str
    account_holder: str
    tax_code: str | None = None


@dataclass(frozen=True)
class Commitment:
    """Whether the partner's commitment form (Mẫu 08/CK-TNCN: no other income reaching the
    taxable level) is on file, recorded by whom and when; on file, nothing is withheld."""

    on_file: bool
    by: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Partner:
    partner_id: str
    details: PartnerDetails
    consent: Consent
    status: PartnerStatus
    created_at: datetime
    created_by: str  # ``self`` or a staff username
    history: tuple[StatusChange, ...]
    commitment: Commitment | None = None  # never recorded: not on file

    @property
    def phone(self) -> str:
        return self.details.phone


def new_partner_id(now: datetime | None = None) -> str:
    """``p_`` + 26 Crockford base32 characters: 48 bits of milliseconds, 80 random bits (a
    ULID's layout, so ids sort roughly by creation)."""
    millis = int((now.timestamp() if now else time.time()) * 1000) & (2**48 - 1)
    value = (millis << 80) | secrets.randbits(80)
    chars = [_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5)]
    return "p_" + "".join(chars)


def new_partner(
    details: PartnerDetails,
    *,
    status: PartnerStatus,
    by: str,
    at: datetime,
    note: str = "",
    partner_id: str | None = None,
) -> Partner:
    """A partner as created: ``pending`` (a sign-up) or, by staff, ``pending`` or ``approved``."""
    if status not in (PartnerStatus.PENDING, PartnerStatus.APPROVED):
        raise Invalid(fields=[FieldError("status", "partner_status_invalid")])
    return Partner(
        partner_id=partner_id or new_partner_id(at),
        details=details,
        consent=Consent(given_at=at, text_version=CONSENT_VERSION),
        status=status,
        created_at=at,
        created_by=by,
        history=(StatusChange(at, by, None, status, note),),
    )


def change_status(
    partner: Partner, to: PartnerStatus, *, note: str, by: str, at: datetime
) -> Partner:
    """The partner after the move to ``to``; ``Conflict("partner_status_not_allowed")`` for a
    move the status machine has not, ``Invalid`` (``note_required``) without a needed note."""
    if to not in ALLOWED_MOVES[partner.status]:
        raise Conflict("partner_status_not_allowed", status=partner.status.value, to=to.value)
    if to in NOTE_REQUIRED and not note.strip():
        raise Invalid(fields=[FieldError("note", "note_required")])
    change = StatusChange(at, by, partner.status, to, note.strip())
    return replace(partner, status=to, history=(*partner.history, change))


# -- normalising what people type --------------------------------------------------------------


def _digits_only(raw: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))


def normalize_citizen_id(raw: str) -> str:
    """9 digits (the old identity card) or 12 (the citizen identity card); spaces forgiven."""
    value = _digits_only(raw)
    if not (_DIGITS.fullmatch(value) and len(value) in (9, 12)):
        raise Invalid("citizen_id_invalid")
    return value


def normalize_account_number(raw: str) -> str:
    """6–19 digits; spaces, dots and dashes as printed on a card are forgiven."""
    value = _digits_only(raw)
    if not (_DIGITS.fullmatch(value) and 6 <= len(value) <= 19):
        raise Invalid("account_number_invalid")
    return value


def normalize_account_holder(raw: str) -> str:
    """As banks print it: upper case, no Vietnamese marks (``Đ`` → ``D``), single spaces."""
    text = unicodedata.normalize("NFD", raw.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in text if not unicodedata.combining(c))
    value = " ".join(bare.upper().split())
    if not value:
        raise Invalid("account_holder_required")
    if len(value) > HOLDER_MAX:
        raise Invalid("account_holder_too_long")
    if not _HOLDER.fullmatch(value):
        raise Invalid("account_holder_invalid")
    return value


def valid_bank_bin(raw: str) -> str:
    """A BIN of :data:`chalicelib.partners.banks.BANKS`."""
    if bank_by_bin(raw.strip()) is None:
        raise Invalid("bank_bin_invalid")
    return raw.strip()


def mask_digits(value: str, keep: int = 4) -> str:
    """All but the last ``keep`` characters hidden: what cs (and an audit entry) see."""
    return "*" * max(len(value) - keep, 0) + value[-keep:]
