"""eSMS.vn SMS brandname (docs/reference/sms.md#esms-send send, sms.md#esms-delivery-report status),
behind :class:`MessageSender`.

One ``send`` is one POST to ``SendMultipleMessage_V4_post_json``. eSMS de-duplicates on
``RequestId`` for 24 h (reliability.md#exactly-once-notifications), and we send the outbox id there,
so a resend of the same message is safe: eSMS answers ``124`` (class ``DUPLICATE``, accepted)
instead of sending twice. Hence:

- a read timeout or a dropped connection after the body was written is ``ambiguous`` with class
  ``UNKNOWN``, and the sender **may** resend it with the same ``message_id`` within 24 h;
- HTTP 5xx, HTTP 200 with ``{"error": …}`` or with no readable answer are ``TRANSIENT``;
- a connection error before anything was sent is ``TRANSIENT`` and not ambiguous.

``100`` means accepted by eSMS, not delivered: the DLR callback (sms.md#esms-delivery-report) says
that, and
:meth:`EsmsSender.status` confirms it, since the callback is unsigned.

>>> esms_phone("+84912345678")
'0912345678'
>>> request_id_for("c82cd356-bf49-4113-9466-65a7f6359c96")
'c82cd356-bf49-4113-9466-65a7f6359c96'
>>> len(request_id_for("outbox#" + "x" * 60))
50
>>> is_unicode("BH SN240001234 da kich hoat"), is_unicode("Bảo hành")
(False, True)
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import HTTPError

from chalicelib.messaging.provider_errors import ErrorClass, classify_esms
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

BASE_URL = "https://rest.esms.vn"
SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
STATUS_PATH = "/MainService.svc/json/GetSendStatus"
REQUEST_ID_MAX = 50  # sms.md#esms-send
SMS_TYPE_CSKH = "2"

_VN_MOBILE = re.compile(r"\+84([1-9][0-9]{8})")
# GSM 03.38 default alphabet plus its extension table: text outside it needs UCS-2 ("unicode").
_GSM_CHARS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "\f^{}\\[~]|€"
)


def esms_phone(to_e164: str) -> str:
    """eSMS wants the national form (phone-numbers.md): ``+84912345678`` → ``0912345678``."""
    match = _VN_MOBILE.fullmatch(to_e164)
    if match is None:
        raise ValueError("to_e164 must be a Vietnamese E.164 number, e.g. +84912345678")
    return "0" + match.group(1)


def request_id_for(message_id: str) -> str:
    """The outbox id when it fits eSMS's 50 characters, else a stable 50-character digest
    (the same message id always gives the same ``RequestId``, so de-dup still holds)."""
    if 0 < len(message_id) <= REQUEST_ID_MAX:
        return message_id
    return "h_" + hashlib.sha256(message_id.encode()).hexdigest()[: REQUEST_ID_MAX - 2]


def is_unicode(text: str) -> bool:
    """True when ``text`` has a character outside the GSM 7-bit alphabet (e.g. Vietnamese)."""
    return any(ch not in _GSM_CHARS for ch in text)


@dataclass(frozen=True)
class EsmsSendStatus:
    """``GetSendStatus`` for one SMSID (sms.md#esms-delivery-report). ``send_status``: 1 pending
    approval, 2 waiting, 4 rejected, 5 done (then read ``success``/``failed``), 7 sent and awaiting
    report."""

    sms_id: str
    send_status: int
    success: int
    failed: int
    total_price: Decimal | None  # VND

    @property
    def delivered(self) -> bool:
        return self.send_status == 5 and self.success > 0 and self.failed == 0


class EsmsStatusError(Exception):
    """``GetSendStatus`` gave no usable answer (``reason`` says why); the DLR stays unconfirmed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EsmsSender(MessageSender):
    """:class:`~chalicelib.messaging.providers.port.MessageSender` for eSMS SMS brandname (CSKH)."""

    name = "esms"

    def __init__(
        self,
        *,
        api_key: str,
        secret_key: str,
        brandname: str,
        pool: urllib3.PoolManager | None = None,
        base_url: str = BASE_URL,
        callback_url: str | None = None,
        sandbox: bool = False,
        timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._api_key = api_key
        self._secret_key = secret_key
        self._brandname = brandname
        self._pool = pool if pool is not None else new_pool()
        self._base_url = base_url.rstrip("/")
        self._callback_url = callback_url
        self._sandbox = sandbox
        self._timeout = timeout

    def __repr__(self) -> str:  # never the keys
        return f"EsmsSender(brandname={self._brandname!r}, base_url={self._base_url!r})"

    def send(self, request: SendRequest) -> SendResult:
        """One POST; never raises for eSMS's answer. Raises ``ValueError`` for a request whose
        number is not Vietnamese E.164. Safe to repeat with the same ``message_id`` (124)."""
        body: dict[str, str] = {
            "ApiKey": self._api_key,
            "SecretKey": self._secret_key,
            "Phone": esms_phone(request.to_e164),
            "Content": request.text,
            "Brandname": self._brandname,
            "SmsType": SMS_TYPE_CSKH,
            "IsUnicode": "1" if is_unicode(request.text) else "0",
            "Sandbox": "1" if self._sandbox else "0",
            "RequestId": request_id_for(request.message_id),
        }
        if self._callback_url:
            body["CallbackUrl"] = self._callback_url
        result = post_once(
            self.name,
            self._pool,
            self._base_url + SEND_PATH,
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=self._timeout,
            classify=self._result,
        )
        log_send(request, result, provider=self.name)
        return result

    def status(self, sms_id: str) -> EsmsSendStatus:
        """The provider's view of one SMSID (sms.md#esms-delivery-report): what confirms an unsigned
        DLR callback.

        Raises :class:`EsmsStatusError` when eSMS gives no usable answer. Read-only, so safe to
        repeat.
        """
        query = urlencode({"RefId": sms_id, "ApiKey": self._api_key, "SecretKey": self._secret_key})
        try:
            response = self._pool.request(
                "GET",
                f"{self._base_url}{STATUS_PATH}?{query}",
                timeout=self._timeout,
                retries=False,
                redirect=False,
            )
        except HTTPError as exc:  # the URL holds the keys: never put the exception text in logs
            raise EsmsStatusError(f"no_answer:{type(exc).__name__}") from None
        answer = json_object(response.data)
        if response.status != 200 or answer is None:
            raise EsmsStatusError(f"http_{response.status}")
        code = answer.get("CodeResponse")
        if str(code) != "100":
            raise EsmsStatusError(f"code_{code!s:.20}")
        send_status, success, failed = (
            json_int(answer.get(key)) for key in ("SendStatus", "SendSuccess", "SendFailed")
        )
        if send_status is None or success is None or failed is None:
            raise EsmsStatusError("incomplete_answer")
        return EsmsSendStatus(
            sms_id=str(answer.get("SMSID") or sms_id),
            send_status=send_status,
            success=success,
            failed=failed,
            total_price=json_decimal(answer.get("TotalPrice")),
        )

    def _result(self, status: int, data: bytes) -> SendResult:
        if status == 429:
            return SendResult(self.name, ErrorClass.QUOTA, error_code="http_429")
        if status >= 500:
            return SendResult(self.name, ErrorClass.TRANSIENT, error_code=f"http_{status}")
        if status >= 400:  # a URL, a proxy or the account: a person must look
            return SendResult(self.name, ErrorClass.CONFIG, error_code=f"http_{status}")
        answer = json_object(data)
        code = None if answer is None else answer.get("CodeResult")
        if answer is None or not isinstance(code, int | str):
            # {"error": "Invalid request"} or an unreadable body: resending is safe (RequestId)
            return SendResult(self.name, ErrorClass.TRANSIENT, error_code="bad_answer")
        error_class = classify_esms(code)
        sms_id = answer.get("SMSID")
        return SendResult(
            self.name,
            error_class,
            provider_message_id=(
                str(sms_id) if error_class is ErrorClass.OK and isinstance(sms_id, str) else None
            ),
            error_code=str(code),
        )
