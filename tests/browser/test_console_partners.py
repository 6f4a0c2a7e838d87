"""The console's installer partner screens in a real browser against the embedded stack (issue 13).

The director opens the review queue (pending partners first), approves the pending demo partner
and suspends the approved one with a note (refused without it), each change on the partner's
history with who, when and the note, and a link to the partner's audit log. In English on a
360 px phone the director adds a partner (the form's own checks on the fields) and approves it
with a note, and a suspension someone else made first is told in words (the API's 409).
Customer service reads masked citizen IDs and account numbers and has no action; a technician
has no menu entry and the route refuses. axe-core finds no WCAG A/AA violation on any of these
screens."""

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


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


PENDING = "Lê Thị Mai"  # devstack/demo.py's partners
APPROVED = "Trần Văn Hùng"


def test_the_director_approves_the_pending_partner_and_suspends_another_with_a_note(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/partners")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_role("heading", name="Đối tác lắp đặt", level=1)).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text=PENDING)).to_have_count(1)  # pending: the review queue
    expect(rows.filter(has_text=APPROVED)).to_have_count(0)
    assert clean(page) == []
    shot(page, "partners-pending-vi")

    rows.filter(has_text=PENDING).get_by_role("link").click()
    expect(page.get_by_role("heading", name=PENDING)).to_be_visible()
    expect(page.get_by_test_id("citizen-id")).to_have_text("079185004321")  # in full
    page.get_by_test_id("partner-actions").get_by_role("button", name="Duyệt").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Duyệt {PENDING}")
    assert clean(page) == []
    dialog.get_by_role("button", name="Duyệt").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Đã duyệt", exact=True).first).to_be_visible()
    expect(page.get_by_text("Chờ duyệt → Đã duyệt")).to_be_visible()
    expect(page.get_by_text(re.compile(r"· director$"))).to_be_visible()
    partner_id = page.url.rsplit("/", 1)[-1]
    expect(page.get_by_test_id("audit-link")).to_have_attribute(
        "href", f"/audit?entity=partner&entity_id={partner_id}"
    )
    assert clean(page) == []
    shot(page, "partner-approved-vi")

    page.get_by_role("link", name="← Danh sách đối tác").click()
    page.get_by_role("combobox", name="Trạng thái").click()
    page.get_by_role("option", name="Đã duyệt").click()
    expect(page).to_have_url(re.compile(r"/partners\?status=approved"))
    rows.filter(has_text=APPROVED).get_by_role("link").click()
    page.get_by_test_id("partner-actions").get_by_role("button", name="Tạm ngưng").click()
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog.get_by_text("Vui lòng ghi lý do.")).to_be_visible()  # a note is required
    dialog.get_by_label("Ghi chú").fill("Kích hoạt hộ không đúng quy định")
    dialog.get_by_role("button", name="Tạm ngưng").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Đã duyệt → Tạm ngưng")).to_be_visible()
    expect(page.get_by_text("Kích hoạt hộ không đúng quy định")).to_be_visible()
    expect(page.get_by_test_id("partner-actions").get_by_role("button")).to_have_text(
        ["Cho hoạt động lại"]
    )
    assert clean(page) == []
    shot(page, "partner-suspended-vi")

    suspended_id = page.url.rsplit("/", 1)[-1]

    page.get_by_test_id("audit-link").click()
    expect(page).to_have_url(re.compile(rf"/audit\?entity=partner&entity_id={suspended_id}$"))

    # a phone number finds its partner whatever the status (exact, any spelling)
    page.goto("/partners")
    page.get_by_role("textbox", name="Tìm theo số điện thoại").fill("0909 000 103")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/partners\?phone=0909"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phạm Quốc Bảo")
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Phạm Quốc Bảo")).to_be_visible()
    page.go_back()  # the search again, from the URL
    expect(page.get_by_role("textbox", name="Tìm theo số điện thoại")).to_have_value("0909 000 103")
    expect(rows.first).to_contain_text("Phạm Quốc Bảo")


