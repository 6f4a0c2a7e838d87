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
    Field,
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


def text_field(prefix: str, max_length: int, required: bool = True) -> AfterValidator:
    return domain_check(
        lambda v: clean_text(v, max_length=max_length, code_prefix=prefix, required=required)
    )


def iso_day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise PydanticCustomError("date_invalid", "date_invalid")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("date_invalid", "date_invalid") from exc


Phone = Annotated[StrictStr, Field(max_length=32), domain_check(normalize_vn_mobile)]
PersonName = Annotated[StrictStr, Field(max_length=200), text_field("name", 100)]
Address = Annotated[StrictStr, Field(max_length=600), text_field("address", 300, required=False)]
Province = Annotated[StrictStr, Field(max_length=200), text_field("province", 80, required=False)]
IsoDay = Annotated[date, BeforeValidator(iso_day)]  # "YYYY-MM-DD" only, no timestamps
Language = Literal["vi", "en"]


class RequestBody(BaseModel):
    """The base of every request body."""

    # defer_build: validators are built on a route's first use, not at the API's cold start
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)
