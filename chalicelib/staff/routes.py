"""Staff sign-in against the Cognito user pool: sign in, refresh, and the first sign-in's new
password."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.core.settings import get_settings
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)
from chalicelib.platform.identity import Tokens
from chalicelib.staff import wiring as staff_wiring

auth_routes = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)


def _tokens(tokens: Tokens) -> Response:
    return json_response(
        {
            "id_token": tokens.id_token,
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_in": tokens.expires_in,
            "token_type": "Bearer",
        }
    )


@auth_routes.route("/auth/login", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def login() -> Response:
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(auth_routes.current_request, schemas.LoginRequest, max_bytes=4096)
    return _tokens(staff_wiring.identity().sign_in(request.username, request.password))


@auth_routes.route("/auth/refresh", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def refresh() -> Response:
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(auth_routes.current_request, schemas.RefreshRequest, max_bytes=8192)
    return _tokens(staff_wiring.identity().refresh(request.refresh_token))


@auth_routes.route(
    "/auth/new-password", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def set_first_password() -> Response:
    """A temporary password (an invited user's first sign-in) replaced by the user's own."""
    from chalicelib.staff import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(auth_routes.current_request, schemas.NewPasswordRequest, max_bytes=4096)
    return _tokens(
        staff_wiring.identity().set_first_password(
            request.username, request.password, request.new_password
        )
    )
