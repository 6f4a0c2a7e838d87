"""A dealer's units from ``dealer_serial_index`` (sparse: only units shipped to a dealer), one
query a page (a status filter may make a page shorter, never skip one); its activations add
one BatchGetItem of the owner's fields per page."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.dealer_units import (
    DealerActivation,
    DealerActivationPage,
    DealerUnit,
    DealerUnitPage,
)
from chalicelib.catalog.tables import UnitRecord

ACTIVATED = "activated"
_OWNER = ["serial", "channel", "owner_name", "owner_phone", "owner_province", "activated_at"]


def _unit(record: UnitRecord) -> DealerUnit:
    return DealerUnit(
        serial=record.serial,
        model_code=record.model_code,
        status=record.status,
        shipped_on=record.shipped_on,
        activated_at=record.activated_at,
        shipment_id=record.shipment_id or "",
        carton=record.carton or "",
    )


class DealerUnitReader:
    def units(
        self, dealer_id: str, *, status: str | None, limit: int, after: dict[str, Any] | None
    ) -> DealerUnitPage:
        result = UnitRecord.dealer_serial_index.query(
            dealer_id,
            filter_condition=(UnitRecord.status == status) if status else None,
            limit=limit,
            last_evaluated_key=after,
        )
        found = [_unit(record) for record in result]
        return DealerUnitPage(found, result.last_evaluated_key)

    def activations(
        self, dealer_id: str, *, limit: int, after: dict[str, Any] | None
    ) -> DealerActivationPage:
        page = self.units(dealer_id, status=ACTIVATED, limit=limit, after=after)
        serials = [unit.serial for unit in page.units]
        owners = (
            {r.serial: r for r in UnitRecord.batch_get(serials, attributes_to_get=_OWNER)}
            if serials
            else {}
        )
        activations = []
        for unit in page.units:
            owner = owners.get(unit.serial)
            activations.append(
                DealerActivation(
                    serial=unit.serial,
                    model_code=unit.model_code,
                    activated_at=unit.activated_at,
                    channel=(owner.channel if owner else None) or "",
                    owner_name=(owner.owner_name if owner else None) or "",
                    owner_phone=(owner.owner_phone if owner else None) or "",
                    owner_province=(owner.owner_province if owner else None) or "",
                )
            )
        return DealerActivationPage(activations, page.after)
