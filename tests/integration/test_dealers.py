"""Dealers against the emulator: the registry's create (one code, one dealer, under
concurrency), its distributor's rules, edits conditional on the version, status changes with
notes, the list by code prefix and status with cursor paging, each change audited, and who may
read and write."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib.audit.repository import AuditTrail
from tests.support.api import Api, StaffTokens, error_code, field_codes

pytestmark = pytest.mark.usefixtures("aws")


def form(code: str = "HN-01", **overrides: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Điện máy Minh Phát",
        "province": "Hà Nội",
        "address": "12 Phố Huế",
        "tax_code": "0101234567001",
        "contact_phone": "0912 345 678",
        **overrides,
    }


def create(api: Api, token: str, code: str = "HN-01", **overrides: Any) -> dict[str, Any]:
    response = api.post("/dealers", json_body=form(code, **overrides), token=token)
    assert response.status_code == 201, response.body
    body: dict[str, Any] = response.json_body
    return body


def test_a_created_dealer_is_active_normalised_and_audited(api: Api, staff: StaffTokens) -> None:
    dealer = create(api, staff("admin"), code=" hn-01 ", note="Hợp đồng 2026")

    assert dealer["dealer_id"].startswith("d_")
    assert (dealer["code"], dealer["status"], dealer["version"]) == ("HN-01", "active", 1)
    assert (dealer["tax_code"], dealer["contact_phone"]) == ("0101234567-001", "+84912345678")
    assert dealer["history"][0]["note"] == "Hợp đồng 2026"
    again = api.get(f"/dealers/{dealer['dealer_id']}", token=staff("cs")).json_body
    assert again == dealer
    [entry] = AuditTrail("demo").for_entity("dealer", dealer["dealer_id"])
    assert (entry.action, entry.actor, entry.note) == ("dealer_created", "admin", "Hợp đồng 2026")
    assert entry.after is not None and "+84912345678" not in str(entry.after)


def test_a_code_is_one_dealer_even_when_two_admins_race(api: Api, staff: StaffTokens) -> None:
    token = staff("admin")
    answers: list[int] = []

    def attempt(name: str) -> None:
        body = form("HCM-7", name=name)
        answers.append(api.post("/dealers", json_body=body, token=token).status_code)

    threads = [threading.Thread(target=attempt, args=(f"Đại lý {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [201, 409, 409, 409]
    listed = api.get("/dealers?code=hcm", token=token).json_body["dealers"]
    assert [d["code"] for d in listed] == ["HCM-7"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("code", "x", "dealer_code_invalid"),
        ("province", "Hà Tây", "province_invalid"),
        ("tax_code", "12345", "tax_code_invalid"),
        ("contact_phone", "028 3822 1234", "phone_not_mobile"),
        ("name", "", "dealer_name_required"),
    ],
)
def test_what_a_form_should_not_send_is_refused_on_its_field(
    api: Api, staff: StaffTokens, field: str, value: str, code: str
) -> None:
    response = api.post("/dealers", json_body=form(**{field: value}), token=staff("admin"))

    assert response.status_code == 400
    assert field_codes(response) == {field: code}


def test_a_distributor_lists_its_dealers_and_cycles_are_refused(
    api: Api, staff: StaffTokens
) -> None:
    token = staff("admin")
    distributor = create(api, token, "NPP-MB")
    dealer = create(api, token, "HN-02", parent_id=distributor["dealer_id"])
    create(api, token, "HN-01", parent_id=distributor["dealer_id"])

    detail = api.get(f"/dealers/{distributor['dealer_id']}", token=token).json_body
    assert [d["code"] for d in detail["dealers"]] == ["HN-01", "HN-02"]
    assert (
        api.get(f"/dealers/{dealer['dealer_id']}", token=token).json_body["parent"]["code"]
        == "NPP-MB"
    )
    cycle = api.put(
        f"/dealers/{distributor['dealer_id']}",
        json_body={**edit_form(distributor), "parent_id": dealer["dealer_id"]},
        token=token,
    )
    assert field_codes(cycle) == {"parent_id": "dealer_parent_cycle"}
    itself = api.put(
        f"/dealers/{dealer['dealer_id']}",
        json_body={**edit_form(dealer), "parent_id": dealer["dealer_id"]},
        token=token,
    )
    assert field_codes(itself) == {"parent_id": "dealer_parent_self"}
    unknown = api.post("/dealers", json_body=form("HN-09", parent_id="d_" + "0" * 26), token=token)
    assert field_codes(unknown) == {"parent_id": "dealer_parent_not_found"}


def edit_form(dealer: dict[str, Any]) -> dict[str, Any]:
    fields = ("name", "province", "address", "tax_code", "contact_phone", "parent_id", "version")
    return {key: dealer[key] for key in fields if dealer[key] is not None}


def test_an_edit_is_conditional_on_the_version_read(api: Api, staff: StaffTokens) -> None:
    token = staff("admin")
    dealer = create(api, token)
    first = api.put(
        f"/dealers/{dealer['dealer_id']}",
        json_body={**edit_form(dealer), "name": "Minh Phát 2", "tax_code": None},
        token=token,
    )
    stale = api.put(
        f"/dealers/{dealer['dealer_id']}",
        json_body={**edit_form(dealer), "name": "Minh Phát 3"},
        token=token,
    )

    assert first.status_code == 200, first.body
    assert (first.json_body["name"], first.json_body["version"]) == ("Minh Phát 2", 2)
    assert first.json_body["tax_code"] is None
    assert (stale.status_code, error_code(stale)) == (409, "dealer_changed")
    [edited, _] = AuditTrail("demo").for_entity("dealer", dealer["dealer_id"])
    assert edited.action == "dealer_edited"
    assert edited.before == {"name": "Điện máy Minh Phát", "tax_code": "0101234567-001"}
    assert edited.after == {"name": "Minh Phát 2", "tax_code": None}


def test_status_changes_need_a_note_and_closing_is_for_good(api: Api, staff: StaffTokens) -> None:
    token = staff("admin")
    dealer_id = create(api, token)["dealer_id"]

    def move(status: str, note: str = "") -> Any:
        return api.post(
            f"/dealers/{dealer_id}/status", json_body={"status": status, "note": note}, token=token
        )

    assert field_codes(move("suspended")) == {"note": "note_required"}
    assert move("suspended", "Chậm thanh toán").json_body["status"] == "suspended"
    assert move("active").json_body["status"] == "active"
    closed = move("closed", "Ngừng hợp tác").json_body
    again = move("active")

    assert [h["to"] for h in closed["history"]] == ["closed", "active", "suspended", "active"]
    assert (again.status_code, error_code(again)) == (409, "dealer_status_not_allowed")
    actions = [e.action for e in AuditTrail("demo").for_entity("dealer", dealer_id)]
    assert actions == ["dealer_closed", "dealer_reinstated", "dealer_suspended", "dealer_created"]


def test_the_list_searches_by_code_start_filters_by_status_and_pages(
    api: Api, staff: StaffTokens
) -> None:
    token = staff("admin")
    for code in ("HN-01", "HN-02", "HN-03", "HCM-01", "DN-01"):
        create(api, token, code)
    hn3 = api.get("/dealers?code=HN-03", token=token).json_body["dealers"][0]["dealer_id"]
    api.post(f"/dealers/{hn3}/status", json_body={"status": "suspended", "note": "x"}, token=token)

    codes: list[str] = []
    cursor = None
    while True:
        query = "/dealers?code=h&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(query, token=token).json_body
        codes += [d["code"] for d in page["dealers"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    active = api.get("/dealers?status=active&code=HN", token=token).json_body["dealers"]

    assert codes == ["HCM-01", "HN-01", "HN-02", "HN-03"]
    assert [d["code"] for d in active] == ["HN-01", "HN-02"]
    bad = api.get("/dealers?status=gone", token=token)
    assert field_codes(bad) == {"status": "dealer_status_invalid"}


@pytest.mark.parametrize("username", ["admin", "director", "cs", "accountant"])
def test_staff_who_may_read_dealers_read_them(api: Api, staff: StaffTokens, username: str) -> None:
    assert api.get("/dealers", token=staff(username)).status_code == 200


def test_a_technician_reads_no_dealer_and_only_the_admin_writes(
    api: Api, staff: StaffTokens
) -> None:
    refused = api.get("/dealers", token=staff("technician"))
    by_director = api.post("/dealers", json_body=form(), token=staff("director"))

    assert (refused.status_code, error_code(refused)) == (403, "role_not_allowed")
    assert (by_director.status_code, error_code(by_director)) == (403, "role_not_allowed")
    assert api.get("/dealers", token=staff("admin")).json_body["dealers"] == []
