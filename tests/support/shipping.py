"""Dealers and shipped units written as issue 14's contract says ("Ship effects on a unit"),
straight to the tables, for the funnel's and the nudge's tests and the funnel's bench, which
need units shipped on any day without a shipment of the shipments' service behind them (the
demo ships through that service: ``devstack.demo_funnel``)."""

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
    province: str = "Hà Nội",
    phone: str | None = "+84912000001",
    status: DealerStatus = DealerStatus.ACTIVE,
) -> str:
    """A dealer as the dealers' registry writes it (listed, in code order)."""
    DealerRecord(
        dealer_id,
        code=code,
        listed="dealer",
        name=name,
        province=province,
        contact_phone=phone,
        status=status.value,
        created_at=datetime.now(UTC),
        created_by="test",
    ).save()
    return dealer_id


def _history(event: str, shipment: str) -> HistoryEntry:
    """A history event noting its shipment, as ``catalog.unit_shipping`` writes it."""
    return HistoryEntry(at=datetime.now(UTC), event=event, by="demo", note=shipment)  # type: ignore[no-untyped-call]


def ship(serials: Iterable[str], dealer_id: str, shipped_on: date, shipment: str = "s_1") -> None:
    """Each registered unit shipped to ``dealer_id`` on ``shipped_on``."""
    for serial in serials:
        UnitRecord(serial).update(
            actions=[
                UnitRecord.status.set("shipped"),
                UnitRecord.dealer_id.set(dealer_id),
                UnitRecord.shipment_id.set(shipment),
                UnitRecord.shipped_on.set(shipped_on.isoformat()),
                UnitRecord.awaiting_dealer.set(dealer_id),
                UnitRecord.history.set(UnitRecord.history.append([_history("shipped", shipment)])),
            ],
            condition=UnitRecord.status == "registered",
        )


def unship(serial: str, event: str = "returned") -> None:
    """A shipped unit back to ``registered`` (``returned``: a return; ``unshipped``: its
    shipment cancelled)."""
    shipment = UnitRecord.get(serial).shipment_id or ""
    UnitRecord(serial).update(
        actions=[
            UnitRecord.status.set("registered"),
            UnitRecord.dealer_id.remove(),
            UnitRecord.shipment_id.remove(),
            UnitRecord.shipped_on.remove(),
            UnitRecord.awaiting_dealer.remove(),
            UnitRecord.history.set(UnitRecord.history.append([_history(event, shipment)])),
        ],
        condition=UnitRecord.status == "shipped",
    )
