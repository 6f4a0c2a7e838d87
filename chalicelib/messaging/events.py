"""Notifications stream → the sender: every message that becomes ``queued`` (a new message, a
fallback to SMS, a scheduled one now due) is sent once."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.settings import get_settings
from chalicelib.messaging import wiring as messaging_wiring
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.platform.streams import image_text, process_stream

if TYPE_CHECKING:  # the sender and the outbox load with the first record, not at import
    from chalicelib.messaging.sender import SweepReport

_QUEUED = "queued"  # DeliveryState.QUEUED (a test keeps them equal)


def clock() -> datetime:
    """Now, in UTC: the one seam tests set to a fixed time of day (the night window)."""
    return datetime.now(UTC)


def on_record(record: Any) -> None:
    """An INSERT or MODIFY *into* ``queued``, or a touch of a queued message (a re-drive by the
    sweep, a staff retry: ``updated_at`` changed), sends; everything else (the sender's own
    writes, delivery reports, REMOVE by TTL) is not for the sender. A redelivered record finds
    the message no longer queued, so the conditional claim sends nothing twice."""
    change = record.raw_event.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    if new is None or image_text(new, "status") != _QUEUED:
        return
    if image_text(old, "status") == _QUEUED and image_text(old, "updated_at") == image_text(
        new, "updated_at"
    ):
        return
    from chalicelib.messaging import sender  # the sender's adapters load on its first record
    from chalicelib.outbox.repository import message_from_image

    context = sender.SenderContext(
        outbox=outbox_wiring.notification_repository(),
        channels=messaging_wiring.channels(),
        brand=messaging_wiring.brand_messaging(),
        alerts=messaging_wiring.alerts(),
        jitter=lambda ceiling: random.uniform(0, ceiling),
        keep_secrets=get_settings().is_local,
        zns_breaker=messaging_wiring.zns_breaker(),
        consent=catalog_wiring.customer_repository().granted,
    )
    sender.send_queued(message_from_image(new), now=clock(), context=context)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_record)


def sweep() -> SweepReport:
    """The scheduled sweep: due messages back to ``queued``, expired leases settled, accepted
    SMS without a report asked about (eSMS's ``GetSendStatus``)."""
    from chalicelib.messaging import sender

    return sender.sweep(
        now=clock(),
        outbox=outbox_wiring.notification_repository(),
        alerts=messaging_wiring.alerts(),
        checker=messaging_wiring.status_checker(),
    )


def refresh_zalo_token() -> bool:
    """The proactive refresh: an hour and a bit before the OA token expires
    (docs/reference/zalo.md#token-refresh)."""
    from datetime import timedelta

    tokens = messaging_wiring.zalo_tokens()
    if tokens is None:
        return False
    return tokens.refresh_if_expiring(within=timedelta(minutes=75))
