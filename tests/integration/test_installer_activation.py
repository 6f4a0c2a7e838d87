"""Activation by the installer (channel ``partner``) against the emulator: on the public form
with the installer typed in, or with an approved partner's session (the partner is then the
installer, whatever the body says), and through the partner API by serial. The staff's unit view
shows the installer; the signed-in partner gets ``partner_activation`` once, however often the
stream delivers the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.partners import service, sessions
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.partners.repository import PartnerRepository
from chalicelib.partners.session_repository import PartnerSessionRepository
from chalicelib.partners.tables import PartnerRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

PARTNER_PHONE = "+84987654321"
KEY = sessions.signing_key(f.PEPPER)


def today() -> str:
    return business_day(datetime.now(UTC)).isoformat()


def given_partner(
    status: PartnerStatus = PartnerStatus.APPROVED, phone: str = PARTNER_PHONE
) -> str:
    details = PartnerDetails(
        phone=phone,
        name="Trần Văn Thợ",
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin="970422",
        account_number="1234567890",
        account_holder="TRAN VAN THO",
    )
    change = service.Change("admin", datetime.now(UTC), f"seed-{phone}")
    partner = service.create(
        details, PartnerStatus.APPROVED, "", change, pepper=f.PEPPER,
        partners=PartnerRepository(), trail=AuditTrail("demo"),
    )  # fmt: skip
    if status is not PartnerStatus.APPROVED:
        PartnerRecord(partner.partner_id).update(actions=[PartnerRecord.status.set(status.value)])
    return partner.partner_id


def session_for(partner_id: str) -> str:
    issued = sessions.open_session(
        partner_id, now=datetime.now(UTC), key=KEY, store=PartnerSessionRepository()
    )
    return issued.token


def installer(**overrides: Any) -> dict[str, Any]:
    return {
        "installed_on": today(),
        "store": "Điện máy Xanh Q1",
        "notes": "Lắp tầng 3",
        **overrides,
    }


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2", "SN-3"])
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


def test_public_activation_with_a_typed_installer_records_them_on_the_unit(
    api: Api, units_stream: StreamReader
) -> None:
    body = f.activation_body(
        seed.token("SN-1"), installer=installer(name="Lê Thợ Lắp", phone="0933333333")
    )
    response = api.post("/public/activations", json_body=body)
    assert response.status_code == 201, response.body
    activation = UnitRepository().get("SN-1").activation
    assert activation is not None and activation.channel == "partner"
    fitter = activation.installer
    assert fitter is not None
    assert (fitter.name, fitter.phone, fitter.partner_id) == ("Lê Thợ Lắp", "+84933333333", "")
    assert (fitter.store, fitter.notes, fitter.installed_on.isoformat()) == (
        "Điện máy Xanh Q1",
        "Lắp tầng 3",
        today(),
    )


def test_public_activation_without_session_needs_the_installers_name_and_phone(
    api: Api, units_stream: StreamReader
) -> None:
    body = f.activation_body(seed.token("SN-1"), installer=installer())
    response = api.post("/public/activations", json_body=body)
    assert response.status_code == 400
    assert field_codes(response) == {
        "installer.name": "installer_required",
        "installer.phone": "installer_required",
    }
    assert UnitRepository().get("SN-1").activation is None


def test_an_installation_day_in_the_future_or_before_manufacture_is_refused(
    api: Api, aws: Emulator
) -> None:
    seed.model("AC-9")
    made = business_day(datetime.now(UTC)) - timedelta(days=10)
    seed.units(["SN-9"], manufactured_on=made)
    tomorrow = (business_day(datetime.now(UTC)) + timedelta(days=1)).isoformat()
    before = (made - timedelta(days=1)).isoformat()
    for day, code in (
        (tomorrow, "installed_on_in_future"),
        (before, "installed_on_before_manufacture"),
    ):
        body = f.activation_body(
            seed.token("SN-9"),
            installer=installer(name="Lê Thợ", phone="0933333333", installed_on=day),
        )
        response = api.post("/public/activations", json_body=body)
        assert response.status_code == 400, response.body
        assert field_codes(response) == {"installer.installed_on": code}
    assert UnitRepository().get("SN-9").activation is None


def test_a_signed_in_partner_is_the_installer_and_gets_partner_activation_once(
    api: Api, units_stream: StreamReader, staff: StaffTokens
) -> None:
    partner_id = given_partner()
    body = f.activation_body(
        seed.token("SN-2"), installer=installer(name="Someone Else", phone="0911111111")
    )
    response = api.post("/public/activations", json_body=body, token=session_for(partner_id))
    assert response.status_code == 201, response.body
    fitter = UnitRepository().get("SN-2").activation.installer  # type: ignore[union-attr]
    assert fitter is not None
    assert (fitter.partner_id, fitter.phone, fitter.name) == (
        partner_id,
        PARTNER_PHONE,
        "Trần Văn Thợ",
    )

    records = units_stream.new_records()
    for _ in range(2):  # a redelivered record queues nothing new
        assert deliver("on_unit_change", records) == {"batchItemFailures": []}
    to_partner = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, PARTNER_PHONE), datetime.now(UTC)
    )
    assert [m.template for m in to_partner] == ["partner_activation"]
    # the installer is told whose unit, masked: the message outlives the customer's erasure
    assert "SN-2" in to_partner[0].text and "N***** V** A*" in to_partner[0].text
    assert "Nguyễn Văn An" not in to_partner[0].text
    to_customer = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, "+84912345678"), datetime.now(UTC)
    )
    assert [m.template for m in to_customer] == ["activation_confirmed"]

    [activated] = [
        e for e in AuditTrail("demo").for_entity("unit", "SN-2") if e.action == "activated"
    ]
    assert activated.after is not None
    assert activated.after["installer"]["phone"] == "+84 98* *** *21"
    assert PARTNER_PHONE not in str(activated.after)

    view = api.get("/units/SN-2", token=staff("admin"))
    assert view.status_code == 200, view.body
    shown = view.json_body["activation"]["installer"]
    assert shown["partner_id"] == partner_id
    assert shown["phone_masked"] == "+84 98* *** *21" and PARTNER_PHONE not in str(shown)


def test_a_typed_installer_gets_partner_activation_only_when_an_approved_partner_has_the_phone(
    api: Api, units_stream: StreamReader
) -> None:
    given_partner()  # approved, PARTNER_PHONE
    given_partner(PartnerStatus.SUSPENDED, "+84977777777")
    typed = {
        "SN-1": ("Thợ Gõ Tay", "0987654321"),  # the approved partner's phone, typed
        "SN-2": ("Thợ Bị Tạm Ngưng", "0977777777"),  # a suspended partner's
        "SN-3": ("Người Lạ", "0966666666"),  # nobody's: no message to a typed number
    }
    for serial, (name, phone) in typed.items():
        body = f.activation_body(seed.token(serial), installer=installer(name=name, phone=phone))
        assert api.post("/public/activations", json_body=body).status_code == 201
    records = units_stream.new_records()
    for _ in range(2):  # a redelivered record queues nothing new
        assert deliver("on_unit_change", records) == {"batchItemFailures": []}

    def templates(phone: str) -> list[tuple[str, str]]:
        found = NotificationRepository().list_for_recipient(
            phone_key(f.PEPPER, phone), datetime.now(UTC)
        )
        return [(m.template, m.text) for m in found]

    [(template, text)] = templates(PARTNER_PHONE)
    assert template == "partner_activation"
    assert "SN-1" in text and "Trần Văn Thợ" in text  # named as registered, not as typed
    assert templates("+84977777777") == [] and templates("+84966666666") == []
    # the unit keeps what was typed: the message's partner is resolved, not written back
    assert UnitRepository().get("SN-1").activation.installer.partner_id == ""  # type: ignore[union-attr]


def test_the_partner_api_activates_by_serial_for_an_approved_partner_only(
    api: Api, units_stream: StreamReader
) -> None:
    approved, pending = given_partner(), given_partner(PartnerStatus.PENDING, "+84977777777")
    body = {**f.activation_body("x", installer=installer()), "serial": "sn-3"}
    del body["token"]
    refused = api.post("/partner/activations", json_body=body, token=session_for(pending))
    assert refused.status_code == 401
    assert error_code(refused) == "partner_session_revoked"

    response = api.post("/partner/activations", json_body=body, token=session_for(approved))
    assert response.status_code == 201, response.body
    assert response.json_body["serial"] == "SN-3"
    activation = UnitRepository().get("SN-3").activation
    assert activation is not None and activation.channel == "partner"
    assert activation.installer is not None and activation.installer.partner_id == approved


def test_the_partner_api_wants_a_token_or_a_serial(api: Api, units_stream: StreamReader) -> None:
    body = {**f.activation_body("x", installer=installer()), "serial": "SN-3"}
    response = api.post("/partner/activations", json_body=body, token=session_for(given_partner()))
    assert response.status_code == 400
    assert error_code(response) == "unit_reference_required"


def test_a_suspended_partners_session_activates_nothing_on_the_public_form(
    api: Api, units_stream: StreamReader
) -> None:
    partner_id = given_partner()
    token = session_for(partner_id)
    PartnerRecord(partner_id).update(actions=[PartnerRecord.status.set("suspended")])
    body = f.activation_body(seed.token("SN-1"), installer=installer())
    response = api.post("/public/activations", json_body=body, token=token)
    assert response.status_code == 401
    assert error_code(response) == "partner_session_revoked"
    assert UnitRepository().get("SN-1").activation is None
