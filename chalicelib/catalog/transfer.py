"""Ownership transfer: the owner of an activated unit starts it on "my products" naming the new
owner's phone; the new owner confirms with the code sent to that phone, giving their name and
consents; the unit changes owner in one transaction and keeps its warranty as it was (the
terms run from the unit's own start, whoever owns it), its history naming both owners, masked.

The code is six digits, kept as an HMAC under the new owner's phone key, good for 48 hours and
five tries; a new start replaces the pending transfer (and its code), at most one a minute.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 12, 4, 8, tzinfo=UTC)
>>> transfer_note("Nguyễn Văn An", "+84912345678", "Trần Thị Bình", "+84987654321")
'N***** V** A* (+84 91* *** *78) → T*** T** B*** (+84 98* *** *21)'
>>> send_refusal(None, at) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.activation import otp
from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog.model import Owner, Unit, UnitStatus
from chalicelib.core.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorized
from chalicelib.core.observability import logger
from chalicelib.core.phone import mask_phone, phone_key
from chalicelib.core.text import mask_name
from chalicelib.outbox.compose import format_day, new_message
from chalicelib.outbox.model import OutboundMessage

TRANSFER_TTL = timedelta(hours=48)
RESEND_AFTER = timedelta(seconds=60)
MAX_ATTEMPTS = 5
EVENT = "transferred"


@dataclass(frozen=True)
class PendingTransfer:
    serial: str
    from_key: str
    to_key: str
    to_masked: str
    code_hash: str
    language: str
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0


class TransferStore(Protocol):
    def pending(self, serial: str, now: datetime) -> PendingTransfer | None:
        """The unit's live pending transfer (an expired one reads as none)."""
        ...

    def start(self, transfer: PendingTransfer) -> None:
        """Store ``transfer``, replacing any earlier one of the unit."""
        ...

    def cancel(self, serial: str, from_key: str) -> bool: ...

    def count_attempt(self, transfer: PendingTransfer) -> bool:
        """One more wrong code (conditional on the attempts read); ``False`` when another try
        counted first."""
        ...

    def complete(
        self,
        transfer: PendingTransfer,
        *,
        owner: Owner,
        consents: Sequence[ConsentGrant],
        language: str,
        at: datetime,
        note: str,
    ) -> None:
        """The unit's new owner, their customer item and the transfer's end, one transaction:
        ``Conflict("transfer_changed")`` when the unit is no longer the sender's, or the
        transfer was replaced or used meanwhile."""
        ...


class TransferUnits(Protocol):
    def get(self, serial: str) -> Unit: ...


@dataclass(frozen=True)
class Started:
    transfer: PendingTransfer
    code: str  # to send, never stored
    unit: Unit


def transfer_note(old_name: str, old_phone: str, new_name: str, new_phone: str) -> str:
    """The history entry's note: both owners, masked."""
    return (
        f"{mask_name(old_name)} ({mask_phone(old_phone)}) → "
        f"{mask_name(new_name)} ({mask_phone(new_phone)})"
    )


def send_refusal(pending: PendingTransfer | None, now: datetime) -> int | None:
    """Seconds to wait before another start, or ``None`` when one may go now."""
    if pending is None or now - pending.issued_at >= RESEND_AFTER:
        return None
    return max(int((pending.issued_at + RESEND_AFTER - now).total_seconds()) + 1, 1)


def _owned(unit: Unit, owner_key: str, pepper: bytes) -> Owner:
    """The unit's owner, when ``owner_key`` is theirs (else: as if there were no such unit)."""
    activation = unit.activation
    if activation is None or phone_key(pepper, activation.owner.phone) != owner_key:
        raise NotFound("unit_not_found")
    if unit.status is not UnitStatus.ACTIVATED:
        raise Conflict("unit_not_transferable")
    return activation.owner


def start(
    serial: str,
    owner_key: str,
    new_phone: str,
    *,
    language: str,
    now: datetime,
    pepper: bytes,
    units: TransferUnits,
    transfers: TransferStore,
) -> Started:
    """A pending transfer of the owner's unit to ``new_phone`` and its code (for the caller to
    send). ``unit_not_found`` for a unit that is not the caller's, ``transfer_same_owner`` for
    their own phone, ``transfer_rate_limited`` within a minute of the last start."""
    try:
        unit = units.get(serial)
    except NotFound:
        raise NotFound("unit_not_found") from None
    owner = _owned(unit, owner_key, pepper)
    if new_phone == owner.phone:
        raise Conflict("transfer_same_owner")
    wait = send_refusal(transfers.pending(serial, now), now)
    if wait is not None:
        raise TooManyRequests("transfer_rate_limited", retry_after=wait)
    to_key = phone_key(pepper, new_phone)
    code = otp.new_code()
    transfer = PendingTransfer(
        serial=serial,
        from_key=owner_key,
        to_key=to_key,
        to_masked=mask_phone(new_phone),
        code_hash=otp.hash_code(pepper, to_key, code),
        language=language,
        issued_at=now,
        expires_at=now + TRANSFER_TTL,
    )
    transfers.start(transfer)
    logger.info("ownership transfer started", extra={"serial": serial})
    return Started(transfer=transfer, code=code, unit=unit)


