"""Response shapes of the outbox for staff and the dev inbox: the phone masked, the cost as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.core.phone import mask_phone
from chalicelib.platform.views import iso_time

if TYPE_CHECKING:  # the outbox loads with the first message, not at import
    from chalicelib.outbox.model import OutboundMessage


def inbox_message_view(message: OutboundMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "template": message.template,
        "language": message.language,
        "text": message.text,
        "status": message.status.value,
        "channel": message.channel,
        "provider": message.provider,
        "created_at": iso_time(message.created_at),
        "delivered_at": iso_time(message.delivered_at),
    }


def staff_message_view(message: OutboundMessage, *, detail: bool = False) -> dict[str, Any]:
    """One outbox message for staff: the phone masked, the cost as text (exact VND)."""
    view: dict[str, Any] = {
        "message_id": message.message_id,
        "kind": message.template,
        "subject": message.subject,
        "to": mask_phone(message.recipient_phone),
        "language": message.language,
        "urgency": message.urgency.value,
        "status": message.status.value,
        "channel": message.channel or None,
        "provider": message.provider,
        "provider_message_id": message.provider_message_id,
        "attempts": message.attempts,
        "reason": message.reason,
        "error_class": message.error_class,
        "error_code": message.error_code,
        "cost_vnd": None if message.cost is None else str(message.cost),
        "cost_reported": message.cost_reported,
        "created_at": iso_time(message.created_at),
        "send_after": iso_time(message.send_after),
        "accepted_at": iso_time(message.accepted_at),
        "delivered_at": iso_time(message.delivered_at),
        "failed_at": iso_time(message.failed_at),
        "disputed_at": iso_time(message.disputed_at),
    }
    if detail:
        view["text"] = message.text
        view["events"] = [
            {
                "at": iso_time(e.at),
                "state": e.state,
                "channel": e.channel or None,
                "provider": e.provider or None,
                "reason": e.reason or None,
                "code": e.code or None,
            }
            for e in message.events
        ]
    return view
