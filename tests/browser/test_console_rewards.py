"""The console's reward screens in a real browser against a stack seeded with the demo's month of
installer rewards (issue 13).

The director, on a desktop in Vietnamese, saves a new version of a reward rule (prefilled from the
current one), opens the reconciliation (the previous month by default: the demo's entries by Trần
Văn Hùng), approves one entry, rejects one (refused without a note), approves the rest in bulk,
locks the month after a confirmation that says what locking means, and exports it to an Excel file
python-calamine opens; the audit log names each decision in words. In English on a 360 px phone
the director meets the API's refusal to end a rule twice, then reviews the fraud queue of the
current month (an installation for the partner's own phone is held: the flags are explained) and
approves two entries at once (a held one needs a note), locks and exports. Customer service reads
a month's entries with no totals and no action; an accountant reads the totals and exports but
decides nothing. axe-core finds no WCAG A/AA violation; nothing scrolls sideways on a phone."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page, expect
from python_calamine import load_workbook

from chalicelib.partners.reward_export import AMOUNT_COLUMN
from devstack.demo import DEMO_ACTIVATIONS, DEMO_PARTNERS
from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    new_unit,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-rewards")]

require_chromium()

PARTNER = DEMO_PARTNERS[0][0]  # Trần Văn Hùng, approved: the demo's installer
VIETNAM = timedelta(hours=7)


def months() -> tuple[str, str]:
    """The previous and the current month on Vietnam's calendar (``YYYY-MM``)."""
    today = (datetime.now(UTC) + VIETNAM).date()
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.strftime("%Y-%m"), today.strftime("%Y-%m")


def shown_month(period: str) -> str:
    return f"{period[5:]}/{period[:4]}"


@pytest.fixture(scope="module")
def stack(
    built_console: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DevstackProcess]:
    """A stack with the demo's activations (and so its month of rewards)."""
    process = start_devstack(tmp_path_factory.mktemp("devstack"), demo_activations=True)
    try:
        yield process
    finally:
        process.stop()


def period_of(stack: DevstackProcess, staff: dict[str, str], period: str) -> dict[str, Any]:
    response = requests.get(f"{stack.api}/rewards/periods/{period}", headers=staff, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json()["period"])


def entries_of(stack: DevstackProcess, staff: dict[str, str], period: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{stack.api}/rewards", params={"period": period}, headers=staff, timeout=10
    )
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


@pytest.fixture(scope="module")
def ledger(stack: DevstackProcess) -> dict[str, Any]:
    """The demo's rewards once the units stream has decided them all: every demo activation
    counted on the dashboard (the same stream), then the ledger's count steady."""
    director = sign_in_by_api(stack, "director")
    total = sum(DEMO_ACTIVATIONS.values())

    def counted() -> bool:
        body = requests.get(f"{stack.api}/dashboard", headers=director, timeout=10).json()
        return bool(body["activations"]["last_30_days"] == total)

    stack.wait_for(counted, timeout=60)
    seen: list[int] = []

    def steady() -> bool:
        seen.append(sum(period_of(stack, director, p)["entries"] for p in months()))
        return len(seen) > 2 and seen[-1] == seen[-3] > 0

    stack.wait_for(steady, timeout=30)
    previous, _ = months()
    return {"period": previous, "totals": period_of(stack, director, previous)}


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


def xlsx_rows(url: str) -> list[list[Any]]:
    content = requests.get(url, timeout=10).content
    return list(load_workbook(io.BytesIO(content)).get_sheet_by_index(0).to_python())


