"""Lookup by phone: a one-time code to the phone, then a short-lived token listing its units."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import HTTPResponse

from chalicelib.activation import lookup, otp
from chalicelib.activation.messages import otp_message
from chalicelib.activation.otp_repository import RETENTION, OtpRepository
from chalicelib.activation.tables import OtpRecord
from chalicelib.core.errors import TooManyRequests, Unauthorized
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.platform import wiring as platform_wiring
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

pytestmark = pytest.mark.usefixtures("aws")

PHONE = "0912345678"
E164 = "+84912345678"
KEY = phone_key(f.PEPPER, E164)


def request_code(api: Api, phone: str = PHONE, language: str = "vi") -> HTTPResponse:
    return api.post("/public/otp", json_body={"phone": phone, "language": language})


def verify(api: Api, code: str, phone: str = PHONE) -> HTTPResponse:
    return api.post("/public/otp/verify", json_body={"phone": phone, "code": code})


def code_sent_to(e164: str = E164) -> str:
    """The code in the newest message of the outbox for ``e164`` (what the phone received)."""
    [newest, *_] = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, e164), datetime.now(UTC)
    )
    match = re.search(r"\b(\d{6})\b", newest.text)
    assert match is not None, newest.text
    return match.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def login_by_phone(api: Api, phone: str = PHONE) -> str:
    assert request_code(api, phone).status_code == 202
    e164 = "+84" + phone.removeprefix("0")
    response = verify(api, code_sent_to(e164), phone)
    assert response.status_code == 200, response.body
    return str(response.json_body["lookup_token"])


def given_challenge(issued_ago: timedelta, sends_ago: tuple[timedelta, ...] = ()) -> str:
    """A challenge stored as if it had been sent ``issued_ago``; returns its code."""
    now = datetime.now(UTC).replace(microsecond=0)
    issued = now - issued_ago
    code = "246810"
    state = otp.OtpState(
        phone_key=KEY,
        code_hash=otp.hash_code(f.PEPPER, KEY, code),
        issued_at=issued,
        expires_at=issued + otp.CODE_TTL,
        attempts=0,
        used=False,
        sends=tuple(now - ago for ago in sends_ago) or (issued,),
        version=1,
    )
    OtpRepository().issue(state, None, otp_message(E164, code, "vi", issued, f.PEPPER))
    return code


def test_requesting_a_code_queues_a_message_with_six_digits(api: Api) -> None:
    response = request_code(api, language="en")

    assert response.status_code == 202
    assert response.json_body == {"sent": True, "expires_in": 300, "resend_after": 60}
    [message] = NotificationRepository().list_for_recipient(KEY, datetime.now(UTC))
    assert (message.template, message.language, message.status.value) == (
        "lookup_code",
        "en",
        "queued",
    )
    code = code_sent_to()
    stored = OtpRecord.get(KEY)
    assert code not in stored.code_hash
    assert E164 not in stored.phone_key


def test_correct_code_yields_a_lookup_token(api: Api) -> None:
    request_code(api)

    response = verify(api, code_sent_to())

    assert response.status_code == 200
    assert response.json_body["token_type"] == "Bearer"
    assert response.json_body["expires_in"] == 900
    assert response.json_body["lookup_token"]


def test_any_written_form_of_the_phone_reaches_the_same_challenge(api: Api) -> None:
    request_code(api, "+84 91 234 5678")

    assert verify(api, code_sent_to(), "0084912345678").status_code == 200


def test_my_units_lists_the_phone_s_units_and_nobody_else_s(api: Api) -> None:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2", "SN-3", "SN-4"])
    for serial, phone in (("SN-1", PHONE), ("SN-2", "0987654321"), ("SN-3", PHONE)):
        body = f.activation_body(seed.token(serial), customer={"phone": phone})
        assert api.post("/public/activations", json_body=body).status_code == 201

    mine = api.get("/public/my-units", token=login_by_phone(api, PHONE))
    theirs = api.get("/public/my-units", token=login_by_phone(api, "0987654321"))

    assert mine.status_code == 200
    assert sorted(u["serial"] for u in mine.json_body["units"]) == ["SN-1", "SN-3"]
    assert [u["serial"] for u in theirs.json_body["units"]] == ["SN-2"]
    assert mine.json_body["units"][0]["model"]["name"] == "Máy lạnh Inverter AC-9"
    assert {u["status"] for u in mine.json_body["units"]} == {"activated"}


def test_a_phone_without_units_gets_an_empty_list(api: Api) -> None:
    response = api.get("/public/my-units", token=login_by_phone(api))

    assert response.json_body == {"units": []}


def test_phone_only_lookup_without_a_code_is_refused(api: Api) -> None:
    response = api.get("/public/my-units")

    assert (response.status_code, error_code(response)) == (401, "authentication_required")


def test_wrong_codes_count_down_the_attempts(api: Api) -> None:
    request_code(api)
    code = code_sent_to()

    answers = [verify(api, wrong(code)) for _ in range(3)]

    assert {(r.status_code, error_code(r)) for r in answers} == {(401, "otp_wrong_code")}
    assert [r.json_body["error"]["attempts_left"] for r in answers] == [4, 3, 2]
    assert OtpRecord.get(KEY).attempts == 3


def test_sixth_attempt_is_refused_even_when_correct(api: Api) -> None:
    request_code(api)
    code = code_sent_to()
    for _ in range(otp.MAX_ATTEMPTS):
        assert verify(api, wrong(code)).status_code == 401

    sixth = verify(api, code)

    assert (sixth.status_code, error_code(sixth)) == (401, "otp_attempts_exhausted")


def test_a_code_cannot_be_used_twice(api: Api) -> None:
    request_code(api)
    code = code_sent_to()
    assert verify(api, code).status_code == 200

    again = verify(api, code)

    assert (again.status_code, error_code(again)) == (401, "otp_invalid")


def test_expired_code_is_refused(api: Api) -> None:
    code = given_challenge(issued_ago=otp.CODE_TTL + timedelta(seconds=1))

    response = verify(api, code)

    assert (response.status_code, error_code(response)) == (401, "otp_expired")


def test_verifying_without_a_code_sent_is_refused(api: Api) -> None:
    response = verify(api, "123456")

    assert (response.status_code, error_code(response)) == (401, "otp_invalid")


def test_resend_within_a_minute_is_refused_with_retry_after(api: Api) -> None:
    request_code(api)

    again = request_code(api)

    assert (again.status_code, error_code(again)) == (429, "otp_resend_too_soon")
    assert 55 <= int(again.headers["Retry-After"]) <= 61
    assert len(NotificationRepository().list_for_recipient(KEY, datetime.now(UTC))) == 1


def test_resend_after_a_minute_replaces_the_old_code(api: Api) -> None:
    old = given_challenge(issued_ago=timedelta(seconds=90))

    assert request_code(api).status_code == 202
    new = code_sent_to()

    if new != old:
        assert verify(api, old).status_code == 401
    assert verify(api, new).status_code == 200


def test_a_challenge_past_its_retention_does_not_block_a_new_code(api: Api) -> None:
    """DynamoDB deletes expired items late (hours, even days): a challenge whose retention
    ended must not be mistaken for a live one."""
    given_challenge(issued_ago=RETENTION + timedelta(minutes=5))

    response = request_code(api)

    assert response.status_code == 202, response.body
    assert verify(api, code_sent_to()).status_code == 200


def test_fourth_code_within_fifteen_minutes_is_refused(api: Api) -> None:
    given_challenge(
        issued_ago=timedelta(minutes=2),
        sends_ago=(timedelta(minutes=10), timedelta(minutes=6), timedelta(minutes=2)),
    )

    response = request_code(api)

    assert (response.status_code, error_code(response)) == (429, "otp_send_limit")
    assert 4 * 60 < int(response.headers["Retry-After"]) <= 5 * 60 + 1


@pytest.mark.parametrize(
    ("phone", "code"),
    [("02838123456", "phone_not_mobile"), ("1900123456", "phone_not_mobile"),
     ("+14155550123", "phone_not_vietnamese"), ("%2B84912345678", "phone_invalid")],
)  # fmt: skip
def test_no_code_is_sent_to_numbers_outside_vietnamese_mobiles(
    api: Api, emulator: Emulator, phone: str, code: str
) -> None:
    response = request_code(api, phone)

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["code"] == code
    assert emulator.dynamodb.scan(TableName=OtpRecord.Meta.table_name)["Count"] == 0


def test_parallel_correct_verifications_yield_exactly_one_token(api: Api) -> None:
    request_code(api)
    code = code_sent_to()
    secrets = platform_wiring.secrets()
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def submit() -> None:
        barrier.wait()
        try:
            lookup.verify_code(
                E164, code, now=datetime.now(UTC), pepper=secrets.pepper,
                token_key=secrets.lookup_token_key, store=OtpRepository(),
            )  # fmt: skip
            outcomes.append("token")
        except Unauthorized as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("token") == 1
    assert len(outcomes) == 10


def test_forged_or_expired_lookup_tokens_are_refused(api: Api) -> None:
    genuine = login_by_phone(api)
    forged = lookup.issue_lookup_token(KEY, now=datetime.now(UTC), token_key=b"k" * 32).token
    expired = lookup.issue_lookup_token(
        KEY, now=datetime.now(UTC) - timedelta(hours=1), token_key=f.LOOKUP_TOKEN_KEY
    ).token
    tampered = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")

    answers = {
        name: api.get("/public/my-units", token=token)
        for name, token in (("forged", forged), ("expired", expired), ("tampered", tampered))
    }

    assert {n: (r.status_code, error_code(r)) for n, r in answers.items()} == {
        "forged": (401, "lookup_token_invalid"),
        "expired": (401, "lookup_token_expired"),
        "tampered": (401, "lookup_token_invalid"),
    }
    assert api.get("/public/my-units", token=genuine).status_code == 200


def test_a_staff_token_is_not_a_lookup_token(api: Api, staff: StaffTokens) -> None:
    response = api.get("/public/my-units", token=staff("admin"))

    assert (response.status_code, error_code(response)) == (401, "lookup_token_invalid")


def test_eleventh_code_from_one_client_ip_in_an_hour_gets_429_and_sends_nothing(
    api: Api,
) -> None:
    # Given ten codes sent to ten numbers from this client (the test client's one IP)
    for n in range(otp.SENDS_PER_IP_PER_HOUR):
        assert request_code(api, f"090{n:07d}").status_code == 202

    # When it asks for an eleventh, to a number it has not used
    response = request_code(api, "0939999999")

    # Then the answer is 429 with the IP limit, and nothing is queued for that number
    assert (response.status_code, error_code(response)) == (429, "otp_ip_limit")
    assert int(response.headers["Retry-After"]) > 0
    victim = phone_key(f.PEPPER, "+84939999999")
    assert NotificationRepository().list_for_recipient(victim, datetime.now(UTC)) == []
    assert OtpRepository().get(victim, datetime.now(UTC)) is None


def test_prefix_limit_counts_across_client_ips_in_the_emulator(aws: Emulator) -> None:
    # A pumping run walks one range of numbers from many IPs: the 21st is refused
    store = OtpRepository()
    now = datetime.now(UTC)
    for n in range(otp.SENDS_PER_PREFIX_PER_HOUR):
        lookup.request_code(
            f"+8491234{n:04d}",
            client_ip=f"198.51.100.{n}",
            language="vi",
            now=now,
            pepper=f.PEPPER,
            store=store,
        )

    with pytest.raises(TooManyRequests) as caught:
        lookup.request_code(
            "+84912349999", client_ip="192.0.2.1", language="vi", now=now, pepper=f.PEPPER,
            store=store,
        )  # fmt: skip

    assert caught.value.code == "otp_prefix_limit"
    refused = phone_key(f.PEPPER, "+84912349999")
    assert store.get(refused, now) is None  # all or nothing: no challenge, no message
    assert NotificationRepository().list_for_recipient(refused, now) == []
