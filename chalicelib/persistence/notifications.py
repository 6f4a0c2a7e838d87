"""The notifications outbox. ``message_id`` is deterministic per business event, so writing the
same event twice (a stream record delivered twice) leaves one message."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.domain.messages import MessageStatus, OutboundMessage
from chalicelib.errors import NotFound
from chalicelib.persistence.conditions import is_condition_failure
from chalicelib.persistence.tables import NotificationRecord

INBOX_LIMIT = 50


def to_record(message: OutboundMessage) -> NotificationRecord:
    return NotificationRecord(
        message.message_id,
        recipient_key=message.recipient_key,
        recipient_phone=message.recipient_phone,
        channel=message.channel,
        template=message.template,
        language=message.language,
        text=message.text,
        subject=message.subject,
        status=message.status.value,
        provider=message.provider,
        attempts=message.attempts,
        created_at=message.created_at,
        delivered_at=message.delivered_at,
        expires=message.expires_at,
    )


def to_domain(record: NotificationRecord) -> OutboundMessage:
    return OutboundMessage(
        message_id=record.message_id,
        recipient_key=record.recipient_key,
        recipient_phone=record.recipient_phone,
        channel=record.channel,
        template=record.template,
        language=record.language,
        text=record.text,
        subject=record.subject,
        status=MessageStatus(record.status),
        created_at=record.created_at,
        attempts=int(record.attempts or 0),
        provider=record.provider,
        delivered_at=record.delivered_at,
        expires_at=record.expires,
    )


class NotificationRepository:
    def add(self, message: OutboundMessage) -> bool:
        """Queue ``message``; ``False`` (and nothing written) if its id is already queued."""
        try:
            to_record(message).save(condition=NotificationRecord.message_id.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def get(self, message_id: str) -> OutboundMessage:
        try:
            return to_domain(NotificationRecord.get(message_id, consistent_read=True))
        except DoesNotExist as exc:
            raise NotFound("message_not_found") from exc

    def mark_delivered(self, message_id: str, provider: str, at: datetime) -> bool:
        """Move a queued message to delivered; ``False`` if it was no longer queued."""
        try:
            NotificationRecord(message_id).update(
                actions=[
                    NotificationRecord.status.set(MessageStatus.DELIVERED.value),
                    NotificationRecord.provider.set(provider),
                    NotificationRecord.delivered_at.set(at),
                    NotificationRecord.attempts.add(1),
                ],
                condition=NotificationRecord.status == MessageStatus.QUEUED.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]:
        """A recipient's newest messages (one query on ``recipient_index``), expired ones out."""
        records = NotificationRecord.recipient_index.query(
            recipient_key, scan_index_forward=False, limit=INBOX_LIMIT
        )
        return [to_domain(r) for r in records if r.expires is None or r.expires > now]
