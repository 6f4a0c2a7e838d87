# ruff: noqa: F811 - the tests take test_portal's fixtures, imported by name, as arguments
"""Issue 11 in a real browser: an activation whose answer was lost, the phone's one-time code
when the brand asks for it, and "this wasn't me" from the confirmation message's link.

Same stack and helpers as ``test_portal.py`` (its fixtures are reused, not copied).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from tests.browser.test_portal import (  # noqa: F401 - fixtures are found by name
    CUSTOMER,
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
