"""The claims' adapters, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.claims.forms_repository import ClaimFormRepository
    from chalicelib.claims.help_repository import ModelHelpRepository


@once_per_container
def form_repository() -> ClaimFormRepository:
    from chalicelib.claims.forms_repository import ClaimFormRepository

    return ClaimFormRepository(get_settings().brand_id)


@once_per_container
def help_repository() -> ModelHelpRepository:
    from chalicelib.claims.help_repository import ModelHelpRepository

    return ModelHelpRepository()
