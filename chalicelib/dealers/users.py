"""A dealer's users: accounts of the user pool in the ``dealer`` group, each mapped to the one
dealer it acts for. An administrator adds one from the dealer's page (a temporary password,
shown once, replaced at the first sign-in, as for staff) and removes one (the mapping goes and
the account is disabled: its tokens stop working at the next request, since every dealer
request reads the mapping). Every change is an audit entry on the dealer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.dealers.model import Dealer, DealerStatus
from chalicelib.platform.auth import Role
from chalicelib.staff.users import temporary_password

GROUP = Role.DEALER.value


@dataclass(frozen=True)
class DealerUser:
    """The mapping, and what the pool says of the account (``None`` when it is gone)."""

    username: str
    dealer_id: str
    created_at: datetime
    created_by: str
    enabled: bool | None = None
    status: str | None = None


@dataclass(frozen=True)
class Account:
    enabled: bool
    status: str  # CONFIRMED, FORCE_CHANGE_PASSWORD, …


@dataclass(frozen=True)
class AddedUser:
    user: DealerUser
    temporary_password: str  # shown once, in the answer that created it


@dataclass(frozen=True)
class Change:
    actor: str
    at: datetime
    source: str


class Accounts(Protocol):
    """The user pool, as dealers need it."""

    def create(self, username: str, email: str | None, temporary_password: str) -> Account: ...
    def add_to_group(self, username: str, group: str) -> None: ...
    def disable(self, username: str) -> None: ...
    def account(self, username: str) -> Account | None: ...


class DealerUserStore(Protocol):
    def add(self, user: DealerUser) -> None: ...
    def get(self, username: str) -> DealerUser | None: ...
    def of_dealer(self, dealer_id: str) -> list[DealerUser]: ...
    def remove(self, username: str, dealer_id: str) -> None: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


def _entry(change: Change, action: str, dealer_id: str, username: str) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="dealer",
        entity_id=dealer_id,
        source=change.source,
        after={"username": username},
    )


def add_user(
    dealer: Dealer,
    username: str,
    email: str | None,
    change: Change,
    *,
    accounts: Accounts,
    users: DealerUserStore,
    trail: Trail,
) -> AddedUser:
    """An account in the ``dealer`` group with a temporary password, mapped to ``dealer``;
    ``Conflict("user_exists")`` when the name is taken (by staff or another dealer's user),
    ``Conflict("dealer_closed")`` for a closed dealer."""
    if dealer.status is DealerStatus.CLOSED:
        raise Conflict("dealer_closed")
    password = temporary_password()
    account = accounts.create(username, email, password)
    accounts.add_to_group(username, GROUP)
    user = DealerUser(username, dealer.dealer_id, change.at, change.actor)
    users.add(user)
    trail.record(_entry(change, "dealer_user_added", dealer.dealer_id, username))
    return AddedUser(
        DealerUser(
            username, dealer.dealer_id, change.at, change.actor, account.enabled, account.status
        ),
        password,
    )


def list_users(dealer_id: str, *, accounts: Accounts, users: DealerUserStore) -> list[DealerUser]:
    """The dealer's users in name order, each with its account's state (one read per user: a
    dealer has a handful)."""
    found = []
    for user in users.of_dealer(dealer_id):
        account = accounts.account(user.username)
        found.append(
            DealerUser(
                user.username,
                user.dealer_id,
                user.created_at,
                user.created_by,
                account.enabled if account else None,
                account.status if account else None,
            )
        )
    return found


def remove_user(
    dealer_id: str,
    username: str,
    change: Change,
    *,
    accounts: Accounts,
    users: DealerUserStore,
    trail: Trail,
) -> None:
    """The mapping goes first (the user is refused from then on), then the account is
    disabled; ``NotFound("dealer_user_not_found")`` when the user is not this dealer's."""
    user = users.get(username)
    if user is None or user.dealer_id != dealer_id:
        raise NotFound("dealer_user_not_found")
    users.remove(username, dealer_id)
    accounts.disable(username)
    trail.record(_entry(change, "dealer_user_removed", dealer_id, username))
