"""The console's Labels screens in a real browser against the embedded stack: the template
editor's live preview (drawn by the API as it is typed, the last good one kept while a value is
wrong), saving a brand template, a print job from a demo batch followed to its download, both
languages, a 360 px phone, the role menus, and axe-core with no WCAG A/AA violation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, expect

from chalicelib.catalog.serials import generated_serial
from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    field,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-labels")]

DEMO_BATCH = "DEMO-202607"  # devstack/demo.py: 60 smart locks made in July 2026

require_chromium()


def preview_of(page: Page, what: str) -> str:
    """The preview image's source (an SVG drawn by the API), once there is one."""
    image = page.get_by_test_id(f"preview-{what}").get_by_role("img")
    expect(image).to_be_visible(timeout=15_000)
    return str(image.get_attribute("src"))


def test_an_admin_shapes_a_template_with_its_live_preview_and_saves_it(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/labels")
    sign_in(page, "admin", stack.password_of("admin"))
    expect(page.get_by_role("heading", name="Mẫu tem")).to_be_visible()
    expect(page.get_by_role("link", name="2x4cm-a4")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="1x2cm-a4")).to_contain_text("Có sẵn")
    page.wait_for_load_state("networkidle")  # no fetch in progress: the list as it is
    shot(page, "labels-templates-vi")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Mẫu mới").click()
    expect(page).to_have_url(re.compile(r"/labels/templates/new$"))
    label_before, sheet_before = preview_of(page, "label"), preview_of(page, "sheet")
    per_page = page.get_by_test_id("per-page")
    expect(per_page).to_have_text("Tờ: 4 × 12 = 48 tem một trang")

    # fewer columns: the page's preview follows as it is typed
    field(page, "Số cột").fill("2")
    expect(per_page).to_have_text("Tờ: 2 × 12 = 24 tem một trang")
    assert preview_of(page, "sheet") != sheet_before
    # a custom line on the label: the label's preview changes
    page.get_by_role("button", name="Thêm dòng chữ").click()
    rows = page.get_by_test_id("text-row")
    expect(rows).to_have_count(5)
    field(rows.nth(4), "Chữ tuỳ chọn").fill("Hotline 1800 6868")
    expect(page.get_by_test_id("preview-label").get_by_role("img")).not_to_have_attribute(
        "src", label_before, timeout=15_000
    )
    good = preview_of(page, "label")
    # a QR too small: its field says so, the last good preview stays
    field(page, "Cỡ QR").fill("5")
    expect(page.get_by_text("Từ 8 đến 200.")).to_be_visible()
    expect(page.get_by_text("bản xem trước là của mẫu hợp lệ gần nhất")).to_have_count(2)
    page.wait_for_timeout(600)  # past the debounce: nothing is drawn from the bad value
    assert preview_of(page, "label") == good
    field(page, "Cỡ QR").fill("19")  # a good value again, other than before: drawn anew
    expect(page.get_by_text("Từ 8 đến 200.")).to_have_count(0)
    expect(page.get_by_text("bản xem trước là của mẫu hợp lệ gần nhất")).to_have_count(0)
    expect(page.get_by_test_id("preview-label").get_by_role("img")).not_to_have_attribute(
        "src", good, timeout=15_000
    )
    shot(page, "labels-editor-vi")
    assert axe_violations(page) == []

    field(page, "Tên").fill("tem-e2e")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/labels/templates/tem-e2e$"))
    expect(page.get_by_role("heading", name="tem-e2e")).to_be_visible()
    expect(page.get_by_test_id("per-page")).to_have_text("Tờ: 2 × 12 = 24 tem một trang")
    page.get_by_role("link", name="← Tất cả mẫu tem").click()
    expect(page.get_by_role("row").filter(has_text="tem-e2e")).to_contain_text("Của thương hiệu")

    # save as a copy, then delete the copy
    page.get_by_role("link", name="tem-e2e").click()
    page.get_by_role("button", name="Lưu thành…").click()
    page.get_by_role("dialog").get_by_label("Tên").fill("tem-e2e-copy")
    page.get_by_role("dialog").get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", name="tem-e2e-copy")).to_be_visible()
    page.get_by_role("button", name="Xoá", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Xoá", exact=True).click()
    expect(page).to_have_url(re.compile(r"/labels$"))
    expect(page.get_by_role("link", name="tem-e2e", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="tem-e2e-copy")).to_have_count(0)


def test_a_job_for_a_demo_batch_runs_to_done_and_its_file_downloads(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/labels/jobs")
    page.get_by_role("button", name="English").click()
    sign_in(page, "admin", stack.password_of("admin"), language="en")
    expect(page.get_by_role("heading", name="Print jobs")).to_be_visible()
    page.get_by_role("link", name="New print job").click()

    page.get_by_role("button", name="Start printing").click()
    expect(page.get_by_text("Required.")).to_be_visible()  # no batch yet: nothing is sent
    field(page, "Batch").fill(DEMO_BATCH)
    shot(page, "labels-new-job-en")
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("button", name="Open the menu")).to_be_visible()  # the phone layout
    # the shell slides its menu away (a CSS transition): the page fits once that is over (asked
    # from here: the console's CSP refuses the eval that wait_for_function's polling needs)
    for _ in range(50):
        if no_horizontal_scroll(page):
            break
        page.wait_for_timeout(100)
    assert no_horizontal_scroll(page)
    shot(page, "labels-new-job-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Start printing").click()

    expect(page).to_have_url(re.compile(r"/labels/jobs/lj_[0-9a-f]+$"))
    download = page.get_by_test_id("download")
    expect(download).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_test_id("job-counts")).to_have_text(
        "60 of 60 labels printed, 0 skipped (not registered units)."
    )
    shot(page, "labels-job-en")
    assert axe_violations(page) == []
    pdf = requests.get(str(download.get_attribute("href")), timeout=30)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")

    page.get_by_role("link", name="← All print jobs").click()
    row = page.get_by_role("row").filter(has_text=f"Batch {DEMO_BATCH}")
    expect(row).to_contain_text("Done")
    expect(row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    page.wait_for_load_state("networkidle")  # no fetch in progress: the list as it is
    shot(page, "labels-jobs-en")
    assert axe_violations(page) == []


def test_a_job_for_an_uploaded_list_skips_what_is_not_a_unit(
    page: Page, stack: DevstackProcess
) -> None:
    serials = [generated_serial("GAR", n) for n in (1, 2, 3)]
    listing = "serial\n" + "\n".join([*serials, "NOT-A-UNIT-1"]) + "\n"
    page.goto("/labels/jobs/new")
    sign_in(page, "admin", stack.password_of("admin"))
    page.get_by_role("radio", name="Tệp số sê-ri").check()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "serials.csv", "mimeType": "text/csv", "buffer": listing.encode()}]
    )
    page.get_by_role("combobox", name="Mẫu tem").click()
    page.get_by_role("option", name="1x2cm-roll").click()
    page.get_by_role("button", name="Bắt đầu in").click()

    expect(page.get_by_test_id("download")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("job-counts")).to_have_text(
        "Đã in 3 trên 4 tem, bỏ qua 1 (sản phẩm chưa đăng ký)."
    )
    expect(page.get_by_text("NOT-A-UNIT-1")).to_be_visible()
    expect(page.get_by_text("Danh sách 4 số sê-ri")).to_be_visible()


