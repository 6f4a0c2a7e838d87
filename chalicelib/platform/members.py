"""An outside organisation's users (a dealer's, a service company's): accounts of the user pool
in the organisation's role group, each mapped to the one organisation it acts for. An
administrator adds one from the organisation's page (a temporary password, shown once, replaced
at the first sign-in, as for staff) and removes one (the mapping goes first, then the account is
disabled: since every request of such a user reads its mapping, access ends at once, whatever
tokens are still valid). The capabilities keep the mapping in their own table and record the
audit entries; the rules are these."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from chalicelib.core.errors import NotFound


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


def open_account(
    username: str, email: str | None, group: str, password: str, *, accounts: Accounts
) -> Account:
    """A new account in ``group`` with the temporary ``password`` (``Conflict("user_exists")``
    from the pool when the name is taken, by staff or anyone else)."""
    account = accounts.create(username, email, password)
    accounts.add_to_group(username, group)
    return account


@dataclass(frozen=True)
class Member:
    """The mapping, and what the pool says of the account (``None`` when it is gone)."""

    username: str
    org_id: str  # the dealer's or the service centre's id
    created_at: datetime
    created_by: str
    enabled: bool | None = None
    status: str | None = None

    def with_account(self, account: Account | None) -> Member:
        if account is None:
            return replace(self, enabled=None, status=None)
        return replace(self, enabled=account.enabled, status=account.status)


@dataclass(frozen=True)
class AddedMember:
    member: Member
    temporary_password: str  # shown once, in the answer that created it


class MemberStore(Protocol):
    def add(self, member: Member) -> None: ...
    def get(self, username: str) -> Member | None: ...
    def of_org(self, org_id: str) -> list[Member]: ...
    def remove(self, username: str, org_id: str) -> None: ...


def add_member(
    member: Member,
    email: str | None,
    group: str,
    password: str,
    *,
    accounts: Accounts,
    members: MemberStore,
) -> AddedMember:
    """An account in ``group`` with the temporary ``password``, then its mapping;
    ``Conflict("user_exists")`` when the name is taken (by staff or any organisation's user)."""
    account = open_account(member.username, email, group, password, accounts=accounts)
    members.add(member)
    return AddedMember(member.with_account(account), password)


def list_members(org_id: str, *, accounts: Accounts, members: MemberStore) -> list[Member]:
    """The organisation's users in name order, each with its account's state (one read per
    user: an organisation has a handful)."""
    return [m.with_account(accounts.account(m.username)) for m in members.of_org(org_id)]


def remove_member(
    org_id: str, username: str, *, accounts: Accounts, members: MemberStore, not_found: str
) -> Member:
    """The mapping goes first (the user is refused from then on), then the account is disabled;
    ``NotFound(not_found)`` when the user is not this organisation's."""
    member = members.get(username)
    if member is None or member.org_id != org_id:
        raise NotFound(not_found)
    members.remove(username, org_id)
    accounts.disable(username)
    return member
