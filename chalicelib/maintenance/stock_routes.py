"""Spare parts and stock over HTTP for staff: the catalogue (``/parts``), the places
(``/stock/locations``), what is on hand (``/stock``) and the movements (``/stock/movements``).
The stock keepers (admin, customer service, the accountant) write; every staff role reads, and
a partner company's user reads the catalogue (the parts it may use)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import stock_service
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.parts import Location, normalize_location_id, normalize_part_code
from chalicelib.maintenance.views import movement_view, on_hand_view, part_view
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

console_stock = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

KEEPERS = frozenset({Role.ADMIN, Role.CS, Role.ACCOUNTANT})
READERS = KEEPERS | {Role.DIRECTOR, Role.TECHNICIAN}
PART_READERS = READERS | {Role.SERVICE}


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_stock.current_request, get_settings(), allowed)


def _params() -> dict[str, str]:
    return dict(console_stock.current_request.query_params or {})


def _location_view(location: Location) -> dict[str, Any]:
    return {
        "location_id": location.location_id,
        "name": location.name,
        "kind": location.kind.value,
        "holder": location.holder,
    }


@console_stock.route("/parts", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_parts() -> Response:
    """The catalogue, by code (inactive parts too: the console marks them)."""
    _staff(PART_READERS)
    parts = maintenance_wiring.stock_repository().parts()
    return json_response({"parts": [part_view(p) for p in parts]})


@console_stock.route("/parts/{code}", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def save_part(code: str) -> Response:
    """A part created (``version`` 0) or replaced over the version read (409 ``part_changed``)."""
    from chalicelib.maintenance import schemas

    principal = _staff(KEEPERS)
    request = parse_request(console_stock.current_request, schemas.PartRequest)
    part = stock_service.save_part(
        request.to_part(normalize_part_code(code)),
        expected_version=request.version,
        by=principal.username,
        at=datetime.now(UTC),
        store=maintenance_wiring.stock_repository(),
    )
    return json_response(part_view(part))


@console_stock.route("/stock/locations", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_stock_locations() -> Response:
    """Every place, for staff; a partner company's user sees its own company's places only (the
    ones its tickets take parts from)."""
    principal = _staff(READERS | {Role.SERVICE})
    places = maintenance_wiring.stock_repository().locations()
    if not principal.roles & READERS:
        from chalicelib.claims import wiring as claims_wiring

        own = claims_wiring.company_key_of(principal)
        places = [x for x in places if x.holder == own]
    return json_response({"locations": [_location_view(x) for x in places]})


@console_stock.route(
    "/stock/locations", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def add_stock_location() -> Response:
    """A warehouse, a technician's van (``holder`` ``tech#<username>``) or a partner company's
    place (``company#<id>``); 409 ``stock_location_exists`` for a code in use."""
    from chalicelib.maintenance import schemas

    principal = _staff(KEEPERS)
    request = parse_request(console_stock.current_request, schemas.LocationRequest)
    location = request.to_location()
    maintenance_wiring.stock_repository().add_location(
        location, by=principal.username, at=datetime.now(UTC)
    )
    response = json_response(_location_view(location))
    response.status_code = 201
    return response


@console_stock.route("/stock", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_stock() -> Response:
    """On hand in one place (``location``) or everywhere, each line with its value at cost and
    whether it is short (``short=1``: only those); the totals."""
    _staff(READERS)
    params = _params()
    store = maintenance_wiring.stock_repository()
    places = store.locations()
    wanted = params.get("location")
    if wanted:
        place_id = normalize_location_id(wanted)
        places = [x for x in places if x.location_id == place_id]
        if not places:
            raise Invalid(fields=[FieldError("location", "stock_location_unknown")])
    lines = stock_service.on_hand(places, store=store)
    if params.get("short") == "1":
        lines = [x for x in lines if x.short]
    return json_response(
        {
            "lines": [on_hand_view(x) for x in lines],
            "value_vnd": sum(x.value_vnd for x in lines),
            "short": sum(x.short for x in lines),
        },
        headers={"Cache-Control": "no-store"},
    )


@console_stock.route(
    "/stock/movements", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def record_stock_movement() -> Response:
    """A receipt, a transfer or an adjustment (201); 409 ``stock_not_enough`` when the place it
    leaves has less."""
    from chalicelib.maintenance import schemas

    principal = _staff(KEEPERS)
    request = parse_request(console_stock.current_request, schemas.MovementRequest)
    movement = stock_service.move(
        request.to_request(),
        by=principal.username,
        at=datetime.now(UTC),
        store=maintenance_wiring.stock_repository(),
    )
    response = json_response(movement_view(movement))
    response.status_code = 201
    return response


@console_stock.route("/stock/movements", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_stock_movements() -> Response:
    """A part's movements, the latest first (``part``: its code)."""
    _staff(READERS)
    params = _params()
    if not params.get("part"):
        raise Invalid(fields=[FieldError("part", "required")])
    code = normalize_part_code(params["part"])
    limit = query_int(params, "limit", 100, 1, 200, code="limit_out_of_range")
    movements = maintenance_wiring.stock_repository().movements(code, limit=limit)
    return json_response({"movements": [movement_view(m) for m in movements]})
