"""Vietnamese mobile numbers (docs/reference/phone-numbers.md): every accepted form becomes one
E.164 number; landlines, service numbers, foreign numbers and junk are refused with a code saying
which."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.core.phone import log_safe, mask_phone, normalize_vn_mobile, phone_key

ARABIC_INDIC = "٠٩١٢٣٤٥٦٧٨"  # 0912345678 in U+0660..U+0669
EXTENDED_ARABIC_INDIC = "۰۹۱۲۳۴۵۶۷۸"  # 0912345678 in U+06F0..U+06F9
FULLWIDTH = "０９１２３４５６７８"


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "+84912345678",
        "84912345678",
        "0084912345678",
        "+84 91 234 5678",
        "091-234-5678",
        "(091) 234.5678",
        "84 0912345678",
        "+840912345678",
        "++84912345678",
        ARABIC_INDIC,
        EXTENDED_ARABIC_INDIC,
        FULLWIDTH,
        "0912345678\u200b",
        "\u200b0912\u200c345\u200d678\ufeff",
        " 0912345678 ",
    ],
)
def test_normalize_accepts_every_written_form_of_one_mobile_number(raw: str) -> None:
    assert normalize_vn_mobile(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0868123456", "+84868123456"),  # Viettel
        ("0325123456", "+84325123456"),  # Viettel
        ("0705123456", "+84705123456"),  # MobiFone
        ("0835123456", "+84835123456"),  # VinaPhone
        ("0565123456", "+84565123456"),  # Vietnamobile
        ("0595123456", "+84595123456"),  # Gmobile
    ],
)
def test_normalize_accepts_every_carrier_prefix(raw: str, e164: str) -> None:
    assert normalize_vn_mobile(raw) == e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("01662345678", "+84362345678"),
        ("0166 234 5678", "+84362345678"),
        ("+841662345678", "+84362345678"),
        ("841232345678", "+84832345678"),
        ("01202345678", "+84702345678"),
        ("0199 123 4567", "+84591234567"),
        ("01862345678", "+84562345678"),
    ],
)
def test_normalize_converts_legacy_eleven_digit_numbers(raw: str, e164: str) -> None:
    assert normalize_vn_mobile(raw) == e164


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("02838123456", "phone_not_mobile"),  # HCMC landline
        ("02437654321", "phone_not_mobile"),  # Hanoi landline
        ("1900123456", "phone_not_mobile"),  # premium service number
        ("1800123456", "phone_not_mobile"),  # toll-free
        ("+14155550123", "phone_not_vietnamese"),
        ("+447911123456", "phone_not_vietnamese"),
        ("+88216123456", "phone_not_vietnamese"),
        ("%2B84912345678", "phone_invalid"),  # URL-encoded, never decoded twice
        ("0123456789", "phone_invalid"),
        ("0912345", "phone_invalid"),
        ("09123456789", "phone_invalid"),
        ("0912345678; DROP", "phone_invalid"),
        ("0" * 33, "phone_invalid"),  # longer than any phone number may be written
        ("+84 912 345 678" + " " * 30, "phone_invalid"),
        ("", "phone_required"),
        ("   ", "phone_required"),
    ],
)
def test_normalize_rejects_what_is_not_a_vietnamese_mobile(raw: str, code: str) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_vn_mobile(raw)
    assert caught.value.code == code


@pytest.mark.parametrize("raw", [None, 912345678, b"0912345678", ["0912345678"]])
def test_normalize_rejects_values_that_are_not_text(raw: object) -> None:
    with pytest.raises(Invalid):
        normalize_vn_mobile(raw)


def test_mask_phone_shows_only_enough_for_the_owner_to_recognise_it() -> None:
    assert mask_phone("+84912345678") == "+84 91* *** *78"


def test_mask_phone_hides_anything_that_is_not_a_vietnamese_mobile() -> None:
    assert mask_phone("+14155550123") == "***"


def test_log_safe_form_never_contains_the_full_number() -> None:
    safe = log_safe("+84912345678")

    assert safe == "+8491*****78"
    assert "912345678" not in safe


def test_phone_key_is_pseudonymous_stable_and_depends_on_the_pepper() -> None:
    key = phone_key(b"p" * 32, "+84912345678")

    assert key == phone_key(b"p" * 32, "+84912345678")
    assert key != phone_key(b"q" * 32, "+84912345678")
    assert "912345678" not in key
