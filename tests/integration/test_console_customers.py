"""The console's customers (issue 12): found by phone (any spelling), by the start of the name
(marks folded) or by a unit's serial, without a scan; their page with units, consents and
messages, masked; the full name and phone only on a reveal, which the audit trail records."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import HTTPResponse
from pynamodb.connection.base import Connection

from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog.tables import CustomerRecord
from chalicelib.core.phone import phone_key
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.repository import NotificationRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator

BINH = "+84912345678"  # Trần Thị Bình: two units
TUNG = "+84987654321"  # Trần Thanh Tùng
AN = "+84362345678"  # Nguyễn Văn An: once 0166 234 5678 (the 2018 conversion)
FOREIGN = "+84903000111"  # Trần Thị Hoa, a customer of another brand in the same table
SERIALS = ("GAR000000019", "GAR000000027", "GAR000000035", "GAR000000043")


def activate(api: Api, serial: str, name: str, phone: str, *, marketing: bool = False) -> None:
    body = f.activation_body(
        seed.token(serial),
        customer={"name": name, "phone": phone},
        consents={"warranty_service": True, "marketing": marketing},
    )
    response = api.post("/public/activations", json_body=body)
    assert response.status_code == 201, response.body


@pytest.fixture
def customers(aws: Emulator, api: Api) -> dict[str, str]:
    """Three customers of the brand (by activation) and one of another brand; their ids."""
    seed.model("AC-9")
    seed.units(SERIALS)
    activate(api, SERIALS[0], "Trần Thị Bình", "0912 345 678", marketing=True)
    activate(api, SERIALS[1], "Trần Thị Bình", "+84 912 345 678")
    activate(api, SERIALS[2], "Trần Thanh Tùng", "0987654321")
    activate(api, SERIALS[3], "Nguyễn Văn An", "0362345678")
    CustomerRecord(
        phone_key(f.PEPPER, FOREIGN),
        phone=FOREIGN,
        name="Trần Thị Hoa",
        brand_id="other",
        name_folded="tran thi hoa",
        updated_at=datetime.now(UTC),
    ).save()
    return {
        name: phone_key(f.PEPPER, phone)
        for name, phone in {"binh": BINH, "tung": TUNG, "an": AN, "foreign": FOREIGN}.items()
    }


@pytest.fixture
def dynamodb_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every DynamoDB operation the app makes through PynamoDB: (operation, table)."""
    calls: list[tuple[str, str]] = []
    dispatch = Connection.dispatch

    def recording(self: Connection, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        calls.append((operation, str(kwargs.get("TableName", ""))))
        return dispatch(self, operation, kwargs)

    monkeypatch.setattr(Connection, "dispatch", recording)
    yield calls


def search(api: Api, token: str, **query: str) -> HTTPResponse:
    return api.get(f"/customers?{urlencode(query)}", token=token)


def ids(response: HTTPResponse) -> list[str]:
    assert response.status_code == 200, response.body
    return [c["customer_id"] for c in response.json_body["customers"]]


# --- search ----------------------------------------------------------------------------------


SPELLINGS = {
    "0912345678": "binh",
    "0912 345 678": "binh",
    "+84 91 234 5678": "binh",
    "84-912-345-678": "binh",
    "0166 234 5678": "an",  # the number as it was before 2018
    "０３６２３４５６７８": "an",  # full-width digits from a phone keyboard
}


def test_a_customer_is_found_by_any_spelling_of_the_phone(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    for typed, who in SPELLINGS.items():
        response = search(api, staff("cs"), phone=typed)

        assert ids(response) == [customers[who]], typed
        [found] = response.json_body["customers"]
        assert found["phone_masked"] in ("+84 91* *** *78", "+84 36* *** *78")
        assert "Bình" not in str(response.json_body) and "Nguyễn" not in str(response.json_body)


def test_a_name_is_found_by_its_start_in_any_spelling_marks_folded(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    for typed in ("tran thi", "Trần Thị", "TRAN THI B", "  trần   thị  "):
        assert ids(search(api, staff("cs"), name=typed)) == [customers["binh"]], typed
    # in name order: "tran thanh tung" < "tran thi binh"; another brand's "Trần Thị Hoa" never
    assert ids(search(api, staff("cs"), name="tran th")) == [customers["tung"], customers["binh"]]
    assert ids(search(api, staff("cs"), name="nguyen van an")) == [customers["an"]]
    assert ids(search(api, staff("cs"), name="tran van")) == []


def test_a_name_search_pages_with_a_cursor_that_names_no_one(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    first = search(api, staff("cs"), name="tran", limit="1")
    cursor = first.json_body["next_cursor"]
    second = search(api, staff("cs"), name="tran", limit="1", cursor=cursor)

    assert ids(first) == [customers["tung"]]
    assert ids(second) == [customers["binh"]]
    assert second.json_body["next_cursor"] is None
    payload = cursor.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert "tran" not in decoded and "tung" not in decoded


def test_the_owner_is_found_by_the_serial_of_a_unit(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    assert ids(search(api, staff("cs"), serial="gar000000027")) == [customers["binh"]]
    assert ids(search(api, staff("cs"), serial=SERIALS[2])) == [customers["tung"]]


def test_a_unit_not_activated_or_unknown_has_no_owner(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    seed.units(["GAR000000050"])

    assert ids(search(api, staff("cs"), serial="GAR000000050")) == []
    assert ids(search(api, staff("cs"), serial="GAR999999999")) == []


def test_searches_read_keys_and_indexes_never_scan(
    api: Api,
    staff: StaffTokens,
    customers: dict[str, str],
    dynamodb_calls: list[tuple[str, str]],
) -> None:
    token = staff("cs")

    def operations_of(**query: str) -> list[str]:
        dynamodb_calls.clear()
        assert ids(search(api, token, **query)), query
        return [operation for operation, _ in dynamodb_calls]

    # a phone: one key read; a serial: the unit, then its owner; a name: one index query
    assert operations_of(phone="0912345678") == ["GetItem"]
    assert operations_of(serial=SERIALS[0]) == ["GetItem", "GetItem"]
    assert operations_of(name="tran thi") == ["Query"]
    dynamodb_calls.clear()
    assert api.get(f"/customers/{customers['binh']}", token=token).status_code == 200
    # the customer, their units (owner_index), their messages (recipient_index)
    assert sorted(operation for operation, _ in dynamodb_calls) == ["GetItem", "Query", "Query"]


def test_another_brands_customer_never_shows(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    assert ids(search(api, staff("cs"), phone=FOREIGN)) == []
    assert ids(search(api, staff("cs"), name="tran thi h")) == []
    response = api.get(f"/customers/{customers['foreign']}", token=staff("cs"))
    assert response.status_code == 404 and error_code(response) == "customer_not_found"
    reveal = api.post(f"/customers/{customers['foreign']}/reveal", token=staff("cs"))
    assert reveal.status_code == 404


BAD_SEARCHES: list[tuple[dict[str, str], str, str]] = [
    ({"phone": "028 3823 4567"}, "phone", "phone_not_mobile"),
    ({"phone": "12"}, "phone", "phone_invalid"),
    ({"name": "T"}, "name", "customer_name_too_short"),
    ({"name": "x" * 101}, "name", "customer_name_too_long"),
    ({"serial": "no such!"}, "serial", "serial_invalid"),
    ({"phone": "0912345678", "cursor": "abc.def"}, "cursor", "cursor_invalid"),
    ({"name": "tran", "cursor": "abc.def"}, "cursor", "cursor_invalid"),
    ({"name": "tran", "limit": "51"}, "limit", "limit_out_of_range"),
    ({"email": "a@b.c", "name": "tran"}, "email", "unknown_field"),
]


def test_a_bad_search_is_answered_on_its_field(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    for query, field, code in BAD_SEARCHES:
        response = search(api, staff("cs"), **query)

        assert response.status_code == 400, query
        assert field_codes(response) == {field: code}


def test_a_search_names_exactly_one_mode(api: Api, staff: StaffTokens, aws: Emulator) -> None:
    for query in ({}, {"phone": "0912345678", "name": "tran"}):
        response = search(api, staff("cs"), **query)

        assert response.status_code == 400
        assert error_code(response) == "customer_search_mode"
        assert response.json_body["error"]["messages"]["en"].startswith("Search in exactly one")


# --- the customer's page -----------------------------------------------------------------------


def test_the_customer_page_shows_units_consents_and_messages_masked(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    now = datetime.now(UTC)
    outbox = NotificationRepository()
    for brand, key in (("demo", "ours"), ("other", "theirs")):
        outbox.add(
            new_message(
                "activation_confirmed",
                business_key=(key,),
                brand_id=brand,
                phone=BINH,
                language="vi",
                fields={
                    "customer_name": "Trần Thị Bình",
                    "model": "Máy lạnh",
                    "serial": SERIALS[0],
                    "warranty_end": "20/03/2028",
                    "certificate_url": "http://portal.test/c/T",
                    "hotline": "1800 6868",
                },
                subject=SERIALS[0],
                now=now,
                pepper=f.PEPPER,
            )
        )

    response = api.get(f"/customers/{customers['binh']}", token=staff("director"))

    assert response.status_code == 200, response.body
    body = response.json_body
    assert body["name_masked"] == "T*** T** B***"
    assert body["phone_masked"] == "+84 91* *** *78"
    assert "Bình" not in str(body) and "912345678" not in str(body)
    assert [u["serial"] for u in body["units"]] == list(SERIALS[:2])
    assert {u["status"] for u in body["units"]} == {"activated"}
    consents = {c["purpose"]: c for c in body["consents"]}
    # the second activation did not ask about marketing again: its answer (no) is the latest
    assert consents["warranty_service"]["granted"] is True
    assert consents["warranty_service"]["channel"] == "web"
    assert consents["warranty_service"]["notice_version"]
    assert consents["warranty_service"]["evidence"] == f"activation:{SERIALS[1]}"
    assert consents["marketing"]["granted"] is False
    [message] = body["messages"]  # another brand's message to the same phone is not ours
    assert message["kind"] == "activation_confirmed"
    assert message["to"] == "+84 91* *** *78"


def test_an_unknown_or_malformed_customer_id_is_not_found(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    for customer_id in ("0" * 64, "0912345678", "x" * 300):
        response = api.get(f"/customers/{customer_id}", token=staff("cs"))
        assert response.status_code == 404
        assert error_code(response) == "customer_not_found"


def test_a_reveal_answers_the_full_name_and_phone_and_is_audited(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    response = api.post(f"/customers/{customers['binh']}/reveal", token=staff("cs"))
    again = api.post(f"/customers/{customers['binh']}/reveal", token=staff("admin"))

    assert response.status_code == 200
    assert response.json_body == {
        "customer_id": customers["binh"],
        "name": "Trần Thị Bình",
        "phone": BINH,
    }
    assert again.status_code == 200
    entries = list(AuditTrail("demo").for_entity("customer", customers["binh"]))
    assert sorted(e.actor for e in entries) == ["admin", "cs"]
    assert {e.action for e in entries} == {"customer_revealed"}
    assert len({e.source for e in entries}) == 2  # each request its own entry


# --- roles -----------------------------------------------------------------------------------


def test_roles_without_customers_are_refused(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    for role in ("technician", "accountant"):
        token = staff(role)
        for response in (
            search(api, token, phone="0912345678"),
            api.get(f"/customers/{customers['binh']}", token=token),
            api.post(f"/customers/{customers['binh']}/reveal", token=token),
        ):
            assert response.status_code == 403, role
            assert error_code(response) == "role_not_allowed"


def test_the_director_reads_masked_but_may_not_reveal(
    api: Api, staff: StaffTokens, customers: dict[str, str]
) -> None:
    assert ids(search(api, staff("director"), name="nguyen")) == [customers["an"]]
    response = api.post(f"/customers/{customers['an']}/reveal", token=staff("director"))

    assert response.status_code == 403
    assert list(AuditTrail("demo").for_entity("customer", customers["an"])) == []


def test_without_a_token_nothing_is_answered(api: Api, customers: dict[str, str]) -> None:
    assert api.get("/customers?phone=0912345678").status_code == 401
