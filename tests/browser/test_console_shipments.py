"""The console's ship-out screen in a real browser against the embedded stack (issue 14).

On a 360 px phone customer service opens a shipment to a demo dealer and scans by typing each
serial and Enter (as a warehouse scanner does): the counts by model follow, a repeated scan shows
its notice, an activated unit is refused with its reason; a reload keeps the scans (they live on
the server); confirming ships them (the units now carry the dealer) and the detail shows the
outcome. axe-core finds no WCAG A/AA violation and nothing scrolls sideways; screenshots go to
tests/browser/artifacts/. The camera is a fake device playing a QR code of a serial: Chromium on
Linux has no BarcodeDetector, so the self-hosted zxing-wasm ponyfill reads it (its .wasm loaded
from the console's own origin under the page's CSP)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    field,
    new_unit,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-shipments")]

require_chromium()

SERIALS = ("SHP-0001", "SHP-0002", "SHP-0003", "SHP-0004")
CAMERA_SERIAL = SERIALS[3]
DEALER = "DL-HN01"


def fake_camera_video(path: Path, text: str) -> Path:
    """A Y4M video (what Chromium's fake camera plays) of ``text`` as a QR code on white."""
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    code = Image.open(buffer).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose camera is a fake device showing the QR code of ``CAMERA_SERIAL``, its
    permission granted without a prompt."""
    from tests.support.console import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    video = fake_camera_video(tmp_path_factory.mktemp("camera") / "qr.y4m", CAMERA_SERIAL)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        try:
            yield launched
        finally:
            launched.close()


def clean(page: Page) -> None:
    page.wait_for_function("() => document.getAnimations().length === 0")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


@pytest.fixture(scope="module")
def units(stack: DevstackProcess) -> dict[str, Any]:
    """Three imported units of LOCK-S7 (the third activated) and an active demo dealer."""
    admin = sign_in_by_api(stack, "admin")
    tokens = {serial: new_unit(stack, admin, serial) for serial in SERIALS}
    activation = {
        "token": tokens["SHP-0003"],
        "customer": {"name": "Phạm Văn Bình", "phone": "0912 345 603", "province": "Hà Nội"},
        "consents": {"warranty_service": True},
    }
    response = requests.post(f"{stack.api}/public/activations", json=activation, timeout=10)
    assert response.status_code == 201, response.text
    dealer = {"code": DEALER, "name": "Điện máy Hà Nội", "province": "Hà Nội"}
    created = requests.post(f"{stack.api}/dealers", json=dealer, headers=admin, timeout=10)
    assert created.status_code == 201, created.text
    return {"admin": admin}


def stack_origin(page: Page) -> str:
    return str(page.evaluate("location.origin"))


def scan(page: Page, code: str) -> None:
    box = page.get_by_test_id("scan-input")
    box.fill(code)
    box.press("Enter")


def test_customer_service_ships_units_by_scanning_on_a_phone(
    open_page: Any, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page: Page = open_page(viewport=PHONE)
    page.goto("/shipments/new")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.get_by_role("heading", name="Phiếu xuất mới")).to_be_visible()
    field(page, "Mã đại lý").fill(DEALER.lower())
    field(page, "Số phiếu xuất kho").fill("PXK 0001")
    clean(page)
    shot(page, "shipment-new-360")
    page.get_by_role("button", name="Tạo và bắt đầu quét").click()

    expect(page.get_by_role("heading", name="Phiếu xuất PXK 0001")).to_be_visible()
    expect(page.get_by_test_id("scan-input")).to_be_focused()
    scan(page, SERIALS[0].lower())
    counts = page.get_by_test_id("model-counts")
    expect(counts).to_contain_text("LOCK-S7")
    expect(counts).to_contain_text("Đã quét 1 sản phẩm")
    scan(page, SERIALS[0])
    expect(page.get_by_test_id("scan-duplicate")).to_contain_text("Đã quét vào phiếu xuất này rồi.")
    scan(page, SERIALS[2])
    expect(page.get_by_test_id("scan-refusals")).to_contain_text(
        "SHP-0003: Đã được khách hàng kích hoạt."
    )
    scan(page, SERIALS[1])
    expect(counts).to_contain_text("Đã quét 2 sản phẩm")
    expect(page.get_by_test_id("scan-refused")).to_have_count(0)  # the last scan went in...
    expect(page.get_by_test_id("session-refusals")).to_contain_text("SHP-0003")  # ...kept here
    expect(page.get_by_test_id("shipment-units").locator("tbody tr")).to_have_count(2)
    clean(page)
    shot(page, "shipment-scanning-360")

    page.get_by_role("button", name="Camera").click()  # the fake camera shows SHP-0004's QR
    expect(page.get_by_role("dialog", name="Quét bằng camera")).to_be_visible()
    expect(page.get_by_text(f"Đã đọc: {CAMERA_SERIAL}")).to_be_visible(timeout=30_000)
    clean(page)  # with the dialog open: its close button has a name
    shot(page, "shipment-camera-360")
    expect(page.get_by_role("button", name="Đóng camera")).to_be_visible()
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    wasm = [name for name in loaded if name.endswith(".wasm")]  # the ponyfill's, from our origin
    assert wasm and all(name.startswith(stack_origin(page) + "/") for name in wasm), wasm
    page.get_by_role("button", name="Xong").click()
    expect(counts).to_contain_text("Đã quét 3 sản phẩm")

    page.reload()

    expect(page.get_by_test_id("model-counts")).to_contain_text("Đã quét 3 sản phẩm")
    expect(page.get_by_test_id("shipment-units").locator("tbody tr")).to_have_count(3)

    page.get_by_role("button", name="Xác nhận xuất (3 sản phẩm)").click()

    expect(page.get_by_text("Đã xác nhận", exact=True)).to_be_visible()
    expect(page.get_by_test_id("shipment-outcome")).to_contain_text("3 đã xuất")
    expect(page.get_by_test_id("shipment-units")).to_contain_text("Đã xuất")
    clean(page)
    shot(page, "shipment-confirmed-360")
    unit = requests.get(f"{stack.api}/units/{SERIALS[0]}", headers=units["admin"], timeout=10)
    assert unit.json()["status"] == "shipped"

    scan(page, SERIALS[1])  # the dealer gives one back: it stays listed, as returned
    page.get_by_role("button", name="Nhận trả 1 sản phẩm").click()
    shipped = page.get_by_test_id("shipment-units")
    expect(shipped.locator("tbody tr").filter(has_text="Đại lý đã trả")).to_have_count(1)
    expect(shipped.locator("tbody tr")).to_have_count(3)

    page.get_by_role("button", name="Hủy phiếu xuất").click()  # asked first, in a dialog
    dialog = page.get_by_role("dialog", name="Hủy phiếu xuất")
    expect(dialog).to_contain_text("Sản phẩm chưa kích hoạt sẽ về lại kho.")
    clean(page)  # the dialog settled: its red confirming button passes AA
    dialog.get_by_role("button", name="Hủy phiếu xuất").click()
    expect(page.get_by_test_id("shipment-outcome")).to_contain_text("Phiếu đã hủy")
    expect(shipped.locator("tbody tr").filter(has_text="Về kho (phiếu đã hủy)")).to_have_count(2)
    expect(shipped.locator("tbody tr")).to_have_count(3)  # a cancelled shipment is not empty
    clean(page)
    shot(page, "shipment-cancelled-360")


def test_the_list_filters_by_dealer_and_status_in_english(
    page: Page, stack: DevstackProcess, units: dict[str, Any]
) -> None:
    page.goto(f"/shipments?dealer_code={DEALER}&status=cancelled")
    page.get_by_role("button", name="English").click()
    sign_in(page, "director", stack.password_of("director"), language="en")

    expect(page.get_by_role("heading", name="Shipments to dealers")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="PXK 0001")
    expect(row).to_contain_text("Cancelled: 2 back in stock · 0 left with the dealer")
    expect(page.get_by_role("link", name="New shipment")).to_have_count(0)  # the director reads
    assert axe_violations(page) == []
    shot(page, "shipments-list-en")
