"""A year of warranty history for the reports (issue 17), written through the services the API
uses, on a clock set back: units of the lock and the microwave (models without a maintenance
plan, so the history adds no visits due) shipped to the demo dealers over the past year, then
activated by their customers across Vietnam some days to months later, and service requests on
some of them, diagnosed, repaired (or replaced, found without fault), given parts and labour
and returned; one lock comes back within three months (a repeat repair).

Every activation is more than five weeks old, so the dashboard's last 30 days keep what the
demo's recent activations say. The units and claims streams count all of it into the reports'
counters as they would in production. ``make run`` seeds it (``GARANTI_DEMO_HISTORY=off``: not);
the tests' stacks leave it out unless a suite asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chalicelib.activation import service as activation
from chalicelib.catalog import registration
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import GarantiError
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from devstack.demo_funnel import DemoShipment, _ship

HISTORY_UNITS = {"LOCK-S7": 30, "MW-25G": 24}
HISTORY_SHIPMENTS = (
    DemoShipment("HN-01", 350, "PXK-HIST-0001"),
    DemoShipment("HCM-01", 300, "PXK-HIST-0002"),
    DemoShipment("NPP-MB", 240, "PXK-HIST-0003"),
    DemoShipment("HN-01", 190, "PXK-HIST-0004"),
    DemoShipment("HCM-01", 130, "PXK-HIST-0005"),
    DemoShipment("HN-01", 80, "PXK-HIST-0006"),
)
PROVINCES = ("Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế",
             "Nghệ An", "Khánh Hòa", "Quảng Ninh", "Đồng Nai")  # fmt: skip
CHANNELS = ("web", "zalo", "web", "sms", "web")
NAMES = ("Đặng Văn Phúc", "Bùi Thị Hoa", "Hồ Quang Khải", "Ngô Thị Lụa", "Đỗ Minh Nhật")
NEWEST_DAYS = 36  # no history activation inside the dashboard's 30 days


@dataclass(frozen=True)
class DemoHistory:
    units: int
    shipped: int
    activated: int
    claims: int


# (unit index, days ago it was filed, moves after diagnosing, cost lines (kind, part, VND, payer))
HISTORY_CLAIMS = (
    (0, 300, ("repaired",), (("part", "LOCK-MOTOR", 350_000, "warranty"),
                            ("labour", "", 150_000, "warranty"))),
    (0, 280, ("repaired",), (("labour", "", 150_000, "warranty"),)),  # the same lock, back
    (1, 260, ("no_fault_found",), (("travel", "", 80_000, "warranty"),)),
    (2, 200, ("repairing", "repaired"), (("part", "LOCK-PCB", 620_000, "warranty"),
                                          ("labour", "", 200_000, "warranty"))),
    (3, 120, ("repaired",), (("part", "LOCK-BATT", 90_000, "customer"),
                            ("revenue", "", 250_000, "customer"))),
    (12, 160, ("repaired",), (("labour", "", 100_000, "warranty"),)),
    (30, 240, ("repaired",), (("part", "MW-MAGNETRON", 900_000, "warranty"),
                             ("labour", "", 250_000, "warranty"))),
    (38, 200, ("repairing", "repaired"), (("part", "MW-FUSE", 40_000, "warranty"),
                                           ("labour", "", 120_000, "supplier"))),
    (45, 90, ("repaired",), (("part", "MW-FUSE", 40_000, "customer"),
                            ("revenue", "", 180_000, "customer"))),
    (33, 60, ("no_fault_found",), (("travel", "", 80_000, "warranty"),)),
)  # fmt: skip


def seed_demo_history(now: datetime | None = None) -> DemoHistory:
    """The history above; nothing when its first shipment exists already."""
    from chalicelib.dealers import shipment_service as shipments
    from chalicelib.dealers import wiring as dealer_wiring

    now = now or datetime.now(UTC)
    found, _ = shipments.page(
        shipments.ShipmentFilter(), limit=50, after=None, store=dealer_wiring.shipment_repository()
    )
    if any(s.document_number == HISTORY_SHIPMENTS[0].document_number for s in found):
        return DemoHistory(0, 0, 0, 0)
    serials = _units(now)
    shipped = serials[: len(serials) * 2 // 3]
    plan: list[list[str]] = [[] for _ in HISTORY_SHIPMENTS]
    for index, serial in enumerate(shipped):
        plan[index % len(HISTORY_SHIPMENTS)].append(serial)
    today = business_day(now)
    ship_days = {}
    for demo, codes in zip(HISTORY_SHIPMENTS, plan, strict=True):
        _ship(demo, codes, today, now)
        ship_days.update(dict.fromkeys(codes, demo.days_ago))
    activated = _activate(serials, ship_days, now)
    return DemoHistory(len(serials), len(shipped), activated, _claims(serials, now))


def _units(now: datetime) -> list[str]:
    settings = get_settings()
    made_on = business_day(now - timedelta(days=400))
    serials: list[str] = []
    for code, count in HISTORY_UNITS.items():
        model = catalog_wiring.model_repository().get(code)  # the demo's models come first
        result = registration.generate_units(
            model, count, brand_id=settings.brand_id, prefix="GAR", batch="DEMO-HIST",
            manufactured_on=made_on, by="demo", units=catalog_wiring.unit_repository(),
            sequences=catalog_wiring.brand_repository(), at=now - timedelta(days=400),
        )  # fmt: skip
        serials += result.added
    return serials


def _activate(serials: list[str], ship_days: dict[str, int], now: datetime) -> int:
    units, models = catalog_wiring.unit_repository(), catalog_wiring.model_cache()
    pepper = platform_wiring.secrets().pepper
    done = 0
    for index, serial in enumerate(serials):
        if index % 7 == 6:
            continue  # never activated (the rate against shipped stays below 100 %)
        shipped_ago = ship_days.get(serial)
        lag = (5, 12, 25, 40, 70, 110)[index % 6]
        days_ago = shipped_ago - lag if shipped_ago is not None else 40 + (index * 23) % 320
        if days_ago < NEWEST_DAYS:
            continue  # on the dealer's shelf still
        try:
            activation.activate_serial(
                serial, f"+849019{index:05d}", channel=CHANNELS[index % len(CHANNELS)],
                evidence="demo", language="vi", now=now - timedelta(days=days_ago, hours=index % 9),
                pepper=pepper, units=units, models=models, name=NAMES[index % len(NAMES)],
                province=PROVINCES[index % len(PROVINCES)],
            )  # fmt: skip
        except GarantiError:
            continue
        done += 1
    return done


def _claims(serials: list[str], now: datetime) -> int:
    from chalicelib.claims import service as claims
    from chalicelib.claims import wiring as claim_wiring
    from chalicelib.claims.model import Caller, Channel, ClaimDraft, ClaimType, Customer, NewCost
    from chalicelib.claims.states import ClaimState

    store, units = claim_wiring.claim_repository(), catalog_wiring.unit_repository()
    rules, desk = claim_wiring.rules(), Caller("cs", frozenset({"cs"}))
    tech = Caller("technician", frozenset({"technician"}), "tech#technician")
    filed = 0
    for index, days_ago, moves, lines in HISTORY_CLAIMS:
        unit = units.find(serials[index])
        if unit is None or unit.activation is None:
            continue
        at = now - timedelta(days=days_ago)
        if unit.activation.activated_at >= at:
            continue
        owner = unit.activation.owner
        claim = claims.create(
            ClaimDraft(ClaimType.REPAIR, unit.serial,
                       Customer(owner.name, owner.phone, province=owner.province), "Hỏng"),
            desk, channel=Channel.PORTAL if index % 2 else Channel.CONSOLE, at=at, store=store,
            units=units, models=catalog_wiring.model_cache(), rules=rules,
        )  # fmt: skip
        step = at

        def later(hours: float) -> datetime:
            nonlocal step
            step += timedelta(hours=hours)
            return step

        claim = claims.move(claim.claim_id, claims.Move(ClaimState.TRIAGED, claim.version),
                            desk, at=later(2), store=store, rules=rules)  # fmt: skip
        claim = claims.route(claim.claim_id, "tech#technician", claim.version, desk, at=later(3),
                             store=store, names={"tech#technician": "technician"}.get,
                             rules=rules)  # fmt: skip
        for state in ("accepted", "received", "diagnosing"):
            claim = claims.move(claim.claim_id, claims.Move(ClaimState(state), claim.version),
                                tech, at=later(8), store=store, rules=rules)  # fmt: skip
        for kind, part, amount, payer in lines:
            claim = claims.add_cost(
                claim.claim_id,
                NewCost(claim.version, kind, part or kind, amount, payer, part_code=part),
                tech, at=later(1), store=store, rules=rules,
            )  # fmt: skip
        for state in moves:
            claim = claims.move(claim.claim_id, claims.Move(ClaimState(state), claim.version),
                                tech, at=later(20), store=store, rules=rules)  # fmt: skip
        for state in ("ready_for_return", "returned"):
            claim = claims.move(claim.claim_id, claims.Move(ClaimState(state), claim.version),
                                tech, at=later(12), store=store, rules=rules)  # fmt: skip
        claim = claims.move(claim.claim_id, claims.Move(ClaimState.CLOSED, claim.version), desk,
                            at=later(48), store=store, rules=rules)  # fmt: skip
        filed += 1
    return filed
