"""SpeedSMS.vn SMS brandname (docs/reference/sms.md#speedsms), behind :class:`MessageSender`.

One ``send`` is one POST to ``/sms/send`` with HTTP Basic auth ``base64(token + ":x")``. The
request and response shapes are third-party-sourced (sms.md#speedsms, [3P]): SpeedSMS publishes no
error-code table we could verify, so errors are classified only by what is unambiguous: HTTP 401/403
→ ``CONFIG`` (the token), an error naming our number in ``invalidPhone`` → ``PERMANENT_RECIPIENT``,
anything else ``UNKNOWN`` with SpeedSMS's ``code`` kept for a person to read; other HTTP 4xx →
``CONFIG``.

SpeedSMS has **no de-duplication key** (reliability.md#exactly-once-notifications): after the body
may have reached SpeedSMS (read timeout, dropped connection) the result is ``ambiguous`` with class
``UNKNOWN``, and the sender must NOT resend blindly: reconcile through the status API or the DLR
first. The same holds for HTTP 5xx and unreadable answers (reliability.md#exactly-once-notifications
retries 5xx only for idempotent providers). Only a connection error before anything was sent is
``TRANSIENT``.

>>> speedsms_phone("+84912345678")
'84912345678'
>>> basic_auth("tok")
'Basic dG9rOng='
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import urllib3

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.http import (
    DEFAULT_TIMEOUT,
    json_decimal,
    json_object,
    log_send,
    new_pool,
    post_once,
)
from chalicelib.messaging.providers.port import MessageSender, SendRequest, SendResult

BASE_URL = "https://api.speedsms.vn/index.php"
SEND_PATH = "/sms/send"
SMS_TYPE_BRANDNAME = 3  # 2 random number, 3 brandname, 4 default brandname, 5 Android app

_VN_MOBILE = re.compile(r"\+(84[1-9][0-9]{8})")


def speedsms_phone(to_e164: str) -> str:
    """SpeedSMS takes ``84…`` (phone-numbers.md): ``+84912345678`` → ``84912345678``."""
    match = _VN_MOBILE.fullmatch(to_e164)
    if match is None:
        raise ValueError("to_e164 must be a Vietnamese E.164 number, e.g. +84912345678")
    return match.group(1)


def basic_auth(access_token: str) -> str:
    """SpeedSMS's Basic auth: the token as user name, ``x`` as password."""
    return "Basic " + base64.b64encode(f"{access_token}:x".encode()).decode("ascii")


class SpeedSmsSender(MessageSender):
    """:class:`~chalicelib.messaging.providers.port.MessageSender` for SpeedSMS brandname."""

    name = "speedsms"

    def __init__(
        self,
        *,
        access_token: str,
        sender: str,
        pool: urllib3.PoolManager | None = None,
        base_url: str = BASE_URL,
        timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._authorization = basic_auth(access_token)
        self._sender = sender
        self._pool = pool if pool is not None else new_pool()
        self._url = base_url.rstrip("/") + SEND_PATH
        self._timeout = timeout

    def __repr__(self) -> str:  # never the token
        return f"SpeedSmsSender(sender={self._sender!r}, url={self._url!r})"

    def send(self, request: SendRequest) -> SendResult:
        """One POST; never raises for SpeedSMS's answer. Raises ``ValueError`` for a request
        whose number is not Vietnamese E.164. NOT safe to repeat after an ambiguous result."""
        phone = speedsms_phone(request.to_e164)
        body = {
            "to": [phone],
            "content": request.text,
            "sms_type": SMS_TYPE_BRANDNAME,
            "sender": self._sender,
        }
        result = post_once(
            self.name,
            self._pool,
            self._url,
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": self._authorization,
            },
            timeout=self._timeout,
            classify=lambda status, data: self._result(status, data, phone),
        )
        log_send(request, result, provider=self.name)
        return result

    def _result(self, status: int, data: bytes, phone: str) -> SendResult:
        if status in (401, 403):
            return SendResult(self.name, ErrorClass.CONFIG, error_code=f"http_{status}")
        if status == 429:
            return SendResult(self.name, ErrorClass.QUOTA, error_code="http_429")
        answer = json_object(data)
        if status == 200 and answer is not None and answer.get("status") == "success":
            payload = answer.get("data")
            payload = payload if isinstance(payload, dict) else {}
            tran_id = payload.get("tranId")
            return SendResult(
                self.name,
                ErrorClass.OK,
                provider_message_id=None if tran_id is None else str(tran_id),
                error_code=_code(answer),
                cost=json_decimal(payload.get("totalPrice")),
            )
        if answer is not None and answer.get("status") == "error":
            invalid = answer.get("invalidPhone")
            if isinstance(invalid, list) and phone in {str(item) for item in invalid}:
                error_class = ErrorClass.PERMANENT_RECIPIENT
            else:
                error_class = ErrorClass.UNKNOWN
            return SendResult(self.name, error_class, error_code=_code(answer))
        if 400 <= status < 500:  # refused before sending: a URL, a proxy or the account
            return SendResult(self.name, ErrorClass.CONFIG, error_code=f"http_{status}")
        # 5xx, or an answer we cannot read: SpeedSMS may have taken the message, and it has no
        # de-dup key, so this is never a plain retry
        # (reliability.md#exactly-once-notifications retries 5xx only where idempotent)
        return SendResult(
            self.name, ErrorClass.UNKNOWN, error_code=f"http_{status}", ambiguous=True
        )


def _code(answer: dict[str, Any]) -> str | None:
    code = answer.get("code")
    return None if code is None else str(code)[:20]
