"""The installer partners' portal page (``/partner``) in a real browser against the embedded
stack: a technician signs up on a 360 px phone in Vietnamese (the code read from the dev inbox)
and lands on the pending page; the approved demo partner signs in in English; a wrong code
tells the attempts left; a suspended partner's kept session is refused with the reason. An
approved partner activates a unit from their page (typed, then scanned) and finds it in their
history as pending with its amount, by month too; the QR landing page's "I installed this
product" takes the partner signed in on the device as the installer (locked), or a typed one.
The "Cases" section: a partner opens a service case with a photo (uploaded from the page straight
to the bucket), staff answer through the API, the partner reads it and closes the case.
axe-core finds nothing on each page; screenshots go to ``tests/browser/artifacts/partner-*.png``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.browser import chromium, page_opener, require_chromium
from tests.support.console import (
    AXE,
    axe_violations,
    new_unit,
    no_horizontal_scroll,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess, start_devstack
from tests.support.partner_cases import installed_by_the_partner, jpeg

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SMALL_PHONE = {"width": 360, "height": 800}
ARTIFACTS = Path(__file__).parent / "artifacts"
APPROVED_DEMO = "0909000101"  # devstack/demo.py: Trần Văn Hùng, approved
SUSPENDED_DEMO = "0909000103"  # Phạm Quốc Bảo, suspended

require_chromium()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.kill()  # its data is not read again: no need to save it (Ctrl-C has its own tests)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Browser, stack: DevstackProcess) -> Iterator[Callable[..., Page]]:
    web = f"http://127.0.0.1:{stack.ports['web']}"
    with page_opener(browser, base_url=web, viewport=SMALL_PHONE, init_script=AXE) as new_page:
        yield new_page


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"partner-{name}.png"), full_page=True)


def partner_code(stack: DevstackProcess, phone: str, after: int = 0) -> str:
    """The newest partner code sent to ``phone`` once there are more than ``after`` of them."""

    def codes(messages: list[dict[str, str]]) -> list[dict[str, str]]:
        return [m for m in messages if m["template"] == "partner_code"]

    messages = stack.wait_for_inbox(phone, lambda ms: len(codes(ms)) > after)
    found = re.search(r"\b(\d{6})\b", codes(messages)[0]["text"])  # newest first
    assert found
    return found.group(1)


def sent_codes(stack: DevstackProcess, phone: str) -> int:
    response = requests.get(f"{stack.api}/dev/inbox", params={"phone": phone}, timeout=10)
    return sum(1 for m in response.json()["messages"] if m["template"] == "partner_code")


def clean(page: Page) -> None:
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


def approved_partner(
    stack: DevstackProcess, phone: str, name: str, citizen_id: str, account: str
) -> str:
    """A partner created approved by a director (its id)."""
    created = requests.post(
        f"{stack.api}/partners",
        headers=sign_in_by_api(stack, "director"),
        json={
            "phone": phone,
            "name": name,
            "citizen_id": citizen_id,
            "province": "Huế",
            "bank_bin": "970436",
            "account_number": account,
            "account_holder": bankish(name),
            "consent": True,
            "status": "approved",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["partner_id"])


def bankish(name: str) -> str:
    """``Võ Minh Tâm`` → ``VO MINH TAM``, as a bank prints a holder's name."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).upper()


def partner_session(stack: DevstackProcess, phone: str) -> str:
    before = sent_codes(stack, phone)
    sent = requests.post(f"{stack.api}/partner/codes", json={"phone": phone}, timeout=10)
    assert sent.status_code == 202, sent.text
    session = requests.post(
        f"{stack.api}/partner/sessions",
        json={"phone": phone, "code": partner_code(stack, phone, before)},
        timeout=10,
    )
    assert session.status_code == 200, session.text
    return str(session.json()["session"]["token"])


