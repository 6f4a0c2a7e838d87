"""Ownership transfer: the owner starts it on "my products", the new owner confirms with the
code sent to their phone, the warranty carries over and the history keeps both owners."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from chalicelib.catalog.tables import CustomerRecord, UnitRecord
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from tests.integration.test_personal_data import NAME, owner, sign_in_by_code
from tests.support import factories as f
from tests.support.api import Api, error_code, field_codes
from tests.support.aws import Emulator

__all__ = ["owner"]  # the fixture, shared with the personal-data tests

NEW_PHONE = "0987654321"
NEW_E164 = "+84987654321"
START = "/public/my-units/SN-1/transfer"


def _messages(e164: str, template: str) -> list[str]:
    return [
        m.text
        for m in NotificationRepository().list_for_recipient(
            phone_key(f.PEPPER, e164), datetime.now(UTC)
        )
        if m.template == template
    ]


def _code() -> str:
    """The code in the transfer message to the new owner (read before the sender drops it)."""
    [text] = _messages(NEW_E164, "transfer_code")
    return re.findall(r"\b\d{6}\b", text)[0]


def _accept(api: Api, code: str, **overrides: object) -> object:
    body = {
        "serial": "SN-1",
        "phone": NEW_PHONE,
        "code": code,
        "name": "Trần Thị Bình",
        "province": "Đà Nẵng",
        "consents": {"warranty_service": True, "marketing": False},
        "language": "vi",
        **overrides,
    }
    return api.post("/public/transfers/accept", json_body=body)


def test_the_new_owner_confirms_with_the_code_and_the_warranty_carries_over(
    api: Api, aws: Emulator, owner: str
) -> None:
    before = UnitRecord.get("SN-1")

    started = api.post(START, token=owner, json_body={"new_phone": NEW_PHONE})
    pending = api.get(START, token=owner).json_body["transfer"]
    [text] = _messages(NEW_E164, "transfer_code")
    accepted = _accept(api, _code())

    assert started.status_code == 202
    assert started.json_body["transfer"]["new_phone_masked"] == "+84 98* *** *21"
    assert pending["serial"] == "SN-1"
    assert "/transfer?s=SN-1" in text
    assert accepted.status_code == 200, accepted.body
    assert accepted.json_body["warranty_end"] == before.warranty_end
    unit = UnitRecord.get("SN-1")
    assert (unit.owner_name, unit.owner_phone, unit.owner_province) == (
        "Trần Thị Bình",
        NEW_E164,
        "Đà Nẵng",
    )
    assert (unit.warranty_start, unit.warranty_end, unit.activated_at) == (
        before.warranty_start,
        before.warranty_end,
        before.activated_at,
    )
    assert unit.owner_address is None  # the former owner's address went with them
    last = unit.history[-1]
    assert (last.event, last.by) == ("transferred", "customer")
    assert last.note == "N***** V** A* (+84 91* *** *78) → T*** T** B*** (+84 98* *** *21)"
    customer = CustomerRecord.get(phone_key(f.PEPPER, NEW_E164))
    assert (customer.name, customer.consent_warranty_service.evidence) == (
        "Trần Thị Bình",
        "transfer:SN-1",
    )
    # both owners are told; the unit now lists under the new owner's phone only
    assert _messages(NEW_E164, "transfer_done") and _messages("+84912345678", "transfer_notice")
    assert api.get("/public/my-units", token=owner).json_body["units"] == []
    assert api.get(START, token=owner).status_code == 404
    new_owner = sign_in_by_code(api, aws, NEW_PHONE)
    [mine] = api.get("/public/my-units", token=new_owner).json_body["units"]
    assert mine["serial"] == "SN-1"
    # the code is spent: a second confirmation finds nothing
    assert error_code(_accept(api, "000000")) == "transfer_not_found"


def test_wrong_codes_count_and_the_sixth_try_is_refused_even_when_right(
    api: Api, owner: str
) -> None:
    api.post(START, token=owner, json_body={"new_phone": NEW_PHONE})
    code = _code()
    wrong = "000000" if code != "000000" else "111111"

    first = _accept(api, wrong)
    for _ in range(4):
        last = _accept(api, wrong)
    after = _accept(api, code)

    assert (first.status_code, error_code(first), first.json_body["error"]["attempts_left"]) == (
        401,
        "transfer_code_wrong",
        4,
    )
    assert error_code(last) == "transfer_code_exhausted"
    assert (after.status_code, error_code(after)) == (409, "transfer_code_exhausted")
    assert UnitRecord.get("SN-1").owner_name == NAME


def test_another_phone_or_a_cancelled_transfer_finds_nothing(api: Api, owner: str) -> None:
    api.post(START, token=owner, json_body={"new_phone": NEW_PHONE})
    code = _code()

    other = _accept(api, code, phone="0933333333")
    cancelled = api.post(f"{START}/cancel", token=owner, json_body={})
    after = _accept(api, code)

    assert (other.status_code, error_code(other)) == (404, "transfer_not_found")
    assert cancelled.json_body == {"transfer": None}
    assert (after.status_code, error_code(after)) == (404, "transfer_not_found")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/public/my-units/SN-2/transfer", {"new_phone": NEW_PHONE}, 404, "unit_not_found"),
        ("/public/my-units/NOPE/transfer", {"new_phone": NEW_PHONE}, 404, "unit_not_found"),
        (START, {"new_phone": "0912345678"}, 409, "transfer_same_owner"),
    ],
)
def test_only_the_owner_transfers_and_not_to_themselves(
    api: Api, owner: str, path: str, body: dict[str, str], status: int, code: str
) -> None:
    response = api.post(path, token=owner, json_body=body)
    assert (response.status_code, error_code(response)) == (status, code)


def test_a_bad_phone_is_told_on_its_field_and_a_second_start_waits_a_minute(
    api: Api, owner: str
) -> None:
    bad = api.post(START, token=owner, json_body={"new_phone": "028 3822 1234"})
    first = api.post(START, token=owner, json_body={"new_phone": NEW_PHONE})
    again = api.post(START, token=owner, json_body={"new_phone": NEW_PHONE})

    assert bad.status_code == 400 and "new_phone" in field_codes(bad)
    assert first.status_code == 202
    assert (again.status_code, error_code(again)) == (429, "transfer_rate_limited")
    assert 0 < again.json_body["error"]["retry_after"] <= 60


def test_without_the_owners_code_session_nothing_starts(api: Api, owner: str) -> None:
    assert api.post(START, json_body={"new_phone": NEW_PHONE}).status_code == 401
    assert api.get(START).status_code == 401
