"""Request bodies of the catalog's routes: the brand, product models, generated units."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.activation.consent import ConsentGrant
from chalicelib.activation.schemas import ConsentsIn
from chalicelib.catalog.model import Owner
from chalicelib.platform.schemas import (
    Address,
    IsoDay,
    Language,
    PersonName,
    Phone,
    Province,
    RequestBody,
    text_field,
)

SpecKey = Annotated[StrictStr, Field(min_length=1, max_length=60)]
SpecValue = Annotated[StrictStr, Field(max_length=200)]


class ComponentTermRequest(RequestBody):
    """A part with its own warranty: ``months`` from the unit's start, on the condition (when
    given) that the unit is activated within ``activated_within_months`` of its shipment (else
    its manufacture)."""

    code: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
    name: Annotated[StrictStr, text_field("component_name", 60)]
    name_en: Annotated[StrictStr, text_field("component_name", 60, False)] = ""
    months: Annotated[StrictInt, Field(ge=1, le=240)]
    activated_within_months: Annotated[StrictInt, Field(ge=1, le=240)] | None = None


class ProductModelRequest(RequestBody):
    """A model's editable fields (``code`` comes from the path on update). The texts are
    Vietnamese; ``name_en``, ``description_en``, ``spec_labels_en`` and ``spec_values_en`` (a
    spec's label → its English label, value) are optional, and the Vietnamese text shows where
    one is missing."""

    name: Annotated[StrictStr, text_field("model_name", 150)]
    description: Annotated[StrictStr, text_field("description", 2000, False)] = ""
    image_url: Annotated[StrictStr, Field(max_length=500, pattern=r"^(https?://|/)[^\s]*$|^$")] = ""
    specs: Annotated[dict[SpecKey, SpecValue], Field(max_length=40)] = Field(default_factory=dict)
    name_en: Annotated[StrictStr, text_field("model_name", 150, False)] = ""
    description_en: Annotated[StrictStr, text_field("description", 2000, False)] = ""
    spec_labels_en: Annotated[dict[SpecKey, SpecKey], Field(max_length=40)] = Field(
        default_factory=dict
    )
    spec_values_en: Annotated[dict[SpecKey, SpecValue], Field(max_length=40)] = Field(
        default_factory=dict
    )
    category: Annotated[StrictStr, text_field("category", 60, False)] = ""
    category_en: Annotated[StrictStr, text_field("category", 60, False)] = ""
    warranty_months: Annotated[StrictInt, Field(ge=1, le=240)]
    warranty_start_basis: Literal["activation", "shipment", "manufacture"] = "activation"
    max_months_from_manufacture: Annotated[StrictInt, Field(ge=1, le=240)] | None = None
    activation_deadline_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None
    components: Annotated[list[ComponentTermRequest], Field(max_length=20)] = Field(
        default_factory=list
    )

    @field_validator("components")
    @classmethod
    def _components_have_their_own_codes(
        cls, parts: list[ComponentTermRequest]
    ) -> list[ComponentTermRequest]:
        codes = [part.code for part in parts]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("component_codes_invalid", "component_codes_invalid")
        return parts

    @field_validator("spec_labels_en", "spec_values_en")
    @classmethod
    def _labels_name_specs(cls, labels: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """Each English label or value translates a spec the model has (by its Vietnamese
        label)."""
        if "specs" in info.data and not labels.keys() <= info.data["specs"].keys():
            raise PydanticCustomError("spec_label_invalid", "spec_label_invalid")
        return labels


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
    # "" = the stage's GARANTI_HOTLINE; digits with spaces, dots or dashes, "+" first if any
    # (20 characters: what the activation SMS has room for)
    hotline: Annotated[
        StrictStr, Field(max_length=20, pattern=r"^(\+?[0-9][0-9 .\-]{2,18}[0-9])?$")
    ] = ""


class BrandRequest(RequestBody):
    name: Annotated[StrictStr, text_field("brand_name", 100)]
    serial_prefix: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2,5}$")]
    theme: BrandThemeRequest | None = None  # absent: the defaults
    confirm_phone: StrictBool = False  # a one-time code to the phone before an activation


class ImageUploadRequest(RequestBody):
    """The picture the browser is about to upload: its type and size (checked again after)."""

    content_type: Annotated[StrictStr, Field(max_length=100)]
    size: Annotated[StrictInt, Field(ge=1)]


class ImageUploadedRequest(RequestBody):
    key: Annotated[StrictStr, Field(min_length=1, max_length=200)]


class GenerateUnitsRequest(RequestBody):
    model_code: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    count: Annotated[StrictInt, Field(ge=1, le=10_000)]
    batch: Annotated[StrictStr, Field(max_length=40, pattern=r"^[\w\-./]*$")] = ""
    manufactured_on: IsoDay | None = None


class UnitExportRequest(RequestBody):
    """The units list's filters, as its query strings (``GET /units``); all optional."""

    serial: Annotated[StrictStr, Field(max_length=33)] = ""
    model: Annotated[StrictStr, Field(max_length=40)] = ""
    batch: Annotated[StrictStr, Field(max_length=40)] = ""
    status: Annotated[StrictStr, Field(max_length=20)] = ""
    activated_from: Annotated[StrictStr, Field(max_length=10)] = ""
    activated_to: Annotated[StrictStr, Field(max_length=10)] = ""


class TransferStart(RequestBody):
    """The owner names the new owner's phone; the code goes there, in ``language``."""

    new_phone: Phone
    language: Language = "vi"


class TransferAccept(RequestBody):
    """The new owner: the unit, their phone and the code it received, who they are, their
    consents (the warranty service one required, as at an activation)."""

    serial: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    phone: Phone
    code: Annotated[StrictStr, Field(pattern=r"^\d{6}$")]
    name: PersonName
    province: Province = ""
    address: Address = ""
    consents: ConsentsIn
    language: Language = "vi"

    def owner(self) -> Owner:
        return Owner(name=self.name, phone=self.phone, province=self.province, address=self.address)

    def consent_grants(self) -> tuple[ConsentGrant, ...]:
        """Each purpose as decided (the evidence: ``transfer:<serial>``)."""
        return (
            ConsentGrant("warranty_service", self.consents.warranty_service),
            ConsentGrant("marketing", self.consents.marketing),
        )
