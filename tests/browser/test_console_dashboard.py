"""The console's dashboard in a real browser against a stack seeded with the demo's activations
(47 over the last 30 days by web, SMS and Zalo, counted by the units stream into the daily
roll-ups): the home page of the roles that watch the business shows the figures as cards and
charts with a text alternative, in both languages and on a 360 px phone; other roles keep the
plain home; the sign-in page loads none of the dashboard's code (ECharts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, Request, expect

from devstack.demo import DEMO_ACTIVATIONS
from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-dashboard")]

require_chromium()

ACTIVATED = sum(DEMO_ACTIVATIONS.values())


@pytest.fixture(scope="module")
def stack(
    built_console: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DevstackProcess]:
    """A stack with the demo's activations (the other modules' stacks have none)."""
    process = start_devstack(tmp_path_factory.mktemp("devstack"), demo_activations=True)
    try:
        yield process
    finally:
        process.kill()  # its data is not read again: no need to save it (Ctrl-C has its own tests)


@pytest.fixture(scope="module")
def summary(stack: DevstackProcess) -> dict[str, Any]:
    """``GET /dashboard`` once the units stream has counted every demo activation."""
    admin = sign_in_by_api(stack, "admin")
    found: dict[str, Any] = {}

    def counted() -> bool:
        found.update(requests.get(f"{stack.api}/dashboard", headers=admin, timeout=10).json())
        return bool(found["activations"]["last_30_days"] == ACTIVATED)

    stack.wait_for(counted, timeout=60)
    return found


def test_the_home_page_is_the_dashboard_with_cards_and_charts_in_both_languages(
    page: Page, stack: DevstackProcess, summary: dict[str, Any]
) -> None:
    activations = summary["activations"]
    page.goto("/")
    sign_in(page, "director", stack.password_of("director"))

    expect(page.get_by_role("heading", name="Tổng quan", level=1)).to_be_visible()
    # `/` leads to the dashboard, the menu's one entry for it, marked as the current page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Trang chủ")).to_have_count(0)
    expect(nav.locator('[aria-current="page"]')).to_have_text(["Tổng quan"])
    expect(page.get_by_test_id("stat-30")).to_contain_text(str(ACTIVATED))
    expect(page.get_by_test_id("stat-7")).to_contain_text(str(activations["last_7_days"]))
    expect(page.get_by_test_id("stat-today")).to_contain_text(str(activations["today"]))
    by_day = page.get_by_role("img", name=re.compile(r"^Biểu đồ cột kích hoạt theo ngày"))
    expect(by_day).to_contain_text(re.compile(r"."))  # ECharts drew its SVG inside
    expect(by_day.locator("svg")).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile("^Theo mẫu sản phẩm"))).to_have_attribute(
        "aria-label", re.compile("Máy lạnh Inverter 1.5 HP AC-INV-12 24")
    )
    expect(page.get_by_role("img", name=re.compile("^Theo kênh kích hoạt"))).to_be_visible()
    expect(page.get_by_text("Web (mã QR)").first).to_be_attached()
    assert axe_violations(page) == []
    shot(page, "dashboard-vi")

    # the figures as a table, for whoever does not see the chart
    page.get_by_text("Xem dạng bảng").first.click()
    table = page.get_by_role("table", name="Kích hoạt theo ngày (30 ngày)")
    expect(table.locator("tbody tr")).to_have_count(30)
    assert axe_violations(page) == []

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Bar chart of activations by day"))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^By product model"))).to_have_attribute(
        "aria-label", re.compile("Inverter air conditioner 1.5 HP AC-INV-12 24")
    )
    expect(page.get_by_test_id("updated")).to_contain_text("refreshes every minute")
    assert axe_violations(page) == []
    shot(page, "dashboard-en")


def test_on_a_360_px_phone_the_cards_and_charts_stack(
    open_page: Callable[..., Page], stack: DevstackProcess, summary: dict[str, Any]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_test_id("stat-30")).to_contain_text(str(ACTIVATED))
    expect(page.get_by_role("img", name=re.compile("^Theo kênh kích hoạt"))).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "dashboard-360")


def test_the_menu_shows_the_dashboard_only_to_the_roles_the_api_accepts(
    page: Page, stack: DevstackProcess
) -> None:
    dashboard_chunks: list[str] = []

    def watch(request: Request) -> None:
        if "DashboardPage" in request.url:
            dashboard_chunks.append(request.url)

    page.on("request", watch)
    page.goto("/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    sign_in(page, "technician", stack.password_of("technician"))

    expect(page.get_by_role("heading", name="Xin chào, technician")).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Tổng quan")).to_have_count(0)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()
    # neither the sign-in page nor a technician's pages loaded the dashboard's code (ECharts)
    assert dashboard_chunks == []
    assert axe_violations(page) == []


def test_the_accountant_opens_the_dashboard_from_the_menu(
    page: Page, stack: DevstackProcess, summary: dict[str, Any]
) -> None:
    page.goto("/messages")
    sign_in(page, "accountant", stack.password_of("accountant"))
    page.get_by_role("navigation").get_by_role("link", name="Tổng quan").click()

    expect(page).to_have_url("/dashboard")
    expect(page.get_by_test_id("stat-spend")).to_contain_text("Chi phí tin nhắn hôm nay")
    expect(page.get_by_test_id("stat-messages")).to_be_visible()


def test_with_no_activations_the_dashboard_says_so_instead_of_empty_charts(
    page: Page, stack: DevstackProcess, summary: dict[str, Any]
) -> None:
    nothing = {
        **summary,
        "activations": {
            "today": 0,
            "last_7_days": 0,
            "last_30_days": 0,
            "by_day": [{**point, "count": 0} for point in summary["activations"]["by_day"]],
            "by_model": [],
            "by_channel": [],
        },
    }
    page.route(
        re.compile(r".*/dashboard$"),
        lambda route: (
            route.fulfill(json=nothing)
            if route.request.resource_type in ("fetch", "xhr")
            else route.continue_()
        ),
    )
    page.goto("/")
    sign_in(page, "admin", stack.password_of("admin"))

    expect(page.get_by_role("status")).to_contain_text(
        "Chưa có lượt kích hoạt nào trong 30 ngày qua"
    )
    expect(page.get_by_role("img")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "dashboard-empty-vi")
