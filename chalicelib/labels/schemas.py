"""Request bodies of the label routes. ``labels.template`` checks the geometry: elements inside the
label, labels on the stock."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.labels.template import DEFAULT_TEMPLATE
from chalicelib.platform.schemas import (
    RequestBody,
    text_field,
)

Mm = Annotated[float, Field(ge=0, le=600)]
FontPt = Annotated[float, Field(ge=2.5, le=36)]
TemplateName = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9.\-]{1,39}$")]
BatchCode = Annotated[StrictStr, Field(min_length=1, max_length=40, pattern=r"^[\w\-./]+$")]


class QrBoxRequest(RequestBody):
    x_mm: Mm
    y_mm: Mm
    size_mm: Annotated[float, Field(ge=8, le=200)]


class TextBoxRequest(RequestBody):
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
    text: Annotated[StrictStr, text_field("label_text", 60, required=False)] = ""


class LabelDesignRequest(RequestBody):
    width_mm: Annotated[float, Field(ge=8, le=200)]
    height_mm: Annotated[float, Field(ge=8, le=200)]
    qr: QrBoxRequest
    texts: Annotated[list[TextBoxRequest], Field(max_length=8)] = []  # noqa: RUF012 (pydantic copies it)


class StockRequest(RequestBody):
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


class LabelTemplateRequest(RequestBody):
    label: LabelDesignRequest
    stock: StockRequest = StockRequest()


class LabelPreviewRequest(LabelTemplateRequest):
    """A template as ``PUT /labels/templates/{name}`` takes it, and what to draw of it."""

    what: Literal["label", "sheet"]


class LabelJobRequest(RequestBody):
    """One of: ``batch``; ``from_serial`` + ``to_serial``; ``serials`` (or a CSV body)."""

    template: TemplateName = DEFAULT_TEMPLATE
    stock: StockRequest | None = None  # this job only: the printer's stock differs
    batch: BatchCode | None = None
    from_serial: Annotated[StrictStr, Field(max_length=40)] | None = None
    to_serial: Annotated[StrictStr, Field(max_length=40)] | None = None
    serials: (
        Annotated[list[Annotated[StrictStr, Field(max_length=40)]], Field(max_length=100_000)]
        | None
    ) = None


class CartonLabelJobRequest(RequestBody):
    """The cartons to print a label for, as typed or scanned (one page a carton)."""

    codes: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=64)]],
        Field(min_length=1, max_length=100),
    ]
