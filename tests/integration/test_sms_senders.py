"""The SMS brandname adapters against fake eSMS and SpeedSMS servers over real HTTP.

Specs: the body each provider documents (docs/reference/sms.md#esms-send, sms.md#speedsms), the
provider's answer classified (``provider_errors``), and what a timeout means for each: eSMS
de-duplicates on ``RequestId`` so a resend is safe; SpeedSMS does not, so an ambiguous send is
never repeated by the adapter. Every ``send`` makes exactly one HTTP request. What every adapter
promises (refused recipients, no answer, nobody listening, the number's format, secrets out of the
logs) is the contract suite's: test_provider_contract.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import urllib3

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.esms import EsmsSender, EsmsStatusError, new_pool
from chalicelib.messaging.providers.port import MessageSender, SendRequest
from chalicelib.messaging.providers.speedsms import SpeedSmsSender
from devstack.emulator import free_port
from devstack.fakes.sms import (
    ESMS_SEND_PATH,
    ESMS_STATUS_PATH,
    SPEEDSMS_SEND_PATH,
    FakeEsms,
    FakeSpeedSms,
    running_fake_esms,
    running_fake_speedsms,
)
from tests.support.timeouts import PATIENT, SHORT, SLOW_ANSWER

PHONE = "+84912345678"
ASCII_TEXT = "BH SN240001234 da kich hoat den 20/03/2027. Tra cuu: https://bh.x.vn/t"


def message(message_id: str = "ntf_01HZX3K7Q2", text: str = ASCII_TEXT) -> SendRequest:
    return SendRequest(message_id=message_id, to_e164=PHONE, text=text)


@pytest.fixture
def esms() -> Iterator[FakeEsms]:
    with running_fake_esms() as fake:
        yield fake


@pytest.fixture
def speedsms() -> Iterator[FakeSpeedSms]:
    with running_fake_speedsms() as fake:
        yield fake


def esms_sender(
    base_url: str,
    *,
    secret_key: str = "esms-secret",
    callback_url: str | None = None,
    sandbox: bool = False,
    timeout: urllib3.Timeout = PATIENT,
) -> EsmsSender:
    return EsmsSender(
        api_key="esms-key",
        secret_key=secret_key,
        brandname="Baotrixemay",
        base_url=base_url,
        callback_url=callback_url,
        sandbox=sandbox,
        pool=new_pool(),
        timeout=timeout,
    )


def speedsms_sender(base_url: str, token: str = "speedsms-token") -> SpeedSmsSender:
    return SpeedSmsSender(
        access_token=token,
        sender="Baotrixemay",
        base_url=base_url + "/index.php",
        pool=new_pool(),
        timeout=PATIENT,
    )


# --- eSMS: the request --------------------------------------------------------------------------


def test_esms_sends_the_documented_body_and_returns_the_smsid(esms: FakeEsms) -> None:
    sender: MessageSender = esms_sender(esms.url)

    result = sender.send(message())

    [request] = esms.requests
    assert (request.method, request.path) == ("POST", ESMS_SEND_PATH)
    assert request.headers["content-type"].startswith("application/json")
    assert request.json == {
        "ApiKey": "esms-key",
        "SecretKey": "esms-secret",
        "Phone": "0912345678",
        "Content": ASCII_TEXT,
        "Brandname": "Baotrixemay",
        "SmsType": "2",
        "IsUnicode": "0",
        "Sandbox": "0",
        "RequestId": "ntf_01HZX3K7Q2",
    }
    [sms_id] = esms.sent
    assert result.error_class is ErrorClass.OK and result.accepted
    assert result.provider_message_id == sms_id
    assert (result.provider, result.error_code, result.ambiguous) == ("esms", "100", False)


def test_esms_marks_vietnamese_text_unicode_and_sends_it_as_utf8(esms: FakeEsms) -> None:
    sender = esms_sender(esms.url)

    result = sender.send(message(text="Bảo hành SN240001234 đã kích hoạt"))

    [request] = esms.requests
    assert request.json["IsUnicode"] == "1"
    assert request.json["Content"] == "Bảo hành SN240001234 đã kích hoạt"
    assert result.accepted


def test_esms_sends_callback_url_and_sandbox_when_configured(esms: FakeEsms) -> None:
    callback = "https://api.example.vn/hooks/esms/dlr/s3cr3t-path"
    sender = esms_sender(esms.url, callback_url=callback, sandbox=True)

    sender.send(message())

    [request] = esms.requests
    assert request.json["CallbackUrl"] == callback
    assert request.json["Sandbox"] == "1"


def test_esms_hashes_a_message_id_longer_than_50_characters_stably(esms: FakeEsms) -> None:
    sender = esms_sender(esms.url)
    long_id = "outbox#2027-03-20#" + "x" * 60

    first = sender.send(message(long_id))
    again = sender.send(message(long_id))

    first_id, again_id = (r.json["RequestId"] for r in esms.requests)
    assert len(first_id) == 50 and first_id == again_id
    assert first.error_class is ErrorClass.OK
    assert again.error_class is ErrorClass.DUPLICATE


# --- eSMS: the answer ---------------------------------------------------------------------------


def test_esms_resend_of_the_same_message_is_a_duplicate_and_still_accepted(
    esms: FakeEsms,
) -> None:
    sender = esms_sender(esms.url)

    first = sender.send(message("ntf_1"))
    resend = sender.send(message("ntf_1"))

    assert len(esms.sends()) == 2 and len(esms.sent) == 1  # eSMS sent the SMS once
    assert first.error_class is ErrorClass.OK
    assert resend.error_class is ErrorClass.DUPLICATE and resend.accepted
    assert resend.error_code == "124" and resend.provider_message_id is None


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        *[(code, ErrorClass.CONFIG) for code in (101, 104, 140, 143, 146, 177)],
        (103, ErrorClass.OUT_OF_FUNDS),
        (99, ErrorClass.PERMANENT_RECIPIENT),
        (108, ErrorClass.PERMANENT_RECIPIENT),
        (102, ErrorClass.UNKNOWN),  # in eSMS's table, without an adapter behaviour
    ],
)
def test_esms_classifies_each_result_code(
    esms: FakeEsms, code: int, error_class: ErrorClass
) -> None:
    esms.fail_next_sends(code)

    result = esms_sender(esms.url).send(message())

    assert len(esms.requests) == 1
    assert result.error_class is error_class and not result.accepted
    assert (result.error_code, result.provider_message_id, result.ambiguous) == (
        str(code),
        None,
        False,
    )


def test_esms_wrong_keys_are_a_config_error(esms: FakeEsms) -> None:
    result = esms_sender(esms.url, secret_key="rotated-away").send(message())

    assert (result.error_class, result.error_code) == (ErrorClass.CONFIG, "101")
    assert len(esms.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (200, b'{"error":"Invalid request"}', ErrorClass.TRANSIENT),
        (200, b"<html>Service Unavailable</html>", ErrorClass.TRANSIENT),
        (500, b"Internal Server Error", ErrorClass.TRANSIENT),
        (503, b"", ErrorClass.TRANSIENT),
        (429, b"", ErrorClass.QUOTA),
        (404, b"<html>Endpoint not found.</html>", ErrorClass.CONFIG),
        (403, b"", ErrorClass.CONFIG),
    ],
)
def test_esms_classifies_answers_without_a_code_result(
    esms: FakeEsms, status: int, body: bytes, error_class: ErrorClass
) -> None:
    esms.respond_next_send(status, body)

    result = esms_sender(esms.url).send(message())

    assert len(esms.requests) == 1
    assert result.error_class is error_class
    assert not result.ambiguous and not result.accepted


def test_esms_read_timeout_is_ambiguous_and_a_resend_is_deduplicated(esms: FakeEsms) -> None:
    esms.latency = SLOW_ANSWER

    timed_out = esms_sender(esms.url, timeout=SHORT).send(message("ntf_slow"))
    esms.latency = 0
    resend = esms_sender(esms.url).send(message("ntf_slow"))

    assert timed_out.error_class is ErrorClass.UNKNOWN and timed_out.ambiguous
    assert not timed_out.accepted
    assert len(esms.sends()) == 2 and len(esms.sent) == 1
    assert resend.error_class is ErrorClass.DUPLICATE and resend.accepted


# --- eSMS: GetSendStatus (confirms an unsigned DLR) ---------------------------------------------


def test_esms_status_reads_get_send_status(esms: FakeEsms) -> None:
    sender = esms_sender(esms.url)
    sms_id = sender.send(message()).provider_message_id
    assert sms_id is not None

    status = sender.status(sms_id)

    request = esms.requests[-1]
    assert (request.method, request.path) == ("GET", ESMS_STATUS_PATH)
    assert request.query == {"RefId": sms_id, "ApiKey": "esms-key", "SecretKey": "esms-secret"}
    assert (status.sms_id, status.send_status, status.success, status.failed) == (sms_id, 5, 1, 0)
    assert status.total_price == Decimal("850.0000") and status.delivered


def test_esms_status_of_a_message_still_waiting_is_not_delivered(esms: FakeEsms) -> None:
    sender = esms_sender(esms.url)
    sms_id = sender.send(message()).provider_message_id
    assert sms_id is not None
    esms.delivery[sms_id] = (7, 0, 0, "0")

    status = sender.status(sms_id)

    assert status.send_status == 7 and not status.delivered


def test_esms_status_without_a_usable_answer_raises(esms: FakeEsms) -> None:
    with pytest.raises(EsmsStatusError) as unknown:
        esms_sender(esms.url).status("no-such-smsid")
    with pytest.raises(EsmsStatusError) as down:
        esms_sender(f"http://127.0.0.1:{free_port()}").status("any")

    assert unknown.value.reason == "code_-1"
    assert down.value.reason.startswith("no_answer") and "esms-secret" not in str(down.value)


# --- SpeedSMS -----------------------------------------------------------------------------------


def test_speedsms_sends_the_documented_body_with_basic_auth(speedsms: FakeSpeedSms) -> None:
    sender: MessageSender = speedsms_sender(speedsms.url)

    result = sender.send(message(text="Bảo hành đã kích hoạt"))

    [request] = speedsms.requests
    assert (request.method, request.path) == ("POST", SPEEDSMS_SEND_PATH)
    assert request.headers["authorization"] == "Basic c3BlZWRzbXMtdG9rZW46eA=="  # token:x
    assert request.json == {
        "to": ["84912345678"],
        "content": "Bảo hành đã kích hoạt",
        "sms_type": 3,
        "sender": "Baotrixemay",
    }
    assert result.error_class is ErrorClass.OK and result.accepted
    assert (result.provider, result.provider_message_id) == ("speedsms", "123456")
    assert result.cost == Decimal(250) and isinstance(result.cost, Decimal)


def test_speedsms_error_body_keeps_the_code_and_is_unknown(speedsms: FakeSpeedSms) -> None:
    speedsms.fail_next_sends("300")

    result = speedsms_sender(speedsms.url).send(message())

    assert len(speedsms.requests) == 1
    assert (result.error_class, result.error_code) == (ErrorClass.UNKNOWN, "300")
    assert not result.ambiguous and not result.accepted


def test_speedsms_wrong_token_is_a_config_error(speedsms: FakeSpeedSms) -> None:
    result = speedsms_sender(speedsms.url, token="revoked").send(message())

    assert (result.error_class, result.error_code) == (ErrorClass.CONFIG, "http_401")
    assert len(speedsms.requests) == 1
