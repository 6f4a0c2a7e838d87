"""Staff accounts for an administrator (``/staff/users``) and every staff member's own password
(``/auth/password``). Each route checks the bearer token; every change is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.core.errors import FieldError, Invalid, NotFound, Unauthorized
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate, bearer_token, verify_staff_token
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)
from chalicelib.staff import users
from chalicelib.staff import wiring as staff_wiring
from chalicelib.staff.views import invited_view, user_view

console_staff = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

ADMIN = frozenset({Role.ADMIN})
CURSOR_SCOPE = "staff-users"
_QUERY = frozenset({"cursor"})


def _admin() -> users.Change:
    principal: Principal = authenticate(console_staff.current_request, get_settings(), ADMIN)
    context = console_staff.current_request.context or {}
    return users.Change(
        actor=principal.username,
        at=datetime.now(UTC),
        source=str(context.get("requestId") or uuid.uuid4().hex),
    )


def _username(raw: str) -> str:
    try:
        return users.valid_username(raw)
    except Invalid:
        raise NotFound("user_not_found") from None


@console_staff.route("/staff/users", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_staff_users() -> Response:
    """``GET /staff/users?cursor=…``: the pool's accounts, 60 a page, with their roles."""
    _admin()
    params: dict[str, str] = dict(console_staff.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    cursors = platform_wiring.cursors()
    position = cursors.decode(CURSOR_SCOPE, params.get("cursor"))
    token = position["token"]["S"] if position else None
    page, next_token = staff_wiring.accounts().page(token)
    return json_response(
        {
            "users": [user_view(u) for u in page],
            "next_cursor": cursors.encode(
                CURSOR_SCOPE, {"token": {"S": next_token}} if next_token else None
            ),
        }
    )


@console_staff.route("/staff/users", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def invite_staff_user() -> Response:
    """A new account; the temporary password is in this answer and nowhere else."""
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    change = _admin()
    request = parse_request(console_staff.current_request, schemas.InviteRequest, max_bytes=4096)
    invited = users.invite(
        users.valid_username(request.username),
        users.valid_email(request.email),
        users.roles_of(request.roles),
        change,
        accounts=staff_wiring.accounts(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(invited_view(invited), status=201)


@console_staff.route(
    "/staff/users/{username}/roles", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def set_staff_roles(username: str) -> Response:
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    change = _admin()
    request = parse_request(console_staff.current_request, schemas.RolesRequest, max_bytes=4096)
    user = users.set_roles(
        _username(username),
        users.roles_of(request.roles),
        change,
        accounts=staff_wiring.accounts(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(user_view(user))


def _set_enabled(username: str, enabled: bool) -> Response:
    change = _admin()
    user = users.set_enabled(
        _username(username),
        enabled,
        change,
        accounts=staff_wiring.accounts(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(user_view(user))


@console_staff.route("/staff/users/{username}/disable", methods=["POST"], cors=CORS)
@maps_domain_errors
def disable_staff_user(username: str) -> Response:
    return _set_enabled(username, False)


@console_staff.route("/staff/users/{username}/enable", methods=["POST"], cors=CORS)
@maps_domain_errors
def enable_staff_user(username: str) -> Response:
    return _set_enabled(username, True)


@console_staff.route("/staff/users/{username}/password", methods=["POST"], cors=CORS)
@maps_domain_errors
def reset_staff_password(username: str) -> Response:
    """A new temporary password, in this answer only; the user's sessions end."""
    change = _admin()
    invited = users.reset_password(
        _username(username),
        change,
        accounts=staff_wiring.accounts(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(invited_view(invited))


@console_staff.route("/auth/password", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def change_own_password() -> Response:
    """The signed-in user's own password, with their access token (Cognito's ChangePassword)."""
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    token = bearer_token(console_staff.current_request)
    principal = verify_staff_token(token, get_settings())
    if principal.token_use != "access":
        raise Unauthorized("access_token_required")
    request = parse_request(
        console_staff.current_request, schemas.ChangePasswordRequest, max_bytes=4096
    )
    staff_wiring.identity().change_password(token, request.current_password, request.new_password)
    return Response(body="", status_code=204)
