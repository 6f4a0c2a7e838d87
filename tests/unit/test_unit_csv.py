"""The unit import file: every line accepted whole or reported with its number and reason."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.catalog.unit_import import MAX_ROWS, parse_unit_csv
from chalicelib.core.errors import Invalid
from tests.support.factories import TODAY, units_csv


def reasons(text: str) -> list[tuple[int, str, str]]:
    _, rejected = parse_unit_csv(text, TODAY)
    return [(r.line, r.serial, r.reason) for r in rejected]


def test_header_line_is_skipped_and_rows_keep_their_file_line_numbers() -> None:
    rows, rejected = parse_unit_csv(
        units_csv([["ab-1001", "ac-9", "B1", "2026-01-05"], ["AB-1002", "AC-9"]]), TODAY
    )

    assert rejected == []
    assert [(r.line, r.unit.serial, r.unit.model_code) for r in rows] == [
        (2, "AB-1001", "AC-9"),
        (3, "AB-1002", "AC-9"),
    ]
    assert rows[0].unit.batch == "B1"
    assert rows[0].unit.manufactured_on == date(2026, 1, 5)


def test_file_without_header_starts_at_line_one() -> None:
    rows, _ = parse_unit_csv("AB-1001,AC-9\n", TODAY)

    assert [r.line for r in rows] == [1]


def test_blank_lines_are_ignored_but_counted_in_line_numbers() -> None:
    rows, rejected = parse_unit_csv("serial,model_code\n\nAB-1\n\n , \nAB-2,AC-9\r\n", TODAY)

    assert [(r.line, r.unit.serial) for r in rows] == [(6, "AB-2")]
    assert [(r.line, r.reason) for r in rejected] == [(3, "wrong_column_count")]


@pytest.mark.parametrize(
    "line", ["AB-1001", "AB-1001,AC-9,B1,2026-01-01,CT-1,extra", "AB-1001,AC-9,B1,2026-01-01,,"]
)
def test_wrong_column_count_is_reported(line: str) -> None:
    assert reasons(f"serial,model_code\n{line}\n") == [(2, "AB-1001", "wrong_column_count")]


def test_duplicate_serial_in_file_is_reported_on_its_second_line() -> None:
    assert reasons(units_csv([["AB-1001", "AC-9"], ["ab-1001", "AC-9"]])) == [
        (3, "AB-1001", "duplicate_in_file")
    ]


def test_future_manufacturing_date_is_reported() -> None:
    assert reasons(units_csv([["AB-1", "AC-9", "", "2026-03-11"]])) == [
        (2, "AB-1", "manufactured_on_in_future")
    ]
    assert reasons(units_csv([["AB-1", "AC-9", "", TODAY.isoformat()]])) == []


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["AB 1001", "AC-9"], "serial_invalid"),
        (["AB-1001", "AC 9"], "model_code_invalid"),
        (["AB-1001", ""], "model_code_invalid"),
        (["AB-1001", "AC-9", "B 1"], "batch_invalid"),
        (["AB-1001", "AC-9", "B" * 41], "batch_invalid"),
        (["AB-1001", "AC-9", "", "2026-13-01"], "manufactured_on_invalid"),
        (["AB-1001", "AC-9", "", "10/03/2026"], "manufactured_on_invalid"),
    ],
)
def test_each_malformed_field_is_reported_with_its_reason(row: list[str], reason: str) -> None:
    [(line, _, got)] = reasons(units_csv([row]))

    assert (line, got) == (2, reason)


def test_reported_serial_is_bounded() -> None:
    [(_, serial, _)] = reasons(units_csv([["A" * 500, "AC-9"]]))

    assert len(serial) <= 40


def test_exactly_the_maximum_number_of_rows_is_accepted() -> None:
    text = units_csv([[f"SN{i:06d}", "AC-9"] for i in range(MAX_ROWS)])

    rows, rejected = parse_unit_csv(text, TODAY)

    assert (len(rows), rejected) == (MAX_ROWS, [])


def test_one_row_more_than_the_maximum_fails_the_whole_file() -> None:
    text = units_csv([[f"SN{i:06d}", "AC-9"] for i in range(MAX_ROWS + 1)])

    with pytest.raises(Invalid) as caught:
        parse_unit_csv(text, TODAY)
    assert caught.value.code == "import_too_many_rows"
    assert caught.value.details == {"max_rows": MAX_ROWS}


@pytest.mark.parametrize("text", ["", "\n\n", "serial,model_code\n", " , \n"])
def test_file_without_data_lines_is_rejected(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_unit_csv(text, TODAY)
    assert caught.value.code == "import_empty"


def test_byte_order_mark_is_the_route_s_job_not_the_parser_s() -> None:
    """Given text that still starts with U+FEFF, the header is not recognised: the route must
    decode with ``utf-8-sig`` (tested in the integration suite)."""
    assert reasons("\ufeffserial,model_code\nAB-1,AC-9\n") == [
        (1, "\ufeffserial", "serial_invalid")
    ]


def test_the_carton_column_is_optional_and_normalised_and_a_bad_code_rejects_the_line() -> None:
    text = (
        "serial,model_code,batch,manufactured_on,carton\n"
        "AB-1,AC-9,,,(00)106141411234567897\n"
        "AB-2,AC-9,LOT-1,,ct-0001\n"
        "AB-3,AC-9\n"
        "AB-4,AC-9,,,106141411234567890\n"
        "AB-5,AC-9,,,C 1\n"
    )
    rows, rejected = parse_unit_csv(text, TODAY)

    assert [(r.unit.serial, r.unit.carton) for r in rows] == [
        ("AB-1", "106141411234567897"),
        ("AB-2", "CT-0001"),
        ("AB-3", ""),
    ]
    assert [(r.line, r.reason) for r in rejected] == [
        (5, "carton_code_invalid"),
        (6, "carton_code_invalid"),
    ]
