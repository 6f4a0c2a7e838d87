"""The staff, password and audit screens of the console in a real browser against the embedded
stack.

An administrator invites a colleague (the temporary password shown once, with a copy button),
who signs in with it and chooses their own; changes a colleague's roles, cannot take away their
own admin role nor disable themselves (the screen says why), disables a colleague who then cannot
sign in; every staff member changes their own password from the header (the menu on a phone);
the audit log shows those changes and a model edit with before and after, filtered in the URL.
Both languages, the role menus, 360 px phones, axe-core on every screen. Screenshots in
``tests/browser/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support import factories as f
from tests.support.browser import require_chromium
from tests.support.console import (
    PHONE,
    axe_violations,
    field,
    no_horizontal_scroll,
    shot,
    sign_in,
    sign_in_by_api,
)
from tests.support.devstack_process import DevstackProcess

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-staff")]

require_chromium()


def audit(stack: DevstackProcess, **query: str) -> list[dict[str, Any]]:
    answer = requests.get(
        f"{stack.api}/audit", params=query, headers=sign_in_by_api(stack, "admin"), timeout=10
    )
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


def login(stack: DevstackProcess, username: str, password: str) -> requests.Response:
    return requests.post(
        f"{stack.api}/auth/login", json={"username": username, "password": password}, timeout=10
    )


def open_staff(page: Page, stack: DevstackProcess, *, language: str = "vi") -> None:
    page.goto("/sign-in")
    if language == "en":
        page.get_by_role("button", name="English").click()
    sign_in(page, "admin", stack.password_of("admin"), language=language)
    name = "Nhân viên" if language == "vi" else "Staff"
    page.get_by_role("navigation").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()


def row(page: Page, username: str) -> Any:
    return page.locator("tbody tr").filter(has=page.get_by_text(username, exact=True))


def test_an_admin_invites_a_colleague_who_signs_in_and_chooses_a_password(
    page: Page, open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    open_staff(page, stack)
    expect(row(page, "cs")).to_contain_text("Chăm sóc khách hàng")
    assert axe_violations(page) == []
    shot(page, "staff-vi")

    page.get_by_role("button", name="Mời nhân viên").click()
    dialog = page.get_by_role("dialog", name="Mời nhân viên")
    dialog.get_by_role("button", name="Mời", exact=True).click()
    expect(dialog.get_by_text("Hãy chọn ít nhất một vai trò.")).to_be_visible()  # before asking
    field(dialog, "Tên đăng nhập").fill("Hoa.Tran")
    dialog.get_by_role("checkbox", name="Chăm sóc khách hàng").check()
    dialog.get_by_role("button", name="Mời", exact=True).click()

    temporary = dialog.get_by_test_id("temporary-password")
    expect(temporary).to_be_visible()
    expect(dialog.get_by_role("status")).to_contain_text("chỉ hiện một lần")
    expect(dialog.get_by_role("button", name="Sao chép")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "staff-invited-vi")
    password = temporary.inner_text().strip()
    dialog.get_by_role("button", name="Xong").click()
    expect(row(page, "hoa.tran")).to_contain_text("Phải đặt mật khẩu ở lần đăng nhập tới")

    colleague = open_page()
    colleague.goto("/")
    sign_in(colleague, "hoa.tran", password)
    field(colleague, "Mật khẩu mới").fill("Hoa@2026mine")
    field(colleague, "Nhập lại mật khẩu mới").fill("Hoa@2026mine")
    colleague.get_by_role("button", name="Lưu và đăng nhập").click()
    # signed in: the home page is the dashboard, the header names the new colleague
    expect(colleague.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(colleague.get_by_test_id("user")).to_have_text("hoa.tran · Chăm sóc khách hàng")


def test_roles_change_an_admin_keeps_their_own_and_a_disabled_colleague_cannot_sign_in(
    page: Page, stack: DevstackProcess
) -> None:
    open_staff(page, stack, language="en")

    row(page, "admin").get_by_role("button", name="Actions for admin").click()
    expect(page.get_by_role("menuitem", name="Disable")).to_be_disabled()
    expect(page.get_by_text("Your own account cannot be disabled")).to_be_visible()
    page.get_by_role("menuitem", name="Edit roles").click()
    own = page.get_by_role("dialog", name="Edit roles")
    expect(own.get_by_role("checkbox", name="Administrator")).to_be_checked()
    expect(own.get_by_role("checkbox", name="Administrator")).to_be_disabled()
    expect(own.get_by_text("You cannot remove your own administrator role")).to_be_visible()
    expect(page.get_by_role("menu")).to_have_count(0)  # the actions menu has closed
    assert axe_violations(page) == []
    shot(page, "staff-own-roles-en")
    page.keyboard.press("Escape")

    row(page, "technician").get_by_role("button", name="Actions for technician").click()
    page.get_by_role("menuitem", name="Edit roles").click()
    dialog = page.get_by_role("dialog", name="Edit roles")
    dialog.get_by_role("checkbox", name="Accountant").check()
    dialog.get_by_role("button", name="Save roles").click()
    expect(dialog).to_be_hidden()
    expect(row(page, "technician")).to_contain_text("Accountant")

    row(page, "technician").get_by_role("button", name="Actions for technician").click()
    page.get_by_role("menuitem", name="Disable").click()
    page.get_by_role("dialog", name="Disable").get_by_role("button", name="Disable").click()
    expect(row(page, "technician")).to_contain_text("Disabled")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "staff-disabled-en")

    refused = login(stack, "technician", stack.password_of("technician"))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_credentials"
    roles = requests.put(
        f"{stack.api}/staff/users/admin/roles",
        json={"roles": ["director"]},
        headers=sign_in_by_api(stack, "admin"),
        timeout=10,
    )
    assert roles.status_code == 409 and roles.json()["error"]["code"] == "own_admin_role"


def test_a_staff_member_changes_their_own_password_from_the_header(
    page: Page, stack: DevstackProcess
) -> None:
    page.goto("/")
    sign_in(page, "accountant", stack.password_of("accountant"))
    expect(page.get_by_test_id("user")).to_have_text("accountant · Kế toán")
    page.get_by_role("banner").get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu của bạn")).to_be_visible()

    field(page, "Mật khẩu hiện tại").fill("Wrong@2026x")
    field(page, "Mật khẩu mới").fill("onlysmall")
    field(page, "Nhập lại mật khẩu mới").fill("onlysmall")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Cần thêm một chữ hoa.")).to_be_visible()  # the pool's rule, here

    field(page, "Mật khẩu mới").fill("Acct@2026new")
    field(page, "Nhập lại mật khẩu mới").fill("Acct@2026new")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Mật khẩu hiện tại không đúng.")).to_be_visible()  # the API's
    assert axe_violations(page) == []
    shot(page, "password-wrong-vi")

    field(page, "Mật khẩu hiện tại").fill(stack.password_of("accountant"))
    page.get_by_role("button", name="Đổi mật khẩu").click()

    expect(page.get_by_role("status")).to_contain_text("Đã đổi mật khẩu")
    assert login(stack, "accountant", "Acct@2026new").status_code == 200
    assert login(stack, "accountant", stack.password_of("accountant")).status_code == 401


def test_the_audit_log_shows_staff_changes_and_a_model_edit_with_before_and_after(
    page: Page, stack: DevstackProcess
) -> None:
    admin = sign_in_by_api(stack, "admin")
    created = requests.post(
        f"{stack.api}/models", json=f.model_body("AUD-1"), headers=admin, timeout=10
    )
    assert created.status_code == 201, created.text
    edit = {k: v for k, v in f.model_body("AUD-1", name="Khóa cửa AUD mới").items() if k != "code"}
    assert requests.put(f"{stack.api}/models/AUD-1", json=edit, headers=admin, timeout=10).ok
    stack.wait_for(lambda: len(audit(stack, entity="model", entity_id="AUD-1")) == 2, timeout=60)
    # staff changes of its own: the log must not depend on which tests ran before on this stack
    staff = f"{stack.api}/staff/users"
    invited = requests.post(
        staff, json={"username": "audit.mai", "roles": ["cs"]}, headers=admin, timeout=10
    )
    assert invited.status_code == 201, invited.text
    roles = {"roles": ["cs", "accountant"]}
    assert requests.put(f"{staff}/audit.mai/roles", json=roles, headers=admin, timeout=10).ok
    assert requests.post(f"{staff}/audit.mai/disable", headers=admin, timeout=10).ok

    page.goto("/audit")
    sign_in(page, "director", stack.password_of("director"))
    expect(page.get_by_role("heading", name="Nhật ký thay đổi")).to_be_visible()
    nav = page.get_by_role("navigation")  # a director reads the log, staff is the admin's
    expect(nav.get_by_role("link", name="Nhật ký thay đổi")).to_be_visible()
    expect(nav.get_by_role("link", name="Nhân viên")).to_have_count(0)
    # the units stream feeds the log too (the demo's units): the staff accounts' changes
    page.get_by_role("combobox", name="Loại").click()
    page.get_by_role("option", name="Tài khoản nhân viên").click()
    expect(page).to_have_url("/audit?entity=user")
    changes = page.locator("tbody tr").filter(has_text="audit.mai")
    expect(changes.filter(has_text="Đổi vai trò")).to_have_count(1)
    # values in the reader's language: role names, not codes or JSON
    expect(changes.filter(has_text="Đổi vai trò")).to_contain_text(
        "Vai trò: Chăm sóc khách hàng → Kế toán, Chăm sóc khách hàng"
    )
    expect(changes.filter(has_text="Bị khóa")).to_have_count(1)
    shot(page, "audit-vi")
    assert axe_violations(page) == []

    page.get_by_role("combobox", name="Loại").click()
    page.get_by_role("option", name="Model sản phẩm").click()
    expect(page).to_have_url("/audit?entity=model")
    # the screen has rendered the new filter (a navigation renders in a transition)
    expect(page.get_by_role("combobox", name="Loại")).to_have_value("Model sản phẩm")
    field(page, "Mã (số serial, mã model, tên đăng nhập…)").fill("AUD-1")
    page.get_by_role("button", name="Tìm").click()

    expect(page).to_have_url("/audit?entity=model&entity_id=AUD-1")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Sửa")
    expect(rows.first).to_contain_text("Khóa cửa AUD mới")
    expect(rows.first).to_contain_text("admin")
    shot(page, "audit-model-vi")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(rows.first).to_contain_text("Changed")
    assert axe_violations(page) == []
    shot(page, "audit-model-en")
    page.go_back()  # the filters live in the URL
    expect(page).to_have_url("/audit?entity=model")
    expect(page.get_by_role("combobox", name="Kind")).to_have_value("Product model")
    expect(page.get_by_role("textbox", name="Id (serial")).to_have_value("")


def test_the_menus_follow_the_roles_and_the_screens_fit_a_360_px_phone(
    open_page: Callable[..., Page], stack: DevstackProcess
) -> None:
    cs = open_page()
    cs.goto("/")
    sign_in(cs, "cs", stack.password_of("cs"))
    nav = cs.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Tin nhắn")).to_be_visible()
    expect(nav.get_by_role("link", name="Nhân viên")).to_have_count(0)
    expect(nav.get_by_role("link", name="Nhật ký thay đổi")).to_have_count(0)
    cs.goto("/staff")
    expect(cs.get_by_role("heading", name="Không dành cho vai trò của bạn")).to_be_visible()

    phone = open_page(viewport=PHONE)
    phone.goto("/staff")
    sign_in(phone, "admin", stack.password_of("admin"))
    expect(phone.get_by_test_id("record-card").first).to_be_visible()  # cards on a phone
    expect(phone.locator("tbody tr")).to_have_count(0)
    assert no_horizontal_scroll(phone)
    assert axe_violations(phone) == []
    shot(phone, "staff-360")
    phone.goto("/audit")
    expect(phone.get_by_role("heading", name="Nhật ký thay đổi")).to_be_visible()
    expect(phone.get_by_test_id("record-card").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert axe_violations(phone) == []
    shot(phone, "audit-360")
    phone.get_by_role("button", name="Mở danh mục").click()
    phone.get_by_role("link", name="Đổi mật khẩu").click()
    expect(phone.get_by_role("heading", name="Đổi mật khẩu của bạn")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert axe_violations(phone) == []
    shot(phone, "password-360")
