"""The embedded stack's Zalo and eSMS: the fakes of ``devstack.fakes`` in their demo mode, on one
port (``GARANTI_PROVIDERS_PORT``, default 8002), so the app sends real provider HTTP locally.

The brand's messaging settings (:meth:`Providers.messaging_config`) point ZNS and eSMS here, so
an activation makes one ZNS call; its receipt comes back signed to ``/hooks/zalo``; a number
ending in 9 has no Zalo account and falls back to SMS, whose DLR comes back to
``/hooks/esms/dlr/<token>`` (unless the number's reports are lost: then only ``GetSendStatus``
tells); our replies in the OA chat come to ``/zalo/v3.0/oa/message/cs``. Routes::

    /zalo/message/template, /zalo/v4/oa/access_token   FakeZalo (the brand's send_url, oauth_url)
    /zalo/v3.0/oa/message/cs                           FakeZalo's OA chat (the brand's oa_url)
    /esms/MainService.svc/json/…                       FakeEsms (the brand's base_url)
    POST /_demo/mo {"phone": "0912345678", "text": "BH SN…"}
                                    a signed MO to our /hooks/esms/mo; answers our reply as it came
    POST /_demo/zalo {"user_id": "u123", "text": "BH SN…", "phone": "0912345678"}
                                    a signed user_submit_info (only with "phone") and user_send_text
                                    to our /hooks/zalo; answers what the OA chat then got for u123
    POST /_demo/lost-reports {"phone": "0912345679"}
                                    eSMS accepts and delivers this number's SMS from now on, but
                                    their DLR never comes (GetSendStatus still says delivered)
    GET  /_demo/sent                what the fakes received (phones masked) and the calls they made

The credentials (Zalo app and OA, the first token pair, eSMS keys, the MO key, the hooks' path
token) are generated once and kept in ``providers.json`` in the data folder (mode 0600).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from devstack.config import HOST, StackError
from devstack.fakes.http import (
    CallbackAttempt,
    CallbackFailed,
    CallbackReply,
    FakeHttp,
    QuietHttpServer,
)
from devstack.fakes.sms import ESMS_SEND_PATH, ESMS_STATUS_PATH, EsmsDemo, FakeEsms
from devstack.fakes.zalo import CHAT_PATH as ZALO_CHAT_PATH
from devstack.fakes.zalo import SEND_PATH as ZALO_SEND_PATH
from devstack.fakes.zalo import FakeZalo, ZaloDemo
from devstack.provision import messaging_config

logger = logging.getLogger(__name__)

ZALO_PREFIX = "/zalo"
ESMS_PREFIX = "/esms"
JSON = "application/json; charset=utf-8"
# what Zalo gives a pair (zalo.md#token-refresh), and the fake's expires_in
TOKEN_LIFETIME_SECONDS = 90000
JOURNAL_SIZE = 200

# Made-up ZNS templates: the parameter names a real template would have, mapped to our fields.
ACTIVATION_TEMPLATE_ID = "7895417a7d3f9461cd2e"
LOOKUP_TEMPLATE_ID = "4b1f0c2d9e8a7b6c5d3e"
DEALER_UNACTIVATED_TEMPLATE_ID = "5c2e1d0f8a9b7c6d4e3f"
# A service request's messages (issue 15): one made-up ZNS template each, the same parameters
# (and the quote or the return date).
CLAIM_TEMPLATES = {
    "claim_received": ("6a1c2e3d4f5a6b7c8d01", {}),
    "claim_quoted": ("6a1c2e3d4f5a6b7c8d02", {"quote": "quote"}),
    "claim_accepted": ("6a1c2e3d4f5a6b7c8d03", {}),
    "claim_return_date": ("6a1c2e3d4f5a6b7c8d04", {"return_date": "return_date"}),
    "claim_ready": ("6a1c2e3d4f5a6b7c8d05", {}),
    "claim_returned": ("6a1c2e3d4f5a6b7c8d06", {}),
    "claim_cancelled": ("6a1c2e3d4f5a6b7c8d07", {}),
}
_CLAIM_PARAMS = {
    "customer": "customer_name",
    "request": "claim_id",
    "product": "model",
    "serial": "serial",
    "link": "tracking_url",
}
# A maintenance reminder (issue 16): the first and the second, the same parameters.
MAINTENANCE_TEMPLATES = {
    "maintenance_due": "7b2d3e4f5a6b7c8d9e01",
    "maintenance_due_again": "7b2d3e4f5a6b7c8d9e02",
}
_MAINTENANCE_PARAMS = {
    "customer": "customer_name",
    "product": "model",
    "serial": "serial",
    "item": "component",
    "due_date": "due_date",
    "link": "booking_url",
}
TEMPLATES = {
    **{
        kind: {"zns_template_id": template_id, "zns_params": {**_CLAIM_PARAMS, **extra}}
        for kind, (template_id, extra) in CLAIM_TEMPLATES.items()
    },
    **{
        kind: {"zns_template_id": template_id, "zns_params": _MAINTENANCE_PARAMS}
        for kind, template_id in MAINTENANCE_TEMPLATES.items()
    },
    "activation_confirmed": {
        "zns_template_id": ACTIVATION_TEMPLATE_ID,
        "zns_params": {
            "customer": "customer_name",
            "product": "model",
            "serial": "serial",
            "warranty_end": "warranty_end",
            "certificate_url": "certificate_url",
        },
    },
    "lookup_code": {"zns_template_id": LOOKUP_TEMPLATE_ID, "zns_params": {"otp": "code"}},
    # the weekly dealer nudge (issue 14)
    "dealer_unactivated": {
        "zns_template_id": DEALER_UNACTIVATED_TEMPLATE_ID,
        "zns_params": {
            "dealer": "dealer_name",
            "count": "count",
            "days": "days",
            "oldest": "oldest",
            "serials": "serials",
            "link": "url",
        },
    },
}


# -- credentials ------------------------------------------------------------------------------


def _digits(count: int) -> str:
    return str(secrets.randbelow(9 * 10 ** (count - 1)) + 10 ** (count - 1))


@dataclass(frozen=True)
class ZaloCredentials:
    app_id: str
    oa_id: str
    secret_key: str = field(repr=False)  # the app's: the refresh call's header
    webhook_secret: str = field(repr=False)  # the OA's: signs receipts
    access_token: str = field(repr=False)  # the first pair, seeded once
    refresh_token: str = field(repr=False)

    @property
    def token_id(self) -> str:
        return f"zalo#{self.oa_id}"


@dataclass(frozen=True)
class EsmsCredentials:
    api_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    brandname: str
    mo_cpid: str
    mo_private_key: str = field(repr=False)


@dataclass(frozen=True)
class ProviderCredentials:
    zalo: ZaloCredentials
    esms: EsmsCredentials
    hooks_path_token: str = field(repr=False)  # the DLR callback's secret path

    @classmethod
    def generate(cls) -> ProviderCredentials:
        return cls(
            zalo=ZaloCredentials(
                app_id=_digits(19),  # Zalo's ids are 19-digit strings (zalo.md#webhooks)
                oa_id=_digits(19),
                secret_key=secrets.token_urlsafe(24),
                webhook_secret=secrets.token_urlsafe(24),
                access_token=secrets.token_urlsafe(32),
                refresh_token=secrets.token_urlsafe(32),
            ),
            esms=EsmsCredentials(
                api_key=secrets.token_hex(16).upper(),
                secret_key=secrets.token_hex(16).upper(),
                brandname="GARANTI",
                mo_cpid="CP" + _digits(4),
                mo_private_key=secrets.token_hex(16),
            ),
            hooks_path_token=secrets.token_urlsafe(32),
        )

    @classmethod
    def from_json(cls, raw: str) -> ProviderCredentials:
        """``ValueError``/``TypeError``/``KeyError`` for a file that is not ours."""
        data = json.loads(raw)
        return cls(
            zalo=ZaloCredentials(**data["zalo"]),
            esms=EsmsCredentials(**data["esms"]),
            hooks_path_token=str(data["hooks_path_token"]),
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def load_or_create_credentials(path: Path) -> ProviderCredentials:
    """The fake providers' credentials, generated once: a restart keeps the OA, the keys and
    the hooks' path token (and the token pair the tables hold stays valid)."""
    if path.exists():
        try:
            return ProviderCredentials.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise StackError(
                f"cannot read {path} ({type(exc).__name__}): delete it, or `make reset`"
            ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    credentials = ProviderCredentials.generate()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(credentials.to_json())
    logger.info("generated fake provider credentials", extra={"path": str(path)})
    return credentials


# -- the providers ------------------------------------------------------------------------------


def mask_phone(phone: object) -> str:
    """``0912345678`` → ``*******678``: enough to tell numbers apart on a demo screen."""
    text = str(phone or "")
    return "*" * max(len(text) - 3, 0) + text[-3:]


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


Reply = tuple[int, str, bytes] | None  # status, content type, body; None: drop the connection


def _zalo_demo_request(request: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """``(user_id, text, phone, name)`` of a ``/_demo/zalo`` body (``phone`` and ``name``
    optional, ``""`` when absent), or ``None`` when it is not one."""
    user_id, text = request.get("user_id"), request.get("text")
    phone, name = request.get("phone") or "", request.get("name") or ""
    if not isinstance(user_id, str) or not user_id.isalnum() or len(user_id) > 64:
        return None
    if not isinstance(text, str) or not text.strip():
        return None
    if not isinstance(phone, str) or not isinstance(name, str):
        return None
    return user_id, text, phone, name


def _chat_entry(message: object) -> dict[str, Any]:
    """An OA chat message as the demo shows it: ``{"text": …}``, or the share card as
    ``{"request_user_info": {"title": …, "subtitle": …}}``."""
    if not isinstance(message, dict):
        return {"message": None}
    if isinstance(message.get("text"), str):
        return {"text": message["text"]}
    attachment = message.get("attachment")
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    if isinstance(payload, dict) and payload.get("template_type") == "request_user_info":
        elements = payload.get("elements")
        first = elements[0] if isinstance(elements, list) and elements else {}
        card = {k: first.get(k) for k in ("title", "subtitle")} if isinstance(first, dict) else {}
        return {"request_user_info": card}
    return {"message": message}


class Providers:
    """FakeZalo and FakeEsms (demo mode) behind one HTTP server on ``port``, calling back the
    API at ``public_url``."""

    def __init__(
        self,
        credentials: ProviderCredentials,
        *,
        port: int,
        public_url: str,
        callback_delay: float = 0.5,
        night_window: bool = False,
    ) -> None:
        self.credentials = credentials
        self.night_window = night_window
        self.port = port
        self.public_url = public_url.rstrip("/")
        zalo, esms = credentials.zalo, credentials.esms
        self.zalo = FakeZalo(
            app_id=zalo.app_id,
            secret_key=zalo.secret_key,
            access_token=zalo.access_token,
            refresh_tokens={zalo.refresh_token},
            expires_in=str(TOKEN_LIFETIME_SECONDS),
            demo=ZaloDemo(
                hook_url=f"{self.public_url}/hooks/zalo",
                oa_id=zalo.oa_id,
                webhook_secret=zalo.webhook_secret,
                delay=callback_delay,
            ),
        )
        self.esms = FakeEsms(
            api_key=esms.api_key,
            secret_key=esms.secret_key,
            brandname=esms.brandname,
            demo=EsmsDemo(
                mo_url=f"{self.public_url}/hooks/esms/mo",
                mo_cpid=esms.mo_cpid,
                mo_private_key=esms.mo_private_key,
                delay=callback_delay,
            ),
        )
        self._journal: deque[dict[str, Any]] = deque(maxlen=JOURNAL_SIZE)
        self._lock = threading.Lock()
        self._server: QuietHttpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # -- the app's settings ---------------------------------------------------------------------

    def brand_config(self) -> dict[str, Any]:
        """The brand's messaging block (``chalicelib.messaging.config``)."""
        zalo, esms = self.credentials.zalo, self.credentials.esms
        return {
            "zns": {
                "app_id": zalo.app_id,
                "oa_id": zalo.oa_id,
                "secret_key": zalo.secret_key,
                "webhook_secret": zalo.webhook_secret,
                "send_url": self.url + ZALO_PREFIX,
                "oauth_url": self.url + ZALO_PREFIX,
                "oa_url": self.url + ZALO_PREFIX,
            },
            "sms": {
                "provider": "esms",
                "esms": {
                    "api_key": esms.api_key,
                    "secret_key": esms.secret_key,
                    "brandname": esms.brandname,
                    "base_url": self.url + ESMS_PREFIX,
                    "sandbox": False,
                    "mo_private_key": esms.mo_private_key,
                    "mo_cpid": esms.mo_cpid,
                },
            },
            "templates": TEMPLATES,
            "unit_cost_vnd": {"zns": "300", "sms": "850"},
            "daily_spend_cap_vnd": "2000000",
            "night_window": self.night_window,
        }

    def messaging_config(self, brand_id: str) -> str:
        """The messaging parameter's JSON: ``brand_id`` sends through these fakes."""
        return messaging_config(
            self.public_url, self.credentials.hooks_path_token, {brand_id: self.brand_config()}
        )

    def install_zalo_tokens(self) -> bool:
        """Seed the first token pair unless the table holds one, and make the fake accept the
        pair the table holds: a restart keeps a refreshed pair (the tables are restored from the
        data folder), as the real Zalo would. ``True`` when seeded. Needs the app's environment
        and the ``provider_tokens`` table."""
        # Imported here: chalicelib's persistence reads the environment the stack sets at start.
        from chalicelib.messaging.providers.zns import TokenPair, ZaloTokenError
        from chalicelib.messaging.tables import ProviderTokenRecord
        from chalicelib.messaging.token_repository import ZaloTokenStore

        zalo = self.credentials.zalo
        try:
            record = ProviderTokenRecord.get(zalo.token_id, consistent_read=True)
        except ProviderTokenRecord.DoesNotExist:
            record = None
        if record is not None:
            self.zalo.access_token = str(record.access_token)
            self.zalo.refresh_tokens = {str(record.refresh_token)}
            return False

        def no_refresh(refresh_token: str) -> TokenPair:
            raise ZaloTokenError("seeding_only")  # seed() never refreshes

        pair = TokenPair(zalo.access_token, zalo.refresh_token, TOKEN_LIFETIME_SECONDS)
        ZaloTokenStore(zalo.token_id, no_refresh).seed(pair)
        self.zalo.access_token = zalo.access_token
        self.zalo.refresh_tokens = {zalo.refresh_token}
        return True

    # -- serving --------------------------------------------------------------------------------

    def start(self) -> None:
        handler = type("ProvidersHandler", (_Handler,), {"providers": self})
        self._server = QuietHttpServer((HOST, self.port), handler)
        self.port = int(self._server.server_address[1])  # port 0: the one the OS chose
        for fake in (self.zalo, self.esms):
            fake.courier.resume()
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="devstack-providers", daemon=True
        )
        self._thread.start()
        logger.info("fake providers ready", extra={"url": self.url})

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        for fake in (self.zalo, self.esms):
            fake.courier.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def route(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> Reply:
        """Answer one request: a fake's API under its prefix, or a ``/_demo`` endpoint."""
        path = target.split("?", 1)[0]
        fakes: tuple[tuple[str, FakeHttp], ...] = (
            (ZALO_PREFIX, self.zalo),
            (ESMS_PREFIX, self.esms),
        )
        for prefix, fake in fakes:
            if path.startswith(prefix + "/"):
                if method not in fake.methods:
                    return 405, JSON, _json({"error": f"{method} is not allowed here"})
                answer = fake.handle(method, target[len(prefix) :], headers, body)
                if answer is None:
                    return None
                self._note_send(prefix, target[len(prefix) :], body, answer[1])
                return answer[0], fake.content_type, answer[1]
        if path == "/_demo/mo" and method == "POST":
            return self._demo_mo(body)
        if path == "/_demo/zalo" and method == "POST":
            return self._demo_zalo(body)
        if path == "/_demo/lost-reports" and method == "POST":
            return self._demo_lost_reports(body)
        if path == "/_demo/sent" and method == "GET":
            return 200, JSON, _json(self.sent())
        endpoints = [
            "POST /_demo/mo",
            "POST /_demo/zalo",
            "POST /_demo/lost-reports",
            "GET /_demo/sent",
            f"{ZALO_PREFIX}/…",
            f"{ESMS_PREFIX}/…",
        ]
        return 404, JSON, _json({"error": "not found", "endpoints": endpoints})

    # -- demo endpoints -------------------------------------------------------------------------

    def _demo_mo(self, body: bytes) -> Reply:
        request = _json_object(body)
        phone, text = request.get("phone"), request.get("text")
        if not isinstance(phone, str) or not isinstance(text, str):
            example = {"phone": "0912345678", "text": "BH SN240001234"}
            return 400, JSON, _json({"error": "send JSON like this", "example": example})
        try:
            reply = self.esms.deliver_mo(phone, text)
        except ValueError as exc:
            return 400, JSON, _json({"error": str(exc)})
        except CallbackFailed as exc:
            error = f"the API at {self.public_url} did not answer ({exc.reason})"
            return 502, JSON, _json({"error": error})
        logger.info("fake MO delivered", extra={"status": reply.status})
        return reply.status, reply.content_type, reply.body

    def _demo_zalo(self, body: bytes) -> Reply:
        parsed = _zalo_demo_request(_json_object(body))
        if parsed is None:
            example = {"user_id": "u123", "text": "BH SN240001234", "phone": "0912345678"}
            return 400, JSON, _json({"error": "send JSON like this", "example": example})
        user_id, text, phone, name = parsed
        already = len(self.zalo.chat_messages(user_id))
        events: list[tuple[str, Callable[[], CallbackReply]]] = []
        if phone:  # share the number with the OA first, as a tap on Zalo's card does
            share = functools.partial(self.zalo.deliver_shared_info, user_id, phone, name)
            events.append(("user_submit_info", share))
        events.append(
            ("user_send_text", functools.partial(self.zalo.deliver_chat_text, user_id, text))
        )
        hook: dict[str, int] = {}
        for event, deliver in events:
            try:
                reply = deliver()
            except CallbackFailed as exc:
                error = f"the API at {self.public_url} did not answer ({exc.reason})"
                return 502, JSON, _json({"error": error, "event": event})
            hook[event] = reply.status
            if reply.status != 200:
                error = f"the API answered {event} with HTTP {reply.status}"
                answer = reply.body.decode("utf-8", "replace")[:500]
                return 502, JSON, _json({"error": error, "answer": answer})
        replies = [_chat_entry(m) for m in self.zalo.chat_messages(user_id)[already:]]
        logger.info("fake zalo chat delivered", extra={"replies": len(replies)})
        return 200, JSON, _json({"user_id": user_id, "hook": hook, "replies": replies})

    def _demo_lost_reports(self, body: bytes) -> Reply:
        phone = _json_object(body).get("phone")
        try:
            national = self.esms.lose_reports_for(phone if isinstance(phone, str) else "")
        except ValueError as exc:
            return 400, JSON, _json({"error": str(exc), "example": {"phone": "0912345679"}})
        logger.info("fake esms loses reports", extra={"phone": mask_phone(national)})
        return 200, JSON, _json({"phone": mask_phone(national), "dlr": "lost"})

    def sent(self) -> dict[str, list[dict[str, Any]]]:
        """What the fakes received (oldest first) and the calls they made to our hooks."""
        with self._lock:
            received = list(self._journal)
        attempts: list[CallbackAttempt] = [
            *self.zalo.courier.attempts,
            *self.esms.courier.attempts,
        ]
        attempts.sort(key=lambda attempt: attempt.at)
        callbacks = [
            {"at": _iso(a.at), "hook": a.name, "attempt": a.attempt, "status": a.status}
            for a in attempts[-JOURNAL_SIZE:]
        ]
        return {"sent": received, "callbacks": callbacks}

    def _note_send(self, prefix: str, target: str, body: bytes, answer: bytes) -> None:
        url = urlsplit(target)
        path, request, reply = url.path, _json_object(body), _json_object(answer)
        now = _iso(datetime.now(UTC).timestamp())
        if prefix == ESMS_PREFIX and path == ESMS_STATUS_PATH:
            self._note_status_query(now, parse_qs(url.query).get("RefId", [""])[0], reply)
            return
        if prefix == ZALO_PREFIX and path == ZALO_SEND_PATH:
            data = reply.pop("data", None)
            if isinstance(data, dict) and data.get("msg_id"):
                reply["msg_id"] = data["msg_id"]
            entry = {
                "at": now,
                "provider": "zalo",
                "phone": mask_phone(request.get("phone")),
                "template_id": request.get("template_id"),
                "template_data": request.get("template_data"),
                "tracking_id": request.get("tracking_id"),
                "answer": reply,
            }
        elif prefix == ZALO_PREFIX and path == ZALO_CHAT_PATH:
            recipient = request.get("recipient")
            entry = {
                "at": now,
                "provider": "zalo_oa",
                "user_id": recipient.get("user_id") if isinstance(recipient, dict) else None,
                **_chat_entry(request.get("message")),
                "answer": {k: v for k, v in reply.items() if k != "data"},
            }
        elif prefix == ESMS_PREFIX and path == ESMS_SEND_PATH:
            reply.pop("CountRegenerate", None)
            entry = {
                "at": now,
                "provider": "esms",
                "phone": mask_phone(request.get("Phone")),
                "text": request.get("Content"),
                "request_id": request.get("RequestId"),
                "answer": reply,
            }
            if self.esms.dlr_lost(str(reply.get("SMSID", ""))):
                entry["dlr"] = "lost"
        else:
            return
        with self._lock:
            self._journal.append(entry)
        logger.info(
            "fake provider received a send",
            extra={
                "provider": entry["provider"],
                "message_id": entry.get("tracking_id") or entry.get("request_id"),
                "answer": reply.get("error", reply.get("CodeResult")),
            },
        )

    def _note_status_query(self, now: str, sms_id: str, reply: dict[str, Any]) -> None:
        """A ``GetSendStatus`` question (the keys in its query are not kept) and the answer."""
        keep = ("CodeResponse", "SendStatus", "SendSuccess", "SendFailed", "TotalPrice")
        entry = {
            "at": now,
            "provider": "esms",
            "asked": "GetSendStatus",
            "sms_id": sms_id,
            "answer": {k: reply[k] for k in keep if k in reply},
        }
        with self._lock:
            self._journal.append(entry)
        logger.info(
            "fake provider was asked a status",
            extra={"provider": "esms", "answer": reply.get("CodeResponse")},
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    providers: ClassVar[Providers]

    def do_GET(self) -> None:
        self._reply()

    def do_POST(self) -> None:
        self._reply()

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        reply = self.providers.route(self.command, self.path, self.headers.items(), body)
        if reply is None:
            self.close_connection = True
            return
        status, content_type, payload = reply
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass
