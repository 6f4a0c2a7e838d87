"""Partners' use cases: sign-up and sign-in by phone and a one-time code, staff's list, creation
and status changes. Ports are parameters; every staff change and a partner's own sign-up is an
audit entry, with the citizen ID, the account number and the phone masked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.phone import mask_phone, phone_key
from chalicelib.partners import sessions as partner_sessions
from chalicelib.partners.model import (
    ENDS_SESSIONS,
    SELF,
    Commitment,
    Partner,
    PartnerDetails,
    PartnerStatus,
    change_status,
    mask_digits,
    new_partner,
)
from chalicelib.partners.sessions import IssuedSession, SessionStore

PARTNER_ACTOR = "partner"  # the audit trail's actor for a partner's own act
PARTNER_ID = re.compile(r"p_[0-9a-hjkmnp-tv-z]{26}")


class PartnerStore(Protocol):
    def create(self, partner: Partner, phone_key: str) -> None: ...
    def get(self, partner_id: str) -> Partner | None: ...
    def find_by_phone(self, phone_key: str) -> Partner | None: ...
    def page_by_status(
        self, status: PartnerStatus, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Partner], dict[str, Any] | None]: ...
    def save_status(self, before: Partner, after: Partner) -> None: ...


class PartnerReader(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...


class CommitmentStore(PartnerReader, Protocol):
    def save_commitment(self, partner_id: str, commitment: Commitment) -> None: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


# Checks and uses up the one-time code sent to a phone (``activation.lookup``'s rules):
# ``Unauthorized("otp_…")`` when it does not prove the phone.
PhoneProof = Callable[[str, str], None]


@dataclass(frozen=True)
class Change:
    """Who acts (a staff username, or ``partner``), when, and the request it came from."""

    actor: str
    at: datetime
    source: str


@dataclass(frozen=True)
class SignedIn:
    partner: Partner
    session: IssuedSession


@dataclass(frozen=True)
class PartnerPage:
    partners: list[Partner]
    after: dict[str, Any] | None  # where the next page starts; ``None``: the last page


def audit_view(partner: Partner) -> dict[str, Any]:
    """A partner as the audit trail keeps it: nothing that identifies or pays them in full."""
    details = partner.details
    return {
        "name": details.name,
        "phone": mask_phone(details.phone),
        "citizen_id": mask_digits(details.citizen_id),
        "province": details.province,
        "bank_bin": details.bank_bin,
        "account_number": mask_digits(details.account_number),
        "account_holder": details.account_holder,
        "tax_code": mask_digits(details.tax_code) if details.tax_code else None,
        "status": partner.status.value,
        "created_by": partner.created_by,
    }


def _entry(change: Change, action: str, partner: Partner, **sides: Any) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="partner",
        entity_id=partner.partner_id,
        source=change.source,
        before=sides.get("before"),
        after=sides.get("after"),
        note=sides.get("note") or None,
    )


def sign_up(
    details: PartnerDetails,
    code: str,
    change: Change,
    *,
    pepper: bytes,
    prove_phone: PhoneProof,
    partners: PartnerStore,
    sessions: SessionStore,
    session_key: bytes,
    trail: Trail,
) -> SignedIn:
    """A partner's own sign-up, ``pending`` until staff approve it, signed in at once (a
    pending partner may read their own record). The code is checked first, so the answer
    ``Conflict("partner_exists")`` tells nothing to someone without the phone."""
    prove_phone(details.phone, code)
    partner = new_partner(details, status=PartnerStatus.PENDING, by=SELF, at=change.at)
    partners.create(partner, phone_key(pepper, details.phone))
    trail.record(_entry(change, "partner_signed_up", partner, after=audit_view(partner)))
    issued = partner_sessions.open_session(
        partner.partner_id, now=change.at, key=session_key, store=sessions
    )
    return SignedIn(partner, issued)


def sign_in(
    phone: str,
    code: str,
    *,
    now: datetime,
    pepper: bytes,
    prove_phone: PhoneProof,
    partners: PartnerStore,
    sessions: SessionStore,
    session_key: bytes,
) -> SignedIn:
    """A new session for the phone's partner. The code is checked before the phone is looked
    up: ``NotFound("partner_not_found")`` only ever reaches the phone's holder. A rejected or
    suspended partner is ``Forbidden`` (``partner_rejected``, ``partner_suspended``)."""
    prove_phone(phone, code)
    partner = partners.find_by_phone(phone_key(pepper, phone))
    if partner is None:
        raise NotFound("partner_not_found")
    if partner.status is PartnerStatus.REJECTED:
        raise Forbidden("partner_rejected")
    if partner.status is PartnerStatus.SUSPENDED:
        raise Forbidden("partner_suspended")
    issued = partner_sessions.open_session(
        partner.partner_id, now=now, key=session_key, store=sessions
    )
    return SignedIn(partner, issued)


def create(
    details: PartnerDetails,
    status: PartnerStatus,
    note: str,
    change: Change,
    *,
    pepper: bytes,
    partners: PartnerStore,
    trail: Trail,
) -> Partner:
    """Staff create a partner, ``approved`` or ``pending``; ``Conflict("partner_exists")``
    when the phone belongs to a partner already."""
    partner = new_partner(details, status=status, by=change.actor, at=change.at, note=note)
    partners.create(partner, phone_key(pepper, details.phone))
    trail.record(_entry(change, "partner_created", partner, after=audit_view(partner), note=note))
    return partner


def get(partner_id: str, *, partners: PartnerReader) -> Partner:
    """The partner; ``NotFound("partner_not_found")``, without a read for an id that cannot be
    one (``p_`` + 26 base32 characters)."""
    partner = partners.get(partner_id) if PARTNER_ID.fullmatch(partner_id) else None
    if partner is None:
        raise NotFound("partner_not_found")
    return partner


def set_status(
    partner_id: str,
    to: PartnerStatus,
    note: str,
    change: Change,
    *,
    partners: PartnerStore,
    sessions: SessionStore,
    trail: Trail,
) -> Partner:
    """Move the partner to ``to`` (the status machine of :mod:`model`); rejection and
    suspension end every session of the partner. The write is conditional on the status read,
    so of two staff members acting at once, the second gets ``partner_status_not_allowed``."""
    before = get(partner_id, partners=partners)
    after = change_status(before, to, note=note, by=change.actor, at=change.at)
    partners.save_status(before, after)
    reinstated = before.status is PartnerStatus.SUSPENDED
    trail.record(
        _entry(
            change,
            "partner_reinstated" if reinstated else f"partner_{to.value}",
            after,
            before={"status": before.status.value},
            after={"status": after.status.value},
            note=after.history[-1].note,
        )
    )
    if to in ENDS_SESSIONS:
        # after the status and its audit entry: were this to fail, every request of the
        # partner is refused anyway (the status is read on each), and TTL removes the rest
        sessions.delete_all(partner_id)
    return after


def find_by_phone(phone: str, *, pepper: bytes, partners: PartnerStore) -> PartnerPage:
    """The partner with this phone (E.164), as a one-row page, or an empty page."""
    found = partners.find_by_phone(phone_key(pepper, phone))
    return PartnerPage([found] if found else [], None)


def list_by_status(
    status: PartnerStatus, *, limit: int, after: dict[str, Any] | None, partners: PartnerStore
) -> PartnerPage:
    """Partners in ``status``, oldest first (the review queue reads in arrival order)."""
    found, last = partners.page_by_status(status, limit=limit, after=after)
    return PartnerPage(found, last)


def set_commitment(
    partner_id: str,
    on_file: bool,
    note: str,
    change: Change,
    *,
    partners: CommitmentStore,
    trail: Trail,
) -> Partner:
    """The accountant records whether the partner's commitment form (Mẫu 08/CK-TNCN) is on
    file: a batch made from then on withholds nothing from them (one made before keeps what it
    withheld). Audited (``partner_commitment_recorded``)."""
    before = get(partner_id, partners=partners)
    commitment = Commitment(on_file, change.actor, change.at, note.strip())
    partners.save_commitment(partner_id, commitment)
    was = before.commitment.on_file if before.commitment else False
    trail.record(
        _entry(
            change,
            "partner_commitment_recorded",
            before,
            before={"commitment_on_file": was},
            after={"commitment_on_file": on_file},
            note=commitment.note,
        )
    )
    return replace(before, commitment=commitment)
