"""The unit import screen in a real browser against the embedded stack: an admin drops an Excel
file made here with xlsxwriter, the browser PUTs it straight to the emulator's bucket (CORS for
the console's origin), the job runs from its stream while the page polls its progress, and the
per-line report downloads as Excel and reads back with calamine. In English and on a 360 px
phone too; only an admin sees the screen. axe-core finds no WCAG A/AA violation."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from tests.support.browser import require_chromium
from tests.support.console import PHONE, axe_violations, no_horizontal_scroll, shot, sign_in
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-import")]

require_chromium()

MODEL = "LOCK-S7"  # a demo model of the stack
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def drop(page: Page, name: str, data: bytes, mime: str) -> None:
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def test_an_admin_imports_an_excel_file_watches_it_finish_and_downloads_the_report(
    page: Page, stack: DevstackProcess, tmp_path: Path
) -> None:
    data = workbook(
        [
            ["serial", "model_code", "batch"],
            ["IMP-0001", MODEL, "LOT-IMPORT"],
            ["IMP-0002", MODEL, "LOT-IMPORT"],
            ["IMP-0003", "NO-SUCH-MODEL", ""],
            ["IMP-0001", MODEL, ""],
            ["=cmd()", MODEL, ""],
        ]
    )
    page.goto("/")
    sign_in(page, "admin", stack.password_of("admin"))
    page.get_by_role("navigation").get_by_role("link", name="Nhập sản phẩm").click()

    expect(page.get_by_role("heading", name="Nhập sản phẩm")).to_be_visible()
    template = page.get_by_role("link", name="Tải tệp mẫu (CSV)")
    expect(template).to_have_attribute("download", "units-template.csv")
    assert axe_violations(page) == []
    shot(page, "import-vi")

    drop(page, "lô hàng.xlsx", data, XLSX)

    expect(page).to_have_url(re.compile(r"/imports/ui_[0-9a-f]+$"), timeout=15_000)
    expect(page.get_by_text("Hoàn tất")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("import-imported")).to_have_text("2")
    expect(page.get_by_test_id("import-rejected")).to_have_text("3")
    rejected = page.get_by_role("table").locator("tbody tr")
    expect(rejected).to_have_count(3)
    expect(rejected.nth(0)).to_contain_text("Không tìm thấy model sản phẩm.")
    assert axe_violations(page) == []
    shot(page, "import-done-vi")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải báo cáo (Excel)").click()
    saved = tmp_path / "report.xlsx"
    download_info.value.save_as(saved)
    sheet = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["Dòng", "Số serial", "Mẫu", "Kết quả", "Lý do"]
    assert [row[3] for row in sheet[1:]] == ["Đã nhập", "Đã nhập", "Bị từ chối"] + [
        "Bị từ chối"
    ] * 2
    assert sheet[5][1] == "'=cmd()"  # a formula shows as typed

    page.get_by_role("link", name="← Tất cả lượt nhập").click()
    expect(page.locator("tbody tr").first).to_contain_text("lô hàng.xlsx")


def test_in_english_on_a_phone_a_wrong_file_is_refused_and_a_csv_is_imported(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, "admin", stack.password_of("admin"), language="en")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()  # an admin's home
    page.goto("/imports")

    expect(page.get_by_role("heading", name="Import units")).to_be_visible()
    drop(page, "units.pdf", b"%PDF-1.7", "application/pdf")
    expect(page.get_by_role("alert")).to_contain_text("Only a CSV (.csv) or Excel (.xlsx) file")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "import-360-en")

    drop(page, "units.csv", f"serial,model_code\nIMP-EN-1,{MODEL}\n".encode(), "text/csv")

    expect(page.get_by_text("Done", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("import-imported")).to_have_text("1")
    expect(page.get_by_role("link", name="Download the report (Excel)")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "import-done-360-en")


def test_only_an_admin_sees_the_import_screen(page: Page, stack: DevstackProcess) -> None:
    page.goto("/")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()  # cs's home
    expect(page.get_by_role("navigation").get_by_role("link", name="Nhập sản phẩm")).to_have_count(
        0
    )
    page.goto("/imports")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
