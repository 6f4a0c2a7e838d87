"""Provider callbacks over the app's HTTP edge, against moto and a fake eSMS over real HTTP:
delivery reports move outbox messages forwards once, forged or unconfirmed ones change nothing
(docs/reference/zalo.md#webhooks, sms.md#esms-delivery-report, sms.md#speedsms, sms.md#twilio;
docs/reference/security.md#t-c1 to #t-c3, docs/reference/security.md#t-c5)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

import pytest
from chalice.test import HTTPResponse

from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.core.i18n import both
from chalicelib.core.phone import phone_key
from chalicelib.messaging.tables import InboundMessageRecord, ZaloUserRecord
from chalicelib.messaging.webhook_signatures import twilio_signature, zalo_mac
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import DeliveryState, Outcome, spend_bucket
from chalicelib.outbox.repository import NotificationRepository
from devstack import provision
from devstack.fakes.http import Answer
from devstack.fakes.sms import FakeEsms, RecordedRequest, running_fake_esms
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import TEST_PATH_TOKEN, Emulator, clear_app_caches

PUBLIC_URL = "https://api.garanti.test"
ZALO_APP_ID = "2074138120372622546"
ZALO_SECRET = "OA_SECRET_TEST"
TWILIO_TOKEN = "12345"
TWILIO_ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TWILIO_SID = "SM0123456789abcdef0123456789abcdef"
ESTIMATE = Decimal(800)
_S = DeliveryState


def brand_messaging(esms_url: str) -> dict[str, Any]:
    """The demo brand: ZNS, eSMS (sending, status, MO), SpeedSMS and Twilio all configured."""
    return {
        "zns": {
            "app_id": ZALO_APP_ID,
            "oa_id": "oa-1",
            "secret_key": "app-secret",
            "webhook_secret": ZALO_SECRET,
            "oa_url": "http://127.0.0.1:9",  # no chat reply may leave the machine
        },
        "sms": {
            "provider": "esms",
            "esms": {
                "api_key": "esms-key",
                "secret_key": "esms-secret",
                "brandname": "Baotrixemay",
                "base_url": esms_url,
                "mo_private_key": "17417a0d20114d36a902e49cad0e97f3",
                "mo_cpid": "CP01",
            },
            "speedsms": {"access_token": "speedsms-token", "sender": "Garanti"},
            "twilio": {
                "account_sid": TWILIO_ACCOUNT,
                "auth_token": TWILIO_TOKEN,
                "messaging_service_sid": "MG0123456789abcdef0123456789abcdef",
            },
        },
        "unit_cost_vnd": {"sms": str(ESTIMATE), "zns": "300"},
    }


def configure(aws: Emulator, esms_url: str) -> None:
    from chalicelib.core.settings import get_settings

    config = provision.messaging_config(
        PUBLIC_URL, TEST_PATH_TOKEN, {"demo": brand_messaging(esms_url)}
    )
    provision.put_messaging(aws.ssm, get_settings().messaging_parameter, config)
    clear_app_caches()


@pytest.fixture
def esms(aws: Emulator) -> Iterator[FakeEsms]:
    with running_fake_esms() as fake:
        configure(aws, fake.url)
        yield fake


# --- outbox messages in the state a test needs -----------------------------------------------


def queued(key: str, *, now: datetime) -> str:
    message = new_message(
        "inbound_reply",
        business_key=("test", key),
        brand_id="demo",
        phone=f.PHONE,
        language="vi",
        fields={"reply": "Cam on"},
        subject="test",
        now=now,
        pepper=f.PEPPER,
    )
    assert NotificationRepository().add(message)
    return message.message_id


def sent(
    provider: str,
    provider_message_id: str | None,
    *,
    state: DeliveryState = _S.ACCEPTED,
    channel: str = "sms",
    key: str = "1",
) -> str:
    """A message the sender handed to ``provider``: accepted (its estimate counted in today's
    spend) or, with ``state=unknown``, an ambiguous send with no provider id."""
    now = datetime.now(UTC)
    outbox = NotificationRepository()
    message_id = queued(key, now=now)
    owner = "sender-test"
    claimed = outbox.claim(
        message_id,
        channel=channel,
        provider=provider,
        owner=owner,
        now=now,
        lease=timedelta(minutes=1),
    )
    assert claimed.value == "claimed"
    accepted = state is _S.ACCEPTED
    outcome = Outcome(
        state=state,
        reason="accepted" if accepted else "no_answer",
        channel=channel,
        provider=provider,
        provider_message_id=provider_message_id,
        cost=ESTIMATE if accepted else None,
        spend_bucket=spend_bucket("demo", business_day(now)) if accepted else None,
    )
    assert outbox.settle(message_id, owner=owner, outcome=outcome, now=now)
    return message_id


@dataclass(frozen=True)
class Snapshot:
    status: str
    events: int
    cost: Decimal | None
    error_code: str | None


def snapshot(message_id: str) -> Snapshot:
    message = NotificationRepository().get(message_id)
    return Snapshot(message.status.value, len(message.events), message.cost, message.error_code)


def spent_today() -> Decimal:
    return NotificationRepository().spent(spend_bucket("demo", business_day(datetime.now(UTC))))


# --- eSMS delivery reports ---------------------------------------------------------------------


def esms_report(api: Api, message_id: str, sms_id: str, token: str = TEST_PATH_TOKEN, **q: Any):
    query = {
        "SMSID": sms_id,
        "SendFailed": 0,
        "SendStatus": 5,
        "SendSuccess": 1,
        "TotalPrice": "850.0000",
        "TotalReceiver": 1,
        "TotalSent": 1,
        "RequestId": message_id,
        "TypeId": 2,
        "telcoid": 1,
        "phonenumber": "0912345678",
        "switchsmsid": "",
        **q,
    }
    return api.get(f"/hooks/esms/dlr/{token}?{urlencode(query)}")


def test_esms_report_confirmed_by_the_status_api_delivers_and_records_the_cost(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1", total_price="850.0000")
    before = snapshot(message_id)

    response = esms_report(api, message_id, "sms-1")

    assert response.status_code == 200
    after = snapshot(message_id)
    assert (after.status, after.events, after.cost) == ("delivered", before.events + 1, 850)
    assert NotificationRepository().get(message_id).cost_reported
    assert spent_today() == 850  # the estimate (800) replaced by the reported cost
    assert [r.query["RefId"] for r in esms.status_requests()] == ["sms-1"]


def test_esms_report_replayed_three_times_changes_the_message_once(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1")
    before = snapshot(message_id)

    answers = [esms_report(api, message_id, "sms-1").status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert snapshot(message_id).events == before.events + 1
    assert spent_today() == 850  # the cost difference counted once


def test_esms_report_with_a_wrong_path_token_is_404_and_changes_nothing(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1")
    before = snapshot(message_id)

    for token in ("x" * len(TEST_PATH_TOKEN), TEST_PATH_TOKEN[:-1], TEST_PATH_TOKEN + "0"):
        response = esms_report(api, message_id, "sms-1", token=token)
        assert response.status_code == 404
        assert error_code(response) == "not_found"

    assert snapshot(message_id) == before
    assert esms.status_requests() == []


def test_esms_report_for_an_unknown_smsid_or_message_is_ignored_with_200(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-2")
    before = snapshot(message_id)

    other_smsid = esms_report(api, message_id, "sms-2")
    unknown_message = esms_report(api, "m_" + "z" * 26, "sms-1")

    assert (other_smsid.status_code, unknown_message.status_code) == (200, 200)
    assert snapshot(message_id) == before
    assert esms.status_requests() == []


def test_esms_done_without_a_success_fails_the_message(api: Api, esms: FakeEsms) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1", send_status=5, success=0, failed=1, total_price="0")

    response = esms_report(api, message_id, "sms-1", SendSuccess=0, SendFailed=1)

    assert response.status_code == 200
    assert snapshot(message_id).status == "failed"
    assert snapshot(message_id).error_code == "esms_status_5"


def test_esms_status_api_outranks_the_callback(api: Api, esms: FakeEsms) -> None:
    """A (forged) report of success for a message eSMS says failed: failed, not delivered."""
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1", send_status=5, success=0, failed=0, total_price="0")

    esms_report(api, message_id, "sms-1", SendSuccess=1)

    assert snapshot(message_id).status == "failed"


def test_esms_pending_statuses_change_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1", send_status=7, success=0, failed=0)
    before = snapshot(message_id)

    for status in (1, 2, 7):
        assert esms_report(api, message_id, "sms-1", SendStatus=status).status_code == 200
    # the callback says done, the status API says still awaiting the report
    assert esms_report(api, message_id, "sms-1").status_code == 200

    assert snapshot(message_id) == before
    assert len(esms.status_requests()) == 1


def test_esms_report_with_a_status_that_is_not_ascii_digits_changes_nothing(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("esms", "sms-1")
    before = snapshot(message_id)

    response = esms_report(api, message_id, "sms-1", SendStatus="\u00b9")  # "¹"

    assert response.status_code == 200
    assert snapshot(message_id) == before


def test_esms_report_never_moves_a_delivered_message_back(api: Api, esms: FakeEsms) -> None:
    message_id = sent("esms", "sms-1")
    esms.know_sms("sms-1")
    esms_report(api, message_id, "sms-1")
    delivered = snapshot(message_id)

    esms.know_sms("sms-1", send_status=5, success=0, failed=1)
    response = esms_report(api, message_id, "sms-1", SendSuccess=0, SendFailed=1)

    assert response.status_code == 200
    assert snapshot(message_id) == delivered
    assert delivered.status == "delivered"


def test_esms_report_settles_an_ambiguous_send(api: Api, esms: FakeEsms) -> None:
    message_id = sent("esms", None, state=_S.UNKNOWN)
    esms.know_sms("sms-9")

    esms_report(api, message_id, "sms-9")

    message = NotificationRepository().get(message_id)
    assert (message.status, message.provider_message_id) == (_S.DELIVERED, "sms-9")


def test_esms_status_api_down_answers_503_and_changes_nothing(api: Api, aws: Emulator) -> None:
    with running_fake_esms() as fake:
        url = fake.url
    configure(aws, url)  # the fake has stopped: nothing listens there any more
    message_id = sent("esms", "sms-1")
    before = snapshot(message_id)

    response = esms_report(api, message_id, "sms-1")

    assert response.status_code == 503
    error = response.json_body["error"]  # our shape: a stable code and both languages
    assert (error["code"], error["messages"]) == (
        "provider_status_unavailable",
        both("provider_status_unavailable"),
    )
    assert error_code(response) == "provider_status_unavailable"
    assert snapshot(message_id) == before


@dataclass
class SlowStatusEsms(FakeEsms):
    status_delay: ClassVar[float] = 6.0

    def answer(self, request: RecordedRequest) -> Answer:
        if request.path.endswith("GetSendStatus"):
            time.sleep(self.status_delay)
        return super().answer(request)


def test_esms_slow_status_api_answers_503_at_the_hook_s_own_timeout(
    api: Api, aws: Emulator
) -> None:
    fake = SlowStatusEsms()
    fake.start()
    try:
        configure(aws, fake.url)
        message_id = sent("esms", "sms-1")
        fake.know_sms("sms-1")
        started = time.monotonic()

        response = esms_report(api, message_id, "sms-1")

        elapsed = time.monotonic() - started
    finally:
        fake.stop()
    assert response.status_code == 503
    # the hook gives up at its own 1 s read timeout, not after the provider's 6 s (the margin
    # is for a loaded CI machine; an unloaded one answers in about 1.1 s)
    assert elapsed < 4.0
    assert snapshot(message_id).status == "accepted"


# --- Zalo ZNS receipts -------------------------------------------------------------------------


def zalo_event(event_name: str, message: dict[str, str], *, at_ms: int | None = None) -> bytes:
    timestamp = str(at_ms if at_ms is not None else int(time.time() * 1000))
    event = {
        "sender": {"id": "2893352839501541173"},
        "recipient": {"id": "84912345678"},
        "event_name": event_name,
        "message": message,
        "app_id": ZALO_APP_ID,
        "timestamp": timestamp,
    }
    return json.dumps(event, separators=(",", ":")).encode()


def zalo_post(api: Api, raw: bytes, signature: str | None = None) -> HTTPResponse:
    if signature is None:
        timestamp = json.loads(raw)["timestamp"]
        signature = "mac=" + zalo_mac(ZALO_APP_ID, raw, timestamp, ZALO_SECRET)
    return api.post(
        "/hooks/zalo",
        body=raw,
        headers={"Content-Type": "application/json", "X-ZEvent-Signature": signature},
    )


def receipt(message_id: str, msg_id: str = "15a0cc0bbb13bd4ce403", **kwargs: Any) -> bytes:
    body = {
        "delivery_time": str(int(time.time() * 1000) - 1000),
        "msg_id": msg_id,
        "tracking_id": message_id,
    }
    return zalo_event("user_received_message", body, **kwargs)


def test_zalo_signing_is_pinned_to_the_reference_vector() -> None:
    raw = (
        b'{"sender":{"id":"2893352839501541173"},"recipient":{"id":"84123456789"},'
        b'"event_name":"user_received_message","message":{"delivery_time":"1602960467432",'
        b'"msg_id":"15a0cc0bbb13bd4ce403","tracking_id":"act-01HZX"},'
        b'"app_id":"2074138120372622546","timestamp":"1602560967477"}'
    )
    mac = zalo_mac(ZALO_APP_ID, raw, "1602560967477", ZALO_SECRET)

    assert mac == "1469b24c123f1b414208ddc417cf4cb3c1a56ffe6325f5156a735782fcde027f"


def test_zalo_receipt_delivers_the_message(api: Api, esms: FakeEsms) -> None:
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    before = snapshot(message_id)

    response = zalo_post(api, receipt(message_id))

    assert response.status_code == 200
    assert response.json_body == {"ok": True}
    after = snapshot(message_id)
    assert (after.status, after.events) == ("delivered", before.events + 1)


def test_zalo_receipt_with_a_time_that_is_not_ascii_digits_is_delivered_now(
    api: Api, esms: FakeEsms
) -> None:
    """A signed receipt whose ``delivery_time`` is not plain digits (a superscript passes
    ``isdigit``) is read as received now, not a 500."""
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    body = {"delivery_time": "¹⁶⁰²⁹⁶⁰⁴⁶⁷⁴³²", "msg_id": "15a0cc0bbb13bd4ce403"}
    raw = zalo_event("user_received_message", {**body, "tracking_id": message_id})

    response = zalo_post(api, raw)

    assert response.status_code == 200
    assert snapshot(message_id).status == "delivered"


@pytest.mark.parametrize("delivery_time", ["9999999999999999", "253402300800000"])
def test_zalo_receipt_with_a_time_past_the_calendar_is_delivered_now(
    api: Api, esms: FakeEsms, delivery_time: str
) -> None:
    """A signed receipt whose ``delivery_time`` is digits but past year 9999 (Python's last) is
    read as received now, not a 500."""
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    body = {"delivery_time": delivery_time, "msg_id": "15a0cc0bbb13bd4ce403"}
    raw = zalo_event("user_received_message", {**body, "tracking_id": message_id})

    response = zalo_post(api, raw)

    assert response.status_code == 200, response.body
    assert snapshot(message_id).status == "delivered"


def test_zalo_receipt_replayed_three_times_changes_the_message_once(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    before = snapshot(message_id)
    raw = receipt(message_id)

    answers = [zalo_post(api, raw).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert snapshot(message_id).events == before.events + 1


def test_zalo_receipt_moves_an_unknown_message_to_delivered(api: Api, esms: FakeEsms) -> None:
    message_id = sent("zns", None, state=_S.UNKNOWN, channel="zns")

    zalo_post(api, receipt(message_id))

    assert snapshot(message_id).status == "delivered"


def test_zalo_receipt_for_another_zalo_message_changes_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    before = snapshot(message_id)

    response = zalo_post(api, receipt(message_id, msg_id="99aa"))

    assert response.status_code == 200
    assert snapshot(message_id) == before


def _flip_one_byte(raw: bytes) -> bytes:
    index = raw.index(b"15a0cc")
    return raw[:index] + b"2" + raw[index + 1 :]


def _forgeries(raw: bytes, message_id: str) -> dict[str, tuple[bytes, str]]:
    timestamp = json.loads(raw)["timestamp"]
    genuine = "mac=" + zalo_mac(ZALO_APP_ID, raw, timestamp, ZALO_SECRET)
    reserialised = json.dumps(json.loads(raw), indent=1).encode()
    hmac_variant = hmac.new(
        ZALO_SECRET.encode(), ZALO_APP_ID.encode() + raw + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    forged: dict[str, tuple[bytes, str]] = {
        "flipped_byte": (_flip_one_byte(raw), genuine),
        "reserialised_json": (reserialised, genuine),
        "hmac_variant": (raw, "mac=" + hmac_variant),
        "upper_case_hex": (raw, genuine.upper().replace("MAC=", "mac=")),
        "empty_header": (raw, ""),
        "wrong_secret": (raw, "mac=" + zalo_mac(ZALO_APP_ID, raw, timestamp, "other")),
    }
    for name, skew in (("ten_minutes_old", -600_000), ("ten_minutes_ahead", 600_000)):
        stale = receipt(message_id, at_ms=int(time.time() * 1000) + skew)
        stamp = json.loads(stale)["timestamp"]
        forged[name] = (stale, "mac=" + zalo_mac(ZALO_APP_ID, stale, stamp, ZALO_SECRET))
    return forged


def test_forged_zalo_receipts_are_401_and_change_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")
    before = snapshot(message_id)

    answers = {
        name: zalo_post(api, raw, signature).status_code
        for name, (raw, signature) in _forgeries(receipt(message_id), message_id).items()
    }

    assert answers == dict.fromkeys(answers, 401)
    assert snapshot(message_id) == before


def shared_info(at_ms: int | None = None) -> bytes:
    """A ``user_submit_info`` event: a follower shares the phone of their Zalo account."""
    event = {
        "app_id": ZALO_APP_ID,
        "sender": {"id": "246845883529197922"},
        "recipient": {"id": "2893352839501541173"},
        "event_name": "user_submit_info",
        "info": {"name": "Nguyễn Thị Hoàng Anh", "phone": "84912345678"},
        "timestamp": str(at_ms if at_ms is not None else int(time.time() * 1000)),
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def test_forged_zalo_phone_shares_are_401_and_store_nothing(api: Api, esms: FakeEsms) -> None:
    raw = shared_info()
    timestamp = json.loads(raw)["timestamp"]
    genuine = "mac=" + zalo_mac(ZALO_APP_ID, raw, timestamp, ZALO_SECRET)
    hmac_variant = hmac.new(
        ZALO_SECRET.encode(), ZALO_APP_ID.encode() + raw + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    stale = shared_info(int(time.time() * 1000) - 600_000)
    forged = {
        "another_phone": (raw.replace(b"84912345678", b"84987654321"), genuine),
        "reserialised_json": (json.dumps(json.loads(raw), indent=1).encode(), genuine),
        "hmac_variant": (raw, "mac=" + hmac_variant),
        "wrong_secret": (raw, "mac=" + zalo_mac(ZALO_APP_ID, raw, timestamp, "other")),
        "empty_header": (raw, ""),
        "ten_minutes_old": (
            stale,
            "mac=" + zalo_mac(ZALO_APP_ID, stale, json.loads(stale)["timestamp"], ZALO_SECRET),
        ),
    }

    answers = {name: zalo_post(api, body, sig).status_code for name, (body, sig) in forged.items()}

    assert answers == dict.fromkeys(forged, 401)
    assert ZaloUserRecord.count() == 0 and InboundMessageRecord.count() == 0


def test_zalo_hook_fails_closed_without_a_webhook_secret(api: Api, aws: Emulator) -> None:
    message_id = sent("zns", "15a0cc0bbb13bd4ce403", channel="zns")  # no brand settings at all

    response = zalo_post(api, receipt(message_id))

    assert response.status_code == 401
    assert error_code(response) == "signature_invalid"
    assert snapshot(message_id).status == "accepted"


def test_zalo_other_events_are_acknowledged_and_ignored(api: Api, esms: FakeEsms) -> None:
    response = zalo_post(api, zalo_event("follow", {}))

    assert (response.status_code, response.json_body) == (200, {"ok": True})


# --- Twilio status callbacks -------------------------------------------------------------------

TWILIO_URL = PUBLIC_URL + "/hooks/twilio/status"


def twilio_params(status: str = "delivered", **extra: str) -> dict[str, str]:
    return {
        "MessageSid": TWILIO_SID,
        "SmsSid": TWILIO_SID,
        "MessageStatus": status,
        "SmsStatus": status,
        "AccountSid": TWILIO_ACCOUNT,
        "From": "+15005550006",
        "To": "+84912345678",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def twilio_post(
    api: Api, params: dict[str, str], signature: str | None = None, url: str = TWILIO_URL
) -> HTTPResponse:
    signature = signature if signature is not None else twilio_signature(TWILIO_TOKEN, url, params)
    return api.post(
        "/hooks/twilio/status",
        body=urlencode(params),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
            "Host": "internal.execute-api.test",
        },
    )


def test_twilio_signing_is_pinned_to_the_reference_vector() -> None:
    params = {
        "MessageSid": TWILIO_SID,
        "MessageStatus": "delivered",
        "AccountSid": TWILIO_ACCOUNT,
        "From": "+15005550006",
        "To": "+84912345678",
        "ApiVersion": "2010-04-01",
        "SmsSid": TWILIO_SID,
        "SmsStatus": "delivered",
    }

    signature = twilio_signature("12345", "https://example.test/sms/status", params)

    assert signature == "7vLLmkHOwIg9kqYt5BHtihdOKPg="


def test_twilio_delivered_callback_signed_for_the_public_url_delivers(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("twilio", TWILIO_SID)
    before = snapshot(message_id)

    response = twilio_post(api, twilio_params("delivered"))

    assert response.status_code == 200
    after = snapshot(message_id)
    assert (after.status, after.events) == ("delivered", before.events + 1)


def test_twilio_undelivered_fails_with_the_error_code(api: Api, esms: FakeEsms) -> None:
    message_id = sent("twilio", TWILIO_SID)

    twilio_post(api, twilio_params("undelivered", ErrorCode="30003"))

    assert (snapshot(message_id).status, snapshot(message_id).error_code) == ("failed", "30003")


def test_twilio_intermediate_statuses_change_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("twilio", TWILIO_SID)
    before = snapshot(message_id)

    for status in ("queued", "sent", "accepted"):
        assert twilio_post(api, twilio_params(status)).status_code == 200

    assert snapshot(message_id) == before


def test_twilio_callback_replayed_three_times_changes_the_message_once(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("twilio", TWILIO_SID)
    before = snapshot(message_id)

    answers = [twilio_post(api, twilio_params()).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert snapshot(message_id).events == before.events + 1


def test_forged_twilio_callbacks_are_401_and_change_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("twilio", TWILIO_SID)
    before = snapshot(message_id)
    params = twilio_params()
    genuine = twilio_signature(TWILIO_TOKEN, TWILIO_URL, params)
    dropped = {k: v for k, v in params.items() if k != "SmsStatus"}

    answers = {
        "host_header_url": twilio_post(
            api,
            params,
            twilio_signature(
                TWILIO_TOKEN, "https://internal.execute-api.test/hooks/twilio/status", params
            ),
        ),
        "http_not_https": twilio_post(api, params, url=TWILIO_URL.replace("https", "http")),
        "extra_param": twilio_post(api, {**params, "Price": "-0.05"}, genuine),
        "dropped_param": twilio_post(api, dropped, genuine),
        "wrong_token": twilio_post(api, params, twilio_signature("other", TWILIO_URL, params)),
        "empty_header": twilio_post(api, params, ""),
    }

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 401)
    assert snapshot(message_id) == before


# --- SpeedSMS ----------------------------------------------------------------------------------


def speedsms_post(api: Api, body: dict[str, Any], token: str = TEST_PATH_TOKEN) -> HTTPResponse:
    return api.post(f"/hooks/speedsms/{token}", json_body=body)


def test_speedsms_report_delivers_and_a_replay_changes_nothing(api: Api, esms: FakeEsms) -> None:
    message_id = sent("speedsms", "123456")
    before = snapshot(message_id)
    report = {"type": "report", "tranId": 123456, "phone": "84912345678", "status": 0}

    answers = [speedsms_post(api, report).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    after = snapshot(message_id)
    assert (after.status, after.events) == ("delivered", before.events + 1)


def test_speedsms_failed_status_fails_the_message(api: Api, esms: FakeEsms) -> None:
    message_id = sent("speedsms", "123456")

    speedsms_post(api, {"type": "report", "tranId": "123456", "phone": "849", "status": 7})

    assert (snapshot(message_id).status, snapshot(message_id).error_code) == (
        "failed",
        "speedsms_7",
    )


def test_speedsms_status_of_more_digits_than_python_reads_is_refused_and_changes_nothing(
    api: Api, esms: FakeEsms
) -> None:
    """``int()`` refuses a string of more than 4,300 digits: the report is unreadable (400), not
    a 500."""
    message_id = sent("speedsms", "123456")
    before = snapshot(message_id)
    report = {"type": "report", "tranId": 123456, "phone": "84912345678", "status": "1" * 5000}

    response = speedsms_post(api, report)

    assert (response.status_code, error_code(response)) == (400, "hook_parameter_invalid")
    assert snapshot(message_id) == before


def test_speedsms_wrong_token_is_404_and_unknown_tran_id_is_ignored(
    api: Api, esms: FakeEsms
) -> None:
    message_id = sent("speedsms", "123456")
    before = snapshot(message_id)
    report = {"type": "report", "tranId": 123456, "phone": "84912345678", "status": 0}

    wrong_token = speedsms_post(api, report, token="t" * 40)
    unknown = speedsms_post(api, {**report, "tranId": 999})

    assert (wrong_token.status_code, unknown.status_code) == (404, 200)
    assert snapshot(message_id) == before


def test_speedsms_inbound_message_activates_and_queues_the_reply_once(
    api: Api, esms: FakeEsms
) -> None:
    seed.model("AC-9")
    seed.units(["SN240001234"])
    mo = {"type": "mo", "phone": "84912345678", "content": "BH SN240001234"}

    answers = [speedsms_post(api, mo).status_code for _ in range(2)]

    assert answers == [200, 200]
    activation = UnitRepository().get("SN240001234").activation
    assert activation is not None
    assert (activation.owner.phone, activation.channel) == (f.PHONE, "sms")
    replies = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, f.PHONE), datetime.now(UTC)
    )
    assert [m.template for m in replies] == ["inbound_reply"]
    assert "SN240001234" in replies[0].fields["reply"]


# --- every hook --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/hooks/zalo", "application/json"),
        ("/hooks/twilio/status", "application/x-www-form-urlencoded"),
        (f"/hooks/speedsms/{TEST_PATH_TOKEN}", "application/json"),
    ],
)
def test_a_100_kb_body_is_413(api: Api, esms: FakeEsms, path: str, content_type: str) -> None:
    response = api.post(path, body=b"a" * 100_000, headers={"Content-Type": content_type})

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"
