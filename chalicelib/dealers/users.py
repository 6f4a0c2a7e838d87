"""A dealer's users: accounts of the user pool in the ``dealer`` group, each mapped to the one
dealer it acts for (the rules are every outside organisation's:
:mod:`chalicelib.platform.members`). Every change is an audit entry on the dealer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict
from chalicelib.dealers.model import Dealer, DealerStatus
from chalicelib.platform.auth import Role
from chalicelib.platform.members import (
    Accounts,
    AddedMember,
    Member,
    MemberStore,
    add_member,
    list_members,
    remove_member,
)
from chalicelib.staff.users import temporary_password

GROUP = Role.DEALER.value
DealerUser = Member  # ``org_id`` is the dealer's id
AddedUser = AddedMember


@dataclass(frozen=True)
class Change:
    actor: str
    at: datetime
    source: str


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
    users: MemberStore,
    trail: Trail,
) -> AddedUser:
    """An account in the ``dealer`` group with a temporary password, mapped to ``dealer``;
    ``Conflict("user_exists")`` when the name is taken (by staff or another dealer's user),
    ``Conflict("dealer_closed")`` for a closed dealer."""
    if dealer.status is DealerStatus.CLOSED:
        raise Conflict("dealer_closed")
    member = Member(username, dealer.dealer_id, change.at, change.actor)
    added = add_member(member, email, GROUP, temporary_password(), accounts=accounts, members=users)
    trail.record(_entry(change, "dealer_user_added", dealer.dealer_id, username))
    return added


def list_users(dealer_id: str, *, accounts: Accounts, users: MemberStore) -> list[DealerUser]:
    """The dealer's users in name order, each with its account's state."""
    return list_members(dealer_id, accounts=accounts, members=users)


def remove_user(
    dealer_id: str,
    username: str,
    change: Change,
    *,
    accounts: Accounts,
    users: MemberStore,
    trail: Trail,
) -> None:
    """The user no longer acts for the dealer, and its account is disabled;
    ``NotFound("dealer_user_not_found")`` when the user is not this dealer's."""
    remove_member(
        dealer_id, username, accounts=accounts, members=users, not_found="dealer_user_not_found"
    )
    trail.record(_entry(change, "dealer_user_removed", dealer_id, username))
