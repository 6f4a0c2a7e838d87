"""Local-stage helpers. Registered on every stage so the answer elsewhere is a plain 404."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.core.errors import NotFound
from chalicelib.core.phone import normalize_vn_mobile
from chalicelib.core.settings import get_settings
from chalicelib.messaging.views import inbox_message_view
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors

dev_routes = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)


@dev_routes.route("/inbox", methods=["GET"], cors=CORS)
@maps_domain_errors
def dev_inbox() -> Response:
    """What the dev inbox "received" for a phone: ``GET /dev/inbox?phone=0912345678``."""
    if not get_settings().is_local:
        raise NotFound("not_found")
    params: dict[str, str] = dict(dev_routes.current_request.query_params or {})
    phone = normalize_vn_mobile(params.get("phone"))
    from chalicelib.outbox import compose as notifications

    messages = notifications.inbox(
        phone,
        now=datetime.now(UTC),
        pepper=platform_wiring.secrets().pepper,
        outbox=outbox_wiring.notification_repository(),
    )
    return json_response({"messages": [inbox_message_view(m) for m in messages]})
