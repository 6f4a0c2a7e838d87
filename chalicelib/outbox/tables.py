"""The outbox's table: every message any capability queues, with its delivery state."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class RecipientIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """A recipient's messages, newest first (the dev inbox and the console)."""

    class Meta:
        index_name = "recipient_index"
        projection = AllProjection()

    recipient_key = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class BrandMessagesIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """A brand's messages, newest first: the console's message list is a query, never a scan."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class ProviderRefIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """``<provider>#<provider message id>`` → the message: a delivery report that carries only
    the provider's id (Twilio ``MessageSid``, SpeedSMS ``tranId``) finds its message."""

    class Meta:
        index_name = "provider_index"
        projection = KeysOnlyProjection()

    provider_ref = UnicodeAttribute(hash_key=True)


class DueIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """Sparse: only messages waiting on the clock carry ``due_state`` (``scheduled``: send
    after ``due_at``; ``sending``: the lease runs out at ``due_at``; ``accepted``: ask the
    provider's status API at ``due_at``; ``queued``: re-drive at ``due_at`` if the stream has
    not sent it by then). The outbox sweep queries what is due; every other message is absent
    from the index."""

    class Meta:
        index_name = "due_index"
        projection = KeysOnlyProjection()

    due_state = UnicodeAttribute(hash_key=True)
    due_at = UTCDateTimeAttribute(range_key=True)


class MessageEventEntry(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    state = UnicodeAttribute()
    channel = UnicodeAttribute(default="")
    provider = UnicodeAttribute(default="")
    reason = UnicodeAttribute(default="")
    code = UnicodeAttribute(default="")


class NotificationRecord(Model):
    """The outbox. Key: ``message_id``, deterministic per business event
    (:func:`~chalicelib.outbox.kinds.message_id_for`), so a stream record delivered
    twice writes one message. Its stream drives the sender; every state change is a
    conditional update on ``status`` (and the sender's lease), so no two senders send one
    message (docs/reference/reliability.md#exactly-once-notifications)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("notifications")
        stream_view_type = "NEW_AND_OLD_IMAGES"

    message_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute(null=True)
    recipient_key = UnicodeAttribute()
    recipient_phone = UnicodeAttribute()
    channel = UnicodeAttribute(default="")
    template = UnicodeAttribute()
    language = UnicodeAttribute()
    urgency = UnicodeAttribute(default="normal")
    fields = MapAttribute[str, Any](default=dict)
    text = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    status = UnicodeAttribute()
    provider = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    provider_ref = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    channel_attempts = NumberAttribute(default=0)
    error_class = UnicodeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    cost = NumberAttribute(null=True)
    cost_reported = BooleanAttribute(default=False)
    send_after = UTCDateTimeAttribute(null=True)
    due_state = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    lease_owner = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    accepted_at = UTCDateTimeAttribute(null=True)
    delivered_at = UTCDateTimeAttribute(null=True)
    failed_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    events = ListAttribute[MessageEventEntry](of=MessageEventEntry, default=list)
    expires = TTLAttribute(null=True)
    disputed_at = UTCDateTimeAttribute(null=True)  # "this wasn't me" from the recipient

    recipient_index = RecipientIndex()
    brand_index = BrandMessagesIndex()
    provider_index = ProviderRefIndex()
    due_index = DueIndex()
