"""Twilio Programmable Messaging, the international fallback (docs/reference/sms.md#twilio), behind
:class:`MessageSender`. Standard library and urllib3 only: no ``twilio`` package.

One ``send`` is one form-encoded POST to ``/2010-04-01/Accounts/{AccountSid}/Messages.json``
with HTTP Basic auth ``AccountSid:AuthToken``, sent through a Messaging Service. HTTP 201 with a
``sid`` (``SM…``) means accepted by Twilio (status ``accepted``/``queued``), not delivered: the
status callback says that, and Twilio sends no callback for the initial status.

Twilio's error body is ``{"code": 21211, "message": "…", "status": 400}``:

- 21211 (invalid ``To``), 21614 (not a mobile number) → ``PERMANENT_RECIPIENT``;
- 20003 (authentication), 20404 (resource not found) → ``CONFIG``;
- 20429 or HTTP 429 → ``QUOTA``;
- any other Twilio code → ``UNKNOWN`` (not ambiguous: Twilio refused it); another HTTP 4xx
  without a readable code → ``CONFIG`` (a URL, a proxy or the account).

Twilio has **no de-duplication key** (reliability.md#exactly-once-notifications): once the body may
have reached Twilio (read timeout, dropped connection, HTTP 5xx, a 2xx we cannot read) the result is
``ambiguous`` with class ``UNKNOWN`` and the sender must NOT resend blindly: reconcile through the
status callback first. ``ValidityPeriod`` bounds how late a message that did get through can still
be delivered. Only a connection error before anything was sent is ``TRANSIENT``.

Cost: Twilio reports ``price`` as a negative decimal (a charge) in ``price_unit``, usually
``USD``, and on create it is nearly always ``null`` (priced later). :attr:`SendResult.cost` is in
VND, so the absolute value is kept only when ``price_unit`` is ``VND``; a USD price would be off
by about 25,000×, and the status callback or the Usage API is where Twilio's cost is read.

>>> twilio_phone("+84912345678")
'+84912345678'
>>> twilio_cost("-0.0075", "USD") is None, twilio_cost("-850", "VND")
(True, Decimal('850'))
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import urllib3

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.http import (
    DEFAULT_TIMEOUT,
    json_decimal,
    json_int,
    json_object,
    log_send,
    new_pool,
    post_once,
)
from chalicelib.messaging.providers.port import MessageSender, SendRequest, SendResult

BASE_URL = "https://api.twilio.com"
SEND_PATH = "/2010-04-01/Accounts/{account_sid}/Messages.json"
DEFAULT_VALIDITY_PERIOD = 600  # seconds; Twilio drops a message still queued after it

# Twilio error codes with a known meaning for the sender; any other code is UNKNOWN.
TWILIO_CLASSES: dict[int, ErrorClass] = {
    21211: ErrorClass.PERMANENT_RECIPIENT,  # invalid 'To' phone number
    21614: ErrorClass.PERMANENT_RECIPIENT,  # 'To' is not a valid mobile number
    20003: ErrorClass.CONFIG,  # authentication failed (SID or token)
    20404: ErrorClass.CONFIG,  # the account or service was not found
    20429: ErrorClass.QUOTA,  # too many requests
}

_VN_MOBILE = re.compile(r"\+84[1-9][0-9]{8}")


def twilio_phone(to_e164: str) -> str:
    """Twilio takes E.164 as is (phone-numbers.md); anything but a Vietnamese mobile is refused
    here."""
    if _VN_MOBILE.fullmatch(to_e164) is None:
        raise ValueError("to_e164 must be a Vietnamese E.164 number, e.g. +84912345678")
    return to_e164


def basic_auth(account_sid: str, auth_token: str) -> str:
    """HTTP Basic auth with the account SID as user name and the auth token as password."""
    return "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")


def twilio_cost(price: object, price_unit: object) -> Decimal | None:
    """The cost in VND from Twilio's ``price``/``price_unit``: ``None`` unless the unit is VND
    (see the module docstring), else the absolute value (Twilio writes a charge as negative)."""
    number = json_decimal(price) if price_unit == "VND" else None
    return None if number is None else abs(number)


class TwilioSender(MessageSender):
    """:class:`~chalicelib.messaging.providers.port.MessageSender` for Twilio through a Messaging
    Service (``MessagingServiceSid``), so the sender pool and its geo rules live in Twilio."""

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        messaging_service_sid: str,
        status_callback: str | None = None,
        validity_period: int = DEFAULT_VALIDITY_PERIOD,
        pool: urllib3.PoolManager | None = None,
        base_url: str = BASE_URL,
        timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if validity_period <= 0:
            raise ValueError("validity_period must be a positive number of seconds")
        self._account_sid = account_sid
        self._authorization = basic_auth(account_sid, auth_token)
        self._messaging_service_sid = messaging_service_sid
        self._status_callback = status_callback
        self._validity_period = validity_period
        self._pool = pool if pool is not None else new_pool()
        self._url = base_url.rstrip("/") + SEND_PATH.format(account_sid=quote(account_sid, safe=""))
        self._timeout = timeout

    def __repr__(self) -> str:  # never the token
        return f"TwilioSender(messaging_service_sid={self._messaging_service_sid!r})"

    def send(self, request: SendRequest) -> SendResult:
        """One POST; never raises for Twilio's answer. Raises ``ValueError`` for a request whose
        number is not Vietnamese E.164. NOT safe to repeat after an ambiguous result."""
        form: dict[str, str] = {
            "To": twilio_phone(request.to_e164),
            "MessagingServiceSid": self._messaging_service_sid,
            "Body": request.text,
            "ValidityPeriod": str(self._validity_period),
        }
        if self._status_callback:
            form["StatusCallback"] = self._status_callback
        result = post_once(
            self.name,
            self._pool,
            self._url,
            body=urlencode(form).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Authorization": self._authorization,
            },
            timeout=self._timeout,
            classify=self._result,
        )
        log_send(request, result, provider=self.name)
        return result

    def _result(self, status: int, data: bytes) -> SendResult:
        answer = json_object(data)
        if 200 <= status < 300:
            sid = None if answer is None else answer.get("sid")
            if answer is not None and isinstance(sid, str) and sid:
                return SendResult(
                    self.name,
                    ErrorClass.OK,
                    provider_message_id=sid,
                    cost=twilio_cost(answer.get("price"), answer.get("price_unit")),
                )
            # a 2xx we cannot read: the message may exist, and Twilio has no de-dup key
            return SendResult(
                self.name, ErrorClass.UNKNOWN, error_code=f"http_{status}", ambiguous=True
            )
        # Twilio may have taken the message: never a plain retry
        # (reliability.md#exactly-once-notifications)
        if status >= 500:
            return SendResult(
                self.name, ErrorClass.UNKNOWN, error_code=f"http_{status}", ambiguous=True
            )
        code = None if answer is None else json_int(answer.get("code"))
        if code is not None:
            error_class = TWILIO_CLASSES.get(code, ErrorClass.UNKNOWN)
            if status == 429:
                error_class = ErrorClass.QUOTA
            return SendResult(self.name, error_class, error_code=str(code))
        if status == 429:
            return SendResult(self.name, ErrorClass.QUOTA, error_code="http_429")
        # a 4xx without Twilio's code (or a 3xx: redirects are off): a URL, a proxy, the account
        return SendResult(self.name, ErrorClass.CONFIG, error_code=f"http_{status}")
