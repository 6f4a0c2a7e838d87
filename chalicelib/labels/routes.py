"""Staff routes for QR stickers: one unit's QR as PNG or SVG, the brand's label templates, and
label-sheet jobs (ask, follow, download). Every route checks the bearer token and the role.

The QR encoder and the PDF renderer load on first use, never at the API's cold start."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.i18n import both
from chalicelib.core.settings import get_settings
from chalicelib.labels import wiring as labels_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    HEADERS,
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
    query_number,
    read_body,
    require_content_type,
    validate,
)

if TYPE_CHECKING:
    from chalicelib.labels.jobs import LabelJob
    from chalicelib.labels.sheets import SheetTexts
    from chalicelib.labels.template import LabelTemplate

console_labels = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

QR_READERS = frozenset({Role.ADMIN, Role.CS, Role.TECHNICIAN, Role.DIRECTOR})
LABEL_READERS = frozenset({Role.ADMIN, Role.DIRECTOR})
LABEL_WRITERS = frozenset({Role.ADMIN})
MAX_JOB_BODY = 3 * 1024 * 1024  # 100,000 serials of up to ~25 characters, as JSON or CSV
MAX_TEMPLATE_BODY = 16 * 1024
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
CURSOR_SCOPE = "label_jobs"
PREVIEW_NAME = "preview"  # a preview's template has no name of its own yet
# A page of tiny labels holds thousands: past this many, the preview shows only their die-cuts
# (the answer stays well under API Gateway's 6 MB).
MAX_PREVIEW_LABELS = 400


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_labels.current_request, get_settings(), allowed)


def _query(allowed: frozenset[str]) -> dict[str, str]:
    params: dict[str, str] = dict(console_labels.current_request.query_params or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _unit_qr_url(serial: str) -> tuple[str, str]:
    unit = catalog_wiring.unit_repository().get(normalize_serial(serial))
    return unit.serial, platform_wiring.unit_links().qr(unit.serial)


def _file(body: bytes | str, content_type: str, filename: str) -> Response:
    """A file in the response: bytes for a binary type (base64 through API Gateway), text for
    SVG (not a binary type: it passes as it is)."""
    return Response(
        body=body,
        status_code=200,
        headers={
            **HEADERS,
            "Content-Type": content_type,
            "Content-Disposition": f'inline; filename="{filename}"',
        },
    )


@console_labels.route("/units/{serial}/qr.png", methods=["GET"], cors=CORS)
@maps_domain_errors
def unit_qr_png(serial: str) -> Response:
    """``?scale=10`` pixels a module (1-40), ``?border=4`` quiet-zone modules (2-16). API
    Gateway returns binary only to a request that accepts it: send ``Accept: image/png``."""
    _staff(QR_READERS)
    params = _query(frozenset({"scale", "border"}))
    scale = query_int(params, "scale", 10, 1, 40)
    border = query_int(params, "border", 4, 2, 16)
    from chalicelib.labels import qr_codes

    found, url = _unit_qr_url(serial)
    return _file(qr_codes.png(url, scale=scale, border=border), "image/png", f"{found}.png")


@console_labels.route("/units/{serial}/qr.svg", methods=["GET"], cors=CORS)
@maps_domain_errors
def unit_qr_svg(serial: str) -> Response:
    """``?size_mm=20`` printed width, quiet zone included (8-200), ``?border=4``."""
    _staff(QR_READERS)
    params = _query(frozenset({"size_mm", "border"}))
    size_mm = query_number(params, "size_mm", 20, 8, 200)
    border = query_int(params, "border", 4, 2, 16)
    from chalicelib.labels import qr_codes

    found, url = _unit_qr_url(serial)
    svg = qr_codes.svg(url, size_mm=size_mm, border=border).decode("utf-8")
    return _file(svg, "image/svg+xml; charset=utf-8", f"{found}.svg")


# -- templates -----------------------------------------------------------------------------


def _template_view(template: LabelTemplate) -> dict[str, Any]:
    from chalicelib.labels.template import sheet_geometry, template_to_dict

    geometry = sheet_geometry(template)
    return {
        **template_to_dict(template),
        "per_page": len(geometry.slots),
        "columns": geometry.columns,
        "rows": geometry.rows,
    }


def _template_name(raw: str) -> str:
    from chalicelib.labels.template import TEMPLATE_NAME

    if not TEMPLATE_NAME.fullmatch(raw):
        raise Invalid(fields=[FieldError("name", "template_name_invalid")])
    return raw


@console_labels.route("/labels/templates", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_templates() -> Response:
    _staff(LABEL_READERS)
    templates = labels_wiring.label_templates().list()
    return json_response({"templates": [_template_view(t) for t in templates]})


@console_labels.route("/labels/templates/{name}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_template(name: str) -> Response:
    _staff(LABEL_READERS)
    return json_response(_template_view(labels_wiring.label_templates().get(_template_name(name))))


@console_labels.route(
    "/labels/templates/{name}", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def put_template(name: str) -> Response:
    """Create or replace one of the brand's templates (built-in names are reserved)."""
    principal = _staff(LABEL_WRITERS)
    from chalicelib.labels import schemas

    request = parse_request(
        console_labels.current_request, schemas.LabelTemplateRequest, MAX_TEMPLATE_BODY
    )
    template = _checked_template(
        request.model_dump(), _template_name(name), labels_wiring.label_texts()
    )
    return json_response(
        _template_view(labels_wiring.label_templates().save(template, by=principal.username))
    )


