"""A fake Zalo over real HTTP: ``/message/template`` (ZNS send) and ``/v4/oa/access_token``.

Bodies are the reference's (A1.1, A1.3): success values are strings, errors are
``{"error": <code>, "message": ...}``. The fake keeps Zalo's rules that matter to the adapter:
one valid access token at a time, single-use refresh tokens. Every request is recorded.

Knobs: ``fail_next_sends(-124, ...)`` (queued error codes), ``respond_next_send(status, body)``
(raw answers), ``latency`` (seconds before answering a send), ``close_after_body`` (read the
send's body, then drop the connection without an answer), ``expires_in`` (int or string),
``omit_from_refresh_answer`` (answer a refresh with a half pair).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import urllib3

from chalicelib.integrations.zalo.zns import refresh_access_token

SEND_PATH = "/message/template"
TOKEN_PATH = "/v4/oa/access_token"


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeZalo:
    app_id: str = "app-1"
    secret_key: str = "secret-1"
    access_token: str = "at-0"
    refresh_tokens: set[str] = field(default_factory=lambda: {"rt-0"})
    expires_in: int | str = "90000"
    latency: float = 0.0
    close_after_body: bool = False
    omit_from_refresh_answer: tuple[str, ...] = ()  # e.g. ("refresh_token",): a half pair
    requests: list[RecordedRequest] = field(default_factory=list)
    _send_errors: deque[int] = field(default_factory=deque)
    _raw_sends: deque[tuple[int, bytes]] = field(default_factory=deque)
    _issued: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next_sends(self, *codes: int) -> None:
        self._send_errors.extend(codes)

    def respond_next_send(self, status: int, body: bytes) -> None:
        self._raw_sends.append((status, body))

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == SEND_PATH]

    def refreshes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == TOKEN_PATH]

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- the two endpoints -------------------------------------------------------------------

    def answer_send(self, request: RecordedRequest) -> tuple[int, bytes] | None:
        """``None``: drop the connection without an answer."""
        if self.close_after_body:
            return None
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            if self._raw_sends:
                return self._raw_sends.popleft()
            forced = self._send_errors.popleft() if self._send_errors else None
            valid = request.headers.get("access_token") == self.access_token
            self._issued += 1
            serial = self._issued
        if forced is not None:
            return 200, _error(forced, "forced by the test")
        if not valid:
            return 200, _error(-124, "Access token is invalid")
        data = {
            "msg_id": f"msg{serial:017d}",
            "sent_time": str(int(time.time() * 1000)),
            "sending_mode": "1",
            "quota": {"dailyQuota": "500", "remainingQuota": "499"},
        }
        return 200, json.dumps({"error": 0, "message": "Success", "data": data}).encode()

    def answer_refresh(self, request: RecordedRequest) -> tuple[int, bytes]:
        form = request.form()
        if (
            request.headers.get("secret_key") != self.secret_key
            or form.get("app_id") != self.app_id
        ):
            return 200, _error(-14002, "Invalid app id or secret key")
        if form.get("grant_type") != "refresh_token":
            return 200, _error(-14001, "Invalid grant type")
        with self._lock:
            token = form.get("refresh_token", "")
            if token not in self.refresh_tokens:
                return 200, _error(-14014, "Invalid refresh token")
            self.refresh_tokens.discard(token)  # single use
            self._issued += 1
            self.access_token = f"at-{self._issued}"
            new_refresh = f"rt-{self._issued}"
            self.refresh_tokens.add(new_refresh)
        body = {
            "access_token": self.access_token,
            "refresh_token": new_refresh,
            "expires_in": self.expires_in,
        }
        for key in self.omit_from_refresh_answer:
            del body[key]
        return 200, json.dumps(body).encode()


def _error(code: int, message: str) -> bytes:
    return json.dumps({"error": code, "message": message}).encode()


def _handler_for(fake: FakeZalo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorded = RecordedRequest(
                self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
            )
            with fake._lock:
                fake.requests.append(recorded)
            if self.path == SEND_PATH:
                answer = fake.answer_send(recorded)
            elif self.path == TOKEN_PATH:
                answer = fake.answer_refresh(recorded)
            else:
                answer = (404, b'{"error": 404, "message": "not found"}')
            if answer is None:
                self.close_connection = True
                return
            status, body = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_fake_zalo(**knobs: Any) -> Iterator[FakeZalo]:
    fake = FakeZalo(**knobs)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


class InMemoryAccessTokens:
    """``AccessTokens`` held in memory, refreshed against a (fake) Zalo under a lock.

    Single-flight in one process: ``refresh(stale)`` only calls Zalo when ``stale`` is still the
    current token, so two callers holding the same stale token spend the refresh token once.
    """

    def __init__(
        self,
        pool: urllib3.PoolManager,
        oauth_url: str,
        *,
        app_id: str,
        secret_key: str,
        access_token: str,
        refresh_token: str,
    ) -> None:
        self._pool = pool
        self._oauth_url = oauth_url
        self._app_id = app_id
        self._secret_key = secret_key
        self._access = access_token
        self._refresh = refresh_token
        self._lock = threading.Lock()
        self.refresh_calls = 0

    def current(self) -> str:
        with self._lock:
            return self._access

    def refresh(self, stale: str) -> str:
        with self._lock:
            self.refresh_calls += 1
            if stale != self._access:
                return self._access
            pair = refresh_access_token(
                self._pool, self._app_id, self._secret_key, self._refresh, self._oauth_url
            )
            self._access, self._refresh = pair.access_token, pair.refresh_token
            return self._access
