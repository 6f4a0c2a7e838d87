"""What the console's browser tests share: signing in (by the API and on the page), a unit of a
demo model, fields by label, the emulator's clients, screenshots and axe-core's verdict."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
import requests
from playwright.sync_api import Page

from tests.support.devstack_process import DevstackProcess

REPO = Path(__file__).resolve().parents[2]
CONSOLE = REPO / "web" / "console"
AXE = CONSOLE / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = REPO / "tests" / "browser" / "artifacts"


def sign_in_by_api(stack: DevstackProcess, username: str) -> dict[str, str]:
    response = requests.post(
        f"{stack.api}/auth/login",
        json={"username": username, "password": stack.password_of(username)},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['id_token']}"}


def new_unit(stack: DevstackProcess, staff: dict[str, str], serial: str) -> str:
    """Import one unit of a demo model through the staff API; returns its QR token."""
    response = requests.post(
        f"{stack.api}/units/import",
        data=f"serial,model_code,batch\n{serial},LOCK-S7,CONSOLE",
        headers={**staff, "Content-Type": "text/csv"},
        timeout=30,
    )
    assert response.json() == {"imported": 1, "rejected": []}, response.text
    unit = requests.get(f"{stack.api}/units/{serial}", headers=staff, timeout=10).json()
    return urlparse(unit["qr_url"]).path.rsplit("/", 1)[-1]


def field(page: Page, label: str) -> Any:
    """The input labelled ``label`` (a required field's label ends with its asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def emulator_client(stack: DevstackProcess, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=f"http://127.0.0.1:{stack.ports['emulator']}",
        region_name="ap-southeast-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def sign_in(page: Page, username: str, password: str, *, language: str = "vi") -> None:
    labels = {
        "vi": ("Tên đăng nhập", "Mật khẩu", "Đăng nhập"),
        "en": ("Username", "Password", "Sign in"),
    }
    user_label, password_label, submit = labels[language]
    field(page, user_label).fill(username)
    field(page, password_label).fill(password)
    page.get_by_role("button", name=submit, exact=True).click()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


# Transitions still running (a notification sliding in is half transparent: axe would measure
# its contrast mid-fade); endless ones (a loader's spin) never finish and are not waited for.
_SETTLED = """() => document.getAnimations().every(
    (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.x A and AA violations on the page once its transitions have settled:
    `id: target…`."""
    page.wait_for_function(_SETTLED, timeout=10_000)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
