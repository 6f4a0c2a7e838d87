"""Staff routes for service centres (``/service-centers``): the list by code prefix and status,
one centre, creation, edits and status changes, a partner company's users (each change
audited). Every staff role reads; the admin and customer service (who route requests to the
centres) write."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.lifecycle import Lifecycle
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import STAFF, Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
    request_id,
)
from chalicelib.service_centers import service
from chalicelib.service_centers import wiring as center_wiring
from chalicelib.service_centers.model import CenterKind, normalize_center_code
from chalicelib.service_centers.views import added_user_view, center_user_view, detail_view
from chalicelib.service_centers.views import center_view as list_item_view
from chalicelib.staff.users import temporary_password, valid_email, valid_username

console_service_centers = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = STAFF
WRITERS = frozenset({Role.ADMIN, Role.CS})
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
CODE_PREFIX_MAX = 32
_QUERY = frozenset({"code", "status", "limit", "cursor"})
MAX_BODY = 8192


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_service_centers.current_request, get_settings(), allowed)


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username,
        datetime.now(UTC),
        request_id(console_service_centers.current_request),
    )


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_service_centers.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _status(raw: str | None) -> Lifecycle | None:
    if not raw:
        return None
    try:
        return Lifecycle(raw)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "center_status_invalid")]) from None


def _prefix(raw: str | None) -> str:
    """A code's start as typed: ``hn`` finds ``HN-TT01``; empty lists every centre."""
    text = (raw or "").strip().upper()
    if len(text) > 1:
        normalize_center_code(text)  # center_code_invalid on ``code``
    elif text and not text.isalnum():
        raise Invalid(fields=[FieldError("code", "center_code_invalid")])
    if len(text) > CODE_PREFIX_MAX:
        raise Invalid(fields=[FieldError("code", "center_code_invalid")])
    return text


@console_service_centers.route("/service-centers", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_service_centers() -> Response:
    """``GET /service-centers?code=HN&status=active&limit=&cursor=``: code order, paged."""
    _staff(READERS)
    params = _query()
    prefix = _prefix(params.get("code"))
    status = _status(params.get("status"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"centers-{prefix}-{status.value if status else 'all'}"
    cursors = platform_wiring.cursors()
    page = service.list_centers(
        prefix,
        status,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        centers=center_wiring.center_repository(),
    )
    return json_response(
        {
            "centers": [list_item_view(c) for c in page.centers],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@console_service_centers.route(
    "/service-centers", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def create_service_center() -> Response:
    from chalicelib.service_centers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_service_centers.current_request, schemas.CenterCreateRequest, MAX_BODY
    )
    center = service.create(
        request.details(request.code, CenterKind(request.kind)),
        request.note,
        _change(principal),
        centers=center_wiring.center_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(detail_view(center), status=201)


@console_service_centers.route("/service-centers/{center_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_service_center(center_id: str) -> Response:
    _staff(READERS)
    center = service.get(center_id, centers=center_wiring.center_repository())
    return json_response(detail_view(center))


@console_service_centers.route(
    "/service-centers/{center_id}", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def edit_service_center(center_id: str) -> Response:
    """New details, conditional on the ``version`` the form read (409 ``center_changed``)."""
    from chalicelib.service_centers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_service_centers.current_request, schemas.CenterEditRequest, MAX_BODY
    )
    centers = center_wiring.center_repository()
    current = service.get(center_id, centers=centers)
    center = service.update(
        center_id,
        request.details(current.code, current.details.kind),
        request.version,
        _change(principal),
        centers=centers,
        trail=audit_wiring.audit_trail(),
    )
    return json_response(detail_view(center))


@console_service_centers.route(
    "/service-centers/{center_id}/status",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def set_service_center_status(center_id: str) -> Response:
    """Suspend or reinstate (``active``), or close for good; a note to suspend or close."""
    from chalicelib.service_centers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_service_centers.current_request, schemas.CenterStatusRequest, MAX_BODY
    )
    center = service.set_status(
        center_id,
        Lifecycle(request.status),
        request.note,
        _change(principal),
        centers=center_wiring.center_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(detail_view(center))


# -- a partner company's users -----------------------------------------------------------------


@console_service_centers.route("/service-centers/{center_id}/users", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_service_center_users(center_id: str) -> Response:
    _staff(WRITERS)
    center = service.get(center_id, centers=center_wiring.center_repository())
    found = service.list_users(
        center.center_id, accounts=center_wiring.accounts(), users=center_wiring.center_users()
    )
    return json_response({"users": [center_user_view(u) for u in found]})


@console_service_centers.route(
    "/service-centers/{center_id}/users",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def add_service_center_user(center_id: str) -> Response:
    """A new account in the ``service`` group for this partner company; the temporary password
    is in this answer and nowhere else (the user replaces it at the first sign-in)."""
    from chalicelib.service_centers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_service_centers.current_request, schemas.CenterUserRequest, MAX_BODY
    )
    username, email = valid_username(request.username), valid_email(request.email)
    center = service.get(center_id, centers=center_wiring.center_repository())
    added = service.add_user(
        center,
        username,
        email,
        temporary_password(),
        _change(principal),
        accounts=center_wiring.accounts(),
        users=center_wiring.center_users(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(added_user_view(added), status=201)


@console_service_centers.route(
    "/service-centers/{center_id}/users/{username}", methods=["DELETE"], cors=CORS
)
@maps_domain_errors
def remove_service_center_user(center_id: str, username: str) -> Response:
    """The user no longer acts for the company, and its account is disabled."""
    principal = _staff(WRITERS)
    service.remove_user(
        center_id,
        username,
        _change(principal),
        accounts=center_wiring.accounts(),
        users=center_wiring.center_users(),
        trail=audit_wiring.audit_trail(),
    )
    return Response(body="", status_code=204)
