"""The console's Customers screens in a real browser against the embedded stack (issue 12).

Given two customers who activated (one with two units, their confirmations delivered), customer
service finds a customer by phone, by the start of the name (in English, marks left out) and by a
unit's serial; opens the customer's page (masked name and phone, units linking to their pages,
consents with when and how, messages linking to theirs); shows the full name and phone (the
reveal is in the audit table) until leaving the page; the same works on a 360 px phone; the
director reads without the button; a technician has no Customers menu.

Given three customers who asked on "my products" for their data to be erased (issue 17),
customer service sees the open requests with their deadlines, refuses one (not without a reason)
and erases another (the counts per part shown, the request under "erased"); on a 360 px phone in
Persian the page reads right to left; the director reads without the buttons, a request past
its deadline in red and one due within a day in amber.

Below the requests, the retention periods (24/60/60 months at first): the admin's value out of
bounds is refused on its field, valid ones are saved (who and when shown, still there after a
reload), a save over a version someone else replaced meanwhile says so and shows their values;
in Persian on a 360 px phone the section reads right to left, and customer service reads the
periods without a Save button. axe-core finds no WCAG A/AA violation on any of these screens."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    emulator_client,
    new_unit,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-customers")]

require_chromium()

BINH = ("Trần Thị Bình", "0912 345 681")
CUONG = ("Lê Văn Cường", "0912 345 682")
UNITS = {"CUS-0001": BINH, "CUS-0002": BINH, "CUS-0003": CUONG}


@pytest.fixture(scope="module")
def customers(stack: DevstackProcess) -> dict[str, Any]:
    """Three activations by two customers; the confirmations delivered."""
    admin = sign_in_by_api(stack, "admin")
    for serial, (name, phone) in UNITS.items():
        activation = {
            "token": new_unit(stack, admin, serial),
            "customer": {"name": name, "phone": phone, "province": "Huế"},
            "consents": {"warranty_service": True, "marketing": serial == "CUS-0003"},
        }
        response = requests.post(f"{stack.api}/public/activations", json=activation, timeout=10)
        assert response.status_code == 201, response.text

    def delivered(phone: str, count: int) -> bool:
        answer = requests.get(
            f"{stack.api}/messages",
            params={"phone": phone, "status": "delivered"},
            headers=admin,
            timeout=10,
        )
        return len(answer.json()["messages"]) >= count

    stack.wait_for(lambda: delivered(BINH[1], 2) and delivered(CUONG[1], 1), timeout=60)
    found = requests.get(
        f"{stack.api}/customers", params={"phone": BINH[1]}, headers=admin, timeout=10
    ).json()["customers"]
    return {"binh": found[0]["customer_id"]}


def search(page: Page, mode: str, text: str, *, label: str) -> None:
    form = page.get_by_role("search")
    form.get_by_text(mode, exact=True).click()
    form.get_by_role("textbox", name=label).fill(text)
    form.get_by_role("button").last.click()


def audit_entries(stack: DevstackProcess, customer_id: str) -> list[dict[str, Any]]:
    dynamodb = emulator_client(stack, "dynamodb")
    table = next(name for name in dynamodb.list_tables()["TableNames"] if name.endswith("-audit"))
    items = dynamodb.query(
        TableName=table,
        KeyConditionExpression="entity_key = :k",
        ExpressionAttributeValues={":k": {"S": f"customer#{customer_id}"}},
    )["Items"]
    return [{"actor": i["actor"]["S"], "action": i["action"]["S"]} for i in items]


def test_customer_service_finds_a_customer_by_phone_opens_the_page_and_reveals(
    page: Page, stack: DevstackProcess, customers: dict[str, Any]
) -> None:
    page.goto("/customers")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.get_by_role("navigation").get_by_role("link", name="Khách hàng")).to_be_visible()
    expect(page.get_by_text("Nhập số điện thoại, tên hoặc số serial")).to_be_visible()

    search(page, "Số điện thoại", "+84 912 345 681", label="Số điện thoại của khách")

    expect(page).to_have_url(re.compile(r"/customers\?mode=phone&q=%2B84"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("T*** T** B***")
    expect(rows.first).to_contain_text("+84 91* *** *81")
    assert "Bình" not in page.content()
    assert axe_violations(page) == []
    shot(page, "customers-phone-vi")

    rows.first.get_by_role("link").click()

    expect(page).to_have_url(f"/customers/{customers['binh']}")
    expect(page.get_by_test_id("customer-name")).to_have_text("T*** T** B***")
    expect(page.get_by_test_id("customer-phone")).to_have_text("+84 91* *** *81")
    units = page.get_by_test_id("customer-units").get_by_role("link")
    expect(units).to_have_text(["CUS-0001", "CUS-0002"])
    expect(units.first).to_have_attribute("href", "/units/CUS-0001")
    consents = page.get_by_test_id("customer-consents")
    expect(consents).to_contain_text("Dịch vụ bảo hành")
    expect(consents).to_contain_text("Đồng ý")
    expect(consents).to_contain_text("qua trang web")
    expect(consents).to_contain_text("Không đồng ý")  # marketing: refused
    messages = page.get_by_test_id("customer-messages").get_by_role("link")
    expect(messages).to_have_count(2)
    expect(messages.first).to_have_attribute("href", re.compile(r"^/messages/m_"))
    assert axe_violations(page) == []
    shot(page, "customer-masked-vi")

    page.get_by_role("button", name="Hiện họ tên và số điện thoại").click()

    expect(page.get_by_test_id("customer-name")).to_have_text("Trần Thị Bình")
    expect(page.get_by_test_id("customer-phone")).to_have_text("+84912345681")
    expect(page.get_by_role("status")).to_contain_text("đã ghi vào nhật ký")
    assert audit_entries(stack, customers["binh"]) == [
        {"actor": "cs", "action": "customer_revealed"}
    ]
    assert axe_violations(page) == []
    shot(page, "customer-revealed-vi")

    # leaving the page hides them again: back to the results, then forward to the customer
    page.go_back()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.go_forward()
    expect(page.get_by_test_id("customer-name")).to_have_text("T*** T** B***")
    # and the back link returns to the same results
    page.get_by_role("link", name="← Tìm khách hàng").click()
    expect(page).to_have_url(re.compile(r"/customers\?mode=phone&q=%2B84"))
    expect(page.locator("tbody tr")).to_have_count(1)


def test_in_english_a_name_without_marks_and_a_serial_find_their_customer(
    page: Page, stack: DevstackProcess, customers: dict[str, Any]
) -> None:
    page.goto("/sign-in?next=%2Fcustomers")
    page.get_by_role("button", name="English").click()
    sign_in(page, "admin", stack.password_of("admin"), language="en")
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()

    search(page, "Name", "le van", label="Customer's name")

    expect(page).to_have_url(re.compile(r"mode=name&q=le\+van"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("L* V** C****")
    assert axe_violations(page) == []
    shot(page, "customers-name-en")

    search(page, "Serial", "cus-0002", label="A product's serial")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("T*** T** B***")
    page.go_back()  # the previous search, from the URL
    expect(rows.first).to_contain_text("L* V** C****")
    expect(page.get_by_role("search").get_by_role("textbox")).to_have_value("le van")

    search(page, "Name", "x", label="Customer's name")
    expect(page.get_by_role("alert")).to_have_text("Please enter at least 2 letters of the name.")
    assert axe_violations(page) == []
    shot(page, "customers-name-too-short-en")


def test_on_a_360_px_phone_search_and_page_fit_the_screen(
    open_page: Any, stack: DevstackProcess, customers: dict[str, Any]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/customers?mode=serial&q=CUS-0003")
    sign_in(page, "cs", stack.password_of("cs"))

    rows = page.get_by_test_id("record-card")  # a phone shows the results as cards
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("L* V** C****")
    expect(page.locator("tbody tr")).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "customers-serial-360")

    rows.first.get_by_role("link").click()

    expect(page.get_by_test_id("customer-units").get_by_role("link")).to_have_text(["CUS-0003"])
    page.get_by_role("button", name="Hiện họ tên và số điện thoại").click()
    expect(page.get_by_test_id("customer-name")).to_have_text("Lê Văn Cường")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "customer-360")


def test_the_director_reads_masked_and_a_technician_has_no_customers(
    open_page: Any, stack: DevstackProcess, customers: dict[str, Any]
) -> None:
    page = open_page()
    page.goto(f"/customers/{customers['binh']}")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_test_id("customer-name")).to_have_text("T*** T** B***")
    expect(page.get_by_role("button", name="Hiện họ tên và số điện thoại")).to_have_count(0)

    technician = open_page()
    technician.goto("/")
    sign_in(technician, "technician", stack.password_of("technician"))
    expect(technician.get_by_role("heading", name="Xin chào, technician")).to_be_visible()
    expect(
        technician.get_by_role("navigation").get_by_role("link", name="Khách hàng")
    ).to_have_count(0)
    technician.goto("/customers")
    expect(technician.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
    assert axe_violations(technician) == []


# -- personal-data requests (issue 17) ------------------------------------------------------------

# who asks: refused, erased, and one left open for the phone and the director
ASKING = {
    "refuse": ("PRV-0001", "Phạm Thị Dung", "0912 345 691"),
    "erase": ("PRV-0002", "Hoàng Văn Em", "0912 345 692"),
    "open": ("PRV-0003", "Vũ Thị Giang", "0912 345 693"),
}
MASKED = {kind: f"+84 91* *** *{phone[-2:]}" for kind, (_, _, phone) in ASKING.items()}
ISOLATED = "[\u2068\u2069]*"  # the marks around a value in a Persian text (src/i18n/index.ts)


def lookup_token(stack: DevstackProcess, phone: str) -> str:
    """Sign in on "my products" as the customer would: a code sent to the phone, read from the
    dev inbox, verified."""
    sent = requests.post(f"{stack.api}/public/otp", json={"phone": phone}, timeout=10)
    assert sent.status_code == 202, sent.text

    def codes(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in messages if m["template"] == "lookup_code"]

    messages = stack.wait_for_inbox(phone, lambda ms: bool(codes(ms)))
    found = re.search(r"\b(\d{6})\b", codes(messages)[0]["text"])
    assert found
    verified = requests.post(
        f"{stack.api}/public/otp/verify",
        json={"phone": phone, "code": found.group(1)},
        timeout=10,
    )
    assert verified.status_code == 200, verified.text
    return str(verified.json()["lookup_token"])


@pytest.fixture(scope="module")
def erasure_requests(stack: DevstackProcess) -> dict[str, dict[str, Any]]:
    """Three customers who activated a unit each, then asked for their data to be erased (in
    this order: the open list shows them so, soonest deadline first)."""
    admin = sign_in_by_api(stack, "admin")
    made: dict[str, dict[str, Any]] = {}
    for kind, (serial, name, phone) in ASKING.items():
        activation = {
            "token": new_unit(stack, admin, serial),
            "customer": {"name": name, "phone": phone, "province": "Huế"},
            "consents": {"warranty_service": True, "marketing": False},
        }
        activated = requests.post(f"{stack.api}/public/activations", json=activation, timeout=10)
        assert activated.status_code == 201, activated.text
        asked = requests.post(
            f"{stack.api}/public/my-data/erasure",
            json={"confirm": True},
            headers={"Authorization": f"Bearer {lookup_token(stack, phone)}"},
            timeout=10,
        )
        assert asked.status_code == 202, asked.text
        made[kind] = asked.json()["request"]
    return made


def privacy_requests(stack: DevstackProcess, status: str) -> list[dict[str, Any]]:
    answer = requests.get(
        f"{stack.api}/privacy/requests",
        params={"status": status},
        headers=sign_in_by_api(stack, "cs"),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["requests"])


def test_customer_service_refuses_a_request_with_a_reason_and_erases_another(
    page: Page, stack: DevstackProcess, erasure_requests: dict[str, dict[str, Any]]
) -> None:
    page.goto("/privacy")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(
        page.get_by_role("navigation").get_by_role("link", name="Dữ liệu cá nhân")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Yêu cầu về dữ liệu cá nhân")).to_be_visible()
    expect(page.get_by_text("trong vòng 72 giờ kể từ khi nhận")).to_be_visible()
    expect(page.get_by_role("tab", name="Chờ xử lý")).to_have_attribute("aria-selected", "true")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)  # soonest deadline first
    expect(rows.nth(0)).to_contain_text(MASKED["refuse"])
    expect(rows.nth(1)).to_contain_text(MASKED["erase"])
    expect(rows.nth(2)).to_contain_text(MASKED["open"])
    due = datetime.fromisoformat(erasure_requests["refuse"]["due_at"]).astimezone()
    expect(rows.nth(0)).to_contain_text(due.strftime("%d/%m/%Y %H:%M"))
    expect(rows.nth(0)).to_contain_text(re.compile(r"Còn 2 ngày \d+ giờ"))  # 72 h less a little
    expect(rows.nth(0)).to_contain_text("Trang khách hàng")
    assert axe_violations(page) == []
    shot(page, "privacy-open-vi")

    # a refusal needs its reason: said on the field, nothing sent
    rows.nth(0).get_by_role("button", name="Từ chối").click()
    dialog = page.get_by_role("dialog", name="Từ chối yêu cầu")
    dialog.get_by_role("button", name="Từ chối yêu cầu").click()
    reason = dialog.get_by_role("textbox", name="Lý do từ chối")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_contain_text("Hãy ghi lý do từ chối.")
    assert privacy_requests(stack, "refused") == []
    assert axe_violations(page) == []
    shot(page, "privacy-refuse-no-reason-vi")

    reason.fill("Khách đang có yêu cầu bảo hành chưa xong; dữ liệu giữ theo hợp đồng.")
    dialog.get_by_role("button", name="Từ chối yêu cầu").click()

    expect(dialog).to_have_count(0)
    expect(page.get_by_text(f"Đã từ chối yêu cầu của {MASKED['refuse']}")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(MASKED["erase"])

    # the erasure: asked once more (it cannot be undone), then what changed where
    rows.nth(0).get_by_role("button", name="Xóa dữ liệu").click()
    dialog = page.get_by_role("dialog", name="Xóa dữ liệu cá nhân")
    expect(dialog).to_contain_text(MASKED["erase"])
    expect(dialog).to_contain_text("Không thể hoàn tác thao tác này.")
    assert axe_violations(page) == []
    shot(page, "privacy-erase-confirm-vi")
    dialog.get_by_role("button", name="Xóa vĩnh viễn").click()

    expect(dialog).to_contain_text("Đã xóa dữ liệu")
    [done] = privacy_requests(stack, "done")
    assert done["request_id"] == erasure_requests["erase"]["request_id"]
    assert done["erased"]["units"] == 1 and done["erased"]["customer"] == 1
    counts = dialog.get_by_test_id("erased-counts")
    expect(counts.get_by_role("row", name="Sản phẩm của khách")).to_contain_text("1")
    expect(counts.get_by_role("row", name="Hồ sơ khách hàng và sự đồng ý")).to_contain_text("1")
    expect(counts.get_by_role("row", name="Tổng cộng")).to_contain_text(
        str(sum(done["erased"].values()))
    )
    assert axe_violations(page) == []
    shot(page, "privacy-erased-vi")
    dialog.get_by_role("button", name="Đóng").first.click()

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(MASKED["open"])

    page.get_by_role("tab", name="Đã xóa").click()
    expect(page).to_have_url(re.compile(r"/privacy\?status=done$"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(MASKED["erase"])
    expect(rows.first).to_contain_text("cs")
    expect(rows.first).to_contain_text("Sản phẩm của khách: 1")
    expect(rows.first.get_by_role("button")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "privacy-done-vi")

    page.get_by_role("tab", name="Đã từ chối").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(MASKED["refuse"])
    expect(rows.first).to_contain_text("dữ liệu giữ theo hợp đồng")
    [refused] = privacy_requests(stack, "refused")
    assert refused["handled_by"] == "cs"
    assert axe_violations(page) == []


def test_in_persian_on_a_360_px_phone_the_requests_read_right_to_left(
    open_page: Any, stack: DevstackProcess, erasure_requests: dict[str, dict[str, Any]]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/privacy")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.get_by_role("heading", name="Yêu cầu về dữ liệu cá nhân")).to_be_visible()

    page.get_by_role("button", name="فارسی").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = page.get_by_role("heading", name="درخواست‌های مربوط به داده‌های شخصی", level=1)
    expect(heading).to_be_visible()
    # Persian digits, like the dates' (each value isolated in the right-to-left sentence)
    expect(page.get_by_text(re.compile(f"ظرف {ISOLATED}۷۲{ISOLATED} ساعت"))).to_be_visible()
    card = page.get_by_test_id("record-card").filter(has_text=MASKED["open"])
    expect(card).to_have_count(1)  # a phone shows the requests as cards
    expect(page.locator("tbody tr")).to_have_count(0)
    expect(card).to_contain_text(
        re.compile(f"۲{ISOLATED} روز و {ISOLATED}[۰-۹]+{ISOLATED} ساعت{ISOLATED} باقی مانده")
    )
    expect(card.get_by_role("button", name="پاک کردن داده‌ها")).to_be_visible()
    expect(card.get_by_role("button", name="رد کردن")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "privacy-open-fa-360")

    card.get_by_role("button", name="رد کردن").click()
    dialog = page.get_by_role("dialog", name="رد کردن درخواست")
    dialog.get_by_role("button", name="رد کردن درخواست").click()
    expect(dialog).to_contain_text("لطفاً دلیل رد را بنویسید.")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "privacy-refuse-fa-360")
    dialog.get_by_role("button", name="انصراف").click()

    card.get_by_role("button", name="پاک کردن داده‌ها").click()
    dialog = page.get_by_role("dialog", name="پاک کردن داده‌های شخصی")
    expect(dialog).to_contain_text("این کار بازگشت‌پذیر نیست.")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "privacy-erase-fa-360")
    dialog.get_by_role("button", name="انصراف").click()
    expect(dialog).to_have_count(0)
    assert any(
        r["request_id"] == erasure_requests["open"]["request_id"]
        for r in privacy_requests(stack, "open")
    )


def test_the_director_follows_the_requests_red_past_the_deadline_amber_within_a_day(
    page: Page, stack: DevstackProcess, erasure_requests: dict[str, dict[str, Any]]
) -> None:
    # no request here is 48 hours old: two are made so, in the list's answer
    def with_deadlines(route: Route) -> None:
        answer = route.fetch()
        listed = answer.json()["requests"]
        now = datetime.now(UTC)
        late = {
            **listed[0],
            "request_id": "PDR-LATE",
            "phone_masked": "+84 98* *** *01",
            "due_at": (now - timedelta(hours=3)).isoformat(),
            "overdue": True,
        }
        soon = {
            **listed[0],
            "request_id": "PDR-SOON",
            "phone_masked": "+84 98* *** *02",
            "due_at": (now + timedelta(hours=5)).isoformat(),
            "overdue": False,
        }
        route.fulfill(response=answer, json={"requests": [late, soon, *listed]})

    page.route(re.compile(r"/privacy/requests\?status=open"), with_deadlines)
    page.goto("/privacy")
    sign_in(page, "director", stack.password_of("director"))

    rows = page.locator("tbody tr")
    late = rows.filter(has_text="+84 98* *** *01").get_by_test_id("deadline-badge")
    expect(late).to_have_text(re.compile(r"^Quá hạn 3 giờ \d+ phút$"))
    expect(late).to_have_css("color", "rgb(179, 38, 30)")  # --bad
    soon = rows.filter(has_text="+84 98* *** *02").get_by_test_id("deadline-badge")
    expect(soon).to_have_text(re.compile(r"^Còn 4 giờ \d+ phút$"))
    expect(soon).to_have_css("color", "rgb(138, 75, 0)")  # --warn
    row = rows.filter(has_text=MASKED["open"])
    expect(row).to_contain_text("Còn 2 ngày")
    expect(row.get_by_test_id("deadline-badge")).to_have_count(0)
    # the director reads: no action column, no button
    expect(page.get_by_role("columnheader", name="Xử lý", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Xóa dữ liệu")).to_have_count(0)
    expect(page.get_by_role("button", name="Từ chối")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "privacy-deadlines-director-vi")


RETENTION_DEFAULTS = {"messages_months": 24, "claims_months": 60, "visits_months": 60}


def retention(stack: DevstackProcess) -> dict[str, Any]:
    answer = requests.get(
        f"{stack.api}/privacy/retention", headers=sign_in_by_api(stack, "admin"), timeout=10
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def set_retention(stack: DevstackProcess, months: dict[str, int]) -> dict[str, Any]:
    """New periods through the API, over the version now saved."""
    answer = requests.put(
        f"{stack.api}/privacy/retention",
        json={**months, "version": retention(stack)["version"]},
        headers=sign_in_by_api(stack, "admin"),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_admin_sets_the_retention_periods_and_customer_service_reads_them(
    open_page: Any, stack: DevstackProcess
) -> None:
    assert {k: retention(stack)[k] for k in RETENTION_DEFAULTS} == RETENTION_DEFAULTS
    try:
        page = open_page()
        page.goto("/privacy")
        sign_in(page, "admin", stack.password_of("admin"))

        section = page.get_by_role("region", name="Thời hạn lưu trữ")
        expect(section).to_contain_text("Mỗi ngày lúc 03:00 (giờ Việt Nam)")
        messages = section.get_by_role("textbox", name="Tin nhắn gửi khách")
        claims = section.get_by_role("textbox", name="Yêu cầu dịch vụ")
        visits = section.get_by_role("textbox", name="Lượt bảo trì")
        expect(messages).to_have_value("24")
        expect(claims).to_have_value("60")
        expect(visits).to_have_value("60")
        expect(section).to_contain_text("số lượng tin vẫn hiện trên bảng điều khiển")
        expect(section).to_contain_text("Từ 3 đến 120 tháng.")
        expect(section).to_contain_text("Từ 12 đến 240 tháng.")
        expect(section.get_by_test_id("retention-changed")).to_have_text(
            "Đang dùng thời hạn mặc định; chưa ai thay đổi."
        )
        save = section.get_by_role("button", name="Lưu thời hạn")

        # out of bounds: the API's message on the field, nothing saved
        messages.fill("1")
        save.click()
        expect(messages).to_have_attribute("aria-invalid", "true")
        expect(section).to_contain_text("Ngoài khoảng cho phép.")
        expect(claims).not_to_have_attribute("aria-invalid", "true")
        assert retention(stack)["version"] == 0
        assert axe_violations(page) == []
        shot(page, "privacy-retention-out-of-range-vi")

        messages.fill("12")
        claims.fill("36")
        visits.fill("48")
        save.click()
        expect(page.get_by_text("Đã lưu thời hạn lưu trữ mới.")).to_be_visible()
        expect(section.get_by_test_id("retention-changed")).to_contain_text(
            "Thay đổi lần cuối bởi admin lúc"
        )
        expect(messages).not_to_have_attribute("aria-invalid", "true")
        saved = retention(stack)
        assert (saved["messages_months"], saved["claims_months"], saved["visits_months"]) == (
            12,
            36,
            48,
        )
        assert saved["updated_by"] == "admin"

        page.reload()
        expect(messages).to_have_value("12")
        expect(claims).to_have_value("36")
        expect(visits).to_have_value("48")
        assert axe_violations(page) == []
        shot(page, "privacy-retention-saved-vi")

        # someone saves meanwhile: this page's save is refused and shows their values
        set_retention(stack, {"messages_months": 12, "claims_months": 36, "visits_months": 60})
        visits.fill("50")
        save.click()
        expect(section.get_by_role("alert")).to_contain_text("Người khác vừa lưu thời hạn lưu trữ")
        expect(visits).to_have_value("60")
        assert retention(stack)["visits_months"] == 60

        # in Persian on a phone: right to left, Persian digits
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="فارسی").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        section = page.get_by_role("region", name="مدت‌های نگهداری")
        expect(section).to_contain_text(re.compile(f"هر روز ساعت {ISOLATED}۰۳:۰۰{ISOLATED}"))
        expect(section).to_contain_text(
            re.compile(f"از {ISOLATED}۳{ISOLATED} تا {ISOLATED}۱۲۰{ISOLATED} ماه")
        )
        expect(section.get_by_test_id("retention-changed")).to_contain_text("admin")
        expect(section.get_by_role("button", name="ذخیره مدت‌ها")).to_be_visible()
        assert no_horizontal_scroll(page)
        assert axe_violations(page) == []
        shot(page, "privacy-retention-admin-fa-360")

        # customer service reads: the values, no field, no button
        reader = open_page(viewport=PHONE)
        reader.goto("/privacy")
        sign_in(reader, "cs", stack.password_of("cs"))
        expect(reader.get_by_role("region", name="Thời hạn lưu trữ")).to_be_visible()
        reader.get_by_role("button", name="فارسی").click()
        section = reader.get_by_role("region", name="مدت‌های نگهداری")
        values = section.get_by_test_id("retention-values")
        expect(values).to_contain_text(re.compile(f"{ISOLATED}۱۲{ISOLATED} ماه"))
        expect(values).to_contain_text(re.compile(f"{ISOLATED}۳۶{ISOLATED} ماه"))
        expect(values).to_contain_text(re.compile(f"{ISOLATED}۶۰{ISOLATED} ماه"))
        expect(section.get_by_role("textbox")).to_have_count(0)
        expect(section.get_by_role("button")).to_have_count(0)
        expect(section).to_contain_text("فقط مدیر سیستم می‌تواند این مدت‌ها را تغییر دهد.")
        assert no_horizontal_scroll(reader)
        assert axe_violations(reader) == []
        shot(reader, "privacy-retention-cs-fa-360")
    finally:
        # the module's stack is shared: the other tests see the defaults
        set_retention(stack, RETENTION_DEFAULTS)
