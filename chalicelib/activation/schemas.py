"""Request bodies of the customer's routes: activation and look-up by phone."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool, StrictStr

from chalicelib.platform.schemas import (
    Address,
    Language,
    PersonName,
    Phone,
    Province,
    RequestBody,
)


class CustomerIn(RequestBody):
    name: PersonName
    phone: Phone
    address: Address = ""
    province: Province = ""


class ConsentsIn(RequestBody):
    warranty_service: StrictBool
    marketing: StrictBool = False


class ActivationRequest(RequestBody):
    token: Annotated[StrictStr, Field(min_length=1, max_length=80)]
    customer: CustomerIn
    consents: ConsentsIn
    language: Language = "vi"


class OtpRequest(RequestBody):
    phone: Phone
    language: Language = "vi"


class OtpVerifyRequest(RequestBody):
    phone: Phone
    code: Annotated[StrictStr, Field(pattern=r"^\d{6}$")]
