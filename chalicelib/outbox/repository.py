"""The notifications outbox. ``message_id`` is deterministic per business event, so writing the
same event twice (a stream record delivered twice) leaves one message.

Every state change is one conditional write on ``status``
(docs/reference/reliability.md#exactly-once-notifications): the sender's claim (``queued →
sending``, with a lease owner), its outcome (conditional on still holding that lease), delivery
reports (only forwards, :func:`~chalicelib.messaging.policy.can_transition`) and the sweep. A write
whose condition fails changed nothing and says so (``False`` / ``None``).

A brand's daily spend is a counter in ``rate_limits`` (``spend#<brand>#<yyyy-mm-dd>``, VND):
the claim checks it against the cap in the same transaction, and the outcome adds the message's
cost in the same transaction as the state change, so the counter never counts a message twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import NotFound
from chalicelib.outbox.model import (
    ALLOWED_TRANSITIONS,
    REDRIVE_AFTER,
    ClaimOutcome,
    DeliveryState,
    MessageEvent,
    OutboundMessage,
    Outcome,
    Report,
    SpendGuard,
    Urgency,
)
from chalicelib.outbox.tables import MessageEventEntry, NotificationRecord
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)
from chalicelib.platform.tables import RateLimitRecord

INBOX_LIMIT = 50
SPEND_RETENTION = timedelta(days=35)
SCRUBBED = "••••••"
_S = DeliveryState


def _decimal(value: Any) -> Decimal | None:
    """A stored amount (VND) as an exact decimal: ``850.0`` reads back as ``850``."""
    if value is None:
        return None
    amount = Decimal(str(value))
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def to_record(message: OutboundMessage) -> NotificationRecord:
    return NotificationRecord(
        message.message_id,
        brand_id=message.brand_id or None,
        recipient_key=message.recipient_key,
        recipient_phone=message.recipient_phone,
        channel=message.channel,
        template=message.template,
        language=message.language,
        urgency=message.urgency.value,
        fields=dict(message.fields),
        text=message.text,
        subject=message.subject,
        status=message.status.value,
        provider=message.provider,
        provider_message_id=message.provider_message_id,
        attempts=message.attempts,
        channel_attempts=message.channel_attempts,
        cost=None if message.cost is None else float(message.cost),
        send_after=message.send_after,
        due_state=message.status.value if message.status in (_S.SCHEDULED, _S.QUEUED) else None,
        due_at=_first_due(message),
        created_at=message.created_at,
        updated_at=message.updated_at or message.created_at,
        delivered_at=message.delivered_at,
        events=[_event_entry(e) for e in message.events],
        expires=message.expires_at,
    )


def to_domain(record: NotificationRecord) -> OutboundMessage:
    return OutboundMessage(
        message_id=record.message_id,
        brand_id=record.brand_id or "",
        recipient_key=record.recipient_key,
        recipient_phone=record.recipient_phone,
        channel=record.channel or "",
        template=record.template,
        language=record.language,
        urgency=Urgency(record.urgency or Urgency.NORMAL.value),
        fields=_fields(record),
        text=record.text,
        subject=record.subject,
        status=DeliveryState(record.status),
        created_at=record.created_at,
        attempts=int(record.attempts or 0),
        channel_attempts=int(record.channel_attempts or 0),
        provider=record.provider,
        provider_message_id=record.provider_message_id,
        error_class=record.error_class,
        error_code=record.error_code,
        reason=record.reason,
        cost=_decimal(record.cost),
        cost_reported=bool(record.cost_reported),
        send_after=record.send_after,
        accepted_at=record.accepted_at,
        delivered_at=record.delivered_at,
        failed_at=record.failed_at,
        updated_at=record.updated_at,
        events=tuple(
            MessageEvent(e.at, e.state, e.channel, e.provider, e.reason, e.code)
            for e in (record.events or [])
        ),
        expires_at=record.expires,
        disputed_at=record.disputed_at,
    )


def _fields(record: NotificationRecord) -> dict[str, str]:
    raw = record.fields.as_dict() if record.fields is not None else {}
    return {str(k): str(v) for k, v in raw.items()}


def _first_due(message: OutboundMessage) -> datetime | None:
    """A new message's place in the sweep's index: a scheduled one at its time, a queued one
    at its re-drive time (the sweep queues it again if the stream never sent it)."""
    if message.status is _S.SCHEDULED:
        return message.send_after
    if message.status is _S.QUEUED:
        return message.created_at + REDRIVE_AFTER
    return None


def _queued_due(now: datetime) -> list[Any]:
    """A message (again) ``queued`` at ``now``: due for a re-drive at ``now + REDRIVE_AFTER``."""
    return [
        NotificationRecord.due_state.set(_S.QUEUED.value),
        NotificationRecord.due_at.set(now + REDRIVE_AFTER),
    ]


def message_from_image(image: dict[str, Any]) -> OutboundMessage:
    """A message from a stream image (DynamoDB JSON): the one decoder the sender uses."""
    return to_domain(NotificationRecord.from_raw_data(image))


def _log_event(entries: list[MessageEventEntry]) -> Any:
    """An update action appending ``entries`` to the message's events (``[]`` when absent)."""
    events = NotificationRecord.events
    return events.set((events | []).append(entries))


