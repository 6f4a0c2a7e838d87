"""The dealers capability's adapters, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dealers.funnel_repository import DealerDirectory, FunnelRepository


@once_per_container
def funnel_counters() -> FunnelRepository:
    from chalicelib.dealers.funnel_repository import FunnelRepository

    return FunnelRepository(get_settings().brand_id)


@once_per_container
def dealer_directory() -> DealerDirectory:
    from chalicelib.dealers.funnel_repository import DealerDirectory

    return DealerDirectory()
