"""Delivery policy (issue 3; docs/reference/zalo.md#zns-error-codes, sms.md#esms-send,
reliability.md#exactly-once-notifications, figures.md): channel choice, what each provider answer
leads to, the night window, backoff, the state machine and the daily spend cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.catalog.warranty import BUSINESS_TIMEZONE
from chalicelib.messaging.policy import (
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    Decision,
    SpendDecision,
    backoff_delay,
    decide,
    first_channel,
    in_night_window,
    next_morning,
    spend_decision,
    tomorrow_morning,
)
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import SendResult
from chalicelib.outbox.model import (
    ALLOWED_TRANSITIONS,
    TERMINAL,
    Channel,
    DeliveryState,
    Urgency,
    can_transition,
)

S = DeliveryState
URGENT, NORMAL = Urgency.URGENT, Urgency.NORMAL
ZNS, SMS = Channel.ZNS, Channel.SMS


def ict(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, second, tzinfo=BUSINESS_TIMEZONE)


DAY = ict(10, 10)  # 10:00 ICT: outside the night window
NIGHT = ict(10, 23)  # 23:00 ICT


def ceiling(upper: float) -> float:
    return upper


def result(error_class: ErrorClass, *, ambiguous: bool = False) -> SendResult:
    return SendResult("fake", error_class, ambiguous=ambiguous)


def decide_at(
    error_class: ErrorClass,
    channel: Channel,
    urgency: Urgency,
    *,
    attempt: int = 1,
    now: datetime = DAY,
    ambiguous: bool = False,
    provider_deduplicates: bool = False,
) -> Decision:
    return decide(
        result(error_class, ambiguous=ambiguous),
        channel,
        urgency,
        attempt,
        now,
        ceiling,
        provider_deduplicates=provider_deduplicates,
    )


# --- the night window (zalo.md#zns-error-codes -133: 22:00–06:00 ICT)
# -------------------------------------------


@pytest.mark.parametrize(
    ("moment", "at_night"),
    [
        (ict(10, 21, 59, 59), False),
        (ict(10, 22, 0, 0), True),
        (ict(11, 0, 30), True),
        (ict(11, 5, 59, 59), True),
        (ict(11, 6, 0, 0), False),
        (ict(11, 12, 0), False),
        # the same instants given in UTC, either side of midnight UTC (07:00 ICT)
        (datetime(2025, 3, 10, 14, 59, 59, tzinfo=UTC), False),  # 21:59:59 ICT
        (datetime(2025, 3, 10, 15, 0, 0, tzinfo=UTC), True),  # 22:00 ICT
        (datetime(2025, 3, 10, 22, 59, 59, tzinfo=UTC), True),  # 05:59:59 ICT on the 11th
        (datetime(2025, 3, 10, 23, 0, 0, tzinfo=UTC), False),  # 06:00 ICT on the 11th
        (datetime(2025, 3, 11, 0, 0, 0, tzinfo=UTC), False),  # 07:00 ICT
    ],
)
def test_night_window_runs_from_22_00_inclusive_to_06_00_exclusive_ict(
    moment: datetime, at_night: bool
) -> None:
    assert in_night_window(moment) is at_night


def test_night_window_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        in_night_window(datetime(2025, 3, 10, 23, 0))


@pytest.mark.parametrize(
    ("now", "morning"),
    [
        (ict(10, 23), ict(11, 6)),  # 23:00 → tomorrow 06:00
        (ict(11, 1), ict(11, 6)),  # 01:00 → today 06:00
        (ict(10, 22), ict(11, 6)),
        (ict(11, 5, 59, 59), ict(11, 6)),
        (ict(11, 6), ict(12, 6)),  # strictly after: 06:00 itself → tomorrow
        (ict(11, 14), ict(12, 6)),
        (ict(31, 23, month=12), datetime(2026, 1, 1, 6, tzinfo=BUSINESS_TIMEZONE)),
    ],
)
def test_next_morning_is_the_first_06_00_ict_after_now(now: datetime, morning: datetime) -> None:
    assert next_morning(now) == morning


def test_next_morning_is_returned_in_utc_whatever_zone_now_is_in() -> None:
    from_23_ict = next_morning(ict(10, 23))
    from_utc = next_morning(datetime(2025, 3, 10, 18, 0, tzinfo=UTC))  # 01:00 ICT on the 11th

    assert from_23_ict.tzinfo is UTC
    assert from_23_ict == datetime(2025, 3, 10, 23, 0, tzinfo=UTC)
    assert from_utc == datetime(2025, 3, 10, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("now", [ict(11, 1), ict(10, 10), ict(10, 23)])
def test_tomorrow_morning_is_06_00_on_the_next_ict_day_even_before_dawn(now: datetime) -> None:
    next_day = now.astimezone(BUSINESS_TIMEZONE).date() + timedelta(days=1)

    assert tomorrow_morning(now) == datetime.combine(
        next_day, datetime.min.time(), BUSINESS_TIMEZONE
    ) + timedelta(hours=6)
    assert tomorrow_morning(now).tzinfo is UTC


# --- first channel ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "now", "zns_available", "expected"),
    [
        (URGENT, DAY, True, (ZNS, None)),
        (NORMAL, DAY, True, (ZNS, None)),
        (URGENT, DAY, False, (SMS, None)),
        (NORMAL, DAY, False, (SMS, None)),
        (URGENT, NIGHT, True, (SMS, None)),  # an OTP cannot wait for 06:00
        (URGENT, NIGHT, False, (SMS, None)),
        (NORMAL, NIGHT, True, (ZNS, ict(11, 6))),
        (NORMAL, NIGHT, False, (SMS, ict(11, 6))),  # no channel sends normal messages at night
    ],
)
def test_first_channel_is_zns_when_available_and_respects_the_night_window(
    urgency: Urgency,
    now: datetime,
    zns_available: bool,
    expected: tuple[Channel, datetime | None],
) -> None:
    assert first_channel(urgency, now, zns_available) == expected


# --- decide: one row per rule -------------------------------------------------------------------

SOON = "soon"  # scheduled after a backoff: retry_at = now + backoff
MORNING = ict(11, 6)  # next_morning(DAY) and tomorrow_morning(DAY)


@pytest.mark.parametrize(
    ("error_class", "channel", "urgency", "state", "next_channel", "retry_at", "alert"),
    [
        # accepted (sms.md#esms-send: 100 accepted, 124 duplicate = already accepted)
        (ErrorClass.OK, ZNS, NORMAL, S.ACCEPTED, None, None, False),
        (ErrorClass.OK, SMS, URGENT, S.ACCEPTED, None, None, False),
        (ErrorClass.DUPLICATE, SMS, NORMAL, S.ACCEPTED, None, None, False),
        # permanent for the recipient (zalo.md#zns-error-codes): ZNS falls back to SMS
        # now; SMS has nothing left
        (ErrorClass.PERMANENT_RECIPIENT, ZNS, NORMAL, S.QUEUED, SMS, None, False),
        (ErrorClass.PERMANENT_RECIPIENT, ZNS, URGENT, S.QUEUED, SMS, None, False),
        (ErrorClass.PERMANENT_RECIPIENT, SMS, NORMAL, S.FAILED, None, None, False),
        (ErrorClass.PERMANENT_RECIPIENT, SMS, URGENT, S.FAILED, None, None, False),
        # night window (zalo.md#zns-error-codes -133): an OTP goes by SMS now, the rest
        # waits for 06:00 on ZNS
        (ErrorClass.NIGHT_WINDOW, ZNS, URGENT, S.QUEUED, SMS, None, False),
        (ErrorClass.NIGHT_WINDOW, ZNS, NORMAL, S.SCHEDULED, ZNS, MORNING, False),
        # quota (zalo.md#zns-error-codes): ZNS quotas are daily; SMS quota or rate backs off
        (ErrorClass.QUOTA, ZNS, URGENT, S.QUEUED, SMS, None, False),
        (ErrorClass.QUOTA, ZNS, NORMAL, S.SCHEDULED, ZNS, MORNING, False),
        (ErrorClass.QUOTA, SMS, NORMAL, S.SCHEDULED, SMS, SOON, False),
        (ErrorClass.QUOTA, SMS, URGENT, S.SCHEDULED, SMS, SOON, False),
        # token invalid after the adapter's own refresh and retry (zalo.md#zns-error-codes)
        (ErrorClass.TOKEN_INVALID, ZNS, NORMAL, S.QUEUED, SMS, None, True),
        (ErrorClass.TOKEN_INVALID, ZNS, URGENT, S.QUEUED, SMS, None, True),
        # config (zalo.md#zns-error-codes, sms.md#esms-send): alert; ZNS still tells the
        # customer by SMS
        (ErrorClass.CONFIG, ZNS, NORMAL, S.QUEUED, SMS, None, True),
        (ErrorClass.CONFIG, ZNS, URGENT, S.QUEUED, SMS, None, True),
        (ErrorClass.CONFIG, SMS, NORMAL, S.FAILED, None, None, True),
        (ErrorClass.CONFIG, SMS, URGENT, S.FAILED, None, None, True),
        # out of funds (sms.md#esms-send 103): pause with an alert; an OTP would expire first
        (ErrorClass.OUT_OF_FUNDS, SMS, NORMAL, S.SCHEDULED, SMS, DAY + timedelta(hours=1), True),
        (ErrorClass.OUT_OF_FUNDS, SMS, URGENT, S.FAILED, None, None, True),
        # transient (reliability.md#exactly-once-notifications, D): retry with backoff
        (ErrorClass.TRANSIENT, ZNS, NORMAL, S.SCHEDULED, ZNS, SOON, False),
        (ErrorClass.TRANSIENT, ZNS, URGENT, S.SCHEDULED, ZNS, SOON, False),
        (ErrorClass.TRANSIENT, SMS, NORMAL, S.SCHEDULED, SMS, SOON, False),
        # a code outside the tables, not ambiguous: the provider refused it
        (ErrorClass.UNKNOWN, ZNS, NORMAL, S.FAILED, None, None, True),
        (ErrorClass.UNKNOWN, SMS, URGENT, S.FAILED, None, None, True),
    ],
)
def test_decide_follows_the_policy_table(
    error_class: ErrorClass,
    channel: Channel,
    urgency: Urgency,
    state: DeliveryState,
    next_channel: Channel | None,
    retry_at: datetime | str | None,
    alert: bool,
) -> None:
    decision = decide_at(error_class, channel, urgency)

    assert decision.state is state
    assert decision.next_channel is next_channel
    assert decision.alert is alert
    if retry_at == SOON:
        assert decision.retry_at == DAY + backoff_delay(1, ceiling)
    else:
        assert decision.retry_at == retry_at
    assert decision.reason


def test_a_normal_night_window_answer_in_the_small_hours_waits_for_this_mornings_06_00() -> None:
    decision = decide_at(ErrorClass.NIGHT_WINDOW, ZNS, NORMAL, now=ict(11, 1))

    assert decision.retry_at == ict(11, 6)


def test_a_zns_daily_quota_hit_in_the_small_hours_waits_for_tomorrow_not_this_morning() -> None:
    decision = decide_at(ErrorClass.QUOTA, ZNS, NORMAL, now=ict(11, 1))

    assert decision.retry_at == ict(12, 6)


def test_out_of_funds_recheck_does_not_land_in_the_night_window() -> None:
    decision = decide_at(ErrorClass.OUT_OF_FUNDS, SMS, NORMAL, now=ict(10, 21, 30))

    assert decision.state is S.SCHEDULED
    assert decision.retry_at == ict(11, 6)


# --- retries and their cap (D: at most 2 retries) -----------------------------------------------


@pytest.mark.parametrize("error_class", [ErrorClass.TRANSIENT])
@pytest.mark.parametrize("channel", [ZNS, SMS])
def test_transient_errors_retry_until_the_attempt_cap_then_fail_with_an_alert(
    error_class: ErrorClass, channel: Channel
) -> None:
    retries = [decide_at(error_class, channel, NORMAL, attempt=n) for n in range(1, MAX_ATTEMPTS)]
    last = decide_at(error_class, channel, NORMAL, attempt=MAX_ATTEMPTS)

    assert [d.state for d in retries] == [S.SCHEDULED] * (MAX_ATTEMPTS - 1)
    assert [d.retry_at for d in retries] == [DAY + timedelta(seconds=2), DAY + timedelta(seconds=4)]
    assert all(d.next_channel is channel and not d.alert for d in retries)
    assert (last.state, last.alert, last.next_channel, last.retry_at) == (
        S.FAILED,
        True,
        None,
        None,
    )


def test_sms_quota_retries_are_capped_too() -> None:
    last = decide_at(ErrorClass.QUOTA, SMS, NORMAL, attempt=MAX_ATTEMPTS)

    assert (last.state, last.alert) == (S.FAILED, True)


def test_max_attempts_is_one_send_plus_two_retries() -> None:
    assert MAX_ATTEMPTS == 3


@pytest.mark.parametrize(
    ("attempt", "seconds"), [(1, 2), (2, 4), (3, 8), (8, 256), (9, 300), (50, 300), (10**6, 300)]
)
def test_backoff_ceiling_doubles_from_2_seconds_up_to_5_minutes(attempt: int, seconds: int) -> None:
    assert backoff_delay(attempt, ceiling) == timedelta(seconds=seconds)


def test_backoff_is_full_jitter_between_zero_and_the_ceiling() -> None:
    asked: list[float] = []

    def half(upper: float) -> float:
        asked.append(upper)
        return upper / 2

    assert backoff_delay(3, half) == timedelta(seconds=4)
    assert asked == [8.0]
    assert backoff_delay(3, lambda upper: 0.0) == timedelta(0)


@pytest.mark.parametrize(("jittered", "expected"), [(-5.0, 0.0), (1_000.0, 8.0)])
def test_backoff_clamps_a_jitter_outside_its_range(jittered: float, expected: float) -> None:
    assert backoff_delay(3, lambda upper: jittered) == timedelta(seconds=expected)


def test_backoff_never_exceeds_the_cap() -> None:
    assert backoff_delay(20, lambda upper: upper * 10) == BACKOFF_CAP


@pytest.mark.parametrize("attempt", [0, -1])
def test_attempts_count_from_one(attempt: int) -> None:
    with pytest.raises(ValueError, match="attempt"):
        backoff_delay(attempt, ceiling)
    with pytest.raises(ValueError, match="attempt"):
        decide_at(ErrorClass.TRANSIENT, ZNS, NORMAL, attempt=attempt)


# --- ambiguous answers (reliability.md#exactly-once-notifications): never resend blindly
# ---------------------------------------------


@pytest.mark.parametrize("channel", [ZNS, SMS])
@pytest.mark.parametrize("urgency", [URGENT, NORMAL])
def test_an_ambiguous_timeout_is_unknown_and_not_resent_when_the_provider_does_not_deduplicate(
    channel: Channel, urgency: Urgency
) -> None:
    decision = decide_at(ErrorClass.UNKNOWN, channel, urgency, ambiguous=True)

    assert decision == Decision(S.UNKNOWN, None, None, alert=False, reason="ambiguous")


def test_an_ambiguous_timeout_is_resent_with_backoff_when_the_provider_deduplicates() -> None:
    decision = decide_at(
        ErrorClass.UNKNOWN, SMS, URGENT, ambiguous=True, provider_deduplicates=True
    )

    assert decision.state is S.SCHEDULED
    assert decision.next_channel is SMS
    assert decision.retry_at == DAY + timedelta(seconds=2)


def test_an_ambiguous_timeout_out_of_retries_stays_unknown_with_an_alert() -> None:
    decision = decide_at(
        ErrorClass.UNKNOWN, SMS, NORMAL, attempt=3, ambiguous=True, provider_deduplicates=True
    )

    assert (decision.state, decision.alert, decision.next_channel) == (S.UNKNOWN, True, None)


def test_ambiguity_wins_over_a_retryable_class() -> None:
    decision = decide_at(ErrorClass.TRANSIENT, ZNS, NORMAL, ambiguous=True)

    assert decision.state is S.UNKNOWN


def test_an_ambiguous_flag_on_an_acceptance_is_still_an_acceptance() -> None:
    assert decide_at(ErrorClass.OK, ZNS, NORMAL, ambiguous=True).state is S.ACCEPTED


# --- every answer has a rule, and every outcome is a legal move from SENDING --------------------


@pytest.mark.parametrize("error_class", list(ErrorClass))
@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("urgency", list(Urgency))
@pytest.mark.parametrize("now", [DAY, NIGHT])
@pytest.mark.parametrize("ambiguous", [False, True])
@pytest.mark.parametrize("deduplicates", [False, True])
def test_every_answer_leads_to_a_legal_next_state(
    error_class: ErrorClass,
    channel: Channel,
    urgency: Urgency,
    now: datetime,
    ambiguous: bool,
    deduplicates: bool,
) -> None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        decision = decide_at(
            error_class,
            channel,
            urgency,
            attempt=attempt,
            now=now,
            ambiguous=ambiguous,
            provider_deduplicates=deduplicates,
        )

        assert can_transition(S.SENDING, decision.state)
        assert decision.retry_at is None or decision.retry_at >= now


def test_a_fallback_never_goes_back_to_the_channel_that_just_failed() -> None:
    for error_class in ErrorClass:
        for urgency in Urgency:
            decision = decide_at(error_class, ZNS, urgency)
            if decision.state is S.QUEUED:
                assert decision.next_channel is SMS


# --- the decision's own contract ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "retry_at", "next_channel"),
    [
        (S.SENDING, None, None),
        (S.DELIVERED, None, None),
        (S.QUEUED, None, None),  # sends again: needs a channel
        (S.QUEUED, DAY, SMS),  # queued means now
        (S.SCHEDULED, None, SMS),  # scheduled needs a time
        (S.FAILED, None, SMS),  # does not send again
        (S.UNKNOWN, DAY, None),
    ],
)
def test_a_decision_is_consistent_with_its_state(
    state: DeliveryState, retry_at: datetime | None, next_channel: Channel | None
) -> None:
    with pytest.raises(ValueError):
        Decision(state, retry_at, next_channel, alert=False, reason="x")


# --- the state machine (reliability.md#exactly-once-notifications): reports never move a message
# backwards ---------------------------


def test_every_state_has_a_row_in_the_transition_table() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(DeliveryState)


def test_delivered_and_failed_are_terminal_and_final() -> None:
    assert frozenset({S.DELIVERED, S.FAILED}) == TERMINAL
    for terminal in TERMINAL:
        assert not any(can_transition(terminal, other) for other in DeliveryState)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.QUEUED, S.SENDING),
        (S.QUEUED, S.SCHEDULED),
        (S.SCHEDULED, S.QUEUED),
        (S.SCHEDULED, S.SENDING),
        (S.SENDING, S.ACCEPTED),
        (S.SENDING, S.UNKNOWN),
        (S.SENDING, S.SCHEDULED),
        (S.SENDING, S.QUEUED),
        (S.ACCEPTED, S.DELIVERED),
        (S.ACCEPTED, S.FAILED),
        (S.UNKNOWN, S.DELIVERED),
        (S.UNKNOWN, S.FAILED),
        (S.UNKNOWN, S.ACCEPTED),
    ],
)
def test_forward_moves_are_allowed(current: DeliveryState, new: DeliveryState) -> None:
    assert can_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.DELIVERED, S.FAILED),  # a late failure report cannot undo a delivery
        (S.DELIVERED, S.ACCEPTED),
        (S.FAILED, S.DELIVERED),
        (S.FAILED, S.QUEUED),
        (S.ACCEPTED, S.SENDING),
        (S.ACCEPTED, S.QUEUED),
        (S.ACCEPTED, S.UNKNOWN),
        (S.UNKNOWN, S.SENDING),  # no blind resend after an ambiguous send
        (S.UNKNOWN, S.QUEUED),
        (S.QUEUED, S.ACCEPTED),  # only a send can be accepted
        (S.SCHEDULED, S.DELIVERED),
    ],
)
def test_backward_and_skipping_moves_are_refused(
    current: DeliveryState, new: DeliveryState
) -> None:
    assert not can_transition(current, new)


@pytest.mark.parametrize("state", list(DeliveryState))
def test_staying_put_is_not_a_transition(state: DeliveryState) -> None:
    assert not can_transition(state, state)


# --- daily spend cap per brand (D: hard stop for OTP-type sends, the rest queue) ----------------


@pytest.mark.parametrize(
    ("spent", "urgency", "expected"),
    [
        ("0", URGENT, SpendDecision.SEND),
        ("99999.99", URGENT, SpendDecision.SEND),
        ("99999.99", NORMAL, SpendDecision.SEND),
        ("100000", URGENT, SpendDecision.REFUSE),
        ("100000", NORMAL, SpendDecision.QUEUE),
        ("250000", URGENT, SpendDecision.REFUSE),
        ("250000", NORMAL, SpendDecision.QUEUE),
    ],
)
def test_spend_cap_refuses_otps_and_queues_the_rest_at_or_above_the_cap(
    spent: str, urgency: Urgency, expected: SpendDecision
) -> None:
    assert spend_decision(Decimal(spent), Decimal("100000"), urgency) == expected


def test_spend_decisions_compare_equal_to_their_plain_names() -> None:
    assert spend_decision(Decimal(0), Decimal(1), NORMAL) == "send"


def test_a_zero_cap_sends_nothing() -> None:
    assert spend_decision(Decimal(0), Decimal(0), NORMAL) is SpendDecision.QUEUE


@pytest.mark.parametrize(("spent", "cap"), [("-1", "100"), ("0", "-1")])
def test_spend_cap_refuses_negative_amounts(spent: str, cap: str) -> None:
    with pytest.raises(ValueError):
        spend_decision(Decimal(spent), Decimal(cap), URGENT)
