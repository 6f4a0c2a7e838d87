"""Delivery policy for outbound messages: which channel first, and what to do with each answer.

Pure: no I/O and no clock reads (``now`` is always a parameter and must be timezone-aware) and
no hidden randomness (backoff takes a ``jitter`` function). The sender applies the
:class:`Decision` with a conditional write on the outbox item
(docs/reference/reliability.md#exactly-once-notifications).

Policy (issue 3, docs/reference/zalo.md#zns-error-codes, sms.md#esms-send,
reliability.md#exactly-once-notifications, figures.md): ZNS first; a permanent ZNS failure for the
recipient falls back to SMS; the ZNS night window (22:00–06:00 ICT) holds normal messages until
06:00 and sends OTPs by SMS; transient errors retry with full-jitter backoff, then fail with an
alert; an ambiguous answer is never blindly resent unless the provider de-duplicates.

>>> from datetime import datetime, timezone
>>> in_night_window(datetime(2025, 3, 1, 15, 0, tzinfo=timezone.utc))  # 22:00 ICT
True
>>> next_morning(datetime(2025, 3, 1, 16, 0, tzinfo=timezone.utc))  # 23:00 ICT → 06:00 ICT
datetime.datetime(2025, 3, 1, 23, 0, tzinfo=datetime.timezone.utc)
>>> first_channel(Urgency.URGENT, datetime(2025, 3, 1, 16, 0, tzinfo=timezone.utc), True)
(<Channel.SMS: 'sms'>, None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from chalicelib.catalog.warranty import BUSINESS_TIMEZONE
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.outbox.model import Channel, DeliveryState, Urgency

if TYPE_CHECKING:  # the port's value type; the domain does not depend on integrations at runtime
    from chalicelib.messaging.providers.port import SendResult


NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(6, 0)  # also "the morning" every reschedule aims at
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(minutes=5)
MAX_ATTEMPTS = 3  # one send plus at most 2 retries (docs/reference/figures.md)
FUNDS_RECHECK = timedelta(hours=1)  # a paused queue looks again this often, for a top-up

Jitter = Callable[[float], float]
"""``jitter(ceiling)`` returns seconds in ``[0, ceiling]``; production passes
``lambda ceiling: random.uniform(0, ceiling)``. Out-of-range values are clamped."""


def _local(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(BUSINESS_TIMEZONE)


def _morning_of(local: datetime, days_later: int) -> datetime:
    day = local.date() + timedelta(days=days_later)
    return datetime.combine(day, NIGHT_ENDS, tzinfo=BUSINESS_TIMEZONE).astimezone(UTC)


def in_night_window(now: datetime) -> bool:
    """Whether ``now`` is in the ZNS night ban, 22:00 (inclusive) to 06:00 (exclusive) ICT
    (docs/reference/zalo.md#zns-error-codes, code -133). Raises ``ValueError`` for a naive
    ``now``."""
    local_time = _local(now).time()
    return local_time >= NIGHT_STARTS or local_time < NIGHT_ENDS


def next_morning(now: datetime) -> datetime:
    """The first 06:00 ICT strictly after ``now``, in UTC: today's before 06:00, else
    tomorrow's."""
    local = _local(now)
    return _morning_of(local, 0 if local.time() < NIGHT_ENDS else 1)


def tomorrow_morning(now: datetime) -> datetime:
    """06:00 ICT on the ICT calendar day after ``now``'s, in UTC: when a daily quota or cap that
    ran out today can be used again, outside the night window."""
    return _morning_of(_local(now), 1)


def first_channel(
    urgency: Urgency, now: datetime, zns_available: bool, *, night_window: bool = True
) -> tuple[Channel, datetime | None]:
    """The channel to try first and when (``None``: now). ``zns_available``: the brand has a ZNS
    OA and its circuit breaker is closed (docs/reference/figures.md). ``night_window``: the brand
    keeps the ZNS night ban (False for an OA whose templates Zalo exempts; a ``-133`` still
    reschedules).

    Normal messages are never sent during the night window on any channel: they wait for 06:00
    (the caller asks again then, so ZNS is retried if it came back). Urgent ones go by SMS.
    """
    night = night_window and in_night_window(now)
    if urgency is Urgency.URGENT:
        return (Channel.SMS, None) if night or not zns_available else (Channel.ZNS, None)
    channel = Channel.ZNS if zns_available else Channel.SMS
    return (channel, next_morning(now)) if night else (channel, None)


def backoff_delay(attempt: int, jitter: Jitter) -> timedelta:
    """Full-jitter backoff before retry number ``attempt`` (≥ 1): a delay in
    ``[0, min(cap, base·2^(attempt-1))]`` with base 2 s and cap 5 min (docs/reference/figures.md).

    >>> backoff_delay(3, lambda ceiling: ceiling)
    datetime.timedelta(seconds=8)
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    base = BACKOFF_BASE.total_seconds()
    ceiling = min(BACKOFF_CAP.total_seconds(), base * 2 ** min(attempt - 1, 32))
    return timedelta(seconds=min(max(jitter(ceiling), 0.0), ceiling))


@dataclass(frozen=True)
class Decision:
    """What the sender does after one send.

    - ``queued``: send now on ``next_channel`` (a fallback);
    - ``scheduled``: send on ``next_channel`` not before ``retry_at``;
    - ``accepted`` / ``unknown`` / ``failed``: stop sending; a report or reconcile moves on.

    ``alert``: a person should look (config, funds, exhausted retries). ``reason`` is a stable
    snake_case code for logs and metrics.
    """

    state: DeliveryState
    retry_at: datetime | None
    next_channel: Channel | None
    alert: bool
    reason: str

    def __post_init__(self) -> None:
        sends_again = self.state in (DeliveryState.QUEUED, DeliveryState.SCHEDULED)
        if self.state is DeliveryState.SENDING or self.state is DeliveryState.DELIVERED:
            raise ValueError(f"{self.state} is not the outcome of a send")
        if sends_again != (self.next_channel is not None):
            raise ValueError("next_channel is set exactly when the message is sent again")
        if (self.state is DeliveryState.SCHEDULED) != (self.retry_at is not None):
            raise ValueError("retry_at is set exactly when the message is scheduled")


@dataclass(frozen=True)
class _Send:
    """One send's result with its context: what every rule reads."""

    result: SendResult
    channel: Channel
    urgency: Urgency
    attempt: int
    now: datetime
    jitter: Jitter
    provider_deduplicates: bool

    @property
    def urgent(self) -> bool:
        return self.urgency is Urgency.URGENT

    @property
    def on_zns(self) -> bool:
        return self.channel is Channel.ZNS


def _accepted(reason: str) -> Decision:
    return Decision(DeliveryState.ACCEPTED, None, None, alert=False, reason=reason)


def _failed(reason: str, *, alert: bool) -> Decision:
    return Decision(DeliveryState.FAILED, None, None, alert=alert, reason=reason)


def _now_on(channel: Channel, reason: str, *, alert: bool = False) -> Decision:
    return Decision(DeliveryState.QUEUED, None, channel, alert=alert, reason=reason)


def _at(when: datetime, channel: Channel, reason: str, *, alert: bool = False) -> Decision:
    return Decision(DeliveryState.SCHEDULED, when, channel, alert=alert, reason=reason)


def _retry_or(send: _Send, reason: str, exhausted: Decision) -> Decision:
    """Retry on the same channel after a full-jitter backoff while attempts remain
    (docs/reference/figures.md: at most 2 retries), else ``exhausted``."""
    if send.attempt >= MAX_ATTEMPTS:
        return exhausted
    retry_at = send.now + backoff_delay(send.attempt, send.jitter)
    return _at(retry_at, send.channel, reason)


def _on_ok(send: _Send) -> Decision:
    # sms.md#esms-send: 100 means accepted, not delivered; 124 is the same message already accepted.
    return _accepted("duplicate" if send.result.error_class is ErrorClass.DUPLICATE else "ok")


def _on_permanent_recipient(send: _Send) -> Decision:
    # zalo.md#zns-error-codes: no retry for this recipient or payload; ZNS falls back to SMS.
    # sms.md#esms-send: 99/108 on SMS
    # (blocked or bad phone) leave nothing else to try; not a fault of ours, so no alert.
    if send.on_zns:
        return _now_on(Channel.SMS, "zns_recipient_unreachable_fallback_sms")
    return _failed("recipient_unreachable", alert=False)


def _on_night_window(send: _Send) -> Decision:
    # zalo.md#zns-error-codes -133: reschedule to 06:00 ICT; an OTP cannot wait, so it goes by
    # SMS now.
    if send.urgent and send.channel is not Channel.SMS:
        return _now_on(Channel.SMS, "night_window_urgent_fallback_sms")
    return _at(next_morning(send.now), send.channel, "night_window_rescheduled")


def _on_quota(send: _Send) -> Decision:
    # zalo.md#zns-error-codes: ZNS quotas are daily (-144 OA, -147 template, -115 quota or
    # balance), so retrying
    # today is pointless: an OTP goes by SMS, the rest waits for tomorrow 06:00. An SMS quota
    # or rate limit is retried with backoff (reliability.md#exactly-once-notifications: eSMS
    # de-duplicates, so retrying is safe).
    if send.on_zns:
        if send.urgent:
            return _now_on(Channel.SMS, "zns_quota_urgent_fallback_sms")
        return _at(tomorrow_morning(send.now), Channel.ZNS, "zns_quota_rescheduled")
    return _retry_or(send, "quota_backoff", _failed("quota_retries_exhausted", alert=True))


def _on_token_invalid(send: _Send) -> Decision:
    # zalo.md#zns-error-codes: the ZNS adapter already refreshed the token and retried once; a
    # second rejection
    # means the OA authorisation itself is broken (D: page on-call). The customer is still told
    # by SMS, as for any other ZNS configuration failure.
    if send.on_zns:
        return _now_on(Channel.SMS, "zns_token_invalid_fallback_sms", alert=True)
    return _failed("token_invalid_after_refresh", alert=True)


def _on_config(send: _Send) -> Decision:
    # zalo.md#zns-error-codes, sms.md#esms-send: config or permission problem: alert a person,
    # never retry the same channel.
    # On ZNS the customer is still told by SMS.
    if send.on_zns:
        return _now_on(Channel.SMS, "zns_config_fallback_sms", alert=True)
    return _failed("config_error", alert=True)


def _on_out_of_funds(send: _Send) -> Decision:
    # sms.md#esms-send 103: alert and pause the queue;
    # reliability.md#exactly-once-notifications allows the retry after a top-up, so look again
    # hourly (but not at night). An OTP would expire (D: TTL 5 min) long before a person tops
    # up, so it fails instead of waiting.
    if send.urgent:
        return _failed("out_of_funds_urgent_dropped", alert=True)
    recheck = send.now + FUNDS_RECHECK
    if in_night_window(recheck):
        recheck = next_morning(recheck)
    return _at(recheck, send.channel, "out_of_funds_paused", alert=True)


def _on_transient(send: _Send) -> Decision:
    # reliability.md#exactly-once-notifications, figures.md: retryable, at most 2 retries with
    # full-jitter backoff, then the on-failure
    # queue with an alarm.
    return _retry_or(send, "transient_backoff", _failed("transient_retries_exhausted", alert=True))


def _on_unknown(send: _Send) -> Decision:
    # A code outside the tables is a failure worth a person's look (provider_errors).
    return _failed("unknown_error", alert=True)


def _on_ambiguous(send: _Send) -> Decision:
    # reliability.md#exactly-once-notifications: the provider may have accepted it. Resend
    # only where the provider de-duplicates
    # (eSMS RequestId = outbox id, 24 h; a duplicate answers 124); otherwise wait for the
    # delivery report or reconcile (ZNS tracking_id). Out of retries, it is still unknown.
    if not send.provider_deduplicates:
        return Decision(DeliveryState.UNKNOWN, None, None, alert=False, reason="ambiguous")
    exhausted = Decision(
        DeliveryState.UNKNOWN, None, None, alert=True, reason="ambiguous_retries_exhausted"
    )
    return _retry_or(send, "ambiguous_resend_deduplicated", exhausted)


_RULES: Mapping[ErrorClass, Callable[[_Send], Decision]] = MappingProxyType(
    {
        ErrorClass.OK: _on_ok,
        ErrorClass.DUPLICATE: _on_ok,
        ErrorClass.PERMANENT_RECIPIENT: _on_permanent_recipient,
        ErrorClass.NIGHT_WINDOW: _on_night_window,
        ErrorClass.QUOTA: _on_quota,
        ErrorClass.TOKEN_INVALID: _on_token_invalid,
        ErrorClass.CONFIG: _on_config,
        ErrorClass.OUT_OF_FUNDS: _on_out_of_funds,
        ErrorClass.TRANSIENT: _on_transient,
        ErrorClass.UNKNOWN: _on_unknown,
    }
)


def decide(
    result: SendResult,
    channel: Channel,
    urgency: Urgency,
    attempt: int,
    now: datetime,
    jitter: Jitter,
    *,
    provider_deduplicates: bool = False,
) -> Decision:
    """What to do after one send on ``channel``. ``attempt``: sends made on this channel so far,
    this one included (≥ 1; a fallback channel starts again at 1). ``provider_deduplicates``:
    resending the same outbox id cannot send twice (eSMS ``RequestId``).

    An ambiguous answer that was not an acceptance is judged by its ambiguity, whatever its
    class: resending it is what could send twice.
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    send = _Send(result, channel, urgency, attempt, now, jitter, provider_deduplicates)
    if result.ambiguous and not result.accepted:
        return _on_ambiguous(send)
    return _RULES[result.error_class](send)


class SpendDecision(StrEnum):
    SEND = "send"
    # OTP-type: stop (SMS pumping guard, docs/reference/security.md#otp-and-sms-pumping,
    # figures.md)
    REFUSE = "refuse"
    QUEUE = "queue"  # hold until tomorrow_morning()


def spend_decision(spent_today_vnd: Decimal, cap_vnd: Decimal, urgency: Urgency) -> SpendDecision:
    """A brand's daily spend cap (docs/reference/figures.md: hard stop at 100% for OTP-type sends,
    the rest queue). At or above the cap, urgent sends are refused and normal ones queued.

    >>> spend_decision(Decimal("100000"), Decimal("100000"), Urgency.NORMAL)
    <SpendDecision.QUEUE: 'queue'>
    """
    if spent_today_vnd < 0 or cap_vnd < 0:
        raise ValueError("spend and cap are non-negative amounts")
    if spent_today_vnd < cap_vnd:
        return SpendDecision.SEND
    return SpendDecision.REFUSE if urgency is Urgency.URGENT else SpendDecision.QUEUE
