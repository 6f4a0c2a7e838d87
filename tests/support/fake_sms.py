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
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ESMS_SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ESMS_STATUS_PATH = "/MainService.svc/json/GetSendStatus"
SPEEDSMS_SEND_PATH = "/index.php/sms/send"

Answer = tuple[int, bytes] | None  # None: drop the connection without an answer


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected in these tests


@dataclass
class _FakeHttp:
    latency: float = 0.0
    close_after_body: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)
    _forced: deque[str] = field(default_factory=deque)
    _raw: deque[tuple[int, bytes]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next_sends(self, *codes: int | str) -> None:
        self._forced.extend(str(code) for code in codes)

    def respond_next_send(self, status: int, body: bytes) -> None:
        self._raw.append((status, body))

    def start(self) -> None:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        # a short poll keeps stop() fast: shutdown() waits for up to one poll interval
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, request: RecordedRequest) -> Answer:
        raise NotImplementedError

    def _held_up(self, answer: tuple[int, bytes]) -> Answer:
        """Apply ``close_after_body`` and ``latency`` to a send already taken."""
        if self.close_after_body:
            return None
        if self.latency:
            time.sleep(self.latency)
        return answer

    def _next_forced(self) -> tuple[tuple[int, bytes] | None, str | None]:
        with self._lock:
            raw = self._raw.popleft() if self._raw else None
            forced = self._forced.popleft() if raw is None and self._forced else None
        return raw, forced


@dataclass
class FakeEsms(_FakeHttp):
    api_key: str = "esms-key"
    secret_key: str = "esms-secret"
    brandname: str = "Baotrixemay"
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # SMSID → the send's body
    # SMSID → (SendStatus, SendSuccess, SendFailed, TotalPrice as written in the JSON)
    delivery: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    _request_ids: dict[str, str] = field(default_factory=dict)  # RequestId → SMSID
    _issued: int = 0

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == ESMS_SEND_PATH]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method == "POST" and request.path == ESMS_SEND_PATH:
            return self._answer_send(request)
        if request.method == "GET" and request.path == ESMS_STATUS_PATH:
            return self._answer_status(request)
        return 404, b"<html>Endpoint not found.</html>"

    def _answer_send(self, request: RecordedRequest) -> Answer:
        raw, forced = self._next_forced()
        if raw is not None:
            return self._held_up(raw)
        try:
            body = request.json
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return 200, b'{"error":"Invalid request"}'
        if forced is not None:
            return self._held_up((200, _esms_error(forced, "forced by the test")))
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
        return self._held_up((200, json.dumps(answer).encode()))

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
class FakeSpeedSms(_FakeHttp):
    access_token: str = "speedsms-token"
    price_per_sms: int = 250
    _issued: int = 0

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == SPEEDSMS_SEND_PATH]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method != "POST" or request.path != SPEEDSMS_SEND_PATH:
            return 404, b'{"status":"error","code":"404","message":"not found"}'
        raw, forced = self._next_forced()
        if raw is not None:
            return self._held_up(raw)
        expected = "Basic " + base64.b64encode(f"{self.access_token}:x".encode()).decode()
        if request.headers.get("authorization") != expected:
            return 401, b'{"status":"error","code":"401","message":"Unauthorized"}'
        if forced is not None:
            return self._held_up((200, _speedsms_error(forced, "forced by the test", [])))
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
        return self._held_up((200, json.dumps(answer).encode()))


def _speedsms_number(number: str) -> bool:
    return number.isdigit() and (
        (number.startswith("84") and len(number) == 11)
        or (number.startswith("0") and len(number) == 10)
    )


def _speedsms_error(code: str, message: str, invalid: list[str]) -> bytes:
    body = {"status": "error", "code": code, "message": message, "invalidPhone": invalid}
    return json.dumps(body).encode()


def _handler_for(fake: _FakeHttp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real gateways do

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            url = urlsplit(self.path)
            recorded = RecordedRequest(
                method=self.command,
                path=url.path,
                query={k: v[0] for k, v in parse_qs(url.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
            )
            fake.record(recorded)
            answer = fake.answer(recorded)
            if answer is None:
                self.close_connection = True
                return
            status, body = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_fake_esms(**knobs: Any) -> Iterator[FakeEsms]:
    fake = FakeEsms(**knobs)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@contextmanager
def running_fake_speedsms(**knobs: Any) -> Iterator[FakeSpeedSms]:
    fake = FakeSpeedSms(**knobs)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
