"""The sender: moves each queued outbox message through one provider call and records what the
provider said (docs/reference/reliability.md#exactly-once-notifications: ``queued → sending →
accepted → delivered | failed``, plus ``scheduled`` and ``unknown``).

- The claim (``queued → sending``) is a conditional write with a lease owner: two deliveries of
  the same stream record, or two senders at once, make one provider call.
- The outcome is written conditional on still holding that lease, with the policy's decision
  (:func:`chalicelib.messaging.policy.decide`): accepted, a fallback to SMS (back to ``queued``
  on the new channel, which the stream sends again), a retry at a time (``scheduled``), failed,
  or unknown (an ambiguous timeout on a provider that cannot de-duplicate: never resent).
- A scheduled message comes back to ``queued`` through :func:`sweep` when it is due; a lease
  that ran out (the sender died mid-send) becomes ``unknown``, or ``queued`` again where the
  provider de-duplicates resends (eSMS ``RequestId``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from chalicelib.activation.consent import allows
from chalicelib.catalog.warranty import business_day
from chalicelib.core.observability import logger
from chalicelib.core.phone import log_safe
from chalicelib.messaging import delivery_reports
from chalicelib.messaging.breaker import CircuitBreaker
from chalicelib.messaging.delivery_reports import StatusChecker
from chalicelib.messaging.policy import (
    Decision,
    Jitter,
    SpendDecision,
    decide,
    first_channel,
    in_night_window,
    next_morning,
    spend_decision,
    tomorrow_morning,
)
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import MessageSender, SendRequest, SendResult
from chalicelib.outbox.kinds import MESSAGE_TYPES, SECRET_KINDS, render_sms, render_zns_data
from chalicelib.outbox.model import (
    Channel,
    ClaimOutcome,
    DeliveryState,
    OutboundMessage,
    Outcome,
    Report,
    SpendGuard,
    Urgency,
    spend_bucket,
)

if TYPE_CHECKING:  # pydantic: the settings are parsed by the caller, not imported here
    from chalicelib.messaging.config import BrandMessaging

LEASE = timedelta(seconds=60)  # > the providers' 3 s + 10 s timeouts, twice for a ZNS refresh
DEDUPLICATING_PROVIDERS = frozenset({"esms"})  # a resend of the same message id cannot double
# Providers with a status API: an accepted message whose report has not come is asked about
# after REPORT_WAIT, then every REPORT_RETRY, for at most REPORT_HORIZON (then it stays
# accepted: the provider took it, nobody can say more).
STATUS_API_PROVIDERS = frozenset({"esms"})
REPORT_WAIT = timedelta(minutes=15)
REPORT_RETRY = timedelta(minutes=30)
REPORT_HORIZON = timedelta(hours=24)
_S = DeliveryState


class SenderOutbox(Protocol):
    def get(self, message_id: str) -> OutboundMessage: ...
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
    ) -> ClaimOutcome: ...
    def settle(self, message_id: str, *, owner: str, outcome: Outcome, now: datetime) -> bool: ...
    def move(
        self,
        message_id: str,
        *,
        from_states: tuple[DeliveryState, ...],
        to: DeliveryState,
        now: datetime,
        reason: str,
        channel: str | None = None,
        send_after: datetime | None = None,
        code: str = "",
    ) -> bool: ...
    def due(self, state: DeliveryState, now: datetime, limit: int = 100) -> list[str]: ...
    def spent(self, bucket: str) -> Decimal: ...


class Alerts(Protocol):
    """Where a message that needs a person goes (the delivery-failures queue, alarmed)."""

    def alert(self, message_id: str, reason: str, state: str) -> None: ...


class DevInboxSender:
    """The ``local`` stage's provider when a brand has none: the outbox item itself is the
    inbox (``GET /dev/inbox``), so a send is accepted and at once delivered. Nothing leaves."""

    name = "dev_inbox"

    def send(self, request: SendRequest) -> SendResult:
        logger.info(
            "message delivered to the dev inbox",
            extra={"message_id": request.message_id, "to": log_safe(request.to_e164)},
        )
        return SendResult(self.name, ErrorClass.OK, provider_message_id=request.message_id)


@dataclass(frozen=True)
class Channels:
    """The senders a brand can use now; ``None``: not configured."""

    zns: MessageSender | None = None
    sms: MessageSender | None = None
    dev_inbox: MessageSender | None = None

    def sender(self, channel: str) -> MessageSender | None:
        return {"zns": self.zns, "sms": self.sms, "dev_inbox": self.dev_inbox}.get(channel)


@dataclass(frozen=True)
class SenderContext:
    outbox: SenderOutbox
    channels: Channels
    brand: BrandMessaging
    alerts: Alerts
    jitter: Jitter
    new_owner: Callable[[], str] = lambda: uuid.uuid4().hex
    # Keep a lookup code's text once it is sent: only the local stage, whose dev inbox shows it.
    keep_secrets: bool = False
    # The container's ZNS breaker (docs/reference/figures.md): open, new and re-queued
    # messages go by SMS.
    zns_breaker: CircuitBreaker | None = None
    # The recipient's recorded decision on a purpose (``None``: none recorded), asked before
    # each message a consent governs (``MessageType.purpose``): a withdrawal stops the very
    # next send, queued or scheduled before it.
    consent: Callable[[str, str], bool | None] | None = None


def _zns_ready(message: OutboundMessage, now: datetime, context: SenderContext) -> bool:
    breaker = context.zns_breaker
    return (
        context.channels.zns is not None
        and context.brand.zns_template(message.template) is not None
        and not (breaker is not None and breaker.is_open(now))
    )


def _pick_channel(
    message: OutboundMessage, now: datetime, context: SenderContext
) -> tuple[str | None, datetime | None, str]:
    """The channel for this send and, when it must wait, until when (with the reason)."""
    channels = context.channels
    if channels.zns is None and channels.sms is None:
        return ("dev_inbox" if channels.dev_inbox else None), None, "no_provider"
    zns_ready = _zns_ready(message, now, context)
    if not message.channel:
        return _first_pick(message, now, context, zns_ready)
    if message.channel == Channel.DEV_INBOX.value:
        return message.channel, None, ""
    return _next_pick(message, now, context, zns_ready)


def _first_pick(
    message: OutboundMessage, now: datetime, context: SenderContext, zns_ready: bool
) -> tuple[str | None, datetime | None, str]:
    """A message's first send: the policy's first channel, within the providers the brand has."""
    first, at = first_channel(
        message.urgency, now, zns_ready, night_window=context.brand.night_window
    )
    if first is Channel.SMS and context.channels.sms is None:
        # no SMS provider: an urgent message at night cannot go; a normal one waits for ZNS
        if message.urgency is Urgency.URGENT or not zns_ready:
            return None, None, "no_provider"
        return Channel.ZNS.value, next_morning(now), "night_window_rescheduled"
    return first.value, at, "night_window_rescheduled"


def _next_pick(
    message: OutboundMessage, now: datetime, context: SenderContext, zns_ready: bool
) -> tuple[str | None, datetime | None, str]:
    """A message sent before (a retry, a fallback, a scheduled one now due): its channel, unless
    ZNS became unusable or the night window holds it."""
    has_sms = context.channels.sms is not None
    channel = message.channel
    if channel == Channel.ZNS.value and not zns_ready and has_sms:
        channel = Channel.SMS.value  # the breaker is open (or the template went away)
    if context.brand.night_window and in_night_window(now):
        if message.urgency is Urgency.NORMAL:
            return channel, next_morning(now), "night_window_rescheduled"
        if channel == Channel.ZNS.value and has_sms:
            return Channel.SMS.value, None, ""
    return channel, None, ""


def request_for(message: OutboundMessage, channel: str, brand: BrandMessaging) -> SendRequest:
    """What one provider gets: ZNS a template id and its data, SMS a folded text."""
    template = brand.zns_template(message.template) if channel == Channel.ZNS.value else None
    if template is not None:
        return SendRequest(
            message_id=message.message_id,
            to_e164=message.recipient_phone,
            text=message.text,
            template_id=template.zns_template_id,
            template_data=render_zns_data(message.template, template.zns_params, message.fields),
        )
    body = (
        render_sms(message.template, message.language, message.fields)
        if message.fields
        else message.text
    )
    return SendRequest(message_id=message.message_id, to_e164=message.recipient_phone, text=body)


def _consented(message: OutboundMessage, context: SenderContext) -> bool:
    """May the message go, as far as the recipient's consent goes (its kind's purpose)?"""
    kind = MESSAGE_TYPES.get(message.template)
    if kind is None or kind.purpose is None or context.consent is None:
        return True
    return allows(kind.purpose, context.consent(message.recipient_key, kind.purpose))


def send_queued(message: OutboundMessage, *, now: datetime, context: SenderContext) -> str:
    """Send one queued message once. Returns what happened (a stable code, for logs and tests):
    ``not_queued``, ``expired``, ``consent_withdrawn``, ``scheduled``, ``taken``, ``over_cap``,
    ``no_provider``, or the state the send left it in."""
    outbox = context.outbox
    if message.status is not _S.QUEUED:
        return "not_queued"
    if message.expires_at is not None and message.expires_at <= now:
        outbox.move(
            message.message_id, from_states=(_S.QUEUED,), to=_S.FAILED, now=now, reason="expired"
        )
        return "expired"
    if not _consented(message, context):
        outbox.move(
            message.message_id,
            from_states=(_S.QUEUED,),
            to=_S.FAILED,
            now=now,
            reason="consent_withdrawn",
        )
        return "consent_withdrawn"
    channel, wait_until, wait_reason = _pick_channel(message, now, context)
    if channel is None:
        if outbox.move(
            message.message_id,
            from_states=(_S.QUEUED,),
            to=_S.FAILED,
            now=now,
            reason="no_provider",
        ):
            context.alerts.alert(message.message_id, "no_provider", _S.FAILED.value)
        return "no_provider"
    if wait_until is not None:
        outbox.move(
            message.message_id,
            from_states=(_S.QUEUED,),
            to=_S.SCHEDULED,
            now=now,
            reason=wait_reason,
            channel=channel,
            send_after=wait_until,
        )
        return "scheduled"
    bucket = spend_bucket(message.brand_id, business_day(now))
    cap = context.brand.daily_spend_cap_vnd
    guard = SpendGuard(bucket, cap) if cap is not None and channel != "dev_inbox" else None
    owner = context.new_owner()
    sender = context.channels.sender(channel)
    claim = outbox.claim(
        message.message_id,
        channel=channel,
        provider=sender.name if sender else channel,
        owner=owner,
        now=now,
        lease=LEASE,
        spend=guard,
        new_channel=bool(message.channel) and message.channel != channel,
    )
    if claim is ClaimOutcome.TAKEN:
        return "taken"
    if claim is ClaimOutcome.OVER_CAP:
        return _over_cap(message, now, context, bucket)
    return _send_claimed(message, channel, owner, bucket, now, context)


def _over_cap(message: OutboundMessage, now: datetime, context: SenderContext, bucket: str) -> str:
    cap = context.brand.daily_spend_cap_vnd or Decimal(0)
    decision = spend_decision(context.outbox.spent(bucket), cap, message.urgency)
    if decision is SpendDecision.REFUSE:
        moved = context.outbox.move(
            message.message_id,
            from_states=(_S.QUEUED,),
            to=_S.FAILED,
            now=now,
            reason="spend_cap_reached",
        )
        if moved:
            context.alerts.alert(message.message_id, "spend_cap_reached", _S.FAILED.value)
    else:
        context.outbox.move(
            message.message_id,
            from_states=(_S.QUEUED,),
            to=_S.SCHEDULED,
            now=now,
            reason="spend_cap_queued",
            send_after=tomorrow_morning(now),
        )
    logger.warning(
        "daily spend cap reached",
        extra={
            "message_id": message.message_id,
            "brand_id": message.brand_id,
            "decision": decision.value,
        },
    )
    return "over_cap"


def _send_claimed(
    message: OutboundMessage,
    channel: str,
    owner: str,
    bucket: str,
    now: datetime,
    context: SenderContext,
) -> str:
    """The one provider call of a claimed message, and its outcome written under the lease."""
    result, provider = _call_provider(message, channel, context)
    if channel == Channel.ZNS.value and context.zns_breaker is not None:
        _track(context.zns_breaker, result, now)
    attempt = message.channel_attempts + 1 if message.channel == channel else 1
    decision, next_channel = _next_step(result, channel, message, attempt, now, context, provider)
    outcome = _outcome(
        message, result, decision, channel, next_channel, provider, bucket, now, context
    )
    if not context.outbox.settle(message.message_id, owner=owner, outcome=outcome, now=now):
        logger.warning("sender lost its lease", extra={"message_id": message.message_id})
        return "lease_lost"
    if decision.alert:
        context.alerts.alert(message.message_id, decision.reason, decision.state.value)
    logger.info(
        "message send settled",
        extra={
            "message_id": message.message_id,
            "channel": channel,
            "provider": provider,
            "state": outcome.state.value,
            "reason": decision.reason,
        },
    )
    return outcome.state.value


def _call_provider(
    message: OutboundMessage, channel: str, context: SenderContext
) -> tuple[SendResult, str]:
    """What the channel's provider answered, and the provider's name."""
    sender = context.channels.sender(channel)
    if sender is None:  # the brand's settings changed between the pick and the claim
        return SendResult(channel, ErrorClass.CONFIG, error_code="provider_not_configured"), channel
    try:
        return sender.send(request_for(message, channel, context.brand)), sender.name
    except ValueError:  # a number this provider cannot address: nothing was sent
        return (
            SendResult(sender.name, ErrorClass.PERMANENT_RECIPIENT, error_code="bad_number"),
            sender.name,
        )


def _next_step(
    result: SendResult,
    channel: str,
    message: OutboundMessage,
    attempt: int,
    now: datetime,
    context: SenderContext,
    provider: str,
) -> tuple[Decision, str]:
    """The policy's decision and the channel the message is on afterwards; a fallback to a
    channel the brand has no provider for fails instead, with an alert."""
    decision = _decision(result, channel, message, attempt, now, context, provider)
    next_channel = decision.next_channel.value if decision.next_channel else channel
    if decision.next_channel is not None and context.channels.sender(next_channel) is None:
        unavailable = Decision(
            _S.FAILED, None, None, alert=True, reason=f"{decision.reason}_unavailable"
        )
        return unavailable, channel
    return decision, next_channel


def _outcome(
    message: OutboundMessage,
    result: SendResult,
    decision: Decision,
    channel: str,
    next_channel: str,
    provider: str,
    bucket: str,
    now: datetime,
    context: SenderContext,
) -> Outcome:
    """What the send wrote: the state, the cost counted against the brand's daily spend, and
    when to ask the provider's status API if no delivery report comes."""
    accepted = decision.state is _S.ACCEPTED
    # the dev inbox is the destination itself: accepted there is delivered
    state = _S.DELIVERED if accepted and channel == Channel.DEV_INBOX.value else decision.state
    estimate = context.brand.estimated_cost(channel) if accepted else None
    return Outcome(
        state=state,
        reason=decision.reason,
        channel=next_channel,
        provider=provider,
        error_class=None if result.accepted else result.error_class.value,
        error_code=None if result.accepted else result.error_code,
        provider_message_id=result.provider_message_id,
        cost=result.cost if result.cost is not None else estimate,
        cost_reported=result.cost is not None,
        send_after=decision.retry_at,
        spend_bucket=bucket if accepted and message.brand_id else None,
        fallback=next_channel != channel,
        scrub=accepted and message.template in SECRET_KINDS and not context.keep_secrets,
        report_due=now + REPORT_WAIT if accepted and provider in STATUS_API_PROVIDERS else None,
    )


