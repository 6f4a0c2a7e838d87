"""Request bodies of the staff's service centre routes (``/service-centers``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.core.errors import Invalid
from chalicelib.core.tax_code import normalize_tax_code
from chalicelib.platform.schemas import Address, RequestBody, domain_check, text_field
from chalicelib.service_centers.model import (
    HOURS_MAX,
    NAME_MAX,
    NOTE_MAX,
    CenterDetails,
    CenterKind,
    normalize_center_code,
    normalize_center_phone,
    provinces_served,
)


def _center_code(raw: str) -> str:
    try:
        return normalize_center_code(raw)
    except Invalid:
        raise Invalid("center_code_invalid") from None


def _provinces(raw: list[str]) -> tuple[str, ...]:
    served = provinces_served(raw)
    if not served:
        raise Invalid("center_provinces_required")
    return served


CenterCode = Annotated[StrictStr, Field(max_length=64), domain_check(_center_code)]
CenterName = Annotated[StrictStr, text_field("center_name", NAME_MAX)]
CenterPhone = Annotated[StrictStr, Field(max_length=40), domain_check(normalize_center_phone)]
Hours = Annotated[StrictStr, text_field("center_hours", HOURS_MAX, required=False)]
Provinces = Annotated[
    list[Annotated[StrictStr, Field(max_length=80)]],
    Field(max_length=34),
    domain_check(_provinces),
]
TaxCode = Annotated[StrictStr, Field(max_length=20), domain_check(normalize_tax_code)]
Note = Annotated[StrictStr, text_field("note", NOTE_MAX, required=False)]


class CenterFields(RequestBody):
    """What a centre is, apart from its code and kind (which never change)."""

    name: CenterName
    provinces: Provinces
    address: Address = ""
    phone: CenterPhone = ""
    hours: Hours = ""
    tax_code: TaxCode | None = None
    listed: StrictBool = True

    def details(self, code: str, kind: CenterKind) -> CenterDetails:
        return CenterDetails(
            code=code,
            name=self.name,
            kind=kind,
            provinces=tuple(self.provinces),
            address=self.address,
            phone=self.phone,
            hours=self.hours,
            tax_code=normalize_tax_code(self.tax_code),
            listed=self.listed,
        )


class CenterCreateRequest(CenterFields):
    code: CenterCode
    kind: Literal["internal", "partner"]
    note: Note = ""


class CenterEditRequest(CenterFields):
    """The centre's details as the form shows them, and the ``version`` the form was read at."""

    version: Annotated[StrictInt, Field(ge=1)]


class CenterStatusRequest(RequestBody):
    status: Literal["active", "suspended", "closed"]
    note: Note = ""


class CenterUserRequest(RequestBody):
    """A new user of a partner company: its username (2-64 of a-z 0-9 . _ -, shared with
    staff's names) and an optional email."""

    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    email: Annotated[StrictStr, Field(max_length=320)] | None = None
