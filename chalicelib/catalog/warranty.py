"""Warranty terms: when a unit's warranty starts and ends, and why.

A model's terms name a period in months and a start basis:

- ``activation``: the day the customer activates (the common case);
- ``shipment``: the day the unit was shipped to the dealer (falls back to activation);
- ``manufacture``: the manufacturing date (falls back to activation).

Optional caps: ``max_months_from_manufacture`` ends the warranty no later than that many months
after manufacture, whatever the start; ``activation_deadline_days`` refuses activation that
long after manufacture (or shipment).

>>> terms = WarrantyTerms(months=24, start_basis=StartBasis.ACTIVATION)
>>> terms.window(activated_on=date(2026, 1, 31)).end
datetime.date(2028, 1, 30)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from chalicelib.core.errors import Invalid

MAX_WARRANTY_MONTHS = 240
# Warranty days are Vietnamese calendar days: UTC+7 all year (no daylight saving), so a fixed
# offset is exact and needs no time-zone database in the Lambda image.
BUSINESS_TIMEZONE = timezone(timedelta(hours=7), "ICT")


def business_day(moment: datetime) -> date:
    """The Vietnamese calendar day of an instant: 23:30 UTC is already tomorrow in Hanoi."""
    return moment.astimezone(BUSINESS_TIMEZONE).date()


class StartBasis(StrEnum):
    ACTIVATION = "activation"
    SHIPMENT = "shipment"
    MANUFACTURE = "manufacture"


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end: 31 Jan + 1 month = 28/29 Feb."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class WarrantyWindow:
    start: date
    end: date  # last day covered, inclusive
    basis: StartBasis
    reason: str  # a catalogue code saying how start and end were chosen

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class WarrantyTerms:
    months: int
    start_basis: StartBasis = StartBasis.ACTIVATION
    max_months_from_manufacture: int | None = None
    activation_deadline_days: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_WARRANTY_MONTHS:
            raise Invalid("warranty_months_out_of_range")
        cap = self.max_months_from_manufacture
        if cap is not None and not self.months <= cap <= MAX_WARRANTY_MONTHS:
            raise Invalid("warranty_cap_out_of_range")
        deadline = self.activation_deadline_days
        if deadline is not None and not 1 <= deadline <= 3650:
            raise Invalid("activation_deadline_out_of_range")

    def check_activation_allowed(
        self, *, activated_on: date, manufactured_on: date | None, shipped_on: date | None
    ) -> None:
        """Raise ``Invalid("activation_deadline_passed")`` when activation comes too late."""
        if self.activation_deadline_days is None:
            return
        reference = shipped_on or manufactured_on
        if reference and activated_on > reference + timedelta(days=self.activation_deadline_days):
            raise Invalid("activation_deadline_passed")

    def window(
        self,
        *,
        activated_on: date,
        manufactured_on: date | None = None,
        shipped_on: date | None = None,
    ) -> WarrantyWindow:
        """The covered period for a unit activated on ``activated_on``."""
        basis, start, reason = StartBasis.ACTIVATION, activated_on, "warranty_from_activation"
        if self.start_basis is StartBasis.SHIPMENT and shipped_on:
            basis, start, reason = StartBasis.SHIPMENT, shipped_on, "warranty_from_shipment"
        elif self.start_basis is StartBasis.MANUFACTURE and manufactured_on:
            basis, start, reason = (
                StartBasis.MANUFACTURE,
                manufactured_on,
                "warranty_from_manufacture",
            )
        elif self.start_basis is not StartBasis.ACTIVATION:
            reason = "warranty_from_activation_fallback"
        end = add_months(start, self.months) - timedelta(days=1)
        if self.max_months_from_manufacture and manufactured_on:
            cap = add_months(manufactured_on, self.max_months_from_manufacture) - timedelta(days=1)
            if cap < end:
                end, reason = cap, "warranty_capped_from_manufacture"
        return WarrantyWindow(start=start, end=max(end, start), basis=basis, reason=reason)
