"""The dealer funnel in a real browser against a stack seeded with the demo's shipments to its
three dealers (``devstack.demo_funnel``: confirmed through the shipments' service, one return)
and the activations that followed, counted by the units stream into the funnel's counters:
figures, charts with a text alternative, the dealers' table, filters kept in the URL and the
Excel export, in both languages and on a 360 px phone; the shipments page lists the demo's."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from devstack.demo import DEMO_ACTIVATIONS
from devstack.demo_funnel import CARTON_UNITS, DEMO_SHIPMENTS
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

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-funnel")]

require_chromium()

ACTIVATED = sum(DEMO_ACTIVATIONS.values())
# every other unit the demo's customers activate, four spare units of each model (one of them
# returned) and the closed carton's units
SHIPPED_ACTIVATED = (ACTIVATED + 1) // 2
SHIPPED = SHIPPED_ACTIVATED + 4 * len(DEMO_ACTIVATIONS) + CARTON_UNITS
RETURNED = 1


@pytest.fixture(scope="module")
def stack(
    built_console: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DevstackProcess]:
    """A stack with the demo's activations (and so its dealers' shipments)."""
    process = start_devstack(tmp_path_factory.mktemp("devstack"), demo_activations=True)
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture(scope="module")
def funnel(stack: DevstackProcess) -> dict[str, Any]:
    """``GET /funnel`` once the units stream has counted every demo shipment, activation and
    return (every demo activation counted by the dashboard, half of them of shipped units)."""
    admin = sign_in_by_api(stack, "admin")
    found: dict[str, Any] = {}

    def counted() -> bool:
        dashboard = requests.get(f"{stack.api}/dashboard", headers=admin, timeout=10).json()
        found.update(requests.get(f"{stack.api}/funnel", headers=admin, timeout=10).json())
        total, awaiting = found["total"], sum(found["ageing"].values())
        # the period's days and the dealers' totals (the ageing) are separate reads: both
        # counted, whichever the API read first
        return bool(
            dashboard["activations"]["last_30_days"] == ACTIVATED
            and (total["shipped"], total["activated"], total["returned"])
            == (SHIPPED, SHIPPED_ACTIVATED, RETURNED)
            and awaiting == SHIPPED - SHIPPED_ACTIVATED - RETURNED
        )

    stack.wait_for(counted, timeout=90)
    return found


def busiest(funnel: dict[str, Any]) -> dict[str, Any]:
    """The demo dealer that was shipped the most units."""
    found: dict[str, Any] = max(funnel["dealers"], key=lambda d: d["net_shipped"])
    return found


def test_the_funnel_shows_figures_charts_and_dealers_in_both_languages(
    page: Page, stack: DevstackProcess, funnel: dict[str, Any]
) -> None:
    total, ageing = funnel["total"], funnel["ageing"]
    assert total["activated"] > 0 and ageing["days_0_30"] and ageing["days_31_90"]
    assert ageing["over_90"] > 0
    page.goto("/funnel")
    sign_in(page, "director", stack.password_of("director"))

    expect(page.get_by_role("heading", name="Phễu đại lý", level=1)).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.locator('[aria-current="page"]')).to_have_text(["Phễu đại lý"])
    # shipped is the net of returns, the same units the rate counts of
    expect(page.get_by_test_id("stat-shipped")).to_contain_text(str(total["net_shipped"]))
    expect(page.get_by_test_id("stat-rate")).to_contain_text(
        f"{total['activated_of_shipped']} trên {total['net_shipped']}"
    )
    expect(page.get_by_test_id("stat-activated")).to_contain_text(str(total["activated"]))
    awaiting = ageing["days_0_30"] + ageing["days_31_90"] + ageing["over_90"]
    expect(page.get_by_test_id("stat-awaiting")).to_contain_text(str(awaiting))
    by_month = page.get_by_role("img", name=re.compile("^Đã giao và đã kích hoạt theo tháng"))
    expect(by_month.locator("svg")).to_have_count(1)
    top = busiest(funnel)
    expect(
        page.get_by_role("img", name=re.compile("^Tỷ lệ kích hoạt theo đại lý"))
    ).to_have_attribute("aria-label", re.compile(re.escape(top["dealer_name"])))
    expect(page.get_by_role("img", name=re.compile("^Sản phẩm chờ kích hoạt"))).to_be_visible()
    dealers = page.get_by_test_id("funnel-dealers")
    row = dealers.locator("tbody tr").filter(has_text=top["dealer_name"])
    expect(row).to_contain_text(str(top["net_shipped"]))
    assert axe_violations(page) == []
    shot(page, "funnel-vi")

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Dealer funnel", level=1)).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Shipped and activated by month"))
    ).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "funnel-en")


def test_filters_live_in_the_url_and_the_export_downloads_what_is_shown(
    page: Page, stack: DevstackProcess, funnel: dict[str, Any]
) -> None:
    top = busiest(funnel)
    page.goto("/funnel")
    sign_in(page, "accountant", stack.password_of("accountant"))
    expect(page.get_by_test_id("stat-shipped")).to_contain_text(str(funnel["total"]["net_shipped"]))

    # When the accountant picks the dealer that sold most
    page.get_by_role("combobox", name="Đại lý").click()
    page.get_by_role("option", name=re.compile(re.escape(top["dealer_name"]))).click()

    # Then the URL says so, and the figures are the dealer's
    expect(page).to_have_url(re.compile(rf"dealer={top['dealer_id']}"))
    expect(page.get_by_test_id("stat-shipped")).to_contain_text(str(top["net_shipped"]))
    expect(page.get_by_test_id("funnel-dealers").locator("tbody tr")).to_have_count(1)
    # and a reload (or a shared link) keeps the filter
    page.reload()
    expect(page.get_by_test_id("stat-shipped")).to_contain_text(str(top["net_shipped"]))

    page.get_by_role("button", name="Xuất Excel").click()
    link = page.get_by_test_id("export-download")
    expect(link).to_contain_text(".xlsx")
    content = requests.get(str(link.get_attribute("href")), timeout=10).content
    assert content[:2] == b"PK"  # a workbook (xlsx is a zip); its cells: test_dealer_funnel
    assert axe_violations(page) == []


def test_on_a_360_px_phone_the_funnel_stacks(
    open_page: Callable[..., Page], stack: DevstackProcess, funnel: dict[str, Any]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/funnel?months=12")
    sign_in(page, "cs", stack.password_of("cs"))

    expect(page.get_by_test_id("stat-shipped")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Sản phẩm chờ kích hoạt"))).to_be_visible()
    # the dealers are cards, each whole within the page, under a heading that is not cut
    dealers = page.get_by_test_id("funnel-dealers")
    expect(
        dealers.get_by_role("heading", name="Theo đại lý trong kỳ (tồn: hiện tại)")
    ).to_be_visible()
    cards = dealers.get_by_test_id("record-card")
    expect(cards).to_have_count(len(funnel["dealers"]))
    top = busiest(funnel)
    card = cards.filter(has_text=top["dealer_name"])
    expect(card).to_contain_text(str(top["net_shipped"]))
    width = page.evaluate("document.documentElement.clientWidth")
    for box in (cards.nth(i).bounding_box() for i in range(cards.count())):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    dealers.scroll_into_view_if_needed()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "funnel-360")
    # the month, dealer and model table fits too: its own box within the page, nothing to
    # scroll sideways inside it
    page.get_by_text(re.compile(r"^Xem theo tháng, đại lý và mẫu")).click()
    by_month = page.get_by_test_id("funnel-rows")
    expect(by_month.locator("tbody tr").first).to_be_visible()
    by_month.scroll_into_view_if_needed()
    assert by_month.evaluate(
        "t => t.getBoundingClientRect().right <= document.documentElement.clientWidth"
    )
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "funnel-months-360")


def test_the_funnel_is_not_on_a_technicians_menu(page: Page, stack: DevstackProcess) -> None:
    page.goto("/")
    sign_in(page, "technician", stack.password_of("technician"))

    expect(page.get_by_role("heading", name="Xin chào, technician")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Phễu đại lý")).to_have_count(0)
    page.goto("/funnel")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()


def test_a_dealers_user_sees_its_own_funnel_from_its_menu(
    page: Page, stack: DevstackProcess, funnel: dict[str, Any]
) -> None:
    admin = sign_in_by_api(stack, "admin")
    dealers = requests.get(f"{stack.api}/dealers", headers=admin, timeout=10).json()["dealers"]
    mine = next(d for d in dealers if d["code"] == "HN-01")  # the demo's dealer1 acts for it
    expected = requests.get(
        f"{stack.api}/funnel?dealer={mine['dealer_id']}", headers=admin, timeout=10
    ).json()
    page.goto("/")
    sign_in(page, "dealer1", stack.password_of("dealer1"))

    page.get_by_role("navigation").get_by_role("link", name="Bán ra và kích hoạt").click()

    expect(page).to_have_url(re.compile(r"/dealer/funnel$"))
    expect(page.get_by_role("heading", name="Bán ra và kích hoạt của đại lý")).to_be_visible()
    expect(page.get_by_test_id("stat-shipped")).to_contain_text(
        str(expected["total"]["net_shipped"])
    )
    expect(page.get_by_test_id("stat-activated")).to_contain_text(
        str(expected["total"]["activated"])
    )
    expect(page.get_by_role("img", name=re.compile("^Sản phẩm chờ kích hoạt"))).to_be_visible()
    # no comparison between dealers (the dealer is the only one), no other dealer to pick, no
    # staff export
    expect(page.get_by_role("img", name=re.compile("^Tỷ lệ kích hoạt theo đại lý"))).to_have_count(
        0
    )
    expect(page.get_by_test_id("funnel-dealers")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Đại lý")).to_have_count(0)
    expect(page.get_by_role("button", name="Xuất Excel")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "funnel-dealer-vi")


def test_the_demo_shipments_are_confirmed_and_listed_on_the_shipments_page(
    page: Page, stack: DevstackProcess, funnel: dict[str, Any]
) -> None:
    admin = sign_in_by_api(stack, "admin")
    listed = requests.get(f"{stack.api}/shipments", headers=admin, timeout=10).json()
    shipments = listed["shipments"]
    assert len(shipments) == len(DEMO_SHIPMENTS)
    assert {s["status"] for s in shipments} == {"confirmed"}
    assert sum(s["shipped"] for s in shipments) == funnel["total"]["shipped"]

    page.goto("/shipments")
    sign_in(page, "admin", stack.password_of("admin"))
    for demo in DEMO_SHIPMENTS:
        expect(page.get_by_role("row").filter(has_text=demo.document_number)).to_have_count(1)
    assert axe_violations(page) == []
    shot(page, "funnel-demo-shipments")


# -- the warranty reports (issue 17): the same demo, counted into the reports' roll-ups


@pytest.fixture(scope="module")
def reports(stack: DevstackProcess, funnel: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each report's API answer once the streams have counted the demo: every activation and
    every service request (the demo's claims)."""
    director = sign_in_by_api(stack, "director")
    found: dict[str, dict[str, Any]] = {}

    def counted() -> bool:
        for kind in ("activations", "claims", "costs", "parts"):
            found[kind] = requests.get(
                f"{stack.api}/reports/{kind}", headers=director, timeout=10
            ).json()
        claims = requests.get(f"{stack.api}/claims/board", headers=director, timeout=10).json()
        filed = sum(column["count"] for column in claims["columns"])
        return bool(
            found["activations"]["totals"]["activated"] == ACTIVATED
            and found["claims"]["totals"]["opened"] == filed
        )

    stack.wait_for(counted, timeout=90)
    return found


