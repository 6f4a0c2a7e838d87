"""Structured logging for every entry point (Powertools Logger, JSON lines).

Log with ``logger.info("unit activated", extra={"serial": serial})``. Never log a full phone
number, an OTP or a token: use :func:`chalicelib.core.phone.log_safe` for phones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from chalice.app import Request, Response

logger = Logger(service="garanti")


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
