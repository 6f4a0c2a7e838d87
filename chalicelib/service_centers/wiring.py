"""The service centres capability's adapters, built on first use: the registry, its users and
their accounts, the public service points' list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.platform.accounts import PoolAccounts
    from chalicelib.platform.names import KeptValue
    from chalicelib.service_centers.model import ServiceCenter
    from chalicelib.service_centers.repository import ServiceCenterRepository
    from chalicelib.service_centers.user_repository import ServiceCenterUserRepository


@once_per_container
def center_repository() -> ServiceCenterRepository:
    from chalicelib.service_centers.repository import ServiceCenterRepository

    return ServiceCenterRepository()


@once_per_container
def center_users() -> ServiceCenterUserRepository:
    from chalicelib.service_centers.user_repository import ServiceCenterUserRepository

    return ServiceCenterUserRepository()


def accounts() -> PoolAccounts:
    return platform_wiring.pool_accounts()


@once_per_container
def all_centers() -> KeptValue[list[ServiceCenter]]:
    """Every centre, read once a minute per container: the public service points (a portal
    visitor's page costs no read of its own)."""
    from chalicelib.platform.names import KeptValue

    return KeptValue(lambda: list(center_repository().all()))
