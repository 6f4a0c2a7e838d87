"""Staff tokens: verified in our code against the Cognito pool's JWKS on every stage
(chalice local and the test client accept any token, and API Gateway's authorizer is only an
outer gate). Roles are Cognito groups."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalice.app import Request

from chalicelib.core.errors import Forbidden, Unauthorized
from chalicelib.core.settings import Settings
from chalicelib.platform.cache import on_reset

LEEWAY_SECONDS = 30


class Role(StrEnum):
    ADMIN = "admin"
    CS = "cs"
    TECHNICIAN = "technician"
    ACCOUNTANT = "accountant"
    DIRECTOR = "director"
    DEALER = "dealer"  # a dealer's own user: sees only its dealer's shipments, units, activations
    SERVICE = "service"  # a partner service company's user: sees only the requests sent to it


# The manufacturer's own people: every route that says "staff" means these, never a dealer's or
# a service company's user.
OUTSIDERS = frozenset({Role.DEALER, Role.SERVICE})
STAFF = frozenset(Role) - OUTSIDERS


@dataclass(frozen=True)
class Principal:
    username: str
    subject: str
    roles: frozenset[str]
    token_use: str = "id"  # "access" for an access token (the one Cognito's own calls take)


@functools.cache
def _jwks_client(url: str) -> Any:
    from jwt import PyJWKClient  # PyJWT + cryptography: loaded by staff routes only

    return PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


on_reset(_jwks_client.cache_clear)


def bearer_token(request: Request) -> str:
    header = str(request.headers.get("authorization", ""))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("authentication_required")
    return token.strip()


def verify_staff_token(token: str, settings: Settings) -> Principal:
    """Signature (RS256, key from the pool's JWKS), expiry, issuer, client and token use."""
    import jwt

    if not settings.cognito_client_id:
        raise Unauthorized("authentication_unavailable")
    try:
        signing_key = _jwks_client(settings.cognito_jwks_url).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            issuer=settings.cognito_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token_expired") from exc
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
        raise Unauthorized("token_invalid") from exc
    use = claims.get("token_use")
    audience = claims.get("aud") if use == "id" else claims.get("client_id")
    if use not in ("id", "access") or audience != settings.cognito_client_id:
        raise Unauthorized("token_invalid")
    username = claims.get("cognito:username") or claims.get("username") or claims["sub"]
    return Principal(
        username=str(username),
        subject=str(claims["sub"]),
        roles=frozenset(str(g) for g in claims.get("cognito:groups", [])),
        token_use=str(use),
    )


def authenticate(request: Request, settings: Settings, allowed: frozenset[str]) -> Principal:
    """The signed-in staff member, if one of their roles is in ``allowed``."""
    principal = verify_staff_token(bearer_token(request), settings)
    if not principal.roles & allowed:
        raise Forbidden("role_not_allowed")
    return principal