def test_a_technician_signs_up_on_a_phone_in_vietnamese(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    phone = "0987 654 321"
    page = open_page()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Dành cho thợ lắp đặt")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối tác lắp đặt")
    clean(page)
    shot(page, "start-vi")

    page.get_by_role("button", name="Đăng ký làm đối tác lắp đặt").click()
    page.fill("#phone", phone)
    before = sent_codes(stack, phone)
    page.get_by_role("button", name="Gửi mã").click()
    expect(page.locator("#code")).to_be_focused()
    expect(page.locator("#resend")).to_be_disabled()  # the resend timer
    expect(page.locator("#resend")).to_contain_text("giây")
    page.fill("#code", partner_code(stack, phone, before))
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.locator("#details-form")).to_be_visible()
    # the 34 units, grouped; the bank found by its short name; the holder as the bank prints it
    assert page.locator("#province optgroup").count() == 2
    assert page.locator("#province option[value]:not([value=''])").count() == 34
    page.fill("#name", "Đặng Văn Đức")
    page.fill("#citizen_id", "001203004567")
    page.select_option("#province", "Cần Thơ")
    page.fill("#bank_search", "vietcombank")
    expect(page.locator("#bank_bin")).to_have_value("970436")
    page.fill("#account_number", "0011 0045 67890")
    page.fill("#account_holder", "Đặng Văn Đức")
    expect(page.locator("#holder-printed")).to_have_text("DANG VAN DUC")
    page.fill("#tax_code", "12345")
    page.get_by_role("button", name="Gửi đăng ký").click()
    # the page's own checks: the tax code and the missing consent, on their fields
    expect(page.locator("#tax_code-err")).to_contain_text("Mã số thuế phải có 10 chữ số")
    expect(page.locator("#consent-err")).to_contain_text("Bạn cần đồng ý")
    clean(page)
    shot(page, "details-errors-vi")

    page.fill("#tax_code", "")
    page.check("#consent")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#welcome")).to_have_text(
        "Đã gửi đăng ký. Hồ sơ của bạn đang chờ hãng duyệt."
    )
    expect(page.locator("#me-status")).to_have_text("Đang chờ duyệt")
    expect(page.locator("#me-citizen")).to_have_text(re.compile(r"^\*+4567$"))  # masked
    expect(page.locator("#partner-later")).to_contain_text("Khi hồ sơ được duyệt")
    expect(page.locator("#start-activate")).to_have_count(0)  # pending: nothing to activate yet
    clean(page)
    shot(page, "pending-vi")

    # the session lasts: the page opened again is still signed in, with no code
    page.reload()
    expect(page.locator("#me-status")).to_have_text("Đang chờ duyệt")
    token = json.loads(page.evaluate("localStorage.getItem('garanti.partner')"))["token"]
    assert token.startswith("pst_")

    # signing out forgets the token and ends the session on the server
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    assert page.evaluate("localStorage.getItem('garanti.partner')") is None

    def refused() -> bool:
        me = requests.get(
            f"{stack.api}/partner/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        return me.status_code == 401

    stack.wait_for(refused, 10)


def test_the_approved_demo_partner_signs_in_in_english_after_a_wrong_code(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    page = open_page()
    page.goto("/partner")
    page.locator("#lang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Installer partners")
    page.get_by_role("button", name="Sign in").click()
    page.fill("#phone", APPROVED_DEMO)
    before = sent_codes(stack, APPROVED_DEMO)
    page.get_by_role("button", name="Send code").click()
    code = partner_code(stack, APPROVED_DEMO, before)
    wrong = "000000" if code != "000000" else "111111"
    page.fill("#code", wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-err")).to_contain_text(re.compile(r"\d+ (more )?attempts?"))
    clean(page)
    shot(page, "wrong-code-en")

    page.fill("#code", code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=2, name="Trần Văn Hùng")).to_be_visible()
    expect(page.locator("#me-status")).to_have_text("Approved")
    expect(page.locator("#me-explain")).to_contain_text("you can activate")
    expect(page.locator("#me-account")).to_have_text(re.compile(r"^\*+3456$"))
    clean(page)
    shot(page, "approved-en")


def test_a_suspended_partners_session_is_refused_with_the_reason(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    staff = sign_in_by_api(stack, "director")
    phone = "0977 000 555"
    partner_id = approved_partner(stack, phone, "Hoàng Văn Tú", "001099001111", "0011000999888")
    token = partner_session(stack, phone)

    page = open_page()
    page.goto("/partner")
    page.evaluate("t => localStorage.setItem('garanti.partner', JSON.stringify({token: t}))", token)
    page.reload()
    expect(page.locator("#me-status")).to_have_text("Đã duyệt")

    suspended = requests.post(
        f"{stack.api}/partners/{partner_id}/status",
        headers=staff,
        json={"status": "suspended", "note": "Kích hoạt hộ không đúng quy định"},
        timeout=10,
    )
    assert suspended.status_code == 200, suspended.text
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("#partner-alert")).to_contain_text("Vui lòng đăng nhập lại")
    assert page.evaluate("localStorage.getItem('garanti.partner')") is None
    clean(page)
    shot(page, "session-refused-vi")

    # the suspended demo partner signing in is told so, with the way to reach the brand
    page.get_by_role("button", name="Quay lại").click()
    page.get_by_role("button", name="Đăng nhập").click()
    page.fill("#phone", SUSPENDED_DEMO)
    before = sent_codes(stack, SUSPENDED_DEMO)
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", partner_code(stack, SUSPENDED_DEMO, before))
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#partner-alert")).to_contain_text("tạm ngưng")


def test_the_apis_refusals_of_a_sign_up_show_on_the_fields_the_code_and_in_words(
    open_page: Callable[..., Page],
) -> None:
    """The API's answers, played by the page's network: a 400's field errors on their fields, a
    wrong code back on the code step with the attempts left (the details kept), and a phone
    that is already a partner's with the way to sign in."""
    answers: list[tuple[int, dict[str, Any]]] = [
        (
            400,
            {
                "error": {
                    "code": "invalid_input",
                    "message": "Kiểm tra lại các trường.",
                    "fields": [
                        {"field": "citizen_id", "code": "citizen_id_invalid", "message": "x"},
                        {
                            "field": "account_number",
                            "code": "account_number_invalid",
                            "message": "x",
                        },
                    ],
                }
            },
        ),
        (401, {"error": {"code": "otp_wrong_code", "message": "x", "attempts_left": 2}}),
        (409, {"error": {"code": "partner_exists", "message": "x"}}),
    ]
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"}

    def reply(route: Route, status: int, body: dict[str, Any]) -> None:
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers={**cors, "Access-Control-Allow-Methods": "POST"})
        else:
            route.fulfill(status=status, headers=cors, json=body)

    page = open_page()
    page.route(
        "**/partner/codes", lambda route: reply(route, 202, {"sent": True, "resend_after": 60})
    )
    page.route("**/partner/signup", lambda route: reply(route, *answers[0]))
    page.goto("/partner")
    page.get_by_role("button", name="Đăng ký làm đối tác lắp đặt").click()
    page.fill("#phone", "0987 000 111")
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", "123456")
    page.get_by_role("button", name="Tiếp tục").click()
    page.fill("#name", "Đặng Văn Đức")
    page.fill("#citizen_id", "001203004567")
    page.select_option("#province", "Huế")
    page.fill("#bank_search", "Techcombank")
    page.fill("#account_number", "0011004567890")
    page.fill("#account_holder", "Dang Van Duc")
    page.check("#consent")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#citizen_id-err")).to_have_text("Số CCCD/CMND phải có 9 hoặc 12 chữ số.")
    expect(page.locator("#account_number-err")).to_contain_text("từ 6 đến 19 chữ số")
    expect(page.locator("#citizen_id")).to_be_focused()
    assert axe_violations(page) == []

    answers.pop(0)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#code-err")).to_have_text("Mã không đúng. Bạn còn 2 lần thử.")
    page.fill("#code", "654321")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator("#name")).to_have_value("Đặng Văn Đức")  # the details were kept
    expect(page.locator("#province")).to_have_value("Huế")

    answers.pop(0)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#partner-alert")).to_contain_text("đã đăng ký làm đối tác")
    page.locator("#partner-alert").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    clean(page)
    shot(page, "signin-after-exists-vi")


