"""ZaloTokenStore: the OA's single-use refresh token spent once across containers
(zalo.md#token-refresh, security.md#t-c8).

DynamoDB is moto (the ``aws`` fixture); Zalo is the fake over real HTTP, which invalidates a
refresh token on first use. Every assertion reads the fake's request log or the table.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import urllib3

from chalicelib.core.settings import get_settings
from chalicelib.messaging.providers.zns import (
    TokenPair,
    ZaloTokenError,
    new_pool,
    refresh_access_token,
)
from chalicelib.messaging.token_repository import ProviderTokenMissing, ZaloTokenStore
from devstack.fakes.zalo import FakeZalo, running_fake_zalo
from tests.support.aws import Emulator

TOKEN_ID = "zalo#oa-1"
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
FIRST_PAIR = TokenPair("at-0", "rt-0", 90000)  # what the fake starts with


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def zalo() -> Iterator[FakeZalo]:
    with running_fake_zalo() as fake:
        yield fake


@pytest.fixture
def pool() -> urllib3.PoolManager:
    return new_pool()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def store_for(
    zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock, **timing: Any
) -> ZaloTokenStore:
    refresher = functools.partial(
        refresh_access_token, pool, zalo.app_id, zalo.secret_key, oauth_url=zalo.url
    )
    timing = {"poll_interval": 0.02, "max_polls": 250, **timing}
    return ZaloTokenStore(TOKEN_ID, refresher, clock=clock, **timing)


@pytest.fixture
def store(aws: Emulator, zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock) -> ZaloTokenStore:
    store = store_for(zalo, pool, clock)
    store.seed(FIRST_PAIR)
    return store


def stored_item(aws: Emulator) -> dict[str, Any]:
    answer = aws.dynamodb.get_item(
        TableName=get_settings().table_name("provider_tokens"),
        Key={"token_id": {"S": TOKEN_ID}},
        ConsistentRead=True,
    )
    item = answer["Item"]
    return {name: next(iter(value.values())) for name, value in item.items()}


def put_lease(aws: Emulator, owner: str, until: datetime) -> None:
    """A lease left by another container (one that crashed, or one still working)."""
    aws.dynamodb.update_item(
        TableName=get_settings().table_name("provider_tokens"),
        Key={"token_id": {"S": TOKEN_ID}},
        UpdateExpression="SET lease_until = :until, lease_owner = :owner",
        ExpressionAttributeValues={
            ":until": {"S": until.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")},
            ":owner": {"S": owner},
        },
    )


def test_current_returns_the_seeded_access_token(aws: Emulator, store: ZaloTokenStore) -> None:
    assert store.current() == "at-0"
    item = stored_item(aws)
    assert item["refresh_token"] == "rt-0"
    assert item["version"] == "1"
    assert item["expires_at"].startswith("2026-06-02T09:00:00")  # T0 + 90000 s
    assert "lease_until" not in item


def test_current_without_a_seeded_pair_raises_provider_token_missing(
    aws: Emulator, zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock
) -> None:
    with pytest.raises(ProviderTokenMissing):
        store_for(zalo, pool, clock).current()


def test_refresh_of_the_stale_token_calls_zalo_once_and_stores_the_new_pair(
    aws: Emulator, zalo: FakeZalo, store: ZaloTokenStore
) -> None:
    fresh = store.refresh("at-0")

    assert fresh == zalo.access_token != "at-0"
    assert [r.form()["refresh_token"] for r in zalo.refreshes()] == ["rt-0"]
    item = stored_item(aws)
    assert item["access_token"] == fresh
    assert item["refresh_token"] in zalo.refresh_tokens
    assert item["version"] == "2"
    assert "lease_until" not in item and "lease_owner" not in item
    assert store.current() == fresh


def test_refresh_of_an_already_replaced_token_returns_the_stored_one_without_calling_zalo(
    zalo: FakeZalo, store: ZaloTokenStore
) -> None:
    fresh = store.refresh("at-0")

    assert store.refresh("at-0") == fresh
    assert len(zalo.refreshes()) == 1


@pytest.mark.parametrize("containers", [2, 10])
def test_parallel_refreshers_of_one_stale_token_spend_the_refresh_token_once(
    aws: Emulator,
    zalo: FakeZalo,
    pool: urllib3.PoolManager,
    clock: Clock,
    store: ZaloTokenStore,
    containers: int,
) -> None:
    # Given N containers (one store each) that all saw Zalo reject "at-0"
    stores = [store_for(zalo, pool, clock) for _ in range(containers)]
    start = threading.Barrier(containers)
    results: list[str] = []
    errors: list[BaseException] = []

    def refresh(s: ZaloTokenStore) -> None:
        start.wait()
        try:
            results.append(s.refresh("at-0"))
        except ZaloTokenError as exc:
            errors.append(exc)

    # When they refresh at the same moment
    threads = [threading.Thread(target=refresh, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then Zalo saw exactly one refresh, and every container got the one new token
    assert errors == []
    assert len(zalo.refreshes()) == 1
    assert results == [zalo.access_token] * containers
    item = stored_item(aws)
    assert item["access_token"] == zalo.access_token
    assert item["version"] == "2"
    assert "lease_until" not in item


def test_refresh_refused_without_a_token_keeps_the_old_pair_and_releases_the_lease(
    aws: Emulator, zalo: FakeZalo, store: ZaloTokenStore
) -> None:
    # Given Zalo answers the refresh with an error and no access_token (wrong secret: -14002)
    zalo.secret_key = "rotated-by-someone"

    with pytest.raises(ZaloTokenError) as refused:
        store.refresh("at-0")

    assert "-14002" in refused.value.reason
    assert not refused.value.ambiguous
    assert len(zalo.refreshes()) == 1
    item = stored_item(aws)
    assert (item["access_token"], item["refresh_token"], item["version"]) == ("at-0", "rt-0", "1")
    assert "lease_until" not in item and "lease_owner" not in item

    # When Zalo accepts again, a later refresh works with the kept refresh token
    zalo.secret_key = "secret-1"
    fresh = store.refresh("at-0")
    assert fresh == zalo.access_token
    assert [r.form()["refresh_token"] for r in zalo.refreshes()] == ["rt-0", "rt-0"]
    assert stored_item(aws)["version"] == "2"


def test_a_half_pair_from_zalo_is_never_stored(
    aws: Emulator, zalo: FakeZalo, store: ZaloTokenStore
) -> None:
    zalo.omit_from_refresh_answer = ("access_token",)

    with pytest.raises(ZaloTokenError):
        store.refresh("at-0")

    item = stored_item(aws)
    assert (item["access_token"], item["refresh_token"], item["version"]) == ("at-0", "rt-0", "1")
    assert "lease_until" not in item
    assert store.current() == "at-0"


def test_parallel_refreshers_all_fail_and_keep_the_old_pair_when_zalo_refuses(
    aws: Emulator, zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock, store: ZaloTokenStore
) -> None:
    stores = [store_for(zalo, pool, clock) for _ in range(5)]
    zalo.secret_key = "rotated-by-someone"  # Zalo now refuses the stores' secret: -14002
    start = threading.Barrier(len(stores))
    errors: list[ZaloTokenError] = []

    def refresh(s: ZaloTokenStore) -> None:
        start.wait()
        try:
            s.refresh("at-0")
        except ZaloTokenError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=refresh, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then every container fails; only one that found the lease free ever called Zalo (so the
    # calls never overlapped), and one that waited on the failing holder gave up instead.
    assert len(errors) == len(stores)
    refused = [e for e in errors if e.reason != "refresh_failed_elsewhere"]
    assert all("-14002" in e.reason for e in refused)
    assert len(zalo.refreshes()) == len(refused) >= 1
    assert stored_item(aws)["access_token"] == "at-0"
    assert "lease_until" not in stored_item(aws)


def test_a_live_lease_of_another_container_is_waited_for_then_given_up_without_calling_zalo(
    aws: Emulator, zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock, store: ZaloTokenStore
) -> None:
    put_lease(aws, "other-container", T0 + timedelta(seconds=30))
    waiting = store_for(zalo, pool, clock, max_polls=3)

    with pytest.raises(ZaloTokenError) as gave_up:
        waiting.refresh("at-0")

    assert gave_up.value.reason == "refresh_in_progress"
    assert zalo.refreshes() == []
    assert stored_item(aws)["lease_owner"] == "other-container"


def test_an_expired_lease_of_a_crashed_container_is_taken_over(
    aws: Emulator, zalo: FakeZalo, clock: Clock, store: ZaloTokenStore
) -> None:
    # Given a container took the lease at T0 and died before calling Zalo
    put_lease(aws, "crashed-container", T0 + timedelta(seconds=30))

    # When another container refreshes after the lease ran out
    clock.now = T0 + timedelta(seconds=31)
    fresh = store.refresh("at-0")

    # Then it refreshes once and clears the dead lease
    assert fresh == zalo.access_token
    assert len(zalo.refreshes()) == 1
    item = stored_item(aws)
    assert item["access_token"] == fresh
    assert item["version"] == "2"
    assert "lease_owner" not in item


def test_refresh_if_expiring_refreshes_only_inside_the_window(
    aws: Emulator, zalo: FakeZalo, clock: Clock, store: ZaloTokenStore
) -> None:
    # Seeded at T0 with expires_in 90000 s: the token expires at T0 + 25 h.
    clock.now = T0 + timedelta(hours=23, minutes=59)
    assert store.refresh_if_expiring(timedelta(hours=1)) is False
    assert zalo.refreshes() == []

    clock.now = T0 + timedelta(hours=24, minutes=1)
    assert store.refresh_if_expiring(timedelta(hours=1)) is True
    assert len(zalo.refreshes()) == 1
    item = stored_item(aws)
    assert item["access_token"] == zalo.access_token
    assert item["expires_at"].startswith("2026-06-03T09:01:00")  # refreshed at + 25 h

    assert store.refresh_if_expiring(timedelta(hours=1)) is False
    assert len(zalo.refreshes()) == 1


def test_a_pair_without_expires_in_is_assumed_to_last_one_hour(
    aws: Emulator, zalo: FakeZalo, pool: urllib3.PoolManager, clock: Clock
) -> None:
    store_for(zalo, pool, clock).seed(TokenPair("at-0", "rt-0", None))

    assert stored_item(aws)["expires_at"].startswith("2026-06-01T09:00:00")
