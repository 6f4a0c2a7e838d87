"""Maintenance plans: staff read and save a model's plan (``/models/{code}/maintenance-plan``):
its components, each with its cycle, first service, reminder lead, price and checklist."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.unit_import import normalize_model_code
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import service
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.views import plan_view
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)

console_maintenance = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

PLAN_EDITORS = frozenset({Role.ADMIN, Role.CS})
PLAN_READERS = PLAN_EDITORS | {Role.DIRECTOR, Role.TECHNICIAN, Role.ACCOUNTANT}
MAX_PLAN_BODY = 64 * 1024  # 20 components with 20 checks of 200 characters


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_maintenance.current_request, get_settings(), allowed)


@console_maintenance.route("/models/{code}/maintenance-plan", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_maintenance_plan(code: str) -> Response:
    """The model's plan (version 0 and no component: none saved yet)."""
    _staff(PLAN_READERS)
    plan = service.plan_of_model(
        normalize_model_code(code),
        models=catalog_wiring.model_repository(),
        plans=maintenance_wiring.plan_repository(),
    )
    return json_response(plan_view(plan))


@console_maintenance.route(
    "/models/{code}/maintenance-plan", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def save_maintenance_plan(code: str) -> Response:
    """The model's plan replaced whole; 409 ``maintenance_plan_changed`` when someone saved
    since the editor read it."""
    from chalicelib.maintenance import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(PLAN_EDITORS)
    request = parse_request(console_maintenance.current_request, schemas.PlanRequest, MAX_PLAN_BODY)
    plan = service.save_plan(
        normalize_model_code(code),
        service.PlanChange(
            components=request.to_components(),
            expected_version=request.version,
            actor=principal.username,
            at=datetime.now(UTC),
        ),
        models=catalog_wiring.model_repository(),
        plans=maintenance_wiring.plan_repository(),
    )
    return json_response(plan_view(plan))
