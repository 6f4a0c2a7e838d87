"""AWS End User Messaging SMS (``pinpoint-sms-voice-v2``,
docs/reference/sms.md#aws-end-user-messaging), behind
:class:`MessageSender`.

One ``send`` is one ``SendTextMessage`` (``TRANSACTIONAL``) with the outbox id echoed in
``Context`` so delivery events correlate, and ``TimeToLive`` bounding late delivery. A
``MessageId`` means accepted by AWS, not delivered: the configuration set's event destination
says that.

AWS has **no de-duplication key** (reliability.md#exactly-once-notifications), so the client must
make exactly one attempt:
:func:`new_sms_voice_client` builds one with botocore retries off and the reference timeouts
(D: connect 3 s, read 10 s). A botocore client with its default retry policy would resend on a
read timeout or a 5xx, which is the blind resend reliability.md#exactly-once-notifications forbids;
:class:`AwsSmsSender` refuses it.

Errors (botocore ``ClientError`` codes):

- ``ValidationException`` → ``PERMANENT_RECIPIENT`` when it concerns the destination (its
  ``Fields`` name ``DestinationPhoneNumber``), else ``CONFIG`` (sender id, configuration set,
  ``MaxPrice`` below the price, a country not enabled: all ours to fix);
- ``ConflictException`` → ``CONFIG``, except the reasons that name the destination number
  (opted out, blocked by a protect number override) → ``PERMANENT_RECIPIENT``: an opt-out is the
  recipient's choice, not an incident;
- ``AccessDeniedException``, ``ResourceNotFoundException`` → ``CONFIG``;
- ``ServiceQuotaExceededException``, ``ThrottlingException`` → ``QUOTA``;
- ``InternalServerException`` or any other HTTP 5xx → ``UNKNOWN`` and ``ambiguous``;
- any other code → ``UNKNOWN``.

Transport: ``ReadTimeoutError``, ``ConnectionClosedError`` (any ``HTTPClientError``: the request
may have reached AWS) → ``UNKNOWN`` and ``ambiguous``; ``EndpointConnectionError``,
``ConnectTimeoutError`` (any botocore ``ConnectionError``: nothing was sent) → ``TRANSIENT``;
no credentials → ``CONFIG``. A ``ParamValidationError`` is a programming error and raises.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError, NoCredentialsError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.http import log_send
from chalicelib.messaging.providers.port import MessageSender, SendRequest, SendResult

SERVICE = "pinpoint-sms-voice-v2"
MESSAGE_TYPE = "TRANSACTIONAL"
DEFAULT_TTL_SECONDS = 600
TTL_RANGE = range(5, 259_200 + 1)  # the service model's TimeToLive bounds
CONNECT_TIMEOUT = 3.0  # docs/reference/figures.md
READ_TIMEOUT = 10.0

_VN_MOBILE = re.compile(r"\+84[1-9][0-9]{8}")
_MAX_PRICE = re.compile(r"[0-9]{0,2}\.[0-9]{1,5}")  # the service model's MaxPrice pattern
_DESTINATION_FIELD = "destinationphonenumber"
_DESTINATION_CONFLICTS = frozenset(
    {
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        "DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE",
    }
)
_CLASSES: dict[str, ErrorClass] = {
    "AccessDeniedException": ErrorClass.CONFIG,
    "ResourceNotFoundException": ErrorClass.CONFIG,
    "ConflictException": ErrorClass.CONFIG,
    "ValidationException": ErrorClass.CONFIG,
    "ServiceQuotaExceededException": ErrorClass.QUOTA,
    "ThrottlingException": ErrorClass.QUOTA,
}


def new_sms_voice_client(region: str) -> Any:
    """A ``pinpoint-sms-voice-v2`` client that makes exactly one attempt per call, with the
    reference timeouts. boto3 is imported here, not at module import (cold start)."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(SERVICE, region_name=region, config=config)


@functools.cache
def sms_voice_client(region: str) -> Any:
    """The container's client, built on first use."""
    return new_sms_voice_client(region)


def aws_phone(to_e164: str) -> str:
    """AWS takes E.164 as is (phone-numbers.md); anything but a Vietnamese mobile is refused here.

    >>> aws_phone("+84912345678")
    '+84912345678'
    """
    if _VN_MOBILE.fullmatch(to_e164) is None:
        raise ValueError("to_e164 must be a Vietnamese E.164 number, e.g. +84912345678")
    return to_e164


