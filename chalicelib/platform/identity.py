"""Cognito sign-in (user pool, USER_PASSWORD_AUTH), the refresh, and the first sign-in's new
password (the NEW_PASSWORD_REQUIRED challenge). The boto3 client is created on first use."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from chalicelib.core.errors import Conflict, FieldError, Invalid, TooManyRequests, Unauthorized


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

    def _initiate(self, flow: str, parameters: dict[str, str]) -> dict[str, Any]:
        """Cognito's answer to ``InitiateAuth``: tokens, or a challenge; refusals as our errors."""
        client = _client(self._region)
        try:
            result: dict[str, Any] = client.initiate_auth(
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
        return result

    def _auth(self, flow: str, parameters: dict[str, str]) -> Tokens:
        result = self._initiate(flow, parameters)
        if not result.get("AuthenticationResult"):  # a challenge: the console answers a new
            # password on /auth/new-password; MFA is not enabled on the pool
            raise Unauthorized("sign_in_challenge_required", challenge=result.get("ChallengeName"))
        return _tokens(result)

    def sign_in(self, username: str, password: str) -> Tokens:
        return self._auth("USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})

    def refresh(self, refresh_token: str) -> Tokens:
        return self._auth("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})

    def set_first_password(self, username: str, password: str, new_password: str) -> Tokens:
        """Sign in with a temporary password and replace it (Cognito's NEW_PASSWORD_REQUIRED).

        Raises ``Unauthorized("invalid_credentials")`` for a wrong temporary password,
        ``Conflict("new_password_not_required")`` when the account has its own password
        already (nothing is changed), ``Invalid`` on ``new_password`` (``password_too_weak``)
        when the pool's password policy refuses it.
        """
        result = self._initiate("USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})
        if result.get("ChallengeName") != "NEW_PASSWORD_REQUIRED":
            raise Conflict("new_password_not_required")
        client = _client(self._region)
        try:
            answer = client.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=result["Session"],
                ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": new_password},
            )
        except client.exceptions.InvalidPasswordException as exc:
            raise Invalid(fields=[FieldError("new_password", "password_too_weak")]) from exc
        except (
            client.exceptions.NotAuthorizedException,
            client.exceptions.CodeMismatchException,
            client.exceptions.ExpiredCodeException,
        ) as exc:  # the challenge's session ran out between the two calls
            raise Unauthorized("invalid_credentials") from exc
        if not answer.get("AuthenticationResult"):
            raise Unauthorized("sign_in_challenge_required", challenge=answer.get("ChallengeName"))
        return _tokens(answer)


def _tokens(result: dict[str, Any]) -> Tokens:
    tokens = result["AuthenticationResult"]
    return Tokens(
        id_token=tokens["IdToken"],
        access_token=tokens["AccessToken"],
        refresh_token=tokens.get("RefreshToken"),
        expires_in=int(tokens.get("ExpiresIn", 3600)),
    )
