"""Staff's adapters: the Cognito user pool's sign-in client and its accounts, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container
from chalicelib.platform.identity import CognitoIdentity

if TYPE_CHECKING:
    from chalicelib.staff.accounts import PoolAccounts


@once_per_container
def identity() -> CognitoIdentity:
    settings = get_settings()
    return CognitoIdentity(settings.region, settings.cognito_client_id)


@once_per_container
def accounts() -> PoolAccounts:
    from chalicelib.platform.identity import CognitoUserPool
    from chalicelib.staff.accounts import PoolAccounts

    settings = get_settings()
    return PoolAccounts(CognitoUserPool(settings.region, settings.cognito_user_pool_id))
