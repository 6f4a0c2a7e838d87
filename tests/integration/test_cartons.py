"""Cartons through the staff API, on the emulator: a carton under a generated SSCC or a typed
code, units packed by their scanned serials (a repeated scan changes nothing; a unit shipped,
void, activated or in another carton is refused with its reason), taken out, the carton
closed; the list's counts and model mix, the detail's units from ``carton_serial_index``, the
audit trail, ``catalog.wiring.carton_contents`` and who may do what."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.cartons import GS, gs1_element_string, is_valid_sscc
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.settings import DEMO_GS1_PREFIX
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code


@pytest.fixture
def cs(staff: StaffTokens) -> str:
    return staff("cs")


def new_carton(api: Api, token: str, code: str | None = None) -> dict[str, Any]:
    response = api.post("/cartons", json_body={"code": code} if code else {}, token=token)
    assert response.status_code == 201, response.json_body
    body: dict[str, Any] = response.json_body
    return body


def pack(api: Api, token: str, code: str, serial: str) -> Any:
    return api.post(f"/cartons/{code}/units", json_body={"serial": serial}, token=token)


def set_status(serial: str, status: str) -> None:
    UnitRecord(serial).update(actions=[UnitRecord.status.set(status)])


def test_a_generated_carton_is_a_valid_sscc_under_the_company_prefix_and_each_is_new(
    api: Api, cs: str
) -> None:
    first, second = new_carton(api, cs), new_carton(api, cs)

    assert is_valid_sscc(first["code"]) and is_valid_sscc(second["code"])
    assert first["code"][1 : 1 + len(DEMO_GS1_PREFIX)] == DEMO_GS1_PREFIX
    assert first["code"] != second["code"]
    assert first["label_text"] == gs1_element_string(first["code"])
    assert (first["status"], first["units"], first["models"], first["sscc"]) == (
        "open",
        0,
        [],
        True,
    )


def test_a_typed_code_is_normalised_and_used_once(api: Api, cs: str) -> None:
    carton = new_carton(api, cs, "ct-2026-001")

    again = api.post("/cartons", json_body={"code": "CT-2026-001"}, token=cs)
    bad = api.post("/cartons", json_body={"code": "106141411234567890"}, token=cs)

    assert (carton["code"], carton["sscc"]) == ("CT-2026-001", False)
    assert (again.status_code, error_code(again)) == (409, "carton_exists")
    assert (bad.status_code, error_code(bad)) == (400, "carton_code_invalid")


def test_packing_counts_by_model_and_a_repeated_scan_changes_nothing(api: Api, cs: str) -> None:
    seed.model("AC-9")
    seed.model("AC-12")
    seed.units(["PK-0001", "PK-0002"], "AC-9")
    seed.units(["PK-0003"], "AC-12")
    code = new_carton(api, cs)["code"]

    answers = [pack(api, cs, code, s) for s in ("PK-0001", "pk-0002", "PK-0003", "PK-0001")]

    assert [a.status_code for a in answers] == [200] * 4
    assert [a.json_body["already"] for a in answers] == [False, False, False, True]
    last = answers[-1].json_body["carton"]
    assert last["units"] == 3
    assert last["models"] == [
        {"model_code": "AC-12", "units": 1},
        {"model_code": "AC-9", "units": 2},
    ]
    detail = api.get(f"/cartons/{code}", token=cs).json_body
    assert [u["serial"] for u in detail["unit_list"]] == ["PK-0001", "PK-0002", "PK-0003"]
    unit = UnitRepository().get("PK-0002")
    assert (unit.carton, unit.history[-1].event, unit.history[-1].by) == (code, "packed", "cs")
    assert api.get("/units/PK-0002", token=cs).json_body["carton"] == code


def test_a_carton_scanned_as_gs1_128_is_the_same_carton(api: Api, cs: str) -> None:
    seed.model()
    seed.units(["GS-0001"])
    code = new_carton(api, cs)["code"]

    scanned = catalog_wiring.carton_contents(f"]C1{GS}00{code}")
    assert (scanned.code, scanned.serials) == (code, [])
    assert pack(api, cs, code, "GS-0001").status_code == 200
    contents = catalog_wiring.carton_contents(f"(00){code}")
    assert (contents.serials, contents.by_model()) == (["GS-0001"], {"AC-9": 1})
    assert [(u.model_code, u.status) for u in contents.units] == [("AC-9", "registered")]
    with pytest.raises(NotFound) as missing:
        catalog_wiring.carton_contents("NO-SUCH-BOX")
    assert missing.value.code == "carton_not_found"
    with pytest.raises(Invalid):
        catalog_wiring.carton_contents("??")


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("shipped", "carton_unit_shipped"),
        ("void", "carton_unit_void"),
        ("activated", "carton_unit_activated"),
    ],
)
def test_a_unit_that_left_the_warehouse_is_refused_with_its_reason(
    api: Api, cs: str, status: str, reason: str
) -> None:
    seed.model()
    seed.units(["RF-0001"])
    set_status("RF-0001", status)
    code = new_carton(api, cs)["code"]

    answer = pack(api, cs, code, "RF-0001")

    assert (answer.status_code, error_code(answer)) == (409, reason)
    assert UnitRepository().get("RF-0001").carton == ""
    assert api.get(f"/cartons/{code}", token=cs).json_body["units"] == 0


def test_a_unit_in_another_carton_or_unknown_is_refused(api: Api, cs: str) -> None:
    seed.model()
    seed.units(["OC-0001"])
    first, second = new_carton(api, cs)["code"], new_carton(api, cs)["code"]
    assert pack(api, cs, first, "OC-0001").status_code == 200

    other = pack(api, cs, second, "OC-0001")
    unknown = pack(api, cs, second, "NOPE-0001")
    no_carton = pack(api, cs, "NO-SUCH-BOX", "OC-0001")

    assert (other.status_code, error_code(other)) == (409, "carton_unit_in_other_carton")
    assert other.json_body["error"]["carton"] == first
    assert first in other.json_body["error"]["messages"]["vi"]
    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")
    assert (no_carton.status_code, error_code(no_carton)) == (404, "carton_not_found")


def test_two_packers_racing_for_one_unit_leave_it_in_exactly_one_carton(api: Api, cs: str) -> None:
    seed.model()
    seed.units(["RC-0001"])
    codes = [new_carton(api, cs)["code"] for _ in range(4)]

    with ThreadPoolExecutor(len(codes)) as pool:
        answers = list(pool.map(lambda c: pack(api, cs, c, "RC-0001"), codes))

    won = [c for c, a in zip(codes, answers, strict=True) if a.status_code == 200]
    assert len(won) == 1
    assert {error_code(a) for a in answers if a.status_code != 200} == {
        "carton_unit_in_other_carton"
    }
    counts = [api.get(f"/cartons/{c}", token=cs).json_body["units"] for c in codes]
    assert sorted(counts) == [0, 0, 0, 1]
    assert UnitRepository().get("RC-0001").carton == won[0]


def test_a_unit_taken_out_can_go_into_another_carton_and_a_closed_carton_is_sealed(
    api: Api, cs: str
) -> None:
    seed.model()
    seed.units(["UP-0001", "UP-0002"])
    first, second = new_carton(api, cs)["code"], new_carton(api, cs)["code"]
    pack(api, cs, first, "UP-0001")
    pack(api, cs, first, "UP-0002")

    out = api.delete(f"/cartons/{first}/units/UP-0001", token=cs)
    assert out.status_code == 200, out.json_body
    assert (out.json_body["units"], out.json_body["models"]) == (
        1,
        [{"model_code": "AC-9", "units": 1}],
    )
    assert pack(api, cs, second, "UP-0001").status_code == 200
    not_in = api.delete(f"/cartons/{first}/units/UP-0001", token=cs)
    assert (not_in.status_code, error_code(not_in)) == (409, "carton_unit_not_in_carton")

    closed = api.post(f"/cartons/{first}/close", token=cs)
    assert (closed.status_code, closed.json_body["status"], closed.json_body["closed_by"]) == (
        200,
        "closed",
        "cs",
    )
    assert api.post(f"/cartons/{first}/close", token=cs).status_code == 200  # again: a no-op
    late = api.delete(f"/cartons/{first}/units/UP-0002", token=cs)
    assert (late.status_code, error_code(late)) == (409, "carton_closed")
    into_closed = pack(api, cs, first, "UP-0001")
    assert (into_closed.status_code, error_code(into_closed)) == (409, "carton_closed")
    history = [h.event for h in UnitRepository().get("UP-0001").history]
    assert history == ["imported", "packed", "unpacked", "packed"]


def test_an_empty_carton_cannot_be_closed(api: Api, cs: str) -> None:
    code = new_carton(api, cs)["code"]

    answer = api.post(f"/cartons/{code}/close", token=cs)

    assert (answer.status_code, error_code(answer)) == (409, "carton_empty")


def test_the_list_is_newest_first_filtered_by_status_and_paged(api: Api, cs: str) -> None:
    seed.model()
    seed.units(["LS-0001"])
    codes = [new_carton(api, cs, f"LS-{n}")["code"] for n in range(1, 4)]
    pack(api, cs, codes[0], "LS-0001")
    api.post(f"/cartons/{codes[0]}/close", token=cs)

    everything = api.get("/cartons", token=cs).json_body["cartons"]
    open_ones = api.get("/cartons?status=open", token=cs).json_body["cartons"]
    first_page = api.get("/cartons?limit=2", token=cs).json_body
    second_page = api.get(
        f"/cartons?limit=2&cursor={first_page['next_cursor']}", token=cs
    ).json_body
    bad = api.get("/cartons?status=lost", token=cs)

    assert [c["code"] for c in everything] == codes[::-1]
    assert [c["code"] for c in open_ones] == codes[:0:-1]
    assert [c["code"] for c in first_page["cartons"] + second_page["cartons"]] == codes[::-1]
    assert bad.status_code == 400


def test_creating_and_closing_are_in_the_audit_trail(api: Api, cs: str) -> None:
    seed.model()
    seed.units(["AU-0001"])
    code = new_carton(api, cs, "AU-BOX")["code"]
    pack(api, cs, code, "AU-0001")
    api.post(f"/cartons/{code}/close", token=cs)

    entries = list(AuditTrail("demo").for_entity("carton", code))

    assert sorted((e.action, e.actor) for e in entries) == [
        ("carton_closed", "cs"),
        ("carton_created", "cs"),
    ]
    closed = next(e for e in entries if e.action == "carton_closed")
    assert closed.after == {"units": 1, "models": {"AC-9": 1}}


@pytest.mark.parametrize("username", ["director", "technician"])
def test_readers_read_and_only_admin_and_cs_pack(
    api: Api, staff: StaffTokens, cs: str, username: str
) -> None:
    code = new_carton(api, cs)["code"]
    token = staff(username)

    assert api.get("/cartons", token=token).status_code == 200
    assert api.get(f"/cartons/{code}", token=token).status_code == 200
    refused = api.post("/cartons", json_body={}, token=token)
    assert (refused.status_code, error_code(refused)) == (403, "role_not_allowed")
    assert new_carton(api, staff("admin"))["status"] == "open"
    assert api.get("/cartons", token=staff("accountant")).status_code == 403
