"""Issue 11 in a real browser: an activation whose answer was lost, the phone's one-time code
when the brand asks for it, and "this wasn't me" from the confirmation message's link.

Same stack and helpers as ``test_portal.py`` (its fixtures are reused, not copied).
"""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.test_portal import (  # noqa: F401 - fixtures are found by name
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
    stack: DevstackProcess,  # noqa: F811
    staff: dict[str, str],  # noqa: F811
    page: Page,  # noqa: F811
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
