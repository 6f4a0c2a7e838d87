"""Cognito sign-in (user pool, USER_PASSWORD_AUTH), the refresh, the first sign-in's new
password (the NEW_PASSWORD_REQUIRED challenge), a signed-in user's own password change, and the
pool's accounts for an administrator. The boto3 client is created on first use."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.errors import (
    Conflict,
    FieldError,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthorized,
)


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

    def change_password(self, access_token: str, current: str, new: str) -> None:
        """The signed-in user's own password (Cognito ``ChangePassword`` with their access
        token). ``Invalid`` on ``current_password`` (``current_password_wrong``) or on
        ``new_password`` (``password_too_weak``); the caller verified the token already, so a
        refusal here is the current password."""
        client = _client(self._region)
        try:
            client.change_password(
                AccessToken=access_token, PreviousPassword=current, ProposedPassword=new
            )
        except client.exceptions.InvalidPasswordException as exc:
            raise Invalid(fields=[FieldError("new_password", "password_too_weak")]) from exc
        except client.exceptions.NotAuthorizedException as exc:
            raise Invalid(
                fields=[FieldError("current_password", "current_password_wrong")]
            ) from exc
        except client.exceptions.LimitExceededException as exc:
            raise TooManyRequests("too_many_requests", retry_after=60) from exc


def _tokens(result: dict[str, Any]) -> Tokens:
    tokens = result["AuthenticationResult"]
    return Tokens(
        id_token=tokens["IdToken"],
        access_token=tokens["AccessToken"],
        refresh_token=tokens.get("RefreshToken"),
        expires_in=int(tokens.get("ExpiresIn", 3600)),
    )


@dataclass(frozen=True)
class PoolUser:
    """A user of the pool as Cognito describes it (its groups are read apart)."""

    username: str
    email: str | None
    phone: str | None
    enabled: bool
    status: str  # CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, …
    created_at: datetime


def _pool_user(raw: dict[str, Any]) -> PoolUser:
    attributes = {
        a["Name"]: a["Value"] for a in raw.get("Attributes", raw.get("UserAttributes", []))
    }
    created = raw.get("UserCreateDate")
    return PoolUser(
        username=str(raw["Username"]),
        email=attributes.get("email"),
        phone=attributes.get("phone_number"),
        enabled=bool(raw.get("Enabled", True)),
        status=str(raw.get("UserStatus", "UNKNOWN")),
        created_at=created if isinstance(created, datetime) else datetime.now(UTC),
    )


class CognitoUserPool:
    """The pool's staff accounts, for an administrator: list, create with a temporary password,
    groups (the roles), disable and enable, a new temporary password, sign out everywhere.
    Cognito's refusals become our errors; a password never leaves this class in a log."""

    PAGE = 60  # Cognito's maximum for ListUsers

    def __init__(self, region: str, pool_id: str) -> None:
        self._region = region
        self._pool_id = pool_id

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        client = _client(self._region)
        if not self._pool_id:
            raise Unauthorized("authentication_unavailable")
        try:
            result: dict[str, Any] = getattr(client, operation)(UserPoolId=self._pool_id, **kwargs)
        except client.exceptions.UserNotFoundException as exc:
            raise NotFound("user_not_found") from exc
        except client.exceptions.UsernameExistsException as exc:
            raise Conflict("user_exists") from exc
        except client.exceptions.InvalidPasswordException as exc:
            raise Invalid(fields=[FieldError("password", "password_too_weak")]) from exc
        except client.exceptions.TooManyRequestsException as exc:
            raise TooManyRequests("too_many_requests", retry_after=5) from exc
        return result

    def list_users(self, token: str | None) -> tuple[list[PoolUser], str | None]:
        """One page of the pool's users and the token of the next (``None`` at the end)."""
        kwargs: dict[str, Any] = {"Limit": self.PAGE}
        if token:
            kwargs["PaginationToken"] = token
        page = self._call("list_users", **kwargs)
        return [_pool_user(u) for u in page.get("Users", [])], page.get("PaginationToken")

    def members(self, group: str) -> set[str]:
        """The usernames in ``group`` (every page)."""
        names: set[str] = set()
        kwargs: dict[str, Any] = {"GroupName": group, "Limit": self.PAGE}
        while True:
            page = self._call("list_users_in_group", **kwargs)
            names.update(str(u["Username"]) for u in page.get("Users", []))
            if not page.get("NextToken"):
                return names
            kwargs["NextToken"] = page["NextToken"]

    def users_in(self, group: str) -> list[PoolUser]:
        """The accounts in ``group`` with their attributes (every page)."""
        users: list[PoolUser] = []
        kwargs: dict[str, Any] = {"GroupName": group, "Limit": self.PAGE}
        while True:
            page = self._call("list_users_in_group", **kwargs)
            users.extend(_pool_user(u) for u in page.get("Users", []))
            if not page.get("NextToken"):
                return users
            kwargs["NextToken"] = page["NextToken"]

    def get(self, username: str) -> PoolUser:
        return _pool_user(self._call("admin_get_user", Username=username))

    def groups_of(self, username: str) -> set[str]:
        page = self._call("admin_list_groups_for_user", Username=username, Limit=60)
        return {str(g["GroupName"]) for g in page.get("Groups", [])}

    def create(self, username: str, email: str | None, temporary_password: str) -> PoolUser:
        """A new account that must set its own password at first sign-in; Cognito sends
        nothing (the temporary password is handed to the administrator once)."""
        attributes = [{"Name": "email", "Value": email}] if email else []
        answer = self._call(
            "admin_create_user",
            Username=username,
            TemporaryPassword=temporary_password,
            MessageAction="SUPPRESS",
            UserAttributes=attributes,
        )
        return _pool_user(answer["User"])

    def add_to_group(self, username: str, group: str) -> None:
        self._call("admin_add_user_to_group", Username=username, GroupName=group)

    def remove_from_group(self, username: str, group: str) -> None:
        self._call("admin_remove_user_from_group", Username=username, GroupName=group)

    def disable(self, username: str) -> None:
        """Refuse the user's sign-ins and refreshes; their refresh tokens are revoked too."""
        self._call("admin_disable_user", Username=username)
        self._call("admin_user_global_sign_out", Username=username)

    def enable(self, username: str) -> None:
        self._call("admin_enable_user", Username=username)

    def set_temporary_password(self, username: str, password: str) -> None:
        """The user must replace ``password`` at the next sign-in (FORCE_CHANGE_PASSWORD)."""
        self._call("admin_set_user_password", Username=username, Password=password, Permanent=False)
        self._call("admin_user_global_sign_out", Username=username)
