"""The console's units list (issue 12): search by serial (exact or prefix), filters by model,
batch, status and activation dates, signed cursors, a bounded read per request, owners masked;
and the audited reveal of an owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pynamodb.connection import Connection

from chalicelib.audit.wiring import audit_trail
from chalicelib.catalog.model import UnitFilter, UnitStatus
from chalicelib.catalog.unit_repository import UnitRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


@pytest.fixture
def operations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The DynamoDB operations the code under test sends (observed, not faked)."""
    seen: list[str] = []
    dispatch = Connection.dispatch

    def observed(self: Connection, operation_name: str, operation_kwargs: Any) -> Any:
        seen.append(operation_name)
        return dispatch(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", observed)
    yield seen


def serials(response: Any) -> list[str]:
    return [u["serial"] for u in response.json_body["units"]]


def a_catalog() -> None:
    """Two models; GAR… units in batches, one activated, and an imported SN unit."""
    seed.model("AC-9")
    seed.model("TV-1")
    units = UnitRepository()
    units.add(f.new_units(["GAR001", "GAR002", "GAR003"], batch="L1"), event="imported", by="t")
    units.add(f.new_units(["GAR010", "GAR011"], "TV-1", batch="L2"), event="imported", by="t")
    units.add(f.new_units(["SN-900"]), event="imported", by="t")
    units.activate(
        "GAR002",
        f.activation(at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC)),
        owner_key="k",
        consents=(),
    )


def test_the_list_is_in_serial_order_with_owners_masked(api: Api, admin: str) -> None:
    a_catalog()

    response = api.get("/units", token=admin)

    assert response.status_code == 200
    assert serials(response) == ["GAR001", "GAR002", "GAR003", "GAR010", "GAR011", "SN-900"]
    row = response.json_body["units"][1]
    assert row["status"] == "activated"
    assert row["owner_name_masked"] == "N***** V** A*"
    assert row["owner_phone_masked"] == "+84 91* *** *78"
    assert row["activated_at"].startswith("2026-11-30T03:00")
    assert "912345678" not in str(response.json_body)
    assert "Nguyễn" not in str(response.json_body)
    assert response.json_body["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("serial=GAR002", ["GAR002"]),
        ("serial=gar01*", ["GAR010", "GAR011"]),
        ("serial=GAR0*&status=registered", ["GAR001", "GAR003", "GAR010", "GAR011"]),
        ("model=tv-1", ["GAR010", "GAR011"]),
        ("model=AC-9&serial=SN*", ["SN-900"]),
        ("batch=L1", ["GAR001", "GAR002", "GAR003"]),
        ("batch=L1&status=registered", ["GAR001", "GAR003"]),
        ("status=activated", ["GAR002"]),
        ("activated_from=2026-11-30&activated_to=2026-11-30", ["GAR002"]),
        ("activated_from=2026-12-01", []),
        ("activated_to=2026-11-29", []),
        ("serial=GAR002&model=TV-1", []),
        ("serial=NOPE", []),
    ],
)
def test_each_filter_and_the_prefix_search(
    api: Api, admin: str, query: str, expected: list[str]
) -> None:
    a_catalog()

    response = api.get(f"/units?{query}", token=admin)

    assert response.status_code == 200, response.json_body
    assert serials(response) == expected


def test_the_activation_day_is_the_business_day_in_vietnam(api: Api, admin: str) -> None:
    # Given a unit activated at 18:30 UTC on 30 November: 01:30 on 1 December in Hà Nội
    a_catalog()
    UnitRepository().activate(
        "GAR001",
        f.activation(at=datetime(2026, 11, 30, 18, 30, tzinfo=UTC)),
        owner_key="k",
        consents=(),
    )

    first = api.get("/units?activated_from=2026-12-01&activated_to=2026-12-01", token=admin)
    thirtieth = api.get("/units?activated_to=2026-11-30", token=admin)

    assert serials(first) == ["GAR001"]
    assert serials(thirtieth) == ["GAR002"]


def test_pages_follow_the_cursor_to_the_end(api: Api, admin: str) -> None:
    a_catalog()
    seen: list[str] = []
    cursor: str | None = None
    pages = 0

    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        response = api.get(f"/units?serial=GAR*&limit=2{suffix}", token=admin)
        seen += serials(response)
        pages += 1
        cursor = response.json_body["next_cursor"]
        if cursor is None:
            break

    assert seen == ["GAR001", "GAR002", "GAR003", "GAR010", "GAR011"]
    assert pages == 3


def test_a_batch_pages_by_its_cursor(api: Api, admin: str) -> None:
    a_catalog()

    first = api.get("/units?batch=L1&limit=2", token=admin)
    cursor = first.json_body["next_cursor"]
    second = api.get(f"/units?batch=L1&limit=2&cursor={cursor}", token=admin)

    assert serials(first) == ["GAR001", "GAR002"]
    assert serials(second) == ["GAR003"]
    assert second.json_body["next_cursor"] is None


