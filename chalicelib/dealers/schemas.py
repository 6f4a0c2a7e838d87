"""Request bodies of the staff's dealer routes (``/dealers``) and the dealer's own
(``/dealer``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr

from chalicelib.core.errors import Invalid
from chalicelib.core.provinces import normalize_province
from chalicelib.core.tax_code import normalize_tax_code
from chalicelib.dealers.model import NAME_MAX, NOTE_MAX, DealerDetails, normalize_dealer_code
from chalicelib.platform.schemas import (
    Address,
    Language,
    PersonName,
    Phone,
    RequestBody,
    domain_check,
    text_field,
)
from chalicelib.platform.schemas import Province as BuyerProvince


def _dealer_code(raw: str) -> str:
    try:
        return normalize_dealer_code(raw)
    except Invalid:
        raise Invalid("dealer_code_invalid") from None


DealerCode = Annotated[StrictStr, Field(max_length=64), domain_check(_dealer_code)]
DealerName = Annotated[StrictStr, text_field("dealer_name", NAME_MAX)]
DealerProvince = Annotated[StrictStr, Field(max_length=80), domain_check(normalize_province)]
TaxCode = Annotated[StrictStr, Field(max_length=20), domain_check(normalize_tax_code)]
DealerId = Annotated[StrictStr, Field(pattern=r"^d_[0-9a-hjkmnp-tv-z]{26}$")]
Note = Annotated[StrictStr, text_field("note", NOTE_MAX, required=False)]
Serial = Annotated[StrictStr, Field(min_length=1, max_length=40)]


class DealerFields(RequestBody):
    """What a dealer is, apart from its code (which never changes)."""

    name: DealerName
    province: DealerProvince
    address: Address = ""
    tax_code: TaxCode | None = None
    contact_phone: Phone | None = None
    parent_id: DealerId | None = None

    def details(self, code: str) -> DealerDetails:
        return DealerDetails(
            code=code,
            name=self.name,
            province=self.province,
            address=self.address,
            tax_code=normalize_tax_code(self.tax_code),
            contact_phone=self.contact_phone,
            parent_id=self.parent_id,
        )


class DealerCreateRequest(DealerFields):
    code: DealerCode
    note: Note = ""


class DealerEditRequest(DealerFields):
    """The dealer's details as the form shows them, and the ``version`` the form was read at."""

    version: Annotated[StrictInt, Field(ge=1)]


class DealerStatusRequest(RequestBody):
    status: Literal["active", "suspended", "closed"]
    note: Note = ""


class DealerUserRequest(RequestBody):
    """A new user of the dealer: its username (2-64 of a-z 0-9 . _ -, shared with staff's
    names) and an optional email."""

    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    email: Annotated[StrictStr, Field(max_length=320)] | None = None


class BuyerIn(RequestBody):
    name: PersonName
    phone: Phone
    province: BuyerProvince = ""


class DealerActivationStartRequest(RequestBody):
    """A code to the buyer's phone, to activate ``serial`` for them."""

    serial: Serial
    buyer: BuyerIn
    language: Language = "vi"


class DealerActivationConfirmRequest(DealerActivationStartRequest):
    """The same unit and buyer, and the code the buyer received."""

    code: Annotated[StrictStr, Field(pattern=r"^\d{6}$")]
