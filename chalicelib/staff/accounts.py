"""The user pool as staff accounts: Cognito's users with their groups as roles."""

from __future__ import annotations

from chalicelib.platform.identity import CognitoUserPool, PoolUser
from chalicelib.staff.users import ROLES, StaffUser


def _staff_user(user: PoolUser, roles: frozenset[str]) -> StaffUser:
    return StaffUser(
        username=user.username,
        email=user.email,
        phone=user.phone,
        roles=roles,
        enabled=user.enabled,
        status=user.status,
        created_at=user.created_at,
    )


class PoolAccounts:
    """:class:`chalicelib.staff.users.Accounts` on the Cognito pool; roles are the groups."""

    def __init__(self, pool: CognitoUserPool) -> None:
        self._pool = pool

    def page(self, token: str | None) -> tuple[list[StaffUser], str | None]:
        """Up to 60 users in the pool's order, each with its roles (one listing per role, not
        one call per user), and the next page's token."""
        users, next_token = self._pool.list_users(token)
        members = {role: self._pool.members(role) for role in ROLES} if users else {}
        return [
            _staff_user(
                u, frozenset(role for role, names in members.items() if u.username in names)
            )
            for u in users
        ], next_token

    def members(self, role: str) -> list[str]:
        """The usernames holding ``role`` (its group, every page), sorted."""
        return sorted(self._pool.members(role))

    def user(self, username: str) -> StaffUser:
        user = self._pool.get(username)
        return _staff_user(user, frozenset(self._pool.groups_of(username)) & frozenset(ROLES))

    def create(self, username: str, email: str | None, temporary_password: str) -> StaffUser:
        return _staff_user(self._pool.create(username, email, temporary_password), frozenset())

    def add_role(self, username: str, role: str) -> None:
        self._pool.add_to_group(username, role)

    def remove_role(self, username: str, role: str) -> None:
        self._pool.remove_from_group(username, role)

    def disable(self, username: str) -> None:
        self._pool.disable(username)

    def enable(self, username: str) -> None:
        self._pool.enable(username)

    def set_temporary_password(self, username: str, password: str) -> None:
        self._pool.set_temporary_password(username, password)
