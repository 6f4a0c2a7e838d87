"""Staff routes (console and integrations): catalog and units. Every route checks the bearer
token against the Cognito pool and the caller's role."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Response

from chalicelib.catalog import registration
from chalicelib.catalog import service as catalog
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Brand, BrandTheme, ProductModel
from chalicelib.catalog.serials import normalize_serial
from chalicelib.catalog.unit_import import normalize_model_code
from chalicelib.catalog.unit_search import FILTERS, cursor_scope, unit_filter
from chalicelib.catalog.views import (
    brand_view,
    model_view,
    owner_view,
    rejection_view,
    staff_unit_view,
    unit_list_view,
)
from chalicelib.catalog.warranty import ComponentTerm, StartBasis, WarrantyTerms, business_day
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import STAFF, Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
    query_int,
    read_body,
    require_content_type,
)

if TYPE_CHECKING:
    from chalicelib.catalog.schemas import ProductModelRequest
    from chalicelib.platform.export_jobs import ExportJob

console = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

ADMIN = frozenset({Role.ADMIN})
UNIT_READERS = frozenset({Role.ADMIN, Role.CS, Role.TECHNICIAN, Role.DIRECTOR})
# Who may see an owner's full name and phone (each reveal is audited); the others see masks.
OWNER_READERS = frozenset({Role.ADMIN, Role.CS})
LIST_PARAMS = frozenset({*FILTERS, "limit", "cursor"})
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
MAX_IMPORT_BYTES = 2 * 1024 * 1024  # 10,000 rows of ~100 characters, with room to spare


def _brand_view(brand: Brand) -> dict[str, Any]:
    # where the console's brand screen frames the portal's preview
    return {**brand_view(brand), "portal_url": get_settings().portal_url}


def _model_view(model: ProductModel) -> dict[str, Any]:
    return model_view(model, portal_url=get_settings().portal_url)


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console.current_request, get_settings(), allowed)


def _query(allowed: frozenset[str]) -> dict[str, str]:
    params: dict[str, str] = dict(console.current_request.query_params or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _request_id() -> str:
    """API Gateway's id of this request (an audit entry's source); a fresh one without it."""
    context = console.current_request.context or {}
    return str(context.get("requestId") or uuid.uuid4().hex)


def _to_model(code: str, request: ProductModelRequest, by: str) -> ProductModel:
    return ProductModel(
        code=code,
        name=request.name,
        description=request.description,
        image_url=request.image_url,
        specs=dict(request.specs),
        name_en=request.name_en,
        description_en=request.description_en,
        spec_labels_en=dict(request.spec_labels_en),
        spec_values_en=dict(request.spec_values_en),
        category=request.category,
        category_en=request.category_en,
        terms=WarrantyTerms(
            months=request.warranty_months,
            start_basis=StartBasis(request.warranty_start_basis),
            max_months_from_manufacture=request.max_months_from_manufacture,
            activation_deadline_days=request.activation_deadline_days,
            components=tuple(ComponentTerm(**part.model_dump()) for part in request.components),
        ),
        updated_by=by,
    )


@console.route("/brand", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_brand() -> Response:
    _staff(STAFF)
    return json_response(
        _brand_view(catalog_wiring.brand_repository().get(get_settings().brand_id))
    )


@console.route("/brand", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def configure_brand() -> Response:
    """Name the brand and agree its serial prefix (locked once a serial is generated)."""
    principal = _staff(ADMIN)
    from chalicelib.catalog import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(console.current_request, schemas.BrandRequest)
    theme = (
        BrandTheme(**{**request.theme.model_dump(), "sections": tuple(request.theme.sections)})
        if request.theme is not None
        else BrandTheme()
    )
    brand = Brand(
        get_settings().brand_id,
        request.name,
        request.serial_prefix,
        theme=theme,
        confirm_phone=request.confirm_phone,
        updated_by=principal.username,
    )
    return json_response(
        _brand_view(catalog_wiring.brand_repository().save(brand, by=principal.username))
    )


@console.route("/brand/logo", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_brand_logo_upload() -> Response:
    """A presigned PUT for a new logo (JPEG, PNG or WebP, at most 5 MB)."""
    _staff(ADMIN)
    from chalicelib.catalog import images, schemas

    request = parse_request(console.current_request, schemas.ImageUploadRequest)
    upload = images.start_logo_upload(
        request.content_type, request.size, storage=platform_wiring.storage()
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@console.route("/brand/logo/done", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def finish_brand_logo_upload() -> Response:
    """The uploaded logo checked and re-encoded; its portal path, for the brand's next save."""
    _staff(ADMIN)
    from chalicelib.catalog import images, schemas

    request = parse_request(console.current_request, schemas.ImageUploadedRequest)
    path = images.finish_logo_upload(request.key, storage=platform_wiring.storage())
    settings = get_settings()
    return json_response({"logo_url": path, "logo_src": f"{settings.portal_url}{path}"})


