"""OaChat (replies in the Zalo OA chat) against the fake Zalo over real HTTP: the body Zalo's OA
API v3 takes, one attempt, one token refresh on -124/-216/-220, nothing raised, nothing private
logged (docs/reference/zalo.md#zns-error-codes, zalo.md#token-refresh;
docs/reference/security.md#t-c9, security.md#t-c17)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator

import pytest

from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.oa_chat import REPLY_TIMEOUT, OaChat
from chalicelib.messaging.providers.zns import TokenPair, new_pool, refresh_access_token
from chalicelib.messaging.token_repository import ZaloTokenStore
from devstack.fakes.zalo import FakeZalo, InMemoryAccessTokens, running_fake_zalo
from tests.support.aws import Emulator
from tests.support.timeouts import PATIENT

USER = "246845883529197922"
TEXT = "Serial SN240001234 đã được kích hoạt. Số của bạn: 0912345678"


@pytest.fixture
def zalo() -> Iterator[FakeZalo]:
    with running_fake_zalo() as fake:
        yield fake


def chat_for(zalo: FakeZalo, access: str = "at-0", base_url: str | None = None) -> OaChat:
    pool = new_pool()
    tokens = InMemoryAccessTokens(
        pool,
        zalo.url,
        app_id=zalo.app_id,
        secret_key=zalo.secret_key,
        access_token=access,
        refresh_token="rt-0",
    )
    return OaChat(tokens, pool, base_url=base_url or zalo.url, timeout=PATIENT)


def test_send_text_posts_the_text_to_the_user_with_the_oa_token(zalo: FakeZalo) -> None:
    result = chat_for(zalo).send_text(USER, TEXT)

    assert result.accepted and result.error_class is ErrorClass.OK and not result.ambiguous
    assert (result.provider, result.error_code) == ("zalo_oa", "0")
    assert result.provider_message_id is not None and result.provider_message_id.startswith("cs")
    [sent] = zalo.requests
    assert (sent.method, sent.path) == ("POST", "/v3.0/oa/message/cs")
    assert sent.headers["access_token"] == "at-0"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {"recipient": {"user_id": USER}, "message": {"text": TEXT}}
    assert "đã được".encode() in sent.body  # UTF-8, not \\u escapes
    assert zalo.chat_messages(USER) == [{"text": TEXT}]


def test_request_user_info_sends_the_share_card(zalo: FakeZalo) -> None:
    result = chat_for(zalo).request_user_info(USER, "Chia sẻ số điện thoại", "Để kích hoạt")

    assert result.accepted
    assert zalo.chats()[0].json() == {
        "recipient": {"user_id": USER},
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "request_user_info",
                    "elements": [
                        {
                            "title": "Chia sẻ số điện thoại",
                            "subtitle": "Để kích hoạt",
                            "image_url": "",
                        }
                    ],
                },
            }
        },
    }


def test_texts_and_card_lines_are_cut_to_zalos_limits(zalo: FakeZalo) -> None:
    chat = chat_for(zalo)

    chat.send_text(USER, "x" * 2500)
    chat.request_user_info(USER, "t" * 150, "s" * 600)

    text, card = (r.json()["message"] for r in zalo.chats())
    element = card["attachment"]["payload"]["elements"][0]
    assert len(text["text"]) == 2000
    assert (len(element["title"]), len(element["subtitle"])) == (100, 500)


def test_an_invalid_token_is_refreshed_once_and_the_message_sent_once_more(
    zalo: FakeZalo,
) -> None:
    result = chat_for(zalo, access="at-expired").send_text(USER, TEXT)  # Zalo says -124

    assert result.accepted
    assert [r.path for r in zalo.requests] == [
        "/v3.0/oa/message/cs",
        "/v4/oa/access_token",
        "/v3.0/oa/message/cs",
    ]
    assert zalo.chats()[1].headers["access_token"] == zalo.access_token != "at-0"
    assert zalo.chat_messages(USER) == [{"text": TEXT}]


@pytest.mark.parametrize("code", [-216, -220])
def test_the_oa_apis_token_codes_refresh_too(zalo: FakeZalo, code: int) -> None:
    zalo.fail_next_sends(code)

    result = chat_for(zalo).send_text(USER, TEXT)

    assert result.accepted
    assert (len(zalo.refreshes()), len(zalo.chats())) == (1, 2)


def test_a_second_token_error_is_reported_not_looped(zalo: FakeZalo) -> None:
    zalo.fail_next_sends(-124, -124)

    result = chat_for(zalo).send_text(USER, TEXT)

    assert result.error_class is ErrorClass.TOKEN_INVALID and result.error_code == "-124"
    assert not result.accepted
    assert (len(zalo.refreshes()), len(zalo.chats())) == (1, 2)


def test_a_failed_refresh_is_reported_without_sending_again(zalo: FakeZalo) -> None:
    zalo.refresh_tokens.clear()  # the refresh token was spent elsewhere
    zalo.fail_next_sends(-124)

    result = chat_for(zalo).send_text(USER, TEXT)

    assert result.error_class is ErrorClass.TOKEN_INVALID and not result.accepted
    assert (len(zalo.refreshes()), len(zalo.chats())) == (1, 1)


@pytest.mark.parametrize("code", [-213, -230, -108])
def test_other_zalo_codes_are_reported_unknown_with_one_attempt(zalo: FakeZalo, code: int) -> None:
    """The OA API's codes are not the ZNS table's (-108 is "phone invalid" there)."""
    zalo.fail_next_sends(code)

    result = chat_for(zalo).send_text(USER, TEXT)

    assert result.error_class is ErrorClass.UNKNOWN and result.error_code == str(code)
    assert (len(zalo.chats()), zalo.refreshes()) == (1, [])


@pytest.mark.parametrize(
    ("status", "body", "expected", "ambiguous"),
    [
        (200, b"<html>", "http_200", True),
        (502, b"Bad gateway", "http_502", False),
        (404, b"{}", "http_404", False),
    ],
)
def test_an_unreadable_or_failed_http_answer_is_reported(
    zalo: FakeZalo, status: int, body: bytes, expected: str, ambiguous: bool
) -> None:
    zalo.respond_next_send(status, body)

    result = chat_for(zalo).send_text(USER, TEXT)

    assert (result.error_code, result.ambiguous, result.accepted) == (expected, ambiguous, False)
    assert len(zalo.chats()) == 1


def test_a_slow_zalo_costs_one_attempt_within_the_reply_timeout(zalo: FakeZalo) -> None:
    zalo.latency = 1.5  # longer than the reply's 1 s read timeout
    pool = new_pool()
    tokens = InMemoryAccessTokens(
        pool, zalo.url, app_id="app-1", secret_key="secret-1", access_token="at-0", refresh_token=""
    )
    chat = OaChat(tokens, pool, base_url=zalo.url, timeout=REPLY_TIMEOUT)

    result = chat.send_text(USER, TEXT)

    assert result.error_class is ErrorClass.UNKNOWN and result.ambiguous
    assert result.error_code == "no_answer"
    assert len(zalo.chats()) == 1  # no urllib3 retry


def test_nothing_listening_is_a_transient_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running_fake_zalo() as zalo:
        chat = chat_for(zalo, base_url=f"http://127.0.0.1:{port}")

        result = chat.send_text(USER, TEXT)

    assert result.error_class is ErrorClass.TRANSIENT and not result.ambiguous
    assert result.error_code == "connect_failed"


def test_no_installed_token_pair_is_reported_not_raised(aws: Emulator, zalo: FakeZalo) -> None:
    def refresher(refresh_token: str) -> TokenPair:
        return refresh_access_token(
            new_pool(), zalo.app_id, zalo.secret_key, refresh_token, zalo.url
        )

    store = ZaloTokenStore("zalo#oa-never-consented", refresher)

    result = OaChat(store, new_pool(), base_url=zalo.url, timeout=PATIENT).send_text(USER, TEXT)

    assert (result.error_class, result.error_code) == (ErrorClass.CONFIG, "no_token")
    assert zalo.requests == []


def test_the_token_store_refreshes_for_the_chat_as_for_zns(aws: Emulator, zalo: FakeZalo) -> None:
    pool = new_pool()
    store = ZaloTokenStore(
        "zalo#oa-1",
        lambda rt: refresh_access_token(pool, zalo.app_id, zalo.secret_key, rt, zalo.url),
    )
    store.seed(TokenPair("at-stale", "rt-0", 90000))  # Zalo holds "at-0": -124 for this one

    result = OaChat(store, pool, base_url=zalo.url, timeout=PATIENT).send_text(USER, TEXT)

    assert result.accepted
    assert len(zalo.refreshes()) == 1 and store.current() == zalo.access_token


def test_logs_carry_neither_the_text_nor_a_phone_nor_the_token(
    zalo: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="garanti")
    chat = chat_for(zalo, access="at-expired")

    chat.send_text(USER, TEXT)
    zalo.fail_next_sends(-230)
    chat.request_user_info(USER, "Chia sẻ 0912345678", "Để kích hoạt")

    logged = "\n".join(
        record.getMessage() + json.dumps(_fields(record), default=str, ensure_ascii=False)
        for record in caplog.records
    )
    assert "zalo oa message accepted" in logged and "zalo oa message not accepted" in logged
    assert "0912345678" not in logged and "kích hoạt" not in logged and "SN240001234" not in logged
    assert "at-expired" not in logged and zalo.access_token not in logged


def _fields(record: logging.LogRecord) -> dict[str, object]:
    clock = {"created", "msecs", "relativeCreated", "thread", "process", "taskName"}
    return {k: v for k, v in vars(record).items() if k not in clock}
