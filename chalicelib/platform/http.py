"""The HTTP edge: JSON parsing with limits, request validation, and the one place domain
errors become responses (a stable ``code`` plus Vietnamese and English messages)."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from chalice.app import CORSConfig, Request, Response

from chalicelib.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    GarantiError,
    InternalError,
    Invalid,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
)
from chalicelib.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, both, fill, text
from chalicelib.core.observability import logger

if TYPE_CHECKING:  # pydantic is imported by the routes that read a body, on first use
    from pydantic import BaseModel, ValidationError

DEFAULT_MAX_BODY = 16 * 1024
# Routes that read JSON accept these so that a wrong type gets our 415 (with a bilingual
# message) from parse_json instead of Chalice's bare one; only JSON is then parsed.
JSON_ROUTE_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
]
M = TypeVar("M", bound="BaseModel")

_STATUS: dict[type[GarantiError], int] = {
    Invalid: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    MethodNotAllowed: 405,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    Unprocessable: 422,
    TooManyRequests: 429,
    InternalError: 500,
}
_PYDANTIC_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "required",
    "too_long": "too_long",
    "literal_error": "value_not_allowed",
    "enum": "value_not_allowed",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "dict_type": "wrong_type",
    "string_pattern_mismatch": "invalid_format",
    "model_type": "wrong_type",
}
HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
# An error answered outside a route (no route matched, a method the route lacks, API Gateway's
# own refusals) has no route's CORS rule, so a browser page could not read why it failed. Its body
# is a fixed text that names no one, so any origin may read it (no credentials are involved).
OUTSIDE_A_ROUTE_CORS = {"Access-Control-Allow-Origin": "*"}


def cors_for(origin: str) -> CORSConfig:
    """Browsers may call these routes from ``origin`` only (the portal's or the console's)."""
    return CORSConfig(
        allow_origin=origin,
        allow_headers=["Accept-Language", "Idempotency-Key"],
        expose_headers=["Retry-After", "Content-Disposition"],  # a download's file name
        max_age=600,
    )


def language_of(request: Request | None) -> str:
    return language_of_header(request.headers.get("accept-language", "") if request else "")


def language_of_header(accept_language: str) -> str:
    """``"en-US,en;q=0.9"`` → ``"en"``; the default when no language of ours is named."""
    header = accept_language.lower()
    for part in header.split(","):
        lang = part.split(";")[0].strip()[:2]
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        headers={**HEADERS, **(headers or {})},
    )


def error_response(error: GarantiError, language: str) -> Response:
    status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 400)
    # Details fill the message's placeholders ("at most {limit} labels"); lists read as text.
    values = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
        for k, v in error.details.items()
        if v is not None
    }
    body: dict[str, Any] = {
        "code": error.code,
        "message": fill(text(error.code, language), values),
        "messages": {lang: fill(words, values) for lang, words in both(error.code).items()},
        **{k: v for k, v in error.details.items() if v is not None},
    }
    if isinstance(error, Invalid) and error.fields:
        body["fields"] = [
            {"field": f.field, "code": f.code, "message": text(f.code, language)}
            for f in error.fields
        ]
    headers = {}
    if isinstance(error, TooManyRequests) and "retry_after" in error.details:
        headers["Retry-After"] = str(error.details["retry_after"])
    return json_response({"error": body}, status, headers)


def maps_domain_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a view's :class:`GarantiError` into its response (Chalice renders view exceptions
    before middleware sees them, so this must wrap each view)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except GarantiError as error:
            return error_response(error, language_of(_current_request.get()))

    return wrapper


def chalice_errors_in_our_shape(event: Request, get_response: Callable[[Request], Any]) -> Any:
    """HTTP middleware: the answers Chalice makes itself (``{"Code": "MethodNotAllowedError",
    "Message": ...}`` for a method the route lacks, ``InternalServerError`` for a crash in a
    view) in our shape, with a stable code. Register it after :func:`remember_request`."""
    response = get_response(event)
    body = response.body if isinstance(response, Response) else None
    if not isinstance(body, dict) or "Code" not in body:
        return response
    error: GarantiError
    if response.status_code == 405:
        error = MethodNotAllowed()
    elif response.status_code >= 500:
        error = InternalError()
    else:
        error = Invalid("request_rejected")
    shaped = error_response(error, language_of(_current_request.get()))
    shaped.status_code = response.status_code
    shaped.headers = {**OUTSIDE_A_ROUTE_CORS, **response.headers, **shaped.headers}
    return shaped


_current_request: ContextVar[Request | None] = ContextVar("current_request", default=None)


def remember_request(event: Request, get_response: Callable[[Request], Any]) -> Any:
    """HTTP middleware: lets error responses answer in the caller's language."""
    token = _current_request.set(event)
    try:
        return get_response(event)
    finally:
        _current_request.reset(token)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise Invalid("duplicate_key", key=key[:64])
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)  # NaN, Infinity, -Infinity


def require_content_type(request: Request, *accepted: str) -> None:
    """``UnsupportedMediaType`` (415) unless the body's media type is one of ``accepted``."""
    content_type = str(request.headers.get("content-type", accepted[0]))
    if content_type.split(";")[0].strip().lower() not in accepted:
        raise UnsupportedMediaType(expected=accepted[0])


def read_body(request: Request, max_bytes: int) -> bytes:
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > max_bytes:
        raise PayloadTooLarge(max_bytes=max_bytes)
    return raw