def test_a_cursor_works_only_for_the_filters_it_came_from(api: Api, admin: str) -> None:
    a_catalog()
    cursor = api.get("/units?limit=1", token=admin).json_body["next_cursor"]

    other = api.get(f"/units?limit=1&status=registered&cursor={cursor}", token=admin)
    forged = api.get(f"/units?limit=1&cursor={cursor[:-2]}xx", token=admin)

    assert (other.status_code, field_codes(other)) == (400, {"cursor": "cursor_invalid"})
    assert (forged.status_code, field_codes(forged)) == (400, {"cursor": "cursor_invalid"})


def test_one_request_reads_a_bounded_number_of_items_and_goes_on_by_cursor(aws: Emulator) -> None:
    """Filters the index cannot answer are checked on the server: a request stops at its read
    budget with a position, never reading the whole index."""
    # Given 30 registered units and one activated at the end of the serial order
    seed.model("AC-9")
    units = UnitRepository()
    units.add(f.new_units([f"GAR{n:03d}" for n in range(31)]), event="imported", by="t")
    units.activate("GAR030", f.activation(), owner_key="k", consents=())

    # When the list asks for activated AC-9 units with a budget of 10 items a request
    wanted = UnitFilter(model_code="AC-9", status=UnitStatus.ACTIVATED)
    pages = []
    position = None
    while True:
        page = units.search(wanted, limit=5, position=position, budget=10)
        pages.append(page)
        position = page.position
        if position is None:
            break

    # Then each request read at most 10 items and the last one found the unit
    assert [p.read for p in pages] == [10, 10, 10, 1]
    assert [u.serial for p in pages for u in p.units] == ["GAR030"]


def test_the_list_never_scans(api: Api, admin: str, operations: list[str]) -> None:
    a_catalog()
    operations.clear()
    queries = [
        "",
        "serial=GAR*",
        "serial=GAR001",
        "model=AC-9",
        "batch=L1",
        "status=activated",
        "activated_from=2026-11-01",
    ]

    for query in queries:
        assert api.get(f"/units?{query}", token=admin).status_code == 200

    assert "Scan" not in operations
    assert {"Query", "GetItem", "BatchGetItem"} >= set(operations) - {"DescribeTable"}


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("status=lost", "status", "unit_status_invalid"),
        ("activated_from=30/11/2026", "activated_from", "date_invalid"),
        ("activated_from=2026-12-02&activated_to=2026-12-01", "activated_to", "date_range_invalid"),
        ("serial=a*b", "serial", "serial_invalid"),
        ("batch=%3DHYPERLINK", "batch", "batch_invalid"),
        ("limit=0", "limit", "out_of_range"),
        ("owner=x", "owner", "unknown_field"),
    ],
)
def test_bad_filters_are_field_errors(
    api: Api, admin: str, query: str, field: str, code: str
) -> None:
    response = api.get(f"/units?{query}", token=admin)

    assert response.status_code == 400
    assert field_codes(response) == {field: code}


@pytest.mark.parametrize(
    ("user", "status"),
    [("admin", 200), ("cs", 200), ("technician", 200), ("director", 200), ("accountant", 403)],
)
def test_who_may_list_units(api: Api, staff: StaffTokens, user: str, status: int) -> None:
    assert api.get("/units", token=staff(user)).status_code == status


def test_the_list_needs_a_staff_token(api: Api) -> None:
    assert api.get("/units").status_code == 401


# --- the owner, revealed ---------------------------------------------------------------------


def test_cs_reveals_the_owner_and_the_reveal_is_audited(api: Api, staff: StaffTokens) -> None:
    a_catalog()
    before = datetime.now(UTC) - timedelta(seconds=1)

    response = api.post("/units/gar002/owner", token=staff("cs"))

    assert response.status_code == 200
    assert response.json_body == {
        "serial": "GAR002",
        "name": "Nguyễn Văn An",
        "phone": f.PHONE,
        "province": "",
        "address": "",
    }
    [entry] = list(audit_trail().for_entity("unit", "GAR002"))
    assert (entry.action, entry.actor, entry.entity) == ("owner_revealed", "cs", "unit")
    assert entry.at >= before
    assert entry.source


@pytest.mark.parametrize("user", ["technician", "director", "accountant"])
def test_roles_that_see_masks_cannot_reveal(api: Api, staff: StaffTokens, user: str) -> None:
    a_catalog()

    response = api.post("/units/GAR002/owner", token=staff(user))

    assert response.status_code == 403
    assert list(audit_trail().for_entity("unit", "GAR002")) == []


def test_a_unit_without_an_owner_has_nothing_to_reveal(api: Api, admin: str) -> None:
    a_catalog()

    response = api.post("/units/GAR001/owner", token=admin)

    assert (response.status_code, error_code(response)) == (404, "unit_has_no_owner")
    assert list(audit_trail().for_entity("unit", "GAR001")) == []
