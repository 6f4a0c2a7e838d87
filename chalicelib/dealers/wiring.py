"""Dealers' adapters, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dealers.repository import DealerRepository


@once_per_container
def dealer_repository() -> DealerRepository:
    from chalicelib.dealers.repository import DealerRepository

    return DealerRepository()
