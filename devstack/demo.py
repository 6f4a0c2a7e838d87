"""Demo data for a fresh embedded stack: one brand, three product models, 200 units, three
installer partners (approved, pending, suspended), and (for the stack, not the benches) 47 units
activated over the last 30 days by web, SMS and Zalo, so the console's dashboard has something
to show.

Written through the same services the API uses, so demo data obeys every rule real data does:
the activations reach the units stream like any other, which queues their confirmations and
keeps the dashboard's roll-ups.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.activation import service as activation
from chalicelib.catalog import registration
from chalicelib.catalog import service as catalog
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Brand, Installer, ProductModel, Unit
from chalicelib.catalog.warranty import ComponentTerm, StartBasis, WarrantyTerms, business_day
from chalicelib.core.errors import GarantiError
from chalicelib.core.settings import get_settings
from chalicelib.dealers.model import DealerDetails
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.platform import wiring as platform_wiring
from chalicelib.service_centers.model import CenterDetails, CenterKind

DEMO_MODELS = (
    (
        ProductModel(
            code="AC-INV-12",
            category="Máy lạnh",
            category_en="Air conditioner",
            name="Máy lạnh Inverter 1.5 HP AC-INV-12",
            description="Máy lạnh treo tường inverter, gas R32, tiết kiệm điện 5 sao.",
            image_url="/assets/models/ac-inv-12.svg",
            specs={"Công suất": "1.5 HP (12.000 BTU)", "Gas": "R32", "Điện áp": "220 V"},
            name_en="Inverter air conditioner 1.5 HP AC-INV-12",
            description_en="Wall-mounted inverter air conditioner, R32 gas, 5-star energy saving.",
            spec_labels_en={"Công suất": "Capacity", "Điện áp": "Voltage"},
            # the compressor's 7 years, for a unit activated within 24 months (docs/claims.md)
            terms=WarrantyTerms(months=24, start_basis=StartBasis.ACTIVATION,
                                max_months_from_manufacture=36,
                                components=(ComponentTerm("compressor", "Máy nén", 84,
                                                          "Compressor",
                                                          activated_within_months=24),)),
        ),
        90,
        date(2026, 6, 15),
    ),
    (
        ProductModel(
            code="LOCK-S7",
            category="Khoá cửa",
            category_en="Door lock",
            name="Khoá cửa vân tay LOCK-S7",
            description="Khoá vân tay, mã số, thẻ từ và ứng dụng; pin AA, cổng USB-C dự phòng.",
            image_url="/assets/models/lock-s7.svg",
            specs={
                "Mở khoá": "Vân tay, mã số, thẻ, ứng dụng",
                "Pin": "8 × AA",
                "Chất liệu": "Hợp kim kẽm",
            },
            name_en="Fingerprint door lock LOCK-S7",
            description_en="Fingerprint, PIN, card and app; AA batteries, USB-C backup port.",
            spec_labels_en={"Mở khoá": "Unlock by", "Pin": "Batteries", "Chất liệu": "Material"},
            spec_values_en={"Mở khoá": "Fingerprint, PIN, card, app", "Chất liệu": "Zinc alloy"},
            terms=WarrantyTerms(months=12, start_basis=StartBasis.ACTIVATION,
                                activation_deadline_days=365),
        ),
        60,
        date(2026, 7, 1),
    ),
    (
        ProductModel(
            code="MW-25G",
            category="Đồ gia dụng nhà bếp",
            category_en="Kitchen appliance",
            name="Lò vi sóng có nướng MW-25G",
            description="Lò vi sóng 25 lít, nướng thạch anh, 10 mức công suất.",
            image_url="/assets/models/mw-25g.svg",
            specs={"Dung tích": "25 L", "Công suất": "900 W", "Nướng": "1000 W"},
            name_en="Microwave oven with grill MW-25G",
            description_en="25-litre microwave oven, quartz grill, 10 power levels.",
            spec_labels_en={"Dung tích": "Capacity", "Công suất": "Power", "Nướng": "Grill"},
            terms=WarrantyTerms(months=12, start_basis=StartBasis.MANUFACTURE),
        ),
        50,
        date(2026, 5, 20),
    ),
)  # fmt: skip


# An old microwave (its warranty runs 12 months from manufacture) bought early in 2025: the demo's
# unit out of warranty, for the refusal with its reason and the paid repair's quote.
DEMO_PAST_UNIT = ("MW-25G", date(2024, 11, 12), datetime(2025, 1, 6, 3, 20, tzinfo=UTC))
DEMO_PAST_OWNER = ("Đỗ Thị Hạnh", "+84909000099")


def registered_at(made_on: date) -> datetime:
    """When the demo registers a unit made on ``made_on``: 8 o'clock in Vietnam that day."""
    return datetime(made_on.year, made_on.month, made_on.day, 1, tzinfo=UTC)


