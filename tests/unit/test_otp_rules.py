"""One-time code rules (docs/reference/figures.md): resend after 60 s, at most 3 codes per 15
minutes, 5 minutes of validity, 5 attempts, single use."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from chalicelib.activation import otp
from chalicelib.activation.otp import OtpState, send_refusal, verification_refusal
from tests.support.factories import NOW


def state(issued_ago: timedelta = timedelta(minutes=2), **overrides: object) -> OtpState:
    issued = NOW - issued_ago
    fields: dict[str, object] = {
        "phone_key": "k",
        "code_hash": otp.hash_code(b"p" * 32, "k", "123456"),
        "issued_at": issued,
        "expires_at": issued + otp.CODE_TTL,
        "attempts": 0,
        "used": False,
        "sends": (issued,),
        "version": 1,
    }
    fields.update(overrides)
    return OtpState(**fields)  # type: ignore[arg-type]


def sends(*minutes_ago: float) -> tuple[datetime, ...]:
    return tuple(NOW - timedelta(minutes=m) for m in minutes_ago)


def test_first_code_may_always_be_sent() -> None:
    assert send_refusal(None, NOW) is None


def test_resend_within_a_minute_is_refused_with_the_wait() -> None:
    refusal = send_refusal(state(issued_ago=timedelta(seconds=20)), NOW)

    assert refusal is not None
    code, retry_after = refusal
    assert code == "otp_resend_too_soon"
    assert 40 <= retry_after <= 41


def test_resend_after_a_minute_is_allowed() -> None:
    assert send_refusal(state(issued_ago=timedelta(seconds=61)), NOW) is None


def test_fourth_code_within_fifteen_minutes_is_refused_until_the_oldest_leaves_the_window() -> None:
    given = state(issued_ago=timedelta(minutes=2), sends=sends(10, 6, 2))

    refusal = send_refusal(given, NOW)

    assert refusal is not None
    code, retry_after = refusal
    assert code == "otp_send_limit"
    assert 5 * 60 <= retry_after <= 5 * 60 + 1


def test_sends_older_than_the_window_do_not_count() -> None:
    given = state(issued_ago=timedelta(minutes=2), sends=sends(20, 16, 2))

    assert send_refusal(given, NOW) is None


def test_recent_sends_keeps_only_the_window() -> None:
    given = state(sends=sends(20, 14, 2))

    assert otp.recent_sends(given, NOW) == sends(14, 2)
    assert otp.recent_sends(None, NOW) == ()


def test_live_unused_code_may_be_checked() -> None:
    assert verification_refusal(state(), NOW) is None


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (None, "otp_invalid"),
        (state(used=True), "otp_invalid"),
        (state(issued_ago=otp.CODE_TTL), "otp_expired"),
        (state(issued_ago=otp.CODE_TTL + timedelta(seconds=1)), "otp_expired"),
        (state(attempts=otp.MAX_ATTEMPTS), "otp_attempts_exhausted"),
    ],
)
def test_code_that_cannot_be_checked_is_refused_before_comparing(
    given: OtpState | None, code: str
) -> None:
    assert verification_refusal(given, NOW) == code


def test_fifth_attempt_may_still_be_checked() -> None:
    assert verification_refusal(state(attempts=otp.MAX_ATTEMPTS - 1), NOW) is None


def test_new_code_is_six_random_digits() -> None:
    codes = {otp.new_code() for _ in range(200)}

    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150


def test_stored_hash_is_bound_to_the_phone_and_never_the_code_itself() -> None:
    pepper = b"p" * 32

    hashed = otp.hash_code(pepper, "phone-a", "123456")

    assert "123456" not in hashed
    assert hashed != otp.hash_code(pepper, "phone-b", "123456")
    assert hashed != otp.hash_code(b"q" * 32, "phone-a", "123456")


def test_state_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        state().attempts = 3  # type: ignore[misc]
