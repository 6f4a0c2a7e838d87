"""The user pool as outside organisations' users need it (:class:`chalicelib.platform.members.
Accounts`): create an account with a temporary password, put it in its role's group, read its
state, disable it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from chalicelib.core.errors import NotFound
from chalicelib.platform.members import Account

if TYPE_CHECKING:
    from chalicelib.platform.identity import CognitoUserPool


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

    def reachable(self, groups: Iterable[str]) -> dict[str, str]:
        """The enabled accounts of ``groups`` that have a phone: username → phone (E.164), one
        listing per group."""
        return {
            user.username: user.phone
            for group in groups
            for user in self._pool.users_in(group)
            if user.enabled and user.phone
        }

    def account(self, username: str) -> Account | None:
        try:
            user = self._pool.get(username)
        except NotFound:
            return None
        return Account(user.enabled, user.status)
