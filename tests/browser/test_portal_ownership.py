# ruff: noqa: F811 - the tests take test_portal's fixtures, imported by name, as arguments
"""Issue 11 in a real browser: an activation whose answer was lost, the phone's one-time code
when the brand asks for it, and "this wasn't me" from the confirmation message's link.

Same stack and helpers as ``test_portal.py`` (its fixtures are reused, not copied).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from tests.browser.test_portal import (  # noqa: F401 - fixtures are found by name
    CUSTOMER,
    activate_by_api,
    activation_posts,
    browser,
    fill_activation,
    new_unit,
    open_page,
    page,
    shot,
    stack,
    staff,
    unit_view,
    web,
)
from tests.support.devstack_process import DevstackProcess

DONE = "Đã kích hoạt bảo hành"


def test_a_lost_answer_then_retry_shows_the_confirmation(
    stack: DevstackProcess,
    staff: dict[str, str],
    page: Page,
) -> None:
    # Given an activation whose request reaches the server but whose answer is lost
    token = new_unit(stack, staff, "OWN-0001", "AC-INV-12")
    keys: list[str | None] = []

    def lose_the_first_answer(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server activates the unit…
            route.abort("connectionreset")  # …and the page never hears of it
        else:
            route.continue_()

    page.route("**/public/activations", lose_the_first_answer)
    page.goto(f"/q/{token}")
    fill_activation(page, phone="0912 000 611")
    page.get_by_role("button", name="Kích hoạt bảo hành").click()
    expect(page.locator("#activate-alert")).to_contain_text("Không kết nối được")
    assert unit_view(stack, token)["status"] == "activated"

    # When the customer taps "try again"
    page.get_by_role("button", name="Thử lại").click()

    # Then the confirmation is shown, not "already activated": the same attempt, the same key
    expect(page.get_by_role("heading", level=1)).to_have_text(DONE)
    expect(page.locator(".alert.info")).to_have_count(0)
    assert len(keys) == 2 and keys[0] == keys[1]
    assert keys[0] is not None and len(keys[0]) == 36
    shot(page, "own-01-retry-after-a-lost-answer")


# ---------------------------------------------------------------- the phone's code


@pytest.fixture
def confirming(stack: DevstackProcess, staff: dict[str, str]) -> Iterator[None]:
    """The brand confirms phones at activation for the test, then no longer."""
    brand = requests.get(f"{stack.api}/brand", headers=staff, timeout=10).json()
    body = {"name": brand["name"], "serial_prefix": brand["serial_prefix"]}
    theme = dict(brand["theme"])
    colors = theme.pop("colors")
    body["theme"] = {**theme, **colors}
    turned = requests.put(
        f"{stack.api}/brand", json={**body, "confirm_phone": True}, headers=staff, timeout=10
    )
    assert turned.status_code == 200, turned.text
    yield
    requests.put(f"{stack.api}/brand", json=body, headers=staff, timeout=10)


def code_sent(stack: DevstackProcess, phone: str, kind: str = "activation_code") -> str:
    messages = stack.wait_for_inbox(phone, lambda ms: any(m["template"] == kind for m in ms))
    newest = next(m for m in messages if m["template"] == kind)  # newest first
    found = re.search(r"\b(\d{6})\b", newest["text"])
    assert found, newest["text"]
    return found.group(1)


@pytest.mark.usefixtures("confirming")
def test_a_brand_that_confirms_phones_asks_for_the_code_before_activating(
    stack: DevstackProcess,
    staff: dict[str, str],
    page: Page,
) -> None:
    # Given a brand that confirms phones, and a customer who filled the form
    token = new_unit(stack, staff, "OWN-0002", "AC-INV-12")
    posts = activation_posts(page)
    page.goto(f"/q/{token}")
    fill_activation(page, phone="0912 000 622")
    page.get_by_role("button", name="Kích hoạt bảo hành").click()

    # Then the page asks for the code sent to that phone, before any activation is sent
    expect(page.get_by_role("heading", name="Xác nhận số điện thoại")).to_be_visible()
    expect(page.locator("#phone-code-alert")).to_contain_text("091* *** *22")
    expect(page.locator("#activate-form")).to_be_hidden()
    code = code_sent(stack, "0912 000 622")
    assert posts == []
    shot(page, "own-02-phone-code")

    # When the customer goes back to fix the name, the form still holds what was typed
    page.get_by_role("button", name="Sửa thông tin").click()
    expect(page.locator("#name")).to_have_value(CUSTOMER)
    page.get_by_role("button", name="Kích hoạt bảo hành").click()

    # When a wrong code is typed, the page says so and the unit stays not activated
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page.fill("#phone-code", wrong)
    page.get_by_role("button", name="Xác nhận và kích hoạt").click()
    expect(page.locator("#phone-code-err")).to_contain_text("Bạn còn 4 lần thử")
    assert unit_view(stack, token)["status"] == "not_activated"

    # When the right code is typed (the same one: going back sent no new code)
    page.fill("#phone-code", code)
    page.get_by_role("button", name="Xác nhận và kích hoạt").click()

    # Then the unit is activated
    expect(page.get_by_role("heading", level=1)).to_have_text(DONE)
    assert unit_view(stack, token)["status"] == "activated"
    assert len(posts) == 2


# ---------------------------------------------------------------- "not you? tell us"


def test_the_confirmation_s_not_me_link_flags_the_activation_once(
    stack: DevstackProcess, staff: dict[str, str], open_page: Callable[..., Page]
) -> None:
    # Given an activation whose confirmation reached a phone whose owner did not activate it
    token = new_unit(stack, staff, "OWN-0003", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 633")
    messages = stack.wait_for_inbox(
        "0912 000 633", lambda ms: any(m["template"] == "activation_confirmed" for m in ms)
    )
    text = next(m["text"] for m in messages if m["template"] == "activation_confirmed")
    found = re.search(r"https?://[^/\s]+(/n/[A-Za-z0-9]+/[A-Z2-7]{16})", text)
    assert found, text

    # When they open the link and say it was not them
    page = open_page()
    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Không phải bạn kích hoạt?")
    shot(page, "own-03-not-me")
    page.get_by_role("button", name="Đây không phải tôi").click()

    # Then they are thanked and given the brand's hotline
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã báo")
    expect(page.locator("#not-me-hotline")).to_have_attribute("href", "tel:18006868")
    shot(page, "own-04-not-me-thanks")

    # And saying it twice (another browser) records one event in the unit's history
    again = open_page()
    again.goto(found.group(1))
    again.get_by_role("button", name="Đây không phải tôi").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã báo")
    unit = requests.get(f"{stack.api}/units/OWN-0003", headers=staff, timeout=10).json()
    assert [h["event"] for h in unit["history"]].count("disputed") == 1
    assert unit_view(stack, token)["status"] == "activated"


def test_a_made_up_not_me_link_says_it_is_not_valid(
    stack: DevstackProcess, staff: dict[str, str], page: Page
) -> None:
    token = new_unit(stack, staff, "OWN-0004", "AC-INV-12")
    activate_by_api(stack, token, "0912 000 644")

    page.goto(f"/n/{token}/{'A' * 16}")
    page.get_by_role("button", name="Đây không phải tôi").click()

    expect(page.locator("#not-me-alert")).to_contain_text("Liên kết này không hợp lệ")
    expect(page.locator("#not-me-hotline")).to_be_visible()
    unit = requests.get(f"{stack.api}/units/OWN-0004", headers=staff, timeout=10).json()
    assert "disputed" not in [h["event"] for h in unit["history"]]