# activated per model (the last units of its range: the first ones stay free for the benches and
# the sample links), and the channels they come by, in turn
DEMO_ACTIVATIONS = {"AC-INV-12": 24, "LOCK-S7": 14, "MW-25G": 9}
DEMO_CHANNELS = ("web", "web", "zalo", "web", "sms")
DEMO_NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Em")
DEMO_PROVINCES = ("Hà Nội", "Thành phố Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Hải Phòng", "Bắc Ninh")


# Installer partners: made-up people (numbers in a range no one is given out of a demo), one in
# each status the console's list shows first.
DEMO_PARTNERS = (
    (
        PartnerDetails(
            phone="+84909000101",
            name="Trần Văn Hùng",
            citizen_id="001090001234",
            province="Hà Nội",
            bank_bin="970436",
            account_number="0011000123456",
            account_holder="TRAN VAN HUNG",
            tax_code="8001234567",
        ),
        PartnerStatus.APPROVED,
    ),
    (
        PartnerDetails(
            phone="+84909000102",
            name="Lê Thị Mai",
            citizen_id="079185004321",
            province="Thành phố Hồ Chí Minh",
            bank_bin="970422",
            account_number="0909000102",
            account_holder="LE THI MAI",
        ),
        PartnerStatus.PENDING,
    ),
    (
        PartnerDetails(
            phone="+84909000103",
            name="Phạm Quốc Bảo",
            citizen_id="048092007788",
            province="Đà Nẵng",
            bank_bin="970407",
            account_number="19036789012345",
            account_holder="PHAM QUOC BAO",
        ),
        PartnerStatus.SUSPENDED,
    ),
)


@dataclass(frozen=True)
class DemoSummary:
    brand: str
    models: list[str]
    units: int
    sample_tokens: list[str]  # QR tokens of a unit of each model, to try the public API
    activations: int = 0
    partners: int = 0
    dealers: int = 0
    shipments: int = 0  # confirmed to the demo dealers (with the activations: demo_funnel)
    claims: int = 0  # service requests on activated demo units (issue 15)
    past_unit: str | None = None  # activated long ago: out of warranty (issue 15)


def seed_demo(*, activations: bool = False, history: bool = False) -> DemoSummary:
    """Create the demo brand, models and units (and, with ``activations``, activate some of them
    over the last 30 days; with ``history`` too, a year of shipments, activations and service
    requests for the reports: ``devstack.demo_history``); returns what was made."""
    settings = get_settings()
    brands, models, units = (
        catalog_wiring.brand_repository(),
        catalog_wiring.model_repository(),
        catalog_wiring.unit_repository(),
    )
    brands.save(Brand(settings.brand_id, "Garanti Demo", "GAR"))
    keyring = platform_wiring.secrets().qr_keyring
    samples = []
    total = 0
    to_activate: list[str] = []
    spare: list[str] = []  # never activated: shipped to the demo dealers (demo_funnel)
    loose: list[str] = []  # packed into the demo's cartons (demo_funnel)
    for model, count, made_on in DEMO_MODELS:
        catalog.create_model(model, store=models, cache=catalog_wiring.model_cache())
        result = registration.generate_units(
            model,
            count,
            brand_id=settings.brand_id,
            prefix="GAR",
            batch=f"DEMO-{made_on:%Y%m}",
            manufactured_on=made_on,
            by="demo",
            units=units,
            sequences=brands,
            at=registered_at(made_on),
        )
        total += len(result.added)
        samples.append(keyring.issue(result.added[0]))
        sold = DEMO_ACTIVATIONS[model.code]
        to_activate += result.added[-sold:]
        spare += result.added[-sold - 4 : -sold]
        loose += result.added[-sold - 6 : -sold - 4]
    # partners and reward rules before the activations: the units stream decides each reward
    # once, from what exists when it runs
    partners = seed_demo_partners()
    seed_demo_maintenance_plans()  # before the activations: the units stream makes the lines
    seed_demo_reward_rules()
    seed_demo_withholding()
    dealers = seed_demo_dealers()
    seed_demo_service_centers()
    shipments = 0
    if activations:  # the dealers' shipments before the activations (issue 14, demo_funnel)
        from devstack.demo_funnel import seed_demo_funnel

        shipments = seed_demo_funnel(to_activate, spare, loose).shipments
    activated = seed_demo_activations(to_activate) if activations else 0
    claims = seed_demo_claims(to_activate) if activations else 0
    seed_demo_stock()
    if activations:
        seed_demo_maintenance_tickets(to_activate)
    past = seed_demo_past_unit(settings.brand_id) if activations else None
    if activations and history:
        from devstack.demo_history import seed_demo_history

        seed_demo_history()
    return DemoSummary(
        settings.brand_id,
        [m.code for m, _, _ in DEMO_MODELS],
        total + (past is not None),
        samples,
        activated,
        partners,
        dealers,
        shipments,
        claims,
        past,
    )


