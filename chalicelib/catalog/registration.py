"""Getting units into the system: CSV import and generated serial ranges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.catalog.model import AddResult, NewUnit, ProductModel, Unit
from chalicelib.catalog.serials import MAX_SEQUENCE, generated_serial
from chalicelib.catalog.unit_import import parse_unit_csv
from chalicelib.core.errors import Invalid, RowRejection

MAX_GENERATE = 10_000


class UnitStore(Protocol):
    def existing_serials(self, serials: Iterable[str]) -> set[str]: ...
    def add(
        self, units: Sequence[NewUnit], *, event: str, by: str, at: datetime | None = None
    ) -> AddResult: ...
    def get(self, serial: str) -> Unit: ...


class ModelLookup(Protocol):
    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]: ...


class SequenceSource(Protocol):
    def reserve_sequences(self, brand_id: str, count: int) -> int: ...


@dataclass(frozen=True)
class ImportReport:
    imported: int
    rejected: list[RowRejection]


def import_units(
    csv_text: str, *, by: str, today: date, units: UnitStore, models: ModelLookup
) -> ImportReport:
    """Register every valid line of a unit file; report the others by line with a reason.
    Existing serials are rejected, never overwritten."""
    rows, rejected = parse_unit_csv(csv_text, today)
    known_models = models.get_many({row.unit.model_code for row in rows})
    candidates = []
    for row in rows:
        if row.unit.model_code not in known_models:
            rejected.append(RowRejection(row.line, row.unit.serial, "model_not_found"))
        else:
            candidates.append(row)
    existing = units.existing_serials(row.unit.serial for row in candidates)
    to_add = []
    for row in candidates:
        if row.unit.serial in existing:
            rejected.append(RowRejection(row.line, row.unit.serial, "serial_exists"))
        else:
            to_add.append(row)
    result = units.add([row.unit for row in to_add], event="imported", by=by)
    for row in to_add:  # lost a race with another writer between our check and our write
        if row.unit.serial in result.rejected:
            rejected.append(
                RowRejection(row.line, row.unit.serial, result.rejected[row.unit.serial])
            )
    rejected.sort(key=lambda r: r.line)
    return ImportReport(imported=len(result.added), rejected=rejected)


def generate_units(
    model: ProductModel,
    count: int,
    *,
    brand_id: str,
    prefix: str,
    batch: str,
    manufactured_on: date | None,
    by: str,
    units: UnitStore,
    sequences: SequenceSource,
    at: datetime | None = None,
) -> AddResult:
    """Register ``count`` units with fresh serials of the brand's scheme; returns the serials.
    The range is reserved atomically, so concurrent generations never share a serial. ``at``:
    when they were registered (now, unless the demo backdates them)."""
    if not 1 <= count <= MAX_GENERATE:
        raise Invalid("generate_count_out_of_range", max_count=MAX_GENERATE)
    first = sequences.reserve_sequences(brand_id, count)
    if first + count - 1 > MAX_SEQUENCE:
        raise Invalid("serial_sequence_exhausted")
    new_units = [
        NewUnit(generated_serial(prefix, first + i), model.code, batch, manufactured_on)
        for i in range(count)
    ]
    # A serial of the reserved range can only be taken if someone imported it by hand: it is
    # reported in ``rejected``, the rest are registered.
    return units.add(new_units, event="generated", by=by, at=at)
