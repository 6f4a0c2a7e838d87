"""Fake eSMS and SpeedSMS over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

Bodies are the reference's: eSMS A2.1 (send) and A2.2 (``GetSendStatus``), SpeedSMS A3. Every
request is recorded (method, path, query, lower-cased headers, raw and parsed JSON body).

The fakes keep the provider rules that matter to the adapters:

- eSMS checks ``ApiKey``/``SecretKey`` (101), ``Brandname`` (104) and the national phone format
  (108), and de-duplicates ``RequestId`` for the server's life: a second send answers 124.
- SpeedSMS checks Basic auth (HTTP 401) and the ``84…``/``0…`` number format (an error body that
  lists the number in ``invalidPhone``; the fake's error ``code`` values are placeholders, since
  SpeedSMS's own table is not sourced, A3).

Knobs, on both: ``fail_next_sends(code, ...)`` (queued provider codes), ``respond_next_send(status,
body)`` (a raw answer), ``latency`` (seconds of sleep before answering a send: set the client's
read timeout below it), ``close_after_body`` (read the body, then drop the connection without an
answer). A send held up by ``latency`` or ``close_after_body`` is still *accepted* (recorded, and
its ``RequestId`` taken): the worst case for the client, which cannot tell.
"""

from __future__ import annotations

import base64
import json
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.support import fake_http
from tests.support.fake_http import Answer, FakeHttp, running

ESMS_SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ESMS_STATUS_PATH = "/MainService.svc/json/GetSendStatus"
SPEEDSMS_SEND_PATH = "/index.php/sms/send"


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


@dataclass
class FakeEsms(_FakeSms):
    api_key: str = "esms-key"
    secret_key: str = "esms-secret"
    brandname: str = "Baotrixemay"
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # SMSID → the send's body
    # SMSID → (SendStatus, SendSuccess, SendFailed, TotalPrice as written in the JSON)
    delivery: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    _request_ids: dict[str, str] = field(default_factory=dict)  # RequestId → SMSID
    _issued: int = 0

    send_path: ClassVar[str] = ESMS_SEND_PATH

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
                if request_id:
                    self._request_ids[request_id] = sms_id
                self.sent[sms_id] = body
                answer = {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}
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
