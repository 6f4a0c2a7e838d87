"""The console's dealer screens in a real browser against the embedded stack (issue 14).

The admin creates a dealer supplied by the demo distributor (the form's own checks first),
finds it on its page with its distributor, sees it listed among the distributor's dealers,
suspends it with a note (refused without one), reinstates it, and adds a user whose temporary
password is shown once. The demo dealer user signs in and sees only the dealer's menu: its home,
its units and its activations (channels named as on staff pages), its shipments (a list, a
delivery note with its counts and units, never another dealer's), none of the staff's screens,
under a dealer's title, and its pages never ask for the staff's `GET /brand`. axe-core finds no
WCAG A/AA violation on any of these screens; on a 360 px phone nothing scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    new_unit,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.dealers import ship_by_api, ship_in_stack
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

require_chromium()
BUYER_PHONE = "0987654321"


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


def test_the_admin_creates_a_dealer_changes_its_status_and_adds_its_user(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/dealers")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(page.get_by_role("heading", name="Đại lý và nhà phân phối", level=1)).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="NPP-MB")).to_have_count(1)  # devstack/demo.py's
    assert clean(page) == []
    shot(page, "dealers-vi")

    page.get_by_role("link", name="Thêm đại lý").click()
    page.get_by_role("button", name="Tạo đại lý").click()
    expect(page.get_by_text("Mã gồm 2–32 chữ cái")).to_be_visible()  # the form's own check
    page.get_by_label("Mã đại lý").fill("dn-01")
    page.get_by_label(re.compile(r"^Tên")).fill("Điện máy Sông Hàn")
    page.get_by_role("combobox", name="Tỉnh/thành phố").click()
    page.get_by_role("option", name="Đà Nẵng").click()
    page.get_by_label("Mã số thuế").fill("0401234567")
    page.get_by_label("Điện thoại liên hệ (di động)").fill("0905 123 456")
    page.get_by_role("combobox", name="Nhà phân phối").click()
    page.get_by_role("option", name=re.compile("NPP-MB")).click()
    assert clean(page) == []
    page.get_by_role("button", name="Tạo đại lý").click()

    expect(page.get_by_role("heading", name="DN-01 · Điện máy Sông Hàn")).to_be_visible()
    expect(page.get_by_role("link", name="NPP-MB · Nhà phân phối Miền Bắc")).to_be_visible()
    expect(page.get_by_text("+84905123456")).to_be_visible()
    assert clean(page) == []
    shot(page, "dealer-created-vi")
    dealer_url = page.url
    dealer_id = dealer_url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_role("link", name="Phiếu xuất hàng cho đại lý này")).to_have_attribute(
        "href", "/shipments?dealer_code=DN-01"
    )
    expect(page.get_by_role("link", name="Phễu của đại lý này")).to_have_attribute(
        "href", f"/funnel?dealer={dealer_id}"
    )
    # not a distributor: no (empty) list of the dealers buying from it
    expect(page.get_by_role("heading", name="Các đại lý nhập hàng từ đây")).to_have_count(0)

    page.get_by_role("link", name="NPP-MB · Nhà phân phối Miền Bắc").click()
    expect(page.get_by_role("heading", name="Các đại lý nhập hàng từ đây")).to_be_visible()
    expect(page.get_by_test_id("its-dealers")).to_contain_text("DN-01 · Điện máy Sông Hàn")
    page.goto(dealer_url)

    actions = page.get_by_test_id("record-actions")
    actions.get_by_role("button", name="Tạm ngưng").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog.get_by_text("Vui lòng ghi lý do.")).to_be_visible()
    dialog.get_by_label("Ghi chú").fill("Chậm thanh toán quý 4")
    assert clean(page) == []
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Hoạt động → Tạm ngưng")).to_be_visible()
    expect(page.get_by_text("Chậm thanh toán quý 4")).to_be_visible()
    actions.get_by_role("button", name="Cho hoạt động lại").click()
    dialog.get_by_role("button", name="Cho hoạt động lại").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Tạm ngưng → Hoạt động")).to_be_visible()

    page.get_by_label("Tên đăng nhập").fill("songhan.quay1")
    page.get_by_role("button", name="Thêm người dùng").click()
    expect(page.get_by_test_id("temporary-password")).to_have_text(re.compile(r"^\S{16}$"))
    expect(page.get_by_test_id("dealer-users")).to_contain_text("songhan.quay1")
    expect(page.get_by_test_id("dealer-users")).to_contain_text("Chưa đăng nhập lần đầu")
    assert clean(page) == []
    shot(page, "dealer-user-added-vi")


def test_the_dealer_user_sees_only_its_dealer_s_menu_and_activates_for_a_buyer_on_a_phone(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    admin = sign_in_by_api(stack, "admin")
    [dealer] = requests.get(f"{stack.api}/dealers?code=HN-01", headers=admin, timeout=10).json()[
        "dealers"
    ]
    new_unit(stack, admin, "DLR-0100")
    ship_in_stack(stack, "DLR-0100", dealer["dealer_id"])

    page = open_page(viewport=PHONE)
    refused: list[str] = []  # every answer of 4xx the dealer's pages get (none expected)
    page.on("response", lambda r: refused.append(r.url) if 400 <= r.status < 500 else None)
    brand_calls: list[str] = []
    page.on("request", lambda r: brand_calls.append(r.url) if "/brand" in r.url else None)
    page.goto("/")
    sign_in(page, "dealer1", stack.password_of("dealer1"))

    expect(page).to_have_url(re.compile(r"/dealer$"))
    expect(page.get_by_test_id("app-name")).to_have_text("Garanti – đại lý")
    expect(page.get_by_role("heading", name="HN-01 · Điện máy Minh Phát", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Kích hoạt cho khách tại quầy")).to_be_visible()
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "dealer-home-360-vi")
    page.get_by_role("button", name="Mở danh mục").click()
    nav = page.get_by_role("navigation", name="Danh mục")
    expect(nav.get_by_role("link", name="Sản phẩm đã kích hoạt")).to_be_visible()
    links = nav.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == [
        "/dealer",
        "/dealer/activations",
        "/dealer/funnel",
        "/dealer/shipments",
        "/dealer/units",
        "/password",
    ]
    page.get_by_role("button", name="Đóng danh mục").click()

    page.get_by_label(re.compile(r"^Số serial")).fill("dlr-0100")
    page.get_by_label(re.compile(r"^Tên người mua")).fill("Trần Thị Bình")
    page.get_by_label(re.compile(r"^Điện thoại di động của người mua")).fill(BUYER_PHONE)
    page.get_by_role("button", name="Gửi mã cho người mua").click()
    expect(page.get_by_text(f"Đã gửi mã tới {BUYER_PHONE}")).to_be_visible()
    messages = stack.wait_for_inbox(
        BUYER_PHONE, lambda ms: any(m["template"] == "activation_code" for m in ms)
    )
    code = re.search(r"\b(\d{6})\b", messages[0]["text"])
    assert code is not None
    page.get_by_label("Chữ số thứ 1 của mã").fill(code.group(1))
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Kích hoạt", exact=True).click()
    expect(page.get_by_text("Đã kích hoạt DLR-0100")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Chủ sở hữu T\*+ T\*+ B\*+, \+84 98\* \*\*\* \*21"))
    ).to_be_visible()
    assert clean(page) == []
    shot(page, "dealer-activated-360-vi")

    page.get_by_role("link", name="Sản phẩm của đại lý").click()
    expect(page.get_by_role("heading", name="Sản phẩm của đại lý", level=1)).to_be_visible()
    card = page.get_by_test_id("record-card").filter(has_text="DLR-0100")
    expect(card).to_contain_text("Đã kích hoạt")
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    page.goto("/dealer/activations")
    activated = page.get_by_test_id("record-card").filter(has_text="DLR-0100")
    expect(activated).to_contain_text("Đại lý")  # the channel as staff pages name it
    expect(activated).not_to_contain_text("dealer")
    assert clean(page) == []
    assert (brand_calls, refused) == ([], [])  # GET /brand is staff's: never asked, no 403

    page.goto("/dealers")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Đại lý và nhà phân phối")

    page.goto("/dealer")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Activate for a buyer")).to_be_visible()
    expect(page.get_by_role("link", name="Our units")).to_be_visible()
    expect(page.get_by_test_id("app-name")).to_have_text("Garanti – dealer")
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "dealer-home-360-en")


def test_the_dealer_user_reads_its_shipments_on_a_desktop_and_on_a_phone(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    """HN-01 (dealer1's) gets a confirmed shipment and has a draft; the distributor that
    supplies it gets one too: dealer1 lists and reads its confirmed one only."""
    admin = sign_in_by_api(stack, "admin")
    for serial in ("DLR-0200", "DLR-0201", "DLR-0202", "DLR-0203"):
        new_unit(stack, admin, serial)
    ship_by_api(stack, admin, ["DLR-0200", "DLR-0201"], document_number="PXK-DLR-01")
    ship_by_api(stack, admin, ["DLR-0202"], document_number="PXK-DLR-NHAP", confirm=False)
    ship_by_api(stack, admin, ["DLR-0203"], dealer_code="NPP-MB", document_number="PXK-NPP-01")

    page = open_page()
    refused: list[str] = []
    page.on("response", lambda r: refused.append(r.url) if 400 <= r.status < 500 else None)
    page.goto("/")
    sign_in(page, "dealer1", stack.password_of("dealer1"))
    expect(page).to_have_url(re.compile(r"/dealer$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Bán ra và kích hoạt")).to_have_attribute(
        "href", "/dealer/funnel"
    )
    main.get_by_role("link", name="Phiếu xuất", exact=True).click()

    expect(page.get_by_role("heading", name="Phiếu xuất", level=1)).to_be_visible()
    listed = page.get_by_role("table", name="Phiếu xuất")
    row = listed.get_by_role("row").filter(has_text="PXK-DLR-01")
    expect(row).to_contain_text("2 đã xuất")
    expect(row).to_contain_text("Đã xác nhận")
    expect(listed).not_to_contain_text("PXK-DLR-NHAP")  # its draft: the warehouse's
    expect(listed).not_to_contain_text("PXK-NPP-01")  # the distributor's, though it supplies HN-01
    assert clean(page) == []
    shot(page, "dealer-shipments-vi")

    row.get_by_role("link", name="PXK-DLR-01").click()
    expect(page.get_by_role("heading", name="Phiếu xuất PXK-DLR-01", level=1)).to_be_visible()
    expect(page.get_by_test_id("model-counts")).to_contain_text("2")
    units = page.get_by_test_id("dealer-shipment-units")
    expect(units.locator("tbody tr")).to_have_count(2)
    expect(units.get_by_role("row").filter(has_text="DLR-0200")).to_contain_text("Đã xuất")
    expect(page.get_by_role("button", name="Tải Excel")).to_be_visible()
    assert clean(page) == []
    shot(page, "dealer-shipment-vi")
    detail_url = page.url

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="← Shipments").click()
    expect(page.get_by_role("heading", name="Shipments", level=1)).to_be_visible()
    card = page.get_by_test_id("record-card").filter(has_text="PXK-DLR-01")
    expect(card).to_contain_text("2 shipped")
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "dealer-shipments-360-en")
    card.get_by_role("link", name="PXK-DLR-01").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", name="Shipment PXK-DLR-01", level=1)).to_be_visible()
    expect(page.get_by_test_id("dealer-shipment-units")).to_contain_text("Shipped")
    assert clean(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "dealer-shipment-360-en")
    assert refused == []
