"""Response shapes of service requests for staff: a row of the table or the board, the request's
page (fields, verdict with its reasons in the caller's language, history, costs, the moves the
caller may make now). A customer's phone and address are shown in full to those who contact
customers (the desk, the assignee); the accountant sees the phone masked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from chalicelib.claims.eligibility import describe
from chalicelib.claims.model import Claim, Decided, HistoryEntry, Reason, cost_totals
from chalicelib.claims.service import Column, Detail
from chalicelib.core.phone import mask_phone
from chalicelib.outbox.model import OutboundMessage
from chalicelib.platform.views import iso_day, iso_time


def reason_view(reason: Reason, language: str) -> dict[str, Any]:
    """The reason's code and values, and its words in ``language`` (days as people write them,
    a component by its name in that language: ``eligibility.describe``)."""
    return {
        "code": reason.code,
        "params": dict(reason.params),
        "message": describe(reason).get(language) or describe(reason)["vi"],
    }


def verdict_view(decided: Decided | None, language: str) -> dict[str, Any] | None:
    if decided is None:
        return None
    override = decided.override
    return {
        "status": decided.status.value,
        "reasons": [reason_view(r, language) for r in decided.verdict.reasons],
        "rules_version": decided.verdict.rules_version,
        "decided_at": iso_time(decided.at),
        "override": (
            {
                "by": override.by,
                "reason": override.reason,
                "status_before": override.status_before.value,
            }
            if override
            else None
        ),
    }


def ageing_hours(claim: Claim, now: datetime) -> int:
    """Whole hours the request has been in its state."""
    return max(int((now - claim.state_since).total_seconds() // 3600), 0)


def summary_view(claim: Claim, now: datetime, *, masked: bool = False) -> dict[str, Any]:
    """A row of the table or a card of the board (``masked``: the phone masked, for a reader who
    does not contact customers)."""
    return {
        "claim_id": claim.claim_id,
        "version": claim.version,
        "claim_type": claim.claim_type.value,
        "channel": claim.channel.value,
        "state": claim.state.value,
        "state_since": iso_time(claim.state_since),
        "ageing_hours": ageing_hours(claim, now),
        "due_at": iso_time(claim.due_at),
        "breached": bool(claim.due_at and claim.due_at < now),
        "serial": claim.serial,
        "model_code": claim.model_code,
        "model_name": claim.model_name,
        "customer_name": claim.customer.name,
        "customer_phone": mask_phone(claim.customer.phone) if masked else claim.customer.phone,
        "customer_province": claim.customer.province,
        "verdict": claim.decided.status.value if claim.decided else None,
        "routing": claim.routing.value if claim.routing else None,
        "assignee_key": claim.assignee_key,
        "assignee_name": claim.assignee_name,
        "expected_return": iso_day(claim.expected_return),
        "reopen_count": claim.reopen_count,
        "created_at": iso_time(claim.created_at),
        "updated_at": iso_time(claim.updated_at),
    }


def history_view(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": iso_time(entry.at),
        "by": entry.by,
        "actor": entry.actor.value,
        "action": entry.action,
        "from": entry.state_from.value if entry.state_from else None,
        "to": entry.state_to.value,
        "note": entry.note,
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in entry.changes
        ],
        "visible": entry.visible,
    }


def claim_view(
    claim: Claim,
    now: datetime,
    language: str,
    links: Mapping[str, str] | None = None,
    *,
    masked: bool = False,
) -> dict[str, Any]:
    """Every field of the request (the page's head; ``masked``: no phone or street address)."""
    customer = claim.customer
    return {
        **summary_view(claim, now, masked=masked),
        "category": claim.category,
        "customer": {
            "name": customer.name,
            "phone": mask_phone(customer.phone) if masked else customer.phone,
            "address": "" if masked else customer.address,
            "province": customer.province,
            "language": customer.language,
        },
        "description": claim.description,
        "answers": dict(claim.answers),
        "preferred_time": claim.preferred_time,
        "verdict": verdict_view(claim.decided, language),
        "exclusions": [
            {"code": e.code, "reason": e.reason, "component": e.component} for e in claim.exclusions
        ],
        "appointment": iso_time(claim.appointment),
        "quote_vnd": claim.quote_vnd,
        "reopened_from": claim.reopened_from.value if claim.reopened_from else None,
        "replacement_serial": claim.replacement_serial,
        "rating": claim.rating,
        "rating_note": claim.rating_note,
        "customer_confirmed": claim.customer_confirmed,
        "photos": [
            {
                "key": p.key,
                "state": p.state,
                "by": p.by,
                "at": iso_time(p.at),
                "url": (links or {}).get(p.key),
            }
            for p in claim.photos
        ],
        "costs": [
            {
                "line_id": c.line_id,
                "kind": c.kind,
                "description": c.description,
                "part_code": c.part_code or None,
                "from_stock": bool(c.movement_id),
                "quantity": c.quantity,
                "amount_vnd": c.amount_vnd,
                "payer": c.payer,
                "by": c.by,
                "at": iso_time(c.at),
            }
            for c in claim.costs
        ],
        "totals": cost_totals(claim.costs),
    }


def message_view(message: OutboundMessage) -> dict[str, Any]:
    """A message the customer was sent about the request (its kind, where it stands)."""
    return {
        "message_id": message.message_id,
        "kind": message.template,
        "status": message.status.value,
        "channel": message.channel or None,
        "text": message.text,
        "created_at": iso_time(message.created_at),
    }


def detail_view(
    found: Detail,
    now: datetime,
    language: str,
    links: Mapping[str, str] | None = None,
    messages: Sequence[OutboundMessage] = (),
    *,
    masked: bool = False,
) -> dict[str, Any]:
    return {
        "claim": claim_view(found.claim, now, language, links, masked=masked),
        "history": [history_view(e) for e in found.history],
        "moves": [s.value for s in found.moves],
        "actor": found.actor.value if found.actor else None,
        "messages": [message_view(m) for m in messages],
    }


def column_view(
    found: Column, now: datetime, cursor: str | None, *, masked: bool = False
) -> dict[str, Any]:
    return {
        "state": found.state.value,
        "count": found.count,
        "claims": summaries_view(found.claims, now, masked=masked),
        "next_cursor": cursor,
    }


def summaries_view(
    claims: Sequence[Claim], now: datetime, *, masked: bool = False
) -> list[dict[str, Any]]:
    return [summary_view(c, now, masked=masked) for c in claims]
