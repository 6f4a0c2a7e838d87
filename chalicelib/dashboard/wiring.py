"""The dashboard's store, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dashboard.rollup_repository import RollupRepository


@once_per_container
def rollups() -> RollupRepository:
    from chalicelib.dashboard.rollup_repository import RollupRepository

    return RollupRepository(get_settings().brand_id)
