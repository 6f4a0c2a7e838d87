"""Staff routes for dealers (``/dealers``): the list by code prefix and status, one dealer with
the dealers it supplies, creation, edits and status changes (each audited). Admin, director, cs
and the accountant read; the admin writes."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.dealers import service, users
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.dealers.model import DealerStatus, normalize_dealer_code
from chalicelib.dealers.views import added_user_view, dealer_user_view, dealer_view, detail_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
    request_id,
)
from chalicelib.staff.users import valid_email, valid_username

console_dealers = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.CS, Role.ACCOUNTANT})
WRITERS = frozenset({Role.ADMIN})
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
CODE_PREFIX_MAX = 32
_QUERY = frozenset({"code", "status", "limit", "cursor"})
MAX_BODY = 4096


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_dealers.current_request, get_settings(), allowed)


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username, datetime.now(UTC), request_id(console_dealers.current_request)
    )


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_dealers.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _status(raw: str | None) -> DealerStatus | None:
    if not raw:
        return None
    try:
        return DealerStatus(raw)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "dealer_status_invalid")]) from None


def _prefix(raw: str | None) -> str:
    """A code's start as typed: ``hn`` finds ``HN-01``; empty lists every dealer."""
    if not raw or not raw.strip():
        return ""
    text = raw.strip().upper()
    if len(text) > CODE_PREFIX_MAX or (len(text) > 1 and not _valid_code(text)):
        raise Invalid(fields=[FieldError("code", "dealer_code_invalid")])
    return text


def _valid_code(text: str) -> bool:
    try:
        normalize_dealer_code(text)
    except Invalid:
        return False
    return True


@console_dealers.route("/dealers", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_dealers() -> Response:
    """``GET /dealers?code=HN&status=active&limit=&cursor=``: code order, paged."""
    _staff(READERS)
    params = _query()
    prefix = _prefix(params.get("code"))
    status = _status(params.get("status"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"dealers-{prefix}-{status.value if status else 'all'}"
    cursors = platform_wiring.cursors()
    page = service.list_dealers(
        prefix,
        status,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        dealers=dealer_wiring.dealer_repository(),
    )
    return json_response(
        {
            "dealers": [dealer_view(d) for d in page.dealers],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@console_dealers.route("/dealers", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_dealer() -> Response:
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(console_dealers.current_request, schemas.DealerCreateRequest, MAX_BODY)
    dealer = service.create(
        request.details(request.code),
        request.note,
        _change(principal),
        dealers=dealer_wiring.dealer_repository(),
        trail=audit_wiring.audit_trail(),
    )
    found = service.detail(dealer.dealer_id, dealers=dealer_wiring.dealer_repository())
    return json_response(detail_view(found), status=201)


@console_dealers.route("/dealers/{dealer_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_dealer(dealer_id: str) -> Response:
    _staff(READERS)
    found = service.detail(dealer_id, dealers=dealer_wiring.dealer_repository())
    return json_response(detail_view(found))


@console_dealers.route(
    "/dealers/{dealer_id}", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def edit_dealer(dealer_id: str) -> Response:
    """New details, conditional on the ``version`` the form read (409 ``dealer_changed``)."""
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(console_dealers.current_request, schemas.DealerEditRequest, MAX_BODY)
    dealers = dealer_wiring.dealer_repository()
    current = service.get(dealer_id, dealers=dealers)
    service.update(
        dealer_id,
        request.details(current.code),
        request.version,
        _change(principal),
        dealers=dealers,
        trail=audit_wiring.audit_trail(),
    )
    return json_response(detail_view(service.detail(dealer_id, dealers=dealers)))


@console_dealers.route(
    "/dealers/{dealer_id}/status", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def set_dealer_status(dealer_id: str) -> Response:
    """Suspend or reinstate (``active``), or close for good; a note to suspend or close."""
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(console_dealers.current_request, schemas.DealerStatusRequest, MAX_BODY)
    dealers = dealer_wiring.dealer_repository()
    service.set_status(
        dealer_id,
        DealerStatus(request.status),
        request.note,
        _change(principal),
        dealers=dealers,
        trail=audit_wiring.audit_trail(),
    )
    return json_response(detail_view(service.detail(dealer_id, dealers=dealers)))


# -- the dealer's users ------------------------------------------------------------------------


def _user_change(principal: Principal) -> users.Change:
    return users.Change(
        principal.username, datetime.now(UTC), request_id(console_dealers.current_request)
    )


@console_dealers.route("/dealers/{dealer_id}/users", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_dealer_users(dealer_id: str) -> Response:
    _staff(WRITERS)
    dealer = service.get(dealer_id, dealers=dealer_wiring.dealer_repository())
    found = users.list_users(
        dealer.dealer_id, accounts=dealer_wiring.accounts(), users=dealer_wiring.dealer_users()
    )
    return json_response({"users": [dealer_user_view(u) for u in found]})


@console_dealers.route(
    "/dealers/{dealer_id}/users", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def add_dealer_user(dealer_id: str) -> Response:
    """A new account in the ``dealer`` group for this dealer; the temporary password is in this
    answer and nowhere else (the user replaces it at the first sign-in)."""
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(console_dealers.current_request, schemas.DealerUserRequest, MAX_BODY)
    username, email = valid_username(request.username), valid_email(request.email)
    dealer = service.get(dealer_id, dealers=dealer_wiring.dealer_repository())
    added = users.add_user(
        dealer,
        username,
        email,
        _user_change(principal),
        accounts=dealer_wiring.accounts(),
        users=dealer_wiring.dealer_users(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(added_user_view(added), status=201)


@console_dealers.route("/dealers/{dealer_id}/users/{username}", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def remove_dealer_user(dealer_id: str, username: str) -> Response:
    """The user no longer acts for the dealer, and its account is disabled."""
    principal = _staff(WRITERS)
    users.remove_user(
        dealer_id,
        username,
        _user_change(principal),
        accounts=dealer_wiring.accounts(),
        users=dealer_wiring.dealer_users(),
        trail=audit_wiring.audit_trail(),
    )
    return Response(body="", status_code=204)
