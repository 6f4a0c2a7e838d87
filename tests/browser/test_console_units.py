"""The console's units screens in a real browser against the embedded stack (issue 12).

Customer service searches the units list by a serial prefix and a status (the filters live in the
URL), opens an activated unit, sees its owner masked and reveals it (the reveal is on the audit
trail), previews its QR code and finds its certificate; a technician sees the owner masked and no
reveal; an administrator sees the serial scheme and the next serials, generates a range and finds
it in the list, and exports the filtered list to Excel in English (the progress panel ends with a
download link to a file python-calamine opens); on a 360 px phone nothing overflows; roles
without the screen neither see it in the menu nor open it. A shipped unit names its dealer and
shipment (links to both) and its ship date; a returned one's history says so in vi and en, each
step linking to its shipment. axe-core finds no WCAG A/AA violation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect
from python_calamine import load_workbook

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
from tests.support.dealers import ship_by_api
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-units")]

require_chromium()

SERIALS = ("UNT-0001", "UNT-0002", "UNT-0003")
OWNER = "Lê Thị Cúc"
VIETNAM = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def units(stack: DevstackProcess) -> dict[str, Any]:
    """Three imported units (model LOCK-S7, batch CONSOLE), the second activated."""
    admin = sign_in_by_api(stack, "admin")
    tokens = {serial: new_unit(stack, admin, serial) for serial in SERIALS}
    activation = {
        "token": tokens["UNT-0002"],
        "customer": {"name": OWNER, "phone": "0912 345 602", "province": "Đà Nẵng"},
        "consents": {"warranty_service": True},
    }
    response = requests.post(f"{stack.api}/public/activations", json=activation, timeout=10)
    assert response.status_code == 201, response.text
    return {"admin": admin, "tokens": tokens}


def reveals(stack: DevstackProcess, serial: str) -> list[tuple[str, str]]:
    """Who revealed the unit's owner, from the audit table (which also holds what the streams
    feed it: the unit's registration, its activation)."""
    return [entry for entry in audit_actions(stack, serial) if entry[0] == "owner_revealed"]


def audit_actions(stack: DevstackProcess, serial: str) -> list[tuple[str, str]]:
    dynamodb = emulator_client(stack, "dynamodb")
    table = next(n for n in dynamodb.list_tables()["TableNames"] if n.endswith("-audit"))
    items = dynamodb.scan(TableName=table)["Items"]
    return [
        (item["action"]["S"], item["actor"]["S"])
        for item in items
        if item.get("entity_id", {}).get("S") == serial
    ]


def test_customer_service_finds_a_unit_reveals_its_owner_and_sees_its_qr(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto("/units")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_role("heading", name="Sản phẩm", exact=True)).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    field(page, "Số serial").fill("unt-*")
    page.get_by_role("button", name="Tìm").click()

    expect(page).to_have_url("/units?serial=unt-*")
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("tbody tr").nth(1)).to_contain_text("L* T** C**")
    expect(page.locator("tbody")).not_to_contain_text(OWNER)
    assert axe_violations(page) == []
    shot(page, "units-vi")

    page.get_by_role("combobox", name="Trạng thái").click()
    page.get_by_role("option", name="Đã kích hoạt").click()

    expect(page).to_have_url("/units?serial=unt-*&status=activated")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="UNT-0002").click()

    expect(page.get_by_role("heading", name="Sản phẩm UNT-0002")).to_be_visible()
    expect(page.get_by_test_id("owner-name")).to_have_text("L* T** C**")
    expect(page.get_by_test_id("owner-phone")).to_have_text("+84 91* *** *02")
    expect(page.get_by_test_id("qr-preview")).to_be_visible()
    assert page.get_by_test_id("qr-preview").evaluate("img => img.naturalWidth") > 0
    certificate = f"/c/{units['tokens']['UNT-0002']}"
    expect(page.get_by_test_id("certificate-link")).to_have_attribute(
        "href", re.compile(re.escape(certificate) + "$")
    )
    expect(page.get_by_text("Kích hoạt bảo hành")).to_be_visible()  # the history
    assert reveals(stack, "UNT-0002") == []  # seeing the masked owner is no reveal
    assert axe_violations(page) == []
    shot(page, "unit-masked-vi")

    page.get_by_role("button", name="Hiện đầy đủ").click()

    expect(page.get_by_test_id("owner-name")).to_have_text(OWNER)
    expect(page.get_by_test_id("owner-phone")).to_have_text("+84912345602")
    assert reveals(stack, "UNT-0002") == [("owner_revealed", "cs")]
    shot(page, "unit-revealed-vi")

    page.go_back()

    expect(page).to_have_url("/units?serial=unt-*&status=activated")
    expect(field(page, "Số serial")).to_have_value("unt-*")


