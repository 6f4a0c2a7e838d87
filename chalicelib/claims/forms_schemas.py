"""Request bodies of the forms' and the self-help's staff routes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.claims.forms import FieldOption, FieldType, FormField, FormScope
from chalicelib.claims.help import MAX_MANUAL_BYTES, Fault
from chalicelib.platform.schemas import RequestBody, text_field

Label = Annotated[StrictStr, text_field("form_label", 100)]
HTTPS_LINK = r"^(https://[^\s<>\"']+)?$"
LabelEn = Annotated[StrictStr, text_field("form_label", 100, False)]


class FormOptionRequest(RequestBody):
    value: Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,39}$")]
    label: Label
    label_en: LabelEn = ""


class FormFieldRequest(RequestBody):
    key: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    type: Literal["text", "textarea", "number", "select", "date", "checkbox"]
    label: Label
    label_en: LabelEn = ""
    required: StrictBool = False
    options: Annotated[list[FormOptionRequest], Field(max_length=50)] = Field(default_factory=list)

    def to_field(self) -> FormField:
        return FormField(
            key=self.key,
            type=FieldType(self.type),
            label=self.label,
            label_en=self.label_en,
            required=self.required,
            options=tuple(FieldOption(o.value, o.label, o.label_en) for o in self.options),
        )


class ClaimFormRequest(RequestBody):
    """A model's or a category's whole form; ``version`` is the one the editor read (0: none
    yet); ``fields`` empty takes the scope back to what it inherits."""

    scope: Literal["model", "category"]
    target: Annotated[StrictStr, Field(min_length=1, max_length=60)]
    version: Annotated[StrictInt, Field(ge=0)]
    fields: Annotated[list[FormFieldRequest], Field(max_length=30)]

    @property
    def form_scope(self) -> FormScope:
        return FormScope(self.scope)


class FaultRequest(RequestBody):
    title: Annotated[StrictStr, text_field("fault_title", 150)]
    title_en: Annotated[StrictStr, text_field("fault_title", 150, False)] = ""
    fix: Annotated[StrictStr, text_field("fault_fix", 2000)]
    fix_en: Annotated[StrictStr, text_field("fault_fix", 2000, False)] = ""

    def to_fault(self) -> Fault:
        return Fault(self.title, self.fix, self.title_en, self.fix_en)


class ModelHelpRequest(RequestBody):
    """The model's whole help; ``manual_url`` (an https link) or ``manual_key`` (a PDF uploaded
    through ``POST /models/{code}/help/manual``), or neither."""

    version: Annotated[StrictInt, Field(ge=0)]
    manual_url: Annotated[StrictStr, Field(max_length=500, pattern=HTTPS_LINK)] = ""
    manual_key: Annotated[StrictStr, Field(max_length=200, pattern=r"^[\w\-./]*$")] = ""
    faults: Annotated[list[FaultRequest], Field(max_length=30)] = Field(default_factory=list)


class ManualUploadRequest(RequestBody):
    content_type: Literal["application/pdf"]
    size: Annotated[StrictInt, Field(ge=1, le=MAX_MANUAL_BYTES)]
