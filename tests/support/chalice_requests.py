"""Chalice ``Request`` objects as API Gateway builds them, for tests of the HTTP edge."""

from __future__ import annotations

import base64
import json
from typing import Any

from chalice.app import Request


def api_request(
    body: bytes | str | None = None,
    *,
    method: str = "POST",
    path: str = "/public/activations",
    headers: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
) -> Request:
    """A request whose raw body is exactly ``body`` (bytes travel base64-encoded, as API
    Gateway sends them, so invalid UTF-8 reaches the app unchanged)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    event: dict[str, Any] = {
        "multiValueQueryStringParameters": query,
        "headers": {"content-type": "application/json", **(headers or {})},
        "pathParameters": None,
        "requestContext": {"httpMethod": method, "resourcePath": path},
        "stageVariables": None,
        "body": None if raw is None else base64.b64encode(raw).decode("ascii"),
        "isBase64Encoded": raw is not None,
    }
    return Request(event)


def json_request(data: Any, **kwargs: Any) -> Request:
    return api_request(json.dumps(data, ensure_ascii=False), **kwargs)
