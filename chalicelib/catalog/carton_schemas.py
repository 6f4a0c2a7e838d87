"""Request bodies of the carton routes. The codes are checked by ``catalog.cartons`` and
``catalog.serials`` (a scanner's FNC1 and AI prefixes are stripped there, not here)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from chalicelib.platform.schemas import RequestBody

Scanned = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class CartonCreateRequest(RequestBody):
    """``code``: a typed or scanned carton code; absent or null: the next generated SSCC."""

    code: Scanned | None = None


class CartonPackRequest(RequestBody):
    """The serial a scanner typed (a unit's QR holds a link; the console sends its serial)."""

    serial: Scanned
