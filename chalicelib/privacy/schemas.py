"""Request bodies of the privacy routes (pydantic: loaded by the body routes on first use)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

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


class RetentionRequest(RequestBody):
    """Months each kind is kept (the bounds are checked by the service, per field), over the
    ``version`` read."""

    messages_months: StrictInt
    claims_months: StrictInt
    visits_months: StrictInt
    version: Annotated[StrictInt, Field(ge=0)]

    def months(self) -> dict[str, int]:
        return {
            "messages": self.messages_months,
            "claims": self.claims_months,
            "visits": self.visits_months,
        }
