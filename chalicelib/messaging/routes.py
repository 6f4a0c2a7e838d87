"""Staff routes for the outbox: every message with its delivery state and cost, one message's
history, and a retry. Every route checks the bearer token and the caller's role."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.phone import normalize_vn_mobile, phone_key
from chalicelib.core.settings import get_settings
from chalicelib.messaging import wiring as messaging_wiring
from chalicelib.messaging.views import staff_message_view
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.outbox.model import DeliveryState
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    cors_for,
    json_response,
    maps_domain_errors,
    query_int,
)

console_messages = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.ACCOUNTANT})
RETRIERS = frozenset({Role.ADMIN, Role.CS})
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
_QUERY = frozenset({"status", "phone", "limit", "cursor"})
CURSOR_SCOPE = "messages"


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_messages.current_request, get_settings(), allowed)


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_messages.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _status(raw: str | None) -> DeliveryState | None:
    if raw is None:
        return None
    try:
        return DeliveryState(raw)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "message_status_invalid")]) from None


@console_messages.route("/messages", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_messages() -> Response:
    """``GET /messages?status=failed&phone=0912345678&limit=50&cursor=…``: newest first."""
    from chalicelib.messaging import message_log  # the outbox: loaded by the first call

    _staff(READERS)
    params = _query()
    settings = get_settings()
    status = _status(params.get("status"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    now = datetime.now(UTC)
    if "phone" in params:
        if "cursor" in params:
            raise Invalid(fields=[FieldError("cursor", "cursor_invalid")])
        page = message_log.messages_to(
            settings.brand_id,
            phone_key(platform_wiring.secrets().pepper, normalize_vn_mobile(params["phone"])),
            status=status,
            now=now,
            log=outbox_wiring.notification_repository(),
        )
    else:
        page = message_log.list_messages(
            settings.brand_id,
            status=status,
            limit=limit,
            cursor=platform_wiring.cursors().decode(CURSOR_SCOPE, params.get("cursor")),
            log=outbox_wiring.notification_repository(),
        )
    brand = messaging_wiring.brand_messaging()
    from chalicelib.outbox.model import spend_bucket

    spent = outbox_wiring.notification_repository().spent(
        spend_bucket(settings.brand_id, business_day(now))
    )
    return json_response(
        {
            "messages": [staff_message_view(m) for m in page.messages],
            "next_cursor": platform_wiring.cursors().encode(CURSOR_SCOPE, page.cursor),
            "page": {
                "count": len(page.messages),
                "cost_vnd": str(page.cost),
                "by_status": page.by_status,
            },
            "today": {
                "spent_vnd": str(spent),
                "cap_vnd": None
                if brand.daily_spend_cap_vnd is None
                else str(brand.daily_spend_cap_vnd),
            },
        }
    )


@console_messages.route("/messages/{message_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_message(message_id: str) -> Response:
    from chalicelib.messaging import message_log  # the outbox: loaded by the first call

    _staff(READERS)
    message = message_log.message_detail(
        get_settings().brand_id,
        _message_id(message_id),
        log=outbox_wiring.notification_repository(),
    )
    return json_response(staff_message_view(message, detail=True))


@console_messages.route("/messages/{message_id}/retry", methods=["POST"], cors=CORS)
@maps_domain_errors
def retry_message(message_id: str) -> Response:
    from chalicelib.messaging import message_log  # the outbox: loaded by the first call

    principal = _staff(RETRIERS)
    message = message_log.retry(
        get_settings().brand_id,
        _message_id(message_id),
        now=datetime.now(UTC),
        by=principal.username,
        log=outbox_wiring.notification_repository(),
    )
    return json_response(staff_message_view(message, detail=True), status=202)


def _message_id(raw: str) -> str:
    if not (2 < len(raw) <= 64) or not raw.replace("_", "").isalnum() or not raw.isascii():
        raise NotFound("message_not_found")
    return raw
