"""Outbound messages (the notifications outbox) as the services see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from chalicelib.messaging.policy import DeliveryState, Urgency

# Kept for the callers written before the delivery state machine: a message's status *is* its
# delivery state.
MessageStatus = DeliveryState


@dataclass(frozen=True)
class MessageEvent:
    """One step in a message's life, kept on the message for the console (newest last)."""

    at: datetime
    state: str
    channel: str = ""
    provider: str = ""
    reason: str = ""
    code: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    message_id: str  # deterministic per business event: the outbox's idempotency key
    recipient_key: str  # HMAC of the phone: what indexes use
    recipient_phone: str  # E.164: what a provider needs
    channel: str  # the channel being tried: zns | sms | dev_inbox; "" until the sender picks
    template: str  # the message type (chalicelib.outbox.kinds)
    language: str
    text: str  # as a person reads it (dev inbox, console)
    subject: str  # the serial or purpose the message is about
    status: DeliveryState
    created_at: datetime
    attempts: int = 0  # sends on every channel
    provider: str | None = None
    delivered_at: datetime | None = None
    expires_at: datetime | None = None  # useless after (an OTP): never sent late
    brand_id: str = ""
    urgency: Urgency = Urgency.NORMAL
    fields: dict[str, str] = field(default_factory=dict)  # what the templates render
    channel_attempts: int = 0  # sends on ``channel``; a fallback starts again at 0
    provider_message_id: str | None = None
    error_class: str | None = None
    error_code: str | None = None
    reason: str | None = None  # the last decision's stable code
    cost: Decimal | None = None  # VND: reported by the provider, else estimated
    cost_reported: bool = False
    send_after: datetime | None = None  # when a scheduled message is due
    accepted_at: datetime | None = None
    failed_at: datetime | None = None
    updated_at: datetime | None = None
    events: tuple[MessageEvent, ...] = ()
