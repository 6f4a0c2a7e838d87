"""Self-help: staff edit a model's manual and common faults (``/models/{code}/help``); the
portal shows them before a service request (``GET /public/models/{code}/help``)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.unit_import import normalize_model_code
from chalicelib.claims import help_service
from chalicelib.claims import wiring as claims_wiring
from chalicelib.claims.forms_views import help_view, public_help_view
from chalicelib.claims.help import ModelHelp
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)

console_model_help = Blueprint(__name__)
public_model_help = Blueprint(f"{__name__}.public")
CORS = cors_for(get_settings().console_url)
PUBLIC_CORS = cors_for(get_settings().portal_url)

HELP_EDITORS = frozenset({Role.ADMIN, Role.CS})
MAX_HELP_BODY = 128 * 1024  # 30 faults with fixes of 2,000 characters in both languages


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_model_help.current_request, get_settings(), allowed)


def _help_view(help: ModelHelp) -> dict[str, object]:
    return help_view(help, portal_url=get_settings().portal_url)


@console_model_help.route("/models/{code}/help", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_model_help(code: str) -> Response:
    _staff(HELP_EDITORS)
    help = help_service.help_of_model(
        normalize_model_code(code),
        models=catalog_wiring.model_repository(),
        helps=claims_wiring.help_repository(),
    )
    return json_response(_help_view(help))


@console_model_help.route(
    "/models/{code}/help", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def save_model_help(code: str) -> Response:
    """The model's help replaced whole; 409 ``model_help_changed`` when someone saved since."""
    from chalicelib.claims import forms_schemas  # pydantic: loaded by body routes on first use

    principal = _staff(HELP_EDITORS)
    request = parse_request(
        console_model_help.current_request, forms_schemas.ModelHelpRequest, MAX_HELP_BODY
    )
    change = help_service.HelpChange(
        manual_url=request.manual_url,
        manual_key=request.manual_key,
        faults=[f.to_fault() for f in request.faults],
        expected_version=request.version,
        actor=principal.username,
        at=datetime.now(UTC),
    )
    help = help_service.save_help(
        normalize_model_code(code),
        change,
        models=catalog_wiring.model_repository(),
        helps=claims_wiring.help_repository(),
        storage=platform_wiring.storage(),
    )
    return json_response(_help_view(help))


@console_model_help.route(
    "/models/{code}/help/manual", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def start_manual_upload(code: str) -> Response:
    """A presigned PUT for the model's PDF manual (at most 20 MB), straight to the bucket."""
    from chalicelib.claims import forms_schemas

    _staff(HELP_EDITORS)
    request = parse_request(console_model_help.current_request, forms_schemas.ManualUploadRequest)
    upload = help_service.start_manual_upload(
        normalize_model_code(code),
        request.size,
        models=catalog_wiring.model_repository(),
        storage=platform_wiring.storage(),
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@public_model_help.route("/models/{code}/help", methods=["GET"], cors=PUBLIC_CORS)
@maps_domain_errors
def model_help(code: str) -> Response:
    """The model's manual and common faults with their fixes, both languages."""
    models = catalog_wiring.model_cache()
    help = help_service.help_of_model(
        normalize_model_code(code), models=models, helps=claims_wiring.help_repository()
    )
    return json_response(
        public_help_view(models.get(help.model_code), help),
        headers={"Cache-Control": "max-age=300"},
    )
