"""The dealers capability's adapters, built on first use: the dealers, their users and
accounts, their names for the landing page; shipments and their scans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dealers.funnel_repository import FunnelRepository
    from chalicelib.dealers.repository import DealerRepository
    from chalicelib.dealers.shipment_repository import ShipmentRepository
    from chalicelib.dealers.user_repository import DealerUserRepository
    from chalicelib.platform.accounts import PoolAccounts
    from chalicelib.platform.names import KeptNames


@once_per_container
def dealer_repository() -> DealerRepository:
    from chalicelib.dealers.repository import DealerRepository

    return DealerRepository()


@once_per_container
def dealer_users() -> DealerUserRepository:
    from chalicelib.dealers.user_repository import DealerUserRepository

    return DealerUserRepository()


def accounts() -> PoolAccounts:
    return platform_wiring.pool_accounts()


@once_per_container
def dealer_names() -> KeptNames:
    """Dealers' names, each kept a minute: the landing page's "Sold through <dealer>"."""
    from chalicelib.platform.names import KeptNames

    return KeptNames(dealer_repository().name_of)


@once_per_container
def shipment_repository() -> ShipmentRepository:
    from chalicelib.dealers.shipment_repository import ShipmentRepository

    return ShipmentRepository()


@once_per_container
def funnel_counters() -> FunnelRepository:
    from chalicelib.dealers.funnel_repository import FunnelRepository

    return FunnelRepository(get_settings().brand_id)
