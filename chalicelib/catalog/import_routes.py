"""Staff routes for unit imports (admin): ask for an upload link, start the job once the file is
in the bucket, follow it, download its report, list past imports.

The file never passes through the API (Lambda's 6 MB request): the browser PUTs it to the
presigned link. The spreadsheet reader and writer load in the job's run, never here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.i18n import both
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
    query_int,
)

if TYPE_CHECKING:
    from chalicelib.catalog.import_jobs import UnitImport

console_imports = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

IMPORTERS = frozenset({Role.ADMIN})
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
CURSOR_SCOPE = "unit_imports"


def _staff() -> Principal:
    return authenticate(console_imports.current_request, get_settings(), IMPORTERS)


def _query(allowed: frozenset[str]) -> dict[str, str]:
    params: dict[str, str] = dict(console_imports.current_request.query_params or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _import_view(job: UnitImport, *, with_report: bool) -> dict[str, Any]:
    from chalicelib.catalog.import_jobs import DOWNLOAD_LINK_TTL, FILE_KEPT_FOR, ImportStatus
    from chalicelib.catalog.import_runner import report_name

    now = datetime.now(UTC)
    status, error_code = job.status, job.error_code
    if job.stalled(now):
        status, error_code = ImportStatus.FAILED, "unit_import_stalled"
    kept = job.finished_at is not None and now - job.finished_at < FILE_KEPT_FOR
    report = None
    if with_report and status is ImportStatus.DONE and job.report_key and kept:
        seconds = int(DOWNLOAD_LINK_TTL.total_seconds())
        report = {
            "url": platform_wiring.storage().download_url(job.report_key, expires_seconds=seconds),
            "expires_at": _iso(now + DOWNLOAD_LINK_TTL),
            "filename": report_name(job),
        }
    total = job.total
    return {
        "import_id": job.import_id,
        "filename": job.filename,
        "kind": job.kind,
        "size_bytes": job.size_bytes,
        "status": status.value,
        "total": total,
        "done": job.done,
        "imported": job.imported,
        "rejected": job.rejected,
        "progress": round(min(1.0, job.done / total), 3) if total else 0.0,
        "first_rejected": [
            {
                "line": r.line,
                "serial": r.serial,
                "model_code": r.model_code,
                "reason": r.reason,
                "messages": both(r.reason),
            }
            for r in job.rejected_sample
        ],
        "created_by": job.created_by,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "error": {"code": error_code, "messages": both(error_code, **job.error_details)}
        if error_code
        else None,
        "report": report,
        "report_expired": status is ImportStatus.DONE and not kept,
    }


def _own_import(import_id: str) -> UnitImport:
    if not import_id.startswith("ui_") or len(import_id) > 64:
        raise NotFound("unit_import_not_found")
    job = catalog_wiring.unit_imports().get(import_id)
    if job.brand_id != get_settings().brand_id:
        raise NotFound("unit_import_not_found")
    return job


@console_imports.route(
    "/units/imports", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def create_unit_import() -> Response:
    """``{"filename", "size_bytes"}`` → 201, the import and the presigned PUT for its file."""
    principal = _staff()
    from chalicelib.catalog import import_runner
    from chalicelib.catalog.import_jobs import UPLOAD_LINK_TTL
    from chalicelib.catalog.import_schemas import UnitImportRequest

    request = parse_request(console_imports.current_request, UnitImportRequest)
    now = datetime.now(UTC)
    link = import_runner.create_import(
        request.filename,
        request.size_bytes,
        brand_id=get_settings().brand_id,
        language=language_of(console_imports.current_request),
        by=principal.username,
        now=now,
        expires_seconds=int(UPLOAD_LINK_TTL.total_seconds()),
        jobs=catalog_wiring.unit_imports(),
        storage=platform_wiring.storage(),
    )
    view = _import_view(link.job, with_report=False)
    view["upload"] = {
        "url": link.url,
        "method": "PUT",
        "headers": {"Content-Type": link.content_type},
        "expires_at": _iso(now + UPLOAD_LINK_TTL),
    }
    return json_response(view, status=201)


@console_imports.route(
    "/units/imports/{import_id}/start",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def start_unit_import(import_id: str) -> Response:
    """The file is uploaded: 202 and the queued import (the same answer when asked again)."""
    _staff()
    from chalicelib.catalog import import_runner

    job = import_runner.start_import(
        _own_import(import_id),
        now=datetime.now(UTC),
        jobs=catalog_wiring.unit_imports(),
        storage=platform_wiring.storage(),
    )
    return json_response(_import_view(job, with_report=False), status=202)


@console_imports.route("/units/imports", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_unit_imports() -> Response:
    """The brand's imports, newest first: ``?limit=20&cursor=…``."""
    _staff()
    params = _query(frozenset({"limit", "cursor"}))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursors = platform_wiring.cursors()
    jobs, cursor = catalog_wiring.unit_imports().list_for_brand(
        get_settings().brand_id,
        limit=limit,
        cursor=cursors.decode(CURSOR_SCOPE, params.get("cursor")),
    )
    return json_response(
        {
            "imports": [_import_view(job, with_report=False) for job in jobs],
            "next_cursor": cursors.encode(CURSOR_SCOPE, cursor),
        }
    )


@console_imports.route("/units/imports/{import_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_unit_import(import_id: str) -> Response:
    """Status, progress, counts and the first rejected lines; when done, the report's link
    (valid for 15 minutes)."""
    _staff()
    return json_response(_import_view(_own_import(import_id), with_report=True))
