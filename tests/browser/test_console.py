"""The staff console in a real browser (Debian's Chromium driven by Playwright) against the
embedded stack, the console as `make console` builds it, on its own origin.

Given a fresh stack with a few delivered messages, staff sign in (a wrong password is told in
their language), land on the page they asked for, read the message log with its filters in the
URL, open a message's history, switch to English, find their page again after the session ended,
and sign out; an invited colleague sets a password at the first sign-in; the menu follows the
role and folds away on a 360 px phone. axe-core (from the console's node_modules, never a CDN)
finds no WCAG A/AA violation on any screen. Screenshots go to ``tests/browser/artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    emulator_client,
    field,
    new_unit,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-messages")]

CUSTOMER_PHONES = ("0912 345 671", "0912 345 672", "0912 345 679")  # ...9: SMS, no Zalo account

require_chromium()


@pytest.fixture(scope="module")
def messages(stack: DevstackProcess) -> list[dict[str, Any]]:
    """Three activations (two by Zalo, one falling back to SMS), their confirmations delivered."""
    admin = sign_in_by_api(stack, "admin")
    for index, phone in enumerate(CUSTOMER_PHONES):
        token = new_unit(stack, admin, f"CON-{index:04d}")
        activation = {
            "token": token,
            "customer": {"name": "Trần Thị Bình", "phone": phone, "province": "Huế"},
            "consents": {"warranty_service": True},
        }
        response = requests.post(f"{stack.api}/public/activations", json=activation, timeout=10)
        assert response.status_code == 201, response.text
    found: list[dict[str, Any]] = []

    def all_delivered() -> bool:
        answer = requests.get(
            f"{stack.api}/messages", params={"status": "delivered"}, headers=admin, timeout=10
        )
        found[:] = answer.json()["messages"]
        return len(found) >= len(CUSTOMER_PHONES)

    stack.wait_for(all_delivered, timeout=60)
    return found


# ---------------------------------------------------------------- helpers


def make_it_fail(stack: DevstackProcess, message_id: str) -> None:
    """Given a message the provider refused for good: its outbox item settled ``failed`` as the
    sender settles one (the fakes refuse only when told to, in the stack's own process)."""
    dynamodb = emulator_client(stack, "dynamodb")
    table = next(
        name for name in dynamodb.list_tables()["TableNames"] if name.endswith("-notifications")
    )
    dynamodb.update_item(
        TableName=table,
        Key={"message_id": {"S": message_id}},
        UpdateExpression="SET #status = :failed, error_class = :class, error_code = :code, "
        "reason = :reason, failed_at = :at REMOVE due_state, due_at",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={
            ":failed": {"S": "failed"},
            ":class": {"S": "config"},
            ":code": {"S": "-124"},
            ":reason": {"S": "config_error"},
            ":at": {"S": "2026-12-02T03:00:00.000000+0000"},
        },
    )


# ---------------------------------------------------------------- sign in and out


def test_a_deep_link_asks_to_sign_in_tells_a_wrong_password_and_then_opens_that_page(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    page.goto("/messages?status=delivered")

    expect(page).to_have_url("/sign-in?next=%2Fmessages%3Fstatus%3Ddelivered")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "sign-in-vi")

    sign_in(page, "cs", "Wrong@2026")

    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    assert axe_violations(page) == []
    shot(page, "sign-in-wrong-password-vi")

    sign_in(page, "cs", stack.password_of("cs"))

    expect(page).to_have_url("/messages?status=delivered")
    expect(page.get_by_role("heading", name="Tin nhắn")).to_be_visible()
    expect(page.get_by_test_id("user")).to_have_text("cs · Chăm sóc khách hàng")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(len(messages))
    expect(rows.first).to_contain_text("Đã đến máy")


def test_an_ended_session_asks_to_sign_in_again_and_returns_to_the_same_page(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    message_id = messages[0]["message_id"]
    page.goto(f"/messages/{message_id}")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(page.get_by_role("heading", name="Lịch sử")).to_be_visible()

    # The refresh token is refused (revoked, or past its lifetime) and the page reloads: the ID
    # token lived in memory only, so the session has ended.
    page.evaluate(
        "sessionStorage.setItem('garanti.console.refresh', 'a-refresh-token-the-pool-refuses')"
    )
    page.reload()

    expect(page).to_have_url(f"/sign-in?next=%2Fmessages%2F{message_id}")
    expect(page.get_by_role("status")).to_have_text(
        "Phiên làm việc đã hết. Đăng nhập lại để tiếp tục đúng trang bạn đang xem."
    )
    assert axe_violations(page) == []
    shot(page, "session-ended-vi")

    sign_in(page, "admin", stack.password_of("admin"))

    expect(page).to_have_url(f"/messages/{message_id}")
    expect(page.get_by_role("heading", name="Lịch sử")).to_be_visible()


def test_a_reload_keeps_the_session_of_this_tab_and_sign_out_ends_it(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    page.goto("/messages")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.locator("tbody tr")).to_have_count(len(messages))

    page.reload()  # the refresh token (sessionStorage) brings the session back
    expect(page.locator("tbody tr")).to_have_count(len(messages))

    page.get_by_role("button", name="Đăng xuất").click()

    expect(page).to_have_url("/sign-in")
    assert page.evaluate("sessionStorage.getItem('garanti.console.refresh')") is None
    page.goto("/messages")
    expect(page).to_have_url("/sign-in?next=%2Fmessages")
    expect(page.get_by_role("status")).to_have_count(0)  # signed out, not "session ended"


def test_an_invited_colleague_sets_a_password_at_the_first_sign_in(
    page: Page, stack: DevstackProcess
) -> None:
    cognito = emulator_client(stack, "cognito-idp")
    pool_id = cognito.list_user_pools(MaxResults=10)["UserPools"][0]["Id"]
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="lan", TemporaryPassword="Temp@2026lan",
        MessageAction="SUPPRESS",
    )  # fmt: skip
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="lan", GroupName="cs")
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()

    sign_in(page, "lan", "Temp@2026lan", language="en")

    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    field(page, "New password").fill("onlysmallletters")
    field(page, "New password again").fill("onlysmallletters")
    page.get_by_role("button", name="Save and sign in").click()
    # the pool's policy, told by the API on the field, in English
    expect(page.get_by_text("The password is too weak", exact=False).first).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "first-password-en")

    field(page, "New password").fill("Lan@2026mine")
    field(page, "New password again").fill("Lan@2026mine")
    page.get_by_role("button", name="Save and sign in").click()

    # signed in: customer service's home page is the dashboard (test_console_dashboard.py)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    login = requests.post(
        f"{stack.api}/auth/login", json={"username": "lan", "password": "Lan@2026mine"}, timeout=10
    )
    assert login.status_code == 200


