"""Request bodies of the catalog's routes: the brand, product models, generated units."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.platform.schemas import (
    IsoDay,
    RequestBody,
    text_field,
)

SpecKey = Annotated[StrictStr, Field(min_length=1, max_length=60)]
SpecValue = Annotated[StrictStr, Field(max_length=200)]


class ProductModelRequest(RequestBody):
    """A model's editable fields (``code`` comes from the path on update)."""

    name: Annotated[StrictStr, text_field("model_name", 150)]
    description: Annotated[StrictStr, text_field("description", 2000, False)] = ""
    image_url: Annotated[StrictStr, Field(max_length=500, pattern=r"^(https?://|/)[^\s]*$|^$")] = ""
    specs: Annotated[dict[SpecKey, SpecValue], Field(max_length=40)] = Field(default_factory=dict)
    warranty_months: Annotated[StrictInt, Field(ge=1, le=240)]
    warranty_start_basis: Literal["activation", "shipment", "manufacture"] = "activation"
    max_months_from_manufacture: Annotated[StrictInt, Field(ge=1, le=240)] | None = None
    activation_deadline_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None


class NewProductModelRequest(ProductModelRequest):
    code: Annotated[
        StrictStr, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$")
    ]


Colour = Annotated[StrictStr, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
PortalUrl = Annotated[
    StrictStr, Field(max_length=300, pattern=r"^(https://[^\s<>\"']+|/[^\s<>\"']*)?$")
]


class BrandThemeRequest(RequestBody):
    short_name: Annotated[StrictStr, text_field("short_name", 16, required=False)] = ""
    logo_url: PortalUrl = ""
    primary: Colour = "#0b57d0"
    on_primary: Colour = "#ffffff"
    accent: Colour = "#b3261e"
    email: Annotated[
        StrictStr, Field(max_length=120, pattern=r"^([^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)?$")
    ] = ""
    website: PortalUrl = ""
    sections: Annotated[
        list[Literal["activate", "lookup", "my_products", "contact"]],
        Field(min_length=1, max_length=4),
    ] = ["activate", "lookup", "my_products", "contact"]  # noqa: RUF012 (pydantic copies it)


class BrandRequest(RequestBody):
    name: Annotated[StrictStr, text_field("brand_name", 100)]
    serial_prefix: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2,5}$")]
    theme: BrandThemeRequest | None = None  # absent: the defaults
    confirm_phone: StrictBool = False  # a one-time code to the phone before an activation


class GenerateUnitsRequest(RequestBody):
    model_code: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    count: Annotated[StrictInt, Field(ge=1, le=10_000)]
    batch: Annotated[StrictStr, Field(max_length=40, pattern=r"^[\w\-./]*$")] = ""
    manufactured_on: IsoDay | None = None
