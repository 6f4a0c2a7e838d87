"""Request bodies of the privacy routes (pydantic: loaded by the body routes on first use)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictStr

from chalicelib.platform.schemas import Language, RequestBody
from chalicelib.privacy.model import MAX_REASON


class ErasureRequest(RequestBody):
    """The customer's "delete my data": ``confirm`` must be ``true`` (the page asked twice)."""

    confirm: Literal[True]
    language: Language = "vi"


class RefusalRequest(RequestBody):
    refusal_reason: Annotated[StrictStr, Field(min_length=1, max_length=MAX_REASON)]


class ConsentDecision(RequestBody):
    """The customer's decision on one purpose (withdrawing is as easy as giving)."""

    purpose: Literal["warranty_service", "marketing"]
    granted: StrictBool
