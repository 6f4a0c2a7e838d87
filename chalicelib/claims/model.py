"""Service requests as the rest of the code sees them (no storage detail): the facts a warranty
verdict is decided on, the exclusions staff select, and the verdict with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.catalog.warranty import ExclusionCode, WarrantyTerms, business_day

MAX_EXCLUSION_REASON = 500


class VerdictStatus(StrEnum):
    IN_WARRANTY = "in_warranty"
    OUT_OF_WARRANTY = "out_of_warranty"
    NEEDS_INSPECTION = "needs_inspection"


@dataclass(frozen=True)
class Reason:
    """Why, in words a person reads: a catalogue key (both languages) and its values, e.g.
    ``Reason("warranty_ended", {"day": "2026-01-31"})``. Values are strings and integers (a
    day is ISO), so a verdict stores as it is."""

    code: str
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    reasons: tuple[Reason, ...]  # never empty
    rules_version: str  # the terms' digest (``WarrantyTerms.rules_version``)


@dataclass(frozen=True)
class Exclusion:
    """What staff found (``physical_damage`` …) and why they say so; for one component
    (``compressor``) or, with ``component`` ``None``, the whole unit."""

    code: ExclusionCode
    reason: str
    component: str | None = None


@dataclass(frozen=True)
class UnitFacts:
    """What the verdict needs to know of a unit: its dates and its model's terms.

    ``warranty_end`` (and ``warranty_start``) are what the customer was promised at activation:
    they win over the terms read today. ``replaced_on`` is set on a unit given as a
    replacement: its warranty starts again that day."""

    serial: str
    model_code: str
    activated_on: date | None
    warranty_end: date | None
    manufactured_on: date | None
    shipped_on: date | None
    replaced_on: date | None
    terms: WarrantyTerms
    warranty_start: date | None = None

    @classmethod
    def of(cls, unit: Unit, model: ProductModel, *, replaced_on: date | None = None) -> UnitFacts:
        activation = unit.activation
        return cls(
            serial=unit.serial,
            model_code=unit.model_code,
            activated_on=business_day(activation.activated_at) if activation else None,
            warranty_end=activation.warranty_end if activation else None,
            manufactured_on=unit.manufactured_on,
            shipped_on=unit.shipped_on,
            replaced_on=replaced_on,
            terms=model.terms,
            warranty_start=activation.warranty_start if activation else None,
        )
