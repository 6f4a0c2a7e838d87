"""Outbound messages (the notifications outbox) as the services see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MessageStatus(StrEnum):
    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class OutboundMessage:
    message_id: str  # deterministic per business event: the outbox's idempotency key
    recipient_key: str  # HMAC of the phone: what indexes use
    recipient_phone: str  # E.164: what a provider needs
    channel: str  # sms | zns | dev_inbox
    template: str
    language: str
    text: str
    subject: str  # the serial or purpose the message is about
    status: MessageStatus
    created_at: datetime
    attempts: int = 0
    provider: str | None = None
    delivered_at: datetime | None = None
    expires_at: datetime | None = None