def seed_demo_past_unit(brand_id: str) -> str | None:
    """:data:`DEMO_PAST_UNIT`: registered on its day of manufacture and activated on the web
    long ago (its warranty has ended); returns its serial (``None`` when it exists already)."""
    code, made_on, sold_at = DEMO_PAST_UNIT
    units, models = catalog_wiring.unit_repository(), catalog_wiring.model_cache()
    batch = f"DEMO-{made_on:%Y%m}"
    if units.count_in_batch(batch):
        return None
    model = models.get(code)
    result = registration.generate_units(
        model, 1, brand_id=brand_id, prefix="GAR", batch=batch, manufactured_on=made_on,
        by="demo", units=units, sequences=catalog_wiring.brand_repository(),
        at=registered_at(made_on),
    )  # fmt: skip
    [serial] = result.added
    name, phone = DEMO_PAST_OWNER
    activation.activate_serial(
        serial, phone, channel="web", evidence="demo", language="vi", now=sold_at,
        pepper=platform_wiring.secrets().pepper, units=units, models=models, name=name,
    )  # fmt: skip
    return serial


# Dealers: a distributor in the north and two dealers it supplies; the demo dealer user
# (devstack.demo_users.DEMO_DEALER_USERS) acts for HN-01.
DEMO_DISTRIBUTOR = DealerDetails(
    code="NPP-MB",
    name="Nhà phân phối Miền Bắc",
    province="Hà Nội",
    address="Lô 5, KCN Quang Minh, Mê Linh",
    tax_code="0109000101",
    contact_phone="+84909000201",
)
DEMO_DEALERS = (
    DealerDetails(
        code="HN-01",
        name="Điện máy Minh Phát",
        province="Hà Nội",
        address="12 Phố Huế, Hai Bà Trưng",
        tax_code="0109000102",
        contact_phone="+84909000202",
    ),
    DealerDetails(
        code="HCM-01",
        name="Siêu thị Điện máy Sài Gòn",
        province="Thành phố Hồ Chí Minh",
        address="88 Nguyễn Trãi, Quận 5",
        contact_phone="+84909000203",
    ),
)
DEMO_DEALER_USER = ("dealer1", "HN-01")


def seed_demo_dealers(now: datetime | None = None) -> int:
    """The demo's distributor and its two dealers, created by ``demo`` through the dealers'
    service, and the demo dealer user's mapping (its pool account is provisioned with the
    staff's); a code taken already is left as it is. Returns how many dealers were created."""
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.dealers import service as dealers
    from chalicelib.dealers import wiring as dealer_wiring
    from chalicelib.dealers.users import DealerUser

    now = now or datetime.now(UTC)
    store, trail = dealer_wiring.dealer_repository(), audit_wiring.audit_trail()
    created: dict[str, str] = {}
    # registered before the demo's oldest shipment (demo_funnel: 110 days ago)
    change = dealers.Change("demo", now - timedelta(days=150), "demo-dealers")
    for details in (DEMO_DISTRIBUTOR, *DEMO_DEALERS):
        if details is not DEMO_DISTRIBUTOR and "NPP-MB" in created:
            details = replace(details, parent_id=created["NPP-MB"])
        try:
            dealer = dealers.create(details, "", change, dealers=store, trail=trail)
        except GarantiError:  # dealer_code_taken: seeded before
            continue
        created[dealer.code] = dealer.dealer_id
    username, code = DEMO_DEALER_USER
    if code in created:
        dealer_wiring.dealer_users().add(
            DealerUser(username, created[code], change.at, change.actor)
        )
    return len(created)


# Service centres: the brand's own centre in Hà Nội and a partner service company serving the
# north; the demo company user (devstack.demo_users.DEMO_SERVICE_USERS) acts for the company.
DEMO_SERVICE_CENTERS = (
    CenterDetails(
        code="TT-HN",
        name="Trung tâm bảo hành Garanti Hà Nội",
        kind=CenterKind.INTERNAL,
        provinces=("Hà Nội", "Hưng Yên"),
        address="18 Tam Trinh, Hoàng Mai, Hà Nội",
        phone="1900 6868",
        hours="Thứ 2–Thứ 7, 8:00–17:30",
    ),
    CenterDetails(
        code="MP-DV",
        name="Điện lạnh Minh Phát",
        kind=CenterKind.PARTNER,
        provinces=("Hà Nội", "Bắc Ninh", "Hải Phòng", "Quảng Ninh"),
        address="45 Nguyễn Văn Cừ, Long Biên, Hà Nội",
        phone="024 3999 8888",
        hours="Thứ 2–Chủ nhật, 7:30–20:00",
        tax_code="0109000301",
    ),
)
DEMO_SERVICE_USER = ("service1", "MP-DV")


