"""The catalog's adapters: brands, product models (with the per-container read cache) and units.
Other capabilities reach units and models through these, as ports of their services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.catalog.brand_repository import BrandRepository
from chalicelib.catalog.customer_repository import CustomerRepository
from chalicelib.catalog.model_repository import ProductModelRepository
from chalicelib.catalog.service import ModelCache
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.catalog.export_repository import UnitExportRepository


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