def test_the_director_versions_a_rule_and_reconciles_the_previous_month_in_vietnamese(
    page: Page, stack: DevstackProcess, ledger: dict[str, Any]
) -> None:
    period, totals = ledger["period"], ledger["totals"]
    assert totals["undecided"] >= 3, totals  # the demo's month: enough to decide three ways
    page.goto("/rewards/rules")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_role("heading", name="Quy tắc thưởng", level=1)).to_be_visible()
    rules = page.get_by_role("table", name="Quy tắc thưởng").locator("tbody tr")
    lock_rule = rules.filter(has_text="LOCK-S7")
    expect(lock_rule).to_contain_text("100.000 ₫")
    expect(lock_rule).to_contain_text("Phiên bản 1")

    # a new version, prefilled with the current terms (the model fixed)
    page.get_by_role("button", name="Phiên bản mới của quy tắc LOCK-S7").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="Số tiền")).to_have_value("100.000 ₫")
    expect(dialog.get_by_role("combobox", name="Mẫu")).to_be_disabled()
    dialog.get_by_role("textbox", name="Số tiền").fill("120000")
    dialog.get_by_label("Ghi chú").fill("Tăng thưởng mùa cao điểm")
    assert clean(page) == []
    shot(page, "reward-rule-version-vi")
    dialog.get_by_role("button", name="Lưu phiên bản mới").click()
    expect(dialog).to_have_count(0)
    expect(lock_rule).to_contain_text("120.000 ₫")
    expect(lock_rule).to_contain_text("Phiên bản 2")
    expect(lock_rule).to_contain_text("Tăng thưởng mùa cao điểm")
    # the kitchen's rule covers a whole category; a new rule may name one of the catalogue's
    kitchen = rules.filter(has_text="Đồ gia dụng nhà bếp")
    expect(kitchen).to_contain_text("Loại")
    expect(kitchen).to_contain_text("50.000 ₫")
    assert clean(page) == []
    shot(page, "reward-rules-vi")
    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog.get_by_text("Một loại sản phẩm").click()
    dialog.get_by_role("combobox", name="Loại sản phẩm").click()
    expect(page.get_by_role("option", name="Khoá cửa")).to_be_visible()
    expect(page.get_by_role("option", name="Máy lạnh")).to_be_visible()
    page.keyboard.press("Escape")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)

    # the reconciliation opens on the previous month
    page.get_by_role("navigation").get_by_role("link", name="Đối soát thưởng").click()
    expect(page.get_by_role("heading", name="Đối soát thưởng", level=1)).to_be_visible()
    table = page.get_by_role("table", name=f"Các khoản của tháng {shown_month(period)}")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(min(totals["entries"], 50))
    expect(rows.filter(has_text=PARTNER.name)).to_have_count(min(totals["entries"], 50))
    expect(page.get_by_test_id("period-totals")).to_contain_text(
        f"Chờ duyệt{totals['states']['pending']['count']}"
    )
    expect(page.get_by_test_id("period-status")).to_contain_text(
        f"còn {totals['undecided']} khoản chờ quyết định"
    )
    expect(page.get_by_role("button", name="Khóa sổ tháng")).to_be_disabled()
    assert clean(page) == []
    shot(page, "rewards-month-vi")

    approve = rows.get_by_role("button", name=re.compile("^Duyệt "))
    first, second = (
        (approve.nth(i).get_attribute("aria-label") or "").removeprefix("Duyệt ") for i in (0, 1)
    )

    # one approved ...
    page.get_by_role("button", name=f"Duyệt {first}").click()
    expect(dialog).to_contain_text(f"Duyệt khoản thưởng của {first}")
    dialog.get_by_role("button", name="Duyệt", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(rows.filter(has_text=first)).to_contain_text("Đã duyệt")
    expect(rows.filter(has_text=first)).to_contain_text("director")

    # ... one rejected, with the reason
    page.get_by_role("button", name=f"Từ chối {second}").click()
    dialog.get_by_role("button", name="Từ chối", exact=True).click()
    expect(dialog.get_by_text("Vui lòng ghi lý do.")).to_be_visible()
    dialog.get_by_label("Ghi chú").fill("Khách hàng xác nhận tự lắp đặt")
    assert clean(page) == []
    shot(page, "reward-reject-vi")
    dialog.get_by_role("button", name="Từ chối", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(rows.filter(has_text=second)).to_contain_text("Từ chối")
    expect(rows.filter(has_text=second)).to_contain_text("Khách hàng xác nhận tự lắp đặt")

    # the rest in bulk (the header's checkbox takes every undecided entry of the page)
    rest = totals["undecided"] - 2
    page.get_by_role("checkbox", name="Chọn mọi khoản chưa quyết định trên trang này").check()
    page.get_by_role("button", name=f"Duyệt các khoản đã chọn ({rest})").click()
    expect(dialog).to_contain_text(f"Duyệt {rest} khoản")
    dialog.get_by_role("button", name="Duyệt", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("period-status")).to_contain_text("mọi khoản đã được quyết định")
    expect(rows.filter(has_text="Chờ duyệt")).to_have_count(0)

    # locked after a confirmation saying what it means
    page.get_by_role("button", name="Khóa sổ tháng").click()
    expect(dialog).to_contain_text("không thể duyệt hay từ chối thêm khoản nào của tháng")
    assert clean(page) == []
    shot(page, "reward-lock-vi")
    dialog.get_by_role("button", name="Khóa sổ", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("period-status")).to_contain_text("Đã khóa sổ lúc")
    expect(page.get_by_test_id("period-status")).to_contain_text("bởi director")
    expect(page.get_by_role("button", name="Khóa sổ tháng")).to_be_disabled()
    expect(page.get_by_role("button", name=re.compile("^Duyệt các khoản"))).to_be_disabled()

    page.get_by_role("button", name="Xuất Excel").click()
    link = page.get_by_test_id("export-download")  # a job: its progress, then the link
    expect(link).to_contain_text(f"rewards-{period}.xlsx")
    expect(page.get_by_test_id("export-panel")).to_contain_text(f"Xong: {totals['entries']} dòng.")
    assert clean(page) == []
    shot(page, "rewards-locked-vi")
    sheet = xlsx_rows(link.get_attribute("href") or "")
    assert len(sheet) == totals["entries"] + 1
    rejected = next(row for row in sheet if row[0] == second)
    assert PARTNER.name in rejected
    assert "Khách hàng xác nhận tự lắp đặt" in rejected

    # the decision is in the audit log in words, with its note
    page.goto(f"/audit?entity=reward&entity_id={second}")
    audit = page.get_by_role("table", name="Nhật ký thay đổi")
    expect(audit).to_contain_text("Từ chối thưởng")
    expect(audit).to_contain_text("Đang chờ")
    expect(audit).to_contain_text("Khách hàng xác nhận tự lắp đặt")
    amount = int(rejected[AMOUNT_COLUMN])  # the demo's entries differ by model: read it
    expect(audit).to_contain_text(f"{amount:,} ₫".replace(",", "."))
    assert clean(page) == []


def partner_session(stack: DevstackProcess) -> dict[str, str]:
    """The demo partner signed in through the partner API with the code the dev inbox got."""

    def codes() -> int:
        inbox = requests.get(
            f"{stack.api}/dev/inbox", params={"phone": PARTNER.phone}, timeout=10
        ).json()
        return sum(1 for m in inbox["messages"] if m["template"] == "partner_code")

    before = codes()
    sent = requests.post(f"{stack.api}/partner/codes", json={"phone": PARTNER.phone}, timeout=10)
    assert sent.status_code == 202, sent.text
    messages = stack.wait_for_inbox(
        PARTNER.phone,
        lambda ms: sum(1 for m in ms if m["template"] == "partner_code") > before,
    )
    text = next(m["text"] for m in messages if m["template"] == "partner_code")  # newest first
    code = re.search(r"\b(\d{6})\b", text)
    assert code
    session = requests.post(
        f"{stack.api}/partner/sessions",
        json={"phone": PARTNER.phone, "code": code.group(1)},
        timeout=10,
    )
    assert session.status_code == 200, session.text
    return {"Authorization": f"Bearer {session.json()['session']['token']}"}


def installed_by_partner(
    stack: DevstackProcess, partner: dict[str, str], serial: str, customer_phone: str
) -> None:
    today = (datetime.now(UTC) + VIETNAM).date().isoformat()
    response = requests.post(
        f"{stack.api}/partner/activations",
        headers=partner,
        json={
            "serial": serial,
            "customer": {"name": "Đỗ Minh Khôi", "phone": customer_phone, "province": "Hà Nội"},
            "consents": {"warranty_service": True, "marketing": False},
            "installer": {"installed_on": today, "store": "", "notes": ""},
            "language": "vi",
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text


def card_of(page: Page, serial: str) -> Locator:
    return page.get_by_test_id("record-card").filter(has_text=serial)


def test_on_a_phone_in_english_the_director_reviews_the_fraud_queue_and_locks_the_month(
    open_page: Callable[..., Page], stack: DevstackProcess, ledger: dict[str, Any]
) -> None:
    # two installations by the demo partner today: one for the partner's own phone (held), one
    # for a customer (pending)
    _, current = months()
    director = sign_in_by_api(stack, "director")
    partner = partner_session(stack)
    held, pending = "RWD-HELD-1", "RWD-PEND-1"
    admin = sign_in_by_api(stack, "admin")
    for serial in (held, pending):
        new_unit(stack, admin, serial)
    installed_by_partner(stack, partner, held, PARTNER.phone)
    installed_by_partner(stack, partner, pending, "0912 777 001")
    stack.wait_for(
        lambda: {held, pending} <= {e["serial"] for e in entries_of(stack, director, current)}
    )
    others = [
        e["serial"]
        for e in entries_of(stack, director, current)
        if e["state"] in ("pending", "held") and e["serial"] not in (held, pending)
    ]
    if others:  # the demo's own entries of this month, decided first so the month can lock
        decided = requests.post(
            f"{stack.api}/rewards/decisions",
            headers=director,
            json={"serials": others, "decision": "approve", "note": "demo"},
            timeout=30,
        )
        assert decided.json()["refused"] == 0, decided.text
    before = period_of(stack, director, current)

    page = open_page(viewport=PHONE)
    page.goto("/sign-in?next=%2Frewards%2Frules")
    page.get_by_role("button", name="English").click()
    sign_in(page, "director", stack.password_of("director"), language="en")
    expect(page.get_by_role("heading", name="Reward rules", level=1)).to_be_visible()
    dialog = page.get_by_role("dialog")

    # ending a rule twice on the same day: the API's refusal in English
    for attempt in range(2):
        page.get_by_role("button", name="End the Kitchen appliance rule").click()
        dialog.get_by_label("Note").fill("Programme over")
        dialog.get_by_role("button", name="End", exact=True).click()
        if attempt == 0:
            expect(dialog).to_have_count(0)
    expect(dialog.get_by_role("alert")).to_contain_text("already ends")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "reward-rule-ended-en-360")
    dialog.get_by_role("button", name="Cancel").click()
    expect(card_of(page, "Kitchen appliance")).to_contain_text("Version 2")

    # the current month's fraud queue: the flags explained, the held entry among them
    page.goto(f"/rewards?period={current}&state=held")
    expect(page.get_by_role("heading", name="Reward reconciliation", level=1)).to_be_visible()
    expect(page.get_by_role("tab", name=re.compile(r"^Flags: held for review"))).to_have_attribute(
        "aria-selected", "true"
    )
    legend = page.get_by_test_id("flag-legend")
    expect(legend).to_contain_text("Customer is the partner: the customer's phone number is")
    expect(card_of(page, held)).to_contain_text("Customer is the partner")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "rewards-flags-en-360")

    # both at once from the list of every state: a held entry needs a note
    page.get_by_role("tab", name=re.compile(r"^All")).click()
    expect(page).to_have_url(re.compile(rf"/rewards\?period={current}$"))
    card_of(page, held).get_by_role("checkbox", name=f"Select {held}").check()
    card_of(page, pending).get_by_role("checkbox", name=f"Select {pending}").check()
    page.get_by_role("button", name="Approve selected (2)").click()
    dialog.get_by_role("button", name="Approve", exact=True).click()
    expect(dialog.get_by_text("Please give the reason.")).to_be_visible()
    dialog.get_by_label("Note").fill("Installed at the partner's own home, checked by phone")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "rewards-bulk-en-360")
    dialog.get_by_role("button", name="Approve", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(card_of(page, held)).to_contain_text("Approved")
    expect(card_of(page, pending)).to_contain_text("Approved")
    after = period_of(stack, director, current)
    assert after["states"]["approved"]["count"] == before["states"]["approved"]["count"] + 2

    assert after["undecided"] == 0
    page.get_by_role("button", name="Lock the month").click()
    expect(dialog).to_contain_text("it cannot be undone from the console")
    dialog.get_by_role("button", name="Lock the month").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("period-status")).to_contain_text("Locked on")
    expect(page.get_by_role("checkbox")).to_have_count(0)  # nothing to select in a locked month
    expect(page.get_by_role("button", name="Approve selected (0)")).to_be_disabled()

    page.get_by_role("button", name="Export to Excel").click()
    link = page.get_by_test_id("export-download")
    expect(link).to_contain_text(f"rewards-{current}.xlsx")
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "rewards-month-en-360")
    sheet = xlsx_rows(link.get_attribute("href") or "")
    assert sheet[0][0] == "Serial"
    row = next(r for r in sheet if r[0] == held)
    assert "Installed at the partner's own home, checked by phone" in row