def seed_demo_service_centers(now: datetime | None = None) -> int:
    """The demo's service centres, created by ``demo`` through the centres' service, and the
    demo company user's mapping (its pool account is provisioned with the staff's); a code taken
    already is left as it is. Returns how many centres were created."""
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.platform.members import Member
    from chalicelib.service_centers import service as centers
    from chalicelib.service_centers import wiring as center_wiring

    now = now or datetime.now(UTC)
    store, trail = center_wiring.center_repository(), audit_wiring.audit_trail()
    change = centers.Change("demo", now - timedelta(days=120), "demo-service-centers")
    created: dict[str, str] = {}
    for details in DEMO_SERVICE_CENTERS:
        try:
            center = centers.create(details, "", change, centers=store, trail=trail)
        except GarantiError:  # center_code_taken: seeded before
            continue
        created[center.code] = center.center_id
    username, code = DEMO_SERVICE_USER
    if code in created:
        center_wiring.center_users().add(Member(username, created[code], change.at, change.actor))
    return len(created)


# Service requests (issue 15): (hours ago filed, type, what the customer says, the moves made
# after: a state, or ``route:tech`` / ``route:company`` for the desk's routing).
DEMO_CLAIMS = (
    (1, "repair", "Máy không lạnh, dàn nóng kêu to", ()),
    (30, "warranty", "Remote không điều khiển được", ("triaged",)),
    (52, "repair", "Nồi báo lỗi E4 khi nấu", ("triaged", "quoted")),
    (75, "repair", "Máy chảy nước ở dàn lạnh", ("triaged", "route:company", "accepted")),
    (96, "installation", "Lắp thêm ống đồng 3 m", ("triaged", "route:tech", "accepted")),
    (150, "repair", "Khóa không nhận vân tay", ("triaged", "route:company", "accepted",
                                               "received", "diagnosing", "repairing")),
    (200, "warranty", "Quạt dàn lạnh không quay", ("triaged", "route:tech", "accepted",
                                                  "received", "diagnosing", "repaired",
                                                  "ready_for_return", "returned")),
    (220, "complaint", "Khách đổi ý, không cần sửa nữa", ("cancelled",)),
)  # fmt: skip

# What the staff write on each move (the history's notes).
DEMO_NOTES = {
    "triaged": "Đã xem ảnh khách gửi",
    "quoted": "Báo giá thay bo mạch điều khiển",
    "accepted": "Đã nhận việc, hẹn khách",
    "received": "Đã nhận máy",
    "diagnosing": "Đang kiểm tra",
    "repairing": "Thay cảm biến",
    "repaired": "Đã thay mô-tơ quạt dàn lạnh",
    "ready_for_return": "Đã gọi khách hẹn trả máy",
    "returned": "Khách đã nhận máy",
    "cancelled": "Khách gọi lại: không cần nữa",
}


def _claim_units(owned: list[Unit], now: datetime) -> list[Unit]:
    """A unit for each of :data:`DEMO_CLAIMS`, activated before the request was filed; the one
    repaired and returned goes to a unit that an installer activated and a dealer sold, so its
    warranty history shows everything (issue 15)."""
    free, chosen = list(owned), []
    for hours, _, _, moves in DEMO_CLAIMS:
        filed = now - timedelta(hours=hours + 1)
        fits = [u for u in free if u.activation and u.activation.activated_at < filed]
        if "returned" in moves:
            fits.sort(key=lambda u: not (u.dealer_id and u.activation and u.activation.installer))
        if not fits:
            break
        chosen.append(fits[0])
        free.remove(fits[0])
    return chosen


