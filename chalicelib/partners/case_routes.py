"""Partners' cases over HTTP: the partner's own (``/partner/cases…``, a partner session; a
partner only ever reaches its own cases) and the staff's (``/cases…``, by role: admin and
customer service read and answer every case, a technician service cases only, a director
reads)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Forbidden, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.partners import case_service, service, sessions
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.case_views import case_summary_view, case_view
from chalicelib.partners.cases import Case, CaseKind, CaseStatus
from chalicelib.partners.model import Partner
from chalicelib.partners.routes import request_id
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate, bearer_token
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

partner_cases = Blueprint(__name__)  # registered under /partner
console_cases = Blueprint(f"{__name__}.console")
PARTNER_CORS = cors_for(get_settings().portal_url)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.CS, Role.TECHNICIAN, Role.DIRECTOR})
ANSWERERS = frozenset({Role.ADMIN, Role.CS, Role.TECHNICIAN})
_EVERY_KIND = frozenset(CaseKind)
KINDS_OF_ROLE: dict[str, frozenset[CaseKind]] = {
    Role.ADMIN: _EVERY_KIND,
    Role.CS: _EVERY_KIND,
    Role.DIRECTOR: _EVERY_KIND,
    Role.TECHNICIAN: frozenset({CaseKind.SERVICE}),  # units, not rewards
}
MAX_BODY = 16 * 1024  # a note of 2,000 characters (6 KB of UTF-8 at most) and five keys
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
_QUEUE_QUERY = frozenset({"status", "kind", "limit", "cursor"})


# -- the partner's own ---------------------------------------------------------------------


def _partner() -> Partner:
    """The partner of the request's session (``Authorization: Bearer pst_…``), approved."""
    return sessions.authenticate(
        bearer_token(partner_cases.current_request),
        now=datetime.now(UTC),
        key=sessions.signing_key(platform_wiring.secrets().pepper),
        sessions=partner_wiring.session_repository(),
        partners=partner_wiring.partner_repository(),
        allowed=sessions.SIGNED_IN,
    )


def _shown(case: Case, *, staff: bool) -> Response:
    links = case_service.photo_links(case, storage=platform_wiring.storage())
    return json_response({"case": case_view(case, links, staff=staff)})


@partner_cases.route("/cases", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PARTNER_CORS)
@maps_domain_errors
def open_partner_case() -> Response:
    """A new case (201): a service case for a unit the partner installed, or a complaint about
    one of its reward entries."""
    from chalicelib.partners import case_schemas  # pydantic: loaded by body routes on first use

    partner = _partner()
    request = parse_request(partner_cases.current_request, case_schemas.CaseOpenRequest, MAX_BODY)
    case = case_service.open_case(
        partner,
        case_service.CaseRequest(
            request.case_kind(), request.serial, request.subject, request.draft()
        ),
        at=datetime.now(UTC),
        cases=partner_wiring.case_repository(),
        units=catalog_wiring.unit_repository(),
        ledger=partner_wiring.reward_ledger(),
        storage=platform_wiring.storage(),
    )
    links = case_service.photo_links(case, storage=platform_wiring.storage())
    return json_response({"case": case_view(case, links, staff=False)}, status=201)


