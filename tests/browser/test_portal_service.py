# ruff: noqa: F811 - the tests take test_portal's fixtures, imported by name, as arguments
"""Issue 15, the customer's side, in a real browser on a 360 px phone: a customer scans an
activated unit, sees that a request would be covered, files one with two photos (each PUT
straight to the bucket, a wrong file refused before any upload) and gets the verdict with its
reasons at once; follows it in English on the tracking page and accepts the staff's quote; and
an out-of-warranty unit is told why and offered a paid repair quote.

Same stack and helpers as ``test_portal.py`` (its fixtures are reused, not copied).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.test_portal import (  # noqa: F401 - fixtures are found by name
    SMALL_PHONE,
    activate_by_api,
    browser,
    lookup_code,
    new_unit,
    open_page,
    shot,
    stack,
    staff,
    vi_date,
    web,
)
from tests.support.devstack_process import DevstackProcess
from tests.support.partner_cases import jpeg

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


VIETNAM = timezone(timedelta(hours=7))


def wait_until(ready: Callable[[], bool], seconds: float = 20) -> None:
    """Until ``ready`` (a stream's consequence lands a moment after the write)."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "not ready in time"
        time.sleep(0.3)


def claim(stack: DevstackProcess, staff: dict[str, str], claim_id: str) -> dict[str, Any]:
    response = requests.get(f"{stack.api}/claims/{claim_id}", headers=staff, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json()["claim"])


def staff_moves(
    stack: DevstackProcess, staff: dict[str, str], claim_id: str, *moves: dict[str, Any]
) -> None:
    """The desk moves the request along (a route is a move to ``routed`` with an assignee)."""
    for move in moves:
        version = claim(stack, staff, claim_id)["version"]
        path = "route" if "assignee" in move else "moves"
        moved = requests.post(
            f"{stack.api}/claims/{claim_id}/{path}",
            json={**move, "version": version},
            headers=staff,
            timeout=10,
        )
        assert moved.status_code == 200, moved.text


def test_a_customer_files_a_request_with_two_photos_and_sees_the_verdict_at_360_px(
    stack: DevstackProcess,
    staff: dict[str, str],
    open_page: Callable[..., Page],
    tmp_path: Path,
) -> None:
    # Given an activated unit whose sticker the customer scans on a small phone
    token = new_unit(stack, staff, "SRV-0001", "AC-INV-12")
    activated = activate_by_api(stack, token, "0912 000 701")
    page = open_page(viewport=SMALL_PHONE)
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.method == "PUT" else None)
    page.goto(f"/q/{token}")

    # When they ask for service from the landing page
    page.locator("#service-link").click()

    # Then the page says before anything is sent that the request would be covered, and why
    expect(page.get_by_role("heading", level=1)).to_have_text("Yêu cầu dịch vụ")
    expect(page.locator("#sr-preview.verdict.ok")).to_contain_text("Còn bảo hành")
    expect(page.locator("#sr-preview-reasons")).to_contain_text(
        f"Còn bảo hành đến hết ngày {vi_date(activated['warranty_end'])}"
    )
    shot(page, "srv-01-before-the-form")

    # When they open the form, a file that is not a photo is refused before any upload
    page.locator("#sr-start").click()
    notes = tmp_path / "ghi-chu.txt"
    notes.write_text("không phải ảnh", encoding="utf-8")
    page.locator("#sr-photos").set_input_files(str(notes))
    expect(page.locator("#sr-photos-err")).to_contain_text("không phải ảnh JPEG, PNG hay WebP")
    assert uploads == []

    # …and two photos are uploaded straight to the bucket, each with its thumbnail
    photos = [tmp_path / "may-lanh.jpg", tmp_path / "tem.jpg"]
    for photo in photos:
        photo.write_bytes(jpeg((800, 600)))
    page.locator("#sr-photos").set_input_files([str(p) for p in photos])
    expect(page.locator("#sr-photo-list li[data-state=ready]")).to_have_count(2)
    expect(page.locator("#sr-photo-list img")).to_have_count(2)
    assert len(uploads) == 2 and all("/service-requests" not in url for url in uploads)
    page.fill("#sr-description", "Máy không lạnh, dàn nóng kêu to")
    page.fill("#sr-name", "Nguyễn Văn An")
    page.fill("#sr-phone", "0912 000 701")
    page.select_option("#sr-province", "Hà Nội")
    page.fill("#sr-address", "12 Lý Thường Kiệt, Hoàn Kiếm")
    page.fill("#sr-preferred", "Sáng thứ Bảy")
    shot(page, "srv-02-form-with-two-photos")
    page.locator("#sr-submit").click()

    # Then the verdict comes at once, with its reasons, the reference and the tracking link
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Đã nhận yêu cầu SR-")
    expect(page.locator("#sr-verdict.verdict.ok")).to_contain_text("Còn bảo hành")
    expect(page.locator("#sr-verdict-reasons li")).to_have_count(1)
    claim_id = page.locator("#sr-reference").inner_text()
    assert page.locator("#sr-track").get_attribute("href").startswith(f"/r/{claim_id}?t=")
    shot(page, "srv-03-verdict")
    filed = claim(stack, staff, claim_id)
    assert filed["serial"] == "SRV-0001"
    assert len(filed["photos"]) == 2
    assert filed["description"] == "Máy không lạnh, dàn nóng kêu to"
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def test_the_tracking_page_in_english_shows_the_quote_and_takes_the_customer_s_answer(
    stack: DevstackProcess,
    staff: dict[str, str],
    open_page: Callable[..., Page],
) -> None:
    # Given a request filed for an activated unit, checked and quoted by staff
    token = new_unit(stack, staff, "SRV-0002", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 702")
    body = {
        "serial": "SRV-0002",
        "sig": token,
        "claim_type": "repair",
        "customer": {"name": "Trần Thị Bình", "phone": "0912 000 702"},
        "description": "Remote control does not work",
    }
    filed = requests.post(f"{stack.api}/service-requests", json=body, timeout=10)
    assert filed.status_code == 201, filed.text
    claim_id, link = filed.json()["claim_id"], filed.json()["token"]
    staff_moves(stack, staff, claim_id, {"to": "triaged"}, {"to": "quoted", "quote_vnd": 450000})

    # When the customer opens the link from the message, in English
    page = open_page(viewport=SMALL_PHONE)
    page.goto(f"/r/{claim_id}?t={link}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Yêu cầu {claim_id}")
    page.locator("#lang").click()

    # Then the steps, the verdict with its reasons and the quote are there, in English
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {claim_id}")
    expect(page.locator("#tr-status")).to_have_text("Quote sent")
    expect(page.locator("#tr-quote-amount")).to_have_text("450,000 ₫")
    expect(page.locator("#tr-verdict")).to_contain_text("In warranty")
    expect(page.locator("#tr-verdict-reasons")).to_contain_text("Under warranty until")
    expect(page.locator("#tr-timeline li")).to_have_count(3)  # received, checked, quoted
    shot(page, "srv-04-tracking-quote-en")

    # When they accept the quote, and confirm the price
    page.locator("#tr-quote_accepted").click()
    expect(page.locator("#tr-quote-confirm")).to_contain_text("Agree to the repair for 450,000 ₫?")
    expect(page.locator("#tr-quote-confirm")).to_be_focused()
    assert claim(stack, staff, claim_id)["state"] == "quoted"  # nothing sent yet
    page.locator("#tr-quote_accepted-yes").click()

    # Then the request moves on, and the page says so
    expect(page.locator("#tr-status")).to_have_text("Quote accepted")
    expect(page.locator("#tr-quote")).to_have_count(0)
    # the price agreed stays in sight
    expect(page.locator("section[aria-labelledby=tr-status]")).to_contain_text("450,000 ₫")
    assert claim(stack, staff, claim_id)["state"] == "quote_accepted"
    shot(page, "srv-05-tracking-accepted-en")

    # When the unit comes back repaired, with its expected return date told on the way
    staff_moves(
        stack,
        staff,
        claim_id,
        {"routing": "internal", "assignee": "technician"},
        {"to": "accepted"},
        {"to": "received", "expected_return": "2026-12-20"},
    )
    page.reload()
    expect(page.locator("#tr-status")).to_have_text("Being repaired")
    expect(page.locator("#tr-return")).to_have_text("Expected back on 20 Dec 2026.")
    staff_moves(
        stack,
        staff,
        claim_id,
        {"to": "diagnosing"},
        {"to": "repaired"},
        {"to": "ready_for_return"},
        {"to": "returned"},
    )
    page.reload()
    expect(page.locator("#tr-status")).to_have_text("Returned")
    expect(page.locator("#tr-return")).to_have_count(0)  # it is back: no date to wait for

    # Then the customer confirms it is back and rates the service
    page.locator("#tr-confirmed").click()
    expect(page.locator("#tr-status")).to_have_text("Confirmed by you")
    page.get_by_label("4 ★").check()
    page.fill("#tr-rate-note", "Quick and polite")
    shot(page, "srv-06-tracking-confirmed-rate-en")
    page.locator("#tr-rate-send").click()
    expect(page.locator("#tr-rated")).to_have_text("You rated the service 4 out of 5. Thank you!")
    rated = claim(stack, staff, claim_id)
    assert (rated["state"], rated["rating"], rated["rating_note"]) == (
        "confirmed",
        4,
        "Quick and polite",
    )

    # And a forged link learns nothing
    page.goto(f"/r/{claim_id}?t=AAAAAAAAAAAAAAAA")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request not found")


def test_an_out_of_warranty_unit_is_told_why_and_can_ask_for_a_paid_repair_quote(
    stack: DevstackProcess,
    staff: dict[str, str],
    open_page: Callable[..., Page],
) -> None:
    # Given a microwave made in 2024 (12 months from manufacture): its warranty has ended
    token = new_unit(stack, staff, "SRV-0003", "MW-25G", made_on="2024-06-01")
    activate_by_api(stack, token, "0912 000 703")
    page = open_page(viewport=SMALL_PHONE)

    # When its owner asks for service from "my products", signed in by a code
    page.goto("/my")
    page.fill("#phone", "0912000703")
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", lookup_code(stack, "0912 000 703"))
    page.get_by_role("button", name="Xác nhận").click()
    page.locator("li.card", has_text="SRV-0003").get_by_role("link", name="Yêu cầu dịch vụ").click()
    assert page.url.endswith(f"/s/{token}")

    # Then they are told it is out of warranty, and why, and offered a paid repair quote
    expect(page.locator("#sr-preview.verdict.bad")).to_contain_text("Hết bảo hành")
    reasons = page.locator("#sr-preview-reasons")
    expect(reasons).to_contain_text("bảo hành đã kết thúc ngày 31/05/2025")
    expect(page.locator("#sr-preview")).to_contain_text("báo giá")
    page.locator("#sr-start").click()
    expect(page.locator("#sr-form-title")).to_have_text("Yêu cầu báo giá sửa chữa")
    expect(page.locator("#sr-type")).to_be_disabled()
    expect(page.locator("#sr-type")).to_have_value("repair")
    shot(page, "srv-07-out-of-warranty-form")
    page.fill("#sr-description", "Lò không nóng")
    page.fill("#sr-name", "Lê Văn Cường")
    page.fill("#sr-phone", "0912 000 703")
    page.locator("#sr-submit").click()

    # And the request they filed is a paid repair, waiting for its quote
    expect(page.locator("#sr-verdict.verdict.bad")).to_contain_text(
        "bảo hành đã kết thúc ngày 31/05/2025"
    )
    expect(page.locator("#sr-quote-next")).to_contain_text("báo giá")
    filed = claim(stack, staff, page.locator("#sr-reference").inner_text())
    assert filed["claim_type"] == "repair"
    assert filed["verdict"]["status"] == "out_of_warranty"
    shot(page, "srv-08-out-of-warranty-verdict")

    # When they change their mind on the request's page, a cancel needs a reason
    page.locator("#sr-track").click()
    expect(page.locator("#tr-status")).to_have_text("Đã tiếp nhận")
    page.locator("#tr-open-cancelled").click()
    page.locator("#tr-cancelled-send").click()
    expect(page.locator("#tr-alert")).to_contain_text("Vì sao bạn hủy?")
    page.fill("#tr-note-cancelled", "Tôi tự mang ra tiệm gần nhà")
    page.locator("#tr-cancelled-send").click()

    # Then the request is cancelled, and nothing more can be done with it
    expect(page.locator("#tr-status")).to_have_text("Đã hủy")
    expect(page.locator("#tr-actions")).to_have_count(0)
    assert claim(stack, staff, filed["claim_id"])["state"] == "cancelled"
    shot(page, "srv-09-cancelled")


def maintenance_link(stack: DevstackProcess, serial: str, component: str) -> str:
    """The reminder's link to a line, signed with the stack's own pepper."""
    from chalicelib.maintenance.booking_link import booking_key, booking_token

    secrets = json.loads((stack.data_dir / "secrets.json").read_text(encoding="utf-8"))
    token = booking_token(booking_key(bytes.fromhex(secrets["pepper"])), serial, component)
    return f"/m/{serial}/{component}?t={token}"


def test_a_customer_books_a_maintenance_visit_from_the_reminder_s_link_at_360_px(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given an air conditioner (the demo's plan: its dust filter every month, free) activated
    token = new_unit(stack, staff, "SRV-0101", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 711")
    link = maintenance_link(stack, "SRV-0101", "LOC-BUI")
    api_path = link.replace("/m/", "/public/maintenance/", 1)
    wait_until(lambda: requests.get(f"{stack.api}{api_path}", timeout=10).status_code == 200)

    # When its customer opens the reminder's link on a small phone
    page = open_page(viewport=SMALL_PHONE)
    page.goto(link)

    # Then the visit is there: the part due, its day, its cost, what the technician will do
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch bảo trì")
    expect(page.locator("#mt-status")).to_have_text("Sắp đến hạn bảo trì")
    expect(page.locator("section.card").first).to_contain_text("Vệ sinh lưới lọc bụi")
    expect(page.locator("section.card").first).to_contain_text("Miễn phí")
    expect(page.locator("#mt-checklist li")).to_have_count(3)
    shot(page, "mt-01-visit")

    # When they book without a day, the page says so on the field; then with a day
    page.locator("#mt-book-send").click()
    expect(page.locator("#mt-day-err")).to_contain_text("Vui lòng chọn ngày hẹn")
    tomorrow = (datetime.now(VIETNAM).date() + timedelta(days=1)).isoformat()
    page.fill("#mt-day", tomorrow)
    page.select_option("#mt-part", "afternoon")
    page.fill("#mt-note", "Gọi trước 30 phút")
    page.locator("#mt-book-send").click()

    # Then the visit is booked for that afternoon, and no reminder will follow
    expect(page.locator("#mt-status")).to_have_text("Đã đặt hẹn")
    expect(page.locator("#mt-booking")).to_contain_text("buổi chiều")
    visit = requests.get(f"{stack.api}{api_path}", timeout=10).json()
    assert (visit["stage"], visit["booking"]["day"]) == ("booked", tomorrow)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    shot(page, "mt-02-booked")

    # And a link that is not the line's own opens nothing
    page.goto(link.replace("LOC-BUI", "VS-DAN-LANH"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy lịch bảo trì")
