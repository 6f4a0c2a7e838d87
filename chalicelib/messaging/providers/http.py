"""The HTTP edge shared by the provider adapters (eSMS, SpeedSMS, Twilio, ZNS).

Each ``send`` is exactly one POST: no urllib3 retries or redirects (retries are the outbox state
machine's job). What went wrong on the wire decides whether the message may have been sent:

- a connection error or connect timeout: nothing was sent, so ``TRANSIENT`` and not ambiguous;
- a read timeout, a dropped connection or any other urllib3 error (TLS, proxy…): the body may
  have reached the provider, so ``UNKNOWN`` and ``ambiguous``.

>>> json_object(b'{"price": "850.0000", "n": 1.5}')
{'price': '850.0000', 'n': Decimal('1.5')}
>>> json_object(b"[1]") is None, json_object(b"\\xff") is None
(True, True)
>>> json_int("42"), json_int(7), json_int(True), json_int("4.2"), json_int("9" * 5000)
(42, 7, None, None, None)
>>> json_decimal("850.0000"), json_decimal("NaN"), json_decimal(False), json_decimal(1.5)
(Decimal('850.0000'), None, None, None)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError

from chalicelib.core.observability import logger
from chalicelib.core.phone import log_safe
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import SendRequest, SendResult

# Reference D: connect 3 s, read 10 s. Retries are the outbox state machine's job, never urllib3's.
DEFAULT_TIMEOUT = urllib3.Timeout(connect=3.0, read=10.0)
CONNECT_FAILED = "connect_failed"
NO_ANSWER = "no_answer"


def new_pool() -> urllib3.PoolManager:
    """A pool for the provider adapters: reference timeouts, no automatic retries or redirects."""
    return urllib3.PoolManager(timeout=DEFAULT_TIMEOUT, retries=False)


def post_once(
    provider: str,
    pool: urllib3.PoolManager,
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    timeout: urllib3.Timeout,
    classify: Callable[[int, bytes], SendResult],
    connect_failed_code: str | None = CONNECT_FAILED,
    no_answer_code: str | None = NO_ANSWER,
) -> SendResult:
    """One POST, no retries or redirects: ``classify(status, body)`` of the provider's answer,
    or, when the transport failed, whether the body may have been sent (see the module doc)."""
    try:
        response = pool.request(
            "POST",
            url,
            body=body,
            headers=headers,
            timeout=timeout,
            retries=False,
            redirect=False,
        )
    except ConnectTimeoutError:  # also NewConnectionError: nothing was sent
        return SendResult(provider, ErrorClass.TRANSIENT, error_code=connect_failed_code)
    except HTTPError:  # read timeout, reset, TLS, proxy…: the body may have reached the provider
        return SendResult(provider, ErrorClass.UNKNOWN, error_code=no_answer_code, ambiguous=True)
    return classify(response.status, response.data)


def json_object(data: bytes) -> dict[str, Any] | None:
    """``data`` as a JSON object (decimals kept exact: ``"850.0000"`` stays ``Decimal``), or
    ``None`` when it is not one."""
    try:
        value = json.loads(data, parse_float=Decimal)
    except ValueError:  # includes UnicodeDecodeError
        return None
    return value if isinstance(value, dict) else None


def json_int(value: object) -> int | None:
    """A JSON integer, or a string of digits, as ``int``; else ``None`` (``bool`` included, and
    a string of more digits than ``int()`` reads: 4,300 since Python 3.11)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        try:
            return int(value)  # isdigit() alone takes "¹", which int() refuses
        except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
            return None
    return None


def json_decimal(value: object) -> Decimal | None:
    """A finite amount from an ``int``, a ``str`` or a :class:`Decimal` (what
    :func:`json_object` gives for a JSON number); else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return None
    try:
        number = Decimal(value)
    except ArithmeticError:  # decimal.InvalidOperation
        return None
    return number if number.is_finite() else None


def log_send(
    request: SendRequest,
    result: SendResult,
    *,
    provider: str,
    kind: str = "sms",
    fields: Mapping[str, object] | None = None,
) -> None:
    """Log one send's outcome: ``"<kind> accepted"`` at info, else ``"<kind> not accepted"`` at
    warning; never the full number (:func:`log_safe`). ``fields`` follow ``to`` in the record."""
    extra: dict[str, object] = {
        "provider": provider,
        "message_id": request.message_id,
        "to": log_safe(request.to_e164),
        **(fields or {}),
        "error_class": result.error_class.value,
        "error_code": result.error_code,
        "ambiguous": result.ambiguous,
    }
    if result.accepted:
        logger.info(f"{kind} accepted", extra=extra)
    else:
        logger.warning(f"{kind} not accepted", extra=extra)
