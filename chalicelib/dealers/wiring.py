"""The dealers capability's adapters, built on first use: shipments and their scans, and the
dealers a shipment may go to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dealers.shipment_repository import DealerDirectory, ShipmentRepository


@once_per_container
def shipment_repository() -> ShipmentRepository:
    from chalicelib.dealers.shipment_repository import ShipmentRepository

    return ShipmentRepository()


@once_per_container
def dealer_directory() -> DealerDirectory:
    from chalicelib.dealers.shipment_repository import DealerDirectory

    return DealerDirectory()