def seed_demo_claims(serials: list[str], now: datetime | None = None) -> int:
    """A few service requests on activated demo units, filed by customer service and moved
    through the claims service (a clock hours back, so the board ages and some are late): new,
    triaged, quoted, routed to the technician ``technician`` and to the demo company MP-DV (its
    user ``service1`` sees those), in repair, returned, cancelled. None when a chosen unit has
    requests already. Returns how many were filed."""
    from chalicelib.claims import service as claims
    from chalicelib.claims import wiring as claim_wiring
    from chalicelib.claims.model import Caller, Channel, ClaimDraft, ClaimType, Customer
    from chalicelib.claims.states import ClaimState
    from chalicelib.service_centers import wiring as center_wiring

    now = now or datetime.now(UTC)
    store, units = claim_wiring.claim_repository(), catalog_wiring.unit_repository()
    owned = [u for u in map(units.find, serials) if u is not None and u.activation is not None]
    chosen = _claim_units(owned, now)
    if not chosen or any(store.of_serial(u.serial) for u in chosen):
        return 0
    company = next(c for c in center_wiring.center_repository().all() if c.code == "MP-DV")
    names = {"tech#technician": "technician", f"company#{company.center_id}": company.name}
    desk = Caller("cs", frozenset({"cs"}))
    workers = {
        "tech": Caller("technician", frozenset({"technician"}), "tech#technician"),
        "company": Caller("service1", frozenset({"service"}), f"company#{company.center_id}"),
    }
    rules = claim_wiring.rules()
    for unit, (hours, kind, text, moves) in zip(chosen, DEMO_CLAIMS, strict=False):
        at = now - timedelta(hours=hours)
        assert unit.activation is not None  # kept above
        owner = unit.activation.owner
        claim = claims.create(
            ClaimDraft(ClaimType(kind), unit.serial,
                       Customer(owner.name, owner.phone, province=owner.province), text),
            desk, channel=Channel.CONSOLE, at=at, store=store, units=units,
            models=catalog_wiring.model_cache(), rules=rules,
        )  # fmt: skip
        actor = desk
        for step, move in enumerate(moves, start=1):
            at_step = at + timedelta(hours=step * hours / (len(moves) + 1))
            if move.startswith("route:"):
                actor = workers[move.removeprefix("route:")]
                assert actor.assignee_key is not None
                claim = claims.route(
                    claim.claim_id, actor.assignee_key, claim.version, desk, at=at_step,
                    store=store, names=names.get, rules=rules,
                )  # fmt: skip
                continue
            claim = claims.move(
                claim.claim_id,
                claims.Move(
                    to=ClaimState(move), version=claim.version, note=DEMO_NOTES[move],
                    quote_vnd=450_000 if move == "quoted" else None,
                    expected_return=business_day(now) + timedelta(days=3)
                    if move == "accepted" else None,
                ),
                desk if move in ("triaged", "quoted", "cancelled") else actor,
                at=at_step, store=store, rules=rules,
            )  # fmt: skip
    return len(chosen)


def seed_demo_partners(now: datetime | None = None) -> int:
    """The demo's installer partners, created by ``demo`` through the partners' service (a
    suspended one approved first, then suspended with a note); a phone already taken is left as
    it is. Returns how many were created."""
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.partners import service as partners
    from chalicelib.partners import wiring as partner_wiring

    now = now or datetime.now(UTC)
    store, sessions = partner_wiring.partner_repository(), partner_wiring.session_repository()
    trail, pepper = audit_wiring.audit_trail(), platform_wiring.secrets().pepper
    created = 0
    for index, (details, status) in enumerate(DEMO_PARTNERS):
        at = now - timedelta(days=20 - 5 * index)
        start = PartnerStatus.PENDING if status is PartnerStatus.PENDING else PartnerStatus.APPROVED
        change = partners.Change("demo", at, f"demo-partner-{index}")
        try:
            partner = partners.create(
                details, start, "", change, pepper=pepper, partners=store, trail=trail
            )
        except GarantiError:  # partner_exists: seeded before
            continue
        if status is PartnerStatus.SUSPENDED:
            later = partners.Change("demo", at + timedelta(days=3), f"demo-suspend-{index}")
            partners.set_status(
                partner.partner_id,
                PartnerStatus.SUSPENDED,
                "Nhiều kích hoạt bất thường trong một giờ, đang xác minh",
                later,
                partners=store,
                sessions=sessions,
                trail=trail,
            )
        created += 1
    return created


def seed_demo_activations(serials: list[str], now: datetime | None = None) -> int:
    """Activate ``serials`` as customers would have over the last 30 days (more of them lately),
    each with its own phone, through the activation service; returns how many were."""
    now = now or datetime.now(UTC)
    units, models = catalog_wiring.unit_repository(), catalog_wiring.model_cache()
    pepper = platform_wiring.secrets().pepper
    installer = _demo_installer(pepper)
    done = 0
    for index, serial in enumerate(serials):
        # within the last 29 days (a third in the last week), at some time of the day before
        days_ago = (index * 17) % 29 if index % 3 else index % 7
        at = now - timedelta(days=days_ago, minutes=(37 * index) % 600)
        # every third one since the approved partner joined (20 days ago) was theirs: a month of
        # rewards for the reconciliation screens
        by_partner = installer is not None and index % 3 == 1 and days_ago < 19
        try:
            activation.activate_serial(
                serial,
                f"+8490{index:07d}",
                channel="partner" if by_partner else DEMO_CHANNELS[index % len(DEMO_CHANNELS)],
                evidence="demo",
                language="vi",
                now=at,
                pepper=pepper,
                units=units,
                models=models,
                name=DEMO_NAMES[index % len(DEMO_NAMES)],
                province=DEMO_PROVINCES[index % len(DEMO_PROVINCES)],
                installer=(
                    replace(installer, installed_on=business_day(at))
                    if installer is not None and by_partner
                    else None
                ),
            )
        except GarantiError:  # a term the demo's clock does not meet (a deadline): left as is
            continue
        done += 1
    return done


