"""Cognito sign-in (user pool, USER_PASSWORD_AUTH). The boto3 client is created on first use."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from chalicelib.core.errors import TooManyRequests, Unauthorized


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@functools.cache
def _client(region: str) -> Any:
    import boto3

    return boto3.client("cognito-idp", region_name=region)


class CognitoIdentity:
    def __init__(self, region: str, client_id: str) -> None:
        self._region = region
        self._client_id = client_id

    def _auth(self, flow: str, parameters: dict[str, str]) -> Tokens:
        client = _client(self._region)
        try:
            result = client.initiate_auth(
                ClientId=self._client_id, AuthFlow=flow, AuthParameters=parameters
            )
        except (
            client.exceptions.NotAuthorizedException,
            client.exceptions.UserNotFoundException,
        ) as exc:
            raise Unauthorized("invalid_credentials") from exc
        except client.exceptions.UserNotConfirmedException as exc:
            raise Unauthorized("account_not_confirmed") from exc
        except client.exceptions.PasswordResetRequiredException as exc:
            raise Unauthorized("password_reset_required") from exc
        except client.exceptions.TooManyRequestsException as exc:
            raise TooManyRequests("too_many_requests", retry_after=30) from exc
        tokens = result.get("AuthenticationResult")
        if not tokens:  # a challenge (new password, MFA) we do not support on this route
            raise Unauthorized("sign_in_challenge_required", challenge=result.get("ChallengeName"))
        return Tokens(
            id_token=tokens["IdToken"],
            access_token=tokens["AccessToken"],
            refresh_token=tokens.get("RefreshToken"),
            expires_in=int(tokens.get("ExpiresIn", 3600)),
        )

    def sign_in(self, username: str, password: str) -> Tokens:
        return self._auth("USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})

    def refresh(self, refresh_token: str) -> Tokens:
        return self._auth("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})
