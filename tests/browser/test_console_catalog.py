"""The brand and product model screens of the console in a real browser against the embedded
stack.

An admin changes the brand's name, hotline and colours and watches the framed portal follow as
they type (a poor contrast is warned about), saves, and the real portal shows the new brand, as
the console's own theme does from then on; the serial prefix is read-only once serials exist,
with the reason. An admin creates a model with specs (added, reordered) and English texts,
uploads a picture (a presigned PUT to the bucket) and sees its thumbnail, served by the
portal's /media/ path; deleting a model that units use is refused with the reason. Customer
service has no brand screen and reads models without any edit button. Both languages, a 360 px
phone, axe-core on every screen.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
import requests
from PIL import Image
from playwright.sync_api import Frame, Page, expect

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    field,
    no_horizontal_scroll,
    shot,
    sign_in,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-catalog")]

require_chromium()


def preview_frame(page: Page) -> Frame:
    frame = page.get_by_test_id("portal-preview").element_handle().content_frame()
    assert frame is not None
    return frame


def wait_for_primary(frame: Frame | Page, colour: str) -> None:
    """The page's --primary (the brand's colour over the shared tokens) becomes ``colour``."""
    frame.wait_for_function(
        "c => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--primary').trim() === c",
        arg=colour,
        timeout=10_000,
    )


def logo_png() -> bytes:
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    image.paste((122, 31, 92, 255), (0, 50, 600, 150))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (900, 600), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (10.0, 46.0, 30.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


# ---------------------------------------------------------------- the brand and its portal


def test_the_admin_edits_the_brand_beside_a_live_preview_and_the_portal_shows_it(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page()
    page.goto("/brand")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(page.get_by_role("heading", name="Thương hiệu và cổng khách hàng")).to_be_visible()
    frame = preview_frame(page)
    expect(frame.locator("#brand-name")).to_have_text("Garanti Demo")
    prefix = page.get_by_test_id("serial-prefix")
    expect(prefix).to_have_attribute("readonly", "")  # the demo generated serials
    expect(page.get_by_text("Đã khóa:")).to_be_visible()

    field(page, "Tên thương hiệu").fill("Điện máy Ánh Dương")
    field(page, "Tổng đài").fill("1900 1234")
    field(page, "Màu chính").fill("#7a1f5c")
    field(page, "Màu chính").press("Tab")

    page.locator("input[type=file]").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    expect(field(page, "Địa chỉ logo")).to_have_value(re.compile(r"^/media/brand/\w+\.webp$"))

    expect(frame.locator("#brand-name")).to_have_text("Điện máy Ánh Dương")  # unsaved, live
    expect(frame.locator("#brand img")).to_have_attribute("src", re.compile("^/media/brand/"))
    expect(frame.locator("#foot")).to_contain_text("1900 1234")
    wait_for_primary(frame, "#7a1f5c")
    expect(page.get_by_test_id("contrast-warning")).to_have_count(0)
    field(page, "Màu chữ trên màu chính").fill("#8a3f6c")
    field(page, "Màu chữ trên màu chính").press("Tab")
    expect(page.get_by_test_id("contrast-warning")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "brand-vi")
    field(page, "Màu chữ trên màu chính").fill("#ffffff")
    field(page, "Màu chữ trên màu chính").press("Tab")

    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.get_by_text("Đã lưu thương hiệu.")).to_be_visible()
    expect(page.get_by_text("Lưu lần cuối bởi admin")).to_be_visible()
    portal = page.context.new_page()
    portal.goto(f"http://127.0.0.1:{stack.ports['web']}/")
    expect(portal.locator("#brand-name")).to_have_text("Điện máy Ánh Dương")
    expect(portal.locator("#foot")).to_contain_text("1900 1234")
    logo = portal.locator("#brand img")
    expect(logo).to_have_attribute("src", re.compile("^/media/brand/"))
    portal.wait_for_function("() => document.querySelector('#brand img').naturalWidth > 0")
    wait_for_primary(portal, "#7a1f5c")
    # not framed, the portal takes no preview: a page cannot be told to show another hotline
    portal.goto(f"http://127.0.0.1:{stack.ports['web']}/?preview=1")
    expect(portal.locator("#brand-name")).to_have_text("Điện máy Ánh Dương")
    portal.evaluate(
        "window.postMessage({type: 'garanti:preview', language: 'vi',"
        " settings: {brand: {name: 'Giả mạo', hotline: '1900 0000'}}}, '*')"
    )
    portal.wait_for_timeout(300)
    expect(portal.locator("#brand-name")).to_have_text("Điện máy Ánh Dương")
    expect(portal.locator("#foot")).not_to_contain_text("1900 0000")
    portal.close()
    console = open_page()
    console.goto("/")
    sign_in(console, "cs", stack.password_of("cs"))
    wait_for_primary(console, "#7a1f5c")  # the console wears the brand's colour too


def test_a_bad_hotline_is_told_on_its_field_in_english(page: Page, stack: DevstackProcess) -> None:
    page.goto("/brand")
    sign_in(page, "admin", stack.password_of("admin"))
    # the page drawn first (a click while the signed-in page is still loading can be lost)
    expect(page.get_by_role("heading", name="Thương hiệu và cổng khách hàng")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Brand and portal")).to_be_visible()

    field(page, "Hotline").fill("call us")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("Enter a phone number: digits, spaces")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "brand-en")


# ---------------------------------------------------------------- product models


def test_the_admin_creates_a_model_with_specs_and_english_texts_and_uploads_its_picture(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/models")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(page.get_by_role("link", name="LOCK-S7")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "models-vi")
    page.get_by_role("link", name="Thêm mẫu").click()

    field(page, "Mã").fill("FAN-7")
    field(page, "Tên (tiếng Việt)").fill("Quạt đứng FAN-7")
    field(page, "Tên (tiếng Anh)").fill("Standing fan FAN-7")
    for label, value in (("Công suất", "55 W"), ("Điện áp", "220 V")):
        page.get_by_role("button", name="Thêm thông số").click()
        row = page.get_by_test_id("spec-row").last
        row.get_by_label("Tên thông số (tiếng Việt)").fill(label)
        row.get_by_label("Giá trị", exact=True).fill(value)
    page.get_by_test_id("spec-row").first.get_by_label(
        "Tên thông số (tiếng Anh, không bắt buộc)"
    ).fill("Power")
    page.get_by_role("button", name="Chuyển “Điện áp” lên").click()
    page.get_by_role("button", name="Tạo mẫu").click()

    expect(page).to_have_url("/models/FAN-7")
    expect(page.get_by_role("heading", name="Mẫu FAN-7")).to_be_visible()
    expect(page.get_by_test_id("spec-row").first.get_by_label("Giá trị", exact=True)).to_have_value(
        "220 V"
    )
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "fan.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_location()}]
    )
    picture = page.get_by_test_id("model-image")
    expect(picture).to_be_visible()
    source = picture.get_attribute("src") or ""
    assert "/media/models/FAN-7/" in source
    served = requests.get(source, timeout=10)
    assert served.headers["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(served.content)).size == (640, 427)
    assert axe_violations(page) == []
    shot(page, "model-vi")


def test_deleting_a_model_that_units_use_is_refused_with_the_reason(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/models/LOCK-S7")
    sign_in(page, "admin", stack.password_of("admin"))
    page.get_by_role("button", name="Xóa mẫu").click()
    page.get_by_role("dialog").get_by_role("button", name="Xóa mẫu").click()

    refusal = page.get_by_test_id("delete-refused")
    expect(refusal).to_contain_text("sản phẩm đang dùng mẫu này")
    expect(page).to_have_url("/models/LOCK-S7")
    # the confirmation closes with a fade: axe reads the page once the dialog is gone (a
    # half-faded button is not a contrast the user reads)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "model-delete-refused-vi")


def test_customer_service_has_no_brand_screen_and_reads_models_without_edits(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/models")
    sign_in(page, "cs", stack.password_of("cs"))

    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Mẫu sản phẩm")).to_be_visible()
    expect(nav.get_by_role("link", name="Thương hiệu & cổng")).to_have_count(0)
    expect(page.get_by_role("link", name="Thêm mẫu")).to_have_count(0)
    page.get_by_role("link", name="LOCK-S7").click()
    expect(page.get_by_role("heading", name="Mẫu LOCK-S7")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu")).to_have_count(0)
    expect(page.get_by_role("button", name="Xóa mẫu")).to_have_count(0)
    expect(field(page, "Tên (tiếng Việt)")).to_be_disabled()
    assert axe_violations(page) == []
    page.goto("/brand")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()


def test_on_a_360_px_phone_the_brand_and_model_screens_stack(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/brand")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(preview_frame(page).locator("#brand-name")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "brand-360")

    page.goto("/models/LOCK-S7")
    expect(page.get_by_role("heading", name="Mẫu LOCK-S7")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "model-360")