def seed_demo_maintenance_plans(now: datetime | None = None) -> int:
    """The air conditioner's maintenance plan (issue 16): its dust filter cleaned every month
    (free, reminded 3 days ahead: the demo units activated about a month ago come due) and its
    indoor unit washed every 6 months (paid); none when it exists already. Returns how many
    plans were saved."""
    from chalicelib.maintenance import service as maintenance
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.maintenance.model import PlanComponent
    from chalicelib.maintenance.schedule import Cycle, Rhythm

    plans = maintenance_wiring.plan_repository()
    if plans.find("AC-INV-12") is not None:
        return 0
    components = (
        PlanComponent("LOC-BUI", "Vệ sinh lưới lọc bụi", "Dust filter cleaning", Cycle(months=1),
                      Cycle(months=1), 3, Rhythm.FIXED, 0,
                      ("Tháo và rửa lưới lọc", "Kiểm tra dòng điện", "Đo nhiệt độ gió ra")),
        PlanComponent("VS-DAN-LANH", "Vệ sinh dàn lạnh", "Indoor unit wash", Cycle(months=6),
                      Cycle(months=6), 7, Rhythm.FLOATING, 250_000,
                      ("Phun rửa dàn lạnh", "Vệ sinh máng nước", "Kiểm tra gas")),
    )  # fmt: skip
    maintenance.save_plan(
        "AC-INV-12",
        maintenance.PlanChange(components, 0, "demo", now or datetime.now(UTC)),
        models=catalog_wiring.model_repository(),
        plans=plans,
    )
    return 1


# the demo's spare parts: code, name, English name, unit, cost, price, models, minimum
DEMO_PARTS = (
    ("LUOI-LOC-12", "Lưới lọc bụi máy lạnh 1.5 HP", "Air filter mesh, 1.5 HP", "cái", 35_000,
     80_000, ("AC-INV-12",), 5),
    ("GAS-R32", "Gas lạnh R32", "R32 refrigerant", "kg", 180_000, 350_000, ("AC-INV-12",), 3),
    ("TU-35UF", "Tụ điện 35µF", "35µF capacitor", "cái", 60_000, 150_000, (), 4),
    ("PIN-AA", "Pin AA khóa điện tử (bộ 4)", "AA batteries for the lock (4)", "bộ", 30_000,
     60_000, ("LOCK-S7",), 10),
)  # fmt: skip
# where it is kept, and the receipts and transfers that put it there: part, qty, from, to
DEMO_STOCK_MOVES = (
    ("LUOI-LOC-12", 40, None, "KHO-HCM"),
    ("GAS-R32", 12, None, "KHO-HCM"),
    ("TU-35UF", 3, None, "KHO-HCM"),  # under its minimum: short
    ("PIN-AA", 50, None, "KHO-HCM"),
    ("LUOI-LOC-12", 10, "KHO-HCM", "VAN-TECH"),
    ("GAS-R32", 4, "KHO-HCM", "VAN-TECH"),
)


def seed_demo_stock(now: datetime | None = None) -> int:
    """The demo's spare parts (issue 16): a catalogue of four, the main warehouse KHO-HCM and
    the technician's van VAN-TECH, receipts into the warehouse and transfers to the van (the
    capacitor short of its minimum). None when the catalogue exists already. Returns how many
    parts were created."""
    from chalicelib.maintenance import stock_service
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.maintenance.parts import Location, LocationKind, MovementKind, Part

    now = now or datetime.now(UTC)
    store = maintenance_wiring.stock_repository()
    if store.parts():
        return 0
    for code, name, name_en, unit, cost, price, models, minimum in DEMO_PARTS:
        stock_service.save_part(
            Part(code, name, name_en, unit, cost, price, models, minimum),
            expected_version=0, by="demo", at=now - timedelta(days=40), store=store,
        )  # fmt: skip
    store.add_location(
        Location("KHO-HCM", "Kho tổng TP.HCM", LocationKind.WAREHOUSE), by="demo",
        at=now - timedelta(days=40),
    )  # fmt: skip
    store.add_location(
        Location("VAN-TECH", "Xe kỹ thuật viên (technician)", LocationKind.VAN, "tech#technician"),
        by="demo", at=now - timedelta(days=40),
    )  # fmt: skip
    for index, (code, qty, source, target) in enumerate(DEMO_STOCK_MOVES):
        kind = MovementKind.TRANSFER if source else MovementKind.RECEIPT
        stock_service.move(
            stock_service.MoveRequest(kind, code, qty, source, target, "", None),
            by="demo", at=now - timedelta(days=30 - index), store=store,
        )  # fmt: skip
    return len(DEMO_PARTS)


