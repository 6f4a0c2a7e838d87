"""The audit trail's store, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.audit.repository import AuditTrail
    from chalicelib.core.personal_data import PersonalData


@once_per_container
def audit_trail() -> AuditTrail:
    from chalicelib.audit.repository import AuditTrail

    return AuditTrail(get_settings().brand_id)


def personal_data() -> list[PersonalData]:
    """The trail's entries about a person (``core.personal_data``)."""
    from chalicelib.audit.personal_data_repository import AuditCustomerData

    return [AuditCustomerData()]
