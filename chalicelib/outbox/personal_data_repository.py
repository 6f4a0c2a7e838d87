"""The outbox's part of a person's data (``core.personal_data``): the messages sent to them.

A message keeps what the delivery reports and the spend need (its kind, channel, status, cost,
times, events) and loses what names the person: the number, the text, the template's fields and
the recipient's key (replaced, so the recipient index no longer finds it). One still waiting to
be sent is not sent any more (``failed``, reason ``personal_data_erased``)."""

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
                NotificationRecord.subject.set(""),
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
