"""Partners' adapters: the partners and their sessions, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.partners.repository import PartnerRepository
    from chalicelib.partners.session_repository import PartnerSessionRepository


@once_per_container
def partner_repository() -> PartnerRepository:
    from chalicelib.partners.repository import PartnerRepository

    return PartnerRepository()


@once_per_container
def session_repository() -> PartnerSessionRepository:
    from chalicelib.partners.session_repository import PartnerSessionRepository

    return PartnerSessionRepository()