def rows(report: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return next(t["rows"] for t in report["tables"] if t["name"] == table)


def test_a_director_opens_each_warranty_report_filters_it_and_exports_it(
    page: Page, stack: DevstackProcess, reports: dict[str, dict[str, Any]]
) -> None:
    activations = reports["activations"]
    page.goto("/reports")
    sign_in(page, "director", stack.password_of("director"))

    expect(page.get_by_role("heading", name="Báo cáo bảo hành", level=1)).to_be_visible()
    totals = page.get_by_test_id("report-totals")
    expect(totals).to_contain_text(str(activations["totals"]["activated"]))
    expect(page.get_by_role("img", name=re.compile("^Biểu đồ Kích hoạt"))).to_be_visible()
    by_channel = page.get_by_test_id("report-table-by_channel")
    web = next(r for r in rows(activations, "by_channel") if r["channel"] == "web")
    expect(by_channel.locator("tr").filter(has_text="Web")).to_contain_text(str(web["activated"]))
    by_province = page.get_by_test_id("report-table-by_province")
    expect(by_province).to_contain_text("Hà Nội")
    assert axe_violations(page) == []
    shot(page, "reports-activations-vi")

    # the province filter: in the URL, and the figures are that province's
    page.get_by_role("combobox", name="Tỉnh/thành khách hàng").click()
    page.get_by_role("option", name="Hà Nội", exact=True).click()
    expect(page).to_have_url(re.compile("province=H"))
    hanoi = next(r for r in rows(activations, "by_province") if r["province"] == "Hà Nội")
    expect(totals.locator("div").filter(has_text=re.compile("^Kích hoạt")).first).to_contain_text(
        str(hanoi["activated"])
    )

    # each report in turn, from its tab
    tabs = page.locator(".mantine-SegmentedControl-root")
    for tab, kind in (("Yêu cầu bảo hành", "claims"), ("Chi phí và lợi nhuận", "costs"),
                      ("Phụ tùng", "parts"), ("Bảo trì và công nợ", "maintenance")):  # fmt: skip
        tabs.get_by_text(tab, exact=True).click()
        expect(page).to_have_url(re.compile(f"kind={kind}"))
        expect(page.get_by_test_id("report-table-by_month").or_(
            page.get_by_test_id("report-table-by_part"))).to_be_visible()  # fmt: skip
    tabs.get_by_text("Yêu cầu bảo hành", exact=True).click()
    expect(page.get_by_test_id("report-table-by_model")).to_contain_text("Đang sử dụng")

    page.get_by_role("button", name="Xuất Excel").click()
    link = page.get_by_test_id("export-download")
    expect(link).to_contain_text("claims-")
    content = requests.get(str(link.get_attribute("href")), timeout=10).content
    assert content[:2] == b"PK"  # a workbook; its cells: test_warranty_reports
    assert axe_violations(page) == []
    shot(page, "reports-claims-vi")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Warranty reports", level=1)).to_be_visible()
    expect(page.get_by_test_id("report-table-by_model")).to_contain_text("Units in the field")
    assert axe_violations(page) == []
    shot(page, "reports-claims-en")


def test_on_a_360_px_phone_the_reports_scroll_only_inside_their_tables(
    open_page: Callable[..., Page], stack: DevstackProcess, reports: dict[str, dict[str, Any]]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/reports?kind=costs")
    sign_in(page, "accountant", stack.password_of("accountant"))

    expect(page.get_by_test_id("report-totals")).to_contain_text("Tổng chi phí")
    table = page.get_by_test_id("report-table-by_month")
    table.scroll_into_view_if_needed()
    expect(table.get_by_role("region")).to_be_visible()  # the table's own scroll region
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "reports-costs-360")


def test_in_persian_on_a_360_px_phone_the_reports_read_right_to_left(
    open_page: Callable[..., Page], stack: DevstackProcess, reports: dict[str, dict[str, Any]]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/reports?kind=activations")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_test_id("report-totals")).to_be_visible()

    page.get_by_role("button", name="فارسی").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.get_by_role("heading", name="گزارش‌های گارانتی", level=1)).to_be_visible()
    # counts in Persian digits; months named in Persian
    activated = str(reports["activations"]["totals"]["activated"]).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )
    expect(page.get_by_test_id("report-totals")).to_contain_text(activated)
    expect(page.get_by_test_id("report-table-by_month")).to_contain_text("دسامبر")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    shot(page, "reports-fa-360")
    # the menu opens from the right, and a reload keeps the language
    page.reload()
    expect(page.get_by_role("heading", name="گزارش‌های گارانتی", level=1)).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
