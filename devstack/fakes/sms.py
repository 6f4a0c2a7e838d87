"""Fake eSMS and SpeedSMS over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

Bodies are the reference's: eSMS sms.md#esms-send (send) and sms.md#esms-delivery-report
(``GetSendStatus``), SpeedSMS sms.md#speedsms. Every request is recorded (method, path, query,
lower-cased headers, raw and parsed JSON body).

The fakes keep the provider rules that matter to the adapters:

- eSMS checks ``ApiKey``/``SecretKey`` (101), ``Brandname`` (104) and the national phone format
  (108), and de-duplicates ``RequestId`` for the server's life: a second send answers 124.
- SpeedSMS checks Basic auth (HTTP 401) and the ``84…``/``0…`` number format (an error body that
  lists the number in ``invalidPhone``; the fake's error ``code`` values are placeholders, since
  SpeedSMS's own table is not sourced, sms.md#speedsms).

Knobs, on both: ``fail_next_sends(code, ...)`` (queued provider codes), ``respond_next_send(status,
body)`` (a raw answer), ``latency`` (seconds of sleep before answering a send: set the client's
read timeout below it), ``close_after_body`` (read the body, then drop the connection without an
answer). A send held up by ``latency`` or ``close_after_body`` is still *accepted* (recorded, and
its ``RequestId`` taken): the worst case for the client, which cannot tell.

``demo`` on FakeEsms (off by default; :class:`EsmsDemo`) makes it behave like eSMS for a person
trying the stack: ``delay`` seconds after an accepted send that names a ``CallbackUrl``, the DLR
(sms.md#esms-delivery-report: ``SendStatus=5``, ``SendSuccess=1``, ``TotalPrice`` per segment) is
sent there by GET, retried while our API is not up, and ``GetSendStatus`` answers the same for that
SMSID; :meth:`FakeEsms.deliver_mo` "texts" the short code: a signed MO (sms.md#esms-inbound-sms) to
``mo_url``. SMSIDs are random, so they do not repeat across restarts.
:meth:`FakeEsms.lose_reports_for` a number: its SMS are accepted and delivered (``GetSendStatus``
says so) but their DLR never comes, as when a callback is lost on the way (what the sweep's status
question is for).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from chalicelib.messaging.webhook_signatures import esms_mo_sign
from devstack.fakes import http as fake_http
from devstack.fakes.http import Answer, CallbackReply, FakeHttp, running

ESMS_SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ESMS_STATUS_PATH = "/MainService.svc/json/GetSendStatus"
SPEEDSMS_SEND_PATH = "/index.php/sms/send"

ICT = timezone(timedelta(hours=7), "ICT")  # eSMS writes MO times in Vietnam's time
# Segment sizes (GSM-7 / UCS-2, single and concatenated) by the send's ``IsUnicode``.
_SEGMENT = {"0": (160, 153), "1": (70, 67)}
# telcoid (sms.md#esms-delivery-report) by national prefix: 1 Viettel, 2 MobiFone, 3 VinaPhone, 4
# Vietnamobile, 5 Gtel
_TELCO_PREFIXES = {
    "1": ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098"),
    "2": ("070", "076", "077", "078", "079", "089", "090", "093"),
    "3": ("081", "082", "083", "084", "085", "088", "091", "094"),
    "4": ("052", "056", "058", "092"),
    "5": ("059", "099"),
}
_VN_MOBILE = re.compile(r"(?:\+?84|0)([1-9][0-9]{8})")


class RecordedRequest(fake_http.RecordedRequest):
    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _FakeSms(FakeHttp):
    methods: ClassVar[tuple[str, ...]] = ("GET", "POST")
    request_type: ClassVar[type[fake_http.RecordedRequest]] = RecordedRequest
    send_path: ClassVar[str]

    def fail_next_sends(self, *codes: int | str) -> None:
        super().fail_next_sends(*(str(code) for code in codes))

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == self.send_path]


@dataclass(frozen=True)
class EsmsDemo:
    """Where MOs go and what signs them (sms.md#esms-inbound-sms), and what a segment costs
    (VND)."""

    mo_url: str  # our ``GET /hooks/esms/mo``
    mo_cpid: str
    mo_private_key: str = field(repr=False)
    service_number: str = "8079"
    delay: float = 0.5
    price_per_segment: int = 850


@dataclass
class FakeEsms(_FakeSms):
    api_key: str = "esms-key"
    secret_key: str = "esms-secret"
    brandname: str = "Baotrixemay"
    demo: EsmsDemo | None = None
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # SMSID → the send's body
    # SMSID → (SendStatus, SendSuccess, SendFailed, TotalPrice as written in the JSON)
    delivery: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    _request_ids: dict[str, str] = field(default_factory=dict)  # RequestId → SMSID
    lost_reports: set[str] = field(default_factory=set)  # national numbers: no DLR for these
    lost: set[str] = field(default_factory=set)  # SMSIDs whose DLR was lost
    _issued: int = 0

    send_path: ClassVar[str] = ESMS_SEND_PATH

    def know_sms(
        self,
        sms_id: str,
        *,
        send_status: int = 5,
        success: int = 1,
        failed: int = 0,
        total_price: str = "850.0000",
    ) -> None:
        """Make ``GetSendStatus`` answer for ``sms_id`` (sent outside this fake, e.g. by a test
        that wrote the outbox item itself) with these figures; call again to change them."""
        with self._lock:
            self.sent.setdefault(sms_id, {})
            self.delivery[sms_id] = (send_status, success, failed, total_price)

    def lose_reports_for(self, phone: str) -> str:
        """From now on, SMS to ``phone`` (``0912345678``, ``+84…`` or ``84…``) are accepted and
        delivered, but their DLR is lost: ``GetSendStatus`` alone tells. Returns the national
        number (as eSMS's ``Phone``); ``ValueError`` for one that is not a Vietnamese mobile."""
        national = _national(phone)
        with self._lock:
            self.lost_reports.add(national)
        return national

    def dlr_lost(self, sms_id: str) -> bool:
        with self._lock:
            return sms_id in self.lost

    def status_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == ESMS_STATUS_PATH]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method == "POST" and request.path == ESMS_SEND_PATH:
            return self._answer_send(request)
        if request.method == "GET" and request.path == ESMS_STATUS_PATH:
            return self._answer_status(request)
        return 404, b"<html>Endpoint not found.</html>"

    def _answer_send(self, request: RecordedRequest) -> Answer:
        raw, forced = self.next_forced()
        if raw is not None:
            return self.held_up(raw)
        try:
            body = request.json
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return 200, b'{"error":"Invalid request"}'
        if forced is not None:
            return self.held_up((200, _esms_error(forced, "forced by the test")))
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
            return 200, _esms_error("101", "Authorize Failed")
        if body.get("Brandname") != self.brandname:
            return 200, _esms_error("104", "Brand name code is not exist")
        phone = str(body.get("Phone", ""))
        if not (len(phone) == 10 and phone.startswith("0") and phone.isdigit()):
            return 200, _esms_error("108", "Phone number is invalid")
        request_id = str(body.get("RequestId", ""))
        with self._lock:
            if request_id and request_id in self._request_ids:
                answer: dict[str, Any] = {
                    "CodeResult": "124",
                    "CountRegenerate": 0,
                    "ErrorMessage": "Request exist 1",
                    "SendStatus": "5",
                }
            else:
                self._issued += 1
                sms_id = f"{self._issued:08d}-esms-fake-smsid"
                if self.demo is not None:
                    sms_id = str(uuid.uuid4())
                    price = f"{self.demo.price_per_segment * _segments(body)}.0000"
                    self.delivery.setdefault(sms_id, (5, 1, 0, price))
                if request_id:
                    self._request_ids[request_id] = sms_id
                self.sent[sms_id] = body
                answer = {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}
        if self.demo is not None and answer["CodeResult"] == "100":
            self._send_dlr(self.demo, answer["SMSID"], body)
        return self.held_up((200, json.dumps(answer).encode()))

    def _answer_status(self, request: RecordedRequest) -> Answer:
        query = request.query
        if query.get("ApiKey") != self.api_key or query.get("SecretKey") != self.secret_key:
            return 200, b'{"CodeResponse":"101","ErrorMessage":"Authorize Failed"}'
        sms_id = query.get("RefId", "")
        if sms_id not in self.sent:
            return 200, b'{"CodeResponse":"-1","ErrorMessage":"SMSID not found"}'
        status, success, failed, price = self.delivery.get(sms_id, (5, 1, 0, "850.0000"))
        body = (
            f'{{"CodeResponse":"100","SMSID":"{sms_id}","SendFailed":{failed},'
            f'"SendStatus":{status},"SendSuccess":{success},"TotalPrice":{price},'
            f'"TotalReceiver":1,"TotalSent":1}}'
        )
        return 200, body.encode()

    # --- demo ----------------------------------------------------------------------------------

    def dlr_query(self, sms_id: str) -> str:
        """The DLR's query string (sms.md#esms-delivery-report, in the reference's order) for an
        SMSID this fake issued."""
        send = self.sent[sms_id]
        status, success, failed, price = self.delivery.get(sms_id, (5, 1, 0, "850.0000"))
        phone = str(send.get("Phone", ""))
        return urlencode(
            {
                "SMSID": sms_id,
                "SendFailed": failed,
                "SendStatus": status,
                "SendSuccess": success,
                "TotalPrice": price,
                "TotalReceiver": 1,
                "TotalSent": 1,
                "RequestId": send.get("RequestId", ""),
                "TypeId": send.get("SmsType", "2"),
                "telcoid": _telco_id(phone),
                "phonenumber": phone,
                "switchsmsid": "",
            }
        )

    def _send_dlr(self, demo: EsmsDemo, sms_id: str, send: dict[str, Any]) -> None:
        callback = send.get("CallbackUrl")
        if not isinstance(callback, str) or not callback:
            return  # eSMS calls back only where the send asked
        with self._lock:
            if str(send.get("Phone", "")) in self.lost_reports:
                self.lost.add(sms_id)
                return
        separator = "&" if "?" in callback else "?"
        url = f"{callback}{separator}{self.dlr_query(sms_id)}"
        self.courier.call_later("esms dlr", demo.delay, "GET", url)

    def mo_query(self, phone: str, text: str, *, smsid: str | None = None) -> dict[str, str]:
        """The query of an MO from ``phone`` (``0912345678``, ``+84…`` or ``84…``) saying
        ``text`` (sms.md#esms-inbound-sms), signed with the demo's key. ``ValueError`` for a number
        that is not a Vietnamese mobile or an empty text."""
        demo = self.demo
        if demo is None:
            raise ValueError("the fake has no demo settings (mo_cpid, mo_private_key)")
        national = _national(phone)
        content = " ".join(text.split())
        if not content or len(content) > 459:
            raise ValueError("text must have 1 to 459 characters")
        smsid = smsid or "MO" + secrets.token_hex(8).upper()
        received = datetime.now(UTC).astimezone(ICT).strftime("%Y%m%d%H%M%S")
        return {
            "sender": "84" + national[1:],
            "content": content,
            "serviceNumber": demo.service_number,
            "keyword": content.split()[0].upper(),
            "sign": esms_mo_sign(demo.mo_cpid, smsid, content, received, demo.mo_private_key),
            "cpid": demo.mo_cpid,
            "smsid": smsid,
            "receiverTime": received,
        }

    def deliver_mo(self, phone: str, text: str) -> CallbackReply:
        """Text the short code as ``phone`` would: one signed MO to ``demo.mo_url``; our reply
        as it came. Raises ``ValueError`` (see :meth:`mo_query`) or ``CallbackFailed``."""
        query = self.mo_query(phone, text)
        assert self.demo is not None  # mo_query checked it
        url = f"{self.demo.mo_url}?{urlencode(query, quote_via=quote)}"
        return self.courier.call("esms mo", "GET", url)


def _national(phone: str) -> str:
    """``+84 912 345 678`` → ``0912345678``; ``ValueError`` for anything but a VN mobile."""
    match = _VN_MOBILE.fullmatch(re.sub(r"[\s.()-]", "", phone))
    if match is None:
        raise ValueError("phone must be a Vietnamese mobile number, e.g. 0912345678")
    return "0" + match.group(1)


def _segments(send: dict[str, Any]) -> int:
    """What eSMS bills a send as: segments of its ``Content`` as ``IsUnicode`` says."""
    single, concatenated = _SEGMENT.get(str(send.get("IsUnicode", "0")), _SEGMENT["0"])
    length = len(str(send.get("Content", "")))
    return 1 if length <= single else -(-length // concatenated)


def _telco_id(national: str) -> str:
    for telco, prefixes in _TELCO_PREFIXES.items():
        if national.startswith(prefixes):
            return telco
    return "1"


def _esms_error(code: str, message: str) -> bytes:
    return json.dumps({"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": message}).encode()


@dataclass
class FakeSpeedSms(_FakeSms):
    access_token: str = "speedsms-token"
    price_per_sms: int = 250
    _issued: int = 0

    send_path: ClassVar[str] = SPEEDSMS_SEND_PATH

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method != "POST" or request.path != SPEEDSMS_SEND_PATH:
            return 404, b'{"status":"error","code":"404","message":"not found"}'
        raw, forced = self.next_forced()
        if raw is not None:
            return self.held_up(raw)
        expected = "Basic " + base64.b64encode(f"{self.access_token}:x".encode()).decode()
        if request.headers.get("authorization") != expected:
            return 401, b'{"status":"error","code":"401","message":"Unauthorized"}'
        if forced is not None:
            return self.held_up((200, _speedsms_error(forced, "forced by the test", [])))
        try:
            body = request.json
        except ValueError:
            body = None
        numbers = body.get("to") if isinstance(body, dict) else None
        if not isinstance(numbers, list) or not numbers:
            return 200, _speedsms_error("fake-bad-request", "missing to", [])
        invalid = [str(n) for n in numbers if not _speedsms_number(str(n))]
        if invalid:
            return 200, _speedsms_error("fake-invalid-phone", "invalid phone", invalid)
        with self._lock:
            self._issued += 1
            tran_id = 123455 + self._issued
        data = {
            "tranId": tran_id,
            "totalSMS": len(numbers),
            "totalPrice": self.price_per_sms * len(numbers),
            "invalidPhone": [],
        }
        answer = {"status": "success", "code": "00", "data": data}
        return self.held_up((200, json.dumps(answer).encode()))


def _speedsms_number(number: str) -> bool:
    return number.isdigit() and (
        (number.startswith("84") and len(number) == 11)
        or (number.startswith("0") and len(number) == 10)
    )


def _speedsms_error(code: str, message: str, invalid: list[str]) -> bytes:
    body = {"status": "error", "code": code, "message": message, "invalidPhone": invalid}
    return json.dumps(body).encode()


def running_fake_esms(**knobs: Any) -> AbstractContextManager[FakeEsms]:
    return running(FakeEsms(**knobs))


def running_fake_speedsms(**knobs: Any) -> AbstractContextManager[FakeSpeedSms]:
    return running(FakeSpeedSms(**knobs))
