"""The console's partner cases screen in a real browser against the embedded stack (issue 13).

The approved demo partner opens a service case through the partner API for a unit it installed,
with a photo uploaded straight to the bucket; on a 360 px phone customer service finds it in the
queue (open, the longest waiting first), reads the thread and the photo, answers, and the case
is answered, the partner told (its dev inbox) and reading the answer; then it is closed. A
technician's queue has no kind filter (service cases only). axe-core finds no WCAG A/AA
violation and nothing scrolls sideways; screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import require_chromium
from tests.support.console import PHONE, axe_violations, no_horizontal_scroll, shot, sign_in
from tests.support.devstack_process import DevstackProcess
from tests.support.partner_cases import (
    APPROVED_DEMO,
    installed_by_the_partner,
    partner_session,
    uploaded_photo,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

require_chromium()

SUBJECT = "Máy kêu to sau khi lắp"


def clean(page: Page) -> None:
    page.wait_for_function("() => document.getAnimations().length === 0")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


@pytest.fixture(scope="module")
def opened_case(stack: DevstackProcess) -> dict[str, Any]:
    """The demo partner's service case about one of the units it installed, with a photo."""
    partner = partner_session(stack)
    serial = installed_by_the_partner(stack, partner, "GARCASE00001")
    opened = requests.post(
        f"{stack.api}/partner/cases",
        json={
            "kind": "service",
            "serial": serial,
            "subject": SUBJECT,
            "text": "Khách báo máy kêu to khi chạy đêm.\nĐã kiểm tra ống đồng.",
            "photos": [uploaded_photo(stack, partner)],
        },
        headers=partner,
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    return {"case": opened.json()["case"], "partner": partner}


def test_customer_service_answers_a_partner_s_case_on_a_phone(
    open_page: Any, stack: DevstackProcess, opened_case: dict[str, Any]
) -> None:
    case_id = opened_case["case"]["case_id"]
    page: Page = open_page(viewport=PHONE)
    page.goto("/cases")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(
        page.get_by_role("heading", name="Yêu cầu dịch vụ và khiếu nại của đối tác")
    ).to_be_visible()
    card = page.get_by_test_id("record-card").filter(has_text=SUBJECT)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Chờ nhân viên")
    clean(page)
    shot(page, "cases-queue-360")

    card.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_role("heading", name=SUBJECT, level=1)).to_be_visible()
    note = page.get_by_test_id("case-note").first
    expect(note).to_contain_text("Đối tác Trần Văn Hùng")
    expect(note).to_contain_text("Đã kiểm tra ống đồng.")
    photo = page.get_by_test_id("case-photo").first
    expect(photo).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=case-photo]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )  # the presigned link loads (the console's img-src allows the bucket)
    clean(page)
    shot(page, "case-open-360")

    page.get_by_label("Nội dung trả lời").fill("Kỹ thuật sẽ liên hệ khách trong hôm nay.")
    page.get_by_role("button", name="Gửi trả lời").click()

    expect(page.get_by_text("Đã gửi trả lời: đối tác đã được báo.")).to_be_visible()
    expect(page.get_by_text("Đã trả lời", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("case-note")).to_have_count(2)
    expect(page.get_by_test_id("case-note").last).to_contain_text("Nhân viên (cs)")
    clean(page)
    shot(page, "case-answered-360")
    told = stack.wait_for_inbox(
        APPROVED_DEMO, lambda ms: any(m["template"] == "partner_case_answered" for m in ms)
    )
    assert any(SUBJECT in m["text"] for m in told if m["template"] == "partner_case_answered")
    seen = requests.get(
        f"{stack.api}/partner/cases/{case_id}", headers=opened_case["partner"], timeout=10
    ).json()["case"]
    assert seen["status"] == "answered"
    assert seen["notes"][-1]["author"] == {"role": "staff"}

    page.get_by_role("button", name="Đóng yêu cầu").click()

    expect(page.get_by_text("Đã đóng bởi cs")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi trả lời")).to_have_count(0)
    clean(page)
    shot(page, "case-closed-360")


def test_a_technician_s_queue_is_the_service_cases_in_english(
    page: Page, stack: DevstackProcess, opened_case: dict[str, Any]
) -> None:
    page.goto("/cases?status=closed")  # the case the test above closed
    page.get_by_role("button", name="English").click()
    sign_in(page, "technician", stack.password_of("technician"), language="en")

    expect(
        page.get_by_role("heading", name="Partners' service cases and complaints")
    ).to_be_visible()
    expect(page.get_by_role("textbox", name="Kind")).to_have_count(0)  # service cases only
    expect(page.locator("tbody tr").filter(has_text=SUBJECT)).to_have_count(1)
    assert axe_violations(page) == []
    shot(page, "cases-technician-en")
