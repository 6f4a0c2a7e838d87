"""Lookup by phone against an in-memory OTP store: codes, limits, single use and the token."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from chalicelib.activation import lookup, otp
from chalicelib.core.errors import TooManyRequests, Unauthorized
from chalicelib.core.phone import phone_key
from tests.support import factories as f
from tests.support.fakes import FakeModels, FakeOtpStore, FakeUnits

# Lookup tokens are checked against the real clock, so this suite lives in the present: NOW is
# set again as each test starts (once per import went stale when a loaded run took 16 minutes,
# past a token's 15-minute lifetime).
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _the_present() -> None:
    global NOW
    NOW = datetime.now(UTC).replace(microsecond=0)


def request_code(
    store: FakeOtpStore,
    at: timedelta = timedelta(0),
    phone: str = f.PHONE,
    client_ip: str = "203.0.113.7",
) -> str:
    """Send a code; return it as the customer reads it in the queued message."""
    lookup.request_code(
        phone, client_ip=client_ip, language="en", now=NOW + at, pepper=f.PEPPER, store=store
    )
    match = re.search(r"\b(\d{6})\b", store.outbox[-1].text)
    assert match is not None
    return match.group(1)


def verify(store: FakeOtpStore, code: str, at: timedelta = timedelta(0)) -> lookup.LookupToken:
    return lookup.verify_code(
        f.PHONE, code, now=NOW + at, pepper=f.PEPPER, token_key=f.LOOKUP_TOKEN_KEY, store=store
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_correct_code_yields_a_token_for_the_phone() -> None:
    store = FakeOtpStore()
    code = request_code(store)

    token = verify(store, code)

    owner = lookup.owner_from_token(token.token, token_key=f.LOOKUP_TOKEN_KEY)
    assert owner == phone_key(f.PEPPER, f.PHONE)
    assert token.expires_in == 15 * 60


def test_code_is_stored_only_as_a_hash() -> None:
    store = FakeOtpStore()
    code = request_code(store)

    stored = store.states[phone_key(f.PEPPER, f.PHONE)]

    assert code not in stored.code_hash


def test_wrong_codes_count_and_say_how_many_attempts_remain() -> None:
    store = FakeOtpStore()
    code = request_code(store)

    with pytest.raises(Unauthorized) as caught:
        verify(store, wrong(code))

    assert caught.value.code == "otp_wrong_code"
    assert caught.value.details == {"attempts_left": otp.MAX_ATTEMPTS - 1}
    assert store.states[phone_key(f.PEPPER, f.PHONE)].attempts == 1


def test_sixth_attempt_is_refused_even_when_correct() -> None:
    store = FakeOtpStore()
    code = request_code(store)
    for _ in range(otp.MAX_ATTEMPTS):
        with pytest.raises(Unauthorized):
            verify(store, wrong(code))

    with pytest.raises(Unauthorized) as caught:
        verify(store, code)

    assert caught.value.code == "otp_attempts_exhausted"


def test_code_cannot_be_used_twice() -> None:
    store = FakeOtpStore()
    code = request_code(store)
    verify(store, code)

    with pytest.raises(Unauthorized) as caught:
        verify(store, code)

    assert caught.value.code == "otp_invalid"


def test_expired_code_is_refused() -> None:
    store = FakeOtpStore()
    code = request_code(store)

    with pytest.raises(Unauthorized) as caught:
        verify(store, code, at=otp.CODE_TTL)

    assert caught.value.code == "otp_expired"


def test_resend_replaces_the_old_code() -> None:
    store = FakeOtpStore()
    first = request_code(store)
    second = request_code(store, at=timedelta(seconds=61))

    if first != second:
        with pytest.raises(Unauthorized):
            verify(store, first, at=timedelta(seconds=62))
    assert verify(store, second, at=timedelta(seconds=62)).token


def test_resend_within_a_minute_is_refused() -> None:
    store = FakeOtpStore()
    request_code(store)

    with pytest.raises(TooManyRequests) as caught:
        request_code(store, at=timedelta(seconds=10))

    assert caught.value.code == "otp_resend_too_soon"
    assert caught.value.details["retry_after"] in (50, 51)
    assert len(store.outbox) == 1


def test_fourth_code_in_fifteen_minutes_is_refused() -> None:
    store = FakeOtpStore()
    for minute in (0, 2, 4):
        request_code(store, at=timedelta(minutes=minute))

    with pytest.raises(TooManyRequests) as caught:
        request_code(store, at=timedelta(minutes=6))

    assert caught.value.code == "otp_send_limit"
    assert len(store.outbox) == 3


def test_parallel_correct_verifications_yield_exactly_one_token() -> None:
    store = FakeOtpStore()
    code = request_code(store)
    results: list[str] = []
    barrier = threading.Barrier(10)

    def attempt() -> None:
        barrier.wait()
        try:
            results.append(verify(store, code).token)
        except Unauthorized as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.startswith("ey") for r in results) == 1


def test_forged_or_expired_lookup_tokens_are_refused() -> None:
    owner = phone_key(f.PEPPER, f.PHONE)
    now = datetime.now(UTC)  # not the module's NOW: a long run may pass a 5-minute expiry
    expired = lookup.issue_lookup_token(
        owner, now=now - timedelta(hours=1), token_key=f.LOOKUP_TOKEN_KEY
    ).token
    forged = lookup.issue_lookup_token(owner, now=now, token_key=b"z" * 32).token
    other_audience = jwt.encode(
        {"sub": owner, "aud": "someone-else", "exp": now + timedelta(minutes=5)},
        f.LOOKUP_TOKEN_KEY,
        algorithm="HS256",
    )
    unsigned = jwt.encode({"sub": owner, "aud": "garanti:lookup"}, None, algorithm="none")

    codes = []
    for token in (expired, forged, other_audience, unsigned, "not-a-token"):
        with pytest.raises(Unauthorized) as caught:
            lookup.owner_from_token(token, token_key=f.LOOKUP_TOKEN_KEY)
        codes.append(caught.value.code)

    assert codes == ["lookup_token_expired"] + ["lookup_token_invalid"] * 4


def test_my_units_lists_the_phone_s_units_newest_first() -> None:
    units = FakeUnits([f.unit("SN-1"), f.unit("SN-2"), f.unit("SN-3")])
    mine, theirs = phone_key(f.PEPPER, f.PHONE), phone_key(f.PEPPER, f.OTHER_PHONE)
    units.activate("SN-1", f.activation(NOW), owner_key=mine, consents=())
    units.activate("SN-2", f.activation(NOW + timedelta(days=1)), owner_key=mine, consents=())
    units.activate("SN-3", f.activation(NOW), owner_key=theirs, consents=())
    token = lookup.issue_lookup_token(mine, now=NOW, token_key=f.LOOKUP_TOKEN_KEY).token

    owned = lookup.my_units(
        token, token_key=f.LOOKUP_TOKEN_KEY, units=units, models=FakeModels([f.product_model()])
    )

    assert [o.unit.serial for o in owned] == ["SN-2", "SN-1"]
    assert all(o.model is not None for o in owned)


class StaleReads(FakeOtpStore):
    """A store whose reads lag one write behind: what a request sees when another request
    counted an attempt between its read and its write."""

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: otp.OtpState | None = None

    def get(self, phone_key: str, now: datetime) -> otp.OtpState | None:
        return self.snapshot or super().get(phone_key, now)


def test_wrong_code_racing_the_last_attempt_is_still_unauthorized() -> None:
    """Given four wrong attempts, when two requests submit a wrong code at once, then both are
    refused as unauthorized (never a 409 conflict)."""
    store = StaleReads()
    code = request_code(store)
    for _ in range(otp.MAX_ATTEMPTS - 1):
        with pytest.raises(Unauthorized):
            verify(store, wrong(code))
    store.snapshot = store.states[phone_key(f.PEPPER, f.PHONE)]  # both requests read this
    with pytest.raises(Unauthorized):
        verify(store, wrong(code))

    with pytest.raises(Unauthorized) as caught:
        verify(store, wrong(code))

    assert caught.value.code in ("otp_wrong_code", "otp_attempts_exhausted")


def test_eleventh_code_from_one_ip_in_an_hour_is_refused() -> None:
    # Given ten codes sent to ten different numbers from one client IP
    store = FakeOtpStore()
    for n in range(otp.SENDS_PER_IP_PER_HOUR):
        request_code(store, phone=f"+8490{n:07d}")

    # When the same IP asks for an eleventh, to yet another number
    with pytest.raises(TooManyRequests) as caught:
        request_code(store, phone="+84939999999")

    # Then it is refused until the hour ends, and no message is queued for it
    assert caught.value.code == "otp_ip_limit"
    assert 0 < caught.value.details["retry_after"] <= 3600
    assert len(store.outbox) == otp.SENDS_PER_IP_PER_HOUR
    # Another IP is not affected
    request_code(store, phone="+84939999999", client_ip="198.51.100.1")


def test_twenty_first_code_to_one_number_prefix_in_an_hour_is_refused() -> None:
    # Pumping walks a range of numbers from many IPs: the prefix (number minus 4 digits) counts
    store = FakeOtpStore()
    for n in range(otp.SENDS_PER_PREFIX_PER_HOUR):
        request_code(store, phone=f"+8491234{n:04d}", client_ip=f"198.51.100.{n}")

    with pytest.raises(TooManyRequests) as caught:
        request_code(store, phone="+84912349999", client_ip="192.0.2.1")

    assert caught.value.code == "otp_prefix_limit"
    request_code(store, phone="+84912359999", client_ip="192.0.2.1")  # the next prefix is fine


def test_quota_windows_follow_the_clock_hour() -> None:
    store = FakeOtpStore()
    for n in range(otp.SENDS_PER_IP_PER_HOUR):
        request_code(store, phone=f"+8490{n:07d}")

    request_code(store, phone="+84939999999", at=timedelta(hours=1))  # a new window
