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


QrToken = Annotated[StrictStr, Field(min_length=1, max_length=80)]
Code = Annotated[StrictStr, Field(pattern=r"^\d{6}$")]


class ActivationRequest(RequestBody):
    token: QrToken
    customer: CustomerIn
    consents: ConsentsIn
    language: Language = "vi"
    phone_code: Code | None = None  # when the brand confirms phones (POST /activations/code)


class ActivationCodeRequest(RequestBody):
    """A code to the phone that is about to own the unit behind ``token``."""

    token: QrToken
    phone: Phone
    language: Language = "vi"


class NotMeRequest(RequestBody):
    """The two parts of the confirmation's "this wasn't me" link ``/n/<token>/<code>``."""

    token: QrToken
    code: Annotated[StrictStr, Field(pattern=r"^[A-Za-z2-7]{16}$")]


class OtpRequest(RequestBody):
    phone: Phone
    language: Language = "vi"


class OtpVerifyRequest(RequestBody):
    phone: Phone
    code: Code