def test_on_a_phone_a_director_reads_templates_and_cs_has_no_labels(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    # a job of its own: the list must not depend on which tests ran before on this stack
    job = requests.post(
        f"{stack.api}/labels/jobs",
        json={"batch": DEMO_BATCH},
        headers=sign_in_by_api(stack, "admin"),
        timeout=10,
    )
    assert job.status_code in (201, 202), job.text
    page = open_page(viewport=PHONE)
    page.goto("/labels")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_role("heading", name="Mẫu tem")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.wait_for_load_state("networkidle")  # no fetch in progress: the list as it is
    shot(page, "labels-templates-phone")
    assert axe_violations(page) == []
    page.goto("/labels/templates/1x2cm-a4")
    expect(page.get_by_text("chỉ quản trị viên mới sửa được")).to_be_visible()
    preview_of(page, "sheet")
    expect(page.get_by_test_id("per-page")).to_have_text("Tờ: 9 × 24 = 216 tem một trang")
    expect(page.get_by_role("button", name="Lưu", exact=True)).to_have_count(0)
    expect(field(page, "Số cột")).to_be_disabled()
    assert no_horizontal_scroll(page)
    shot(page, "labels-editor-phone")
    assert axe_violations(page) == []
    page.goto("/labels/jobs")
    expect(page.get_by_role("heading", name="Lệnh in")).to_be_visible()
    expect(page.get_by_role("link", name="Lệnh in mới")).to_have_count(0)
    # a card a job (a phone's list), its one stacked column with the job's progress
    expect(page.get_by_test_id("record-card").first).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(0)
    expect(page.get_by_role("progressbar").first).to_be_visible()
    assert no_horizontal_scroll(page)
    page.wait_for_load_state("networkidle")  # no fetch in progress: the list as it is
    shot(page, "labels-jobs-phone")
    assert axe_violations(page) == []

    cs = open_page(viewport=PHONE)
    cs.goto("/")
    sign_in(cs, "cs", stack.password_of("cs"))
    cs.get_by_role("button", name="Mở danh mục").click()
    menu = cs.get_by_role("navigation")
    expect(menu.get_by_role("link", name="Tin nhắn")).to_be_visible()
    expect(menu.get_by_role("link", name="Tem nhãn")).to_have_count(0)
    cs.goto("/labels")
    expect(cs.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
