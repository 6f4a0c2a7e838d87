"""The shared adapters: the stage's secrets, rate limits and the uploads bucket. Built on first
use; imported only by handlers and other capabilities' wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container
from chalicelib.platform.secrets import Secrets, load_secrets

if TYPE_CHECKING:
    from chalicelib.platform.rate_limits import RateLimits
    from chalicelib.platform.storage import S3Storage


def secrets() -> Secrets:
    """The stage's keys (SSM, cached by Powertools for a few minutes)."""
    return load_secrets(get_settings().secrets_parameter)


@once_per_container
def rate_limits() -> RateLimits:
    from chalicelib.platform.rate_limits import RateLimits

    return RateLimits()


@once_per_container
def storage() -> S3Storage:
    from chalicelib.platform.storage import S3Storage

    return S3Storage(get_settings().uploads_bucket)
