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
