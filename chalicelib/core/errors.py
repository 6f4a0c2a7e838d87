"""Domain errors. Each carries a stable ``code``; the API edge maps the class to an HTTP status
and the code to a bilingual message from the catalogue (``chalicelib/core/i18n``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One invalid input field: ``customer.phone`` + ``phone_not_mobile``."""

    field: str
    code: str


class GarantiError(Exception):
    """Base of every error a client may see. ``code`` is stable; ``details`` is safe to show."""

    default_code = "error"

    def __init__(self, code: str | None = None, **details: Any) -> None:
        self.code = code or self.default_code
        self.details = details
        super().__init__(self.code)


class Invalid(GarantiError):
    """The input is malformed or breaks a rule; ``fields`` says which parts."""

    default_code = "invalid_input"

    def __init__(
        self, code: str | None = None, fields: list[FieldError] | None = None, **details: Any
    ) -> None:
        super().__init__(code, **details)
        self.fields = fields or []


class PayloadTooLarge(GarantiError):
    default_code = "payload_too_large"


class UnsupportedMediaType(GarantiError):
    default_code = "unsupported_media_type"


class NotFound(GarantiError):
    default_code = "not_found"


class Conflict(GarantiError):
    default_code = "conflict"


class Unprocessable(GarantiError):
    """Well-formed, but it contradicts what the server holds (an idempotency key reused with
    another request)."""

    default_code = "unprocessable"


class Unauthorized(GarantiError):
    default_code = "unauthorized"


class Forbidden(GarantiError):
    default_code = "forbidden"


class TooManyRequests(GarantiError):
    default_code = "too_many_requests"


class MethodNotAllowed(GarantiError):
    """The path is a route, the method is not one of its (Chalice's own 405)."""

    default_code = "method_not_allowed"


class InternalError(GarantiError):
    """A fault of ours; the client sees a code and a message, never the exception."""

    default_code = "internal_error"


@dataclass
class RowRejection:
    """One rejected line of an import: reported, never half-written."""

    line: int
    serial: str
    reason: str
    extra: dict[str, Any] = field(default_factory=dict)
