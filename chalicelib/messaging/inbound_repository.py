"""Inbound messages already answered: the de-duplication record of each MO and chat message.

A message is first *claimed* for its sender (a conditional put, before anything is acted on),
then *answered* (a conditional put over our own claim). Two deliveries of one message from
different senders can then never both act: the second finds the first's claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.messaging.tables import InboundMessageRecord
from chalicelib.platform.dynamodb import is_condition_failure

IN_PROGRESS = "in_progress"  # the outcome of a claimed message not answered yet


@dataclass(frozen=True)
class AnsweredInbound:
    """What was answered to one inbound message: the outcome code, the reply text and the key
    of the sender it was answered for (``None``: stored before senders were kept)."""

    outcome: str
    reply: str
    sender: str | None

    @property
    def answered(self) -> bool:
        """``False`` while the message is only claimed (its first delivery is at work)."""
        return self.outcome != IN_PROGRESS


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

    def claim(
        self, inbound_id: str, *, sender: str, now: datetime, expires: datetime
    ) -> AnsweredInbound:
        """Claim the message for ``sender`` unless a live record holds it, and return the record
        that holds: our claim, another delivery's claim or its stored answer."""
        return self._put_unless_held(inbound_id, IN_PROGRESS, "", sender, now, expires)

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
        """Store the answer over nothing, an expired record or the claim of the same sender,
        and return the answer that holds: ours, or the one a concurrent delivery of the same
        message stored first."""
        return self._put_unless_held(
            inbound_id, outcome, reply, sender, now, expires, over_claim_of=sender
        )

    def _put_unless_held(
        self,
        inbound_id: str,
        outcome: str,
        reply: str,
        sender: str,
        now: datetime,
        expires: datetime,
        over_claim_of: str | None = None,
    ) -> AnsweredInbound:
        record = InboundMessageRecord(
            inbound_id,
            outcome=outcome,
            reply=reply,
            sender=sender,
            sender_key=sender or None,
            expires=expires,
        )
        condition = InboundMessageRecord.inbound_id.does_not_exist() | (
            InboundMessageRecord.expires <= now
        )
        if over_claim_of is not None:
            condition = condition | (
                (InboundMessageRecord.outcome == IN_PROGRESS)
                & (InboundMessageRecord.sender == over_claim_of)
            )
        try:
            record.save(condition=condition)
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            stored = self.find(inbound_id, now)
            if stored is not None:
                return stored
        return AnsweredInbound(outcome=outcome, reply=reply, sender=sender)
