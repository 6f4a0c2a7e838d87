"""Warranty terms: start basis with fallbacks, month-end clamping, caps and the deadline."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.catalog.warranty import StartBasis, WarrantyTerms, add_months
from chalicelib.core.errors import Invalid


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 10), 24, date(2028, 5, 10)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_warranty_from_activation_ends_the_day_before_the_anniversary() -> None:
    window = WarrantyTerms(months=24).window(activated_on=date(2026, 3, 10))

    assert (window.start, window.end) == (date(2026, 3, 10), date(2028, 3, 9))
    assert window.basis is StartBasis.ACTIVATION
    assert window.reason == "warranty_from_activation"
    assert window.covers(date(2028, 3, 9)) and not window.covers(date(2028, 3, 10))


def test_warranty_activated_on_a_month_end_uses_the_clamped_anniversary() -> None:
    window = WarrantyTerms(months=24).window(activated_on=date(2026, 1, 31))

    assert window.end == date(2028, 1, 30)


def test_warranty_from_shipment_starts_on_the_shipping_day() -> None:
    window = WarrantyTerms(months=12, start_basis=StartBasis.SHIPMENT).window(
        activated_on=date(2026, 3, 10), shipped_on=date(2026, 2, 1)
    )

    assert (window.start, window.end) == (date(2026, 2, 1), date(2027, 1, 31))
    assert window.basis is StartBasis.SHIPMENT
    assert window.reason == "warranty_from_shipment"


def test_warranty_from_manufacture_starts_on_the_manufacturing_day() -> None:
    window = WarrantyTerms(months=12, start_basis=StartBasis.MANUFACTURE).window(
        activated_on=date(2026, 3, 10), manufactured_on=date(2025, 12, 1)
    )

    assert (window.start, window.end) == (date(2025, 12, 1), date(2026, 11, 30))
    assert window.reason == "warranty_from_manufacture"


@pytest.mark.parametrize("basis", [StartBasis.SHIPMENT, StartBasis.MANUFACTURE])
def test_missing_basis_date_falls_back_to_activation_and_says_so(basis: StartBasis) -> None:
    window = WarrantyTerms(months=12, start_basis=basis).window(activated_on=date(2026, 3, 10))

    assert window.start == date(2026, 3, 10)
    assert window.basis is StartBasis.ACTIVATION
    assert window.reason == "warranty_from_activation_fallback"


def test_manufacture_cap_ends_a_late_activation_early() -> None:
    terms = WarrantyTerms(months=24, max_months_from_manufacture=30)

    window = terms.window(activated_on=date(2026, 3, 10), manufactured_on=date(2025, 1, 15))

    assert window.end == date(2027, 7, 14)
    assert window.reason == "warranty_capped_from_manufacture"


def test_manufacture_cap_does_not_shorten_a_timely_activation() -> None:
    terms = WarrantyTerms(months=24, max_months_from_manufacture=36)

    window = terms.window(activated_on=date(2026, 3, 10), manufactured_on=date(2026, 1, 1))

    assert window.end == date(2028, 3, 9)
    assert window.reason == "warranty_from_activation"


def test_manufacture_cap_is_ignored_without_a_manufacturing_date() -> None:
    terms = WarrantyTerms(months=24, max_months_from_manufacture=24)

    assert terms.window(activated_on=date(2026, 3, 10)).end == date(2028, 3, 9)


def test_window_never_ends_before_it_starts() -> None:
    terms = WarrantyTerms(months=12, max_months_from_manufacture=12)

    window = terms.window(activated_on=date(2026, 3, 10), manufactured_on=date(2020, 1, 1))

    assert window.end >= window.start


def test_activation_deadline_counts_from_shipment_then_manufacture() -> None:
    terms = WarrantyTerms(months=12, activation_deadline_days=30)

    terms.check_activation_allowed(
        activated_on=date(2026, 3, 31),
        manufactured_on=date(2025, 1, 1),
        shipped_on=date(2026, 3, 1),
    )
    terms.check_activation_allowed(
        activated_on=date(2026, 1, 31), manufactured_on=date(2026, 1, 1), shipped_on=None
    )
    with pytest.raises(Invalid) as caught:
        terms.check_activation_allowed(
            activated_on=date(2026, 2, 1), manufactured_on=date(2026, 1, 1), shipped_on=None
        )
    assert caught.value.code == "activation_deadline_passed"


def test_activation_deadline_does_not_apply_without_a_reference_date() -> None:
    WarrantyTerms(months=12, activation_deadline_days=1).check_activation_allowed(
        activated_on=date(2030, 1, 1), manufactured_on=None, shipped_on=None
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"months": 0}, "warranty_months_out_of_range"),
        ({"months": 241}, "warranty_months_out_of_range"),
        ({"months": 24, "max_months_from_manufacture": 12}, "warranty_cap_out_of_range"),
        ({"months": 24, "max_months_from_manufacture": 241}, "warranty_cap_out_of_range"),
        ({"months": 24, "activation_deadline_days": 0}, "activation_deadline_out_of_range"),
        ({"months": 24, "activation_deadline_days": 3651}, "activation_deadline_out_of_range"),
    ],
)
def test_terms_out_of_range_are_rejected(kwargs: dict[str, int], code: str) -> None:
    with pytest.raises(Invalid) as caught:
        WarrantyTerms(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_terms_at_the_bounds_are_accepted() -> None:
    WarrantyTerms(months=1)
    WarrantyTerms(months=240, max_months_from_manufacture=240, activation_deadline_days=3650)