@console.route("/models", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_models() -> Response:
    _staff(STAFF)
    return json_response(
        {"models": [_model_view(m) for m in catalog_wiring.model_repository().list()]}
    )


@console.route("/models", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_model() -> Response:
    principal = _staff(ADMIN)
    from chalicelib.catalog import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(console.current_request, schemas.NewProductModelRequest)
    model = _to_model(normalize_model_code(request.code), request, principal.username)
    created = catalog.create_model(
        model,
        store=catalog_wiring.model_repository(),
        cache=catalog_wiring.model_cache(),
        by=principal.username,
    )
    return json_response(_model_view(created), status=201)


@console.route("/models/{code}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_model(code: str) -> Response:
    _staff(STAFF)
    return json_response(
        _model_view(catalog_wiring.model_repository().get(normalize_model_code(code)))
    )


@console.route("/models/{code}", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def update_model(code: str) -> Response:
    principal = _staff(ADMIN)
    from chalicelib.catalog import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(console.current_request, schemas.ProductModelRequest)
    model = _to_model(normalize_model_code(code), request, principal.username)
    updated = catalog.update_model(
        model,
        store=catalog_wiring.model_repository(),
        cache=catalog_wiring.model_cache(),
        by=principal.username,
    )
    return json_response(_model_view(updated))


@console.route("/models/{code}", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def delete_model(code: str) -> Response:
    _staff(ADMIN)
    catalog.delete_model(
        normalize_model_code(code),
        store=catalog_wiring.model_repository(),
        cache=catalog_wiring.model_cache(),
    )
    return Response(body="", status_code=204)


@console.route("/models/{code}/image", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_model_image_upload(code: str) -> Response:
    """A presigned PUT for the model's new picture (JPEG, PNG or WebP, at most 5 MB)."""
    _staff(ADMIN)
    from chalicelib.catalog import images, schemas

    request = parse_request(console.current_request, schemas.ImageUploadRequest)
    upload = images.start_upload(
        normalize_model_code(code),
        request.content_type,
        request.size,
        models=catalog_wiring.model_repository(),
        storage=platform_wiring.storage(),
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@console.route(
    "/models/{code}/image/done", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def finish_model_image_upload(code: str) -> Response:
    """The uploaded picture checked, made a thumbnail without metadata and set on the model."""
    principal = _staff(ADMIN)
    from chalicelib.catalog import images, schemas

    code = normalize_model_code(code)
    request = parse_request(console.current_request, schemas.ImageUploadedRequest)
    model = images.finish_upload(
        code,
        request.key,
        by=principal.username,
        models=catalog_wiring.model_repository(),
        storage=platform_wiring.storage(),
    )
    catalog_wiring.model_cache().forget(code)
    return json_response(_model_view(model))


@console.route(
    "/units/import", methods=["POST"], content_types=["text/csv", *JSON_ROUTE_TYPES], cors=CORS
)
@maps_domain_errors
def import_units() -> Response:
    principal = _staff(ADMIN)
    require_content_type(console.current_request, "text/csv", "text/plain")
    raw = read_body(console.current_request, MAX_IMPORT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("import_not_utf8") from exc
    report = registration.import_units(
        text,
        by=principal.username,
        today=business_day(datetime.now(UTC)),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    return json_response(
        {"imported": report.imported, "rejected": [rejection_view(r) for r in report.rejected]}
    )


@console.route("/units/generate", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def generate_units() -> Response:
    principal = _staff(ADMIN)
    from chalicelib.catalog import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(console.current_request, schemas.GenerateUnitsRequest)
    settings = get_settings()
    brand = catalog_wiring.brand_repository().get(settings.brand_id)
    model = catalog_wiring.model_repository().get(normalize_model_code(request.model_code))
    result = registration.generate_units(
        model,
        request.count,
        brand_id=brand.brand_id,
        prefix=brand.serial_prefix,
        batch=request.batch,
        manufactured_on=request.manufactured_on,
        by=principal.username,
        units=catalog_wiring.unit_repository(),
        sequences=catalog_wiring.brand_repository(),
    )
    catalog_wiring.model_cache().forget(model.code)
    return json_response(
        {
            "generated": len(result.added),
            "serials": result.added,
            "rejected": [{"serial": s, "reason": r} for s, r in result.rejected.items()],
        },
        status=201,
    )


@console.route("/units", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_units() -> Response:
    """``?serial=GAR0000*&model=&batch=&status=&activated_from=&activated_to=&limit=&cursor=``:
    one page, owners masked; a page may be short (the read budget) with a ``next_cursor``."""
    _staff(UNIT_READERS)
    params = _query(LIST_PARAMS)
    wanted = unit_filter(params)
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursors, scope = platform_wiring.cursors(), cursor_scope(wanted)
    page = catalog_wiring.unit_repository().search(
        wanted, limit=limit, position=cursors.decode(scope, params.get("cursor"))
    )
    today = business_day(datetime.now(UTC))
    return json_response(
        {
            "units": [unit_list_view(unit, today) for unit in page.units],
            "next_cursor": cursors.encode(scope, page.position),
        }
    )


@console.route("/units/exports", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_unit_export() -> Response:
    """The units list with these filters to an Excel file, as a job: 202 and the export."""
    principal = _staff(UNIT_READERS)
    from chalicelib.catalog import schemas
    from chalicelib.catalog.export import new_export

    request = parse_request(console.current_request, schemas.UnitExportRequest)
    export = new_export(
        {name: value for name, value in request.model_dump().items() if value.strip()},
        brand_id=get_settings().brand_id,
        language=language_of(console.current_request),
        by=principal.username,
        now=datetime.now(UTC),
    )
    platform_wiring.export_jobs().create(export)
    return json_response(_export_view(export), status=202)


@console.route("/units/exports/{export_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_unit_export(export_id: str) -> Response:
    """Status and rows written; when done, a download link valid for 15 minutes."""
    _staff(UNIT_READERS)
    export = platform_wiring.export_jobs().get(export_id, "unit")
    if export.brand_id != get_settings().brand_id:
        raise NotFound("unit_export_not_found")
    return json_response(_export_view(export))


def _export_view(export: ExportJob) -> dict[str, Any]:
    from chalicelib.platform.views import export_view

    return {**export_view(export, platform_wiring.storage().download_url), "filters": export.params}


@console.route("/units/{serial}/owner", methods=["POST"], cors=CORS)
@maps_domain_errors
def reveal_owner(serial: str) -> Response:
    """The owner's full name and phone, for admin and cs; each answer is an audit entry."""
    principal = _staff(OWNER_READERS)
    from chalicelib.audit.model import AuditEntry
    from chalicelib.audit.wiring import audit_trail

    view = owner_view(catalog_wiring.unit_repository().get(normalize_serial(serial)))
    audit_trail().record(
        AuditEntry(
            at=datetime.now(UTC),
            actor=principal.username,
            action="owner_revealed",
            entity="unit",
            entity_id=view["serial"],
            source=_request_id(),
        )
    )
    return json_response(view)


@console.route("/units/{serial}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_unit(serial: str) -> Response:
    _staff(UNIT_READERS)
    unit = catalog_wiring.unit_repository().get(normalize_serial(serial))
    links = platform_wiring.unit_links()
    today = business_day(datetime.now(UTC))
    # the dealer's name through the dealers' own port (cached a minute, as on the landing page)
    dealer_name = dealer_wiring.dealer_names().name_of(unit.dealer_id) if unit.dealer_id else None
    shipments = dealer_wiring.shipment_repository()
    document = shipments.document_number_of(unit.shipment_id) if unit.shipment_id else None
    view = staff_unit_view(
        unit,
        links.qr(unit.serial),
        today,
        links.certificate(unit.serial),
        dealer_name=dealer_name,
        shipment_document=document,
    )
    return json_response(view)
