"""Who owns the phone (issue 11): a brand may ask that a web activation prove the owner's phone
by a one-time code sent to it. Off by default: the one-minute form stays as it was."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from chalice.test import HTTPResponse

from chalicelib.activation.tables import OtpRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"
PHONE = "0912345678"
E164 = "+84912345678"
BRAND = {"name": "Garanti Demo", "serial_prefix": "GAR"}


@pytest.fixture
def token(aws: Emulator) -> str:
    seed.model("AC-9")
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


@pytest.fixture
def confirming(staff: StaffTokens, api: Api) -> None:
    """The brand asks for the phone's code at activation (set by staff on the brand)."""
    response = api.put("/brand", json_body={**BRAND, "confirm_phone": True}, token=staff("admin"))
    assert response.status_code == 200, response.body
    assert response.json_body["confirm_phone"] is True


def activate(api: Api, token: str, code: str | None = None, **overrides: object) -> HTTPResponse:
    body = f.activation_body(token, **overrides)
    if code is not None:
        body["phone_code"] = code
    return api.post("/public/activations", json_body=body)


def ask_code(api: Api, token: str, phone: str = PHONE) -> HTTPResponse:
    return api.post(
        "/public/activations/code", json_body={"token": token, "phone": phone, "language": "vi"}
    )


def code_sent_to(e164: str = E164) -> str:
    [newest, *_] = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, e164), datetime.now(UTC)
    )
    assert newest.template == "activation_code"
    found = re.search(r"\b(\d{6})\b", newest.text)
    assert found is not None, newest.text
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def activated() -> bool:
    return UnitRepository().get(SERIAL).activation is not None


# --- the brand's setting -----------------------------------------------------------------------


def test_the_setting_is_off_by_default_and_the_form_works_as_before(api: Api, token: str) -> None:
    settings = api.get("/public/settings").json_body

    response = activate(api, token)

    assert settings["activation"] == {"confirm_phone": False}
    assert response.status_code == 201
    assert (ask_code(api, token).status_code, error_code(ask_code(api, token))) == (
        409,
        "phone_code_not_required",
    )


@pytest.mark.usefixtures("confirming")
def test_staff_turn_it_on_and_the_portal_is_told(api: Api, staff: StaffTokens) -> None:
    assert api.get("/brand", token=staff("cs")).json_body["confirm_phone"] is True
    assert api.get("/public/settings").json_body["activation"] == {"confirm_phone": True}

    # a PUT without the field turns it off again (PUT /brand replaces the brand's settings)
    api.put("/brand", json_body=BRAND, token=staff("admin"))
    assert api.get("/brand", token=staff("cs")).json_body["confirm_phone"] is False


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_the_setting_must_be_a_boolean(api: Api, staff: StaffTokens, value: object) -> None:
    response = api.put("/brand", json_body={**BRAND, "confirm_phone": value}, token=staff("admin"))

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["field"] == "confirm_phone"


def test_only_an_admin_may_change_it(api: Api, staff: StaffTokens) -> None:
    response = api.put("/brand", json_body={**BRAND, "confirm_phone": True}, token=staff("cs"))

    assert response.status_code == 403


# --- activation with the code --------------------------------------------------------------------


@pytest.mark.usefixtures("confirming")
def test_without_a_code_the_activation_is_refused(api: Api, token: str) -> None:
    response = activate(api, token)

    assert (response.status_code, error_code(response)) == (403, "phone_code_required")
    assert not activated()


@pytest.mark.usefixtures("confirming")
def test_with_the_code_sent_to_the_phone_it_is_accepted(api: Api, token: str) -> None:
    sent = ask_code(api, token)

    response = activate(api, token, code_sent_to())

    assert sent.status_code == 202
    assert sent.json_body == {"sent": True, "expires_in": 300, "resend_after": 60}
    assert response.status_code == 201
    assert activated()


