# ruff: noqa: F811 - the tests take test_portal's fixtures, imported by name, as arguments
"""Issue 11 in a real browser: an activation whose answer was lost, the phone's one-time code
when the brand asks for it, and "this wasn't me" from the confirmation message's link. Then the
customer's own data on "my products" (download, consent, erasure) and a unit's transfer to a
new owner, on a 360 px phone.

Same stack and helpers as ``test_portal.py`` (its fixtures are reused, not copied).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from tests.browser.test_portal import (  # noqa: F401 - fixtures are found by name
    ARTIFACTS,
    CUSTOMER,
    SMALL_PHONE,
    activate_by_api,
    activation_posts,
    browser,
    fill_activation,
    lookup_code,
    new_unit,
    open_page,
    page,
    shot,
    stack,
    staff,
    unit_view,
    vi_date,
    web,
)
from tests.support.devstack_process import DevstackProcess

DONE = "Đã kích hoạt bảo hành"


def test_a_lost_answer_then_retry_shows_the_confirmation(
    stack: DevstackProcess,
    staff: dict[str, str],
    page: Page,
) -> None:
    # Given an activation whose request reaches the server but whose answer is lost
    token = new_unit(stack, staff, "OWN-0001", "AC-INV-12")
    keys: list[str | None] = []

    def lose_the_first_answer(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server activates the unit…
            route.abort("connectionreset")  # …and the page never hears of it
        else:
            route.continue_()

    page.route("**/public/activations", lose_the_first_answer)
    page.goto(f"/q/{token}")
    fill_activation(page, phone="0912 000 611")
    page.get_by_role("button", name="Kích hoạt bảo hành").click()
    expect(page.locator("#activate-alert")).to_contain_text("Không kết nối được")
    assert unit_view(stack, token)["status"] == "activated"

    # When the customer taps "try again"
    page.get_by_role("button", name="Thử lại").click()

    # Then the confirmation is shown, not "already activated": the same attempt, the same key
    expect(page.get_by_role("heading", level=1)).to_have_text(DONE)
    expect(page.locator(".alert.info")).to_have_count(0)
    assert len(keys) == 2 and keys[0] == keys[1]
    assert keys[0] is not None and len(keys[0]) == 36
    shot(page, "own-01-retry-after-a-lost-answer")


# ---------------------------------------------------------------- the phone's code


@pytest.fixture
def confirming(stack: DevstackProcess, staff: dict[str, str]) -> Iterator[None]:
    """The brand confirms phones at activation for the test, then no longer."""
    brand = requests.get(f"{stack.api}/brand", headers=staff, timeout=10).json()
    body = {"name": brand["name"], "serial_prefix": brand["serial_prefix"]}
    theme = dict(brand["theme"])
    colors = theme.pop("colors")
    body["theme"] = {**theme, **colors}
    turned = requests.put(
        f"{stack.api}/brand", json={**body, "confirm_phone": True}, headers=staff, timeout=10
    )
    assert turned.status_code == 200, turned.text
    yield
    requests.put(f"{stack.api}/brand", json=body, headers=staff, timeout=10)


def code_sent(stack: DevstackProcess, phone: str, kind: str = "activation_code") -> str:
    messages = stack.wait_for_inbox(phone, lambda ms: any(m["template"] == kind for m in ms))
    newest = next(m for m in messages if m["template"] == kind)  # newest first
    found = re.search(r"\b(\d{6})\b", newest["text"])
    assert found, newest["text"]
    return found.group(1)


@pytest.mark.usefixtures("confirming")
def test_a_brand_that_confirms_phones_asks_for_the_code_before_activating(
    stack: DevstackProcess,
    staff: dict[str, str],
    page: Page,
) -> None:
    # Given a brand that confirms phones, and a customer who filled the form
    token = new_unit(stack, staff, "OWN-0002", "AC-INV-12")
    posts = activation_posts(page)
    page.goto(f"/q/{token}")
    fill_activation(page, phone="0912 000 622")
    page.get_by_role("button", name="Kích hoạt bảo hành").click()

    # Then the page asks for the code sent to that phone, before any activation is sent
    expect(page.get_by_role("heading", name="Xác nhận số điện thoại")).to_be_visible()
    expect(page.locator("#phone-code-alert")).to_contain_text("091* *** *22")
    expect(page.locator("#activate-form")).to_be_hidden()
    code = code_sent(stack, "0912 000 622")
    assert posts == []
    shot(page, "own-02-phone-code")

    # When the customer goes back to fix the name, the form still holds what was typed
    page.get_by_role("button", name="Sửa thông tin").click()
    expect(page.locator("#name")).to_have_value(CUSTOMER)
    page.get_by_role("button", name="Kích hoạt bảo hành").click()

    # When a wrong code is typed, the page says so and the unit stays not activated
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page.fill("#phone-code", wrong)
    page.get_by_role("button", name="Xác nhận và kích hoạt").click()
    expect(page.locator("#phone-code-err")).to_contain_text("Bạn còn 4 lần thử")
    assert unit_view(stack, token)["status"] == "not_activated"

    # When the right code is typed (the same one: going back sent no new code)
    page.fill("#phone-code", code)
    page.get_by_role("button", name="Xác nhận và kích hoạt").click()

    # Then the unit is activated
    expect(page.get_by_role("heading", level=1)).to_have_text(DONE)
    assert unit_view(stack, token)["status"] == "activated"
    assert len(posts) == 2


# ---------------------------------------------------------------- "not you? tell us"


def test_the_confirmation_s_not_me_link_flags_the_activation_once(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given an activation whose confirmation reached a phone whose owner did not activate it
    token = new_unit(stack, staff, "OWN-0003", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 633")
    messages = stack.wait_for_inbox(
        "0912 000 633", lambda ms: any(m["template"] == "activation_confirmed" for m in ms)
    )
    text = next(m["text"] for m in messages if m["template"] == "activation_confirmed")
    found = re.search(r"https?://[^/\s]+(/n/[A-Za-z0-9]+/[A-Z2-7]{16})", text)
    assert found, text

    # When they open the link and say it was not them
    page = open_page()
    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Không phải bạn kích hoạt?")
    shot(page, "own-03-not-me")
    page.get_by_role("button", name="Đây không phải tôi").click()

    # Then they are thanked and given the brand's hotline
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã báo")
    expect(page.locator("#not-me-hotline")).to_have_attribute("href", "tel:18006868")
    shot(page, "own-04-not-me-thanks")

    # And saying it twice (another browser) records one event in the unit's history
    again = open_page()
    again.goto(found.group(1))
    again.get_by_role("button", name="Đây không phải tôi").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã báo")
    unit = requests.get(f"{stack.api}/units/OWN-0003", headers=staff, timeout=10).json()
    assert [h["event"] for h in unit["history"]].count("disputed") == 1
    assert unit_view(stack, token)["status"] == "activated"


def test_a_made_up_not_me_link_says_it_is_not_valid(
    stack: DevstackProcess, staff: dict[str, str], page: Page
) -> None:
    token = new_unit(stack, staff, "OWN-0004", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 644")

    page.goto(f"/n/{token}/{'A' * 16}")
    page.get_by_role("button", name="Đây không phải tôi").click()

    expect(page.locator("#not-me-alert")).to_contain_text("Liên kết này không hợp lệ")
    expect(page.locator("#not-me-hotline")).to_be_visible()
    unit = requests.get(f"{stack.api}/units/OWN-0004", headers=staff, timeout=10).json()
    assert "disputed" not in [h["event"] for h in unit["history"]]


# ---------------------------------------------------------------- "your data" on my products


def activate_with_marketing(stack: DevstackProcess, token: str, phone: str, name: str) -> None:
    body: dict[str, Any] = {
        "token": token,
        "customer": {"name": name, "phone": phone, "province": "Huế"},
        "consents": {"warranty_service": True, "marketing": True},
    }
    response = requests.post(f"{stack.api}/public/activations", json=body, timeout=10)
    assert response.status_code == 201, response.text


def sign_in(page: Page, stack: DevstackProcess, phone: str) -> None:
    """Signed in on my products in this tab, with the code the dev inbox received."""
    page.goto("/my")
    page.fill("#phone", phone)
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", lookup_code(stack, phone))
    page.get_by_role("button", name="Xác nhận").click()


def fits(page: Page, width: int = SMALL_PHONE["width"]) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_a_customer_downloads_their_data_withdraws_marketing_and_asks_for_erasure(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given a customer who agreed to marketing at activation, signed in on a 360 px phone
    token = new_unit(stack, staff, "OWN-0101", "AC-INV-12")
    activate_with_marketing(stack, token, "0912 000 701", "Lê Thị Hoa")
    page = open_page(SMALL_PHONE)
    sign_in(page, stack, "0912 000 701")
    data = page.locator("#my-data")
    expect(data.get_by_role("heading", name="Dữ liệu của bạn", exact=True)).to_be_visible()
    marketing = page.locator("#data-consent-marketing")
    expect(marketing).to_be_checked()
    expect(page.locator("#data-consent-warranty_service")).to_be_checked()
    fits(page)
    shot(page, "own-10-my-data")

    # When they download their data as JSON
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Tải dữ liệu (JSON)").click()
    download = downloading.value

    # Then the file is theirs: the unit's serial and their name
    assert download.suggested_filename.endswith(".json"), download.suggested_filename
    document = json.loads(download.path().read_text(encoding="utf-8"))
    assert "OWN-0101" in document["serials"]
    assert "Lê Thị Hoa" in document["names"]
    assert "Lê Thị Hoa" in json.dumps(document["sections"], ensure_ascii=False)

    # And as a PDF
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Tải bản PDF").click()
    pdf = downloading.value
    assert pdf.suggested_filename.endswith(".pdf"), pdf.suggested_filename
    assert pdf.path().read_bytes().startswith(b"%PDF")
    expect(page.get_by_role("button", name="Tải bản PDF")).to_be_enabled()

    # When they withdraw marketing: saved at once, and said so
    marketing.click()
    expect(page.locator("#data-consent-note")).to_have_text("Đã lưu: tắt «Tin tức và khuyến mãi».")
    expect(page.locator("#announce")).to_have_text("Đã lưu: tắt «Tin tức và khuyến mãi».")
    expect(marketing).not_to_be_checked()
    expect(marketing).to_be_focused()

    # Then it stays withdrawn after a reload, saying where it was decided
    page.reload()
    expect(marketing).not_to_be_checked()
    expect(page.locator("#data-consent-marketing-when")).to_contain_text("Không đồng ý lúc")
    expect(page.locator("#data-consent-marketing-when")).to_contain_text(
        "trên trang Sản phẩm của tôi"
    )
    expect(page.locator("#data-consent-warranty_service")).to_be_checked()

    # When they ask for erasure, a confirmation says what goes and when
    page.get_by_role("button", name="Yêu cầu xóa dữ liệu").click()
    confirmation = page.get_by_role("group", name="Xóa dữ liệu cá nhân của bạn?")
    expect(confirmation).to_contain_text("họ tên, số điện thoại, địa chỉ và các tin nhắn")
    expect(confirmation).to_contain_text("72 giờ")
    expect(page.locator("#data-erase-confirm-title")).to_be_focused()
    fits(page)
    shot(page, "own-11-erase-confirm")
    confirmation.get_by_role("button", name="Xóa dữ liệu của tôi").click()

    # Then the request and its deadline are shown instead of the button
    opened = page.locator("#data-erasure-open")
    expect(opened).to_contain_text("Đã nhận yêu cầu lúc")
    expect(opened).to_contain_text("hạn xử lý")
    expect(page.get_by_role("button", name="Yêu cầu xóa dữ liệu")).to_have_count(0)
    listed = requests.get(f"{stack.api}/privacy/requests", headers=staff, timeout=10)
    mine = [r for r in listed.json()["requests"] if r["phone_masked"].endswith("01")]
    assert len(mine) == 1, listed.text
    due = datetime.fromisoformat(mine[0]["due_at"]) + timedelta(hours=7)  # Vietnam's time
    expect(opened).to_contain_text(f"hạn xử lý {due:%H:%M} {due:%d/%m/%Y}")
    shot(page, "own-12-erasure-requested")

    # And a reload still shows the open request
    page.reload()
    expect(page.locator("#data-erasure-open")).to_contain_text("Đã nhận yêu cầu lúc")
    expect(page.get_by_role("button", name="Yêu cầu xóa dữ liệu")).to_have_count(0)


def test_your_data_and_the_transfer_pages_in_persian_at_360_px(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given a signed-in customer who switches to Persian on a 360 px phone
    token = new_unit(stack, staff, "OWN-0102", "MW-25G")
    activate_with_marketing(stack, token, "0912 000 702", "Phạm Văn Đức")
    page = open_page(SMALL_PHONE)
    sign_in(page, stack, "0912 000 702")
    expect(page.locator("#data-consent-marketing")).to_be_checked()
    page.get_by_role("button", name="فارسی").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # Then "your data" is in Persian, its dates on the Solar Hijri calendar, and fits
    expect(page.locator("#data-title")).to_have_text("داده‌های شما")
    expect(page.locator("#data-consent-marketing-when")).to_contain_text(
        re.compile("موافقت در .*[۰-۹]{4}")
    )
    fits(page)
    shot(page, "own-20-fa-my-data")
    page.get_by_role("button", name="درخواست پاک کردن داده‌ها").click()
    expect(page.locator("#data-erase-confirm-title")).to_be_focused()
    fits(page)
    shot(page, "own-21-fa-erase-confirm")

    # And the unit's transfer form opens with the keyboard, labelled, within the width
    opener = page.get_by_role("button", name="انتقال مالکیت")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("شمارهٔ تلفن همراه مالک جدید")).to_be_focused()
    fits(page)
    page.locator(".transfer").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "own-22-fa-transfer-form-screen.png"))

    # And the new owner's page, in Persian, fits too
    page.goto("/transfer?s=OWN-0102")
    expect(page.locator("#serial")).to_have_value("OWN-0102")
    expect(page.get_by_role("heading", level=1)).to_have_text("پذیرش مالکیت محصول")
    for label in ("شمارهٔ سریال", "شمارهٔ تلفن همراه شما", "کد تأیید", "نام و نام خانوادگی"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    page.get_by_role("button", name="پذیرش مالکیت").click()
    expect(page.locator("#phone-err")).to_be_visible()
    expect(page.locator("#consent-service-err")).to_be_visible()
    fits(page)
    shot(page, "own-23-fa-transfer-page")


# ---------------------------------------------------------------- ownership transfer


def test_an_owner_transfers_a_unit_and_the_new_owner_takes_it_over(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given an owner signed in on "my products" with an activated unit
    token = new_unit(stack, staff, "OWN-0103", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 703")
    warranty_end = unit_view(stack, token)["warranty_end"]
    owner = open_page(SMALL_PHONE)
    sign_in(owner, stack, "0912 000 703")
    card = owner.locator("li.card", has_text="OWN-0103")

    # When they name the new owner's phone (their own first: refused on the field)
    card.get_by_role("button", name="Chuyển quyền sở hữu").click()
    phone = card.get_by_label("Số điện thoại di động của chủ mới")
    expect(phone).to_be_focused()
    phone.fill("0912 000 703")
    card.get_by_role("button", name="Gửi mã cho chủ mới").click()
    expect(phone).to_have_attribute("aria-invalid", "true")
    phone.fill("0987 000 703")
    card.get_by_role("button", name="Gửi mã cho chủ mới").click()

    # Then the unit says it waits for them, until when, and can be cancelled
    pending = card.locator("[id$=-transfer-pending]")
    expect(pending).to_contain_text("98* *** *03")
    expect(card.get_by_role("button", name="Hủy chuyển quyền sở hữu")).to_be_visible()
    fits(owner)
    shot(owner, "own-30-transfer-pending")
    owner.reload()
    expect(card.locator("[id$=-transfer-pending]")).to_contain_text("98* *** *03")

    # And the new owner gets a code with the page to take it over on
    messages = stack.wait_for_inbox(
        "0987 000 703", lambda ms: any(m["template"] == "transfer_code" for m in ms)
    )
    text = next(m["text"] for m in messages if m["template"] == "transfer_code")
    link = re.search(r"https?://[^/\s]+(/transfer\?s=OWN-0103)", text)
    code = re.search(r"\b(\d{6})\b", text)
    assert link and code, text

    # When the new owner opens it and types a wrong code, then the right one
    new_owner = open_page(SMALL_PHONE)
    new_owner.goto(link.group(1))
    expect(new_owner.locator("#serial")).to_have_value("OWN-0103")
    new_owner.fill("#phone", "0987000703")
    new_owner.fill("#code", f"{(int(code.group(1)) + 1) % 10**6:06d}")
    new_owner.fill("#name", "Đỗ Minh Khoa")
    new_owner.select_option("#province", "Đà Nẵng")
    new_owner.check("#consent-service")
    new_owner.get_by_role("button", name="Nhận quyền sở hữu").click()
    expect(new_owner.locator("#code-err")).to_contain_text("Bạn còn 4 lần thử")
    expect(new_owner.locator("#code")).to_be_focused()
    new_owner.fill("#code", code.group(1))
    new_owner.get_by_role("button", name="Nhận quyền sở hữu").click()

    # Then they are the owner, the warranty's end unchanged, with a way to "my products"
    expect(new_owner.get_by_role("heading", level=1)).to_have_text("Bạn là chủ sở hữu mới")
    expect(new_owner.locator("#transfer-done")).to_contain_text("OWN-0103")
    expect(new_owner.locator("#transfer-done")).to_contain_text(vi_date(warranty_end))
    expect(new_owner.get_by_role("link", name="Xem sản phẩm của tôi")).to_have_attribute(
        "href", "/my"
    )
    fits(new_owner)
    shot(new_owner, "own-31-transfer-accepted")

    # And the unit has left the former owner's list
    owner.reload()
    expect(owner.locator("#main")).to_contain_text("Chưa có sản phẩm nào")
