"""The console's service centre screens in a real browser against the embedded stack (issue 15).

The admin creates a partner service company (the form's own checks first: a code, a tax code, a
province), finds it on its page with the provinces it serves, adds its user (the temporary
password shown once) and suspends it with a note (refused without one); the same page reads in
English on a 360 px phone. The demo company's user signs in and sees its company's home (GET
/service/me): its name, its requests' entry, a menu of its own and no staff screen, and its pages
never ask for the staff's `GET /brand`. axe-core finds no WCAG A/AA violation on these screens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import require_chromium
from tests.support.console import PHONE, axe_violations, no_horizontal_scroll, shot, sign_in
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

require_chromium()


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


def test_the_admin_creates_a_partner_company_adds_its_user_and_suspends_it(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page()
    page.goto("/service-centers")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(
        page.get_by_role("heading", name="Trung tâm dịch vụ và đối tác sửa chữa", level=1)
    ).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="MP-DV")).to_contain_text("Đối tác sửa chữa")  # devstack/demo.py's
    expect(rows.filter(has_text="TT-HN")).to_contain_text("Trung tâm của hãng")
    assert clean(page) == []
    shot(page, "service-centers-vi")

    page.get_by_role("link", name="Thêm trung tâm").click()
    page.get_by_role("button", name="Tạo trung tâm").click()
    expect(page.get_by_text("Mã gồm 2–32 chữ cái")).to_be_visible()  # the form's own checks
    expect(page.get_by_text("Đối tác cần có mã số thuế.")).to_be_visible()
    expect(page.get_by_text("Chọn ít nhất một tỉnh/thành phố.")).to_be_visible()
    page.get_by_label(re.compile(r"^Mã trung tâm")).fill("dn-sh")
    page.get_by_label(re.compile(r"^Tên")).fill("Điện lạnh Sông Hàn")
    page.get_by_label(re.compile(r"^Mã số thuế")).fill("0401234567")
    page.get_by_label("Điện thoại công khai").fill("0236 3 888 999")
    provinces = page.get_by_role("combobox", name="Tỉnh/thành phố phục vụ")
    provinces.click()
    page.get_by_role("option", name="Đà Nẵng").click()
    page.get_by_role("option", name="Quảng Ngãi").click()
    page.keyboard.press("Escape")
    page.get_by_label("Giờ làm việc").fill("Thứ 2–Thứ 7, 8:00–17:30")
    assert clean(page) == []
    shot(page, "service-center-new-vi")
    page.get_by_role("button", name="Tạo trung tâm").click()

    expect(page.get_by_role("heading", name="DN-SH · Điện lạnh Sông Hàn", level=1)).to_be_visible()
    expect(page.get_by_text("Đà Nẵng, Quảng Ngãi")).to_be_visible()
    expect(page.get_by_text("0401234567")).to_be_visible()
    center_url = page.url

    page.get_by_label(re.compile(r"^Tên đăng nhập")).fill("songhan.kt1")
    page.get_by_role("button", name="Thêm người dùng").click()
    expect(page.get_by_test_id("temporary-password")).to_have_text(re.compile(r"^\S{16}$"))
    expect(page.get_by_test_id("center-users")).to_contain_text("songhan.kt1")
    expect(page.get_by_test_id("center-users")).to_contain_text("Chưa đăng nhập lần đầu")

    actions = page.get_by_test_id("record-actions")
    actions.get_by_role("button", name="Tạm ngưng").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("không yêu cầu nào được chuyển tới")
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog.get_by_text("Vui lòng ghi lý do.")).to_be_visible()
    dialog.get_by_label(re.compile(r"^Ghi chú")).fill("Hợp đồng đang gia hạn")
    assert clean(page) == []
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Hoạt động → Tạm ngưng")).to_be_visible()
    expect(page.get_by_text("Hợp đồng đang gia hạn")).to_be_visible()
    expect(actions.get_by_role("button", name="Cho hoạt động lại")).to_be_visible()
    assert clean(page) == []
    shot(page, "service-center-suspended-vi")

    phone = open_page(viewport=PHONE)
    phone.goto(center_url)
    sign_in(phone, "admin", stack.password_of("admin"))
    # the page drawn first (a click while the signed-in page is still loading can be lost)
    expect(phone.get_by_text("Hoạt động → Tạm ngưng")).to_be_visible()
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", name="DN-SH · Điện lạnh Sông Hàn", level=1)).to_be_visible()
    expect(phone.get_by_text("Active → Suspended")).to_be_visible()
    expect(phone.get_by_text("Partner company", exact=True)).to_be_visible()
    assert clean(phone) == []
    assert no_horizontal_scroll(phone)
    shot(phone, "service-center-360-en")


def test_the_company_user_signs_in_to_its_company_s_home(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page(viewport=PHONE)
    refused: list[str] = []  # every answer of 4xx its pages get (none expected)
    page.on("response", lambda r: refused.append(r.url) if 400 <= r.status < 500 else None)
    brand_calls: list[str] = []
    page.on("request", lambda r: brand_calls.append(r.url) if "/brand" in r.url else None)
    page.goto("/")
    sign_in(page, "service1", stack.password_of("service1"))

    expect(page).to_have_url(re.compile(r"/service$"))
    expect(page.get_by_test_id("app-name")).to_have_text("Garanti – dịch vụ")
    expect(page.get_by_role("heading", name="Điện lạnh Minh Phát", level=1)).to_be_visible()
    expect(page.get_by_text("Đăng nhập: service1 · MP-DV")).to_be_visible()
    expect(page.get_by_test_id("service-requests")).to_contain_text("Yêu cầu dịch vụ")
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "service-home-360-vi")
    page.get_by_role("button", name="Mở danh mục").click()
    nav = page.get_by_role("navigation", name="Danh mục")
    links = nav.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/service" in links and "/password" in links
    assert not {"/service-centers", "/dealers", "/units", "/dashboard"} & set(links)
    page.get_by_role("button", name="Đóng danh mục").click()
    assert (brand_calls, refused) == ([], [])  # GET /brand is staff's: never asked, no 403

    page.goto("/service-centers")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Trung tâm dịch vụ và đối tác sửa chữa"
    )
    page.goto("/service")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Service requests")).to_be_visible()
    expect(page.get_by_test_id("app-name")).to_have_text("Garanti – service")
    assert clean(page) == []
    shot(page, "service-home-360-en")
