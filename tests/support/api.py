"""The app through ``chalice.test.Client``, plus staff tokens: genuine (signed in through
``POST /auth/login``), forged (another RSA key), expired (the emulator's own key, past ``exp``)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
from chalice.test import Client, HTTPResponse
from jwt.algorithms import RSAAlgorithm

from devstack.demo_users import DEMO_USERS


class Api:
    """Thin helpers over the Chalice test client: JSON in, response out."""

    def __init__(self, project_dir: Path) -> None:
        from app import app

        # An empty project dir: the test client must not patch in a stage's environment from
        # .chalice/config.json (it would point boto3 at another emulator).
        self.client = Client(app, project_dir=str(project_dir))

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | str | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HTTPResponse:
        sent = dict(headers or {})
        if token is not None:
            sent.setdefault("Authorization", f"Bearer {token}")
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False)
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        return self.client.http.request(method, path, headers=sent, body=raw)

    def get(self, path: str, **kwargs: Any) -> HTTPResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> HTTPResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> HTTPResponse:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> HTTPResponse:
        return self.request("DELETE", path, **kwargs)


def error_code(response: HTTPResponse) -> str:
    return str(response.json_body["error"]["code"])


def field_codes(response: HTTPResponse) -> dict[str, str]:
    """``{"cursor": "cursor_invalid"}`` from an ``invalid_input`` answer's ``fields``."""
    return {f["field"]: f["code"] for f in response.json_body["error"].get("fields", [])}


def password_of(username: str) -> str:
    return next(user.password for user in DEMO_USERS if user.username == username)


class StaffTokens:
    """ID tokens of the demo users, one sign-in per user per test."""

    def __init__(self, api: Api) -> None:
        self._api = api
        self._tokens: dict[str, str] = {}

    def __call__(self, username: str) -> str:
        if username not in self._tokens:
            response = self._api.post(
                "/auth/login",
                json_body={"username": username, "password": password_of(username)},
            )
            assert response.status_code == 200, response.body
            self._tokens[username] = str(response.json_body["id_token"])
        return self._tokens[username]


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def forged_token(genuine: str) -> str:
    """The same claims and key id, signed with a key the pool never had."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = jwt.get_unverified_header(genuine)
    return jwt.encode(claims_of(genuine), key, algorithm="RS256", headers={"kid": header["kid"]})


def emulator_signing_key() -> Any:
    """The private key moto's Cognito signs every token with (shipped with moto)."""
    from moto.utilities.utils import load_resource

    return RSAAlgorithm.from_jwk(
        json.dumps(load_resource("cognitoidp/resources/jwks-private.json"))
    )


def resigned_token(genuine: str, **changes: Any) -> str:
    """The genuine token's claims with ``changes``, signed by the pool's own key."""
    claims = {**claims_of(genuine), **changes}
    header = jwt.get_unverified_header(genuine)
    return jwt.encode(
        claims, emulator_signing_key(), algorithm="RS256", headers={"kid": header["kid"]}
    )


def expired_token(genuine: str) -> str:
    """Issued and signed by the pool, but expired an hour ago."""
    now = int(time.time())
    return resigned_token(genuine, iat=now - 7200, auth_time=now - 7200, exp=now - 3600)
