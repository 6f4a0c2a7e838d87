"""Look-alike characters (0/O, 1/I/L): certificate codes are printed without them and read
through them; a serial, stored as issued, is found by its other spellings within a bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.activation import service as activation
from chalicelib.activation.certificate import (
    _digest_base32,
    certificate_code,
    code_matches,
    fold_code,
)
from chalicelib.catalog.serials import MAX_VARIANTS, confusable_variants, generated_serial
from chalicelib.core.errors import NotFound
from tests.support import factories as f
from tests.support.fakes import FakeUnits

AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PEPPER = b"p" * 32


def test_new_codes_hold_no_letter_that_reads_as_a_digit() -> None:
    codes = [
        certificate_code(PEPPER, generated_serial("GAR", n), AT + timedelta(seconds=n))
        for n in range(1, 400)
    ]

    assert all(len(code) == 8 and code.isalnum() and code == code.upper() for code in codes)
    assert set("".join(codes)) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_a_code_is_folded_as_people_type_it() -> None:
    assert fold_code(" 7kq2-m9Ol ") == "7KQ2M901"
    assert fold_code("ABCD EFGH") == "ABCDEFGH"


def test_a_code_typed_with_look_alikes_case_spaces_or_hyphens_matches() -> None:
    code = certificate_code(PEPPER, "GAR00000017W", AT)
    typed = [code.lower(), f"{code[:4]}-{code[4:]}", f" {code[:4]} {code[4:]} "]

    assert all(code_matches(PEPPER, "GAR00000017W", AT, t) for t in typed)
    assert not code_matches(PEPPER, "GAR00000017W", AT + timedelta(microseconds=1), code)


def test_codes_printed_before_crockford_keep_verifying_with_look_alikes_too() -> None:
    # find an activation whose RFC 4648 code holds an I, L or O, as many printed ones do
    at = next(
        AT + timedelta(seconds=n)
        for n in range(1000)
        if set(_digest_base32(PEPPER, "GAR00000017W", AT + timedelta(seconds=n))) & set("ILO")
    )
    legacy = _digest_base32(PEPPER, "GAR00000017W", at)
    typed_with_digits = legacy.replace("O", "0").replace("I", "1").replace("L", "1")

    assert legacy != certificate_code(PEPPER, "GAR00000017W", at)
    assert code_matches(PEPPER, "GAR00000017W", at, legacy)
    assert code_matches(PEPPER, "GAR00000017W", at, typed_with_digits)


def test_a_generated_serial_typed_with_letters_for_digits_reads_back_first() -> None:
    assert confusable_variants("GAROOOOOO17W")[0] == "GAR00000017W"
    assert confusable_variants("GARO0000OI7W")[0] == "GAR00000017W"


def test_variants_are_bounded_fewest_changes_first_and_never_the_serial_itself() -> None:
    variants = confusable_variants("LOT-0O1O-0O1O-0O1O")

    assert len(variants) == MAX_VARIANTS
    assert "LOT-0O1O-0O1O-0O1O" not in variants
    assert len(set(variants)) == len(variants)
    changed = [sum(a != b for a, b in zip(v, "LOT-0O1O-0O1O-0O1O", strict=True)) for v in variants]
    assert changed == sorted(changed) and changed[0] == 1
    assert confusable_variants("ABC-234") == []


def test_a_miss_finds_the_one_unit_spelled_with_look_alikes() -> None:
    units = FakeUnits([f.unit("LOT-0O42")])

    assert activation.find_by_serial("LOT-0042", units).serial == "LOT-0O42"
    assert activation.find_by_serial("LOT-0O42", units).serial == "LOT-0O42"


def test_two_units_that_look_alike_are_not_told_apart_by_a_guess() -> None:
    units = FakeUnits([f.unit("AB-10"), f.unit("AB-1O")])

    assert activation.find_by_serial("AB-10", units).serial == "AB-10"
    with pytest.raises(NotFound, match="unit_not_found"):
        activation.find_by_serial("AB-IO", units)