def _event_entry(event: MessageEvent) -> MessageEventEntry:
    return MessageEventEntry(
        at=event.at,
        state=event.state,
        channel=event.channel,
        provider=event.provider,
        reason=event.reason,
        code=event.code,
    )


def _set_or_remove(attribute: Any, value: Any) -> Any:
    return attribute.set(value) if value else attribute.remove()


def _outcome_actions(outcome: Outcome, now: datetime) -> list[Any]:
    """The update a send's outcome makes: its state, where it was sent, the event in its log,
    when it is due again, and what the provider answered."""
    state = outcome.state
    event = MessageEventEntry(
        at=now,
        state=state.value,
        channel=outcome.channel,
        provider=outcome.provider,
        reason=outcome.reason,
        code=outcome.error_code or "",
    )
    actions: list[Any] = [
        NotificationRecord.status.set(state.value),
        NotificationRecord.channel.set(outcome.channel),
        NotificationRecord.provider.set(outcome.provider),
        NotificationRecord.reason.set(outcome.reason),
        NotificationRecord.lease_owner.remove(),
        NotificationRecord.updated_at.set(now),
        _log_event([event]),
        _set_or_remove(NotificationRecord.error_class, outcome.error_class),
        _set_or_remove(NotificationRecord.error_code, outcome.error_code),
        *_due_actions(outcome, now),
        *_state_times(state, now),
    ]
    if outcome.fallback:
        actions.append(NotificationRecord.channel_attempts.set(0))
    if outcome.scrub:
        actions += [NotificationRecord.text.set(SCRUBBED), NotificationRecord.fields.set({})]
    if outcome.provider_message_id:
        actions += [
            NotificationRecord.provider_message_id.set(outcome.provider_message_id),
            NotificationRecord.provider_ref.set(
                f"{outcome.provider}#{outcome.provider_message_id}"
            ),
        ]
    if outcome.cost is not None:
        actions += [
            NotificationRecord.cost.set(float(outcome.cost)),
            NotificationRecord.cost_reported.set(outcome.cost_reported),
        ]
    return actions


def _due_actions(outcome: Outcome, now: datetime) -> list[Any]:
    """The sweep's index: a scheduled message is due at its time; an accepted one whose provider
    has a status API is due for a question if no report came; a queued one (a fallback) for a
    re-drive if the stream never sends it; anything else leaves the index."""
    if outcome.state is _S.QUEUED:
        return _queued_due(now)
    if outcome.state is _S.SCHEDULED and outcome.send_after is not None:
        return [
            NotificationRecord.send_after.set(outcome.send_after),
            NotificationRecord.due_state.set(_S.SCHEDULED.value),
            NotificationRecord.due_at.set(outcome.send_after),
        ]
    if outcome.state is _S.ACCEPTED and outcome.report_due is not None:
        return [
            NotificationRecord.due_state.set(_S.ACCEPTED.value),
            NotificationRecord.due_at.set(outcome.report_due),
        ]
    return [NotificationRecord.due_state.remove(), NotificationRecord.due_at.remove()]