# -- activation by the installer ------------------------------------------------------------------

INSTALLER = "0977 000 601"  # approved partners of the module's own, one per test (a code to a
SECOND = "0977 000 602"  # phone waits a minute before the next, the demo partners' are theirs)
LOCK_REWARD = "100.000\u00a0₫"  # devstack/demo.py: LOCK-S7's rule, 100,000 VND

# The camera and the browser's QR reader, played by the page: the scanner reads whatever
# ``window.scannedText`` holds (Chromium on Linux has no BarcodeDetector of its own).
FAKE_SCANNER = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ['qr_code']; }
  async detect() { return window.scannedText ? [{ rawValue: window.scannedText }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 16;
  canvas.getContext('2d').fillRect(0, 0, 16, 16);
  return canvas.captureStream();
};
"""


@pytest.fixture(scope="module")
def installer(stack: DevstackProcess) -> dict[str, str]:
    """An approved partner of the module's own (the demo partners' code limits stay theirs)."""
    partner_id = approved_partner(stack, INSTALLER, "Võ Minh Tâm", "001099002222", "0011000777666")
    return {"partner_id": partner_id, "name": "Võ Minh Tâm"}


def staff_unit(stack: DevstackProcess, serial: str) -> dict[str, Any]:
    staff = sign_in_by_api(stack, "admin")
    return dict(requests.get(f"{stack.api}/units/{serial}", headers=staff, timeout=10).json())


def fill_customer(page: Page, name: str = "Nguyễn Thị Lan", phone: str = "0912 700 601") -> None:
    page.fill("#i-name", name)
    page.fill("#i-phone", phone)
    page.fill("#i-store", "Điện máy Sông Hàn")
    page.fill("#i-notes", "Lắp phòng khách")


def test_a_partner_activates_a_unit_from_their_page_and_sees_it_pending_with_its_amount(
    open_page: Callable[..., Page], stack: DevstackProcess, installer: dict[str, str]
) -> None:
    staff = sign_in_by_api(stack, "admin")
    new_unit(stack, staff, "WEB-P001")
    page = open_page()
    page.add_init_script(FAKE_SCANNER)
    page.goto("/partner")
    page.get_by_role("button", name="Đăng nhập").click()
    page.fill("#phone", INSTALLER)
    before = sent_codes(stack, INSTALLER)
    page.get_by_role("button", name="Gửi mã").click()
    page.fill("#code", partner_code(stack, INSTALLER, before))
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#balance")).to_have_text("0\u00a0₫")
    expect(page.locator("#entries-empty")).to_contain_text("Chưa có lượt lắp đặt nào")
    clean(page)
    shot(page, "home-vi")

    # the form's own checks, on their fields, focus on the first
    page.get_by_role("button", name="Kích hoạt một sản phẩm").click()
    expect(page.locator("#i-serial")).to_be_focused()
    page.fill("#i-serial", "web-p001")
    fill_customer(page, phone="0123")
    page.get_by_role("button", name="Kích hoạt bảo hành cho khách").click()
    expect(page.locator("#i-phone-err")).to_contain_text("Số điện thoại không hợp lệ")
    expect(page.locator("#i-phone")).to_be_focused()
    expect(page.locator("#i-consent-err")).to_contain_text("Cần có sự đồng ý của khách hàng")
    expect(page.locator("#install-alert")).to_contain_text("2 mục")
    clean(page)
    shot(page, "activate-errors-vi")

    page.fill("#i-phone", "0912 700 601")
    page.check("#i-consent")
    page.get_by_role("button", name="Kích hoạt bảo hành cho khách").click()
    expect(page.locator("#activated-title")).to_have_text("Đã kích hoạt bảo hành cho khách hàng")
    expect(page.locator("#activated-unit")).to_contain_text("WEB-P001")
    # the reward, decided from the units stream a moment later, in the history
    entry = page.locator("#entry-WEB-P001")
    expect(entry).to_contain_text("Chờ duyệt", timeout=30_000)
    expect(entry).to_contain_text(LOCK_REWARD)
    expect(entry).to_contain_text("LOCK-S7")
    expect(entry).to_contain_text("N***** T** L**")  # the customer's name, masked
    expect(entry).to_contain_text("duyệt khi đối soát")
    expect(page.locator("#balance")).to_have_text("0\u00a0₫")  # pending: not owed yet
    clean(page)
    shot(page, "activated-pending-vi")

    # the same unit scanned again: already activated, said on the serial's field
    page.get_by_role("button", name="Kích hoạt sản phẩm khác").click()
    token = urlparse(staff_unit(stack, "WEB-P001")["qr_url"]).path.rsplit("/", 1)[-1]
    page.evaluate("url => { window.scannedText = url; }", f"http://127.0.0.1/q/{token}")
    page.get_by_role("button", name="Quét tem QR bằng camera").click()
    expect(page.locator("#i-serial")).to_have_value("WEB-P001")
    expect(page.locator("#scan-dialog")).to_have_count(0)  # closed, the camera released
    fill_customer(page, name="Lê Văn Hải", phone="0912 700 602")
    page.check("#i-consent")
    page.get_by_role("button", name="Kích hoạt bảo hành cho khách").click()
    expect(page.locator("#i-serial-err")).to_contain_text("đã được kích hoạt bảo hành ngày")
    expect(page.locator("#i-serial")).to_be_focused()
    clean(page)
    shot(page, "activate-already-vi")
    page.get_by_role("button", name="Huỷ, đóng biểu mẫu").click()

    # a month: its entries and its total; another month has none
    this_month = page.locator("#month option").nth(1).get_attribute("value")
    page.select_option("#month", this_month)
    expect(page.locator("#month-earned")).to_have_text(LOCK_REWARD)
    expect(page.locator("#month-total")).to_contain_text("1 lượt lắp đặt")
    expect(page.locator("#entry-WEB-P001")).to_be_visible()
    page.select_option("#month", page.locator("#month option").nth(2).get_attribute("value"))
    expect(page.locator("#entries-empty")).to_contain_text("Không có lượt lắp đặt nào trong tháng")
    page.select_option("#month", "")
    page.locator("#lang").click()
    expect(page.locator("#entry-WEB-P001")).to_contain_text("Pending approval")
    expect(page.locator("#entry-WEB-P001")).to_contain_text("100,000\u00a0₫")
    clean(page)
    shot(page, "history-en")

    # the unit's warranty history: who bought it (masked), who installed it, no request yet
    page.locator("#history-WEB-P001").click()
    history = page.locator("#unit-entry-WEB-P001-history")
    expect(history).to_contain_text("Warranty history")
    expect(history).to_contain_text("N***** T** L**")
    expect(history).to_contain_text("No service yet.")
    expect(page.locator("#history-WEB-P001")).to_have_attribute("aria-expanded", "true")
    clean(page)
    shot(page, "history-unit-en")


def test_i_installed_this_product_takes_the_partner_signed_in_on_the_device(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    staff = sign_in_by_api(stack, "admin")
    token = new_unit(stack, staff, "WEB-P002")
    partner_id = approved_partner(stack, SECOND, "Lý Văn Phúc", "001099003333", "0011000555444")
    session = partner_session(stack, SECOND)
    page = open_page()
    page.goto("/partner")
    page.evaluate(
        "t => localStorage.setItem('garanti.partner', JSON.stringify({token: t}))", session
    )
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Tôi đã lắp đặt sản phẩm này").click()
    expect(page.locator("#install-title")).to_have_text("Tôi đã lắp đặt sản phẩm này")
    expect(page.locator("#i-installer-name")).to_have_value("Lý Văn Phúc")
    expect(page.locator("#i-installer-phone")).to_have_value("0977 000 602")
    expect(page.locator("#i-installer-name")).to_have_attribute("readonly", "")
    clean(page)
    shot(page, "landing-installer-partner-vi")

    fill_customer(page, name="Phan Thị Hoa", phone="0912 700 603")
    page.check("#i-consent")
    page.get_by_role("button", name="Kích hoạt bảo hành cho khách").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đã kích hoạt bảo hành cho khách hàng"
    )
    expect(page.locator("#install-next")).to_contain_text("091* *** *03")
    expect(page.locator("#install-next")).to_contain_text("trang đối tác")
    clean(page)
    shot(page, "landing-installer-done-vi")

    activation = staff_unit(stack, "WEB-P002")["activation"]
    assert activation["channel"] == "partner"
    assert activation["installer"]["partner_id"] == partner_id
    assert activation["installer"]["store"] == "Điện máy Sông Hàn"

    def rewarded() -> bool:
        answer = requests.get(
            f"{stack.api}/partner/rewards",
            headers={"Authorization": f"Bearer {session}"},
            timeout=10,
        ).json()
        return any(e["serial"] == "WEB-P002" and e["state"] == "pending" for e in answer["entries"])

    stack.wait_for(rewarded, 30)


def test_i_installed_this_product_without_a_session_asks_who_installed_it(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    staff = sign_in_by_api(stack, "admin")
    token = new_unit(stack, staff, "WEB-P003")
    page = open_page()
    page.goto(f"/q/{token}")
    page.locator("#lang").click()
    page.get_by_role("button", name="I installed this product").click()
    expect(page.locator("#i-installer-name")).to_be_editable()
    fill_customer(page, name="Đỗ Văn Nam", phone="0912 700 604")
    page.check("#i-consent")
    page.fill("#i-installer-phone", "0283 822 1234")  # a landline: not a mobile
    page.get_by_role("button", name="Activate the warranty for the customer").click()
    expect(page.locator("#i-installer-name-err")).to_contain_text("full name")
    expect(page.locator("#i-installer-phone-err")).to_contain_text("mobile number")
    expect(page.locator("#i-installer-name")).to_be_focused()
    clean(page)
    shot(page, "landing-installer-typed-errors-en")

    page.fill("#i-installer-name", "Trịnh Văn Thợ")
    page.fill("#i-installer-phone", "0933 333 605")
    page.get_by_role("button", name="Activate the warranty for the customer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warranty activated for the customer")
    expect(page.locator("#install-next")).to_contain_text("approved partner")
    clean(page)
    shot(page, "landing-installer-typed-done-en")
    installer = staff_unit(stack, "WEB-P003")["activation"]["installer"]
    assert (installer["name"], installer["partner_id"]) == ("Trịnh Văn Thợ", None)

    # back on the page, the unit is activated: the customer's path and the installer's are gone
    page.goto(f"/q/{token}")
    expect(page.locator("#verdict-title")).to_be_visible()
    expect(page.locator("#path-installer")).to_have_count(0)


# -- the "Cases" section (js/partner_cases.js) ------------------------------------------------

SUBJECT = "Máy kêu to sau khi lắp"


def test_a_partner_opens_a_case_with_a_photo_and_reads_the_staff_answer(
    open_page: Callable[..., Page], stack: DevstackProcess, tmp_path: Path
) -> None:
    phone = "0909 000 177"  # a partner of its own: the demo partner's codes stay for the others
    approved_partner(stack, phone, "Đặng Văn Cường", "001099004444", "0011000333222")
    token = partner_session(stack, phone)
    serial = installed_by_the_partner(stack, {"Authorization": f"Bearer {token}"}, "GARCASEP0001")
    photo = tmp_path / "may-lanh.jpg"
    photo.write_bytes(jpeg())
    page = open_page()
    page.goto("/partner")
    page.evaluate("t => localStorage.setItem('garanti.partner', JSON.stringify({token: t}))", token)
    page.reload()

    section = page.locator("#partner-cases")
    expect(section.locator("#cases-empty")).to_have_text("Bạn chưa có yêu cầu nào.")
    clean(page)
    section.get_by_role("button", name="Mở yêu cầu").click()
    section.get_by_label("Về", exact=True).select_option("service")
    section.get_by_label("Số serial").fill(serial.lower())  # case is forgiven
    section.get_by_label("Tiêu đề").fill(SUBJECT)
    section.get_by_label("Ghi chú").fill("Khách báo máy kêu to.\nĐã kiểm tra ống đồng.")
    section.get_by_label("Ảnh").set_input_files(str(photo))
    expect(section).to_contain_text("Đã chọn 1 ảnh.")
    clean(page)
    shot(page, "case-new-vi")
    section.get_by_role("button", name="Gửi yêu cầu").click()

    expect(section.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(section).to_contain_text("Chờ nhân viên")
    thread = section.locator("#case-thread li")
    expect(thread).to_have_count(1)
    expect(thread.first).to_contain_text("Đã kiểm tra ống đồng.")
    page.wait_for_function(
        "() => { const img = document.querySelector('#case-thread img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )  # the presigned link loads on the portal (its img-src allows the bucket)
    clean(page)
    shot(page, "case-opened-vi")

    staff = sign_in_by_api(stack, "cs")
    (case,) = requests.get(f"{stack.api}/cases", headers=staff, timeout=10).json()["cases"]
    answer = requests.post(
        f"{stack.api}/cases/{case['case_id']}/notes",
        json={"text": "Kỹ thuật sẽ gọi anh trong hôm nay."},
        headers=staff,
        timeout=10,
    )
    assert answer.status_code == 201, answer.text

    page.reload()
    section.get_by_role("button", name=SUBJECT).click()
    expect(thread).to_have_count(2)
    expect(thread.last).to_contain_text("Nhân viên")
    expect(thread.last).to_contain_text("Kỹ thuật sẽ gọi anh trong hôm nay.")
    expect(section).to_contain_text("Đã trả lời")
    clean(page)
    shot(page, "case-answered-vi")

    section.get_by_role("button", name="Đóng yêu cầu").click()
    expect(section).to_contain_text("Yêu cầu đã đóng. Viết thêm ghi chú sẽ mở lại.")
    expect(section.get_by_role("button", name="Thêm ghi chú và mở lại")).to_be_visible()
    clean(page)
    shot(page, "case-closed-vi")
    stored = json.loads(page.evaluate("localStorage.getItem('garanti.partner')"))
    assert stored["token"] == token  # the session is the page's own, kept
