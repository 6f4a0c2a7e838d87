"""Carton codes: an SSCC (with its GS1 mod-10 check digit, as typed or as scanned from a GS1-128
barcode) or the manufacturer's own code; generated SSCCs are valid and distinct."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from chalicelib.catalog.cartons import (
    GS,
    generate_sscc,
    gs1_element_string,
    is_sscc,
    is_valid_sscc,
    max_sequence,
    normalize_carton_code,
    sscc_check_digit,
)
from chalicelib.core.errors import Invalid
from chalicelib.core.settings import DEMO_GS1_PREFIX, SettingsError, get_settings

# GS1's own worked example (GS1 General Specifications, SSCC): 0614141 is GS1 US's example
# company prefix, 123456789 the serial reference, 1 the extension digit, 7 the check digit.
GS1_EXAMPLE = "106141411234567897"


def test_the_gs1_worked_example_has_a_valid_check_digit() -> None:
    assert sscc_check_digit(GS1_EXAMPLE[:-1]) == GS1_EXAMPLE[-1]
    assert is_valid_sscc(GS1_EXAMPLE)
    assert generate_sscc("0614141", 123456789, extension=1) == GS1_EXAMPLE


@pytest.mark.parametrize(
    "scanned",
    [
        GS1_EXAMPLE,
        f"00{GS1_EXAMPLE}",
        f"(00){GS1_EXAMPLE}",
        "(00) 1 0614141 123456789 7",
        f"{GS}00{GS1_EXAMPLE}",
        f"]C1{GS}00{GS1_EXAMPLE}",
        f"]C100{GS1_EXAMPLE}\n",
    ],
)
def test_an_sscc_is_accepted_as_typed_or_as_scanned_from_gs1_128(scanned: str) -> None:
    assert normalize_carton_code(scanned) == GS1_EXAMPLE


def test_a_wrong_check_digit_is_carton_code_invalid() -> None:
    wrong = GS1_EXAMPLE[:-1] + str((int(GS1_EXAMPLE[-1]) + 1) % 10)
    for raw in (wrong, f"00{wrong}", f"(00){wrong}"):
        with pytest.raises(Invalid) as caught:
            normalize_carton_code(raw)
        assert caught.value.code == "carton_code_invalid"


def test_every_single_digit_error_of_an_sscc_is_caught() -> None:
    undetected = [
        typo
        for i in range(len(GS1_EXAMPLE))
        for digit in "0123456789"
        if digit != GS1_EXAMPLE[i]
        for typo in [GS1_EXAMPLE[:i] + digit + GS1_EXAMPLE[i + 1 :]]
        if is_valid_sscc(typo)
    ]
    assert undetected == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("box-17", "BOX-17"), ("  CT2026-0001 ", "CT2026-0001"), ("1234", "1234")],
)
def test_the_manufacturers_own_code_is_upper_cased(raw: str, expected: str) -> None:
    assert normalize_carton_code(raw) == expected
    assert not is_sscc(expected)
    assert gs1_element_string(expected) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "-BOX", "BOX 17", "BOX_17", "X" * 33, "(01)12345678901231", "thùng-1", 17]
)
def test_malformed_codes_are_refused(raw: object) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_carton_code(raw)
    assert caught.value.code == "carton_code_invalid"


def test_generated_ssccs_are_valid_distinct_and_carry_the_company_prefix() -> None:
    rng = random.Random(14)
    prefix = "8930000"
    sequences = [1, 2, max_sequence(prefix), *rng.sample(range(3, max_sequence(prefix)), 200)]
    codes = [generate_sscc(prefix, n) for n in sequences]

    assert len(set(codes)) == len(codes)
    assert all(is_valid_sscc(c) and c[1:8] == prefix for c in codes)
    assert all(normalize_carton_code(gs1_element_string(c)) == c for c in codes)


@pytest.mark.parametrize(("prefix", "sequence"), [("8930000", 0), ("8930000", 10**9)])
def test_a_sequence_outside_the_prefixs_room_is_refused(prefix: str, sequence: int) -> None:
    with pytest.raises(Invalid) as caught:
        generate_sscc(prefix, sequence)
    assert caught.value.code == "carton_sequence_exhausted"


@pytest.mark.parametrize("prefix", ["", "12345", "1234567890123", "89300AB"])
def test_a_company_prefix_is_6_to_12_digits(prefix: str) -> None:
    with pytest.raises(Invalid) as caught:
        generate_sscc(prefix, 1)
    assert caught.value.code == "carton_prefix_invalid"


def test_an_sscc_that_lost_its_leading_zero_in_a_spreadsheet_is_read_whole() -> None:
    code = generate_sscc("8930000", 17)
    assert code.startswith("0")

    assert normalize_carton_code(code[1:]) == code
    with pytest.raises(Invalid):
        normalize_carton_code(code[1:-1] + str((int(code[-1]) + 1) % 10))


@pytest.mark.parametrize("digits", ["1" * 19, "9" * 21, "12345678901234567890123"])
def test_long_digit_only_codes_must_be_ssccs(digits: str) -> None:
    with pytest.raises(Invalid):
        normalize_carton_code(digits)


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_company_prefix_setting_is_digits_and_only_the_local_stage_has_a_default(
    environ: pytest.MonkeyPatch,
) -> None:
    assert get_settings().gs1_company_prefix == DEMO_GS1_PREFIX  # the tests' stage is local
    environ.setenv("GARANTI_GS1_COMPANY_PREFIX", "893123456")
    get_settings.cache_clear()
    assert get_settings().gs1_company_prefix == "893123456"
    environ.setenv("GARANTI_GS1_COMPANY_PREFIX", "89312A")
    get_settings.cache_clear()
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert "GARANTI_GS1_COMPANY_PREFIX" in str(caught.value)
    environ.delenv("GARANTI_GS1_COMPANY_PREFIX")
    environ.setenv("GARANTI_STAGE", "prod")
    get_settings.cache_clear()
    assert get_settings().gs1_company_prefix == ""  # typed codes only until it is set
