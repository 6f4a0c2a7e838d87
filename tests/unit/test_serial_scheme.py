"""Serials: imported ones are normalised; generated ones carry a Luhn mod 36 check character
that catches any single mistyped character and any swap of two adjacent characters."""

from __future__ import annotations

import random

import pytest

from chalicelib.catalog.serials import (
    ALPHABET,
    MAX_SEQUENCE,
    generated_serial,
    is_valid_generated,
    normalize_serial,
    validate_prefix,
)
from chalicelib.core.errors import Invalid

_rng = random.Random(20260310)
SAMPLE = [
    generated_serial(prefix, sequence)
    for prefix in ("GAR", "AB", "ZZZZZ", "QXV")
    for sequence in (1, 17, 12345678, MAX_SEQUENCE, *_rng.sample(range(1, MAX_SEQUENCE), 40))
]


def test_generated_serial_is_prefix_zero_padded_sequence_and_check_character() -> None:
    serial = generated_serial("GAR", 17)

    assert serial == "GAR00000017W"
    assert is_valid_generated(serial)


def test_every_serial_of_the_sample_is_valid() -> None:
    assert all(is_valid_generated(serial) for serial in SAMPLE)


def test_check_character_detects_every_single_substitution() -> None:
    undetected = [
        changed
        for serial in SAMPLE
        for position, original in enumerate(serial)
        for replacement in ALPHABET
        if replacement != original
        and is_valid_generated(changed := serial[:position] + replacement + serial[position + 1 :])
    ]

    assert undetected == []


def test_check_character_detects_every_adjacent_transposition() -> None:
    undetected = [
        swapped
        for serial in SAMPLE
        for position in range(len(serial) - 1)
        if serial[position] != serial[position + 1]
        and is_valid_generated(
            swapped := serial[:position]
            + serial[position + 1]
            + serial[position]
            + serial[position + 2 :]
        )
    ]

    assert undetected == []


@pytest.mark.parametrize("prefix", ["GA", "GAR", "ABCDE"])
def test_prefix_of_two_to_five_capital_letters_is_accepted(prefix: str) -> None:
    assert validate_prefix(prefix) == prefix
    assert generated_serial(prefix, 1).startswith(prefix)


@pytest.mark.parametrize("prefix", ["G", "ABCDEF", "gar", "G4R", "GA-", "", "ĐẠI"])
def test_prefix_outside_the_scheme_is_rejected(prefix: str) -> None:
    with pytest.raises(Invalid) as caught:
        generated_serial(prefix, 1)
    assert caught.value.code == "serial_prefix_invalid"


def test_sequence_bounds_are_one_to_the_largest_eight_digit_number() -> None:
    assert generated_serial("GAR", 1)[3:11] == "00000001"
    assert generated_serial("GAR", MAX_SEQUENCE)[3:11] == "99999999"
    for sequence in (0, -1, MAX_SEQUENCE + 1):
        with pytest.raises(Invalid) as caught:
            generated_serial("GAR", sequence)
        assert caught.value.code == "serial_sequence_exhausted"


@pytest.mark.parametrize(
    "serial", ["GAR00000017", "GAR000000170W", "G00000017W", "gar00000017w", "GAR0000001AW"]
)
def test_strings_outside_the_generated_format_are_not_valid(serial: str) -> None:
    assert not is_valid_generated(serial)


@pytest.mark.parametrize(
    ("raw", "serial"),
    [("ab-1001", "AB-1001"), ("  SN2026 ", "SN2026"), ("X1Z", "X1Z"), ("A" * 32, "A" * 32)],
)
def test_imported_serial_is_trimmed_and_upper_cased(raw: str, serial: str) -> None:
    assert normalize_serial(raw) == serial


@pytest.mark.parametrize(
    "raw", ["AB", "-AB1", "AB 1001", "AB_1001", "A" * 33, "ĐB1001", "AB1001\x00", "", None, 1001]
)
def test_malformed_imported_serial_is_rejected(raw: object) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_serial(raw)
    assert caught.value.code == "serial_invalid"