def _state_times(state: DeliveryState, now: datetime) -> list[Any]:
    """When the message was accepted, delivered or failed."""
    actions: list[Any] = []
    if state in (_S.ACCEPTED, _S.DELIVERED):
        actions.append(NotificationRecord.accepted_at.set(now))
    if state is _S.DELIVERED:
        actions.append(NotificationRecord.delivered_at.set(now))
    if state is _S.FAILED:
        actions.append(NotificationRecord.failed_at.set(now))
    return actions


class NotificationRepository:
    def __init__(self, connection: Connection | None = None) -> None:
        self._connection = connection or Connection(region=NotificationRecord.Meta.region)

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

    def mark_disputed(self, message_id: str, at: datetime) -> bool:
        """Flag a message its recipient disowned ("this wasn't me"), once: ``False`` if it was
        flagged before or does not exist. ``updated_at`` is left alone, so the sender does not
        take the write for a re-drive."""
        try:
            NotificationRecord(message_id).update(
                actions=[NotificationRecord.disputed_at.set(at)],
                condition=NotificationRecord.message_id.exists()
                & NotificationRecord.disputed_at.does_not_exist(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    # -- the sender ------------------------------------------------------------------------

    def claim(
        self,
        message_id: str,
        *,
        channel: str,
        provider: str,
        owner: str,
        now: datetime,
        lease: timedelta,
        spend: SpendGuard | None = None,
        new_channel: bool = False,
    ) -> ClaimOutcome:
        """``queued → sending`` on ``channel``, leased to ``owner`` until ``now + lease``: the
        only way to a provider call. With ``spend``, the brand's counter must be under its cap
        in the same transaction. ``new_channel``: the channel changed since the last send, so
        its attempts start again."""
        record = NotificationRecord(message_id)
        actions: list[Any] = [
            NotificationRecord.status.set(_S.SENDING.value),
            NotificationRecord.channel.set(channel),
            NotificationRecord.provider.set(provider),
            NotificationRecord.lease_owner.set(owner),
            NotificationRecord.due_state.set(_S.SENDING.value),
            NotificationRecord.due_at.set(now + lease),
            NotificationRecord.attempts.add(1),
            NotificationRecord.channel_attempts.set(1)
            if new_channel
            else NotificationRecord.channel_attempts.add(1),
            NotificationRecord.updated_at.set(now),
            _log_event(
                [MessageEventEntry(at=now, state="sending", channel=channel, provider=provider)]
            ),
        ]
        condition = NotificationRecord.status == _S.QUEUED.value
        if spend is None:
            try:
                record.update(actions=actions, condition=condition)
            except UpdateError as exc:
                if is_condition_failure(exc):
                    return ClaimOutcome.TAKEN
                raise
            return ClaimOutcome.CLAIMED

        def build(tx: TransactWrite) -> None:
            tx.update(record, actions=actions, condition=condition)
            tx.condition_check(
                RateLimitRecord,
                spend.bucket,
                condition=RateLimitRecord.hits.does_not_exist()
                | (RateLimitRecord.hits < float(spend.cap)),
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            failed = [
                i
                for i, r in enumerate(reasons)
                if r is not None and r.code == ITEM_CONDITION_FAILED
            ]
            # PynamoDB sends condition checks before updates: item 0 is the spend counter
            if failed == [0]:
                return ClaimOutcome.OVER_CAP
            if failed:
                return ClaimOutcome.TAKEN
            raise
        return ClaimOutcome.CLAIMED

    def settle(self, message_id: str, *, owner: str, outcome: Outcome, now: datetime) -> bool:
        """Write one send's outcome, conditional on ``owner`` still holding the lease; with
        ``outcome.spend_bucket`` the cost is added to the brand's counter in the same write.
        ``False``: the lease was lost (the sweep took the message), nothing written."""
        record = NotificationRecord(message_id)
        condition = (NotificationRecord.status == _S.SENDING.value) & (
            NotificationRecord.lease_owner == owner
        )
        actions = _outcome_actions(outcome, now)
        return self._write(record, actions, condition, outcome.spend_bucket, outcome.cost, now)

    # -- moves without a send ----------------------------------------------------------------

    def move(
        self,
        message_id: str,
        *,
        from_states: Iterable[DeliveryState],
        to: DeliveryState,
        now: datetime,
        reason: str,
        channel: str | None = None,
        send_after: datetime | None = None,
        code: str = "",
    ) -> bool:
        """A conditional move that sends nothing: queued → scheduled (night window, spend cap),
        scheduled → queued (due), queued → queued (a re-drive: the touch makes a stream record
        the sender acts on), queued → failed (expired), sending → unknown or queued (a lease
        that ran out). ``False`` when the message was in none of ``from_states``."""
        sources = [s.value for s in from_states]
        actions: list[Any] = [
            NotificationRecord.status.set(to.value),
            NotificationRecord.reason.set(reason),
            NotificationRecord.lease_owner.remove(),
            NotificationRecord.updated_at.set(now),
            _log_event(
                [
                    MessageEventEntry(
                        at=now, state=to.value, channel=channel or "", reason=reason, code=code
                    )
                ]
            ),
        ]
        if channel is not None:
            actions.append(NotificationRecord.channel.set(channel))
        if to is _S.SCHEDULED:
            if send_after is None:
                raise ValueError("a scheduled message needs send_after")
            actions += [
                NotificationRecord.send_after.set(send_after),
                NotificationRecord.due_state.set(_S.SCHEDULED.value),
                NotificationRecord.due_at.set(send_after),
            ]
        elif to is _S.QUEUED:
            actions += _queued_due(now)
        else:
            actions += [NotificationRecord.due_state.remove(), NotificationRecord.due_at.remove()]
        if to is _S.FAILED:
            actions.append(NotificationRecord.failed_at.set(now))
        if to is _S.QUEUED:
            actions.append(NotificationRecord.send_after.remove())
        condition = NotificationRecord.status.is_in(*sources)
        return self._write(NotificationRecord(message_id), actions, condition, None, None, now)

    def apply_report(self, message_id: str, report: Report) -> bool:
        """Move the message forwards to ``report.state`` (never backwards: the condition lists
        only the states that may precede it), recording the provider's id and cost. The same
        report applied again finds the message already there and changes nothing (``False``)."""
        sources = [s.value for s, targets in ALLOWED_TRANSITIONS.items() if report.state in targets]
        sources = [s for s in sources if s not in (_S.QUEUED.value, _S.SCHEDULED.value)]
        if not sources:
            return False
        actions: list[Any] = [
            NotificationRecord.status.set(report.state.value),
            NotificationRecord.updated_at.set(report.at),
            _log_event(
                [
                    MessageEventEntry(
                        at=report.at,
                        state=report.state.value,
                        provider=report.provider,
                        reason=report.source,
                        code=report.error_code or "",
                    )
                ]
            ),
            NotificationRecord.due_state.remove(),
            NotificationRecord.due_at.remove(),
        ]
        if report.state is _S.DELIVERED:
            actions.append(NotificationRecord.delivered_at.set(report.at))
        if report.state is _S.FAILED:
            actions.append(NotificationRecord.failed_at.set(report.at))
            if report.error_code:
                actions.append(NotificationRecord.error_code.set(report.error_code))
        if report.provider_message_id:
            actions += [
                NotificationRecord.provider_message_id.set(report.provider_message_id),
                NotificationRecord.provider_ref.set(
                    f"{report.provider}#{report.provider_message_id}"
                ),
            ]
        if report.cost is not None:
            actions += [
                NotificationRecord.cost.set(float(report.cost)),
                NotificationRecord.cost_reported.set(True),
            ]
        condition = NotificationRecord.status.is_in(*sources)
        return self._write(
            NotificationRecord(message_id),
            actions,
            condition,
            report.spend_bucket,
            report.cost_delta,
            report.at,
        )

    def await_report(self, message_id: str, *, until: datetime | None) -> bool:
        """An accepted message whose report has not come: ask the provider again at ``until``,
        or (``None``) stop asking. ``False`` if it is no longer accepted."""
        actions: list[Any] = (
            [
                NotificationRecord.due_state.set(_S.ACCEPTED.value),
                NotificationRecord.due_at.set(until),
            ]
            if until is not None
            else [NotificationRecord.due_state.remove(), NotificationRecord.due_at.remove()]
        )
        condition = NotificationRecord.status == _S.ACCEPTED.value
        try:
            NotificationRecord(message_id).update(actions=actions, condition=condition)
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def requeue(self, message_id: str, *, now: datetime, by: str) -> bool:
        """A person's retry of a failed, unknown or stuck queued message (queued longer than
        ``REDRIVE_AFTER``, or from before the re-drive existed): (back) to ``queued`` on its
        first channel with fresh attempts; the stream sends it again, and the sender's
        conditional claim keeps it to one send. A message queued a moment ago is not stuck."""
        actions: list[Any] = [
            NotificationRecord.status.set(_S.QUEUED.value),
            NotificationRecord.channel.set(""),
            NotificationRecord.channel_attempts.set(0),
            NotificationRecord.reason.set("retried_by_staff"),
            NotificationRecord.updated_at.set(now),
            NotificationRecord.failed_at.remove(),
            _log_event(
                [MessageEventEntry(at=now, state="queued", reason="retried_by_staff", code=by)]
            ),
            *_queued_due(now),
        ]
        stuck = (NotificationRecord.status == _S.QUEUED.value) & (
            NotificationRecord.due_at.does_not_exist() | (NotificationRecord.due_at <= now)
        )
        condition = NotificationRecord.status.is_in(_S.FAILED.value, _S.UNKNOWN.value) | stuck
        return self._write(NotificationRecord(message_id), actions, condition, None, None, now)

    def _write(
        self,
        record: NotificationRecord,
        actions: Sequence[Any],
        condition: Condition,
        bucket: str | None,
        cost: Decimal | None,
        now: datetime,
    ) -> bool:
        if bucket is None or not cost:
            try:
                record.update(actions=list(actions), condition=condition)
            except UpdateError as exc:
                if is_condition_failure(exc):
                    return False
                raise
            return True

        def build(tx: TransactWrite) -> None:
            tx.update(record, actions=list(actions), condition=condition)
            tx.update(
                RateLimitRecord(bucket),
                actions=[
                    RateLimitRecord.hits.add(float(cost)),
                    RateLimitRecord.expires.set(now + SPEND_RETENTION),
                ],
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            if any(r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons):
                return False
            raise
        return True

    # -- reads ------------------------------------------------------------------------------

    def find_by_provider_ref(self, provider: str, provider_message_id: str) -> str | None:
        """The message a provider's id belongs to (one query on ``provider_index``)."""
        for record in NotificationRecord.provider_index.query(
            f"{provider}#{provider_message_id}", limit=1
        ):
            return str(record.message_id)
        return None

    def due(self, state: DeliveryState, now: datetime, limit: int = 100) -> list[str]:
        """Ids of messages in ``state`` (scheduled, sending, accepted or queued) whose
        ``due_at`` has passed: one query on the sparse ``due_index``."""
        return [
            str(r.message_id)
            for r in NotificationRecord.due_index.query(
                state.value, NotificationRecord.due_at <= now, limit=limit
            )
        ]

    def spent(self, bucket: str) -> Decimal:
        try:
            return _decimal(RateLimitRecord.get(bucket, consistent_read=True).hits) or Decimal(0)
        except DoesNotExist:
            return Decimal(0)

    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]:
        """A recipient's newest messages (one query on ``recipient_index``), expired ones out."""
        records = NotificationRecord.recipient_index.query(
            recipient_key, scan_index_forward=False, limit=INBOX_LIMIT
        )
        return [to_domain(r) for r in records if r.expires is None or r.expires > now]

    def list_for_brand(
        self,
        brand_id: str,
        *,
        status: DeliveryState | None = None,
        limit: int = INBOX_LIMIT,
        cursor: dict[str, Any] | None = None,
    ) -> tuple[list[OutboundMessage], dict[str, Any] | None]:
        """A brand's messages, newest first, one page; ``status`` filters within the page's
        query (``FilterExpression``), so a page may hold fewer than ``limit``."""
        result = NotificationRecord.brand_index.query(
            brand_id,
            scan_index_forward=False,
            limit=limit,
            filter_condition=(NotificationRecord.status == status.value) if status else None,
            last_evaluated_key=cursor,
            page_size=limit,
        )
        messages: list[OutboundMessage] = []
        for record in result:
            messages.append(to_domain(record))
            if len(messages) >= limit:
                break
        return messages, result.last_evaluated_key
