"""The outbox's part of a person's data (``core.personal_data``): the messages sent to them.

A message keeps what the delivery reports and the spend need (its kind, channel, status, cost,
times, events) and loses what names the person: the number, the text, the template's fields and
the recipient's key (replaced, so the recipient index no longer finds it); its subject (a serial)
stays. One still waiting to be sent is not sent any more (``failed``, reason
``personal_data_erased``: not a failed delivery, so it holds no installer's reward)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.core.personal_data import ERASED_KEY_PREFIX, DataSubject, Found
from chalicelib.outbox.model import DeliveryState
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.platform.dynamodb import is_condition_failure

ERASED_REASON = "personal_data_erased"
_WAITING = frozenset({DeliveryState.QUEUED.value, DeliveryState.SCHEDULED.value})


class MessageData:
    section = "messages"

    def collect(self, subject: DataSubject) -> Found:
        items = [
            {
                "message_id": r.message_id,
                "created_at": r.created_at.isoformat(),
                "channel": r.channel or "",
                "template": r.template,
                "status": r.status,
                "text": r.text,
            }
            for r in NotificationRecord.recipient_index.query(subject.key, scan_index_forward=False)
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for record in NotificationRecord.recipient_index.query(subject.key):
            actions: list[Any] = [
                NotificationRecord.recipient_key.set(ERASED_KEY_PREFIX + record.message_id),
                NotificationRecord.recipient_phone.set(""),
                NotificationRecord.text.set(""),
                NotificationRecord.fields.set({}),
                NotificationRecord.updated_at.set(at),
            ]
            if record.status in _WAITING:
                actions += [
                    NotificationRecord.status.set(DeliveryState.FAILED.value),
                    NotificationRecord.reason.set(ERASED_REASON),
                    NotificationRecord.failed_at.set(at),
                    NotificationRecord.due_state.remove(),
                    NotificationRecord.due_at.remove(),
                ]
            try:
                record.update(
                    actions=actions,
                    condition=(NotificationRecord.recipient_key == subject.key)
                    & (NotificationRecord.status == record.status),
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                continue  # a sender moved it meanwhile: the next run erases it
            changed += 1
        return changed


class MessageRetention:
    """Messages older than the retention period are deleted: what they cost and whether they
    arrived is in the dashboard's counters already. No watermark: what is deleted is gone."""

    kind = "messages"

    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def expire(self, before: datetime, *, after: str, at: datetime, limit: int) -> tuple[int, str]:
        old = NotificationRecord.brand_index.query(
            self._brand_id, NotificationRecord.created_at < before, limit=limit
        )
        changed = 0
        for record in old:
            if record.status in _WAITING:
                continue  # never sent: the sender's to settle first
            NotificationRecord(record.message_id).delete()
            changed += 1
        return changed, ""