def test_customer_service_reads_the_entries_and_an_accountant_exports_without_deciding(
    open_page: Callable[..., Page], stack: DevstackProcess, ledger: dict[str, Any]
) -> None:
    period = ledger["period"]
    page = open_page(viewport=PHONE)
    page.goto("/rewards")
    sign_in(page, "cs", stack.password_of("cs"))
    expect(page.get_by_role("heading", name="Đối soát thưởng", level=1)).to_be_visible()
    cards = page.get_by_test_id("record-card")
    expect(cards.first).to_contain_text(PARTNER.name)
    expect(cards).to_have_count(min(ledger["totals"]["entries"], 50))
    expect(page.get_by_test_id("period-totals")).to_have_count(0)  # the totals are not cs's
    expect(page.get_by_role("checkbox")).to_have_count(0)
    expect(page.get_by_test_id("entry-actions")).to_have_count(0)
    expect(page.get_by_role("button", name="Xuất Excel")).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "rewards-cs-360")
    page.get_by_role("button", name="Mở danh mục").click()
    menu = page.get_by_role("navigation")
    expect(menu.get_by_role("link", name="Đối soát thưởng")).to_be_visible()
    expect(menu.get_by_role("link", name="Quy tắc thưởng")).to_have_count(0)
    page.goto("/rewards/rules")
    expect(page.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()

    accountant = open_page()
    accountant.goto(f"/rewards?period={period}")
    sign_in(accountant, "accountant", stack.password_of("accountant"))
    expect(accountant.get_by_test_id("period-totals")).to_be_visible()
    expect(accountant.get_by_test_id("entry-actions")).to_have_count(0)
    expect(accountant.get_by_role("button", name="Khóa sổ tháng")).to_have_count(0)
    accountant.get_by_role("button", name="Xuất Excel").click()
    expect(accountant.get_by_test_id("export-download")).to_contain_text(f"rewards-{period}.xlsx")
    accountant.goto("/rewards/rules")
    expect(accountant.get_by_role("heading", name="Quy tắc thưởng", level=1)).to_be_visible()
    expect(accountant.get_by_role("button", name="Thêm quy tắc")).to_have_count(0)
    assert clean(accountant) == []
