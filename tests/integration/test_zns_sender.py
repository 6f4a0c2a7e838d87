"""ZnsSender and the OA token refresh against a fake Zalo over real HTTP (docs/reference/zalo.md,
reliability.md#exactly-once-notifications). What every adapter promises (timeouts, dropped
connections, logs) is the contract suite's: test_provider_contract.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import urllib3

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import SendRequest
from chalicelib.messaging.providers.zns import (
    ZaloTokenError,
    ZnsSender,
    new_pool,
    refresh_access_token,
    tracking_id_for,
)
from devstack.fakes.zalo import FakeZalo, InMemoryAccessTokens, running_fake_zalo
from tests.support.timeouts import PATIENT

REQUEST = SendRequest(
    message_id="msg_01HZX3K7Q2",
    to_e164="+84912345678",
    text="",
    template_id="7895417a7d3f9461cd2e",
    template_data={"customer": "Nguyễn Thị Hoàng Anh", "serial": "SN240001234"},
)


@pytest.fixture
def zalo() -> Iterator[FakeZalo]:
    with running_fake_zalo() as fake:
        yield fake


@pytest.fixture
def pool() -> urllib3.PoolManager:
    return new_pool()


def tokens_for(zalo: FakeZalo, pool: urllib3.PoolManager, access: str) -> InMemoryAccessTokens:
    return InMemoryAccessTokens(
        pool,
        zalo.url,
        app_id=zalo.app_id,
        secret_key=zalo.secret_key,
        access_token=access,
        refresh_token="rt-0",
    )


def sender_for(zalo: FakeZalo, pool: urllib3.PoolManager, access: str = "at-0") -> ZnsSender:
    return ZnsSender(tokens_for(zalo, pool, access), pool, base_url=zalo.url, timeout=PATIENT)


def test_send_posts_the_template_and_returns_the_msg_id(
    zalo: FakeZalo, pool: urllib3.PoolManager
) -> None:
    result = sender_for(zalo, pool).send(REQUEST)

    assert result.error_class is ErrorClass.OK
    assert result.accepted and not result.ambiguous
    assert result.provider == "zns"
    assert result.provider_message_id == "msg00000000000000001"
    [sent] = zalo.requests
    assert sent.path == "/message/template"
    assert sent.headers["access_token"] == "at-0"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {
        "phone": "84912345678",
        "template_id": "7895417a7d3f9461cd2e",
        "template_data": {"customer": "Nguyễn Thị Hoàng Anh", "serial": "SN240001234"},
        "tracking_id": "msg_01HZX3K7Q2",
    }


def test_invalid_token_is_refreshed_once_and_the_send_retried_once(
    zalo: FakeZalo, pool: urllib3.PoolManager
) -> None:
    sender = sender_for(zalo, pool, access="at-expired")  # Zalo answers -124 for it

    result = sender.send(REQUEST)

    assert result.error_class is ErrorClass.OK
    assert [r.path for r in zalo.requests] == [
        "/message/template",
        "/v4/oa/access_token",
        "/message/template",
    ]
    refresh = zalo.refreshes()[0]
    assert refresh.headers["secret_key"] == "secret-1"
    assert refresh.form() == {
        "refresh_token": "rt-0",
        "app_id": "app-1",
        "grant_type": "refresh_token",
    }
    assert zalo.sends()[1].headers["access_token"] == zalo.access_token != "at-0"


def test_a_second_token_error_is_reported_not_looped(
    zalo: FakeZalo, pool: urllib3.PoolManager
) -> None:
    zalo.fail_next_sends(-124, -124)

    result = sender_for(zalo, pool).send(REQUEST)

    assert result.error_class is ErrorClass.TOKEN_INVALID
    assert result.error_code == "-124"
    assert not result.accepted
    assert len(zalo.refreshes()) == 1
    assert len(zalo.sends()) == 2


def test_a_failed_refresh_reports_the_token_error_without_resending(
    zalo: FakeZalo, pool: urllib3.PoolManager
) -> None:
    zalo.refresh_tokens.clear()  # the refresh token was spent elsewhere
    zalo.fail_next_sends(-216)

    result = sender_for(zalo, pool).send(REQUEST)

    assert result.error_class is ErrorClass.TOKEN_INVALID
    assert len(zalo.refreshes()) == 1
    assert len(zalo.sends()) == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (-118, ErrorClass.PERMANENT_RECIPIENT),  # no Zalo account: fall back to SMS
        (-133, ErrorClass.NIGHT_WINDOW),
        (-144, ErrorClass.QUOTA),
        (-100, ErrorClass.TRANSIENT),
        (-131, ErrorClass.CONFIG),
        (-999, ErrorClass.UNKNOWN),
    ],
)
def test_zalo_error_codes_are_classified_and_sent_once(
    zalo: FakeZalo, pool: urllib3.PoolManager, code: int, expected: ErrorClass
) -> None:
    zalo.fail_next_sends(code)

    result = sender_for(zalo, pool).send(REQUEST)

    assert result.error_class is expected
    assert result.error_code == str(code)
    assert not result.ambiguous
    assert len(zalo.requests) == 1


def test_error_code_as_string_is_classified(zalo: FakeZalo, pool: urllib3.PoolManager) -> None:
    zalo.respond_next_send(200, b'{"error": "-118", "message": "Zalo account not existed"}')

    assert sender_for(zalo, pool).send(REQUEST).error_class is ErrorClass.PERMANENT_RECIPIENT


@pytest.mark.parametrize(
    ("status", "body", "expected", "ambiguous"),
    [
        (503, b"<html>Service Unavailable</html>", ErrorClass.TRANSIENT, False),
        (500, b"", ErrorClass.TRANSIENT, False),
        (504, b"<html>Gateway Timeout</html>", ErrorClass.UNKNOWN, True),
        (429, b"", ErrorClass.QUOTA, False),
        (200, b"<html>not json</html>", ErrorClass.UNKNOWN, True),
        (
            400,
            b'{"error": -108, "message": "Phone number invalid"}',
            ErrorClass.PERMANENT_RECIPIENT,
            False,
        ),
    ],
)
def test_http_level_answers_are_classified(
    zalo: FakeZalo,
    pool: urllib3.PoolManager,
    status: int,
    body: bytes,
    expected: ErrorClass,
    ambiguous: bool,
) -> None:
    zalo.respond_next_send(status, body)

    result = sender_for(zalo, pool).send(REQUEST)

    assert (result.error_class, result.ambiguous) == (expected, ambiguous)
    assert len(zalo.sends()) == 1


def test_long_message_id_becomes_a_short_deterministic_tracking_id(
    zalo: FakeZalo, pool: urllib3.PoolManager
) -> None:
    long_id = "outbox#2024-06-01#unit:SN240001234#" + "x" * 40
    request = SendRequest(long_id, "+84912345678", "", "tpl", {"a": "b"})

    sender_for(zalo, pool).send(request)
    sender_for(zalo, pool).send(request)

    first, second = (r.json()["tracking_id"] for r in zalo.sends())
    assert first == second == tracking_id_for(long_id)
    assert len(first) <= 48
    assert first.replace("_", "").replace("-", "").isalnum()
    assert tracking_id_for(long_id + "y") != first


def test_refresh_returns_the_new_pair(zalo: FakeZalo, pool: urllib3.PoolManager) -> None:
    pair = refresh_access_token(pool, "app-1", "secret-1", "rt-0", zalo.url)

    assert pair.access_token == zalo.access_token
    assert pair.refresh_token in zalo.refresh_tokens
    assert pair.expires_in == 90000
    assert "at-" not in repr(pair)  # tokens never reach a log through repr


@pytest.mark.parametrize("expires_in", ["90000", 90000])
def test_refresh_parses_expires_in_as_string_or_int(
    zalo: FakeZalo, pool: urllib3.PoolManager, expires_in: int | str
) -> None:
    zalo.expires_in = expires_in

    pair = refresh_access_token(pool, "app-1", "secret-1", "rt-0", zalo.url)

    assert pair.expires_in == 90000


def test_a_used_refresh_token_raises(zalo: FakeZalo, pool: urllib3.PoolManager) -> None:
    refresh_access_token(pool, "app-1", "secret-1", "rt-0", zalo.url)

    with pytest.raises(ZaloTokenError):
        refresh_access_token(pool, "app-1", "secret-1", "rt-0", zalo.url)

    assert len(zalo.refreshes()) == 2


@pytest.mark.parametrize("missing", ["access_token", "refresh_token"])
def test_a_half_pair_raises_instead_of_being_returned(
    zalo: FakeZalo, pool: urllib3.PoolManager, missing: str
) -> None:
    zalo.omit_from_refresh_answer = (missing,)

    with pytest.raises(ZaloTokenError):
        refresh_access_token(pool, "app-1", "secret-1", "rt-0", zalo.url)
