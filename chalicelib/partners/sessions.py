"""Partner sessions: what a partner's app (or the portal's partner pages) sends on every request
after signing in by phone and a one-time code.

A session token is ``pst_`` + 43 URL-safe random characters (256 bits), handed out once and
stored only as an HMAC under a key derived from the stage's pepper: a leaked table opens nothing.
A session lasts 90 days from its last use, counted in whole days: a request more than a day
after the last recorded use moves both forward (one conditional write, so at most one a day
however many requests come at once). Every request also reads the partner: one who is no longer
allowed is refused at once (``401 partner_session_revoked``), whether or not their sessions have
been deleted yet (suspension deletes them too).

>>> bool(TOKEN_SHAPE.fullmatch(new_token()))
True
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.core.errors import Unauthorized
from chalicelib.partners.model import Partner, PartnerStatus

SESSION_LIFETIME = timedelta(days=90)
SLIDE_AFTER = timedelta(days=1)
TOKEN_PREFIX = "pst_"
TOKEN_SHAPE = re.compile(r"pst_[A-Za-z0-9_-]{43}")
SIGNED_IN = frozenset({PartnerStatus.APPROVED})
SIGNED_IN_OR_PENDING = frozenset({PartnerStatus.APPROVED, PartnerStatus.PENDING})


@dataclass(frozen=True)
class Session:
    session_key: str
    partner_id: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class IssuedSession:
    """A new session and its token: the only time the token exists outside the partner's app."""

    token: str
    session: Session

    @property
    def expires_in(self) -> int:
        return int(SESSION_LIFETIME.total_seconds())


class SessionStore(Protocol):
    def create(self, session: Session) -> None: ...
    def get(self, session_key: str) -> Session | None: ...
    def extend(self, session: Session, used_at: datetime, expires_at: datetime) -> bool: ...
    def delete(self, session_key: str) -> None: ...
    def delete_all(self, partner_id: str) -> int: ...


class PartnerLookup(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...


def signing_key(pepper: bytes) -> bytes:
    """The key session tokens are stored under, derived from the pepper (never the pepper)."""
    return hmac.new(pepper, b"garanti partner session v1", hashlib.sha256).digest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_key(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def open_session(
    partner_id: str, *, now: datetime, key: bytes, store: SessionStore
) -> IssuedSession:
    """A new session for the partner; the token is in the answer and nowhere else."""
    token = new_token()
    session = Session(
        session_key=token_key(key, token),
        partner_id=partner_id,
        created_at=now,
        last_used_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    store.create(session)
    return IssuedSession(token=token, session=session)


def _live_session(token: str, *, now: datetime, key: bytes, store: SessionStore) -> Session:
    if not TOKEN_SHAPE.fullmatch(token):
        raise Unauthorized("partner_session_invalid")
    session = store.get(token_key(key, token))
    if session is None:
        raise Unauthorized("partner_session_invalid")
    if session.expires_at <= now:
        raise Unauthorized("partner_session_expired")
    return session


def authenticate(
    token: str,
    *,
    now: datetime,
    key: bytes,
    sessions: SessionStore,
    partners: PartnerLookup,
    allowed: Collection[PartnerStatus] = SIGNED_IN,
) -> Partner:
    """The partner behind a live session, if their status is one of ``allowed``; extends the
    session when its last recorded use is more than a day old. ``Unauthorized``:
    ``partner_session_invalid`` (unknown or malformed), ``partner_session_expired``,
    ``partner_session_revoked`` (the partner is not, or no longer, allowed)."""
    session = _live_session(token, now=now, key=key, store=sessions)
    partner = partners.get(session.partner_id)
    if partner is None or partner.status not in allowed:
        raise Unauthorized("partner_session_revoked")
    if now - session.last_used_at >= SLIDE_AFTER:
        # a parallel request may have extended it first: either write is as good
        sessions.extend(session, now, now + SESSION_LIFETIME)
    return partner


def close_session(token: str, *, now: datetime, key: bytes, store: SessionStore) -> None:
    """Sign out: the session is deleted (a token that opens nothing is refused like any other)."""
    session = _live_session(token, now=now, key=key, store=store)
    store.delete(session.session_key)
