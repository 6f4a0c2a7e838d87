"""The shared adapters: the stage's secrets, the units' links, rate limits and the uploads
bucket. Built on first use; imported only by handlers and other capabilities' wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.qr_token import QrKeyring, UnitLinks
from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import Rebuilt, once_per_container
from chalicelib.platform.http import Cursors, cursor_key
from chalicelib.platform.secrets import Secrets, load_secrets

if TYPE_CHECKING:
    from chalicelib.platform.accounts import PoolAccounts
    from chalicelib.platform.export_job_repository import ExportJobRepository
    from chalicelib.platform.rate_limits import RateLimits
    from chalicelib.platform.storage import S3Storage


def secrets() -> Secrets:
    """The stage's keys (SSM, cached by Powertools for a few minutes)."""
    return load_secrets(get_settings().secrets_parameter)


_LINKS: Rebuilt[QrKeyring, UnitLinks] = Rebuilt(
    lambda keyring: UnitLinks(get_settings().portal_url, keyring)
)


def unit_links() -> UnitLinks:
    """Every QR and certificate link, from the portal's address and the stage's QR keyring
    (rebuilt only when the keyring changes)."""
    return _LINKS.get(secrets().qr_keyring)


_CURSORS: Rebuilt[bytes, Cursors] = Rebuilt(lambda pepper: Cursors(cursor_key(pepper)))


def cursors() -> Cursors:
    """Signs and checks the page cursors of every list route with the stage's key."""
    return _CURSORS.get(secrets().pepper)


@once_per_container
def rate_limits() -> RateLimits:
    from chalicelib.platform.rate_limits import RateLimits

    return RateLimits()


@once_per_container
def storage() -> S3Storage:
    from chalicelib.platform.storage import S3Storage

    settings = get_settings()
    return S3Storage(settings.uploads_bucket, path_style=settings.s3_path_style)


@once_per_container
def export_jobs() -> ExportJobRepository:
    from chalicelib.platform.export_job_repository import ExportJobRepository

    return ExportJobRepository()


@once_per_container
def pool_accounts() -> PoolAccounts:
    """The user pool's accounts of outside organisations' users (dealers', service
    companies')."""
    from chalicelib.platform.accounts import PoolAccounts
    from chalicelib.platform.identity import CognitoUserPool

    settings = get_settings()
    return PoolAccounts(CognitoUserPool(settings.region, settings.cognito_user_pool_id))