def _demo_visit(
    unit: Unit, source: Any, slot: Any, today: date, now: datetime, method: str = "cash"
) -> None:
    """One demo visit: booked (by the customer, or by the desk and assigned to
    ``technician``); a visit of a past day is started, recorded (a filter mesh from the van,
    paid in ``method``) and completed by them that day."""
    from chalicelib.maintenance import ticket_service
    from chalicelib.maintenance import tickets as rules
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.maintenance.tickets import Payment, PaymentMethod, Source, Work

    lines, tickets = maintenance_wiring.line_repository(), maintenance_wiring.ticket_repository()
    line = lines.find(unit.serial, "LOC-BUI")
    assert line is not None and unit.activation is not None
    past = slot.day < today
    done_at = datetime.combine(slot.day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=3)
    booked_at = done_at - timedelta(days=2) if past else now
    _, ticket = ticket_service.book_visit(
        line, slot, source=source, customer=ticket_service.customer_of(unit),
        by="customer" if source is Source.BOOKING else "cs",
        today=min(slot.day, today), at=booked_at, tickets=tickets,
    )  # fmt: skip
    if source is Source.BOOKING:
        return
    desk = ticket_service.Caller("cs", frozenset({"cs"}))
    worker = ticket_service.Caller("technician", frozenset({"technician"}), "tech#technician")
    work = Work(
        checked=tuple(True for _ in ticket.checklist), notes="Lưới lọc bám nhiều bụi, đã rửa.",
        labour_vnd=50_000,
        payment=Payment(130_000, PaymentMethod(method), "tech#technician"),
        confirmed_by=unit.activation.owner.name,
    )  # fmt: skip
    moves: list[tuple[Any, Any, datetime]] = [
        (desk, lambda t, role: rules.assign(t, "tech#technician", "technician", role=role,
                                            by="cs", at=booked_at), booked_at),
    ]  # fmt: skip
    if past:
        moves += [
            (worker, lambda t, role: rules.start(t, role=role, by="technician", at=done_at),
             done_at),
            (worker, lambda t, role: rules.record_work(t, work, role=role, by="technician",
                                                       at=done_at), done_at),
            (worker, lambda t, role: rules.complete(t, slot.day, role=role, by="technician",
                                                    at=done_at), done_at),
        ]  # fmt: skip
    for index, (caller, move, at) in enumerate(moves):
        if index == 2:  # on site: a new filter mesh from the van, before the record
            ticket = ticket_service.use_part(
                ticket, worker, part_code="LUOI-LOC-12", qty=1, location_id="VAN-TECH",
                at=done_at, stock=maintenance_wiring.stock_repository(), tickets=tickets,
            )  # fmt: skip
        ticket = ticket_service.change(
            ticket, move, caller, today=today, at=at, tickets=tickets, lines=lines
        )


