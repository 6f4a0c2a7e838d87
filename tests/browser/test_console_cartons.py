"""The cartons screens in a real browser against the embedded stack: customer service opens a
carton under a generated SSCC, packs units as a warehouse scanner does (the serial's keystrokes
and Enter into the focused input), sees a repeated scan change nothing and a refused one say
why, the count by model follow, takes a unit out, closes the carton and prints its label (a
label job run by the stack's stream poller), whose barcode zbar reads back as the carton. In
English on a 360 px phone, an admin opens a carton under the code already on the box; the
director only looks. axe-core finds no WCAG A/AA violation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pypdfium2 as pdfium
import pytest
import requests
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import ZBarSymbol, decode

from chalicelib.catalog.cartons import is_valid_sscc, normalize_carton_code
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
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-cartons")]

require_chromium()

MODEL = "LOCK-S7"  # new_unit's demo model


def scan(page: Page, serial: str) -> None:
    """What a keyboard-wedge scanner does: the characters, then Enter, into the focused input."""
    page.keyboard.type(serial, delay=5)
    page.keyboard.press("Enter")


def barcodes_of(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    return [s.data.decode() for s in decode(image, symbols=[ZBarSymbol.CODE128])]


def test_customer_service_packs_a_carton_by_scanning_closes_it_and_prints_its_label(
    page: Page, stack: DevstackProcess
) -> None:
    staff = sign_in_by_api(stack, "admin")
    for serial in ("CTN-0001", "CTN-0002", "CTN-0003"):
        new_unit(stack, staff, serial)
    page.goto("/")
    sign_in(page, "cs", stack.password_of("cs"))
    page.get_by_role("navigation").get_by_role("link", name="Thùng hàng").click()
    expect(page.get_by_role("heading", name="Thùng hàng", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Thùng mới với mã SSCC").click()

    expect(page).to_have_url(re.compile(r"/cartons/\d{18}$"))
    code = page.url.rsplit("/", 1)[-1]
    assert is_valid_sscc(code)
    expect(page.get_by_role("heading", name=f"Thùng (00){code}")).to_be_visible()
    scanner = page.get_by_label("Quét sản phẩm")
    expect(scanner).to_be_focused()
    notice = page.get_by_test_id("scan-notice")
    count = page.get_by_test_id("carton-count")

    scan(page, "ctn-0001")
    expect(notice).to_have_text(f"Đã cho CTN-0001 ({MODEL}) vào thùng.")
    expect(count).to_have_text("1")
    expect(scanner).to_be_focused()
    scan(page, "CTN-0001")
    expect(notice).to_have_text("CTN-0001 đã có trong thùng này: không thay đổi gì.")
    scan(page, "NOPE-0001")
    expect(notice).to_contain_text("NOPE-0001:")
    scan(page, "CTN-0002")
    scan(page, "CTN-0003")
    expect(count).to_have_text("3")
    expect(page.get_by_test_id("model-counts")).to_contain_text(f"{MODEL}3")
    assert axe_violations(page) == []
    shot(page, "cartons-packing-vi")

    page.get_by_role("button", name="Lấy ra CTN-0002").click()
    expect(count).to_have_text("2")
    expect(page.get_by_test_id("carton-units")).not_to_contain_text("CTN-0002")
    page.get_by_role("button", name="Đóng thùng").click()
    expect(page.get_by_text("Đã đóng thùng", exact=True)).to_be_visible()
    expect(page.get_by_label("Quét sản phẩm")).to_have_count(0)  # a closed carton is sealed

    page.get_by_role("button", name="In tem thùng").click()
    link = page.get_by_role("link", name="Tải tem thùng (PDF)")
    expect(link).to_be_visible(timeout=60_000)
    pdf = requests.get(str(link.get_attribute("href")), timeout=30).content
    assert [normalize_carton_code(data) for data in barcodes_of(pdf)] == [code]
    assert axe_violations(page) == []
    shot(page, "cartons-closed-vi")

    page.get_by_role("link", name="← Tất cả thùng").click()
    first = page.locator("tbody tr").first
    expect(first).to_contain_text(f"(00){code}")
    expect(first).to_contain_text(f"{MODEL} × 2")


def test_on_a_phone_in_english_an_admin_opens_a_carton_under_its_own_code(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    new_unit(stack, sign_in_by_api(stack, "admin"), "CTN-EN-01")
    page = open_page(viewport=PHONE)
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, "admin", stack.password_of("admin"), language="en")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto("/cartons")

    page.get_by_label("Code on the carton").fill("box-en-1")
    page.get_by_role("button", name="Open this carton").click()

    expect(page.get_by_role("heading", name="Carton BOX-EN-1")).to_be_visible()
    scan(page, "CTN-EN-01")
    expect(page.get_by_test_id("scan-notice")).to_have_text(
        f"CTN-EN-01 ({MODEL}) is in the carton."
    )
    expect(page.get_by_test_id("carton-count")).to_have_text("1")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "cartons-packing-360-en")

    page.goto("/cartons")
    page.get_by_label("Code on the carton").fill("BOX-EN-1")
    page.get_by_role("button", name="Open this carton").click()
    expect(page.get_by_role("alert")).to_contain_text("already in use")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "cartons-list-360-en")


def test_the_director_sees_the_cartons_but_packs_nothing(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page()
    page.goto("/")
    sign_in(page, "director", stack.password_of("director"))
    page.get_by_role("navigation").get_by_role("link", name="Thùng hàng").click()

    expect(page.get_by_role("heading", name="Tất cả thùng")).to_be_visible()
    expect(page.get_by_role("button", name="Thùng mới với mã SSCC")).to_have_count(0)
    assert axe_violations(page) == []
