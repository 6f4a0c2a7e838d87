"""What staff see of the outbox: a brand's messages with their delivery state and cost, one
message's history, and a person's retry of a message that failed. Never an OTP: a lookup code's
text and fields are redacted before they leave this module."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.observability import logger
from chalicelib.outbox.kinds import SECRET_KINDS
from chalicelib.outbox.model import DeliveryState, OutboundMessage

REDACTED = "••••••"


class MessageLog(Protocol):
    def get(self, message_id: str) -> OutboundMessage: ...
    def list_for_brand(
        self,
        brand_id: str,
        *,
        status: DeliveryState | None = None,
        limit: int = 50,
        cursor: dict[str, Any] | None = None,
    ) -> tuple[list[OutboundMessage], dict[str, Any] | None]: ...
    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]: ...
    def requeue(self, message_id: str, *, now: datetime, by: str) -> bool: ...
    def spent(self, bucket: str) -> Decimal: ...


@dataclass(frozen=True)
class MessagePage:
    messages: list[OutboundMessage]
    cursor: dict[str, Any] | None
    cost: Decimal  # of the messages on this page
    by_status: dict[str, int]


def redacted(message: OutboundMessage) -> OutboundMessage:
    """The message as staff may see it: a lookup code's text and code replaced."""
    if message.template not in SECRET_KINDS:
        return message
    return dataclasses.replace(
        message, text=REDACTED, fields=dict.fromkeys(message.fields, REDACTED)
    )


def _page(messages: Sequence[OutboundMessage], cursor: dict[str, Any] | None) -> MessagePage:
    by_status: dict[str, int] = {}
    for message in messages:
        by_status[message.status.value] = by_status.get(message.status.value, 0) + 1
    cost = sum((m.cost for m in messages if m.cost is not None), Decimal(0))
    return MessagePage([redacted(m) for m in messages], cursor, cost, by_status)


def list_messages(
    brand_id: str,
    *,
    status: DeliveryState | None,
    limit: int,
    cursor: dict[str, Any] | None,
    log: MessageLog,
) -> MessagePage:
    """A brand's messages, newest first, one page."""
    messages, next_cursor = log.list_for_brand(brand_id, status=status, limit=limit, cursor=cursor)
    return _page(messages, next_cursor)


def messages_to(
    brand_id: str,
    recipient_key: str,
    *,
    status: DeliveryState | None,
    now: datetime,
    log: MessageLog,
) -> MessagePage:
    """The brand's newest messages to one phone (by its key), optionally of one status."""
    messages = [
        m
        for m in log.list_for_recipient(recipient_key, now)
        if m.brand_id in (brand_id, "") and (status is None or m.status is status)
    ]
    return _page(messages, None)


def message_detail(brand_id: str, message_id: str, *, log: MessageLog) -> OutboundMessage:
    """One message with its history; another brand's message is as unknown as a missing one."""
    message = log.get(message_id)
    if message.brand_id not in (brand_id, ""):
        raise NotFound("message_not_found")
    return redacted(message)


def retry(
    brand_id: str, message_id: str, *, now: datetime, by: str, log: MessageLog
) -> OutboundMessage:
    """Send a failed, unknown or stuck queued message (queued longer than
    :data:`~chalicelib.outbox.model.REDRIVE_AFTER`) again from its first channel (the outbox
    keeps the whole message, so this is the replay of a parked failure; a queued message is
    touched so the stream sends it, and the sender's claim keeps it to one send). ``Conflict``
    otherwise; an expired message (an old OTP) is never resent."""
    message = message_detail(brand_id, message_id, log=log)
    if message.expires_at is not None and message.expires_at <= now:
        raise Conflict("message_expired")
    if not log.requeue(message_id, now=now, by=by):
        raise Conflict("message_not_retryable", status=log.get(message_id).status.value)
    logger.info("message retried by staff", extra={"message_id": message_id, "by": by})
    return redacted(log.get(message_id))
