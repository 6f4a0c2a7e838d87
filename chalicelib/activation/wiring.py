"""Activation's adapters: the one-time-code challenges of look-up by phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.activation.otp_repository import OtpRepository


@once_per_container
def otp_repository() -> OtpRepository:
    from chalicelib.activation.otp_repository import OtpRepository

    return OtpRepository()
