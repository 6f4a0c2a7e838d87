"""Activation's adapters: the one-time-code challenges of look-up by phone, and the proof of an
owner's phone at activation when the brand asks for one."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.activation.otp_repository import OtpRepository
    from chalicelib.activation.service import PhoneProof
    from chalicelib.core.personal_data import PersonalData


@once_per_container
def otp_repository() -> OtpRepository:
    from chalicelib.activation.otp_repository import OtpRepository

    return OtpRepository()


def phone_proof(now: datetime, pepper: bytes) -> PhoneProof | None:
    """The one-time code that proves the owner's phone, when the brand asks for it (one read of
    the brand per activation: a staff change applies to the next activation)."""
    from chalicelib.activation import lookup

    if not catalog_wiring.brand_repository().get(get_settings().brand_id).confirm_phone:
        return None
    return functools.partial(lookup.confirm_phone, now=now, pepper=pepper, store=otp_repository())


def personal_data() -> list[PersonalData]:
    """A person's live one-time codes (``core.personal_data``)."""
    from chalicelib.activation.personal_data_repository import OtpData
    from chalicelib.platform import wiring as platform_wiring

    return [OtpData(platform_wiring.secrets().pepper)]
