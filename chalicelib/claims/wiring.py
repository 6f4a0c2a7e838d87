"""The claims capability's adapters, built on first use: the requests' store, the stage's
rules (SLA hours, the reopen window), who a request may be routed to."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.claims.sla import ClaimRules, parse_sla_hours
from chalicelib.core.errors import NotFound
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.catalog.model import Unit
    from chalicelib.claims.forms_repository import ClaimFormRepository
    from chalicelib.claims.help_repository import ModelHelpRepository
    from chalicelib.claims.model import Caller
    from chalicelib.claims.repository import ClaimRepository
    from chalicelib.core.personal_data import Expiring, PersonalData
    from chalicelib.platform.auth import Principal

_CENTER_ID = re.compile(r"[\w.\-]{1,64}")


@once_per_container
def claim_repository() -> ClaimRepository:
    from chalicelib.claims.repository import ClaimRepository

    return ClaimRepository()


def unit_replacer() -> Callable[[str, str, datetime, str], Unit]:
    """The catalog's replacement (``catalog.replacement.replace_unit``) with its units, models
    and the stage's pepper (the owner's key)."""
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.replacement import replace_unit
    from chalicelib.core.phone import phone_key
    from chalicelib.platform import wiring as platform_wiring

    def replacer(old: str, new: str, at: datetime, by: str) -> Unit:
        pepper = platform_wiring.secrets().pepper
        return replace_unit(
            old,
            new,
            at=at,
            by=by,
            units=catalog_wiring.unit_repository(),
            models=catalog_wiring.model_cache(),
            owner_key=lambda phone: phone_key(pepper, phone),
        )

    return replacer


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
    """The stage's SLA hours (``GARANTI_CLAIM_SLA_HOURS`` over the defaults; a malformed value
    fails the first request that needs it, naming the state) and reopen window."""
    settings = get_settings()
    return ClaimRules(
        sla_hours=parse_sla_hours(settings.claim_sla_hours),
        reopen_days=settings.claim_reopen_days,
    )


def assignee_name(assignee_key: str) -> str | None:
    """The name shown for a request's assignee, ``None`` when it may not be routed there:
    ``tech#<username>`` is an enabled staff user with the technician role (our own centres'
    work, internal); ``company#<center_id>`` an active partner company of the service centres'
    registry (outsourced). An internal centre is no assignee: its technicians are."""
    kind, _, name = assignee_key.partition("#")
    if kind == "tech":
        return _technician(name)
    if kind == "company" and _CENTER_ID.fullmatch(name):
        return _partner_company(name)
    return None


def _technician(username: str) -> str | None:
    from chalicelib.staff import wiring as staff_wiring

    try:
        user = staff_wiring.accounts().user(username)
    except NotFound:
        return None
    return username if user.enabled and "technician" in user.roles else None


def _partner_company(center_id: str) -> str | None:
    """The company's name when it is an active partner centre (one query of the registry)."""
    from chalicelib.service_centers import access
    from chalicelib.service_centers.model import CenterKind

    partners = access.active_centers(kind=CenterKind.PARTNER)
    if not any(center.center_id == center_id for center in partners):
        return None
    return access.center_name(center_id)


def company_key_of(principal: Principal) -> str:
    """A service company user's own ``company#<center_id>`` (its mapping and its centre read on
    every request: 403 ``service_access_revoked`` / ``service_center_inactive`` once removed or
    suspended)."""
    from chalicelib.service_centers import access

    return access.assignee_key_for(principal)


def caller_of(principal: Principal) -> Caller:
    """The caller as the claims' use cases know them (and the maintenance visits, which share
    the assignees): a technician's own key is ``tech#<username>``, a service company user's
    ``company#<center_id>`` (their company's, checked active)."""
    from chalicelib.claims.model import Caller, technician_key
    from chalicelib.platform.auth import Role

    key = None
    if Role.TECHNICIAN in principal.roles:
        key = technician_key(principal.username)
    elif Role.SERVICE in principal.roles:
        key = company_key_of(principal)
    return Caller(principal.username, principal.roles, key)


def personal_data() -> list[PersonalData]:
    """A person's service requests (``core.personal_data``)."""
    from chalicelib.claims.personal_data_repository import ClaimData

    return [ClaimData()]


def expiring() -> list[Expiring]:
    """What outlives its retention period (``core.personal_data.Expiring``)."""
    from chalicelib.claims.personal_data_repository import ClaimRetention

    return [ClaimRetention()]