# ---------------------------------------------------------------- the messages screen


def test_messages_are_filtered_in_the_url_a_message_shows_its_history_in_english(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, "cs", stack.password_of("cs"), language="en")
    page.get_by_role("navigation").get_by_role("link", name="Messages").click()

    expect(page.locator("tbody tr")).to_have_count(len(messages))
    expect(page.get_by_test_id("spend")).to_contain_text("Spent today")
    assert axe_violations(page) == []
    shot(page, "messages-en")

    page.get_by_role("textbox", name="Customer's phone").fill("0912345679")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url("/messages?phone=0912345679")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("+84 91* *** *79")

    page.get_by_role("link", name="Warranty activated").click()

    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_text("SMS", exact=True).first).to_be_visible()  # the channel, named
    expect(page.get_by_text("Delivered").first).to_be_visible()
    # delivered: nothing to send again
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "message-en")

    page.go_back()  # the filters live in the URL: back to the filtered list

    expect(page).to_have_url("/messages?phone=0912345679")
    expect(page.get_by_role("textbox", name="Customer's phone")).to_have_value("0912345679")

    page.get_by_role("textbox", name="Customer's phone").fill("12345")
    page.get_by_role("button", name="Search").click()

    # the API's phone error, in English, on the field (and no "try again" for a refusal)
    expect(page.get_by_role("textbox", name="Customer's phone")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("alert")).to_have_text("The phone number is not valid.")
    shot(page, "messages-bad-phone-en")


