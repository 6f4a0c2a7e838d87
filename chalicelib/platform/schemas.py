"""What every request body shares: allow-listed fields only (``extra="forbid"``), strict types,
the domain's error codes, and the field types more than one capability accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictStr,
)
from pydantic_core import PydanticCustomError

from chalicelib.core.errors import Invalid
from chalicelib.core.phone import normalize_vn_mobile
from chalicelib.core.text import clean_text


def domain_check(check: Callable[[Any], Any]) -> AfterValidator:
    """Run a domain check inside pydantic, keeping the domain's error code."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except Invalid as exc:
            raise PydanticCustomError(exc.code, exc.code) from exc

    return AfterValidator(run)


RAW_TEXT_FACTOR = 2  # spaces collapse: a raw value may be this many times the limit


def text_field(prefix: str, max_length: int, required: bool = True) -> AfterValidator:
    """Human text of at most ``max_length`` characters after cleaning. Every length over the
    limit gets ``<prefix>_too_long``; a raw value over twice the limit is refused before it
    is normalised (so no ``Field(max_length=...)`` beside it: that would answer ``too_long``)."""

    def check(value: str) -> str:
        if len(value) > RAW_TEXT_FACTOR * max_length:
            raise Invalid(f"{prefix}_too_long")
        return clean_text(value, max_length=max_length, code_prefix=prefix, required=required)

    return domain_check(check)


def iso_day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise PydanticCustomError("date_invalid", "date_invalid")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("date_invalid", "date_invalid") from exc


# normalize_vn_mobile caps the raw length itself (``phone_invalid``): one rule, one code
Phone = Annotated[StrictStr, domain_check(normalize_vn_mobile)]
PersonName = Annotated[StrictStr, text_field("name", 100)]
Address = Annotated[StrictStr, text_field("address", 300, required=False)]
Province = Annotated[StrictStr, text_field("province", 80, required=False)]
IsoDay = Annotated[date, BeforeValidator(iso_day)]  # "YYYY-MM-DD" only, no timestamps
Language = Literal["vi", "en", "fa"]


class RequestBody(BaseModel):
    """The base of every request body."""

    # defer_build: validators are built on a route's first use, not at the API's cold start
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)
