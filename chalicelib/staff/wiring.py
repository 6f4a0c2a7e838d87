"""Staff sign-in's adapter: the Cognito user pool's client, built on first use."""

from __future__ import annotations

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container
from chalicelib.platform.identity import CognitoIdentity


@once_per_container
def identity() -> CognitoIdentity:
    settings = get_settings()
    return CognitoIdentity(settings.region, settings.cognito_client_id)
