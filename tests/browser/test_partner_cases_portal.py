"""The partner page's "Cases" section (``/partner``, js/partner_cases.js) in a real browser on a
360 px phone against the embedded stack: the approved demo partner, signed in, opens a service
case for a unit it installed with a photo (uploaded from the page straight to the bucket, the
thread showing it), staff answer through the API, and the partner reads the answer and closes
the case. axe-core finds nothing and nothing scrolls sideways; screenshots go to
``tests/browser/artifacts/partner-case-*.png``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import chromium, page_opener, require_chromium
from tests.support.console import AXE, axe_violations, no_horizontal_scroll, sign_in_by_api
from tests.support.devstack_process import DevstackProcess, start_devstack
from tests.support.partner_cases import installed_by_the_partner, jpeg, partner_session

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SMALL_PHONE = {"width": 360, "height": 800}
ARTIFACTS = Path(__file__).parent / "artifacts"
SUBJECT = "Máy kêu to sau khi lắp"

require_chromium()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.kill()  # its data is not read again: no need to save it (Ctrl-C has its own tests)


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


def clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"partner-case-{name}.png"), full_page=True)


def test_a_partner_opens_a_case_with_a_photo_and_reads_the_staff_answer(
    open_page: Callable[..., Page], stack: DevstackProcess, tmp_path: Path
) -> None:
    partner = partner_session(stack)
    serial = installed_by_the_partner(stack, partner, "GARCASEP0001")
    token = partner["Authorization"].removeprefix("Bearer ")
    photo = tmp_path / "may-lanh.jpg"
    photo.write_bytes(jpeg())
    page = open_page()
    page.goto("/partner")
    page.evaluate("t => localStorage.setItem('garanti.partner', JSON.stringify({token: t}))", token)
    page.reload()

    section = page.locator("#partner-cases")
    expect(section.locator("#cases-empty")).to_have_text("Bạn chưa có yêu cầu nào.")
    clean(page)
    section.get_by_role("button", name="Mở yêu cầu").click()
    section.get_by_label("Về", exact=True).select_option("service")
    section.get_by_label("Số serial").fill(serial.lower())  # case is forgiven
    section.get_by_label("Tiêu đề").fill(SUBJECT)
    section.get_by_label("Ghi chú").fill("Khách báo máy kêu to.\nĐã kiểm tra ống đồng.")
    section.get_by_label("Ảnh").set_input_files(str(photo))
    expect(section).to_contain_text("Đã chọn 1 ảnh.")
    clean(page)
    shot(page, "new-vi")
    section.get_by_role("button", name="Gửi yêu cầu").click()

    expect(section.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(section).to_contain_text("Chờ nhân viên")
    thread = section.locator("#case-thread li")
    expect(thread).to_have_count(1)
    expect(thread.first).to_contain_text("Đã kiểm tra ống đồng.")
    page.wait_for_function(
        "() => { const img = document.querySelector('#case-thread img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )  # the presigned link loads on the portal (its img-src allows the bucket)
    clean(page)
    shot(page, "opened-vi")

    staff = sign_in_by_api(stack, "cs")
    (case,) = requests.get(f"{stack.api}/cases", headers=staff, timeout=10).json()["cases"]
    answer = requests.post(
        f"{stack.api}/cases/{case['case_id']}/notes",
        json={"text": "Kỹ thuật sẽ gọi anh trong hôm nay."},
        headers=staff,
        timeout=10,
    )
    assert answer.status_code == 201, answer.text

    page.reload()
    section.get_by_role("button", name=SUBJECT).click()
    expect(thread).to_have_count(2)
    expect(thread.last).to_contain_text("Nhân viên")
    expect(thread.last).to_contain_text("Kỹ thuật sẽ gọi anh trong hôm nay.")
    expect(section).to_contain_text("Đã trả lời")
    clean(page)
    shot(page, "answered-vi")

    section.get_by_role("button", name="Đóng yêu cầu").click()
    expect(section).to_contain_text("Yêu cầu đã đóng. Viết thêm ghi chú sẽ mở lại.")
    expect(section.get_by_role("button", name="Thêm ghi chú và mở lại")).to_be_visible()
    clean(page)
    shot(page, "closed-vi")
    stored = json.loads(page.evaluate("localStorage.getItem('garanti.partner')"))
    assert stored["token"] == token  # the session is the page's own, kept
