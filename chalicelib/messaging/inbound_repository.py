"""Inbound messages already answered: the de-duplication record of each MO and chat message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.messaging.tables import InboundMessageRecord
from chalicelib.platform.dynamodb import is_condition_failure


@dataclass(frozen=True)
class AnsweredInbound:
    """What was answered to one inbound message: the outcome code, the reply text and the key
    of the sender it was answered for (``None``: stored before senders were kept)."""

    outcome: str
    reply: str
    sender: str | None


class InboundRepository:
    def find(self, inbound_id: str, now: datetime) -> AnsweredInbound | None:
        """The stored answer (consistent read), or ``None`` when the message is new. TTL deletes
        late, so an answer whose ``expires`` has passed counts as absent."""
        try:
            record = InboundMessageRecord.get(inbound_id, consistent_read=True)
        except DoesNotExist:
            return None
        if record.expires is not None and record.expires <= now:
            return None
        return AnsweredInbound(
            outcome=record.outcome, reply=record.reply or "", sender=record.sender
        )

    def remember(
        self,
        inbound_id: str,
        *,
        outcome: str,
        reply: str,
        sender: str,
        now: datetime,
        expires: datetime,
    ) -> AnsweredInbound:
        """Store the answer unless a live one is stored already (conditional put), and return
        the answer that holds: ours, or the one a concurrent delivery of the same message
        stored first."""
        record = InboundMessageRecord(
            inbound_id, outcome=outcome, reply=reply, sender=sender, expires=expires
        )
        try:
            record.save(
                condition=InboundMessageRecord.inbound_id.does_not_exist()
                | (InboundMessageRecord.expires <= now)
            )
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            stored = self.find(inbound_id, now)
            if stored is not None:
                return stored
        return AnsweredInbound(outcome=outcome, reply=reply, sender=sender)
