"""The console's Customers screens in a real browser against the embedded stack (issue 12).

Given two customers who activated (one with two units, their confirmations delivered), customer
service finds a customer by phone, by the start of the name (in English, marks left out) and by a
unit's serial; opens the customer's page (masked name and phone, units linking to their pages,
consents with when and how, messages linking to theirs); shows the full name and phone (the
reveal is in the audit table) until leaving the page; the same works on a 360 px phone; the
director reads without the button; a technician has no Customers menu. axe-core finds no WCAG
A/AA violation on any of these screens."""

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
