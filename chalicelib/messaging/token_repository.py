"""The Zalo OA's token pair in DynamoDB, refreshed single-flight across Lambdas
(docs/reference/zalo.md#token-refresh).

Zalo's refresh token is single-use: two containers refreshing with it at once spend it twice and
the OA needs a person to re-consent. So ``refresh(stale)`` calls Zalo only while holding a lease
taken with one conditional update (``version = :v`` and no live lease); everyone else waits for
the holder's new pair to appear. The new pair is written with ``version + 1`` conditional on
``version = :v``: it is the answer to the refresh token of version ``v``, which Zalo honours at
most once, so even a holder whose lease ran out (the refresh call's timeouts, 3 s + 10 s, stay
well inside the 30 s lease) stores the only valid pair rather than dropping it.

Tokens never reach a log line: ``TokenPair`` hides them from ``repr`` and only ``token_id``,
``version`` and reasons are logged.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.messaging.providers.zns import TokenPair, ZaloTokenError
from chalicelib.messaging.tables import ProviderTokenRecord
from chalicelib.platform.dynamodb import is_condition_failure

LEASE = timedelta(seconds=30)
POLL_INTERVAL = 0.25  # seconds between re-reads while another container refreshes
MAX_POLLS = 20  # then give up: the caller treats it as a failed refresh and retries later
# When Zalo's answer has no usable ``expires_in``: the shortest lifetime any page documents
# (zalo.md#token-refresh), so the proactive schedule refreshes early rather than late.
ASSUMED_LIFETIME = timedelta(hours=1)
# How long a container reuses the access token it read, so a send costs no extra read. A token
# another container replaced meanwhile is answered -124 by Zalo, and ``refresh`` then finds the
# new one in the table without calling Zalo.
MEMO = timedelta(seconds=60)
EXPIRY_MARGIN = timedelta(minutes=5)


class ProviderTokenMissing(NotFound):
    """No token pair was ever installed for this account: ``seed`` it (OA consent)."""

    default_code = "provider_token_missing"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _lease_is_live(record: ProviderTokenRecord, now: datetime) -> bool:
    return record.lease_until is not None and record.lease_until >= now


class ZaloTokenStore:
    """:class:`~chalicelib.messaging.providers.zns.AccessTokens` for one OA, kept in
    ``provider_tokens`` under ``token_id`` (``zalo#<oa_id>``).

    ``refresher`` exchanges a refresh token for a new pair; in production
    ``functools.partial(refresh_access_token, pool, app_id, secret_key)``.
    """

    def __init__(
        self,
        token_id: str,
        refresher: Callable[[str], TokenPair],
        *,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], None] = time.sleep,
        lease: timedelta = LEASE,
        poll_interval: float = POLL_INTERVAL,
        max_polls: int = MAX_POLLS,
    ) -> None:
        self._token_id = token_id
        self._refresher = refresher
        self._clock = clock
        self._sleep = sleep
        self._lease = lease
        self._poll_interval = poll_interval
        self._max_polls = max_polls
        self._memo: tuple[str, datetime] | None = None  # (access token, reuse until)

    def seed(self, pair: TokenPair) -> None:
        """Install a pair: the first one, or a new one after a person re-consented. Bumps
        ``version`` and clears any lease, so a refresher still working on the old pair cannot
        overwrite this one."""
        now = self._clock()
        self._memo = None
        ProviderTokenRecord(self._token_id).update(actions=self._install_actions(pair, now))
        logger.info("provider token installed", extra={"token_id": self._token_id})

    def current(self) -> str:
        """The stored access token (a consistent read, reused for up to :data:`MEMO` and
        never within :data:`EXPIRY_MARGIN` of its expiry); ``ProviderTokenMissing`` if none."""
        now = self._clock()
        if self._memo is not None and now < self._memo[1]:
            return self._memo[0]
        record = self._read()
        self._memo = (record.access_token, min(now + MEMO, record.expires_at - EXPIRY_MARGIN))
        return record.access_token

    def refresh(self, stale: str) -> str:
        """An access token other than ``stale``, calling Zalo at most once across every
        container that holds the same stale token. Raises ``ZaloTokenError`` when Zalo refuses
        (the old pair is kept), when another container's refresh failed, or when the holder
        of the lease did not finish within ``max_polls`` re-reads."""
        self._memo = None
        waited_for_holder = False
        for _ in range(self._max_polls + 1):
            record = self._read()
            if record.access_token != stale:
                return record.access_token  # someone refreshed already
            now = self._clock()
            if _lease_is_live(record, now):
                waited_for_holder = True
                self._sleep(self._poll_interval)
                continue
            if waited_for_holder and record.lease_until is None:
                # The holder released the lease without a new pair: its refresh failed, and
                # calling Zalo again with the same refresh token would fail the same way.
                raise ZaloTokenError("refresh_failed_elsewhere")
            if record.lease_until is not None:
                logger.warning(
                    "provider token lease expired, taking over",
                    extra={"token_id": self._token_id, "version": int(record.version)},
                )
            owner = self._take_lease(record, now)
            if owner is not None:
                return self._refresh_holding_lease(record, owner)
            # Lost the race for the lease: the next read shows the winner's lease or its pair.
        logger.warning("provider token refresh still in progress", extra=self._log_keys())
        raise ZaloTokenError("refresh_in_progress")

    def refresh_if_expiring(self, within: timedelta) -> bool:
        """For the proactive schedule: refresh when the stored token expires in less than
        ``within``. ``True`` if the token was refreshed (here or by another container)."""
        record = self._read()
        if record.expires_at - self._clock() >= within:
            return False
        self.refresh(record.access_token)
        return True

    def _read(self) -> ProviderTokenRecord:
        try:
            return ProviderTokenRecord.get(self._token_id, consistent_read=True)
        except DoesNotExist as exc:
            raise ProviderTokenMissing(token_id=self._token_id) from exc

    def _take_lease(self, record: ProviderTokenRecord, now: datetime) -> str | None:
        """The new lease's owner id, or ``None`` if another container holds the lease or
        already wrote a newer version."""
        owner = uuid.uuid4().hex
        try:
            ProviderTokenRecord(self._token_id).update(
                actions=[
                    ProviderTokenRecord.lease_until.set(now + self._lease),
                    ProviderTokenRecord.lease_owner.set(owner),
                ],
                condition=(ProviderTokenRecord.version == int(record.version))
                & (
                    ProviderTokenRecord.lease_until.does_not_exist()
                    | (ProviderTokenRecord.lease_until < now)
                ),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return owner

    def _refresh_holding_lease(self, record: ProviderTokenRecord, owner: str) -> str:
        version = int(record.version)
        pair: TokenPair | None = None
        try:
            pair = self._refresher(record.refresh_token)
        except ZaloTokenError as exc:
            extra = {**self._log_keys(), "version": version, "reason": exc.reason}
            if exc.ambiguous:
                logger.error(
                    "zalo token refresh may have spent the refresh token: if sends keep "
                    "failing with token errors, a person must re-consent the OA and seed "
                    "the new pair",
                    extra=extra,
                )
            else:
                logger.warning("zalo token refresh refused, old pair kept", extra=extra)
            raise
        finally:
            if pair is None:
                self._release(owner)
        self._store(pair, version)
        logger.info("zalo token refreshed", extra={**self._log_keys(), "version": version + 1})
        return pair.access_token

    def _install_actions(self, pair: TokenPair, now: datetime) -> list[Any]:
        """Write ``pair`` as the next version and free the lease (seed and refresh alike)."""
        return [
            ProviderTokenRecord.access_token.set(pair.access_token),
            ProviderTokenRecord.refresh_token.set(pair.refresh_token),
            ProviderTokenRecord.expires_at.set(self._expires_at(pair, now)),
            ProviderTokenRecord.version.add(1),
            ProviderTokenRecord.updated_at.set(now),
            ProviderTokenRecord.lease_until.remove(),
            ProviderTokenRecord.lease_owner.remove(),
        ]

    def _store(self, pair: TokenPair, version: int) -> None:
        now = self._clock()
        try:
            ProviderTokenRecord(self._token_id).update(
                actions=[
                    ProviderTokenRecord.access_token.set(pair.access_token),
                    ProviderTokenRecord.refresh_token.set(pair.refresh_token),
                    ProviderTokenRecord.expires_at.set(self._expires_at(pair, now)),
                    ProviderTokenRecord.version.add(1),
                    ProviderTokenRecord.updated_at.set(now),
                    ProviderTokenRecord.lease_until.remove(),
                    ProviderTokenRecord.lease_owner.remove(),
                ],
                condition=ProviderTokenRecord.version == version,
            )
        except UpdateError as exc:
            # Only a ``seed`` (re-consent) moves the version under a refresh: the stored pair
            # is the one a person installed; ours is dropped.
            logger.error(
                "zalo token pair not stored: the item changed during the refresh",
                extra={**self._log_keys(), "version": version},
            )
            if is_condition_failure(exc):
                raise ZaloTokenError("pair_replaced_during_refresh") from exc
            raise

    def _release(self, owner: str) -> None:
        try:
            ProviderTokenRecord(self._token_id).update(
                actions=[
                    ProviderTokenRecord.lease_until.remove(),
                    ProviderTokenRecord.lease_owner.remove(),
                ],
                condition=ProviderTokenRecord.lease_owner == owner,
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            # The lease ran out and was taken over, or a seed cleared it: nothing to release.

    def _expires_at(self, pair: TokenPair, now: datetime) -> datetime:
        if pair.expires_in is None:
            return now + ASSUMED_LIFETIME
        return now + timedelta(seconds=pair.expires_in)

    def _log_keys(self) -> dict[str, str]:
        return {"token_id": self._token_id}
