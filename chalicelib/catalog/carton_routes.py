"""Staff routes for cartons (``/cartons``): the list (newest first), a new carton (a generated
SSCC or a typed code), one carton with its units, packing a scanned unit into it, taking one
out, and closing it. Admin and cs pack; admin, cs, director and technician read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog import carton_service as service
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.carton_views import carton_detail_view, carton_view, pack_view
from chalicelib.catalog.cartons import CartonStatus
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

console_cartons = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.TECHNICIAN})
WRITERS = frozenset({Role.ADMIN, Role.CS})
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
CURSOR_SCOPE = "cartons"
_QUERY = frozenset({"status", "limit", "cursor"})
MAX_BODY = 1024


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_cartons.current_request, get_settings(), allowed)


def _change(principal: Principal) -> service.Change:
    request = console_cartons.current_request
    context = getattr(request, "lambda_context", None)
    found = getattr(context, "aws_request_id", None) or (request.context or {}).get("requestId")
    return service.Change(principal.username, datetime.now(UTC), str(found or uuid.uuid4().hex))


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_cartons.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _status(raw: str | None) -> CartonStatus | None:
    if raw is None or raw == "":
        return None
    try:
        return CartonStatus(raw)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "carton_status_invalid")]) from None


@console_cartons.route("/cartons", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_cartons() -> Response:
    """``GET /cartons[?status=open|closed]``: newest first, paged by ``cursor``."""
    _staff(READERS)
    params = _query()
    status = _status(params.get("status"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"{CURSOR_SCOPE}-{status.value if status else 'all'}"
    cursors = platform_wiring.cursors()
    page = service.page(
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        status=status,
        cartons=catalog_wiring.carton_repository(),
    )
    return json_response(
        {
            "cartons": [carton_view(c) for c in page.cartons],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@console_cartons.route("/cartons", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_carton() -> Response:
    """``{"code": "…"}`` (typed or scanned) or ``{}`` (the next generated SSCC) → 201."""
    from chalicelib.catalog import carton_schemas

    principal = _staff(WRITERS)
    request = parse_request(
        console_cartons.current_request, carton_schemas.CartonCreateRequest, MAX_BODY
    )
    carton = service.create(
        request.code,
        _change(principal),
        company_prefix=get_settings().gs1_company_prefix,
        cartons=catalog_wiring.carton_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(carton_view(carton), status=201)


@console_cartons.route("/cartons/{code}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_carton(code: str) -> Response:
    _staff(READERS)
    detail = service.get(code, cartons=catalog_wiring.carton_repository())
    return json_response(carton_detail_view(detail.carton, detail.contents))


@console_cartons.route(
    "/cartons/{code}/units", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def pack_unit(code: str) -> Response:
    """A scanned serial into the carton: 200 with the carton's counts (``already``: it was)."""
    from chalicelib.catalog import carton_schemas

    principal = _staff(WRITERS)
    request = parse_request(
        console_cartons.current_request, carton_schemas.CartonPackRequest, MAX_BODY
    )
    result = service.pack(
        code, request.serial, _change(principal), cartons=catalog_wiring.carton_repository()
    )
    return json_response(pack_view(result))


@console_cartons.route("/cartons/{code}/units/{serial}", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def unpack_unit(code: str, serial: str) -> Response:
    principal = _staff(WRITERS)
    carton = service.unpack(
        code, serial, _change(principal), cartons=catalog_wiring.carton_repository()
    )
    return json_response(carton_view(carton))


@console_cartons.route("/cartons/{code}/close", methods=["POST"], cors=CORS)
@maps_domain_errors
def close_carton(code: str) -> Response:
    principal = _staff(WRITERS)
    carton = service.close(
        code,
        _change(principal),
        cartons=catalog_wiring.carton_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(carton_view(carton))