def _decision(
    result: SendResult,
    channel: str,
    message: OutboundMessage,
    attempt: int,
    now: datetime,
    context: SenderContext,
    provider: str,
) -> Decision:
    if channel == Channel.DEV_INBOX.value and result.accepted:
        return Decision(_S.ACCEPTED, None, None, alert=False, reason="dev_inbox")
    if channel == Channel.DEV_INBOX.value:
        return Decision(_S.FAILED, None, None, alert=True, reason="dev_inbox_failed")
    return decide(
        result,
        Channel(channel),
        message.urgency,
        attempt,
        now,
        context.jitter,
        provider_deduplicates=provider in DEDUPLICATING_PROVIDERS,
    )


def _track(breaker: CircuitBreaker, result: SendResult, now: datetime) -> None:
    """Only the provider's own trouble counts (transient errors, no answer); a recipient
    without Zalo or a bad template says nothing about Zalo's health."""
    if result.accepted:
        breaker.record_success()
    elif result.ambiguous or result.error_class is ErrorClass.TRANSIENT:
        breaker.record_failure(now)


@dataclass(frozen=True)
class SweepReport:
    queued: int  # scheduled messages now due, back to queued
    resent: int  # expired leases on a de-duplicating provider, queued again
    unknown: int  # expired leases elsewhere: may have been sent, never resent blindly
    reconciled: int = 0  # accepted messages settled through the provider's status API
    redriven: int = 0  # messages queued for REDRIVE_AFTER and never sent: queued again


