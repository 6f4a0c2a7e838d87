"""Outbound messages (the notifications outbox) as the services see them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class DeliveryState(StrEnum):
    """Where one outbound message is. ``unknown``: the provider may have accepted it (an
    ambiguous timeout); only a delivery report or a reconcile moves it on."""

    QUEUED = "queued"  # ready to send now
    SCHEDULED = "scheduled"  # must wait until a time (night window, quota, backoff, pause)
    # leased by a sender (reliability.md#exactly-once-notifications SENDING(lease_until,
    # attempt))
    SENDING = "sending"
    ACCEPTED = "accepted"  # the provider took it (provider_msg_id); not yet delivered
    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"


TERMINAL: frozenset[DeliveryState] = frozenset({DeliveryState.DELIVERED, DeliveryState.FAILED})


_S = DeliveryState


# A message still ``queued`` this long after it was queued was missed by the stream (a record
# lost with a crashed poller, a handler that gave up): the outbox sweep queues it again.
REDRIVE_AFTER = timedelta(minutes=5)

ALLOWED_TRANSITIONS: Mapping[DeliveryState, frozenset[DeliveryState]] = MappingProxyType(
    {
        # failed from queued/scheduled: expired, refused by the spend cap, or cancelled.
        # (a re-drive of a queued message by the sweep or a staff retry is a touch that stays
        # queued, not a transition)
        _S.QUEUED: frozenset({_S.SENDING, _S.SCHEDULED, _S.FAILED}),
        _S.SCHEDULED: frozenset({_S.QUEUED, _S.SENDING, _S.FAILED}),
        # the outcomes of one send: every Decision state.
        _S.SENDING: frozenset({_S.ACCEPTED, _S.QUEUED, _S.SCHEDULED, _S.FAILED, _S.UNKNOWN}),
        # delivery reports only move forwards (reliability.md#exactly-once-notifications).
        _S.ACCEPTED: frozenset({_S.DELIVERED, _S.FAILED}),
        # a late report or a reconcile settles an ambiguous send.
        _S.UNKNOWN: frozenset({_S.ACCEPTED, _S.DELIVERED, _S.FAILED}),
        _S.DELIVERED: frozenset(),
        _S.FAILED: frozenset(),
    }
)


def can_transition(current: DeliveryState, new: DeliveryState) -> bool:
    """Whether ``current → new`` is allowed. Staying put is not a transition (``False``): a
    repeated report is a no-op for the caller, not a write.

    >>> can_transition(DeliveryState.ACCEPTED, DeliveryState.DELIVERED)
    True
    >>> can_transition(DeliveryState.DELIVERED, DeliveryState.FAILED)
    False
    """
    return new in ALLOWED_TRANSITIONS[current]


class Channel(StrEnum):
    ZNS = "zns"
    SMS = "sms"
    DEV_INBOX = "dev_inbox"


class Urgency(StrEnum):
    URGENT = "urgent"  # OTP-type: useless once late (docs/reference/figures.md: OTP TTL 5 min)
    NORMAL = "normal"  # activation receipts, reminders: better late than at night


@dataclass(frozen=True)
class MessageEvent:
    """One step in a message's life, kept on the message for the console (newest last)."""

    at: datetime
    state: str
    channel: str = ""
    provider: str = ""
    reason: str = ""
    code: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    message_id: str  # deterministic per business event: the outbox's idempotency key
    recipient_key: str  # HMAC of the phone: what indexes use
    recipient_phone: str  # E.164: what a provider needs
    channel: str  # the channel being tried: zns | sms | dev_inbox; "" until the sender picks
    template: str  # the message type (chalicelib.outbox.kinds)
    language: str
    text: str  # as a person reads it (dev inbox, console)
    subject: str  # the serial or purpose the message is about
    status: DeliveryState
    created_at: datetime
    attempts: int = 0  # sends on every channel
    provider: str | None = None
    delivered_at: datetime | None = None
    expires_at: datetime | None = None  # useless after (an OTP): never sent late
    brand_id: str = ""
    urgency: Urgency = Urgency.NORMAL
    fields: dict[str, str] = field(default_factory=dict)  # what the templates render
    channel_attempts: int = 0  # sends on ``channel``; a fallback starts again at 0
    provider_message_id: str | None = None
    error_class: str | None = None
    error_code: str | None = None
    reason: str | None = None  # the last decision's stable code
    cost: Decimal | None = None  # VND: reported by the provider, else estimated
    cost_reported: bool = False
    send_after: datetime | None = None  # when a scheduled message is due
    accepted_at: datetime | None = None
    failed_at: datetime | None = None
    updated_at: datetime | None = None
    events: tuple[MessageEvent, ...] = ()
    disputed_at: datetime | None = None  # the recipient said "this wasn't me" (its link)


def spend_bucket(brand_id: str, day: date) -> str:
    return f"spend#{brand_id}#{day.isoformat()}"


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"  # this sender holds the lease and may send once
    TAKEN = "taken"  # not queued any more (sent, or another sender has it)
    OVER_CAP = "over_cap"  # the brand's spend counter reached its cap: nothing written


@dataclass(frozen=True)
class SpendGuard:
    """The brand's spend counter for today and its cap (VND)."""

    bucket: str
    cap: Decimal


@dataclass(frozen=True)
class Outcome:
    """What the sender writes after one send (the decision applied)."""

    state: DeliveryState
    reason: str
    channel: str  # the channel the next send uses (unchanged when no fallback)
    provider: str
    error_class: str | None = None
    error_code: str | None = None
    provider_message_id: str | None = None
    cost: Decimal | None = None  # the provider's reported cost, else the estimate
    cost_reported: bool = False
    send_after: datetime | None = None
    spend_bucket: str | None = None  # add ``cost`` to this counter with the state change
    fallback: bool = False  # ``channel`` is a new one: its attempts count from zero
    scrub: bool = False  # a secret (a lookup code) left with the provider: drop its text
    report_due: datetime | None = None  # accepted: ask the provider then if no report came


@dataclass(frozen=True)
class Report:
    """A delivery report, verified by the hook: where the message got to, per the provider."""

    state: DeliveryState  # ACCEPTED, DELIVERED or FAILED
    provider: str
    at: datetime
    provider_message_id: str | None = None
    error_code: str | None = None
    cost: Decimal | None = None
    spend_bucket: str | None = None  # the counter the estimate went to
    cost_delta: Decimal | None = None  # reported cost minus the estimate counted at acceptance
    # what said so, as the message log shows it: the provider's callback, or the answer to the
    # sweep's question to its status API when no callback came
    source: str = "delivery_report"
