"""The landing page names the dealer a unit was shipped to ("Phân phối bởi <dealer>" / "Sold
through <dealer>"), on a 360 px phone, in Vietnamese and English, axe-clean, without a
horizontal scroll; a unit shipped to no dealer names none. The unit is marked shipped in the
stack's table directly (what a confirmed shipment writes), since shipping is another slice."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import chromium, page_opener, require_chromium
from tests.support.console import (
    ARTIFACTS,
    AXE,
    axe_violations,
    new_unit,
    no_horizontal_scroll,
    sign_in_by_api,
)
from tests.support.dealers import ship_in_stack
from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SMALL_PHONE = {"width": 360, "height": 800}
require_chromium()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Browser, stack: DevstackProcess) -> Iterator[Callable[..., Page]]:
    with page_opener(
        browser,
        base_url=f"http://127.0.0.1:{stack.ports['web']}",
        viewport=SMALL_PHONE,
        init_script=AXE,
    ) as new_page:
        yield new_page


def test_the_landing_page_says_which_dealer_sold_the_unit(
    stack: DevstackProcess, open_page: Callable[..., Page]
) -> None:
    admin = sign_in_by_api(stack, "admin")
    dealers = requests.get(f"{stack.api}/dealers?code=HN-01", headers=admin, timeout=10).json()
    [dealer] = dealers["dealers"]
    shipped, loose = new_unit(stack, admin, "DLR-0001"), new_unit(stack, admin, "DLR-0002")
    ship_in_stack(stack, "DLR-0001", dealer["dealer_id"])

    page = open_page()
    for language, line in (("vi", "Phân phối bởi"), ("en", "Sold through")):
        page.goto(f"/q/{shipped}")
        if language == "en":
            page.get_by_role("button", name="English").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#verdict-title")).to_be_visible()
        expect(page.locator(".verdict")).to_contain_text(f"{line} {dealer['name']}")
        assert axe_violations(page) == []
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(ARTIFACTS / f"360-{language}-landing-sold-through.png"))

    page.goto(f"/q/{loose}")
    expect(page.locator("#verdict-title")).to_be_visible()
    expect(page.locator(".verdict")).not_to_contain_text("Sold through")
    expect(page.locator(".verdict")).not_to_contain_text("Phân phối bởi")
