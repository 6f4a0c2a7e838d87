"""What a change of a service request tells, read from the claims stream's two images: the
customer (one message per customer-visible arrival, ``states.CUSTOMER_MESSAGES``, and one each
time the expected return date is set or moved, ``claim_return_date``; every message carries the
tracking link) and the audit trail (one entry per change: who, which action, each field's before
and after, the customer masked). Pure: no I/O.

Each message's id is ``message_id_for(kind, claim_id, str(version))``: a record delivered twice
makes the same message, which the outbox's conditional put keeps once; each audit entry's source
is the stream record's id, which the trail writes once.

>>> from datetime import date
>>> from dataclasses import replace
>>> from chalicelib.claims.model import _example
>>> old = _example()
>>> new = replace(old, state=ClaimState.TRIAGED, version=2)
>>> message_kinds(None, old), message_kinds(old, new)
(['claim_received'], [])
>>> message_kinds(new, replace(new, state=ClaimState.ACCEPTED, expected_return=date(2026, 3, 9)))
['claim_accepted', 'claim_return_date']
>>> vnd(350000, "vi"), vnd(350000, "en")
('350.000 ₫', '350,000 VND')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.audit.model import AuditEntry
from chalicelib.claims.model import Claim, Customer, field_changes
from chalicelib.claims.states import CUSTOMER_MESSAGES, FINISHED, RETURN_DATE_MESSAGE, ClaimState
from chalicelib.claims.tracking import tracking_token, tracking_url
from chalicelib.core.i18n import text
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.outbox.compose import format_day, new_message
from chalicelib.outbox.model import OutboundMessage

ENTITY = "claim"
# The history's action → the audit trail's (past tense, like the other entities').
AUDIT_ACTIONS = {
    "create": "created",
    "move": "moved",
    "edit": "updated",
    "note": "noted",
    "route": "routed",
    "verdict": "verdict_decided",
    "override": "verdict_overridden",
    "cost": "cost_added",
    "photo": "photos_changed",
    "rating": "rated",
    "replacement": "replaced",
}
# No return date is told once the unit is back or the request is over.
_NO_RETURN_DATE = FINISHED | {ClaimState.CANCELLED, ClaimState.READY_FOR_RETURN}


@dataclass(frozen=True)
class NoticeContext:
    """What the messages need: the pepper of phone keys, the brand, the portal's address and
    the tracking links' key, the hotline."""

    pepper: bytes
    brand_id: str
    portal_url: str
    tracking_key: bytes
    hotline: str


def message_kinds(before: Claim | None, after: Claim) -> list[str]:
    """The customer's messages a change makes (``before`` is ``None`` for a new request)."""
    kinds: list[str] = []
    if before is None or before.state is not after.state:
        arrival = CUSTOMER_MESSAGES.get(after.state)
        if arrival:
            kinds.append(arrival)
    moved = before is None or before.expected_return != after.expected_return
    if after.expected_return and moved and after.state not in _NO_RETURN_DATE:
        kinds.append(RETURN_DATE_MESSAGE)
    return kinds


def vnd(amount: int, language: str) -> str:
    """An amount as the customer reads it: ``350.000 ₫`` (vi), ``350,000 VND`` (en)."""
    grouped = f"{amount:,}"
    return grouped.replace(",", ".") + " ₫" if language == "vi" else f"{grouped} VND"


def _fields(kind: str, claim: Claim, context: NoticeContext) -> dict[str, str]:
    language = claim.customer.language
    token = tracking_token(context.tracking_key, claim.claim_id)
    fields = {
        "customer_name": claim.customer.name or text("customer_fallback_name", language),
        "claim_id": claim.claim_id,
        "model": claim.model_name or claim.model_code,
        "serial": claim.serial,
        "tracking_url": tracking_url(context.portal_url, claim.claim_id, token),
        "hotline": context.hotline,
    }
    if kind == "claim_quoted":
        fields["quote"] = vnd(claim.quote_vnd or 0, language)
    if kind == RETURN_DATE_MESSAGE and claim.expected_return:
        fields["return_date"] = format_day(claim.expected_return, language)
    return fields


def customer_messages(
    before: Claim | None, after: Claim, context: NoticeContext
) -> list[OutboundMessage]:
    """The change's messages to the customer, in their language, each keyed by the request's
    reference and version."""
    return [
        new_message(
            kind,
            business_key=(after.claim_id, str(after.version)),
            brand_id=context.brand_id,
            phone=after.customer.phone,
            language=after.customer.language,
            fields=_fields(kind, after, context),
            subject=after.claim_id,
            now=after.updated_at,
            pepper=context.pepper,
        )
        for kind in message_kinds(before, after)
    ]


def _hidden(value: str) -> str | None:
    return "•••" if value else None


# what the audit keeps of the customer's contact (the request's own history shows it to the
# staff who may call them; the audit trail is read more widely and kept longer)
_HIDDEN: dict[str, Callable[[Customer], str | None]] = {
    "name": lambda c: mask_name(c.name) or None,
    "phone": lambda c: mask_phone(c.phone),
    "address": lambda c: _hidden(c.address),
}
# the customer's own words may name them or give a number: the trail says they changed, the
# request (which an erasure scrubs) keeps what they said
_FREE_TEXTS = frozenset({"description", "preferred_time", "answers", "rating_note"})


def audit_entry(
    before: Claim | None, after: Claim, *, source: str, order: str = ""
) -> AuditEntry | None:
    """The change as one audit entry (``None``: nothing a person would read changed, e.g. the
    stream's own photo cleaning). The customer's name and phone are masked, their address
    and their own words (description, preferred time, answers, rating note) hidden."""
    changes = field_changes(before, after)
    if not changes:
        return None
    masked = {
        f"customer_{part}": (hide(before.customer) if before else None, hide(after.customer))
        for part, hide in _HIDDEN.items()
    }
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for change in changes:
        was, now = masked.get(change.field, (change.before, change.after))
        if change.field in _FREE_TEXTS:
            was, now = _hidden(change.before or ""), _hidden(change.after or "")
        if was is not None:
            old[change.field] = was
        if now is not None:
            new[change.field] = now
    return AuditEntry(
        at=after.updated_at,
        actor=after.updated_by or "system",
        action=AUDIT_ACTIONS.get(after.last_action, "updated"),
        entity=ENTITY,
        entity_id=after.claim_id,
        source=source,
        before=old or None,
        after=new,
        extra={"state": after.state.value, "version": str(after.version)},
        order=order,
    )
