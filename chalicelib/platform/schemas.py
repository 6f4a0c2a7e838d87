"""Request bodies: allow-listed fields only (``extra="forbid"``), strict types, our codes."""

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
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

from chalicelib.core.errors import Invalid
from chalicelib.core.phone import normalize_vn_mobile
from chalicelib.core.text import clean_text


def _domain(check: Callable[[Any], Any]) -> AfterValidator:
    """Run a domain check inside pydantic, keeping the domain's error code."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except Invalid as exc:
            raise PydanticCustomError(exc.code, exc.code) from exc

    return AfterValidator(run)


def _text(prefix: str, max_length: int, required: bool = True) -> AfterValidator:
    return _domain(
        lambda v: clean_text(v, max_length=max_length, code_prefix=prefix, required=required)
    )


def _iso_day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise PydanticCustomError("date_invalid", "date_invalid")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("date_invalid", "date_invalid") from exc


Phone = Annotated[StrictStr, Field(max_length=32), _domain(normalize_vn_mobile)]
PersonName = Annotated[StrictStr, Field(max_length=200), _text("name", 100)]
Address = Annotated[StrictStr, Field(max_length=600), _text("address", 300, required=False)]
Province = Annotated[StrictStr, Field(max_length=200), _text("province", 80, required=False)]
IsoDay = Annotated[date, BeforeValidator(_iso_day)]  # "YYYY-MM-DD" only, no timestamps
Language = Literal["vi", "en"]


class _Body(BaseModel):
    # defer_build: validators are built on a route's first use, not at the API's cold start
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class CustomerIn(_Body):
    name: PersonName
    phone: Phone
    address: Address = ""
    province: Province = ""


class ConsentsIn(_Body):
    warranty_service: StrictBool
    marketing: StrictBool = False


class ActivationRequest(_Body):
    token: Annotated[StrictStr, Field(min_length=1, max_length=80)]
    customer: CustomerIn
    consents: ConsentsIn
    language: Language = "vi"


class OtpRequest(_Body):
    phone: Phone
    language: Language = "vi"


class OtpVerifyRequest(_Body):
    phone: Phone
    code: Annotated[StrictStr, Field(pattern=r"^\d{6}$")]


class LoginRequest(_Body):
    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    password: Annotated[StrictStr, Field(min_length=1, max_length=256)]


class RefreshRequest(_Body):
    refresh_token: Annotated[StrictStr, Field(min_length=1, max_length=4096)]


SpecKey = Annotated[StrictStr, Field(min_length=1, max_length=60)]
SpecValue = Annotated[StrictStr, Field(max_length=200)]


class ProductModelRequest(_Body):
    """A model's editable fields (``code`` comes from the path on update)."""

    name: Annotated[StrictStr, Field(max_length=300), _text("model_name", 150)]
    description: Annotated[StrictStr, Field(max_length=4000), _text("description", 2000, False)] = (
        ""
    )
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


class BrandThemeRequest(_Body):
    short_name: Annotated[
        StrictStr, Field(max_length=40), _text("short_name", 16, required=False)
    ] = ""
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
    ] = ["activate", "lookup", "my_products", "contact"]


class BrandRequest(_Body):
    name: Annotated[StrictStr, Field(max_length=200), _text("brand_name", 100)]
    serial_prefix: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2,5}$")]
    theme: BrandThemeRequest | None = None  # absent: the defaults


class GenerateUnitsRequest(_Body):
    model_code: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    count: Annotated[StrictInt, Field(ge=1, le=10_000)]
    batch: Annotated[StrictStr, Field(max_length=40, pattern=r"^[\w\-./]*$")] = ""
    manufactured_on: IsoDay | None = None


# -- labels (domain.labels checks geometry: elements inside the label, labels on the stock) ----

Mm = Annotated[float, Field(ge=0, le=600)]
FontPt = Annotated[float, Field(ge=2.5, le=36)]
TemplateName = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9.\-]{1,39}$")]
BatchCode = Annotated[StrictStr, Field(min_length=1, max_length=40, pattern=r"^[\w\-./]+$")]


class QrBoxRequest(_Body):
    x_mm: Mm
    y_mm: Mm
    size_mm: Annotated[float, Field(ge=8, le=200)]


class TextBoxRequest(_Body):
    field: Literal["serial", "brand", "instruction", "custom"]
    x_mm: Mm
    y_mm: Mm
    width_mm: Annotated[float, Field(gt=0, le=200)]
    font_pt: FontPt
    bold: StrictBool = False
    align: Literal["left", "center", "right"] = "left"
    max_lines: Annotated[StrictInt, Field(ge=1, le=4)] = 1
    min_font_pt: Annotated[float, Field(ge=0, le=36)] = 0.0
    lang: Literal["vi", "en"] = "vi"
    text: Annotated[StrictStr, Field(max_length=120), _text("label_text", 60, required=False)] = ""


class LabelDesignRequest(_Body):
    width_mm: Annotated[float, Field(ge=8, le=200)]
    height_mm: Annotated[float, Field(ge=8, le=200)]
    qr: QrBoxRequest
    texts: Annotated[list[TextBoxRequest], Field(max_length=8)] = []


class StockRequest(_Body):
    kind: Literal["sheet", "roll"] = "sheet"
    page_width_mm: Annotated[float, Field(ge=20, le=600)] = 210.0
    page_height_mm: Annotated[float, Field(ge=20, le=600)] = 297.0
    margin_top_mm: Annotated[float, Field(ge=0, le=100)] = 10.0
    margin_left_mm: Annotated[float, Field(ge=0, le=100)] = 10.0
    gap_x_mm: Annotated[float, Field(ge=0, le=100)] = 2.0
    gap_y_mm: Annotated[float, Field(ge=0, le=100)] = 2.0
    columns: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    rows: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    outline: StrictBool = False


class LabelTemplateRequest(_Body):
    label: LabelDesignRequest
    stock: StockRequest = StockRequest()


class LabelJobRequest(_Body):
    """One of: ``batch``; ``from_serial`` + ``to_serial``; ``serials`` (or a CSV body)."""

    template: TemplateName = "2x4cm-a4"
    stock: StockRequest | None = None  # this job only: the printer's stock differs
    batch: BatchCode | None = None
    from_serial: Annotated[StrictStr, Field(max_length=40)] | None = None
    to_serial: Annotated[StrictStr, Field(max_length=40)] | None = None
    serials: (
        Annotated[list[Annotated[StrictStr, Field(max_length=40)]], Field(max_length=100_000)]
        | None
    ) = None
