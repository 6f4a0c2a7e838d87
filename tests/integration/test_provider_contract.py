"""The contract every SMS/Zalo adapter keeps (``MessageSender``, providers/port.py), one suite
over the five: eSMS, SpeedSMS, Twilio and Zalo ZNS against their fake servers over real HTTP,
AWS End User Messaging SMS on a real botocore client with model-validated stubs.

- accepted → ``OK`` with the provider's message id, in one request;
- a recipient the provider refuses → ``PERMANENT_RECIPIENT`` (the sender falls back or stops);
- a 5xx → ``TRANSIENT``, or ``UNKNOWN`` and ambiguous where the provider has no de-duplication
  key and may have taken the message (each adapter's docstring says which);
- no answer after the request left (a read timeout, a dropped connection) → ambiguous, never a
  success; nothing sent (nobody listening) → ``TRANSIENT``, not ambiguous;
- one request per send, never a retry of the adapter's own;
- the number in the provider's format; a number it cannot address → ``ValueError``, nothing sent;
- credentials never in ``repr()`` or the logs; neither the full number nor the text in the logs.

What only one provider does (eSMS's duplicate 124, Twilio's prices, the ZNS token refresh, the
code tables) stays in that provider's own tests.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
import urllib3
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.aws_sms import AwsSmsSender, new_sms_voice_client
from chalicelib.messaging.providers.esms import EsmsSender
from chalicelib.messaging.providers.http import new_pool
from chalicelib.messaging.providers.port import MessageSender, SendRequest
from chalicelib.messaging.providers.speedsms import SpeedSmsSender
from chalicelib.messaging.providers.twilio import TwilioSender
from chalicelib.messaging.providers.zns import ZnsSender
from devstack.emulator import free_port
from devstack.fakes.http import FakeHttp
from devstack.fakes.sms import running_fake_esms, running_fake_speedsms
from devstack.fakes.twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    MESSAGING_SERVICE_SID,
    running_fake_twilio,
    twilio_error,
)
from devstack.fakes.zalo import InMemoryAccessTokens, running_fake_zalo
from tests.support.timeouts import PATIENT, SHORT, SLOW_ANSWER

PHONE = "+84912345678"
SECRET_TEXT = "Ma bao hanh 482913"
REQUEST = SendRequest(
    message_id="m_01HZX3K7Q2ABCDEFGHJKMNPQRS",
    to_e164=PHONE,
    text=SECRET_TEXT,
    template_id="7895417a7d3f9461cd2e",
    template_data={"otp": "482913"},
)
MOBILE = re.compile(r"(?<!\d)(?:\+?84|0)[35789]\d{8}(?!\d)")
AWS_SECRET_KEY = "aws-secret-access-key-for-the-contract"
SENDER_ID = "arn:aws:sms-voice:ap-southeast-1:123456789012:sender-id/BAOHANH/VN"


class Provider(Protocol):
    """One adapter and the knobs of what stands in for its provider."""

    name: str
    phone_format: str  # how the provider receives PHONE
    secrets: tuple[str, ...]
    server_error_means: tuple[ErrorClass, bool]  # (class, ambiguous) of a 503 / a 500
    connect_failed_code: str | None

    sender: MessageSender

    def accept_next(self) -> None: ...
    def refuse_recipient(self) -> None: ...
    def fail_with_server_error(self) -> None: ...
    def time_out(self) -> None: ...
    def drop_after_body(self) -> None: ...
    def unreachable(self) -> MessageSender: ...
    def calls(self) -> int: ...
    def phone_sent(self) -> str: ...


@dataclass
class HttpProvider:
    name: str
    fake: FakeHttp
    build: Callable[[str, urllib3.Timeout], MessageSender]
    phone_format: str
    phone_of: Callable[[Any], str]
    refuse: Callable[[Any], None]
    secrets: tuple[str, ...]
    server_error_means: tuple[ErrorClass, bool]
    connect_failed_code: str | None
    path: str

    def __post_init__(self) -> None:
        self.sender = self.build(self.fake.url, PATIENT)

    def accept_next(self) -> None:
        """The fake servers accept what they are not told to refuse."""

    def refuse_recipient(self) -> None:
        self.refuse(self.fake)

    def fail_with_server_error(self) -> None:
        self.fake.respond_next_send(503, b"<html>Service Unavailable</html>")

    def time_out(self) -> None:
        self.fake.latency = SLOW_ANSWER
        self.sender = self.build(self.fake.url, SHORT)

    def drop_after_body(self) -> None:
        self.fake.close_after_body = True

    def unreachable(self) -> MessageSender:
        return self.build(f"http://127.0.0.1:{free_port()}", PATIENT)

    def _sends(self) -> list[Any]:
        return [r for r in self.fake.requests if r.path == self.path]

    def calls(self) -> int:
        return len(self._sends())

    def phone_sent(self) -> str:
        return self.phone_of(self._sends()[-1])


class AwsProvider:
    """A real ``pinpoint-sms-voice-v2`` client (one attempt); its answers are botocore stubs
    validated against the service model, its transport failures raised where the request
    would go on the wire."""

    name: str = "aws_sms"
    phone_format: str = PHONE
    secrets: tuple[str, ...] = (AWS_SECRET_KEY,)
    server_error_means: tuple[ErrorClass, bool] = (ErrorClass.UNKNOWN, True)
    connect_failed_code: str | None = "EndpointConnectionError"

    def __init__(self, client: Any, stubber: Stubber) -> None:
        self.client, self.stubber = client, stubber
        self.params: list[dict[str, Any]] = []
        self.sender: MessageSender = AwsSmsSender(client=client, origination_identity=SENDER_ID)
        client.meta.events.register(
            "provide-client-params.pinpoint-sms-voice-v2.SendTextMessage", self._record
        )

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.params.append(dict(params))

    def accept_next(self) -> None:
        self.stubber.add_response("send_text_message", {"MessageId": f"msg-{len(self.params)}"})

    def refuse_recipient(self) -> None:
        self._error(
            "ValidationException",
            400,
            Reason="FIELD_VALIDATION_FAILED",
            Fields=[{"Name": "DestinationPhoneNumber", "Message": "not a mobile"}],
        )

    def fail_with_server_error(self) -> None:
        self._error("InternalServerException", 500, RequestId="req-1")

    def time_out(self) -> None:
        self._on_the_wire(ReadTimeoutError(endpoint_url="https://sms-voice"))

    def drop_after_body(self) -> None:
        self._on_the_wire(ConnectionClosedError(endpoint_url="https://sms-voice"))

    def unreachable(self) -> MessageSender:
        self._on_the_wire(EndpointConnectionError(endpoint_url="https://sms-voice"))
        return self.sender

    def calls(self) -> int:
        return len(self.params)

    def phone_sent(self) -> str:
        return str(self.params[-1]["DestinationPhoneNumber"])

    def _error(self, code: str, status: int, **fields: Any) -> None:
        self.stubber.add_client_error(
            "send_text_message",
            service_error_code=code,
            service_message="from the stub",
            http_status_code=status,
            modeled_fields={"Message": "from the stub", **fields},
        )

    def _on_the_wire(self, error: Exception) -> None:
        self.stubber.deactivate()  # let the request reach the transport, which fails

        def fail(**_: Any) -> None:
            raise error

        self.client.meta.events.register("before-send.pinpoint-sms-voice-v2.SendTextMessage", fail)


def _esms(stack: Any) -> Provider:
    fake = stack(running_fake_esms())
    return HttpProvider(
        name="esms",
        fake=fake,
        build=lambda url, timeout: EsmsSender(
            api_key="esms-key",
            secret_key="esms-secret",
            brandname="Baotrixemay",
            base_url=url,
            pool=new_pool(),
            timeout=timeout,
        ),
        phone_format="0912345678",
        phone_of=lambda r: str(r.json["Phone"]),
        refuse=lambda f: f.fail_next_sends(99),
        secrets=("esms-key", "esms-secret"),
        server_error_means=(ErrorClass.TRANSIENT, False),  # RequestId makes a resend safe
        connect_failed_code="connect_failed",
        path=fake.send_path,
    )


def _speedsms(stack: Any) -> Provider:
    fake = stack(running_fake_speedsms())
    invalid = {"status": "error", "code": "x", "message": "bad", "invalidPhone": ["84912345678"]}
    return HttpProvider(
        name="speedsms",
        fake=fake,
        build=lambda url, timeout: SpeedSmsSender(
            access_token="speedsms-token",
            sender="Baotrixemay",
            base_url=url + "/index.php",
            pool=new_pool(),
            timeout=timeout,
        ),
        phone_format="84912345678",
        phone_of=lambda r: str(r.json["to"][0]),
        refuse=lambda f: f.respond_next_send(200, json.dumps(invalid).encode()),
        secrets=("speedsms-token", "c3BlZWRzbXMtdG9rZW46eA=="),
        server_error_means=(ErrorClass.UNKNOWN, True),  # no de-dup key: it may have sent it
        connect_failed_code="connect_failed",
        path=fake.send_path,
    )


def _twilio(stack: Any) -> Provider:
    fake = stack(running_fake_twilio())
    return HttpProvider(
        name="twilio",
        fake=fake,
        build=lambda url, timeout: TwilioSender(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            messaging_service_sid=MESSAGING_SERVICE_SID,
            base_url=url,
            pool=new_pool(),
            timeout=timeout,
        ),
        phone_format=PHONE,
        phone_of=lambda r: str(r.form["To"]),
        refuse=lambda f: f.respond_next_send(400, twilio_error(21211, "Invalid 'To'")),
        secrets=(AUTH_TOKEN,),
        server_error_means=(ErrorClass.UNKNOWN, True),  # no de-dup key: it may have sent it
        connect_failed_code="connect_failed",
        path=fake.messages_path,
    )


def _zns(stack: Any) -> Provider:
    fake = stack(running_fake_zalo())
    pool = new_pool()

    def build(url: str, timeout: urllib3.Timeout) -> MessageSender:
        tokens = InMemoryAccessTokens(
            pool,
            url,
            app_id=fake.app_id,
            secret_key=fake.secret_key,
            access_token=fake.access_token,
            refresh_token="rt-0",
        )
        return ZnsSender(tokens, pool, base_url=url, timeout=timeout)

    return HttpProvider(
        name="zns",
        fake=fake,
        build=build,
        phone_format="84912345678",
        phone_of=lambda r: str(r.json()["phone"]),
        refuse=lambda f: f.fail_next_sends(-118),  # no Zalo account
        secrets=(fake.access_token, fake.secret_key, "rt-0"),
        server_error_means=(ErrorClass.TRANSIENT, False),  # Zalo refused it: tracking_id
        connect_failed_code=None,
        path="/message/template",
    )


PROVIDERS = ["esms", "speedsms", "twilio", "aws_sms", "zns"]


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    if request.param == "aws_sms":
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET_KEY)
        client = new_sms_voice_client("ap-southeast-1")
        with Stubber(client) as stubber:
            yield AwsProvider(client, stubber)
        return
    builders = {"esms": _esms, "speedsms": _speedsms, "twilio": _twilio, "zns": _zns}
    managers: list[Any] = []

    def stack(manager: Any) -> Any:
        managers.append(manager)
        return manager.__enter__()

    try:
        yield builders[request.param](stack)
    finally:
        for manager in reversed(managers):
            manager.__exit__(None, None, None)


def test_an_accepted_message_is_ok_with_the_providers_id_in_one_request(
    provider: Provider,
) -> None:
    provider.accept_next()

    result = provider.sender.send(REQUEST)

    assert result.error_class is ErrorClass.OK and result.accepted
    assert result.provider == provider.name
    assert result.provider_message_id
    assert not result.ambiguous
    assert provider.calls() == 1


def test_the_number_goes_in_the_providers_format(provider: Provider) -> None:
    provider.accept_next()

    provider.sender.send(REQUEST)

    assert provider.phone_sent() == provider.phone_format


def test_a_number_the_provider_cannot_address_is_refused_before_sending(
    provider: Provider,
) -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        provider.sender.send(SendRequest(message_id="m1", to_e164="0912345678", text="x"))

    assert provider.calls() == 0


def test_a_recipient_the_provider_refuses_is_a_permanent_recipient_error(
    provider: Provider,
) -> None:
    provider.refuse_recipient()

    result = provider.sender.send(REQUEST)

    assert result.error_class is ErrorClass.PERMANENT_RECIPIENT
    assert not result.accepted and not result.ambiguous
    assert result.provider_message_id is None and result.error_code
    assert provider.calls() == 1


def test_a_server_error_is_transient_or_ambiguous_as_the_adapter_documents(
    provider: Provider,
) -> None:
    provider.fail_with_server_error()

    result = provider.sender.send(REQUEST)

    assert (result.error_class, result.ambiguous) == provider.server_error_means
    assert not result.accepted
    assert provider.calls() == 1  # never retried by the adapter


@pytest.mark.parametrize("failure", ["time_out", "drop_after_body"])
def test_no_answer_after_the_request_left_is_ambiguous_never_a_success(
    provider: Provider, failure: str
) -> None:
    getattr(provider, failure)()

    result = provider.sender.send(REQUEST)

    assert result.error_class is ErrorClass.UNKNOWN and result.ambiguous
    assert not result.accepted and result.provider_message_id is None
    assert provider.calls() == 1


def test_a_provider_nobody_answers_for_is_transient_and_not_ambiguous(
    provider: Provider,
) -> None:
    result = provider.unreachable().send(REQUEST)

    assert (result.error_class, result.ambiguous) == (ErrorClass.TRANSIENT, False)
    assert result.error_code == provider.connect_failed_code


def test_credentials_numbers_and_texts_stay_out_of_repr_and_logs(
    provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider.accept_next()
    provider.sender.send(REQUEST)
    provider.refuse_recipient()
    provider.sender.send(REQUEST)

    logged = "\n".join(
        record.getMessage() + json.dumps(_fields(record), default=str) for record in caplog.records
    )
    kind = "zns" if provider.name == "zns" else "sms"
    assert f"{kind} accepted" in logged and f"{kind} not accepted" in logged
    assert MOBILE.findall(logged) == []
    assert "482913" not in logged
    for secret in provider.secrets:
        assert secret not in logged
        assert secret not in repr(provider.sender) and secret not in str(provider.sender)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    """What a log line carries, without the clock's digits (a timestamp can look like a phone)."""
    clock = {"created", "msecs", "relativeCreated", "thread", "process", "taskName"}
    return {k: v for k, v in vars(record).items() if k not in clock}
