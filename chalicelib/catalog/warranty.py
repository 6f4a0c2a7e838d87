"""Warranty terms: when a unit's warranty starts and ends, and why.

A model's terms name a period in months and a start basis:

- ``activation``: the day the customer activates (the common case);
- ``shipment``: the day the unit was shipped to the dealer (falls back to activation);
- ``manufacture``: the manufacturing date (falls back to activation).

Optional caps: ``max_months_from_manufacture`` ends the warranty no later than that many months
after manufacture, whatever the start; ``activation_deadline_days`` refuses activation that
long after manufacture (or shipment).

Per-component terms (:class:`ComponentTerm`) give one part its own period from the unit's start,
on a condition (``activated_within_months`` of shipment, else manufacture): "the compressor is
covered 84 months if the unit was activated within 24 months". The manufacture cap bounds the
unit's own term only: a component's period is a separate, explicit promise.

A replacement unit's warranty restarts on its replacement day (Vietnam's consumer protection
law, 2023): :meth:`WarrantyTerms.restart` ignores the cap and the activation deadline.

:attr:`WarrantyTerms.rules_version` is a stable digest of everything above: a verdict stores it,
so a later change of a model's terms shows which verdicts were decided under the old ones.

>>> terms = WarrantyTerms(months=24, start_basis=StartBasis.ACTIVATION)
>>> terms.window(activated_on=date(2026, 1, 31)).end
datetime.date(2028, 1, 30)
>>> compressor = ComponentTerm("compressor", "Máy nén", 84, activated_within_months=24)
>>> with_parts = WarrantyTerms(months=24, components=(compressor,))
>>> with_parts.component("compressor").end(date(2026, 1, 31))
datetime.date(2033, 1, 30)
>>> with_parts.rules_version == WarrantyTerms(24, components=(compressor,)).rules_version
True
>>> with_parts.rules_version == terms.rules_version
False
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from chalicelib.core.errors import FieldError, Invalid

MAX_WARRANTY_MONTHS = 240
MAX_COMPONENTS = 20
COMPONENT_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")
# Bumped when the engine's reading of the same terms changes, so the digest changes with it.
ENGINE_VERSION = "w1"
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


class ExclusionCode(StrEnum):
    """What the warranty does not cover, whatever the dates: staff pick one with a reason."""

    PHYSICAL_DAMAGE = "physical_damage"
    UNAUTHORISED_INSTALLATION = "unauthorised_installation"
    UNAUTHORISED_REPAIR = "unauthorised_repair"
    MISUSE = "misuse"
    NATURAL_DISASTER = "natural_disaster"
    CONSUMABLES = "consumables"
    POWER_SURGE = "power_surge"


@dataclass(frozen=True)
class ComponentTerm:
    """One part's own period (``code`` like ``compressor``, names in both languages), counted
    from the unit's warranty start; with ``activated_within_months`` only for a unit activated
    within that many months of its shipment (else its manufacture).

    >>> part = ComponentTerm("compressor", "Máy nén", 84, activated_within_months=24)
    >>> part.condition_met(date(2028, 1, 1), manufactured_on=date(2026, 1, 1), shipped_on=None)
    True
    >>> part.condition_met(date(2028, 1, 2), manufactured_on=date(2026, 1, 1), shipped_on=None)
    False
    """

    code: str
    name: str
    months: int
    name_en: str = ""
    activated_within_months: int | None = None

    def __post_init__(self) -> None:
        if not COMPONENT_CODE.fullmatch(self.code):
            raise Invalid(fields=[FieldError("components", "component_code_invalid")])
        if not 1 <= self.months <= MAX_WARRANTY_MONTHS:
            raise Invalid(fields=[FieldError("components", "component_months_out_of_range")])
        within = self.activated_within_months
        if within is not None and not 1 <= within <= MAX_WARRANTY_MONTHS:
            raise Invalid(fields=[FieldError("components", "component_condition_out_of_range")])

    def condition_met(
        self, activated_on: date, *, manufactured_on: date | None, shipped_on: date | None
    ) -> bool:
        """Activated in time (the last day counts); no condition, or no reference date to count
        from (as with the activation deadline), is met."""
        reference = shipped_on or manufactured_on
        if self.activated_within_months is None or reference is None:
            return True
        return activated_on <= add_months(reference, self.activated_within_months)

    def end(self, start: date) -> date:
        """The last day this part is covered for a warranty starting on ``start``."""
        return add_months(start, self.months) - timedelta(days=1)


@dataclass(frozen=True)
class WarrantyTerms:
    months: int
    start_basis: StartBasis = StartBasis.ACTIVATION
    max_months_from_manufacture: int | None = None
    activation_deadline_days: int | None = None
    components: tuple[ComponentTerm, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_WARRANTY_MONTHS:
            raise Invalid("warranty_months_out_of_range")
        cap = self.max_months_from_manufacture
        if cap is not None and not self.months <= cap <= MAX_WARRANTY_MONTHS:
            raise Invalid("warranty_cap_out_of_range")
        deadline = self.activation_deadline_days
        if deadline is not None and not 1 <= deadline <= 3650:
            raise Invalid("activation_deadline_out_of_range")
        codes = [c.code for c in self.components]
        if len(codes) > MAX_COMPONENTS or len(set(codes)) != len(codes):
            raise Invalid(fields=[FieldError("components", "component_codes_invalid")])

    def component(self, code: str) -> ComponentTerm | None:
        return next((c for c in self.components if c.code == code), None)

    @property
    def rules_version(self) -> str:
        """``w1-`` + 12 hex digits of a digest of the terms: equal terms, equal version."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=True, default=str)
        return f"{ENGINE_VERSION}-{hashlib.sha256(canonical.encode()).hexdigest()[:12]}"

    def activation_deadline(
        self, *, manufactured_on: date | None, shipped_on: date | None
    ) -> date | None:
        """The last day activation is accepted; ``None`` without a deadline or a reference."""
        reference = shipped_on or manufactured_on
        if self.activation_deadline_days is None or reference is None:
            return None
        return reference + timedelta(days=self.activation_deadline_days)

    def check_activation_allowed(
        self, *, activated_on: date, manufactured_on: date | None, shipped_on: date | None
    ) -> None:
        """Raise ``Invalid("activation_deadline_passed")`` when activation comes too late."""
        deadline = self.activation_deadline(manufactured_on=manufactured_on, shipped_on=shipped_on)
        if deadline and activated_on > deadline:
            raise Invalid("activation_deadline_passed")

    def manufacture_cap(self, manufactured_on: date | None) -> date | None:
        """The last day any warranty of a unit made on ``manufactured_on`` can cover."""
        if not self.max_months_from_manufacture or manufactured_on is None:
            return None
        return add_months(manufactured_on, self.max_months_from_manufacture) - timedelta(days=1)

    def restart(self, replaced_on: date) -> WarrantyWindow:
        """A replacement unit's window: the full period again from its replacement day.

        >>> WarrantyTerms(12, max_months_from_manufacture=12).restart(date(2026, 2, 28)).end
        datetime.date(2027, 2, 27)
        """
        end = add_months(replaced_on, self.months) - timedelta(days=1)
        return WarrantyWindow(
            start=replaced_on,
            end=end,
            basis=StartBasis.ACTIVATION,
            reason="warranty_restarted_on_replacement",
        )

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
        cap = self.manufacture_cap(manufactured_on)
        if cap and cap < end:
            end, reason = cap, "warranty_capped_from_manufacture"
        return WarrantyWindow(start=start, end=max(end, start), basis=basis, reason=reason)
