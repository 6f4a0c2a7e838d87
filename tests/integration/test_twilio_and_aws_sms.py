"""The international fallbacks: Twilio against a fake server over real HTTP, and AWS End User
Messaging SMS on a real botocore client with model-validated stubs.

Specs: the request each provider documents (docs/reference/sms.md#twilio,
sms.md#aws-end-user-messaging), the answer classified, and what a timeout means: neither provider
de-duplicates (reliability.md#exactly-once-notifications), so anything after the request may have
left is ``ambiguous`` and never resent by the adapter. Every ``send`` makes exactly one attempt.
What every adapter promises is the contract suite's: test_provider_contract.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
import urllib3
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.stub import Stubber

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.aws_sms import AwsSmsSender, new_sms_voice_client
from chalicelib.messaging.providers.esms import new_pool
from chalicelib.messaging.providers.port import MessageSender, SendRequest
from chalicelib.messaging.providers.twilio import TwilioSender
from devstack.fakes.twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    MESSAGING_SERVICE_SID,
    FakeTwilio,
    running_fake_twilio,
    twilio_error,
)
from tests.support.timeouts import PATIENT, SHORT, SLOW_ANSWER

PHONE = "+84912345678"
TEXT = "Bảo hành SN240001234 đã kích hoạt đến 20/03/2027"
CALLBACK = "https://api.example.vn/hooks/twilio/status"
REGION = "ap-southeast-1"
SENDER_ID = "arn:aws:sms-voice:ap-southeast-1:123456789012:sender-id/BAOHANH/VN"


def message(message_id: str = "ntf_01HZX3K7Q2", text: str = TEXT) -> SendRequest:
    return SendRequest(message_id=message_id, to_e164=PHONE, text=text)


# --- Twilio -------------------------------------------------------------------------------------


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    with running_fake_twilio() as fake:
        yield fake


def twilio_sender(
    base_url: str,
    *,
    auth_token: str = AUTH_TOKEN,
    status_callback: str | None = CALLBACK,
    timeout: urllib3.Timeout = PATIENT,
) -> TwilioSender:
    return TwilioSender(
        account_sid=ACCOUNT_SID,
        auth_token=auth_token,
        messaging_service_sid=MESSAGING_SERVICE_SID,
        status_callback=status_callback,
        base_url=base_url,
        pool=new_pool(),
        timeout=timeout,
    )


def test_twilio_posts_the_documented_form_with_basic_auth(twilio: FakeTwilio) -> None:
    sender: MessageSender = twilio_sender(twilio.url)

    result = sender.send(message())

    [request] = twilio.requests
    assert (request.method, request.path) == (
        "POST",
        f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
    )
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {credentials}"
    assert b"To=%2B84912345678&" in request.body  # "+84…", percent-encoded
    assert request.form == {
        "To": PHONE,
        "MessagingServiceSid": MESSAGING_SERVICE_SID,
        "Body": TEXT,
        "StatusCallback": CALLBACK,
        "ValidityPeriod": "600",
    }
    [sid] = twilio.messages
    assert result.error_class is ErrorClass.OK and result.accepted
    assert (result.provider, result.provider_message_id) == ("twilio", sid)
    assert (result.error_code, result.cost, result.ambiguous) == (None, None, False)


def test_twilio_leaves_out_status_callback_when_not_configured(twilio: FakeTwilio) -> None:
    twilio_sender(twilio.url, status_callback=None).send(message())

    [request] = twilio.requests
    assert "StatusCallback" not in request.form


def test_twilio_price_is_kept_only_in_vnd_and_as_a_positive_amount(twilio: FakeTwilio) -> None:
    sender = twilio_sender(twilio.url)
    twilio.price, twilio.price_unit = "-0.07380", "USD"
    in_usd = sender.send(message("ntf_usd"))
    twilio.price, twilio.price_unit = "-1850", "VND"
    in_vnd = sender.send(message("ntf_vnd"))

    assert in_usd.accepted and in_usd.cost is None  # not VND: SendResult.cost is VND
    assert in_vnd.accepted and in_vnd.cost == Decimal(1850)


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (21211, ErrorClass.PERMANENT_RECIPIENT),
        (21614, ErrorClass.PERMANENT_RECIPIENT),
        (20003, ErrorClass.CONFIG),
        (20404, ErrorClass.CONFIG),
        (20429, ErrorClass.QUOTA),
        (21602, ErrorClass.UNKNOWN),  # a Twilio code outside our table
    ],
)
def test_twilio_classifies_each_error_code(
    twilio: FakeTwilio, code: int, error_class: ErrorClass
) -> None:
    twilio.fail_next_sends(code)

    result = twilio_sender(twilio.url).send(message())

    assert len(twilio.requests) == 1 and twilio.messages == {}
    assert result.error_class is error_class and not result.accepted
    assert (result.error_code, result.provider_message_id, result.ambiguous) == (
        str(code),
        None,
        False,
    )


def test_twilio_wrong_token_is_a_config_error(twilio: FakeTwilio) -> None:
    result = twilio_sender(twilio.url, auth_token="rotated-away").send(message())

    assert (result.error_class, result.error_code) == (ErrorClass.CONFIG, "20003")
    assert len(twilio.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "error_class", "ambiguous"),
    [
        (429, b"", ErrorClass.QUOTA, False),
        (429, twilio_error(20429, "Too Many Requests"), ErrorClass.QUOTA, False),
        (403, b"<html>Forbidden</html>", ErrorClass.CONFIG, False),
        # no de-dup key: after a 5xx or an unreadable 2xx the message may exist
        (500, twilio_error(20500, "Internal Server Error", 500), ErrorClass.UNKNOWN, True),
        (503, b"", ErrorClass.UNKNOWN, True),
        (201, b"<html>not json</html>", ErrorClass.UNKNOWN, True),
    ],
)
def test_twilio_classifies_answers_by_http_status(
    twilio: FakeTwilio, status: int, body: bytes, error_class: ErrorClass, ambiguous: bool
) -> None:
    twilio.respond_next_send(status, body)

    result = twilio_sender(twilio.url).send(message())

    assert len(twilio.requests) == 1
    assert (result.error_class, result.ambiguous) == (error_class, ambiguous)
    assert not result.accepted


def test_twilio_read_timeout_is_ambiguous_and_never_resent(twilio: FakeTwilio) -> None:
    twilio.latency = SLOW_ANSWER

    result = twilio_sender(twilio.url, timeout=SHORT).send(message())

    assert result.error_class is ErrorClass.UNKNOWN and result.ambiguous
    assert len(twilio.requests) == 1 and len(twilio.messages) == 1  # Twilio did take it


# --- AWS End User Messaging SMS -----------------------------------------------------------------


@pytest.fixture
def sms_client(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real ``pinpoint-sms-voice-v2`` client, as the factory builds it (one attempt)."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return new_sms_voice_client(REGION)


@pytest.fixture
def stubber(sms_client: Any) -> Iterator[Stubber]:
    with Stubber(sms_client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def aws_sender(client: Any, **options: Any) -> AwsSmsSender:
    return AwsSmsSender(client=client, origination_identity=SENDER_ID, **options)


def expected_params(message_id: str = "ntf_01HZX3K7Q2", **extra: Any) -> dict[str, Any]:
    return {
        "DestinationPhoneNumber": PHONE,
        "OriginationIdentity": SENDER_ID,
        "MessageBody": TEXT,
        "MessageType": "TRANSACTIONAL",
        "TimeToLive": 600,
        "Context": {"message_id": message_id},
        **extra,
    }


def test_aws_sends_one_transactional_message_with_context_and_ttl(
    sms_client: Any, stubber: Stubber
) -> None:
    stubber.add_response(
        "send_text_message",
        {"MessageId": "msg-0123456789abcdef"},
        expected_params(ConfigurationSetName="warranty-prod", MaxPrice="0.10"),
    )
    sender: MessageSender = aws_sender(
        sms_client, configuration_set="warranty-prod", max_price="0.10"
    )

    result = sender.send(message())

    assert result.error_class is ErrorClass.OK and result.accepted
    assert (result.provider, result.provider_message_id) == ("aws_sms", "msg-0123456789abcdef")
    assert (result.error_code, result.ambiguous) == (None, False)


def test_aws_leaves_out_the_optional_parameters_when_not_configured(
    sms_client: Any, stubber: Stubber
) -> None:
    stubber.add_response(
        "send_text_message", {"MessageId": "m-1"}, expected_params("ntf_2", TimeToLive=3600)
    )

    result = aws_sender(sms_client, ttl_seconds=3600).send(message("ntf_2"))

    assert result.provider_message_id == "m-1"


@pytest.mark.parametrize(
    ("code", "status", "fields", "error_class"),
    [
        (
            "ValidationException",
            400,
            {
                "Reason": "FIELD_VALIDATION_FAILED",
                "Fields": [{"Name": "DestinationPhoneNumber", "Message": "not a mobile"}],
            },
            ErrorClass.PERMANENT_RECIPIENT,
        ),
        ("ValidationException", 400, {"Reason": "PRICE_OVER_THRESHOLD"}, ErrorClass.CONFIG),
        (
            "ValidationException",
            400,
            {"Reason": "SENDER_ID_NOT_REGISTERED", "Fields": []},
            ErrorClass.CONFIG,
        ),
        ("AccessDeniedException", 403, {"Reason": "ACCOUNT_DISABLED"}, ErrorClass.CONFIG),
        ("ResourceNotFoundException", 404, {"ResourceType": "sender-id"}, ErrorClass.CONFIG),
        ("ConflictException", 409, {"Reason": "RESOURCE_NOT_ACTIVE"}, ErrorClass.CONFIG),
        (
            "ConflictException",
            409,
            {"Reason": "DESTINATION_PHONE_NUMBER_OPTED_OUT"},
            ErrorClass.PERMANENT_RECIPIENT,
        ),
        (
            "ServiceQuotaExceededException",
            402,
            {"Reason": "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"},
            ErrorClass.QUOTA,
        ),
        ("ThrottlingException", 429, {}, ErrorClass.QUOTA),
    ],
)
def test_aws_classifies_each_client_error(
    sms_client: Any,
    stubber: Stubber,
    code: str,
    status: int,
    fields: dict[str, Any],
    error_class: ErrorClass,
) -> None:
    stubber.add_client_error(
        "send_text_message",
        service_error_code=code,
        service_message="from the stub",
        http_status_code=status,
        expected_params=expected_params(),
        modeled_fields={"Message": "from the stub", **fields},
    )

    result = aws_sender(sms_client).send(message())

    assert result.error_class is error_class and not result.accepted
    assert (result.error_code, result.provider_message_id, result.ambiguous) == (code, None, False)


def test_aws_internal_server_error_is_ambiguous(sms_client: Any, stubber: Stubber) -> None:
    stubber.add_client_error(
        "send_text_message",
        service_error_code="InternalServerException",
        http_status_code=500,
        modeled_fields={"Message": "oops", "RequestId": "req-1"},
    )

    result = aws_sender(sms_client).send(message())

    assert (result.error_class, result.error_code) == (
        ErrorClass.UNKNOWN,
        "InternalServerException",
    )
    assert result.ambiguous and not result.accepted


@pytest.mark.parametrize(
    ("error", "error_class", "ambiguous"),
    [
        (ReadTimeoutError(endpoint_url="https://sms-voice"), ErrorClass.UNKNOWN, True),
        (ConnectionClosedError(endpoint_url="https://sms-voice"), ErrorClass.UNKNOWN, True),
        (EndpointConnectionError(endpoint_url="https://sms-voice"), ErrorClass.TRANSIENT, False),
        (ConnectTimeoutError(endpoint_url="https://sms-voice"), ErrorClass.TRANSIENT, False),
    ],
)
def test_aws_transport_errors_make_exactly_one_attempt(
    sms_client: Any, error: Exception, error_class: ErrorClass, ambiguous: bool
) -> None:
    attempts: list[Any] = []

    def fail_on_the_wire(request: Any, **kwargs: Any) -> None:
        attempts.append(request)
        raise error

    sms_client.meta.events.register(
        "before-send.pinpoint-sms-voice-v2.SendTextMessage", fail_on_the_wire
    )

    result = aws_sender(sms_client).send(message())

    assert len(attempts) == 1  # botocore's retries are off: no blind resend
    assert json.loads(attempts[0].body)["Context"] == {"message_id": "ntf_01HZX3K7Q2"}
    assert (result.error_class, result.ambiguous) == (error_class, ambiguous)
    assert result.error_code == type(error).__name__


def test_aws_refuses_a_client_that_would_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    retrying = boto3.client("pinpoint-sms-voice-v2", region_name=REGION)

    with pytest.raises(ValueError, match="one attempt"):
        aws_sender(retrying)


@pytest.mark.parametrize(
    ("options", "match"),
    [({"ttl_seconds": 4}, "ttl_seconds"), ({"max_price": "0,10"}, "max_price")],
)
def test_aws_refuses_options_the_service_model_would_reject(
    sms_client: Any, options: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        aws_sender(sms_client, **options)
