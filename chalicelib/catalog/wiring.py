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
    from chalicelib.catalog.carton_repository import CartonRepository
    from chalicelib.catalog.cartons import CartonContents
    from chalicelib.catalog.dealer_unit_repository import DealerUnitReader
    from chalicelib.catalog.import_job_repository import UnitImportRepository
    from chalicelib.catalog.import_runner import ImportContext
    from chalicelib.catalog.transfer_repository import TransferRepository
    from chalicelib.catalog.unit_awaiting import AwaitingUnitsReader
    from chalicelib.catalog.unit_shipping import UnitShipping
    from chalicelib.core.personal_data import PersonalData


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
        cartons=carton_repository(),
    )


# --- Cartons (issue 14) -------------------------------------------------------------------------


@once_per_container
def carton_repository() -> CartonRepository:
    from chalicelib.catalog.carton_repository import CartonRepository

    return CartonRepository(get_settings().brand_id)


def carton_contents(code: str) -> CartonContents:
    """A scanned carton code (normalised: an SSCC as scanned from GS1-128, or the own code) and
    its units with model and status; ``Invalid("carton_code_invalid")``, ``NotFound
    ("carton_not_found")``. Shipments take it as their port for a scan that is no serial."""
    from chalicelib.catalog.cartons import normalize_carton_code

    return carton_repository().contents(normalize_carton_code(code))


@once_per_container
def unit_shipping() -> UnitShipping:
    """Units shipped to dealers, cancelled and returned (issue 14's shipments)."""
    from chalicelib.catalog.unit_shipping import UnitShipping

    return UnitShipping()


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


def personal_data() -> list[PersonalData]:
    """The units a person owns and their customer item (``core.personal_data``), in the order
    an erasure takes them: last, as they are where the person's serials and names are learnt."""
    from chalicelib.catalog.personal_data_repository import CustomerData, UnitOwnerData

    return [UnitOwnerData(), CustomerData()]


@once_per_container
def transfer_repository() -> TransferRepository:
    from chalicelib.catalog.transfer_repository import TransferRepository

    return TransferRepository(get_settings().brand_id)
