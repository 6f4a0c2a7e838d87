"""The installer partners' portal page (``/partner``) in a real browser against the embedded
stack: a technician signs up on a 360 px phone in Vietnamese (the code read from the dev inbox)
and lands on the pending page; the approved demo partner signs in in English; a wrong code
tells the attempts left; a suspended partner's kept session is refused with the reason. axe-core
finds nothing on each page; screenshots go to ``tests/browser/artifacts/partner-*.png``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.browser import chromium, page_opener, require_chromium
from tests.support.console import AXE, axe_violations, no_horizontal_scroll, sign_in_by_api
from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SMALL_PHONE = {"width": 360, "height": 800}
ARTIFACTS = Path(__file__).parent / "artifacts"
APPROVED_DEMO = "0909000101"  # devstack/demo.py: Trần Văn Hùng, approved
SUSPENDED_DEMO = "0909000103"  # Phạm Quốc Bảo, suspended

require_chromium()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Browser, stack: DevstackProcess) -> Iterator[Callable[..., Page]]:
    web = f"http://127.0.0.1:{stack.ports['web']}"
    with page_opener(browser, base_url=web, viewport=SMALL_PHONE, init_script=AXE) as new_page:
        yield new_page


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"partner-{name}.png"), full_page=True)


def partner_code(stack: DevstackProcess, phone: str, after: int = 0) -> str:
    """The newest partner code sent to ``phone`` once there are more than ``after`` of them."""

    def codes(messages: list[dict[str, str]]) -> list[dict[str, str]]:
        return [m for m in messages if m["template"] == "partner_code"]

    messages = stack.wait_for_inbox(phone, lambda ms: len(codes(ms)) > after)
    found = re.search(r"\b(\d{6})\b", codes(messages)[0]["text"])  # newest first
    assert found
    return found.group(1)


def sent_codes(stack: DevstackProcess, phone: str) -> int:
    response = requests.get(f"{stack.api}/dev/inbox", params={"phone": phone}, timeout=10)
    return sum(1 for m in response.json()["messages"] if m["template"] == "partner_code")


def clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


def test_a_technician_signs_up_on_a_phone_in_vietnamese(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    phone = "0987 654 321"
    page = open_page()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Dành cho thợ lắp đặt")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối tác lắp đặt")
    clean(page)
    shot(page, "start-vi")

    page.get_by_role("button", name="Đăng ký làm đối tác lắp đặt").click()
    page.fill("#phone", phone)
    before = sent_codes(stack, phone)
    page.get_by_role("button", name="Gửi mã").click()
    expect(page.locator("#code")).to_be_focused()
    expect(page.locator("#resend")).to_be_disabled()  # the resend timer
    expect(page.locator("#resend")).to_contain_text("giây")
    page.fill("#code", partner_code(stack, phone, before))
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.locator("#details-form")).to_be_visible()
    # the 34 units, grouped; the bank found by its short name; the holder as the bank prints it
    assert page.locator("#province optgroup").count() == 2
    assert page.locator("#province option[value]:not([value=''])").count() == 34
    page.fill("#name", "Đặng Văn Đức")
    page.fill("#citizen_id", "001203004567")
    page.select_option("#province", "Cần Thơ")
    page.fill("#bank_search", "vietcombank")
    expect(page.locator("#bank_bin")).to_have_value("970436")
    page.fill("#account_number", "0011 0045 67890")
    page.fill("#account_holder", "Đặng Văn Đức")
    expect(page.locator("#holder-printed")).to_have_text("DANG VAN DUC")
    page.fill("#tax_code", "12345")
    page.get_by_role("button", name="Gửi đăng ký").click()
    # the page's own checks: the tax code and the missing consent, on their fields
    expect(page.locator("#tax_code-err")).to_contain_text("Mã số thuế phải có 10 chữ số")
    expect(page.locator("#consent-err")).to_contain_text("Bạn cần đồng ý")
    clean(page)
    shot(page, "details-errors-vi")

    page.fill("#tax_code", "")
    page.check("#consent")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#welcome")).to_have_text(
        "Đã gửi đăng ký. Hồ sơ của bạn đang chờ hãng duyệt."
    )
    expect(page.locator("#me-status")).to_have_text("Đang chờ duyệt")
    expect(page.locator("#me-citizen")).to_have_text(re.compile(r"^\*+4567$"))  # masked
    expect(page.locator("#partner-later")).to_contain_text("Sắp có")
    clean(page)
    shot(page, "pending-vi")

    # the session lasts: the page opened again is still signed in, with no code
    page.reload()
    expect(page.locator("#me-status")).to_have_text("Đang chờ duyệt")
    token = json.loads(page.evaluate("localStorage.getItem('garanti.partner')"))["token"]
    assert token.startswith("pst_")

    # signing out forgets the token and ends the session on the server
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    assert page.evaluate("localStorage.getItem('garanti.partner')") is None

    def refused() -> bool:
        me = requests.get(
            f"{stack.api}/partner/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        return me.status_code == 401

    stack.wait_for(refused, 10)


def test_the_approved_demo_partner_signs_in_in_english_after_a_wrong_code(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page()
    page.goto("/partner")
    page.locator("#lang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Installer partners")
    page.get_by_role("button", name="Sign in").click()
    page.fill("#phone", APPROVED_DEMO)
    before = sent_codes(stack, APPROVED_DEMO)
    page.get_by_role("button", name="Send code").click()
    code = partner_code(stack, APPROVED_DEMO, before)
    wrong = "000000" if code != "000000" else "111111"
    page.fill("#code", wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-err")).to_contain_text(re.compile(r"\d+ (more )?attempts?"))
    clean(page)
    shot(page, "wrong-code-en")

    page.fill("#code", code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=2, name="Trần Văn Hùng")).to_be_visible()
    expect(page.locator("#me-status")).to_have_text("Approved")
    expect(page.locator("#me-explain")).to_contain_text("you can activate")
    expect(page.locator("#me-account")).to_have_text(re.compile(r"^\*+3456$"))
    clean(page)
    shot(page, "approved-en")


def test_a_suspended_partners_session_is_refused_with_the_reason(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    staff = sign_in_by_api(stack, "director")
    phone = "0977 000 555"
    created = requests.post(
        f"{stack.api}/partners",
        headers=staff,
        json={
            "phone": phone,
            "name": "Hoàng Văn Tú",
            "citizen_id": "001099001111",
            "province": "Huế",
            "bank_bin": "970436",
            "account_number": "0011000999888",
            "account_holder": "HOANG VAN TU",
            "consent": True,
            "status": "approved",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    partner_id = created.json()["partner_id"]
    before = sent_codes(stack, phone)
    sent = requests.post(f"{stack.api}/partner/codes", json={"phone": phone}, timeout=10)
    assert sent.status_code == 202, sent.text
    session = requests.post(
        f"{stack.api}/partner/sessions",
        json={"phone": phone, "code": partner_code(stack, phone, before)},
        timeout=10,
    )
    assert session.status_code == 200, session.text
    token = session.json()["session"]["token"]

    page = open_page()
    page.goto("/partner")
    page.evaluate("t => localStorage.setItem('garanti.partner', JSON.stringify({token: t}))", token)
    page.reload()
    expect(page.locator("#me-status")).to_have_text("Đã duyệt")

    suspended = requests.post(
        f"{stack.api}/partners/{partner_id}/status",
        headers=staff,
        json={"status": "suspended", "note": "Kích hoạt hộ không đúng quy định"},
        timeout=10,
    )
    assert suspended.status_code == 200, suspended.text
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("#partner-alert")).to_contain_text("Vui lòng đăng nhập lại")
    assert page.evaluate("localStorage.getItem('garanti.partner')") is None
    clean(page)
    shot(page, "session-refused-vi")

    # the suspended demo partner signing in is told so, with the way to reach the brand
    page.get_by_role("button", name="Quay lại").click()
    page.get_by_role("button", name="Đăng nhập").click()
    page.fill("#phone", SUSPENDED_DEMO)
    before = sent_codes(stack, SUSPENDED_DEMO)
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", partner_code(stack, SUSPENDED_DEMO, before))
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#partner-alert")).to_contain_text("tạm ngưng")


def test_the_apis_refusals_of_a_sign_up_show_on_the_fields_the_code_and_in_words(
    open_page: Callable[..., Page],
) -> None:
    """The API's answers, played by the page's network: a 400's field errors on their fields, a
    wrong code back on the code step with the attempts left (the details kept), and a phone
    that is already a partner's with the way to sign in."""
    answers: list[tuple[int, dict[str, Any]]] = [
        (
            400,
            {
                "error": {
                    "code": "invalid_input",
                    "message": "Kiểm tra lại các trường.",
                    "fields": [
                        {"field": "citizen_id", "code": "citizen_id_invalid", "message": "x"},
                        {
                            "field": "account_number",
                            "code": "account_number_invalid",
                            "message": "x",
                        },
                    ],
                }
            },
        ),
        (401, {"error": {"code": "otp_wrong_code", "message": "x", "attempts_left": 2}}),
        (409, {"error": {"code": "partner_exists", "message": "x"}}),
    ]
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"}

    def reply(route: Route, status: int, body: dict[str, Any]) -> None:
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers={**cors, "Access-Control-Allow-Methods": "POST"})
        else:
            route.fulfill(status=status, headers=cors, json=body)

    page = open_page()
    page.route(
        "**/partner/codes", lambda route: reply(route, 202, {"sent": True, "resend_after": 60})
    )
    page.route("**/partner/signup", lambda route: reply(route, *answers[0]))
    page.goto("/partner")
    page.get_by_role("button", name="Đăng ký làm đối tác lắp đặt").click()
    page.fill("#phone", "0987 000 111")
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", "123456")
    page.get_by_role("button", name="Tiếp tục").click()
    page.fill("#name", "Đặng Văn Đức")
    page.fill("#citizen_id", "001203004567")
    page.select_option("#province", "Huế")
    page.fill("#bank_search", "Techcombank")
    page.fill("#account_number", "0011004567890")
    page.fill("#account_holder", "Dang Van Duc")
    page.check("#consent")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#citizen_id-err")).to_have_text("Số CCCD/CMND phải có 9 hoặc 12 chữ số.")
    expect(page.locator("#account_number-err")).to_contain_text("từ 6 đến 19 chữ số")
    expect(page.locator("#citizen_id")).to_be_focused()
    assert axe_violations(page) == []

    answers.pop(0)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#code-err")).to_have_text("Mã không đúng. Bạn còn 2 lần thử.")
    page.fill("#code", "654321")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator("#name")).to_have_value("Đặng Văn Đức")  # the details were kept
    expect(page.locator("#province")).to_have_value("Huế")

    answers.pop(0)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#partner-alert")).to_contain_text("đã đăng ký làm đối tác")
    page.locator("#partner-alert").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    clean(page)
    shot(page, "signin-after-exists-vi")
