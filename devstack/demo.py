"""Demo data for a fresh embedded stack: one brand, three product models, 200 units.

Written through the same services the API uses, so demo data obeys every rule real data does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.catalog import registration
from chalicelib.catalog import service as catalog
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Brand, ProductModel
from chalicelib.catalog.warranty import StartBasis, WarrantyTerms
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring

DEMO_MODELS = (
    (
        ProductModel(
            code="AC-INV-12",
            name="Máy lạnh Inverter 1.5 HP AC-INV-12",
            description="Máy lạnh treo tường inverter, gas R32, tiết kiệm điện 5 sao.",
            image_url="/assets/models/ac-inv-12.svg",
            specs={"Công suất": "1.5 HP (12.000 BTU)", "Gas": "R32", "Điện áp": "220 V"},
            name_en="Inverter air conditioner 1.5 HP AC-INV-12",
            description_en="Wall-mounted inverter air conditioner, R32 gas, 5-star energy saving.",
            spec_labels_en={"Công suất": "Capacity", "Điện áp": "Voltage"},
            terms=WarrantyTerms(months=24, start_basis=StartBasis.ACTIVATION,
                                max_months_from_manufacture=36),
        ),
        90,
        date(2026, 9, 15),
    ),
    (
        ProductModel(
            code="LOCK-S7",
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
        date(2026, 10, 1),
    ),
    (
        ProductModel(
            code="MW-25G",
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
        date(2026, 8, 20),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    brand: str
    models: list[str]
    units: int
    sample_tokens: list[str]  # QR tokens of a unit of each model, to try the public API


def seed_demo() -> DemoSummary:
    """Create the demo brand, models and units; returns what was made."""
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
        )
        total += len(result.added)
        samples.append(keyring.issue(result.added[0]))
    return DemoSummary(settings.brand_id, [m.code for m, _, _ in DEMO_MODELS], total, samples)
