"""The partner page's personal income tax section in a real browser against the embedded stack
(issue 13: the commitment form, Mẫu 08/CK-TNCN).

The accountant opens the demo's approved partner: the form is not on file and the next payout
withholds at the demo's confirmed setting. They record it as on file with a note (a dialog
first), and the page says who, when, the note and that the next payout withholds nothing, as the
API now answers; then they withdraw it. In English on a 360 px phone the accountant records the
form of another partner. Customer service reads the section with no control and without the
payout settings it may not read (tax withheld "at the threshold set"); the director reads the
figures but has no control either.
axe-core finds no WCAG A/AA violation on any of these screens."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

require_chromium()

APPROVED = "Trần Văn Hùng"  # devstack/demo.py's partners
SUSPENDED = "Phạm Quốc Bảo"
PENDING = "Lê Thị Mai"


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


def partner_id(stack: DevstackProcess, name: str) -> str:
    staff = sign_in_by_api(stack, "admin")
    for status in ("approved", "pending", "suspended"):
        found = requests.get(
            f"{stack.api}/partners", headers=staff, params={"status": status}, timeout=10
        ).json()["partners"]
        for partner in found:
            if partner["name"] == name:
                return str(partner["partner_id"])
    raise AssertionError(f"no demo partner named {name}")


def partner(stack: DevstackProcess, pid: str) -> dict[str, Any]:
    staff = sign_in_by_api(stack, "admin")
    response = requests.get(f"{stack.api}/partners/{pid}", headers=staff, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json())


def current_setting(stack: DevstackProcess) -> dict[str, Any]:
    staff = sign_in_by_api(stack, "accountant")
    settings = requests.get(f"{stack.api}/payouts/settings", headers=staff, timeout=10).json()
    assert settings["current"], "the demo confirms a withholding setting"
    return dict(settings["current"])


def test_the_accountant_records_the_form_as_on_file_then_withdraws_it(
    page: Page, stack: DevstackProcess
) -> None:
    setting = current_setting(stack)
    rate = f"{setting['rate_bp'] // 100} %"
    page.goto("/partners?status=approved")
    sign_in(page, "accountant", stack.password_of("accountant"))
    page.locator("tbody tr").filter(has_text=APPROVED).get_by_role("link").click()
    expect(page.get_by_role("heading", name=APPROVED)).to_be_visible()
    section = page.get_by_role("region", name="Thuế thu nhập cá nhân")
    expect(section.get_by_test_id("commitment-state")).to_have_text("Chưa nộp")
    expect(section.get_by_test_id("commitment-recorded")).to_have_text("Chưa từng ghi nhận.")
    # the next payout withholds at the setting in effect (its rate and threshold)
    effect = section.get_by_test_id("commitment-effect")
    expect(effect).to_contain_text("có khấu trừ")
    expect(effect).to_contain_text(rate)
    expect(effect).to_contain_text(re.compile(r"\d{1,3}(\.\d{3})+\s₫"))
    expect(page.get_by_test_id("partner-actions")).to_have_count(0)  # status is not theirs
    assert clean(page) == []
    shot(page, "partner-tax-not-on-file-vi")

    section.get_by_role("button", name="Ghi nhận đã nộp").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Ghi nhận {APPROVED} đã nộp bản cam kết 08/CK-TNCN")
    dialog.get_by_label("Ghi chú").fill("Bản gốc lưu hồ sơ kế toán")
    assert clean(page) == []
    shot(page, "partner-tax-record-dialog-vi")
    dialog.get_by_role("button", name="Ghi nhận đã nộp").click()
    expect(dialog).to_have_count(0)

    expect(section.get_by_test_id("commitment-state")).to_have_text("Đã nộp")
    expect(section.get_by_test_id("commitment-recorded")).to_have_text(
        re.compile(r"^Ghi nhận đã nộp lúc \d\d/\d\d/\d{4} \d\d:\d\d bởi accountant$")
    )
    expect(section.get_by_test_id("commitment-note")).to_have_text("Bản gốc lưu hồ sơ kế toán")
    expect(section.get_by_test_id("commitment-effect")).to_contain_text("miễn khấu trừ")
    pid = page.url.rsplit("/", 1)[-1]
    recorded = partner(stack, pid)["commitment"]
    assert (recorded["on_file"], recorded["by"], recorded["note"]) == (
        True,
        "accountant",
        "Bản gốc lưu hồ sơ kế toán",
    )
    assert clean(page) == []
    shot(page, "partner-tax-on-file-vi")

    # withdrawn, without a note: the page and the API say so
    section.get_by_role("button", name="Rút lại bản cam kết").click()
    expect(dialog).to_contain_text(f"Rút lại bản cam kết 08/CK-TNCN của {APPROVED}")
    dialog.get_by_role("button", name="Rút lại bản cam kết").click()
    expect(dialog).to_have_count(0)
    expect(section.get_by_test_id("commitment-state")).to_have_text("Chưa nộp")
    expect(section.get_by_test_id("commitment-recorded")).to_have_text(
        re.compile(r"^Rút lại lúc .+ bởi accountant$")
    )
    expect(section.get_by_test_id("commitment-note")).to_have_count(0)
    expect(section.get_by_test_id("commitment-effect")).to_contain_text(rate)
    assert partner(stack, pid)["commitment"]["on_file"] is False
    assert clean(page) == []


def test_in_english_on_a_phone_the_accountant_records_the_form(
    open_page: Any, stack: DevstackProcess
) -> None:
    pid = partner_id(stack, PENDING)
    page = open_page(viewport=PHONE)
    page.goto(f"/sign-in?next=%2Fpartners%2F{pid}")
    page.get_by_role("button", name="English").click()
    sign_in(page, "accountant", stack.password_of("accountant"), language="en")
    expect(page.get_by_role("heading", name=PENDING)).to_be_visible()
    section = page.get_by_role("region", name="Personal income tax")
    expect(section.get_by_test_id("commitment-state")).to_have_text("Not on file")
    expect(section.get_by_test_id("commitment-effect")).to_contain_text("withheld")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-tax-not-on-file-en-360")

    section.get_by_role("button", name="Record as on file").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Record {PENDING}'s commitment form 08/CK-TNCN as on file")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-tax-record-dialog-en-360")
    dialog.get_by_role("button", name="Record as on file").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text(f"{PENDING}'s commitment form is on file.")).to_be_visible()
    expect(section.get_by_test_id("commitment-state")).to_have_text("On file")
    expect(section.get_by_test_id("commitment-recorded")).to_have_text(
        re.compile(r"^Recorded as on file .+ by accountant$")
    )
    expect(section.get_by_test_id("commitment-effect")).to_contain_text("waived")
    expect(section.get_by_role("button", name="Withdraw the form")).to_be_visible()
    assert partner(stack, pid)["commitment"]["on_file"] is True
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-tax-on-file-en-360")


def test_customer_service_and_the_director_read_it_with_no_control(
    open_page: Any, stack: DevstackProcess
) -> None:
    pid = partner_id(stack, SUSPENDED)
    recorded = requests.post(
        f"{stack.api}/partners/{pid}/commitment",
        headers=sign_in_by_api(stack, "accountant"),
        json={"on_file": True, "note": "Nhận qua bưu điện"},
        timeout=10,
    )
    assert recorded.status_code == 200, recorded.text

    page = open_page(viewport=PHONE)
    page.goto(f"/partners/{pid}")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.get_by_role("heading", name=SUSPENDED)).to_be_visible()
    section = page.get_by_role("region", name="Thuế thu nhập cá nhân")
    expect(section.get_by_test_id("commitment-state")).to_have_text("Đã nộp")
    expect(section.get_by_test_id("commitment-recorded")).to_contain_text("bởi accountant")
    expect(section.get_by_test_id("commitment-note")).to_have_text("Nhận qua bưu điện")
    expect(section.get_by_test_id("commitment-effect")).to_contain_text("miễn khấu trừ")
    expect(section.get_by_role("button")).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-tax-cs-360")

    # withdrawn: cs is told tax is withheld, without the payout settings it may not read
    withdrawn = requests.post(
        f"{stack.api}/partners/{pid}/commitment",
        headers=sign_in_by_api(stack, "accountant"),
        json={"on_file": False},
        timeout=10,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    page.reload()
    expect(section.get_by_test_id("commitment-state")).to_have_text("Chưa nộp")
    expect(section.get_by_test_id("commitment-effect")).to_contain_text(
        "khi đạt ngưỡng đã thiết lập"
    )
    expect(section.get_by_test_id("commitment-note")).to_have_count(0)
    expect(section.get_by_role("button")).to_have_count(0)
    assert clean(page) == []

    # the director reads the payout settings (the figures) but does not record the form
    director = open_page()
    director.goto(f"/partners/{pid}")
    sign_in(director, "director", stack.password_of("director"))
    section = director.get_by_role("region", name="Thuế thu nhập cá nhân")
    expect(section.get_by_test_id("commitment-state")).to_have_text("Chưa nộp")
    rate = f"{current_setting(stack)['rate_bp'] // 100} %"
    expect(section.get_by_test_id("commitment-effect")).to_contain_text(rate)
    expect(section.get_by_test_id("commitment-action")).to_have_count(0)
    expect(director.get_by_test_id("partner-actions")).to_be_visible()  # status is theirs
    assert clean(director) == []
    shot(director, "partner-tax-director")
