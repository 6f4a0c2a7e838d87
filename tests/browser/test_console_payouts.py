"""The console's payouts screen in a real browser against the embedded stack (issue 13).

Given approved rewards of the demo's approved partner (and a second partner) in a month the
manager locked, the accountant sees the demo's confirmed withholding setting, previews a batch
(totals first), makes it, exports it (the Excel link opens a workbook with its VietQR codes),
marks one line paid with the bank's reference and the other failed with a reason, and the batch
closes; on a 360 px phone, in English, the same screens without horizontal scroll. The director
reads but makes nothing. axe-core finds no WCAG A/AA violation on any of these screens."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    emulator_client,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

require_chromium()

PERIOD = "2026-03"
APPROVED = "Trần Văn Hùng"  # devstack/demo.py's approved partner


def clean(page: Page) -> list[str]:
    """axe-core's violations once transitions are over (a modal fading in is not low contrast)."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return axe_violations(page)


def table(dynamodb: Any, suffix: str) -> str:
    return next(n for n in dynamodb.list_tables()["TableNames"] if n.endswith(f"-{suffix}"))


def owe(stack: DevstackProcess, partner_id: str, serial: str, amount: int) -> None:
    """An approved reward of ``amount`` VND in March 2026, as a manager's approval leaves it."""
    dynamodb = emulator_client(stack, "dynamodb")
    at = "2026-03-14T03:00:00.000000+0000"
    dynamodb.put_item(
        TableName=table(dynamodb, "rewards"),
        Item={
            "entry_id": {"S": serial},
            "serial": {"S": serial},
            "model_code": {"S": "AC-INV-12"},
            "partner_id": {"S": partner_id},
            "state": {"S": "approved"},
            "kind": {"S": "reward"},
            "amount": {"N": str(amount)},
            "activated_at": {"S": at},
            "activation_day": {"S": "2026-03-14"},
            "created_at": {"S": at},
            "period": {"S": PERIOD},
            "payable": {"S": PERIOD},
            "customer_key": {"S": f"k-{serial}"},
            "flags": {"L": []},
            "history": {"L": []},
        },
    )