def test_a_technician_sees_the_owner_masked_and_cannot_reveal(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto("/units/UNT-0002")
    sign_in(page, "technician", stack.password_of("technician"))

    expect(page.get_by_test_id("owner-name")).to_have_text("L* T** C**")
    expect(page.get_by_role("button", name="Hiện đầy đủ")).to_have_count(0)
    expect(page.get_by_role("button", name="Tạo dải serial")).to_have_count(0)
    nav = page.get_by_role("navigation")
    # GET /models is open to every staff role; a technician also answers partners' service cases
    # and looks at cartons
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


def test_an_administrator_generates_a_range_and_finds_it_in_the_list(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto("/units/generate")
    sign_in(page, "admin", stack.password_of("admin"))

    expect(page.get_by_role("heading", name="Tạo dải serial")).to_be_visible()
    # the menu marks this screen as the current one, not "Sản phẩm" whose path it extends
    current = page.get_by_role("navigation").locator('[aria-current="page"]')
    expect(current).to_have_text(["Tạo dải serial"])
    scheme = page.get_by_test_id("scheme")
    expect(scheme).to_contain_text("Tiền tố GAR + 8 chữ số thứ tự + 1 ký tự kiểm tra")
    brand = requests.get(f"{stack.api}/brand", headers=units["admin"], timeout=10).json()
    expect(scheme).to_contain_text(f"GAR{brand['serials_issued'] + 1:08d}")
    assert axe_violations(page) == []
    shot(page, "units-generate-vi")

    page.get_by_role("combobox", name="Mẫu sản phẩm").click()
    page.get_by_role("option", name="LOCK-S7", exact=False).click()
    field(page, "Số lượng").fill("3")
    field(page, "Lô").fill("=BAD")
    page.get_by_role("button", name="Tạo serial").click()

    expect(field(page, "Lô")).to_have_attribute("aria-invalid", "true")
    field(page, "Lô").fill("GEN-01")
    page.get_by_role("button", name="Tạo serial").click()

    made = page.get_by_test_id("generated")
    expect(made).to_contain_text("Đã tạo 3 serial.")
    first = f"GAR{brand['serials_issued'] + 1:08d}"
    expect(made.get_by_role("link", name=first, exact=False)).to_be_visible()
    shot(page, "units-generated-vi")

    made.get_by_role("link", name="Xem trong danh sách sản phẩm").click()

    expect(page).to_have_url("/units?batch=GEN-01")

    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("tbody tr").first).to_contain_text("GEN-01")


def test_the_filtered_list_exports_to_excel_in_english(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, "director", stack.password_of("director"), language="en")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()  # signed in
    page.goto("/units?serial=UNT-*")  # a reload: the session comes back from the tab

    expect(page.locator("tbody tr")).to_have_count(3)
    page.get_by_role("button", name="Export to Excel").click()

    panel = page.get_by_test_id("export-panel")
    link = panel.get_by_test_id("export-download")
    expect(link).to_be_visible(timeout=30_000)
    expect(panel).to_contain_text("Done: 3 rows.")
    assert axe_violations(page) == []
    shot(page, "units-export-en")

    content = requests.get(link.get_attribute("href") or "", timeout=10).content
    rows = load_workbook(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["Serial", "Model", "Status"]
    assert [r[0] for r in rows[1:]] == list(SERIALS)
    assert OWNER not in str(rows)


def test_on_a_360_px_phone_the_units_screens_fit(
    open_page: Callable[..., Page], stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/units?serial=UNT-*")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_role("link", name="UNT-0001")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "units-360")

    # a day is picked on a calendar in the page's language and shown as dd/mm/yyyy (a native
    # date input would follow the browser's locale: mm/dd/yyyy on an English browser)
    today = datetime.now(VIETNAM).date()
    # exact: once a day is picked, its clear button is "Xóa Kích hoạt từ ngày"
    page.get_by_role("button", name="Kích hoạt từ ngày", exact=True).click()
    page.get_by_role(
        "button", name=f"{today.day} tháng {today.month} {today.year}", exact=True
    ).click()
    expect(page.get_by_role("button", name="Kích hoạt từ ngày", exact=True)).to_have_text(
        today.strftime("%d/%m/%Y")
    )
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(rf"activated_from={today.isoformat()}"))
    expect(page.get_by_test_id("record-card")).to_have_count(1)  # only the unit activated today
    expect(page.get_by_role("link", name="UNT-0002")).to_be_visible()

    page.get_by_role("link", name="UNT-0002").click()

    expect(page.get_by_test_id("qr-preview")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "unit-360")


def test_roles_without_the_screen_neither_see_nor_open_it(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto("/units")
    sign_in(page, "accountant", stack.password_of("accountant"))

    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Mẫu sản phẩm")).to_be_visible()  # the menu is there
    expect(nav.get_by_role("link", name="Sản phẩm", exact=True)).to_have_count(0)
    page.goto("/units/generate")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()


def test_a_shipped_unit_names_its_dealer_and_shipment_and_its_history_speaks_the_language(
    open_page: Callable[..., Page], stack: DevstackProcess, units: dict[str, Any]
) -> None:
    admin = units["admin"]
    for serial in ("UNT-0101", "UNT-0102"):
        new_unit(stack, admin, serial)
    shipment_id = ship_by_api(stack, admin, ["UNT-0101", "UNT-0102"])
    returned = requests.post(
        f"{stack.api}/shipments/{shipment_id}/returns",
        json={"serials": ["UNT-0102"]},
        headers=admin,
        timeout=10,
    )
    assert returned.json()["returned"] == ["UNT-0102"], returned.text
    [dealer] = requests.get(f"{stack.api}/dealers?code=HN-01", headers=admin, timeout=10).json()[
        "dealers"
    ]

    page = open_page(viewport=PHONE)
    page.goto("/units/UNT-0101")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_role("heading", name="Sản phẩm UNT-0101")).to_be_visible()
    dealer_link = page.get_by_test_id("unit-dealer").get_by_role("link")
    expect(dealer_link).to_have_text(dealer["name"])
    expect(dealer_link).to_have_attribute("href", f"/dealers/{dealer['dealer_id']}")
    shipment_link = page.get_by_test_id("unit-shipment").get_by_role("link")
    expect(shipment_link).to_have_attribute("href", f"/shipments/{shipment_id}")
    expect(shipment_link).to_have_text("PXK UI")  # the delivery note, not the id
    expect(page.get_by_text("20/11/2026")).to_be_visible()
    expect(page.get_by_text("Xuất cho đại lý")).to_be_visible()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "unit-shipped-360-vi")

    page.goto("/units/UNT-0102")
    expect(page.get_by_role("heading", name="Sản phẩm UNT-0102")).to_be_visible()
    expect(page.get_by_text("Đại lý trả lại")).to_be_visible()
    expect(page.get_by_test_id("unit-dealer")).to_have_count(0)  # back in stock: no dealer
    history_links = page.get_by_role("link", name=f"Phiếu xuất {shipment_id}")
    expect(history_links).to_have_count(2)  # shipped, returned: each names its shipment
    expect(page.locator("body")).not_to_contain_text("returned")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("Returned by the dealer")).to_be_visible()
    expect(page.get_by_text("Shipped to a dealer")).to_be_visible()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "unit-returned-360-en")
    page.get_by_role("link", name=f"Shipment {shipment_id}").first.click()
    expect(page).to_have_url(f"/shipments/{shipment_id}")
