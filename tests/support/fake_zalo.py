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
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs

import urllib3

from chalicelib.integrations.zalo.zns import refresh_access_token
from tests.support import fake_http
from tests.support.fake_http import Answer, FakeHttp, running

SEND_PATH = "/message/template"
TOKEN_PATH = "/v4/oa/access_token"


class RecordedRequest(fake_http.RecordedRequest):
    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeZalo(FakeHttp):
    protocol_version: ClassVar[str] = "HTTP/1.0"  # one request per connection
    content_type: ClassVar[str] = "application/json"
    request_type: ClassVar[type[fake_http.RecordedRequest]] = RecordedRequest

    app_id: str = "app-1"
    secret_key: str = "secret-1"
    access_token: str = "at-0"
    refresh_tokens: set[str] = field(default_factory=lambda: {"rt-0"})
    expires_in: int | str = "90000"
    omit_from_refresh_answer: tuple[str, ...] = ()  # e.g. ("refresh_token",): a half pair
    _issued: int = 0

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == SEND_PATH]

    def refreshes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == TOKEN_PATH]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.path == SEND_PATH:
            return self.answer_send(request)
        if request.path == TOKEN_PATH:
            return self.answer_refresh(request)
        return 404, b'{"error": 404, "message": "not found"}'

    # --- the two endpoints -------------------------------------------------------------------

    def answer_send(self, request: RecordedRequest) -> tuple[int, bytes] | None:
        """``None``: drop the connection without an answer."""
        if not self.holding_up():
            return None
        with self._lock:
            if self._raw:
                return self._raw.popleft()
            forced = self._forced.popleft() if self._forced else None
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


def running_fake_zalo(**knobs: Any) -> AbstractContextManager[FakeZalo]:
    return running(FakeZalo(**knobs))


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