@pytest.mark.usefixtures("confirming")
def test_a_wrong_code_is_refused_with_the_attempts_left(api: Api, token: str) -> None:
    ask_code(api, token)

    response = activate(api, token, wrong(code_sent_to()))

    assert (response.status_code, error_code(response)) == (403, "phone_code_wrong")
    assert response.json_body["error"]["attempts_left"] == 4
    assert not activated()


@pytest.mark.usefixtures("confirming")
def test_an_expired_code_is_refused(api: Api, token: str) -> None:
    ask_code(api, token)
    code = code_sent_to()
    challenge = OtpRecord.get(f"activation#{phone_key(f.PEPPER, E164)}")
    challenge.code_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    challenge.save()

    response = activate(api, token, code)

    assert (response.status_code, error_code(response)) == (403, "phone_code_expired")
    assert not activated()


@pytest.mark.usefixtures("confirming")
def test_the_code_of_another_phone_proves_nothing(api: Api, token: str) -> None:
    ask_code(api, token, phone="0987654321")
    code = code_sent_to("+84987654321")

    response = activate(api, token, code)  # the form names 0912345678

    assert (response.status_code, error_code(response)) == (403, "phone_code_invalid")
    assert not activated()


@pytest.mark.usefixtures("confirming")
def test_a_code_is_single_use(api: Api, token: str, aws: Emulator) -> None:
    ask_code(api, token)
    code = code_sent_to()
    assert activate(api, token, code).status_code == 201
    seed.units(["GAR000000027"], manufactured_on=date(2026, 1, 5))

    second = activate(api, seed.token("GAR000000027"), code)

    assert (second.status_code, error_code(second)) == (403, "phone_code_invalid")
    assert UnitRepository().get("GAR000000027").activation is None


@pytest.mark.usefixtures("confirming")
def test_a_look_up_code_does_not_prove_the_phone_at_activation(api: Api, token: str) -> None:
    api.post("/public/otp", json_body={"phone": PHONE})
    [lookup] = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, E164), datetime.now(UTC)
    )
    code = re.findall(r"\d{6}", lookup.text)[0]

    response = activate(api, token, code)

    assert (response.status_code, error_code(response)) == (403, "phone_code_invalid")


@pytest.mark.usefixtures("confirming")
def test_an_activated_unit_says_so_and_keeps_the_code_unused(api: Api, token: str) -> None:
    ask_code(api, token)
    first = activate(api, token, code_sent_to())
    ask_code(api, token, phone="0987654321")

    response = activate(api, token, customer={"phone": "0987654321"})

    assert first.status_code == 201
    assert (response.status_code, error_code(response)) == (409, "already_activated")


@pytest.mark.usefixtures("confirming")
def test_a_retry_of_an_activated_attempt_needs_no_new_code(api: Api, token: str) -> None:
    ask_code(api, token)
    code = code_sent_to()
    key = {"Idempotency-Key": "7d4a1c0e-5b7e-4a8f-8f0e-3f8f2f1e0a11"}
    body = {**f.activation_body(token), "phone_code": code}
    first = api.post("/public/activations", json_body=body, headers=key)

    retry = api.post("/public/activations", json_body=body, headers=key)

    assert first.status_code == retry.status_code == 201
    assert retry.json_body == first.json_body


@pytest.mark.usefixtures("confirming")
def test_codes_for_activation_keep_the_send_limits(api: Api, token: str) -> None:
    ask_code(api, token)

    again = ask_code(api, token)

    assert (again.status_code, error_code(again)) == (429, "otp_resend_too_soon")
    assert again.headers["Retry-After"]


@pytest.mark.usefixtures("confirming")
def test_a_forged_token_sends_no_code(api: Api, token: str) -> None:
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = ask_code(api, forged)

    assert (response.status_code, error_code(response)) == (404, "unit_not_found")
    assert (
        NotificationRepository().list_for_recipient(phone_key(f.PEPPER, E164), datetime.now(UTC))
        == []
    )
