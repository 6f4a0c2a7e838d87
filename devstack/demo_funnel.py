"""Demo data for the dealer funnel (issue 14): three demo dealers and some demo units shipped to
them over the last four months, some of which the demo's customers then activate, so the
funnel's charts, rates and ageing have something to show.

Until the dealers and shipments slices merge their own writers, the dealers and the shipping
are written here as their contract says (issue 14, "Ship effects on a unit"): status
``shipped`` with ``dealer_id``, ``shipment_id``, ``shipped_on`` and ``awaiting_dealer``, a
history event; a return puts the unit back to ``registered`` without them. The units stream
then counts them like any other write. Swap :func:`ship` for the shipments' service and
:func:`demo_dealers` for the dealers' demo when they land (one call each).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from chalicelib.catalog.tables import HistoryEntry, UnitRecord
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.model import DealerStatus
from chalicelib.dealers.tables import DealerRecord

# (id, code, name, province, contact phone): made-up numbers, like the demo's partners
DEMO_DEALERS = (
    ("d_01demohanoi000000000000001", "HN-01", "Điện máy Hà Nội", "Hà Nội", "+84909000201"),
    (
        "d_01demosaigon00000000000002",
        "SG-01",
        "Điện máy Sài Gòn",
        "Thành phố Hồ Chí Minh",
        "+84909000202",
    ),
    ("d_01demodanang00000000000003", "DN-01", "Cửa hàng Đà Nẵng", "Đà Nẵng", None),
)
# the ages (days since shipment) of the units shipped and never activated: every ageing bucket
SPARE_AGES = (3, 12, 25, 40, 55, 70, 95, 110, 130, 8, 33, 100)
# which dealer sells the units customers activate: Hà Nội half, Sài Gòn a third, Đà Nẵng the
# rest (so their activation rates differ)
SELLERS = (0, 0, 1, 0, 1, 2)


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
        created_by="demo",
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


def demo_dealers() -> list[str]:
    """Up to three active dealers of the registry (the dealers' own demo seeds them first);
    this module's three, created, when it has none."""
    from chalicelib.dealers.repository import DealerRepository

    listed = [d.dealer_id for d in DealerRepository().all() if d.status is DealerStatus.ACTIVE]
    if listed:
        return listed[:3]
    for dealer_id, code, name, province, phone in DEMO_DEALERS:
        dealer(dealer_id, code, name, province=province, phone=phone)
    return [dealer_id for dealer_id, *_ in DEMO_DEALERS]


def seed_demo_funnel(
    to_activate: Sequence[str], spare: Sequence[str], now: datetime | None = None
) -> int:
    """Ship every other unit of ``to_activate`` (the demo's customers activate them later, in
    the last 29 days) 35 to 115 days ago, and ``spare`` (never activated) at the ages of
    :data:`SPARE_AGES`, round the demo dealers; returns how many were shipped. Run before the
    demo's activations."""
    today = business_day(now or datetime.now(UTC))
    dealers = demo_dealers()
    shipped = 0
    for index, serial in enumerate(to_activate[::2]):
        age = 35 + (index * 13) % 80
        seller = dealers[SELLERS[index % len(SELLERS)] % len(dealers)]
        ship([serial], seller, today - timedelta(days=age), f"s_demo{age}")
        shipped += 1
    for index, serial in enumerate(spare):
        age = SPARE_AGES[index % len(SPARE_AGES)]
        ship([serial], dealers[index % len(dealers)], today - timedelta(days=age), f"s_demo{age}")
        shipped += 1
    return shipped
