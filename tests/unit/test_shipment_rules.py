"""Shipments' rules (no I/O): what a scan may add, why a unit is refused at scan or at
confirmation, and the inputs a draft accepts."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import Conflict, Invalid
from chalicelib.dealers.shipments import (
    Refused,
    ScannedUnit,
    check_unit,
    clean_document_number,
    clean_scan_code,
    counts_by_model,
    refused_at_confirmation,
    require_draft,
)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("shipped", "unit_already_shipped"),
        ("activated", "unit_already_activated"),
        ("void", "unit_void"),
    ],
)
def test_a_unit_past_registered_is_refused_at_scan_with_its_reason(
    status: str, reason: str
) -> None:
    unit = ScannedUnit("GAR1", "AC-9", status, "s_other")

    assert check_unit(unit, other_draft=None) == Refused("GAR1", reason, "s_other")


def test_a_registered_unit_in_another_draft_is_refused_and_names_that_draft() -> None:
    unit = ScannedUnit("GAR1", "AC-9", "registered")

    assert check_unit(unit, other_draft="s_draft") == Refused(
        "GAR1", "unit_in_another_draft", "s_draft"
    )
    assert check_unit(unit, other_draft=None) is None


def test_a_unit_refused_at_confirmation_says_what_it_was_then() -> None:
    assert refused_at_confirmation("GAR1", "activated", "") == Refused(
        "GAR1", "unit_already_activated", "activated"
    )
    assert refused_at_confirmation("GAR2", None, "") == Refused("GAR2", "unit_not_found", "")
    assert refused_at_confirmation("GAR3", "registered", "").reason == "unit_not_shippable"


def test_scanned_codes_and_document_numbers_are_cleaned_or_refused() -> None:
    assert clean_scan_code("  gar-0001\t") == "GAR-0001"
    assert clean_document_number(" PXK   12/2026 ") == "PXK 12/2026"
    for bad_code in ("", "A B", "X" * 65):
        with pytest.raises(Invalid) as refused:
            clean_scan_code(bad_code)
        assert refused.value.code == "scan_code_invalid"
    with pytest.raises(Invalid) as bad:
        clean_document_number("=HYPERLINK()")
    assert bad.value.code == "shipment_document_invalid"


def test_counts_by_model_follow_the_scans() -> None:
    from datetime import UTC, datetime

    from chalicelib.dealers.shipments import Scan

    at = datetime.now(UTC)
    scans = [Scan("A", "AC-9", at, "cs"), Scan("B", "AC-12", at, "cs"), Scan("C", "AC-9", at, "cs")]

    assert counts_by_model(scans) == {"AC-12": 1, "AC-9": 2}


def test_only_a_draft_takes_scans() -> None:
    from datetime import UTC, datetime

    from chalicelib.dealers.shipments import Shipment, ShipmentDetails, ShipmentStatus

    at = datetime.now(UTC)
    confirmed = Shipment(
        "s_1", ShipmentDetails("d_1", at.date(), "PXK 1"), "HN-01", "HN", ShipmentStatus.CONFIRMED,
        at, "cs", at,
    )  # fmt: skip

    with pytest.raises(Conflict) as refused:
        require_draft(confirmed)
    assert refused.value.code == "shipment_not_draft"


def test_the_excel_row_prints_an_sscc_carton_with_its_application_identifier() -> None:
    from chalicelib.dealers.shipment_export import unit_row
    from chalicelib.dealers.shipment_service import ShipmentUnit

    sscc = ShipmentUnit("GAR1", "AC-9", "shipped", carton="089300000000000170")
    own = ShipmentUnit("GAR2", "AC-9", "shipped", carton="THUNG-7")
    loose = ShipmentUnit("GAR3", "AC-9", "activated", activated=True)

    assert [unit_row(u, "en")[2] for u in (sscc, own, loose)] == [
        "(00)089300000000000170",
        "THUNG-7",
        "",
    ]