def test_a_status_filter_and_a_language_switch_keep_the_page(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    page.goto("/messages")
    sign_in(page, "accountant", stack.password_of("accountant"))

    page.get_by_role("combobox", name="Trạng thái").click()
    page.get_by_role("option", name="Thất bại").click()

    expect(page).to_have_url("/messages?status=failed")
    expect(page.get_by_text("Không có tin nhắn nào phù hợp.")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "messages-empty-vi")

    page.get_by_role("button", name="English").click()

    expect(page.get_by_text("No message matches.")).to_be_visible()
    expect(page).to_have_url("/messages?status=failed")
    page.reload()
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()  # the choice is kept


def test_customer_service_sends_a_failed_message_again(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    message_id = messages[-1]["message_id"]
    make_it_fail(stack, message_id)
    page.goto("/messages?status=failed")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Xác nhận kích hoạt bảo hành").click()
    # the message's own page, loaded (the list's "Thất bại" badge could answer before it)
    expect(page.get_by_role("button", name="Gửi lại")).to_be_visible()
    expect(page.get_by_text("Thất bại").first).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "message-failed-vi")

    page.get_by_role("button", name="Gửi lại").click()

    expect(page.get_by_text("Tin nhắn đã được xếp hàng để gửi lại.")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi lại")).to_have_count(0)
    expect(page.get_by_text("nhân viên gửi lại")).to_be_visible()  # the event the retry wrote
    shot(page, "message-retried-vi")
    # the stream sends it again: delivered once more
    stack.wait_for(
        lambda: (
            requests.get(
                f"{stack.api}/messages/{message_id}",
                headers=sign_in_by_api(stack, "cs"),
                timeout=10,
            ).json()["status"]
            == "delivered"
        ),
        timeout=60,
    )
    page.reload()
    expect(page.get_by_text("Đã đến máy").first).to_be_visible()


def test_an_activation_its_recipient_disowned_is_flagged_for_review(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    # Given the recipient of a confirmation followed its "not you? tell us" link and said so
    message_id = messages[1]["message_id"]
    cs = sign_in_by_api(stack, "cs")
    text = requests.get(f"{stack.api}/messages/{message_id}", headers=cs, timeout=10).json()["text"]
    match = re.search(r"/n/([A-Za-z0-9]+)/([A-Za-z2-7]{16})", text)
    assert match, text
    reported = requests.post(
        f"{stack.api}/public/not-me",
        json={"token": match.group(1), "code": match.group(2)},
        timeout=10,
    )
    assert reported.status_code == 200, reported.text

    # Then the message log marks it to review, and the message says what to check
    page.goto("/messages")
    sign_in(page, "cs", stack.password_of("cs"))
    row = page.locator("tbody tr").filter(has_text="Cần xem lại")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page.get_by_test_id("disputed")).to_contain_text("không phải tôi")
    assert axe_violations(page) == []
    shot(page, "message-disputed-vi")


def test_a_role_that_may_read_but_not_retry_sees_no_retry_button(
    page: Page, stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    message_id = messages[0]["message_id"]
    make_it_fail(stack, message_id)
    page.goto(f"/messages/{message_id}")
    sign_in(page, "director", stack.password_of("director"))

    expect(page.get_by_text("Thất bại").first).to_be_visible()
    expect(page.get_by_role("button", name="Gửi lại")).to_have_count(0)


# ---------------------------------------------------------------- roles and phones


def test_the_menu_follows_the_role(page: Page, stack: DevstackProcess) -> None:
    page.goto("/")
    sign_in(page, "technician", stack.password_of("technician"))

    expect(page.get_by_role("heading", name="Xin chào, technician")).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link")).to_have_text(
        [
            "Trang chủ",
            "Sản phẩm",
            "Yêu cầu của đối tác",
            "Thùng hàng",
            "Mẫu sản phẩm",
            "Phiếu bảo trì của tôi",
            "Phụ tùng & tồn kho",
            "Việc của tôi",
        ]
    )
    page.goto("/messages")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "technician-vi")


def test_on_a_360_px_phone_the_menu_folds_and_nothing_overflows(
    open_page: Callable[..., Page], stack: DevstackProcess, messages: list[dict[str, Any]]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/messages")
    assert no_horizontal_scroll(page)
    shot(page, "sign-in-360")
    sign_in(page, "cs", stack.password_of("cs"))

    # the table is a column of cards on a phone: each field titled, the card opens the message
    cards = page.get_by_test_id("record-card")
    expect(cards).to_have_count(len(messages))
    expect(cards.first).to_contain_text("Trạng thái")
    expect(page.locator("tbody tr")).to_have_count(0)
    expect(page.get_by_role("link", name="Tổng quan")).to_be_hidden()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "messages-360")

    page.get_by_role("button", name="Mở danh mục").click()

    expect(page.get_by_role("link", name="Tổng quan")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "menu-360")
    # customer service has one entry for its home, the dashboard (test_console_dashboard.py)
    expect(page.get_by_role("link", name="Trang chủ")).to_have_count(0)
    page.get_by_role("link", name="Tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Tổng quan")).to_be_hidden()  # the menu folds again

    page.goto("/messages")
    page.get_by_test_id("record-card").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Lịch sử")).to_be_visible()
    shot(page, "message-360")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
