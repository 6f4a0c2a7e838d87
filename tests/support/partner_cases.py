"""What the partner-case browser suites share: the approved demo partner signed in through the
partner API (its code read from the dev inbox), a unit it installs, and a photo it uploads."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import requests
from PIL import Image

from tests.support.console import new_unit, sign_in_by_api
from tests.support.devstack_process import DevstackProcess

APPROVED_DEMO = "0909000101"  # devstack/demo.py: Trần Văn Hùng, approved
CUSTOMER = "0912000333"


def partner_session(stack: DevstackProcess, phone: str = APPROVED_DEMO) -> dict[str, str]:
    """The partner's bearer header, signed in by the code its dev inbox got."""

    def codes(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in messages if m["template"] == "partner_code"]

    before = len(codes(stack.wait_for_inbox(phone, lambda ms: True)))
    sent = requests.post(f"{stack.api}/partner/codes", json={"phone": phone}, timeout=10)
    assert sent.status_code == 202, sent.text
    messages = stack.wait_for_inbox(phone, lambda ms: len(codes(ms)) > before)
    found = re.search(r"\b(\d{6})\b", codes(messages)[0]["text"])
    assert found
    session = requests.post(
        f"{stack.api}/partner/sessions", json={"phone": phone, "code": found.group(1)}, timeout=10
    )
    assert session.status_code == 200, session.text
    return {"Authorization": f"Bearer {session.json()['session']['token']}"}


def installed_by_the_partner(
    stack: DevstackProcess, partner: dict[str, str], serial: str, customer: str = CUSTOMER
) -> str:
    """A new unit the partner activates for its customer (channel ``partner``)."""
    new_unit(stack, sign_in_by_api(stack, "admin"), serial)
    body: dict[str, Any] = {
        "serial": serial,
        "customer": {"name": "Nguyễn Văn An", "phone": customer},
        "consents": {"warranty_service": True, "marketing": False},
        "installer": {"installed_on": date.today().isoformat()},
    }
    activated = requests.post(
        f"{stack.api}/partner/activations", json=body, headers=partner, timeout=10
    )
    assert activated.status_code == 201, activated.text
    return serial


def jpeg(size: tuple[int, int] = (1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 110, 180)).save(out, format="JPEG")
    return out.getvalue()


def uploaded_photo(stack: DevstackProcess, partner: dict[str, str]) -> str:
    """A photo uploaded as the partner's app does it; its key for a note."""
    data = jpeg()
    started = requests.post(
        f"{stack.api}/partner/cases/photos",
        json={"content_type": "image/jpeg", "size": len(data)},
        headers=partner,
        timeout=10,
    ).json()
    put = requests.put(
        started["upload"]["url"], data=data, headers=started["upload"]["headers"], timeout=10
    )
    assert put.ok, put.text
    done = requests.post(
        f"{stack.api}/partner/cases/photos/done",
        json={"key": started["key"]},
        headers=partner,
        timeout=30,
    )
    assert done.status_code == 200, done.text
    return str(done.json()["photo"]["key"])