@partner_cases.route("/cases", methods=["GET"], cors=PARTNER_CORS)
@maps_domain_errors
def list_partner_cases() -> Response:
    """The partner's own cases, the latest activity first, paged."""
    partner = _partner()
    params: dict[str, str] = dict(partner_cases.current_request.query_params or {})
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"partner-cases-{partner.partner_id}"  # a cursor opens only its own partner's list
    cursors = platform_wiring.cursors()
    page = case_service.partner_page(
        partner.partner_id,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        cases=partner_wiring.case_repository(),
    )
    return json_response(
        {
            "cases": [case_summary_view(c, staff=False) for c in page.cases],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@partner_cases.route("/cases/{case_id}", methods=["GET"], cors=PARTNER_CORS)
@maps_domain_errors
def read_partner_case(case_id: str) -> Response:
    """One of the partner's own cases with its thread (another's is 404 ``case_not_found``)."""
    partner = _partner()
    case = case_service.partner_case(
        partner.partner_id, case_id, cases=partner_wiring.case_repository()
    )
    return _shown(case, staff=False)


@partner_cases.route(
    "/cases/{case_id}/notes", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PARTNER_CORS
)
@maps_domain_errors
def add_partner_case_note(case_id: str) -> Response:
    """The partner's note (201): the case is open again, a closed one reopened."""
    from chalicelib.partners import case_schemas  # pydantic: loaded by body routes on first use

    partner = _partner()
    request = parse_request(partner_cases.current_request, case_schemas.CaseNoteRequest, MAX_BODY)
    case = case_service.add_partner_note(
        partner.partner_id,
        case_id,
        request.draft(),
        at=datetime.now(UTC),
        cases=partner_wiring.case_repository(),
        storage=platform_wiring.storage(),
    )
    links = case_service.photo_links(case, storage=platform_wiring.storage())
    return json_response({"case": case_view(case, links, staff=False)}, status=201)


@partner_cases.route("/cases/{case_id}/close", methods=["POST"], cors=PARTNER_CORS)
@maps_domain_errors
def close_partner_case(case_id: str) -> Response:
    """The partner closes its case (writing a note reopens it)."""
    partner = _partner()
    case = case_service.close_by_partner(
        partner.partner_id, case_id, at=datetime.now(UTC), cases=partner_wiring.case_repository()
    )
    return _shown(case, staff=False)


@partner_cases.route(
    "/cases/photos", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PARTNER_CORS
)
@maps_domain_errors
def start_partner_case_photo() -> Response:
    """A presigned PUT for a photo of the partner's (JPEG, PNG or WebP, at most 5 MB)."""
    from chalicelib.catalog import schemas as catalog_schemas

    partner = _partner()
    request = parse_request(partner_cases.current_request, catalog_schemas.ImageUploadRequest)
    upload = case_service.start_photo_upload(
        partner.partner_id, request.content_type, request.size, storage=platform_wiring.storage()
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@partner_cases.route(
    "/cases/photos/done", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PARTNER_CORS
)
@maps_domain_errors
def finish_partner_case_photo() -> Response:
    """The uploaded photo checked and stored without metadata: its key for a note."""
    from chalicelib.catalog import schemas as catalog_schemas

    partner = _partner()
    request = parse_request(partner_cases.current_request, catalog_schemas.ImageUploadedRequest)
    return _photo_done(partner.partner_id, request.key)


def _photo_done(owner: str, key: str) -> Response:
    storage = platform_wiring.storage()
    photo = case_service.finish_photo_upload(owner, key, storage=storage)
    url = storage.download_url(photo, expires_seconds=case_service.PHOTO_LINK_SECONDS)
    return json_response({"photo": {"key": photo, "url": url}})


# -- staff ---------------------------------------------------------------------------------


def _staff(allowed: frozenset[str]) -> tuple[Principal, frozenset[CaseKind]]:
    """The staff member, and the kinds of case their roles reach."""
    principal = authenticate(console_cases.current_request, get_settings(), allowed)
    kinds: frozenset[CaseKind] = frozenset()
    for role in principal.roles:
        kinds |= KINDS_OF_ROLE.get(role, frozenset())
    return principal, kinds


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username, datetime.now(UTC), request_id(console_cases.current_request)
    )


def _messaging() -> case_service.Messaging:
    return case_service.Messaging(platform_wiring.secrets().pepper, get_settings().brand_id)


def _queue_filters(
    params: dict[str, str], kinds: frozenset[CaseKind]
) -> tuple[CaseStatus, CaseKind | None]:
    unknown = sorted(set(params) - _QUEUE_QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    try:
        status = CaseStatus(params.get("status") or CaseStatus.OPEN.value)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "case_status_invalid")]) from None
    try:
        kind = CaseKind(params["kind"]) if params.get("kind") else None
    except ValueError:
        raise Invalid(fields=[FieldError("kind", "case_kind_invalid")]) from None
    if kind is not None and kind not in kinds:
        raise Forbidden("role_not_allowed")
    if kind is None and kinds != _EVERY_KIND:
        (kind,) = kinds  # a technician's queue is the service cases
    return status, kind


@console_cases.route("/cases", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_cases() -> Response:
    """``GET /cases?status=open|answered|closed&kind=&limit=&cursor=``: the queue (open: the
    longest waiting first)."""
    _, kinds = _staff(READERS)
    params: dict[str, str] = dict(console_cases.current_request.query_params or {})
    status, kind = _queue_filters(params, kinds)
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"cases-{status.value}-{kind.value if kind else 'all'}"
    cursors = platform_wiring.cursors()
    page = case_service.queue_page(
        status,
        kind,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        cases=partner_wiring.case_repository(),
    )
    return json_response(
        {
            "cases": [case_summary_view(c, staff=True) for c in page.cases],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@console_cases.route("/cases/{case_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_case(case_id: str) -> Response:
    """A case with its thread and its photos' links."""
    _, kinds = _staff(READERS)
    case = case_service.staff_case(case_id, kinds, cases=partner_wiring.case_repository())
    return _shown(case, staff=True)


@console_cases.route(
    "/cases/{case_id}/notes", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def answer_case(case_id: str) -> Response:
    """A staff answer (201): the case is ``answered``, the partner told, audited."""
    from chalicelib.partners import case_schemas  # pydantic: loaded by body routes on first use

    principal, kinds = _staff(ANSWERERS)
    request = parse_request(console_cases.current_request, case_schemas.CaseNoteRequest, MAX_BODY)
    case = case_service.answer(
        case_id,
        request.draft(),
        _change(principal),
        kinds,
        cases=partner_wiring.case_repository(),
        partners=partner_wiring.partner_repository(),
        storage=platform_wiring.storage(),
        trail=audit_wiring.audit_trail(),
        messaging=_messaging(),
    )
    links = case_service.photo_links(case, storage=platform_wiring.storage())
    return json_response({"case": case_view(case, links, staff=True)}, status=201)


@console_cases.route("/cases/{case_id}/close", methods=["POST"], cors=CORS)
@maps_domain_errors
def close_case(case_id: str) -> Response:
    """Staff close the case (the partner may reopen it by writing), audited."""
    principal, kinds = _staff(ANSWERERS)
    case = case_service.close_by_staff(
        case_id,
        _change(principal),
        kinds,
        cases=partner_wiring.case_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return _shown(case, staff=True)


@console_cases.route("/cases/photos", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_case_photo() -> Response:
    """A presigned PUT for a photo of a staff answer."""
    from chalicelib.catalog import schemas as catalog_schemas

    _staff(ANSWERERS)
    request = parse_request(console_cases.current_request, catalog_schemas.ImageUploadRequest)
    upload = case_service.start_photo_upload(
        case_service.STAFF_OWNER,
        request.content_type,
        request.size,
        storage=platform_wiring.storage(),
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@console_cases.route(
    "/cases/photos/done", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def finish_case_photo() -> Response:
    """The uploaded photo checked and stored without metadata: its key for an answer."""
    from chalicelib.catalog import schemas as catalog_schemas

    _staff(ANSWERERS)
    request = parse_request(console_cases.current_request, catalog_schemas.ImageUploadedRequest)
    return _photo_done(case_service.STAFF_OWNER, request.key)
