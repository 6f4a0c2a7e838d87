"""What a service request asks the customer, per model or per category: a small form of fields
(key, type, required, options, labels in Vietnamese and English). Pure: no I/O.

A model's own form wins over its category's; with neither, :data:`DEFAULT_FIELDS`. Every saved
form is a new version (the older ones are kept); a form saved with no field takes the scope back
to what it inherits.

>>> fields = resolve(None, None).fields
>>> [f.key for f in fields]
['problem', 'started_on', 'error_code']
>>> check_answers(fields, {"problem": "", "error_code": 7})
{'problem': 'required', 'error_code': 'wrong_type'}
>>> check_answers(fields, {"problem": "Không lạnh", "started_on": "2026-02-30"})
{'started_on': 'date_invalid'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.text import fold_name

MAX_FIELDS = 30
MAX_OPTIONS = 50
MAX_LABEL = 100
MAX_TEXT = {"text": 200, "textarea": 2000}
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
OPTION_VALUE = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")
MAX_NUMBER = 10**12


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    SELECT = "select"
    DATE = "date"
    CHECKBOX = "checkbox"


class FormScope(StrEnum):
    MODEL = "model"
    CATEGORY = "category"


@dataclass(frozen=True)
class FieldOption:
    value: str  # what the answer holds: ``indoor``
    label: str
    label_en: str = ""


@dataclass(frozen=True)
class FormField:
    key: str  # the answer's name: ``error_code``
    type: FieldType
    label: str
    label_en: str = ""
    required: bool = False
    options: tuple[FieldOption, ...] = ()  # a ``select`` only


@dataclass(frozen=True)
class FormConfig:
    """One version of a model's or a category's form (``fields`` empty: it inherits)."""

    scope: FormScope
    target: str  # the model code, or the category as typed (Vietnamese)
    version: int
    fields: tuple[FormField, ...]
    updated_by: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ResolvedForm:
    """The fields to ask and where they come from (``model``, ``category`` or ``default``)."""

    fields: tuple[FormField, ...]
    source: str
    version: int = 0


DEFAULT_FIELDS: tuple[FormField, ...] = (
    FormField("problem", FieldType.TEXTAREA, "Sản phẩm gặp vấn đề gì?", "What is wrong?", True),
    FormField("started_on", FieldType.DATE, "Bắt đầu từ ngày", "Since when"),
    FormField(
        "error_code", FieldType.TEXT, "Mã lỗi hiển thị (nếu có)", "Error code shown (if any)"
    ),
)


def scope_key(scope: FormScope, target: str) -> str:
    """A form's key: ``model#AC-9``, or ``category#may lanh`` (a category folded, so two
    spellings of one category share a form).

    >>> scope_key(FormScope.CATEGORY, " Máy  Lạnh ")
    'category#may lanh'
    """
    return f"{scope.value}#{target if scope is FormScope.MODEL else fold_name(target)}"


def resolve(model_form: FormConfig | None, category_form: FormConfig | None) -> ResolvedForm:
    """The model's own fields, else its category's, else the default ones."""
    for form in (model_form, category_form):
        if form is not None and form.fields:
            return ResolvedForm(form.fields, form.scope.value, form.version)
    return ResolvedForm(DEFAULT_FIELDS, "default")


def check_fields(fields: Sequence[FormField]) -> None:
    """A form staff may save: unique keys, options on (and only on) a select, each option's
    value unique. ``Invalid`` with the field's index otherwise."""
    errors: list[FieldError] = []
    if len(fields) > MAX_FIELDS:
        raise Invalid(fields=[FieldError("fields", "form_fields_too_long")])
    seen: set[str] = set()
    for index, item in enumerate(fields):
        where = f"fields.{index}"
        if not KEY.fullmatch(item.key) or item.key in seen:
            errors.append(FieldError(f"{where}.key", "form_field_key_invalid"))
        seen.add(item.key)
        values = [o.value for o in item.options]
        if (item.type is FieldType.SELECT) != bool(values) or len(set(values)) != len(values):
            errors.append(FieldError(f"{where}.options", "form_field_options_invalid"))
    if errors:
        raise Invalid(fields=errors)


def check_answers(fields: Sequence[FormField], answers: Mapping[str, Any]) -> dict[str, str]:
    """The customer's answers against the form: ``{key: error code}`` for each wrong one
    (``required``, ``wrong_type``, ``too_long``, ``value_not_allowed``, ``date_invalid``,
    ``out_of_range``, ``unknown_field``); ``{}`` when all are right. An absent or empty answer
    is fine unless required; a required checkbox must be ticked."""
    errors: dict[str, str] = {}
    known = {f.key: f for f in fields}
    for key in answers:
        if key not in known:
            errors[key] = "unknown_field"
    for item in fields:
        code = _check(item, answers.get(item.key))
        if code:
            errors[item.key] = code
    return errors


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def _check(item: FormField, value: Any) -> str | None:
    if _empty(value):
        return "required" if item.required else None
    return _CHECKS[item.type](item, value)


def _text(item: FormField, value: Any) -> str | None:
    if not isinstance(value, str):
        return "wrong_type"
    return "too_long" if len(value) > MAX_TEXT[item.type.value] else None


def _number(_: FormField, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "wrong_type"
    return "out_of_range" if abs(value) > MAX_NUMBER else None


def _select(item: FormField, value: Any) -> str | None:
    if not isinstance(value, str):
        return "wrong_type"
    return None if value in {o.value for o in item.options} else "value_not_allowed"


def _day(_: FormField, value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return "date_invalid"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "date_invalid"
    return None


def _checkbox(_: FormField, value: Any) -> str | None:
    return None if value is True else "wrong_type"


_CHECKS = {
    FieldType.TEXT: _text,
    FieldType.TEXTAREA: _text,
    FieldType.NUMBER: _number,
    FieldType.SELECT: _select,
    FieldType.DATE: _day,
    FieldType.CHECKBOX: _checkbox,
}


@dataclass(frozen=True)
class FormVersions:
    """A scope's versions, newest first (the first is what applies)."""

    scope: FormScope
    target: str
    versions: list[FormConfig] = field(default_factory=list)

    @property
    def current(self) -> FormConfig | None:
        return self.versions[0] if self.versions else None
