"""Request forms: which form applies (model, then category, then the default), what staff may
save, and the customer's answers checked field by field."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.claims.forms import (
    DEFAULT_FIELDS,
    FieldOption,
    FieldType,
    FormConfig,
    FormField,
    FormScope,
    check_answers,
    check_fields,
    resolve,
)
from chalicelib.core.errors import Invalid

PART = FormField(
    "unit_part",
    FieldType.SELECT,
    "Bộ phận",
    "Part",
    True,
    (FieldOption("indoor", "Dàn lạnh"), FieldOption("outdoor", "Dàn nóng")),
)
FIELDS = (
    FormField("problem", FieldType.TEXTAREA, "Vấn đề", required=True),
    FormField("model_name", FieldType.TEXT, "Tên"),
    FormField("age", FieldType.NUMBER, "Số năm"),
    PART,
    FormField("bought_on", FieldType.DATE, "Ngày mua"),
    FormField("agree", FieldType.CHECKBOX, "Đồng ý", required=True),
)
VALID = {"problem": "Không lạnh", "unit_part": "indoor", "agree": True}


def form(scope: FormScope, *fields: FormField, version: int = 1) -> FormConfig:
    return FormConfig(scope, "AC-9" if scope is FormScope.MODEL else "Máy lạnh", version, fields)


@pytest.mark.parametrize(
    ("model_form", "category_form", "source", "keys"),
    [
        (None, None, "default", [f.key for f in DEFAULT_FIELDS]),
        (None, form(FormScope.CATEGORY, PART), "category", ["unit_part"]),
        (
            form(FormScope.MODEL, *FIELDS[:2]),
            form(FormScope.CATEGORY, PART),
            "model",
            [
                "problem",
                "model_name",
            ],
        ),
        # a model's empty version gives it back to its category
        (
            form(FormScope.MODEL, version=3),
            form(FormScope.CATEGORY, PART),
            "category",
            ["unit_part"],
        ),
        (
            form(FormScope.MODEL),
            form(FormScope.CATEGORY),
            "default",
            [f.key for f in DEFAULT_FIELDS],
        ),
    ],
)
def test_a_models_form_wins_then_its_categorys_then_the_default(
    model_form: FormConfig | None,
    category_form: FormConfig | None,
    source: str,
    keys: list[str],
) -> None:
    resolved = resolve(model_form, category_form)

    assert (resolved.source, [f.key for f in resolved.fields]) == (source, keys)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({}, {}),
        ({"problem": ""}, {"problem": "required"}),
        ({"problem": None}, {"problem": "required"}),
        ({"problem": "x" * 2001}, {"problem": "too_long"}),
        ({"model_name": "x" * 201}, {"model_name": "too_long"}),
        ({"model_name": 5}, {"model_name": "wrong_type"}),
        ({"age": 3}, {}),
        ({"age": 2.5}, {}),
        ({"age": "3"}, {"age": "wrong_type"}),
        ({"age": True}, {"age": "wrong_type"}),
        ({"age": 10**13}, {"age": "out_of_range"}),
        ({"unit_part": "roof"}, {"unit_part": "value_not_allowed"}),
        ({"unit_part": ""}, {"unit_part": "required"}),
        ({"bought_on": "2024-02-29"}, {}),
        ({"bought_on": "2025-02-29"}, {"bought_on": "date_invalid"}),
        ({"bought_on": "2025-2-1"}, {"bought_on": "date_invalid"}),
        ({"agree": False}, {"agree": "required"}),  # a required box must be ticked
        ({"agree": "yes"}, {"agree": "wrong_type"}),
        ({"colour": "red"}, {"colour": "unknown_field"}),
    ],
)
def test_answers_are_checked_against_the_form_field_by_field(
    changes: dict[str, Any], errors: dict[str, str]
) -> None:
    assert check_answers(FIELDS, {**VALID, **changes}) == errors


def test_every_missing_required_answer_is_named_at_once() -> None:
    assert check_answers(FIELDS, {}) == {
        "problem": "required",
        "unit_part": "required",
        "agree": "required",
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ((PART, PART), [("fields.1.key", "form_field_key_invalid")]),
        (
            (FormField("Bad Key", FieldType.TEXT, "Nhãn"),),
            [("fields.0.key", "form_field_key_invalid")],
        ),
        (
            (FormField("part", FieldType.SELECT, "Bộ phận"),),
            [("fields.0.options", "form_field_options_invalid")],
        ),
        (
            (FormField("note", FieldType.TEXT, "Ghi chú", options=(FieldOption("a", "A"),)),),
            [("fields.0.options", "form_field_options_invalid")],
        ),
        (
            (
                FormField(
                    "part",
                    FieldType.SELECT,
                    "Bộ phận",
                    options=(FieldOption("a", "A"), FieldOption("a", "B")),
                ),
            ),
            [("fields.0.options", "form_field_options_invalid")],
        ),
    ],
)
def test_a_form_staff_cannot_save(
    fields: tuple[FormField, ...], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(Invalid) as caught:
        check_fields(fields)

    assert [(e.field, e.code) for e in caught.value.fields] == expected


def test_the_default_form_is_itself_a_valid_form() -> None:
    check_fields(DEFAULT_FIELDS)

    assert check_answers(DEFAULT_FIELDS, {"problem": "Không lên nguồn"}) == {}