def parse_json(request: Request, max_bytes: int = DEFAULT_MAX_BODY) -> Any:
    """The request's JSON body; ``Invalid("malformed_json")`` for anything that is not strict,
    UTF-8, duplicate-free JSON and ``PayloadTooLarge`` above ``max_bytes``."""
    require_content_type(request, "application/json")
    raw = read_body(request, max_bytes)
    if not raw.strip():
        raise Invalid("body_required")
    try:
        return json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise Invalid("malformed_json") from exc


def field_errors(exc: ValidationError) -> list[FieldError]:
    errors = []
    for item in exc.errors(include_url=False, include_context=False, include_input=False):
        path = ".".join(str(part) for part in item["loc"]) or "body"
        kind = item["type"]
        code = _PYDANTIC_CODES.get(kind) or (kind if kind.endswith(_OWN_SUFFIXES) else None)
        errors.append(FieldError(path, code or "wrong_type"))
    return errors


_OWN_SUFFIXES = (
    "_required",
    "_invalid",
    "_too_long",
    "_bad_characters",
    "_not_mobile",
    "_not_vietnamese",
    "_out_of_range",
    "_in_future",
)


def validate(model: type[M], data: Any) -> M:
    """``model`` from parsed JSON; unknown fields and wrong types become field errors."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise Invalid("body_must_be_object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("invalid_input", fields=field_errors(exc)) from exc


def parse_request(request: Request, model: type[M], max_bytes: int = DEFAULT_MAX_BODY) -> M:
    return validate(model, parse_json(request, max_bytes))


# Query numbers are ASCII digits only: str.isdigit() and float() also take "¹", "５", "1e1",
# "1_0" and "nan", and int("¹") raises.
_WHOLE = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9})?")


def query_number(
    params: dict[str, str],
    name: str,
    default: float,
    low: float,
    high: float,
    code: str = "out_of_range",
) -> float:
    """``params[name]`` as a plain decimal (``"20"``, ``"12.5"``) within ``low``–``high``;
    ``default`` when absent; else ``Invalid`` with the field error ``code``."""
    raw = params.get(name)
    if raw is None:
        return default
    if not _DECIMAL.fullmatch(raw) or not low <= float(raw) <= high:
        raise Invalid(fields=[FieldError(name, code)])
    return float(raw)


def query_int(
    params: dict[str, str], name: str, default: int, low: int, high: int, code: str = "out_of_range"
) -> int:
    """``params[name]`` as ASCII digits within ``low``–``high`` (``"¹"``, ``"5.0"``, ``"+5"``
    are refused); ``default`` when absent; else ``Invalid`` with the field error ``code``."""
    raw = params.get(name)
    if raw is None:
        return default
    if not _WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise Invalid(fields=[FieldError(name, code)])
    return int(raw)


MAX_CURSOR = 512
_CURSOR_MAC_BYTES = 16


def cursor_key(pepper: bytes) -> bytes:
    """The key that signs page cursors, derived from the stage's pepper (never the pepper)."""
    return hmac.new(pepper, b"garanti page cursor v1", hashlib.sha256).digest()


class Cursors:
    """Page positions handed to clients as ``<payload>.<mac>``: the payload is the last key
    read (base64url JSON), the MAC binds it to one list (``scope``) with the stage's key. A
    position the server did not hand out, or handed out for another list, is ``cursor_invalid``
    and never reaches DynamoDB (a foreign key there is a 500, another brand's key a leak)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, scope: str, payload: str) -> str:
        message = f"{scope}\n{payload}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()[:_CURSOR_MAC_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def encode(self, scope: str, position: dict[str, Any] | None) -> str | None:
        if position is None:
            return None
        raw = json.dumps(position, sort_keys=True, separators=(",", ":")).encode()
        payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return f"{payload}.{self._mac(scope, payload)}"

    def decode(self, scope: str, raw: str | None) -> dict[str, Any] | None:
        """The position back from the client; anything we did not sign for ``scope`` is a 400."""
        if raw is None:
            return None
        payload, _, mac = raw.partition(".")
        if len(raw) > MAX_CURSOR or not hmac.compare_digest(
            mac.encode(), self._mac(scope, payload).encode()
        ):
            raise _invalid_cursor()
        try:
            value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise _invalid_cursor() from None
        if not isinstance(value, dict) or not all(
            isinstance(v, dict) and len(v) == 1 and isinstance(next(iter(v.values())), str)
            for v in value.values()
        ):
            raise _invalid_cursor()
        return value


def _invalid_cursor() -> Invalid:
    return Invalid(fields=[FieldError("cursor", "cursor_invalid")])


def observe(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware: Lambda context and request id in every log line of the invocation."""
    context = getattr(event, "lambda_context", None) or getattr(event, "context", None)
    if context is not None and hasattr(context, "aws_request_id"):
        logger.append_keys(request_id=context.aws_request_id)
    if isinstance(event, Request):
        logger.append_keys(route=event.path, method=event.method)
    try:
        response = get_response(event)
    finally:
        logger.remove_keys(["request_id", "route", "method"])
    if isinstance(response, Response) and response.status_code >= 500:
        logger.error("request failed", extra={"status": response.status_code})
    return response


def request_id(request: Request) -> str:
    """The invocation's id (an audit entry's source), else a fresh one."""
    import uuid

    context = getattr(request, "lambda_context", None)
    found = getattr(context, "aws_request_id", None) or (request.context or {}).get("requestId")
    return str(found or uuid.uuid4().hex)