def seed_demo_maintenance_tickets(serials: list[str], now: datetime | None = None) -> int:
    """Three air conditioners' filter visits on the maintenance board (issue 16), on units
    activated in the last three weeks (not yet reminded: the daily job's own reminders go to
    the older ones): one booked by its customer for the day after tomorrow (new: the desk
    assigns it), one booked by the desk for tomorrow and assigned to ``technician``, one done
    yesterday by ``technician`` (its line waits for the next month); and up to two done late
    last month (its receivables). Each unit's lines are made
    here as the units stream makes them (the stream's own put then adds nothing). None when a
    chosen unit has a ticket already. Returns how many tickets were opened."""
    from chalicelib.maintenance import events as maintenance_events
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.maintenance.lines import Booking, DayPart, first_lines
    from chalicelib.maintenance.tickets import Source

    now = now or datetime.now(UTC)
    today = business_day(now)
    plan = maintenance_wiring.plan_repository().find("AC-INV-12")
    units = catalog_wiring.unit_repository()
    lines, tickets = maintenance_wiring.line_repository(), maintenance_wiring.ticket_repository()
    recent = [
        u for u in map(units.find, serials)
        if u is not None and u.model_code == "AC-INV-12" and u.activation is not None
        and (today - maintenance_events.anchor_of(u)).days <= 20
    ][:3]  # fmt: skip
    if (
        plan is None
        or len(recent) < 3
        or any(next(tickets.of_serial(u.serial), None) for u in recent)
    ):
        return 0
    visits = (
        (Source.BOOKING, today + timedelta(days=2), DayPart.MORNING, "Gọi trước khi đến 30 phút"),
        (Source.MANAGER, today + timedelta(days=1), DayPart.AFTERNOON, ""),
        (Source.MANAGER, today - timedelta(days=1), DayPart.MORNING, ""),
    )
    for unit, (source, day, part, note) in zip(recent, visits, strict=True):
        lines.add_new(first_lines(unit.serial, plan, maintenance_events.anchor_of(unit)), at=now)
        _demo_visit(unit, source, Booking(day, part, note), today, now)
    # two visits done late last month (paid in cash, and by transfer): its receivables for the
    # accountant to reconcile, then close the month; on units not reminded yet
    last_day = today.replace(day=1) - timedelta(days=3)
    taken = {u.serial for u in recent}
    earlier = [
        u for u in map(units.find, serials)
        if u is not None and u.serial not in taken and u.model_code == "AC-INV-12"
        and u.activation is not None and maintenance_events.anchor_of(u) < last_day
        and (today - maintenance_events.anchor_of(u)).days <= 25
    ][:2]  # fmt: skip
    for unit, method in zip(earlier, ("cash", "transfer"), strict=False):
        lines.add_new(first_lines(unit.serial, plan, maintenance_events.anchor_of(unit)), at=now)
        _demo_visit(unit, Source.MANAGER, Booking(last_day, DayPart.MORNING), today, now, method)
    return len(visits) + len(earlier)


# a rule per model, or (the kitchen's) per category: model code or category → integer VND
DEMO_REWARDS = {"AC-INV-12": 150_000, "LOCK-S7": 100_000, "Đồ gia dụng nhà bếp": 50_000}


def seed_demo_reward_rules(now: datetime | None = None) -> int:
    """The demo's reward rules (a model's or a category's), valid from 60 days ago; none when
    the demo's rules exist already. Returns how many were created."""
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.partners import reward_service
    from chalicelib.partners import service as partners
    from chalicelib.partners import wiring as partner_wiring
    from chalicelib.partners.rewards import RuleTerms

    now = now or datetime.now(UTC)
    rules = partner_wiring.reward_rule_repository()
    if rules.all_versions():
        return 0
    start = business_day(now) - timedelta(days=60)
    note = "Chương trình thưởng lắp đặt (demo)"
    for target, amount in DEMO_REWARDS.items():
        by_model = target.isascii()  # model codes are ASCII; the category is Vietnamese
        reward_service.create_rule(
            RuleTerms(
                model_code=target if by_model else "",
                category="" if by_model else target,
                amount=amount,
                valid_from=start,
                valid_to=None,
                priority=0,
                note=note,
            ),
            partners.Change("demo", now - timedelta(days=60), f"demo-rule-{target}"),
            models=catalog_wiring.model_repository(),
            rules=rules,
            trail=audit_wiring.audit_trail(),
        )
    return len(DEMO_REWARDS)


def seed_demo_withholding(now: datetime | None = None) -> int:
    """The accountant's withholding setting, confirmed (10 % of a payment of 2,000,000 VND or
    more, from 1 January of last year), so a batch can be made once the manager locks a month;
    none when a version exists already. Returns how many were confirmed."""
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.partners import payout_service
    from chalicelib.partners import service as partners
    from chalicelib.partners import wiring as partner_wiring
    from chalicelib.partners.payouts import SettingTerms

    now = now or datetime.now(UTC)
    settings = partner_wiring.payout_settings()
    if settings.versions():
        return 0
    payout_service.confirm_setting(
        SettingTerms(1000, 2_000_000, date(now.year - 1, 1, 1), "Thuế TNCN 10% (demo)"),
        partners.Change("accountant", now, "demo-withholding"),
        settings=settings,
        trail=audit_wiring.audit_trail(),
    )
    return 1


def _demo_installer(pepper: bytes) -> Installer | None:
    """The approved demo partner as the installer of its activations (``None`` if absent)."""
    from chalicelib.core.phone import phone_key
    from chalicelib.partners import wiring as partner_wiring

    details = DEMO_PARTNERS[0][0]
    partner = partner_wiring.partner_repository().find_by_phone(phone_key(pepper, details.phone))
    if partner is None:
        return None
    return Installer(
        name=details.name,
        phone=details.phone,
        installed_on=date.today(),
        partner_id=partner.partner_id,
        store="Điện máy Xanh Cầu Giấy",
    )
