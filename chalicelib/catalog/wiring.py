"""The catalog's adapters: brands, product models (with the per-container read cache) and units.
Other capabilities reach units and models through these, as ports of their services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.catalog.brand_repository import BrandRepository
from chalicelib.catalog.customer_repository import CustomerRepository
from chalicelib.catalog.model_repository import ProductModelRepository
from chalicelib.catalog.service import ModelCache
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.catalog.dealer_unit_repository import DealerUnitReader
    from chalicelib.catalog.export_repository import UnitExportRepository
    from chalicelib.catalog.import_job_repository import UnitImportRepository
    from chalicelib.catalog.import_runner import ImportContext
    from chalicelib.catalog.unit_awaiting import AwaitingUnitsReader


@once_per_container
def unit_repository() -> UnitRepository:
    return UnitRepository(get_settings().brand_id)


@once_per_container
def customer_repository() -> CustomerRepository:
    return CustomerRepository(get_settings().brand_id)


@once_per_container
def model_repository() -> ProductModelRepository:
    return ProductModelRepository(get_settings().brand_id)


@once_per_container
def model_cache() -> ModelCache:
    return ModelCache(model_repository())


@once_per_container
def brand_repository() -> BrandRepository:
    return BrandRepository()


@once_per_container
def unit_exports() -> UnitExportRepository:
    from chalicelib.catalog.export_repository import UnitExportRepository

    return UnitExportRepository()


def unit_imports() -> UnitImportRepository:
    from chalicelib.catalog.import_job_repository import UnitImportRepository

    return UnitImportRepository()


def import_context(remaining_seconds: Callable[[], float] | None = None) -> ImportContext:
    """What an import's run needs (the spreadsheet reader and writer load with it)."""
    from datetime import UTC, datetime

    from chalicelib.catalog.import_report import write_report
    from chalicelib.catalog.import_runner import ImportContext
    from chalicelib.catalog.warranty import business_day
    from chalicelib.platform import wiring as platform_wiring

    return ImportContext(
        jobs=unit_imports(),
        units=unit_repository(),
        models=model_cache(),
        storage=platform_wiring.storage(),
        write_report=write_report,
        clock=lambda: datetime.now(UTC),
        today=lambda: business_day(datetime.now(UTC)),
        remaining_seconds=remaining_seconds,
    )


@once_per_container
def awaiting_units() -> AwaitingUnitsReader:
    """Units shipped to a dealer and still awaiting activation (``awaiting_index``)."""
    from chalicelib.catalog.unit_awaiting import AwaitingUnitsReader

    return AwaitingUnitsReader()


@once_per_container
def dealer_units() -> DealerUnitReader:
    """A dealer's units and activations (``dealer_serial_index``), for the dealers' routes."""
    from chalicelib.catalog.dealer_unit_repository import DealerUnitReader

    return DealerUnitReader()
