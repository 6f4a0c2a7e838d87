"""Request forms: staff edit a model's or a category's form (``/claim-forms``: each save a new
version); the portal asks which fields to show for a unit (``GET /public/service-requests/
form?serial=&sig=``, ``sig`` the QR code's token)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.serials import normalize_serial
from chalicelib.catalog.unit_import import normalize_model_code
from chalicelib.claims import forms_service
from chalicelib.claims import wiring as claims_wiring
from chalicelib.claims.forms import DEFAULT_FIELDS, FormScope
from chalicelib.claims.forms_views import (
    field_view,
    form_detail_view,
    form_summary_view,
    form_view,
    unit_form_view,
)
from chalicelib.core.errors import FieldError, Invalid, NotFound
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

console_claim_forms = Blueprint(__name__)
public_claim_forms = Blueprint(f"{__name__}.public")
CORS = cors_for(get_settings().console_url)
PUBLIC_CORS = cors_for(get_settings().portal_url)

FORM_EDITORS = frozenset({Role.ADMIN, Role.CS})
MAX_FORM_BODY = 64 * 1024  # 30 fields of 50 options with labels in both languages


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_claim_forms.current_request, get_settings(), allowed)


def _params(request_params: Mapping[str, str] | None, allowed: frozenset[str]) -> dict[str, str]:
    params = dict(request_params or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


@console_claim_forms.route("/claim-forms", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_claim_forms() -> Response:
    """Every model's and category's own form (its current version), and the default fields."""
    _staff(FORM_EDITORS)
    forms = forms_service.list_forms(claims_wiring.form_repository())
    return json_response(
        {
            "forms": [form_summary_view(v) for v in forms if v.current and v.current.fields],
            "default_fields": [field_view(f) for f in DEFAULT_FIELDS],
        }
    )


@console_claim_forms.route("/claim-forms/form", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_claim_form() -> Response:
    """One scope's form (``?model=`` or ``?category=``): its versions, newest first, and what
    it inherits."""
    _staff(FORM_EDITORS)
    params = _params(
        console_claim_forms.current_request.query_params, frozenset({"model", "category"})
    )
    if len(params) != 1 or not next(iter(params.values())).strip():
        raise Invalid("claim_form_scope_required")
    scope = FormScope.MODEL if "model" in params else FormScope.CATEGORY
    forms, models = claims_wiring.form_repository(), catalog_wiring.model_repository()
    if scope is FormScope.MODEL:
        target = models.get(normalize_model_code(params["model"])).code
    else:
        target = forms_service.category_of(params["category"], models)
    versions = forms.versions(scope, target)
    inherited = forms_service.inherited_form(scope, target, forms, models)
    return json_response(form_detail_view(scope.value, target, versions, inherited))


@console_claim_forms.route(
    "/claim-forms", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def save_claim_form() -> Response:
    """The scope's next version; 409 ``claim_form_changed`` when someone saved it since."""
    from chalicelib.claims import forms_schemas  # pydantic: loaded by body routes on first use

    principal = _staff(FORM_EDITORS)
    request = parse_request(
        console_claim_forms.current_request, forms_schemas.ClaimFormRequest, MAX_FORM_BODY
    )
    scope, target = request.form_scope, request.target.strip()
    form = forms_service.save_form(
        scope,
        normalize_model_code(target) if scope is FormScope.MODEL else target,
        [f.to_field() for f in request.fields],
        expected_version=request.version,
        change=forms_service.Change(principal.username, datetime.now(UTC)),
        forms=claims_wiring.form_repository(),
        models=catalog_wiring.model_repository(),
    )
    return json_response(form_view(form))


@public_claim_forms.route("/service-requests/form", methods=["GET"], cors=PUBLIC_CORS)
@maps_domain_errors
def service_request_form() -> Response:
    """The fields a service request asks about the unit behind a QR code."""
    params = _params(public_claim_forms.current_request.query_params, frozenset({"serial", "sig"}))
    serial = normalize_serial(params.get("serial", ""))
    if not params.get("sig"):
        raise NotFound("unit_not_found")
    found = forms_service.form_for_unit(
        serial,
        params["sig"],
        keyring=platform_wiring.secrets().qr_keyring,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        forms=claims_wiring.form_repository(),
    )
    return json_response(unit_form_view(found.serial, found.model, found.form))
