"""Demo shipping and the dealer funnel (issue 14), written through the services the API uses:
demo units shipped over the last four months to the demo dealers (``seed_demo_dealers``: NPP-MB,
HN-01, HCM-01), each shipment a draft dated in the past whose units (and, in the latest one, a
closed carton packed through the cartons' service) are scanned, then confirmed; some of those
units the demo's customers then activate and one comes back (a return); and one open carton
holds two units for the packing screen.

So ``GET /shipments`` lists the shipments the demo units point to, and the units stream counts
the shipping, the activations and the return into the funnel as it does in production: its
charts, its rates and every ageing bucket (0–30, 31–90, over 90 days) have something to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog import carton_service as cartons
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.settings import get_settings
from chalicelib.dealers import shipment_service as shipments
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.dealers.shipments import Shipment

ACTOR = "demo"


@dataclass(frozen=True)
class DemoShipment:
    dealer_code: str
    days_ago: int  # its ship date, before the demo's today
    document_number: str  # the delivery note's


# Oldest first. The first SELLING ones (35 days old or more) take the units the demo's customers
# activate in the last 29 days, in turn (Hà Nội half of them, Sài Gòn a third, the distributor the
# rest: their activation rates differ); the spare units go round all of them, so every ageing
# bucket keeps units awaiting activation; the latest one also takes the closed carton.
DEMO_SHIPMENTS = (
    DemoShipment("HN-01", 110, "PXK-DEMO-0001"),
    DemoShipment("HCM-01", 96, "PXK-DEMO-0002"),
    DemoShipment("NPP-MB", 80, "PXK-DEMO-0003"),
    DemoShipment("HN-01", 62, "PXK-DEMO-0004"),
    DemoShipment("HCM-01", 47, "PXK-DEMO-0005"),
    DemoShipment("HN-01", 35, "PXK-DEMO-0006"),
    DemoShipment("HCM-01", 18, "PXK-DEMO-0007"),
    DemoShipment("HN-01", 5, "PXK-DEMO-0008"),
)
SELLING = 6
RETURNED_FROM = 2  # the shipment one spare unit comes back from (today)
CARTON_UNITS = 4  # of the loose units, packed into the closed carton; the rest stay open
# shipments scanned and confirmed at once, as staff at several desks would: each waits on the
# emulator most of the time (half the demo's shipping time on a fresh `make run`)
AT_ONCE = 4


@dataclass(frozen=True)
class DemoShipping:
    shipments: int
    shipped: int  # units
    returned: int
    cartons: int


def seed_demo_funnel(
    to_activate: Sequence[str],
    spare: Sequence[str],
    loose: Sequence[str],
    now: datetime | None = None,
) -> DemoShipping:
    """Ship every other unit of ``to_activate`` (activated later by the demo's customers) and
    ``spare`` (never activated), pack the first :data:`CARTON_UNITS` of ``loose`` into a closed
    carton shipped with the latest shipment and the rest into an open carton, and take one
    spare unit back. Run before the demo's activations; nothing when shipments exist already
    (a second start leaves them as they are)."""
    now = now or datetime.now(UTC)
    store = dealer_wiring.shipment_repository()
    seeded, _ = shipments.page(shipments.ShipmentFilter(), limit=1, after=None, store=store)
    if seeded:
        return DemoShipping(0, 0, 0, 0)
    latest = DEMO_SHIPMENTS[-1].days_ago
    carton = _carton(loose[:CARTON_UNITS], now - timedelta(days=latest + 1), close=True)
    plan = _plan(to_activate[::2], spare)
    plan[-1].append(carton)
    today = business_day(now)
    with ThreadPoolExecutor(AT_ONCE, thread_name_prefix="demo-shipment") as pool:
        done = list(pool.map(_ship, DEMO_SHIPMENTS, plan, [today] * len(plan), [now] * len(plan)))
    returned = _return(done[RETURNED_FROM], plan[RETURNED_FROM][-1], now)
    _carton(loose[CARTON_UNITS:], now - timedelta(hours=2), close=False)
    shipped = sum(s.progress.shipped for s in done)
    return DemoShipping(len(done), shipped, returned, 2)


def _plan(selling: Sequence[str], spare: Sequence[str]) -> list[list[str]]:
    """The codes each demo shipment scans: sold units round the first :data:`SELLING`, then
    spare units round all of them (so the last scanned code of each is a spare unit's)."""
    plan: list[list[str]] = [[] for _ in DEMO_SHIPMENTS]
    for index, serial in enumerate(selling):
        plan[index % SELLING].append(serial)
    for index, serial in enumerate(spare):
        plan[index % len(DEMO_SHIPMENTS)].append(serial)
    return plan


def _ship(demo: DemoShipment, codes: Sequence[str], today: date, now: datetime) -> Shipment:
    """A draft for the dealer dated ``demo.days_ago`` before ``today``, each code scanned into
    it, confirmed (by the demo, that day)."""
    change = shipments.Change(
        ACTOR, now - timedelta(days=demo.days_ago), f"demo-{demo.document_number}"
    )
    store, trail = dealer_wiring.shipment_repository(), audit_wiring.audit_trail()
    dealers, units = dealer_wiring.dealer_repository(), catalog_wiring.unit_shipping()
    draft = shipments.create(
        demo.dealer_code,
        today - timedelta(days=demo.days_ago),
        demo.document_number,
        change,
        store=store,
        dealers=dealers,
        trail=trail,
    )
    for code in codes:
        scanned = shipments.scan(
            draft.shipment_id,
            code,
            change,
            store=store,
            units=units,
            cartons=catalog_wiring.carton_contents,
            dealers=dealers,
        )
        if scanned.refused:  # fresh demo units: a refusal is a bug of the demo
            raise RuntimeError(f"demo scan refused: {scanned.refused}")
    report = shipments.confirm(
        draft.shipment_id, change, store=store, units=units, dealers=dealers, trail=trail
    )
    return report.shipment


def _return(shipment: Shipment, serial: str, now: datetime) -> int:
    """``serial`` (not activated) taken back from ``shipment`` today; how many came back."""
    report = shipments.return_units(
        shipment.shipment_id,
        [serial],
        shipments.Change(ACTOR, now, "demo-return"),
        store=dealer_wiring.shipment_repository(),
        units=catalog_wiring.unit_shipping(),
        trail=audit_wiring.audit_trail(),
    )
    return len(report.returned)


def _carton(serials: Sequence[str], at: datetime, *, close: bool) -> str:
    """A carton (the next SSCC of the stage's GS1 prefix, else an own code) holding
    ``serials``, closed or left open; its code."""
    change = cartons.Change(ACTOR, at, "demo-carton")
    store, trail = catalog_wiring.carton_repository(), audit_wiring.audit_trail()
    prefix = get_settings().gs1_company_prefix
    own = None if prefix else f"DEMO-{'CLOSED' if close else 'OPEN'}"
    carton = cartons.create(own, change, company_prefix=prefix, cartons=store, trail=trail)
    for serial in serials:
        cartons.pack(carton.code, serial, change, cartons=store)
    if close:
        cartons.close(carton.code, change, cartons=store, trail=trail)
    return carton.code
