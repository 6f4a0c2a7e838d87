"""A fake Zalo over real HTTP: ``/message/template`` (ZNS send), ``/v3.0/oa/message/cs`` (a
message in the OA chat) and ``/v4/oa/access_token``.

Bodies are the reference's (zalo.md#zns-send, zalo.md#token-refresh): success values are strings,
errors are ``{"error": <code>, "message": ...}``; the OA chat answers ``{"error": 0, "message":
"Success", "data": {"message_id": …, "user_id": …}}`` **[3P]**. The fake keeps Zalo's rules that
matter to the adapters: one valid access token at a time (both send endpoints answer ``-124`` for
another), single-use refresh tokens. Every request is recorded; :meth:`FakeZalo.chat_messages` lists
what the OA chat received for a user.

Knobs, on both send endpoints: ``fail_next_sends(-124, ...)`` (queued error codes),
``respond_next_send(status, body)`` (raw answers), ``latency`` (seconds before answering a
send), ``close_after_body`` (read the send's body, then drop the connection without an answer);
``expires_in`` (int or string), ``omit_from_refresh_answer`` (answer a refresh with a half pair).

``demo`` (off by default; :class:`ZaloDemo`) makes it behave like Zalo for a person trying the
stack: a number ending in one of ``no_account_digits`` has no Zalo account (``-118``, so the
sender falls back to SMS); an accepted send is followed, ``delay`` seconds later, by a signed
``user_received_message`` receipt (zalo.md#webhooks) POSTed to ``hook_url`` and retried while our
API is not up; message ids and tokens are random, so they do not repeat across restarts.
:meth:`FakeZalo.deliver_shared_info` and :meth:`FakeZalo.deliver_chat_text` play a user of the
OA: a signed ``user_submit_info`` or ``user_send_text`` event (zalo.md#webhooks) POSTed to
``hook_url`` now.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs

import urllib3

from chalicelib.messaging.webhook_signatures import zalo_mac
from devstack.fakes import http as fake_http
from devstack.fakes.http import Answer, CallbackReply, FakeHttp, running

SEND_PATH = "/message/template"
CHAT_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"
RECEIPT_DELIVERY_MS = 40  # how long after the send the fake says the phone got it


class RecordedRequest(fake_http.RecordedRequest):
    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass(frozen=True)
class ZaloDemo:
    """Where receipts go and what signs them (the OA's ``webhook_secret``, zalo.md#webhooks)."""

    hook_url: str  # our ``POST /hooks/zalo``
    oa_id: str
    webhook_secret: str = field(repr=False)
    delay: float = 0.5
    no_account_digits: str = "9"  # last digits of numbers with no Zalo account (-118)


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
    demo: ZaloDemo | None = None
    _issued: int = 0
    _chat_accepted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def sends(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == SEND_PATH]

    def refreshes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == TOKEN_PATH]

    def chats(self) -> list[RecordedRequest]:
        """Every request to the OA chat, accepted or not."""
        return [r for r in self.requests if r.path == CHAT_PATH]

    def chat_messages(self, user_id: str) -> list[dict[str, Any]]:
        """The ``message`` of each OA chat message to ``user_id`` that was accepted (sent with
        the valid token, nothing forced), oldest first: ``{"text": …}`` or the
        ``request_user_info`` ``{"attachment": …}``."""
        with self._lock:
            return [m for to, m in self._chat_accepted if to == user_id]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.path == SEND_PATH:
            return self.answer_send(request)
        if request.path == CHAT_PATH:
            return self.answer_chat(request)
        if request.path == TOKEN_PATH:
            return self.answer_refresh(request)
        return 404, b'{"error": 404, "message": "not found"}'

    # --- the endpoints -----------------------------------------------------------------------

    def _admit(self, request: RecordedRequest) -> tuple[int, bytes] | int | None:
        """What every OA call goes through first: the knobs (latency, a dropped connection, a
        raw or forced answer) and the access token. An ``int``: admitted, the call's number."""
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
        return serial

    def answer_send(self, request: RecordedRequest) -> tuple[int, bytes] | None:
        """``None``: drop the connection without an answer."""
        admitted = self._admit(request)
        if not isinstance(admitted, int):
            return admitted
        serial = admitted
        msg_id = f"msg{serial:017d}"
        if self.demo is not None:
            send = _json_object(request.body)
            if send is None:  # the code is a placeholder: ZnsSender always sends JSON
                return 200, _error(-1, "Invalid request body")
            phone = str(send.get("phone", ""))
            if phone[-1:] and phone[-1] in self.demo.no_account_digits:
                return 200, _error(-118, "Zalo account not existed")
            msg_id = secrets.token_hex(10)  # 20 hex digits, like Zalo's
            self._send_receipt(self.demo, phone, msg_id, str(send.get("tracking_id", "")))
        data = {
            "msg_id": msg_id,
            "sent_time": str(int(time.time() * 1000)),
            "sending_mode": "1",
            "quota": {"dailyQuota": "500", "remainingQuota": "499"},
        }
        return 200, json.dumps({"error": 0, "message": "Success", "data": data}).encode()

    def answer_chat(self, request: RecordedRequest) -> tuple[int, bytes] | None:
        """A message in the OA chat (``None``: drop the connection without an answer)."""
        admitted = self._admit(request)
        if not isinstance(admitted, int):
            return admitted
        serial = admitted
        chat = _json_object(request.body) or {}
        recipient, message = chat.get("recipient"), chat.get("message")
        user_id = recipient.get("user_id") if isinstance(recipient, dict) else None
        if not isinstance(user_id, str) or not user_id or not _chat_message(message):
            return 200, _error(-201, "Parameters are invalid")
        assert isinstance(message, dict)  # _chat_message checked it
        with self._lock:
            self._chat_accepted.append((user_id, message))
        message_id = secrets.token_hex(16) if self.demo is not None else f"cs{serial:030d}"
        data = {"message_id": message_id, "user_id": user_id}
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
            if self.demo is None:
                self.access_token = f"at-{self._issued}"
                new_refresh = f"rt-{self._issued}"
            else:
                self.access_token = secrets.token_urlsafe(32)
                new_refresh = secrets.token_urlsafe(32)
            self.refresh_tokens.add(new_refresh)
        body = {
            "access_token": self.access_token,
            "refresh_token": new_refresh,
            "expires_in": self.expires_in,
        }
        for key in self.omit_from_refresh_answer:
            del body[key]
        return 200, json.dumps(body).encode()

    # --- demo ----------------------------------------------------------------------------------

    def receipt(self, demo: ZaloDemo, phone: str, msg_id: str, tracking_id: str) -> bytes:
        """A ``user_received_message`` event (zalo.md#webhooks), in the reference's key order."""
        delivered = int((time.time() + demo.delay) * 1000)
        event = {
            "sender": {"id": demo.oa_id},
            "recipient": {"id": phone},
            "event_name": "user_received_message",
            "message": {
                "delivery_time": str(delivered),
                "msg_id": msg_id,
                "tracking_id": tracking_id,
            },
            "app_id": self.app_id,
            "timestamp": str(delivered + RECEIPT_DELIVERY_MS),
        }
        return json.dumps(event, separators=(",", ":")).encode()

    def user_event(self, demo: ZaloDemo, event_name: str, user_id: str, **fields: Any) -> bytes:
        """An OA user event (zalo.md#webhooks: ``user_send_text``, ``user_submit_info``) from
        ``user_id``."""
        event = {
            "app_id": self.app_id,
            "sender": {"id": user_id},
            "recipient": {"id": demo.oa_id},
            "user_id_by_app": user_id,
            "event_name": event_name,
            **fields,
            "timestamp": str(int(time.time() * 1000)),
        }
        return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()

    def deliver_shared_info(self, user_id: str, phone: str, name: str = "") -> CallbackReply:
        """``user_id`` taps "share my info": a signed ``user_submit_info`` with ``phone``
        (``0912345678`` is sent as Zalo writes it, ``84912345678``) and ``name``, now; our
        answer. ``ValueError`` without demo settings, ``CallbackFailed`` when nothing answers."""
        digits = "".join(phone.split())
        if digits.startswith("0") and digits.isdigit():
            digits = "84" + digits[1:]
        info = {"name": name, "phone": digits, "address": "", "city": "", "district": ""}
        return self._deliver_event("zalo user_submit_info", "user_submit_info", user_id, info=info)

    def deliver_chat_text(self, user_id: str, text: str) -> CallbackReply:
        """``user_id`` writes ``text`` to the OA: a signed ``user_send_text``, now; our answer.
        ``ValueError`` without demo settings, ``CallbackFailed`` when nothing answers."""
        message = {"text": text, "msg_id": secrets.token_hex(10)}
        return self._deliver_event(
            "zalo user_send_text", "user_send_text", user_id, message=message
        )

    def _deliver_event(
        self, name: str, event_name: str, user_id: str, **fields: Any
    ) -> CallbackReply:
        demo = self.demo
        if demo is None:
            raise ValueError("the fake has no demo settings (hook_url, webhook_secret)")
        body = self.user_event(demo, event_name, user_id, **fields)
        mac = zalo_mac(self.app_id, body, json.loads(body)["timestamp"], demo.webhook_secret)
        headers = {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}
        return self.courier.call(name, "POST", demo.hook_url, body=body, headers=headers)

    def _send_receipt(self, demo: ZaloDemo, phone: str, msg_id: str, tracking_id: str) -> None:
        body = self.receipt(demo, phone, msg_id, tracking_id)
        timestamp = json.loads(body)["timestamp"]
        mac = zalo_mac(self.app_id, body, timestamp, demo.webhook_secret)
        self.courier.call_later(
            "zalo receipt",
            demo.delay,
            "POST",
            demo.hook_url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "X-ZEvent-Signature": f"mac={mac}",
                "X-ZEvent-Server": "ZNS",
            },
            retry_header="num_retry",
        )


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _chat_message(message: object) -> bool:
    """A text, or an attachment: what an OA chat message may carry."""
    if not isinstance(message, dict):
        return False
    text, attachment = message.get("text"), message.get("attachment")
    return (isinstance(text, str) and bool(text)) or isinstance(attachment, dict)


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
        # Imported here: the adapter pulls in the app's logger, which reads the environment the
        # stack sets only once it starts (this module is imported before).
        from chalicelib.messaging.providers.zns import refresh_access_token

        with self._lock:
            self.refresh_calls += 1
            if stale != self._access:
                return self._access
            pair = refresh_access_token(
                self._pool, self._app_id, self._secret_key, self._refresh, self._oauth_url
            )
            self._access, self._refresh = pair.access_token, pair.refresh_token
            return self._access
