"""Dealers and shipped units as the dealers and shipments slices write them (issue 14's
contract: status ``shipped`` with ``dealer_id``, ``shipment_id``, ``shipped_on`` and
``awaiting_dealer``; a return puts the unit back to ``registered`` without them), for the
funnel's tests, its bench and its demo until those slices' own writers are merged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from chalicelib.catalog.tables import HistoryEntry, UnitRecord
from chalicelib.dealers.model import DealerStatus
from chalicelib.dealers.tables import DealerRecord


def dealer(
    dealer_id: str,
    code: str,
    name: str,
    *,
    phone: str | None = "+84912000001",
    status: DealerStatus = DealerStatus.ACTIVE,
) -> str:
    DealerRecord(
        dealer_id,
        code=code,
        listed="dealer",
        name=name,
        province="Hà Nội",
        contact_phone=phone,
        status=status.value,
        created_at=datetime.now(UTC),
        created_by="test",
    ).save()
    return dealer_id


def ship(serials: Iterable[str], dealer_id: str, shipped_on: date, shipment: str = "s_1") -> None:
    for serial in serials:
        UnitRecord(serial).update(
            actions=[
                UnitRecord.status.set("shipped"),
                UnitRecord.dealer_id.set(dealer_id),
                UnitRecord.shipment_id.set(shipment),
                UnitRecord.shipped_on.set(shipped_on.isoformat()),
                UnitRecord.awaiting_dealer.set(dealer_id),
                UnitRecord.history.set(
                    UnitRecord.history.append(
                        [HistoryEntry(at=datetime.now(UTC), event="shipped", by="test")]
                    )
                ),
            ],
            condition=UnitRecord.status == "registered",
        )


def unship(serial: str, event: str = "returned") -> None:
    UnitRecord(serial).update(
        actions=[
            UnitRecord.status.set("registered"),
            UnitRecord.dealer_id.remove(),
            UnitRecord.shipment_id.remove(),
            UnitRecord.shipped_on.remove(),
            UnitRecord.awaiting_dealer.remove(),
            UnitRecord.history.set(
                UnitRecord.history.append(
                    [HistoryEntry(at=datetime.now(UTC), event=event, by="test")]
                )
            ),
        ],
        condition=UnitRecord.status == "shipped",
    )
