"""Provider callbacks, mounted at ``/hooks``: delivery reports (eSMS, SpeedSMS, Twilio, ZNS) and
inbound messages (eSMS and SpeedSMS MO, Zalo OA chat). No sign-in: each hook is authenticated
the way its provider allows (docs/reference/zalo.md#webhooks, sms.md#esms-delivery-report,
sms.md#esms-inbound-sms, sms.md#speedsms, sms.md#twilio; docs/reference/security.md#t-c1 to #t-c5):

- eSMS DLR and SpeedSMS: unsigned, so a secret path token (a wrong one is a plain 404), and an
  eSMS report is confirmed with ``GetSendStatus`` before a final state;
- eSMS MO: ``sign`` (Base64 MD5); Twilio: ``X-Twilio-Signature`` over the PUBLIC URL; Zalo:
  ``X-ZEvent-Signature`` with a ±300 s window. A missing secret fails closed (401).

Every hook bounds its body (64 KB, else 413) and answers within 2 s (the eSMS status call has a
1.5 s budget; without an answer in time the hook says 503 and eSMS retries; a Zalo chat reply
has 0.5 s to connect and 1 s to be answered, and one Zalo did not take is only logged). A
report only ever moves a message forwards, with one conditional write
(:mod:`chalicelib.messaging.delivery_reports`), so the same report delivered three times changes
the message once. Logs carry message ids and masked phones, never a full number, a token or a
message text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import Invalid, NotFound, PayloadTooLarge, Unauthorized
from chalicelib.core.i18n import both, text
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.messaging import wiring as messaging_wiring
from chalicelib.messaging.webhook_signatures import verify_esms_mo, verify_twilio, verify_zalo
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.outbox.model import DeliveryState
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import JSON_ROUTE_TYPES, json_response, maps_domain_errors, read_body

if TYPE_CHECKING:
    from chalicelib.activation import inbound_service
    from chalicelib.outbox.model import OutboundMessage

hooks = Blueprint(__name__)

MAX_HOOK_BODY = 64 * 1024
MAX_MO_CONTENT = 1024  # bytes of UTF-8 (docs/reference/security.md#t-c15: content ≤ 1 kB)
MAX_PARAMETERS = 40
DEFAULT_PARAMETER_LENGTH = 256
FORM = ["application/x-www-form-urlencoded"]
OK = {"ok": True}
_S = DeliveryState

# eSMS MO (sms.md#esms-inbound-sms): what the parameters we use may hold (others:
# DEFAULT_PARAMETER_LENGTH);
# ``content`` is bounded in bytes (MAX_MO_CONTENT).
MO_LIMITS = {"sender": 20, "sign": 64, "cpid": 64, "smsid": 64, "receiverTime": 32}
# eSMS DLR (sms.md#esms-delivery-report): ids and figures; ``error_info`` (Zalo via eSMS) may be a
# longer JSON text.
DLR_LIMITS = {"SMSID": 64, "RequestId": 64, "SendStatus": 4, "error_info": 1024}
TWILIO_STATES = {"delivered": _S.DELIVERED, "undelivered": _S.FAILED, "failed": _S.FAILED}


# --- eSMS --------------------------------------------------------------------------------------


@hooks.route("/esms/dlr/{token}", methods=["GET"])
@maps_domain_errors
def on_esms_delivery_report(token: str) -> Response:
    """eSMS delivery report (sms.md#esms-delivery-report): a hint, confirmed by ``GetSendStatus``
    before a final state."""
    from chalicelib.messaging import delivery_reports
    from chalicelib.messaging.providers.http import json_int

    _require_path_token(token)
    params = _query(DLR_LIMITS)
    message = _message(params.get("RequestId", ""))
    sms_id = params.get("SMSID", "")
    if message is None or not sms_id or not _sent_by(message, "esms", sms_id):
        return _ignored("esms", "unknown_message", params.get("RequestId", ""))
    if json_int(params.get("SendStatus")) not in delivery_reports.ESMS_FINAL:
        return json_response(OK)
    checker = messaging_wiring.hook_status_client()
    if checker is None:
        return _ignored("esms", "esms_not_configured", message.message_id)
    from chalicelib.messaging.providers.esms import EsmsStatusError

    try:
        status = checker.status(sms_id)
    except EsmsStatusError as exc:
        if exc.reason.startswith("code_"):  # eSMS answered: it does not know this SMSID
            return _ignored("esms", "status_refused", message.message_id)
        logger.warning(
            "delivery report unconfirmed",
            extra={"provider": "esms", "message_id": message.message_id, "reason": exc.reason},
        )
        return _unavailable()
    state = delivery_reports.esms_state(status.send_status, status.success, status.failed)
    if state is None:
        return json_response(OK)
    price = status.total_price
    error = None if state is _S.DELIVERED else f"esms_status_{status.send_status}"
    _apply(message, state, "esms", sms_id, error, price)
    return json_response(OK)


@hooks.route("/esms/mo", methods=["GET"])
@maps_domain_errors
def on_esms_inbound_message() -> Response:
    """eSMS inbound SMS (sms.md#esms-inbound-sms): ``sign`` verified, answered with the XML eSMS
    sends back."""
    from chalicelib.activation import inbound_service as inbound_service  # loaded by the first call

    params = _query(MO_LIMITS, content_key="content")
    config = messaging_wiring.esms_config()
    cpid = params.get("cpid", "")
    if (
        config is None
        or not config.mo_private_key
        or (config.mo_cpid is not None and cpid != config.mo_cpid)
        or not verify_esms_mo(
            params.get("sign", ""),
            cpid,
            params.get("smsid", ""),
            params.get("content", ""),
            params.get("receiverTime", ""),
            config.mo_private_key,
        )
    ):
        raise Unauthorized("signature_invalid")
    sender, smsid = params.get("sender", ""), params.get("smsid", "")
    if not sender or not smsid:
        raise Invalid("hook_parameter_invalid", parameter="sender" if smsid else "smsid")
    inbound = inbound_service.InboundText(
        channel="sms",
        provider="esms",
        provider_message_id=smsid,
        sender_phone_raw=sender,
        text=params.get("content", ""),
        received_at=datetime.now(UTC),
        sent_at=esms_receiver_time(params.get("receiverTime", "")),
    )
    reply = _handle_inbound(inbound)
    return Response(
        body=mo_reply_xml(reply.text, smsid=smsid, receiver=sender),
        status_code=200,
        headers={"Content-Type": "text/xml; charset=utf-8", "Cache-Control": "no-store"},
    )


def esms_receiver_time(value: str) -> datetime:
    """eSMS's ``receiverTime`` (``yyyyMMddhhmmss``, Vietnam's time, sms.md#esms-inbound-sms).

    >>> esms_receiver_time("20250101103000").isoformat()
    '2025-01-01T10:30:00+07:00'
    """
    from chalicelib.catalog.warranty import BUSINESS_TIMEZONE

    try:
        if len(value) != 14 or not value.isdigit():
            raise ValueError(value)
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=BUSINESS_TIMEZONE)
    except ValueError:
        raise Invalid("hook_parameter_invalid", parameter="receiverTime") from None


def mo_reply_xml(message: str, *, smsid: str, receiver: str) -> str:
    """The answer eSMS expects to an MO (sms.md#esms-inbound-sms), with the closing tags spelled
    right.

    >>> mo_reply_xml("BH <so serial> & co", smsid="MO123", receiver="84901888484")
    '<ClientResponse><Message>BH &lt;so serial&gt; &amp; co</Message><Smsid>MO123</Smsid>\
<Receiver>84901888484</Receiver></ClientResponse>'
    """
    return (
        f"<ClientResponse><Message>{escape(message)}</Message>"
        f"<Smsid>{escape(smsid)}</Smsid><Receiver>{escape(receiver)}</Receiver></ClientResponse>"
    )


# --- SpeedSMS ----------------------------------------------------------------------------------


@hooks.route("/speedsms/{token}", methods=["POST"], content_types=JSON_ROUTE_TYPES)
@maps_domain_errors
def on_speedsms_callback(token: str) -> Response:
    """SpeedSMS callback (sms.md#speedsms): a delivery report, or an MO (a body with ``content``)
    whose reply is queued in the outbox (SpeedSMS takes no reply in the response)."""
    from chalicelib.messaging.providers.http import json_int

    _require_path_token(token)
    body = _json_object(read_body(hooks.current_request, MAX_HOOK_BODY))
    if "content" in body:
        return _speedsms_inbound(body)
    tran_id, status = body.get("tranId"), json_int(body.get("status"))
    if not isinstance(tran_id, int | str) or isinstance(tran_id, bool) or status is None:
        raise Invalid(
            "hook_parameter_invalid", parameter="tranId" if status is not None else "status"
        )
    provider_id = _bounded(str(tran_id), "tranId", 64)
    message_id = outbox_wiring.notification_repository().find_by_provider_ref(
        "speedsms", provider_id
    )
    message = _message(message_id or "")
    if message is None:
        return _ignored("speedsms", "unknown_message", provider_id)
    state = _S.DELIVERED if status == 0 else _S.FAILED
    error = None if status == 0 else f"speedsms_{status}"
    _apply(message, state, "speedsms", provider_id, error, None)
    return json_response(OK)


def _speedsms_inbound(body: Mapping[str, Any]) -> Response:
    from chalicelib.activation import inbound_service as inbound_service  # loaded by the first call

    content, phone = body.get("content"), body.get("phone")
    if not isinstance(content, str) or not isinstance(phone, str) or not phone:
        raise Invalid(
            "hook_parameter_invalid", parameter="content" if isinstance(phone, str) else "phone"
        )
    if len(content.encode("utf-8")) > MAX_MO_CONTENT:
        raise PayloadTooLarge("content_too_long", max_bytes=MAX_MO_CONTENT)
    inbound = inbound_service.InboundText(
        channel="sms",
        provider="speedsms",
        provider_message_id=_speedsms_inbound_id(body, phone, content),
        sender_phone_raw=_bounded(phone, "phone", 20),
        text=content,
        received_at=datetime.now(UTC),
    )
    reply = _handle_inbound(inbound)
    inbound_service.queue_reply(
        inbound,
        reply,
        outbox=outbox_wiring.notification_repository(),
        brand_id=get_settings().brand_id,
        pepper=platform_wiring.secrets().pepper,
    )
    return json_response(OK)


def _speedsms_inbound_id(body: Mapping[str, Any], phone: str, content: str) -> str:
    """SpeedSMS's MO carries no documented id (sms.md#speedsms): its own id when one is there, else
    a digest of what it carries, so the same delivery repeated is recognised."""
    for name in ("id", "smsId", "moId", "tranId"):
        value = body.get(name)
        if isinstance(value, int | str) and not isinstance(value, bool) and str(value):
            return _bounded(str(value), name, 64)
    digest = hashlib.sha256("\x1f".join((phone, content, str(body.get("type")))).encode())
    return "h_" + digest.hexdigest()[:32]


# --- Twilio ------------------------------------------------------------------------------------


@hooks.route("/twilio/status", methods=["POST"], content_types=FORM)
@maps_domain_errors
def on_twilio_status() -> Response:
    """Twilio status callback (sms.md#twilio), verified against the public URL Twilio was given."""
    request = hooks.current_request
    raw = read_body(request, MAX_HOOK_BODY)
    try:
        params = parse_qs(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unauthorized("signature_invalid") from exc
    sms = messaging_wiring.brand_messaging().sms
    twilio = sms.twilio if sms is not None else None
    from chalicelib.messaging.wiring import twilio_callback_url

    url = twilio_callback_url(messaging_wiring.messaging_config().hooks)
    signature = request.headers.get("x-twilio-signature", "")
    if twilio is None or not verify_twilio(signature, twilio.auth_token, url, params):
        raise Unauthorized("signature_invalid")
    sid = _single(params, "MessageSid")
    state = TWILIO_STATES.get(_single(params, "MessageStatus"))
    message_id = (
        outbox_wiring.notification_repository().find_by_provider_ref("twilio", sid) if sid else None
    )
    message = _message(message_id or "")
    if message is None:
        return _ignored("twilio", "unknown_message", sid)
    if state is None:  # queued, sent, accepted…: not news
        return json_response(OK)
    error = None if state is _S.DELIVERED else (_single(params, "ErrorCode") or "twilio_failed")
    _apply(message, state, "twilio", sid, error[:20] if error else None, None)
    return json_response(OK)


def _single(params: Mapping[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[-1][:64]


# --- Zalo --------------------------------------------------------------------------------------


@hooks.route("/zalo", methods=["POST"], content_types=JSON_ROUTE_TYPES)
@maps_domain_errors
def on_zalo_event() -> Response:
    """Zalo OA / ZNS events (zalo.md#webhooks): the ZNS receipt, the OA chat and a user's shared
    phone; every other event is 200."""
    request = hooks.current_request
    raw = read_body(request, MAX_HOOK_BODY)
    zns = messaging_wiring.brand_messaging().zns
    now = datetime.now(UTC)
    signature = request.headers.get("x-zevent-signature", "")
    if zns is None or not verify_zalo(
        signature, zns.app_id, raw, zns.webhook_secret, now_ms=int(now.timestamp() * 1000)
    ):
        raise Unauthorized("signature_invalid")
    event = _json_object(raw)
    body = event.get("message")
    message = body if isinstance(body, dict) else {}
    name = event.get("event_name")
    if name == "user_received_message":
        _zns_received(message, now)
    elif name == "user_send_text":
        _zalo_text(event, message, now)
    elif name == "user_submit_info":
        _zalo_shared_info(event, now)
    return json_response(OK)


def _zns_received(body: Mapping[str, Any], now: datetime) -> None:
    message_id, msg_id = str(body.get("tracking_id") or ""), str(body.get("msg_id") or "")
    message = _message(message_id)
    if message is None or not msg_id or not _sent_by(message, "zns", msg_id):
        _ignored("zns", "unknown_message", message_id)
        return
    at = _epoch_ms(body.get("delivery_time"), now)
    _apply(message, _S.DELIVERED, "zns", msg_id[:64], None, None, at=at)


def _zalo_text(event: Mapping[str, Any], body: Mapping[str, Any], now: datetime) -> None:
    """Activation by chatting to the OA, for the phone the user shared with it; answered in
    the chat (:func:`~chalicelib.activation.inbound_service.handle_zalo_text`)."""
    from chalicelib.activation import inbound_service as inbound_service  # loaded by the first call

    user_id, msg_id, content = _zalo_user(event), body.get("msg_id"), body.get("text")
    if user_id is None or not isinstance(msg_id, str) or not msg_id or not isinstance(content, str):
        _ignored("zalo", "no_text", "")
        return
    chat = messaging_wiring.oa_chat()
    if chat is None:  # unreachable: the signature check needs the same settings
        _ignored("zalo", "zalo_not_configured", msg_id)
        return
    inbound_service.handle_zalo_text(
        inbound_service.ZaloChatText(
            user_id=user_id, msg_id=msg_id[:64], text=content[:MAX_MO_CONTENT], received_at=now
        ),
        contacts=messaging_wiring.zalo_user_repository(),
        chat=chat,
        log=messaging_wiring.inbound_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        pepper=platform_wiring.secrets().pepper,
    )


def _zalo_shared_info(event: Mapping[str, Any], now: datetime) -> None:
    """The phone and name a user shared with the OA (Zalo-verified): stored, thanked in the
    chat (:func:`~chalicelib.activation.inbound_service.record_shared_info`)."""
    from chalicelib.activation import inbound_service as inbound_service  # loaded by the first call

    user_id, info, timestamp = _zalo_user(event), event.get("info"), event.get("timestamp")
    if user_id is None or not isinstance(info, dict) or not isinstance(timestamp, str):
        _ignored("zalo", "no_info", "")
        return
    chat = messaging_wiring.oa_chat()
    if chat is None:  # unreachable: the signature check needs the same settings
        _ignored("zalo", "zalo_not_configured", "")
        return
    phone, name = info.get("phone"), info.get("name")
    inbound_service.record_shared_info(
        inbound_service.ZaloSharedInfo(
            user_id=user_id,
            phone_raw=phone if isinstance(phone, str) else "",
            name_raw=name if isinstance(name, str) else "",
            timestamp=timestamp[:32],
            received_at=now,
        ),
        contacts=messaging_wiring.zalo_user_repository(),
        chat=chat,
        log=messaging_wiring.inbound_repository(),
    )


def _zalo_user(event: Mapping[str, Any]) -> str | None:
    """``sender.id``: the user's id for our OA (a string of digits, zalo.md#webhooks), else
    ``None``."""
    sender = event.get("sender")
    user_id = sender.get("id") if isinstance(sender, dict) else None
    if isinstance(user_id, str) and 0 < len(user_id) <= 64 and user_id.isalnum():
        return user_id
    return None


def _epoch_ms(value: object, now: datetime) -> datetime:
    """A Zalo millisecond timestamp string, never later than ``now``; ``now`` if unreadable,
    or past the calendar (``"9999999999999999"`` is year 318857: ``fromtimestamp`` refuses it).
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 16:
        try:
            return min(datetime.fromtimestamp(int(value) / 1000, UTC), now)
        except (ValueError, OverflowError, OSError):
            return now
    return now


# --- shared ------------------------------------------------------------------------------------


def _handle_inbound(inbound: inbound_service.InboundText) -> inbound_service.InboundReply:
    from chalicelib.activation import inbound_service as inbound_service  # loaded by the first call

    return inbound_service.handle_inbound(
        inbound,
        log=messaging_wiring.inbound_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        pepper=platform_wiring.secrets().pepper,
    )


def _require_path_token(token: str) -> None:
    """The unsigned providers' shared secret, compared in constant time; wrong → 404."""
    expected = messaging_wiring.messaging_config().hooks.path_token
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise NotFound("not_found")


def _query(limits: Mapping[str, int], content_key: str | None = None) -> dict[str, str]:
    """The query parameters, one value each, every one bounded (``content_key`` in bytes)."""
    request = hooks.current_request
    read_body(request, MAX_HOOK_BODY)
    query = request.query_params
    if query is None:
        return {}
    if len(query) > MAX_PARAMETERS:
        raise Invalid("hook_parameter_invalid", parameter="count")
    params: dict[str, str] = {}
    for name in query:
        values = query.getlist(name)
        if len(name) > 64 or len(values) != 1:
            raise Invalid("hook_parameter_invalid", parameter=name[:64])
        value = str(values[0])
        if name == content_key:
            if len(value.encode("utf-8")) > MAX_MO_CONTENT:
                raise PayloadTooLarge("content_too_long", max_bytes=MAX_MO_CONTENT)
        else:
            value = _bounded(value, name, limits.get(name, DEFAULT_PARAMETER_LENGTH))
        params[name] = value
    return params


def _bounded(value: str, name: str, limit: int) -> str:
    if len(value) > limit or not value.isprintable():
        raise Invalid("hook_parameter_invalid", parameter=name[:64])
    return value


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise Invalid("malformed_json") from exc
    if not isinstance(value, dict):
        raise Invalid("body_must_be_object")
    return value


def _message(message_id: str) -> OutboundMessage | None:
    from chalicelib.messaging import delivery_reports

    return delivery_reports.find(message_id, outbox=outbox_wiring.notification_repository())


def _sent_by(message: OutboundMessage, provider: str, provider_message_id: str) -> bool:
    from chalicelib.messaging import delivery_reports

    return delivery_reports.sent_by(message, provider, provider_message_id)


def _apply(
    message: OutboundMessage,
    state: DeliveryState,
    provider: str,
    provider_message_id: str,
    error_code: str | None,
    cost: Decimal | None,
    *,
    at: datetime | None = None,
) -> None:
    from chalicelib.messaging import delivery_reports

    delivery_reports.apply(
        message,
        delivery_reports.ProviderReport(
            state, provider, provider_message_id, error_code, cost, at or datetime.now(UTC)
        ),
        outbox=outbox_wiring.notification_repository(),
    )


def _ignored(provider: str, reason: str, reference: str) -> Response:
    logger.info(
        "callback ignored",
        extra={"provider": provider, "reason": reason, "reference": reference[:64]},
    )
    return json_response(OK)


def _unavailable() -> Response:
    code = "provider_status_unavailable"
    # our error shape; the message in English first: the reader is the provider's retry log
    body = {"error": {"code": code, "message": text(code, "en"), "messages": both(code)}}
    return json_response(body, 503, {"Retry-After": "60"})
