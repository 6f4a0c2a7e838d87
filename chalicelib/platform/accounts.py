"""The user pool's accounts of the people outside the staff who sign in to the console (a
dealer's users, a service company's): created with a temporary password in their role's group,
read for their state, disabled when removed. The mapping of each account to the organisation it
acts for is its capability's own; this is the account side they share."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from chalicelib.core.errors import NotFound

if TYPE_CHECKING:
    from chalicelib.platform.identity import CognitoUserPool


@dataclass(frozen=True)
class Account:
    enabled: bool
    status: str  # CONFIRMED, FORCE_CHANGE_PASSWORD, …


class Accounts(Protocol):
    """The user pool, as an outside organisation's users need it."""

    def create(self, username: str, email: str | None, temporary_password: str) -> Account: ...
    def add_to_group(self, username: str, group: str) -> None: ...
    def disable(self, username: str) -> None: ...
    def account(self, username: str) -> Account | None: ...


class PoolAccounts:
    """:class:`Accounts` on the Cognito user pool."""

    def __init__(self, pool: CognitoUserPool) -> None:
        self._pool = pool

    def create(self, username: str, email: str | None, temporary_password: str) -> Account:
        user = self._pool.create(username, email, temporary_password)
        return Account(user.enabled, user.status)

    def add_to_group(self, username: str, group: str) -> None:
        self._pool.add_to_group(username, group)

    def disable(self, username: str) -> None:
        with contextlib.suppress(NotFound):  # gone from the pool already: nothing to disable
            self._pool.disable(username)

    def account(self, username: str) -> Account | None:
        try:
            user = self._pool.get(username)
        except NotFound:
            return None
        return Account(user.enabled, user.status)


def open_account(
    username: str, email: str | None, group: str, password: str, *, accounts: Accounts
) -> Account:
    """A new account in ``group`` with the temporary ``password`` (``Conflict("user_exists")``
    from the pool when the name is taken, by staff or anyone else)."""
    account = accounts.create(username, email, password)
    accounts.add_to_group(username, group)
    return account