class SweepOutbox(SenderOutbox, Protocol):
    def await_report(self, message_id: str, *, until: datetime | None) -> bool: ...
    def apply_report(self, message_id: str, report: Report) -> bool: ...


def sweep(
    *,
    now: datetime,
    outbox: SweepOutbox,
    alerts: Alerts,
    checker: StatusChecker | None = None,
    limit: int = 100,
) -> SweepReport:
    """The outbox's clock: scheduled messages that are due go back to ``queued`` (the stream
    sends them), a lease that ran out (a sender that died mid-send) is settled, and an accepted
    message whose delivery report never came is asked about through the provider's status API,
    and a message left ``queued`` for :data:`~chalicelib.outbox.model.REDRIVE_AFTER` (its stream
    record lost or given up on) is queued again: the touch is a stream record the sender acts
    on, and its conditional claim keeps it to one send."""
    queued = resent = unknown = redriven = 0
    for message_id in outbox.due(_S.QUEUED, now, limit):
        if outbox.move(
            message_id, from_states=(_S.QUEUED,), to=_S.QUEUED, now=now, reason="redriven"
        ):
            redriven += 1
    for message_id in outbox.due(_S.SCHEDULED, now, limit):
        if outbox.move(
            message_id, from_states=(_S.SCHEDULED,), to=_S.QUEUED, now=now, reason="due"
        ):
            queued += 1
    for message_id in outbox.due(_S.SENDING, now, limit):
        message = outbox.get(message_id)
        if message.provider in DEDUPLICATING_PROVIDERS:
            if outbox.move(
                message_id,
                from_states=(_S.SENDING,),
                to=_S.QUEUED,
                now=now,
                reason="lease_expired_resend_deduplicated",
            ):
                resent += 1
        elif outbox.move(
            message_id, from_states=(_S.SENDING,), to=_S.UNKNOWN, now=now, reason="lease_expired"
        ):
            unknown += 1
            alerts.alert(message_id, "lease_expired", _S.UNKNOWN.value)
    reconciled = _reconcile(now, outbox, checker, limit)
    if queued or resent or unknown or reconciled or redriven:
        logger.info(
            "outbox swept",
            extra={
                "queued": queued,
                "resent": resent,
                "unknown": unknown,
                "reconciled": reconciled,
                "redriven": redriven,
            },
        )
    return SweepReport(queued, resent, unknown, reconciled, redriven)


def _reconcile(
    now: datetime, outbox: SweepOutbox, checker: StatusChecker | None, limit: int
) -> int:
    reconciled = 0
    for message_id in outbox.due(_S.ACCEPTED, now, limit):
        message = outbox.get(message_id)
        if message.status is not _S.ACCEPTED:
            continue  # a report got there first
        said = (
            checker.check(message, now)
            if checker is not None and message.provider in checker.providers
            else None
        )
        if said is not None:
            answer = replace(said, source="status_api")  # the log says who settled it
            reconciled += delivery_reports.apply(message, answer, outbox=outbox)
            continue
        accepted_at = message.accepted_at or now
        retry_at = now + REPORT_RETRY
        outbox.await_report(
            message_id, until=retry_at if retry_at - accepted_at <= REPORT_HORIZON else None
        )
    return reconciled
