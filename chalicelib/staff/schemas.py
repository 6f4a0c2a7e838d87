"""Request bodies of staff sign-in."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from chalicelib.platform.schemas import (
    RequestBody,
)


class LoginRequest(RequestBody):
    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    password: Annotated[StrictStr, Field(min_length=1, max_length=256)]


class RefreshRequest(RequestBody):
    refresh_token: Annotated[StrictStr, Field(min_length=1, max_length=4096)]


class NewPasswordRequest(RequestBody):
    """The first sign-in: the temporary password and the user's own."""

    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    password: Annotated[StrictStr, Field(min_length=1, max_length=256)]
    new_password: Annotated[StrictStr, Field(min_length=8, max_length=256)]


class ChangePasswordRequest(RequestBody):
    """A signed-in user's own password: the current one and the new one."""

    current_password: Annotated[StrictStr, Field(min_length=1, max_length=256)]
    new_password: Annotated[StrictStr, Field(min_length=8, max_length=256)]


class InviteRequest(RequestBody):
    """A new staff account: its username (2-64 of a-z 0-9 . _ -), an optional email, roles."""

    username: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    email: Annotated[StrictStr | None, Field(max_length=320)] = None
    roles: Annotated[list[StrictStr], Field(max_length=5)]


class RolesRequest(RequestBody):
    roles: Annotated[list[StrictStr], Field(max_length=5)]
