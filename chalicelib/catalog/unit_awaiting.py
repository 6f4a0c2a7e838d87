"""Units shipped to a dealer and not yet activated, oldest shipment first: the catalog's read of
``awaiting_index`` for others (the dealers' weekly nudge) through ``catalog.wiring``.

The index is sparse (``awaiting_dealer`` is set from shipment to activation, return or
cancellation), so a dealer's query reads only its units still waiting, never the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.catalog.tables import UnitRecord


@dataclass(frozen=True)
class AwaitingUnit:
    serial: str
    model_code: str
    shipped_on: date


@dataclass(frozen=True)
class AwaitingUnits:
    """The oldest ``units`` (at most the limit asked) and how many there are in all."""

    units: list[AwaitingUnit]
    count: int


class AwaitingUnitsReader:
    def shipped_before(self, dealer_id: str, before: date, *, limit: int) -> AwaitingUnits:
        """The dealer's units shipped before ``before`` (a day) and still awaiting activation:
        the oldest ``limit`` and their count (one query page for the units, one ``COUNT``)."""
        condition = UnitRecord.shipped_on < before.isoformat()
        units = [
            AwaitingUnit(r.serial, r.model_code, date.fromisoformat(r.shipped_on or ""))
            for r in UnitRecord.awaiting_index.query(
                dealer_id, range_key_condition=condition, limit=limit
            )
        ]
        count = UnitRecord.awaiting_index.count(dealer_id, range_key_condition=condition)
        return AwaitingUnits(units=units, count=count)
