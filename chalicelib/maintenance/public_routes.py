"""The customer's maintenance page over HTTP (``/public/maintenance/{serial}/{component}``, the
portal's ``/m/...`` page opened from a reminder's signed link): read the visit waited for, then
book a slot, put it off, or decline it."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import booking, ticket_service
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.booking_link import booking_key
from chalicelib.maintenance.lines import PlanLine
from chalicelib.maintenance.views import public_line_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
)

public_maintenance = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)
PATH = "/public/maintenance/{serial}/{component}"


def _line(serial: str, component: str) -> PlanLine:
    params: dict[str, str] = dict(public_maintenance.current_request.query_params or {})
    return booking.line_for_link(
        serial.strip().upper(),
        component.strip().upper(),
        params.get("t"),
        key=booking_key(platform_wiring.secrets().pepper),
        lines=maintenance_wiring.line_repository(),
    )


def _view(line: PlanLine) -> Response:
    model = catalog_wiring.model_cache().get(line.model_code)
    language = language_of(public_maintenance.current_request)
    return json_response(
        public_line_view(line, model, language, business_day(datetime.now(UTC))),
        headers={"Cache-Control": "no-store"},
    )


@public_maintenance.route(PATH, methods=["GET"], cors=CORS)
@maps_domain_errors
def read_maintenance_visit(serial: str, component: str) -> Response:
    """The visit the reminder's link is about (``?t=``: its token; any other: 404)."""
    return _view(_line(serial, component))


@public_maintenance.route(PATH, methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def answer_maintenance_visit(serial: str, component: str) -> Response:
    """The customer's answer: book a slot, postpone, or decline this visit."""
    from chalicelib.maintenance import schemas  # pydantic: loaded by body routes on first use

    line = _line(serial, component)
    request = parse_request(public_maintenance.current_request, schemas.AnswerRequest)
    now = datetime.now(UTC)
    after = booking.answer(
        line,
        request.to_answer(),
        today=business_day(now),
        lines=maintenance_wiring.line_repository(),
        tickets=maintenance_wiring.ticket_repository(),
        customer=lambda: ticket_service.customer_of(
            catalog_wiring.unit_repository().get(line.serial)
        ),
        at=now,
    )
    logger.info(
        "maintenance answered",
        extra={"serial": line.serial, "component": line.component.code, "action": request.action,
               "stage": after.stage.value},
    )  # fmt: skip
    return _view(after)
