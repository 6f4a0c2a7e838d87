"""Staff accounts, managed by an administrator: invite, roles, disable and enable, a new
temporary password. Every change is an audit entry (never the password). An administrator can
neither remove their own admin role nor disable themselves: a pool must not lose its last way in
by a slip of the one person who could put it back.

>>> valid_username(" Lan.Nguyen ")
'lan.nguyen'
>>> sorted(roles_of(["cs", "admin", "cs"]))
['admin', 'cs']
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.platform.auth import OUTSIDERS, Role

# Staff roles: a dealer's users are managed from their dealer (dealers capability), not here.
ROLES = tuple(role.value for role in Role if role not in OUTSIDERS)
ADMIN = Role.ADMIN.value
# Lower-case ASCII: a letter or digit, then letters, digits, dot, dash or underscore; 2-64 long
# (the demo accounts include "cs").
# Cognito usernames are case-sensitive unless the pool says otherwise: one spelling avoids
# "Lan" and "lan" being two accounts.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}")
# The pool's policy: 8+ characters with lower and upper case, a digit and a symbol.
_SYMBOLS = "!@#$%^&*-_=+?"
TEMPORARY_PASSWORD_LENGTH = 16


@dataclass(frozen=True)
class StaffUser:
    username: str
    email: str | None
    phone: str | None
    roles: frozenset[str]
    enabled: bool
    status: str
    created_at: datetime


@dataclass(frozen=True)
class Invited:
    """A new account and its temporary password, shown once to the administrator."""

    user: StaffUser
    temporary_password: str


@dataclass(frozen=True)
class Change:
    """Who asks (``actor``), when, and the request it came from (the audit entry's source)."""

    actor: str
    at: datetime
    source: str


class Accounts(Protocol):
    """The user pool, as the service needs it (``staff.wiring.accounts()``)."""

    def user(self, username: str) -> StaffUser: ...
    def create(self, username: str, email: str | None, temporary_password: str) -> StaffUser: ...
    def add_role(self, username: str, role: str) -> None: ...
    def remove_role(self, username: str, role: str) -> None: ...
    def disable(self, username: str) -> None: ...
    def enable(self, username: str) -> None: ...
    def set_temporary_password(self, username: str, password: str) -> None: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


def valid_username(raw: str) -> str:
    """Trimmed and lower-cased, or ``Invalid`` on ``username`` (``username_invalid``)."""
    username = raw.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise Invalid(fields=[FieldError("username", "username_invalid")])
    return username


def valid_email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    email = raw.strip()
    if not _EMAIL.fullmatch(email):
        raise Invalid(fields=[FieldError("email", "email_invalid")])
    return email


def roles_of(raw: Iterable[str]) -> frozenset[str]:
    """The roles asked for; an unknown one is ``Invalid`` on ``roles`` (``role_unknown``)."""
    roles = frozenset(raw)
    if not roles <= set(ROLES):
        raise Invalid(fields=[FieldError("roles", "role_unknown")])
    return roles


def temporary_password() -> str:
    """16 random characters that meet the pool's policy (each class at least once)."""
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, _SYMBOLS)
    chosen = [secrets.choice(c) for c in classes]
    everything = "".join(classes)
    chosen += [secrets.choice(everything) for _ in range(TEMPORARY_PASSWORD_LENGTH - len(chosen))]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


def _entry(change: Change, action: str, username: str, **sides: object) -> AuditEntry:
    before = sides.get("before")
    after = sides.get("after")
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="user",
        entity_id=username,
        source=change.source,
        before=before if isinstance(before, dict) else None,
        after=after if isinstance(after, dict) else None,
    )


def invite(
    username: str,
    email: str | None,
    roles: frozenset[str],
    change: Change,
    *,
    accounts: Accounts,
    trail: Trail,
) -> Invited:
    """Create the account with a temporary password and its roles; ``Conflict("user_exists")``
    when the name is taken."""
    if not roles:
        raise Invalid(fields=[FieldError("roles", "roles_required")])
    password = temporary_password()
    accounts.create(username, email, password)
    for role in sorted(roles):
        accounts.add_role(username, role)
    trail.record(
        _entry(change, "user_invited", username, after={"roles": sorted(roles), "email": email})
    )
    return Invited(accounts.user(username), password)


def set_roles(
    username: str, roles: frozenset[str], change: Change, *, accounts: Accounts, trail: Trail
) -> StaffUser:
    """Exactly these roles. An administrator keeps their own admin role
    (``Conflict("own_admin_role")``); no change, no entry."""
    if username == change.actor and ADMIN not in roles:
        raise Conflict("own_admin_role")
    if not roles:
        raise Invalid(fields=[FieldError("roles", "roles_required")])
    user = accounts.user(username)
    for role in sorted(roles - user.roles):
        accounts.add_role(username, role)
    for role in sorted(user.roles - roles):
        accounts.remove_role(username, role)
    if roles != user.roles:
        trail.record(
            _entry(
                change,
                "user_roles_changed",
                username,
                before={"roles": sorted(user.roles)},
                after={"roles": sorted(roles)},
            )
        )
    return accounts.user(username)


def set_enabled(
    username: str, enabled: bool, change: Change, *, accounts: Accounts, trail: Trail
) -> StaffUser:
    """Disable (sign-ins and refreshes refused, refresh tokens revoked) or enable again. An
    administrator cannot disable themselves (``Conflict("cannot_disable_self")``)."""
    if username == change.actor and not enabled:
        raise Conflict("cannot_disable_self")
    user = accounts.user(username)
    if user.enabled != enabled:
        if enabled:
            accounts.enable(username)
        else:
            accounts.disable(username)
        trail.record(
            _entry(
                change,
                "user_enabled" if enabled else "user_disabled",
                username,
                before={"enabled": user.enabled},
                after={"enabled": enabled},
            )
        )
    return accounts.user(username)


def reset_password(username: str, change: Change, *, accounts: Accounts, trail: Trail) -> Invited:
    """A new temporary password to replace at the next sign-in; the user's sessions end."""
    accounts.user(username)  # NotFound before anything changes
    password = temporary_password()
    accounts.set_temporary_password(username, password)
    trail.record(_entry(change, "user_password_reset", username))
    return Invited(accounts.user(username), password)