@pytest.fixture(scope="module")
def owed(stack: DevstackProcess) -> dict[str, str]:
    """The approved demo partner and a second one, owed in a locked March."""
    admin = sign_in_by_api(stack, "admin")
    approved = requests.get(
        f"{stack.api}/partners", params={"status": "approved"}, headers=admin, timeout=10
    ).json()["partners"]
    hung = next(p["partner_id"] for p in approved if p["name"] == APPROVED)
    created = requests.post(
        f"{stack.api}/partners",
        json={
            "phone": "0966 222 333",
            "name": "Đỗ Minh Khoa",
            "citizen_id": "001095001133",
            "province": "Hà Nội",
            "bank_bin": "970436",
            "account_number": "0011002233445",
            "account_holder": "DO MINH KHOA",
            "consent": True,
            "status": "approved",
        },
        headers=admin,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    khoa = created.json()["partner_id"]
    owe(stack, hung, "GARPAY0001", 1_500_000)
    owe(stack, hung, "GARPAY0002", 700_000)
    owe(stack, khoa, "GARPAY0003", 90_000)
    dynamodb = emulator_client(stack, "dynamodb")
    dynamodb.put_item(
        TableName=table(dynamodb, "reward_periods"),
        Item={
            "period": {"S": PERIOD},
            "locked_at": {"S": "2026-04-02T03:00:00.000000+0000"},
            "locked_by": {"S": "director"},
        },
    )
    return {"hung": hung, "khoa": khoa}


def test_the_accountant_makes_exports_and_settles_a_batch(
    page: Page, stack: DevstackProcess, owed: dict[str, str]
) -> None:
    page.goto("/payouts")
    sign_in(page, "accountant", stack.password_of("accountant"))
    expect(page.get_by_role("heading", name="Chi trả thưởng thợ lắp đặt", level=1)).to_be_visible()
    expect(page.get_by_test_id("current-setting")).to_contain_text("10 %")  # the demo's setting
    expect(page.get_by_text("Chưa có đợt chi trả nào.")).to_be_visible()
    assert clean(page) == []

    page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_test_id("payout-preview")
    expect(preview).to_contain_text(PERIOD)
    totals = page.get_by_test_id("payout-totals")
    expect(totals).to_contain_text("2.290.000")  # gross: 2,200,000 + 90,000
    expect(totals).to_contain_text("220.000")  # Hùng's 10 %: 2,200,000 ≥ 2,000,000
    expect(totals).to_contain_text("2.070.000")
    assert clean(page) == []
    shot(page, "payouts-preview-vi")

    page.get_by_role("button", name="Lập đợt chi trả").click()
    expect(page).to_have_url(re.compile(r"/payouts/pb_"))
    expect(page.get_by_role("heading", name=re.compile("Đợt chi trả lập lúc"))).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=APPROVED)).to_contain_text("1.980.000")  # net
    expect(rows.filter(has_text="Đỗ Minh Khoa")).to_contain_text("Vietcombank · 0011002233445")
    expect(page.get_by_role("button", name="Đã chi", exact=True)).to_have_count(0)  # not exported
    assert clean(page) == []

    page.get_by_role("button", name="Xuất Excel").click()
    download = page.get_by_test_id("payout-download")
    expect(download).to_be_visible()
    content = requests.get(str(download.get_attribute("href")), timeout=10).content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["Chi trả", "Chuyển tiền theo lô"]
    codes = [row[12] for row in workbook.get_sheet_by_index(0).to_python()[1:]]
    assert all(code.startswith("000201010212") and "A000000727" in code for code in codes)
    expect(page.get_by_text("Đã xuất file", exact=True).first).to_be_visible()

    page.get_by_role("button", name=f"Đánh dấu đã chi cho {APPROVED}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Đã chi").click()
    expect(dialog.get_by_text("Nhập mã tham chiếu giao dịch của ngân hàng.")).to_be_visible()
    dialog.get_by_label("Mã giao dịch ngân hàng").fill("FT26093001")
    assert clean(page) == []
    shot(page, "payouts-mark-paid-vi")
    dialog.get_by_role("button", name="Đã chi").click()
    expect(dialog).to_have_count(0)
    expect(rows.filter(has_text=APPROVED)).to_contain_text("FT26093001")

    page.get_by_role("button", name="Đánh dấu chi lỗi cho Đỗ Minh Khoa").click()
    dialog.get_by_label("Lý do lỗi").fill("Sai số tài khoản")
    dialog.get_by_role("button", name="Chi lỗi").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Đã đóng", exact=True).first).to_be_visible()
    expect(page.get_by_text("1 đã chi, 1 lỗi")).to_be_visible()
    assert clean(page) == []
    shot(page, "payout-batch-closed-vi")

    page.get_by_role("link", name="← Tất cả đợt chi trả").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Đã đóng")


def test_on_a_phone_in_english_the_screens_fit_and_the_director_only_reads(
    open_page: Any, stack: DevstackProcess, owed: dict[str, str]
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/sign-in?next=%2Fpayouts")
    page.get_by_role("button", name="English").click()
    sign_in(page, "director", stack.password_of("director"), language="en")
    expect(page.get_by_role("heading", name="Installer payouts", level=1)).to_be_visible()
    expect(page.get_by_test_id("current-setting")).to_contain_text("10 %")
    expect(page.get_by_role("button", name="Confirm a new setting")).to_have_count(0)
    expect(page.get_by_role("button", name="Make the batch")).to_have_count(0)
    cards = page.get_by_test_id("record-card")
    expect(cards.first).to_be_visible()
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "payouts-en-360")

    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("Payout batch of"))).to_be_visible()
    expect(page.get_by_test_id("record-card")).to_have_count(2)
    expect(page.get_by_role("button", name="Export to Excel")).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert clean(page) == []
    shot(page, "payout-batch-en-360")