def pending_of(
    serial: str, owner_key: str, *, now: datetime, pepper: bytes, units: TransferUnits,
    transfers: TransferStore,
) -> PendingTransfer | None:  # fmt: skip
    """The owner's pending transfer of their unit, if any."""
    try:
        unit = units.get(serial)
    except NotFound:
        raise NotFound("unit_not_found") from None
    activation = unit.activation
    if activation is None or phone_key(pepper, activation.owner.phone) != owner_key:
        raise NotFound("unit_not_found")
    found = transfers.pending(serial, now)
    return found if found is not None and found.from_key == owner_key else None


@dataclass(frozen=True)
class Accepted:
    unit: Unit  # as it is now: the new owner's
    previous: Owner
    owner: Owner
    previous_language: str


def accept(
    serial: str,
    code: str,
    owner: Owner,
    consents: Sequence[ConsentGrant],
    *,
    language: str,
    now: datetime,
    pepper: bytes,
    units: TransferUnits,
    transfers: TransferStore,
) -> Accepted:
    """The new owner's confirmation. A phone the pending transfer is not for, or no pending
    transfer, is ``transfer_not_found`` (the same answer: nothing says a transfer exists); a
    wrong code is ``transfer_code_wrong`` with the tries left, the sixth ``transfer_code_
    exhausted``; an expired transfer ``transfer_expired``."""
    if not any(c.purpose == "warranty_service" and c.granted for c in consents):
        raise Invalid("consent_required")
    to_key = phone_key(pepper, owner.phone)
    pending = transfers.pending(serial, now - TRANSFER_TTL)  # an expired one too: to say so
    if pending is None or pending.to_key != to_key:
        raise NotFound("transfer_not_found")
    if pending.expires_at <= now:
        raise Conflict("transfer_expired")
    if pending.attempts >= MAX_ATTEMPTS:
        raise Conflict("transfer_code_exhausted")
    if otp.hash_code(pepper, to_key, code) != pending.code_hash:
        if not transfers.count_attempt(pending):
            raise Conflict("transfer_changed")
        left = MAX_ATTEMPTS - pending.attempts - 1
        if left <= 0:
            raise Conflict("transfer_code_exhausted")
        raise Unauthorized("transfer_code_wrong", attempts_left=left)
    unit = units.get(serial)
    if (
        unit.activation is None
        or phone_key(pepper, unit.activation.owner.phone) != pending.from_key
    ):
        raise Conflict("transfer_changed")
    previous = unit.activation.owner
    transfers.complete(
        pending,
        owner=owner,
        consents=consents,
        language=language,
        at=now,
        note=transfer_note(previous.name, previous.phone, owner.name, owner.phone),
    )
    logger.info("ownership transferred", extra={"serial": serial})
    after = replace(unit.activation, owner=owner, language=language)
    return Accepted(
        unit=replace(unit, activation=after),
        previous=previous,
        owner=owner,
        previous_language=unit.activation.language,
    )


@dataclass(frozen=True)
class MessageContext:
    brand_id: str
    pepper: bytes
    hotline: str
    model_name: str
    now: datetime


def code_message(
    started: Started, phone: str, url: str, context: MessageContext
) -> OutboundMessage:
    """The code to the new owner, with the page to confirm on (one message per start)."""
    transfer = started.transfer
    return new_message(
        "transfer_code",
        business_key=(transfer.serial, transfer.issued_at.isoformat()),
        brand_id=context.brand_id,
        phone=phone,
        language=transfer.language,
        fields={"code": started.code, "model": context.model_name, "serial": transfer.serial,
                "transfer_url": url},
        subject=transfer.serial,
        now=context.now,
        pepper=context.pepper,
        expires_at=transfer.expires_at,
    )  # fmt: skip


def done_messages(
    accepted: Accepted, language: str, context: MessageContext
) -> list[OutboundMessage]:
    """The new owner's confirmation and the former owner's notice (its id per transfer)."""
    unit, serial = accepted.unit, accepted.unit.serial
    end = unit.activation.warranty_end if unit.activation else None
    key = (serial, context.now.isoformat())
    welcome = new_message(
        "transfer_done",
        business_key=key,
        brand_id=context.brand_id,
        phone=accepted.owner.phone,
        language=language,
        fields={"customer_name": accepted.owner.name, "model": context.model_name,
                "serial": serial, "warranty_end": format_day(end, language) if end else "",
                "hotline": context.hotline},
        subject=serial,
        now=context.now,
        pepper=context.pepper,
    )  # fmt: skip
    notice = new_message(
        "transfer_notice",
        business_key=key,
        brand_id=context.brand_id,
        phone=accepted.previous.phone,
        language=accepted.previous_language,
        fields={"model": context.model_name, "serial": serial,
                "new_owner": mask_phone(accepted.owner.phone), "hotline": context.hotline},
        subject=serial,
        now=context.now,
        pepper=context.pepper,
    )  # fmt: skip
    return [welcome, notice]
