"""The OpenAPI 3.1 document of the app: paths from ``app.routes`` (Chalice's own table),
request bodies from the pydantic models the routes validate with, answers from
:mod:`infra.openapi.shapes`, the rest from :mod:`infra.openapi.operations`. Deterministic: the
same code gives the same bytes (sorted keys, no timestamps)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from infra.openapi import shapes
from infra.openapi.operations import (
    BODY_ERRORS,
    DEALER_ERRORS,
    DEFAULT_BODY_LIMIT,
    EVERY_ROUTE_ERRORS,
    HOOKS,
    JSON,
    OPERATIONS,
    PARTNER_ERRORS,
    PATH_EXAMPLES,
    PATH_PARAMETERS,
    QUERY_ERRORS,
    SERVICE_ERRORS,
    STAFF_ERRORS,
    Operation,
)

TITLE = "Garanti API"
VERSION = "1"
REF = "#/components/schemas/{model}"
ERROR = {"$ref": "#/components/schemas/ErrorResponse"}
STATUS_TEXT = {
    400: "Malformed or invalid input",
    401: "Missing, forged or expired credentials",
    403: "Not allowed: the role may not, or the phone is not proven",
    404: "Unknown (or a token that fails its check: the same answer)",
    409: "The state forbids it",
    413: "Body over the route's limit",
    415: "The body is not declared as the route's type",
    422: "Well formed, but contradicts an earlier request (an idempotency key reused)",
    429: "Rate limit (`retry_after` and a `Retry-After` header)",
    500: "A fault of ours (never the exception's text)",
    503: "A provider did not answer in time (`Retry-After`)",
}
SECURITY_SCHEMES: dict[str, Any] = {
    "staff": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A Cognito ID or access token from `POST /auth/login`, verified against "
        "the pool's JWKS (signature, expiry, issuer, client); the role is the Cognito group.",
    },
    "lookup": {
        "type": "http",
        "scheme": "bearer",
        "description": "The look-up token from `POST /public/otp/verify` (15 minutes).",
    },
    "partner": {
        "type": "http",
        "scheme": "bearer",
        "description": "A partner session token (`pst_…`) from `POST /partner/signup` or "
        "`POST /partner/sessions`: 90 days from its last day of use, ended by sign-out, "
        "suspension or rejection.",
    },
    "dealer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A Cognito ID token from `POST /auth/login` of a user in the `dealer` "
        "group, still mapped to an active dealer (read on every request).",
    },
    "service": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A Cognito ID token from `POST /auth/login` of a user in the `service` "
        "group (a partner service company's), still mapped to an active centre (read on every "
        "request).",
    },
    "esms_sign": {
        "type": "apiKey",
        "in": "query",
        "name": "sign",
        "description": "Base64(MD5(cpid + smsid + content + receiverTime + key)), with `cpid`.",
    },
    "twilio_signature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Twilio-Signature",
        "description": "Twilio's HMAC-SHA1 over the public callback URL and the form.",
    },
    "zalo_signature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-ZEvent-Signature",
        "description": "`mac=sha256(app_id + body + timestamp + OA secret)`, timestamp within "
        "±300 s.",
    },
}


class DriftError(RuntimeError):
    """The routes and the operations table disagree."""


def _schemas() -> dict[str, Any]:
    models: list[type[BaseModel]] = list(shapes.SHAPES)
    models += [op.body for op in OPERATIONS if op.body is not None and op.body not in models]
    _, top = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    defs: dict[str, Any] = top.get("$defs", {})
    return defs


def _merge(*tables: Mapping[int, tuple[str, ...]]) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    for table in tables:
        for status, codes in table.items():
            known = merged.setdefault(status, [])
            known += [code for code in codes if code not in known]
    return merged


def _errors(op: Operation) -> dict[int, list[str]]:
    tables = [op.errors, EVERY_ROUTE_ERRORS]
    if op.body is not None:
        tables.append(BODY_ERRORS)
    if op.query and op.tag != HOOKS:  # a hook's parameter: hook_parameter_invalid
        tables.append(QUERY_ERRORS)
    if op.security == "staff":
        tables.append(STAFF_ERRORS)
    if op.security == "partner":
        tables.append(PARTNER_ERRORS)
    if op.security == "dealer":
        tables.append(DEALER_ERRORS)
    if op.security == "service":
        tables.append(SERVICE_ERRORS)
    return _merge(*tables)


def _request_body(op: Operation) -> dict[str, Any] | None:
    content: dict[str, Any] = {}
    if op.body is not None:
        content[JSON] = {"schema": {"$ref": REF.format(model=op.body.__name__)}}
        if op.example is not None:
            content[JSON]["example"] = op.example
    for media in op.raw_bodies:
        raw: dict[str, Any] = {"schema": {"type": "string"}}
        if media == JSON and op.provider_body is not None:
            raw["schema"] = {"$ref": REF.format(model=op.provider_body.__name__)}
            if op.example is not None:
                raw["example"] = op.example
        if isinstance(op.example, str) and op.body is None:
            raw["example"] = op.example
        content.setdefault(media, raw)
    if not content:
        return None
    limit = op.max_body or DEFAULT_BODY_LIMIT
    return {
        "required": True,
        "description": f"At most {limit} bytes; unknown fields are refused (`unknown_field`)."
        if op.body is not None
        else f"At most {limit} bytes.",
        "content": {media: content[media] for media in sorted(content)},
    }


def _success(op: Operation) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": op.summary}
    if isinstance(op.answer, str):
        answer["content"] = {op.answer: {"schema": {"type": "string"}}}
    elif op.answer is not None:
        answer["content"] = {JSON: {"schema": {"$ref": REF.format(model=op.answer.__name__)}}}
    return answer


def _responses(op: Operation) -> dict[str, Any]:
    responses = {str(op.status): _success(op)}
    for status, codes in sorted(_errors(op).items()):
        responses[str(status)] = {
            "description": STATUS_TEXT[status] + ": " + ", ".join(f"`{c}`" for c in codes),
            "content": {JSON: {"schema": ERROR}},
            "x-error-codes": codes,
        }
    return responses


def _parameters(op: Operation, path_names: Iterable[str]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": PATH_PARAMETERS[name],
            "schema": {"type": "string", "minLength": 1},
            **_path_example(op, name),
        }
        for name in path_names
    ]
    parameters += [
        {
            "name": q.name,
            "in": "query",
            "required": q.required,
            "description": q.description,
            "schema": dict(q.schema),
            **({} if q.example is None else {"example": q.example}),
        }
        for q in op.query
    ]
    parameters.append(
        {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": "The language of `error.message` (`vi` by default, `en`).",
            "schema": {"type": "string", "maxLength": 64},
        }
    )
    return parameters


def _path_example(op: Operation, name: str) -> dict[str, str]:
    example = op.path_examples.get(name, PATH_EXAMPLES.get(name))
    return {} if example is None else {"example": example}


def _security(op: Operation) -> list[dict[str, list[str]]]:
    return [] if op.security is None else [{op.security: []}]


def _description(op: Operation) -> str:
    parts = [op.description] if op.description else []
    if op.roles:
        parts.append("Roles: " + ", ".join(f"`{r}`" for r in sorted(op.roles)) + ".")
    return " ".join(parts)


def _operation(op: Operation, path_names: Iterable[str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": f"{op.method.lower()} {op.path}",
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op, path_names),
        "responses": _responses(op),
        "security": _security(op),
    }
    if description := _description(op):
        document["description"] = description
    if op.roles:
        document["x-roles"] = sorted(op.roles)
    if (body := _request_body(op)) is not None:
        document["requestBody"] = body
    return document


def _check_routes(routes: Mapping[str, Mapping[str, Any]]) -> None:
    served = {(method, path) for path, methods in routes.items() for method in methods}
    described = [(op.method, op.path) for op in OPERATIONS]
    missing = sorted(served - set(described))
    stale = sorted(set(described) - served)
    twice = sorted({key for key in described if described.count(key) > 1})
    if missing or stale or twice:
        raise DriftError(
            "infra/openapi/operations.py and app.py disagree: "
            f"routes without an entry {missing}, entries without a route {stale}, "
            f"entries given twice {twice}"
        )


def build(routes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The document of ``routes`` (``app.routes``: path → method → Chalice ``RouteEntry``)."""
    _check_routes(routes)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        entry = routes[op.path][op.method]
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, entry.view_args)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Generated by `make openapi` (python -m infra.openapi) from the "
            "routes of app.py; the prose is docs/api.md. Every error answers "
            '`{"error": {"code", "message", "messages": {"vi", "en", "fa"}, …}}` with a '
            "stable `code` (listed per answer in `x-error-codes`).",
        },
        "servers": [{"url": "http://127.0.0.1:8000", "description": "the embedded stack"}],
        "tags": [{"name": name} for name in dict.fromkeys(op.tag for op in OPERATIONS)],
        "paths": paths,
        "components": {"schemas": _schemas(), "securitySchemes": SECURITY_SCHEMES},
    }


def render(document: Mapping[str, Any]) -> str:
    """The committed text: sorted keys, two-space indent, UTF-8 as it is, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
