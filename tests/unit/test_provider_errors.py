"""Provider result codes → what the sender does (docs/reference/zalo.md#zns-error-codes ZNS,
sms.md#esms-send eSMS adapter mapping)."""

from __future__ import annotations

import pytest

from chalicelib.messaging.provider_errors import ErrorClass, classify_esms, classify_zns

# Copied row by row from the reference tables, so a change to the module shows up as a diff here.
ZNS_TABLE: dict[ErrorClass, list[int]] = {
    ErrorClass.OK: [0],
    ErrorClass.TOKEN_INVALID: [-124, -216, -220],
    ErrorClass.CONFIG: [-101, -102, -103, -104, -105, -117, -125, -131, -135, -1351],
    ErrorClass.PERMANENT_RECIPIENT: [
        -108,
        -109,
        -111,
        -112,
        -1121,
        -1122,
        -1124,
        -114,
        -118,
        -119,
        -139,
        -140,
        -141,
    ],
    ErrorClass.QUOTA: [-115, -144, -147, -146],
    ErrorClass.NIGHT_WINDOW: [-133],
    ErrorClass.TRANSIENT: [-100],
}
ESMS_TABLE: dict[ErrorClass, list[int]] = {
    ErrorClass.OK: [100],
    ErrorClass.DUPLICATE: [124],
    ErrorClass.CONFIG: [101, 104, 140, 143, 146, 177],
    ErrorClass.OUT_OF_FUNDS: [103],
    ErrorClass.PERMANENT_RECIPIENT: [99, 108],
}
ZNS_CASES = [(code, cls) for cls, codes in ZNS_TABLE.items() for code in codes]
ESMS_CASES = [(code, cls) for cls, codes in ESMS_TABLE.items() for code in codes]


def test_error_class_values_are_the_stable_names() -> None:
    assert [c.value for c in ErrorClass] == [
        "ok",
        "token_invalid",
        "config",
        "permanent_recipient",
        "quota",
        "night_window",
        "transient",
        "duplicate",
        "out_of_funds",
        "unknown",
    ]


@pytest.mark.parametrize(("code", "expected"), ZNS_CASES)
def test_every_zns_code_in_the_table_maps_to_its_class(code: int, expected: ErrorClass) -> None:
    assert classify_zns(code) is expected
    assert classify_zns(str(code)) is expected


@pytest.mark.parametrize(("code", "expected"), ESMS_CASES)
def test_every_esms_code_in_the_mapping_maps_to_its_class(code: int, expected: ErrorClass) -> None:
    assert classify_esms(code) is expected
    assert classify_esms(str(code)) is expected


@pytest.mark.parametrize(
    "code",
    # -110 is disputed between sources; -106/-107/-113/-1123 are gaps; positives are eSMS-shaped.
    [-110, -106, -107, -113, -1123, -1, -99999, 1, 100, 124, -1240, 1351],
)
def test_unknown_zns_codes_are_unknown(code: int) -> None:
    assert classify_zns(code) is ErrorClass.UNKNOWN
    assert classify_zns(str(code)) is ErrorClass.UNKNOWN


@pytest.mark.parametrize(
    # Listed in the eSMS code table but without an adapter behaviour in the reference.
    "code",
    [102, 118, 201, 204, 789, 790, 791, 799, 0, 1, -100, 105, 1000],
)
def test_unknown_esms_codes_are_unknown(code: int) -> None:
    assert classify_esms(code) is ErrorClass.UNKNOWN
    assert classify_esms(str(code)) is ErrorClass.UNKNOWN


@pytest.mark.parametrize(
    "value", ["", " ", "abc", "1e2", "100.0", "+100", "1_00", "١٠٠", "0x64", "--124", "100\x00"]
)
def test_non_numeric_codes_are_unknown_never_ok(value: str) -> None:
    assert classify_esms(value) is ErrorClass.UNKNOWN
    assert classify_zns(value) is ErrorClass.UNKNOWN


def test_a_bool_is_not_a_code() -> None:
    assert classify_zns(False) is ErrorClass.UNKNOWN
    assert classify_esms(True) is ErrorClass.UNKNOWN


def test_surrounding_whitespace_is_tolerated() -> None:
    assert classify_esms(" 100 ") is ErrorClass.OK
    assert classify_zns("-124\n") is ErrorClass.TOKEN_INVALID


def test_zns_and_esms_share_no_success_code() -> None:
    assert classify_zns("100") is ErrorClass.UNKNOWN
    assert classify_esms("0") is ErrorClass.UNKNOWN
