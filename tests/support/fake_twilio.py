"""Fake Twilio Messages API over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

Shapes are the reference's (A5): a form-encoded POST to
``/2010-04-01/Accounts/{AccountSid}/Messages.json`` with Basic auth ``AccountSid:AuthToken``,
answered 201 with the Message resource, or Twilio's error body
``{"code": 21211, "message": "…", "more_info": "…", "status": 400}``. Every request is recorded
(method, path, lower-cased headers incl. ``authorization``, raw body and the parsed form).

The fake keeps the rules that matter to the adapter: a wrong account in the path is 20404
(HTTP 404), wrong credentials 20003 (HTTP 401), a ``To`` that is not E.164 21211 (HTTP 400), and a
send without ``MessagingServiceSid``/``From`` or ``Body`` is 21603/21602 (HTTP 400; these two codes
are from Twilio's error catalogue, not the reference: placeholders the adapter does not classify).

Knobs: ``fail_next_sends(code, ...)`` (queued Twilio codes, each with its HTTP status),
``respond_next_send(status, body)`` (a raw answer), ``price``/``price_unit`` (the 201's price
fields), ``latency`` (seconds of sleep before answering: set the client's read timeout below it),
``close_after_body`` (read the body, then drop the connection without an answer). A send held up
by ``latency`` or ``close_after_body`` is still *created* (in ``messages``): the worst case for a
client with no de-dup key, which cannot tell.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "twilio-auth-token"
MESSAGING_SERVICE_SID = "MG0123456789abcdef0123456789abcdef"
MESSAGES_PATH = "/2010-04-01/Accounts/{account_sid}/Messages.json"

# Twilio code → the HTTP status Twilio answers it with
ERROR_STATUS = {20003: 401, 20404: 404, 20429: 429, 21211: 400, 21614: 400}
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")

Answer = tuple[int, bytes] | None  # None: drop the connection without an answer


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        """The form-encoded body, one value per field (a repeated field would fail a test)."""
        parsed = parse_qs(self.body.decode(), keep_blank_values=True, strict_parsing=False)
        assert all(len(values) == 1 for values in parsed.values()), parsed
        return {name: values[0] for name, values in parsed.items()}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected in these tests


def twilio_error(code: int, message: str, status: int | None = None) -> bytes:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status if status is not None else ERROR_STATUS.get(code, 400),
    }
    return json.dumps(body).encode()


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    price: str | None = None  # Twilio writes a charge as a negative decimal string
    price_unit: str = "USD"
    latency: float = 0.0
    close_after_body: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)
    messages: dict[str, dict[str, str]] = field(default_factory=dict)  # sid → the send's form
    _forced: deque[int] = field(default_factory=deque)
    _raw: deque[tuple[int, bytes]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _issued: int = 0

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def messages_path(self) -> str:
        return MESSAGES_PATH.format(account_sid=self.account_sid)

    def fail_next_sends(self, *codes: int) -> None:
        self._forced.extend(codes)

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
        if request.method != "POST" or request.path != self.messages_path:
            return 404, twilio_error(20404, "The requested resource was not found")
        with self._lock:
            raw = self._raw.popleft() if self._raw else None
            forced = self._forced.popleft() if raw is None and self._forced else None
        if raw is not None:
            return self._held_up(raw)
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()
        ).decode("ascii")
        if request.headers.get("authorization") != expected:
            return 401, twilio_error(20003, "Authenticate")
        if forced is not None:
            return self._held_up((ERROR_STATUS.get(forced, 400), twilio_error(forced, "forced")))
        form = request.form
        if not _E164.fullmatch(form.get("To", "")):
            return 400, twilio_error(21211, "Invalid 'To' Phone Number")
        if not (form.get("MessagingServiceSid") or form.get("From")):
            return 400, twilio_error(21603, "The 'From' phone number is required")
        if not form.get("Body"):
            return 400, twilio_error(21602, "Message body is required")
        with self._lock:
            self._issued += 1
            sid = f"SM{self._issued:032x}"
            self.messages[sid] = form
        return self._held_up((201, json.dumps(self._resource(sid, form)).encode()))

    def _resource(self, sid: str, form: dict[str, str]) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body"),
            "date_created": "Thu, 20 Mar 2025 03:00:00 +0000",
            "date_sent": None,
            "date_updated": "Thu, 20 Mar 2025 03:00:00 +0000",
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": None,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": self.price,
            "price_unit": self.price_unit,
            "sid": sid,
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "to": form.get("To"),
            "uri": f"{self.messages_path[:-5]}/{sid}.json",
        }

    def _held_up(self, answer: tuple[int, bytes]) -> Answer:
        if self.close_after_body:
            return None
        if self.latency:
            time.sleep(self.latency)
        return answer


def _handler_for(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's edge does

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorded = RecordedRequest(
                method=self.command,
                path=urlsplit(self.path).path,
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
def running_fake_twilio(**knobs: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio(**knobs)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