def classify_client_error(response: dict[str, Any]) -> ErrorClass:
    """The class of a ``ClientError.response``: ``Error.Code``, plus the error's modeled fields
    (``Fields``, ``Reason``) that botocore parses beside ``Error``.

    >>> classify_client_error({"Error": {"Code": "ValidationException"},
    ...     "Fields": [{"Name": "DestinationPhoneNumber", "Message": "invalid"}]})
    <ErrorClass.PERMANENT_RECIPIENT: 'permanent_recipient'>
    >>> classify_client_error({"Error": {"Code": "ValidationException"},
    ...     "Reason": "PRICE_OVER_THRESHOLD"})
    <ErrorClass.CONFIG: 'config'>
    """
    code = _error_code(response)
    if code == "ValidationException" and _names_destination(response.get("Fields")):
        return ErrorClass.PERMANENT_RECIPIENT
    if code == "ConflictException" and response.get("Reason") in _DESTINATION_CONFLICTS:
        return ErrorClass.PERMANENT_RECIPIENT
    return _CLASSES.get(code, ErrorClass.UNKNOWN)


def _error_code(response: dict[str, Any]) -> str:
    error = response.get("Error")
    return str(error.get("Code") or "") if isinstance(error, dict) else ""


def _names_destination(fields: object) -> bool:
    if not isinstance(fields, list):
        return False
    return any(
        isinstance(field, dict) and str(field.get("Name", "")).lower() == _DESTINATION_FIELD
        for field in fields
    )


def _max_attempts(client: Any) -> int | None:
    retries = getattr(getattr(client, "meta", None), "config", None)
    retries = getattr(retries, "retries", None)
    if not isinstance(retries, dict):
        return None
    if "total_max_attempts" in retries:
        return int(retries["total_max_attempts"])
    if "max_attempts" in retries:  # retries after the first attempt
        return int(retries["max_attempts"]) + 1
    return None


class AwsSmsSender(MessageSender):
    """:class:`~chalicelib.messaging.providers.port.MessageSender` for AWS End User Messaging SMS.

    ``client`` is a ``pinpoint-sms-voice-v2`` client that makes one attempt per call (build it
    with :func:`sms_voice_client`); ``ValueError`` otherwise.
    """

    name = "aws_sms"

    def __init__(
        self,
        *,
        client: Any,
        origination_identity: str,
        configuration_set: str | None = None,
        max_price: str | None = None,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
    ) -> None:
        if _max_attempts(client) != 1:
            raise ValueError("the client must make one attempt: build it with sms_voice_client()")
        if ttl_seconds not in TTL_RANGE:
            raise ValueError("ttl_seconds must be within 5..259200")
        if max_price is not None and _MAX_PRICE.fullmatch(max_price) is None:
            raise ValueError("max_price must look like '0.10' (up to 2 + 5 digits)")
        self._client = client
        self._origination_identity = origination_identity
        self._configuration_set = configuration_set
        self._max_price = max_price
        self._ttl_seconds = ttl_seconds

    def __repr__(self) -> str:
        return f"AwsSmsSender(origination_identity={self._origination_identity!r})"

    def send(self, request: SendRequest) -> SendResult:
        """One ``SendTextMessage``; never raises for AWS's answer. Raises ``ValueError`` for a
        request whose number is not Vietnamese E.164. NOT safe to repeat after an ambiguous
        result."""
        params: dict[str, Any] = {
            "DestinationPhoneNumber": aws_phone(request.to_e164),
            "OriginationIdentity": self._origination_identity,
            "MessageBody": request.text,
            "MessageType": MESSAGE_TYPE,
            "TimeToLive": self._ttl_seconds,
            "Context": {"message_id": request.message_id},
        }
        if self._configuration_set:
            params["ConfigurationSetName"] = self._configuration_set
        if self._max_price:
            params["MaxPrice"] = self._max_price
        result = self._call(params)
        log_send(request, result, provider=self.name)
        return result

    def _call(self, params: dict[str, Any]) -> SendResult:
        try:
            answer = self._client.send_text_message(**params)
        except ClientError as exc:
            response: dict[str, Any] = exc.response
            code = _error_code(response) or "client_error"
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code == "InternalServerException" or (isinstance(status, int) and status >= 500):
                # AWS may have taken the message, and it has no de-dup key
                # (reliability.md#exactly-once-notifications)
                return SendResult(self.name, ErrorClass.UNKNOWN, error_code=code, ambiguous=True)
            return SendResult(self.name, classify_client_error(response), error_code=code)
        except HTTPClientError as exc:  # read timeout, dropped connection: AWS may have it
            return SendResult(
                self.name, ErrorClass.UNKNOWN, error_code=type(exc).__name__, ambiguous=True
            )
        except BotocoreConnectionError as exc:  # endpoint unreachable, connect timeout
            return SendResult(self.name, ErrorClass.TRANSIENT, error_code=type(exc).__name__)
        except NoCredentialsError:  # the role: nothing was sent
            return SendResult(self.name, ErrorClass.CONFIG, error_code="no_credentials")
        message_id = answer.get("MessageId")
        if not isinstance(message_id, str) or not message_id:  # the model makes it optional
            return SendResult(self.name, ErrorClass.UNKNOWN, error_code="no_message_id")
        return SendResult(self.name, ErrorClass.OK, provider_message_id=message_id)
