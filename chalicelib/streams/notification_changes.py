"""Notifications stream → delivery of queued messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import deps
from chalicelib.domain.messages import MessageStatus
from chalicelib.services import notifications
from chalicelib.streams.batch import process_stream


def on_record(record: Any) -> None:
    """A newly queued message (INSERT with status ``queued``) is delivered once: delivery is a
    conditional move out of ``queued``, so a redelivered record sends nothing twice."""
    if record.raw_event.get("eventName") != "INSERT":
        return
    image = record.raw_event["dynamodb"]["NewImage"]
    if image.get("status", {}).get("S") != MessageStatus.QUEUED.value:
        return
    notifications.deliver(
        image["message_id"]["S"],
        now=datetime.now(UTC),
        outbox=deps.notification_repository(),
        provider=deps.message_provider(),
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_record)
