"""The claims capability's adapters, built on first use: the requests' store, the stage's
rules (SLA hours, the reopen window), who a request may be routed to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chalicelib.claims.sla import ClaimRules
from chalicelib.core.errors import NotFound
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.claims.forms_repository import ClaimFormRepository
    from chalicelib.claims.help_repository import ModelHelpRepository
    from chalicelib.claims.repository import ClaimRepository
    from chalicelib.platform.auth import Principal

_CENTER_ID = re.compile(r"[\w.\-]{1,64}")


@once_per_container
def claim_repository() -> ClaimRepository:
    from chalicelib.claims.repository import ClaimRepository

    return ClaimRepository()


@once_per_container
def form_repository() -> ClaimFormRepository:
    from chalicelib.claims.forms_repository import ClaimFormRepository

    return ClaimFormRepository(get_settings().brand_id)


@once_per_container
def help_repository() -> ModelHelpRepository:
    from chalicelib.claims.help_repository import ModelHelpRepository

    return ModelHelpRepository()


@once_per_container
def rules() -> ClaimRules:
    return ClaimRules()


def assignee_name(assignee_key: str) -> str | None:
    """The name shown for ``tech#<username>`` (an enabled staff user with the technician
    role) or ``company#<id>``; ``None`` when there is no such assignee."""
    kind, _, name = assignee_key.partition("#")
    if kind == "tech":
        return _technician(name)
    if kind == "company" and _CENTER_ID.fullmatch(name):
        return name  # the service companies' registry names it once it lands (issue 15, svc)
    return None


def _technician(username: str) -> str | None:
    from chalicelib.staff import wiring as staff_wiring

    try:
        user = staff_wiring.accounts().user(username)
    except NotFound:
        return None
    return username if user.enabled and "technician" in user.roles else None


def company_key_of(principal: Principal) -> str | None:
    """A service company user's own ``company#<id>``: the companies' registry maps its users
    (issue 15, svc); until it does, such a user is assigned nothing and sees nothing."""
    return None