def _checked_template(body: dict[str, Any], name: str, texts: SheetTexts) -> LabelTemplate:
    """A template body the schema passed, held to every rule a print keeps (geometry, glyphs)."""
    from chalicelib.labels.template import template_from_dict, validate_template

    template = validate_template(template_from_dict(body, name=name))
    _refuse_missing_glyphs(template, texts)
    return template


def _refuse_missing_glyphs(template: LabelTemplate, texts: SheetTexts) -> None:
    from chalicelib.labels.sheets import missing_glyphs

    missing = missing_glyphs(template, texts)
    if missing:
        raise Invalid("label_text_unsupported", characters=missing)


@console_labels.route("/labels/templates/{name}", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def delete_template(name: str) -> Response:
    principal = _staff(LABEL_WRITERS)
    labels_wiring.label_templates().delete(_template_name(name), by=principal.username)
    return Response(body="", status_code=204)


@console_labels.route(
    "/labels/preview", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def preview_template() -> Response:
    """One label or one page of a template as SVG, drawn by the print's own layout code: JSON
    (the SVG and the page's grid), or the SVG itself to ``Accept: image/svg+xml``."""
    _staff(LABEL_READERS)
    from chalicelib.labels import schemas
    from chalicelib.labels.preview import render_preview
    from chalicelib.labels.template import template_from_dict, validate_template

    request = parse_request(
        console_labels.current_request, schemas.LabelPreviewRequest, MAX_TEMPLATE_BODY
    )
    body = request.model_dump(exclude={"what"})
    template = validate_template(template_from_dict(body, name=PREVIEW_NAME))
    view = _template_view(template)
    count = 1 if request.what == "label" else min(view["per_page"], MAX_PREVIEW_LABELS)
    texts, samples = labels_wiring.label_preview_inputs(count)
    _refuse_missing_glyphs(template, texts)
    preview = render_preview(
        template,
        request.what,
        texts=texts,
        serials=samples,
        url_of=platform_wiring.unit_links().qr,
    )
    accept = str(console_labels.current_request.headers.get("accept", ""))
    if "image/svg+xml" in accept:
        return _file(preview.svg, "image/svg+xml; charset=utf-8", f"{request.what}.svg")
    return json_response(
        {
            "what": request.what,
            "svg": preview.svg,
            "labels": preview.labels,
            "width_mm": preview.width_mm,
            "height_mm": preview.height_mm,
            **{key: view[key] for key in ("per_page", "columns", "rows")},
        }
    )


# -- jobs ----------------------------------------------------------------------------------


def _job_view(job: LabelJob, *, with_download: bool) -> dict[str, Any]:
    from chalicelib.labels.jobs import DOWNLOAD_LINK_TTL, FILE_KEPT_FOR, LabelJobStatus
    from chalicelib.labels.service import download_name, selection_view

    now = datetime.now(UTC)
    status, error_code = job.status, job.error_code
    if job.stalled(now):
        status, error_code = LabelJobStatus.FAILED, "label_job_stalled"
    total = job.total or 0
    download = None
    kept = job.finished_at is not None and now - job.finished_at < FILE_KEPT_FOR
    if with_download and status is LabelJobStatus.DONE and job.output_key and kept:
        seconds = int(DOWNLOAD_LINK_TTL.total_seconds())
        download = {
            "url": platform_wiring.storage().download_url(job.output_key, expires_seconds=seconds),
            "expires_at": (now + DOWNLOAD_LINK_TTL).isoformat(timespec="seconds"),
            "filename": download_name(job),
        }
    return {
        "job_id": job.job_id,
        "status": status.value,
        "template": job.template_name,
        "selection": selection_view(job.selection),
        "total": total,
        "done": job.done,
        "skipped": job.skipped,
        "skipped_sample": list(job.skipped_sample),
        "progress": round(min(1.0, (job.done + job.skipped) / total), 3) if total else 0.0,
        "pages": job.pages,
        "size_bytes": job.size_bytes,
        "attempts": job.attempts,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat(timespec="seconds"),
        "started_at": job.started_at.isoformat(timespec="seconds") if job.started_at else None,
        "finished_at": job.finished_at.isoformat(timespec="seconds") if job.finished_at else None,
        "error": {"code": error_code, "messages": both(error_code)} if error_code else None,
        "download": download,
        "file_expired": status is LabelJobStatus.DONE and not kept,
    }


def _own_job(job_id: str) -> LabelJob:
    if not job_id.startswith("lj_") or len(job_id) > 64:
        raise NotFound("label_job_not_found")
    job = labels_wiring.label_jobs().get(job_id)
    if job.brand_id != get_settings().brand_id:
        raise NotFound("label_job_not_found")
    return job


@console_labels.route(
    "/labels/jobs", methods=["POST"], content_types=["text/csv", *JSON_ROUTE_TYPES], cors=CORS
)
@maps_domain_errors
def create_label_job() -> Response:
    """JSON ``{"template", "batch" | "from_serial"+"to_serial" | "serials", "stock"?}``, or a
    CSV of serials (``Content-Type: text/csv``) with ``?template=``: 202 and the queued job."""
    principal = _staff(LABEL_WRITERS)
    from chalicelib.labels import schemas
    from chalicelib.labels import service as labels
    from chalicelib.labels.template import stock_from_dict, with_stock

    request = console_labels.current_request
    content_type = str(request.headers.get("content-type", "")).split(";")[0].strip().lower()
    if content_type == "text/csv":
        params = _query(frozenset({"template"}))
        raw = read_body(request, MAX_JOB_BODY)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Invalid("import_not_utf8") from exc
        job_request = validate(schemas.LabelJobRequest, params)  # no template: the default
        selection = labels.SelectionRequest(serials_text=text)
    else:
        require_content_type(request, "application/json")
        _query(frozenset())
        job_request = parse_request(request, schemas.LabelJobRequest, MAX_JOB_BODY)
        selection = _selection(job_request)
    template = labels_wiring.label_templates().get(job_request.template)
    if job_request.stock is not None:
        template = with_stock(template, stock_from_dict(job_request.stock.model_dump()))
    job = labels.create_job(
        selection,
        template,
        brand_id=get_settings().brand_id,
        texts=labels_wiring.label_texts(),
        by=principal.username,
        now=datetime.now(UTC),
        jobs=labels_wiring.label_jobs(),
        units=catalog_wiring.unit_repository(),
        storage=platform_wiring.storage(),
    )
    return json_response(_job_view(job, with_download=False), status=202)


def _selection(request: Any) -> Any:
    from chalicelib.labels.service import SelectionRequest

    given = [
        name
        for name, present in (
            ("batch", request.batch is not None),
            ("from_serial", request.from_serial is not None or request.to_serial is not None),
            ("serials", request.serials is not None),
        )
        if present
    ]
    if len(given) != 1:
        raise Invalid("label_selection_required")
    if request.batch is not None:
        return SelectionRequest(batch=request.batch)
    if request.serials is not None:
        return SelectionRequest(serials_text="\n".join(request.serials))
    if request.from_serial is None or request.to_serial is None:
        field = "to_serial" if request.to_serial is None else "from_serial"
        raise Invalid(fields=[FieldError(field, "required")])
    return SelectionRequest(first=request.from_serial, last=request.to_serial)


@console_labels.route("/labels/jobs", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_label_jobs() -> Response:
    """The brand's jobs, newest first: ``?limit=20&cursor=…``."""
    _staff(LABEL_READERS)
    params = _query(frozenset({"limit", "cursor"}))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursors = platform_wiring.cursors()
    jobs, cursor = labels_wiring.label_jobs().list_for_brand(
        get_settings().brand_id,
        limit=limit,
        cursor=cursors.decode(CURSOR_SCOPE, params.get("cursor")),
    )
    return json_response(
        {
            "jobs": [_job_view(job, with_download=False) for job in jobs],
            "next_cursor": cursors.encode(CURSOR_SCOPE, cursor),
        }
    )


@console_labels.route("/labels/jobs/{job_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_label_job(job_id: str) -> Response:
    """Status and progress; when done, a download link valid for 15 minutes."""
    _staff(LABEL_READERS)
    return json_response(_job_view(_own_job(job_id), with_download=True))


# -- carton labels ---------------------------------------------------------------------------

CARTON_LABEL_WRITERS = frozenset({Role.ADMIN, Role.CS})  # who packs cartons prints their labels
CARTON_LABEL_READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.TECHNICIAN})
MAX_CARTON_JOB_BODY = 16 * 1024


@console_labels.route(
    "/labels/cartons", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def create_carton_label_job() -> Response:
    """``{"codes": ["089300000000000170", …]}``: 202 and the queued job (one page a carton)."""
    principal = _staff(CARTON_LABEL_WRITERS)
    from chalicelib.labels import schemas
    from chalicelib.labels import service as labels

    _query(frozenset())
    request = parse_request(
        console_labels.current_request, schemas.CartonLabelJobRequest, MAX_CARTON_JOB_BODY
    )
    job = labels.create_carton_job(
        request.codes,
        brand_id=get_settings().brand_id,
        by=principal.username,
        now=datetime.now(UTC),
        jobs=labels_wiring.label_jobs(),
        cartons=catalog_wiring.carton_repository(),
    )
    return json_response(_job_view(job, with_download=False), status=202)


@console_labels.route("/labels/cartons/{job_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_carton_label_job(job_id: str) -> Response:
    """A carton label job (only those: the others are ``GET /labels/jobs/{job_id}``)."""
    from chalicelib.labels.jobs import CartonSelection

    _staff(CARTON_LABEL_READERS)
    job = _own_job(job_id)
    if not isinstance(job.selection, CartonSelection):
        raise NotFound("label_job_not_found")
    return json_response(_job_view(job, with_download=True))