def test_in_english_on_a_phone_the_director_adds_a_partner_and_is_told_of_a_conflict(
    open_page: Any, stack: DevstackProcess
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/sign-in?next=%2Fpartners%2Fnew")
    page.get_by_role("button", name="English").click()
    sign_in(page, "director", stack.password_of("director"), language="en")
    expect(page.get_by_role("heading", name="Add an installer partner")).to_be_visible()

    page.get_by_label("Phone number").fill("0966 111 222")
    page.get_by_label("Full name").fill("Ngô Thanh Sơn")
    page.get_by_label("Citizen ID number").fill("12345")
    page.get_by_label("Account holder").fill("Ngô Thanh Sơn")
    expect(page.get_by_text("The bank prints it as: NGO THANH SON")).to_be_visible()
    page.get_by_role("button", name="Create partner").click()
    expect(page.get_by_text("The citizen ID number must have 9 or 12 digits.")).to_be_visible()
    expect(page.get_by_text("The partner's consent is required.")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-new-errors-en-360")

    page.get_by_label("Citizen ID number").fill("001095001122")
    page.get_by_role("combobox", name="Province or city").click()
    page.get_by_role("option", name="Cần Thơ").click()
    # the banks of /partner/banks (a public list any page may read), searched by short name
    page.get_by_role("combobox", name="Bank").fill("Vietcom")
    page.get_by_role("option", name=re.compile("^Vietcombank")).click()
    page.get_by_label("Account number").fill("0011000555666")
    page.get_by_label("The partner agreed").check()
    page.get_by_role("button", name="Create partner").click()

    expect(page.get_by_role("heading", name="Ngô Thanh Sơn")).to_be_visible()
    expect(page.get_by_text("Created: Pending review")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-created-en-360")

    # approved in English with a note; then a colleague suspends it first (through the API):
    # the page's own suspension is refused in words, and the page shows what it is now
    actions = page.get_by_test_id("partner-actions")
    actions.get_by_role("button", name="Approve").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Note").fill("Checked the ID card in person")
    dialog.get_by_role("button", name="Approve").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Pending review → Approved")).to_be_visible()
    expect(page.get_by_text("Checked the ID card in person")).to_be_visible()

    partner_id = page.url.rsplit("/", 1)[-1]
    director = sign_in_by_api(stack, "director")
    suspended = requests.post(
        f"{stack.api}/partners/{partner_id}/status",
        headers=director,
        json={"status": "suspended", "note": "Trùng hồ sơ"},
        timeout=10,
    )
    assert suspended.status_code == 200, suspended.text
    actions.get_by_role("button", name="Suspend").click()
    dialog.get_by_role("button", name="Suspend").click()
    expect(dialog.get_by_text("Please give the reason.")).to_be_visible()
    dialog.get_by_label("Note").fill("Activations for someone else")
    dialog.get_by_role("button", name="Suspend").click()
    expect(dialog.get_by_role("alert")).to_contain_text("The partner's status has changed")
    expect(dialog.get_by_role("alert")).to_contain_text("suspended")  # the API's words
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partner-conflict-en-360")
    dialog.get_by_role("button", name="Cancel").first.click()
    expect(page.get_by_text("Approved → Suspended")).to_be_visible()
    expect(page.get_by_text("Trùng hồ sơ")).to_be_visible()
    expect(actions.get_by_role("button")).to_have_text(["Reinstate"])


def test_customer_service_reads_masked_with_no_actions_and_a_technician_is_refused(
    open_page: Any, stack: DevstackProcess
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/partners?status=suspended")
    sign_in(page, "cs", stack.password_of("cs"))
    page.get_by_role("button", name="Mở danh mục").click()  # a phone's menu is folded
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Đối tác lắp đặt")
    ).to_be_visible()
    page.get_by_role("button", name="Đóng danh mục").click()
    cards = page.get_by_test_id("record-card")  # a phone shows the list as cards
    expect(cards.filter(has_text="Phạm Quốc Bảo")).to_have_count(1)
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "partners-cs-360")

    cards.filter(has_text="Phạm Quốc Bảo").get_by_role("link").first.click()
    expect(page.get_by_test_id("citizen-id")).to_have_text(re.compile(r"^\*+7788$"))
    expect(page.get_by_test_id("account-number")).to_have_text(re.compile(r"^\*+2345$"))
    expect(page.get_by_test_id("partner-actions")).to_have_count(0)
    expect(page.get_by_role("button", name="Cho hoạt động lại")).to_have_count(0)
    expect(page.get_by_test_id("audit-link")).to_have_count(0)  # the audit log is not cs's
    page.goto("/partners/new")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()

    technician = open_page()
    technician.goto("/")
    sign_in(technician, "technician", stack.password_of("technician"))
    expect(technician.get_by_role("heading", name="Xin chào, technician")).to_be_visible()
    expect(
        technician.get_by_role("navigation").get_by_role("link", name="Đối tác lắp đặt")
    ).to_have_count(0)
    technician.goto("/partners")
    expect(technician.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
    assert clean(technician) == []
