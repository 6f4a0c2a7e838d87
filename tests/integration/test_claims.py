"""Service requests against the emulator, through the staff routes: the desk files one for an
activated unit (decided at once, with its reasons), triages and routes it to a technician, who
accepts it; every change in the history with its before and after; two moves at one version:
one wins, the other is ``claim_changed``; the board counts every state and pages a column; the
table filters; who may read and move what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalog.model import Owner
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator

ACTIVE, ENDED, FRESH = "GAR-SR-001", "GAR-SR-002", "GAR-SR-003"


@pytest.fixture
def units(aws: Emulator) -> list[str]:
    """An activated unit under warranty, one whose warranty ended, one never activated."""
    seed.model("AC-9")
    seed.units([ACTIVE, ENDED, FRESH])
    now = datetime.now(UTC)
    for serial, activated in (
        (ACTIVE, now - timedelta(days=30)),
        (ENDED, now - timedelta(days=900)),
    ):
        UnitRepository().activate(
            serial,
            f.activation(at=activated, owner_=Owner("Nguyễn Thị Lan", "+84912345678")),
            owner_key=phone_key(f.PEPPER, "+84912345678"),
            consents=(),
        )
    return [ACTIVE, ENDED, FRESH]


def body(serial: str = ACTIVE, **overrides: Any) -> dict[str, Any]:
    return {
        "claim_type": "repair",
        "serial": serial,
        "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678", "province": "Hà Nội"},
        "description": "Máy không lạnh, có tiếng kêu",
        **overrides,
    }


def filed(api: Api, token: str, serial: str = ACTIVE) -> dict[str, Any]:
    response = api.post("/claims", json_body=body(serial), token=token)
    assert response.status_code == 201, response.body
    return dict(response.json_body["claim"])


def move(api: Api, token: str, claim: dict[str, Any], to: str, **extra: Any) -> Any:
    return api.post(
        f"/claims/{claim['claim_id']}/moves",
        json_body={"to": to, "version": claim["version"], **extra},
        token=token,
    )


def edit(api: Api, token: str, claim: dict[str, Any], **fields: Any) -> Any:
    return api.request(
        "PATCH", f"/claims/{claim['claim_id']}", json_body={"version": 1, **fields}, token=token
    )


def test_the_desk_files_triages_and_routes_a_request_the_technician_accepts_it(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))
    assert claim["claim_id"].startswith("SR-") and claim["state"] == "new"
    assert claim["verdict"]["status"] == "in_warranty"
    assert claim["verdict"]["reasons"][0]["code"] == "warranty_until"

    triaged = move(api, staff("cs"), claim, "triaged").json_body["claim"]
    routed = api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": "internal", "assignee": "technician", "version": triaged["version"]},
        token=staff("admin"),
    )
    assert routed.status_code == 200, routed.body
    routed_claim = routed.json_body["claim"]
    assert (routed_claim["state"], routed_claim["assignee_key"]) == ("routed", "tech#technician")
    assert routed.json_body["moves"]  # the desk may move it on

    mine = api.get("/claims/mine", token=staff("technician")).json_body["claims"]
    seen = api.get(f"/claims/{claim['claim_id']}", token=staff("technician")).json_body
    accepted = move(api, staff("technician"), routed_claim, "accepted")

    assert [c["claim_id"] for c in mine] == [claim["claim_id"]]
    assert seen["actor"] == "assignee" and "accepted" in seen["moves"]
    assert accepted.status_code == 200, accepted.body
    history = accepted.json_body["history"]
    assert [(h["action"], h["from"], h["to"]) for h in history] == [
        ("create", None, "new"),
        ("move", "new", "triaged"),
        ("route", "triaged", "routed"),
        ("move", "routed", "accepted"),
    ]
    assert [h["by"] for h in history] == ["cs", "cs", "admin", "technician"]
    route_changes = {c["field"]: (c["before"], c["after"]) for c in history[2]["changes"]}
    assert route_changes["assignee_key"] == (None, "tech#technician")
    assert route_changes["routing"] == (None, "internal")


def test_an_ended_warranty_and_a_unit_never_activated_get_their_reasons(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    ended = filed(api, staff("cs"), ENDED)["verdict"]
    fresh = filed(api, staff("cs"), FRESH)["verdict"]

    assert ended["status"] == "out_of_warranty"
    assert ended["reasons"][0]["code"] == "warranty_ended"
    day = date.fromisoformat(ended["reasons"][0]["params"]["day"])
    assert day.strftime("%d/%m/%Y") in ended["reasons"][0]["message"]  # as people write it
    assert (fresh["status"], fresh["reasons"][0]["code"]) == ("needs_inspection", "not_activated")


def test_two_moves_at_the_same_version_one_wins_the_other_is_claim_changed(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))

    first = move(api, staff("cs"), claim, "triaged")
    second = move(api, staff("admin"), claim, "cancelled", note="Khách gọi hủy")

    assert first.status_code == 200
    assert (second.status_code, error_code(second)) == (409, "claim_changed")
    again = api.get(f"/claims/{claim['claim_id']}", token=staff("cs")).json_body
    assert again["claim"]["state"] == "triaged" and len(again["history"]) == 2


def test_the_stored_version_guards_the_write_itself(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    """Both read version 1, the first writes 2: the second write, made at version 1, is
    refused by DynamoDB's condition (the service's own check never saw the change)."""
    from dataclasses import replace

    from chalicelib.claims import service
    from chalicelib.claims.repository import ClaimRepository
    from chalicelib.core.errors import Conflict

    claim = filed(api, staff("cs"))
    store = ClaimRepository()
    stale = store.get(claim["claim_id"])
    assert stale is not None
    move(api, staff("cs"), claim, "triaged")

    class Stale(ClaimRepository):
        def get(self, claim_id: str) -> Any:
            return stale

    with pytest.raises(Conflict) as refused:
        service.move(
            claim["claim_id"],
            service.Move(to=service.ClaimState.CANCELLED, version=1, note="hủy"),
            replace(service.Caller("lan", frozenset({"cs"}))),
            at=datetime.now(UTC),
            store=Stale(),
            rules=service.ClaimRules(),
        )
    assert refused.value.code == "claim_changed"
    assert store.get(claim["claim_id"]).state.value == "triaged"  # type: ignore[union-attr]
    assert len(store.history(claim["claim_id"])) == 2


def test_a_refused_move_answers_why_and_changes_nothing(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))

    jump = move(api, staff("cs"), claim, "repaired")
    unexplained = move(api, staff("cs"), claim, "cancelled")
    accountant = move(api, staff("accountant"), claim, "triaged")
    unknown_state = move(api, staff("cs"), claim, "fixed")

    assert (jump.status_code, error_code(jump)) == (409, "claim_move_not_allowed")
    assert (unexplained.status_code, error_code(unexplained)) == (400, "claim_note_required")
    assert (accountant.status_code, error_code(accountant)) == (403, "role_not_allowed")
    assert field_codes(unknown_state) == {"to": "value_not_allowed"}
    stored = api.get(f"/claims/{claim['claim_id']}", token=staff("accountant")).json_body
    assert (stored["claim"]["version"], stored["moves"], stored["actor"]) == (1, [], None)


def test_the_accountant_reads_requests_without_the_customers_phone_or_street(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))
    edited = edit(api, staff("cs"), claim, customer_address="12 Lý Thường Kiệt")
    assert edited.status_code == 200, edited.body

    desk = api.get(f"/claims/{claim['claim_id']}", token=staff("cs")).json_body["claim"]
    page = api.get(f"/claims/{claim['claim_id']}", token=staff("accountant")).json_body["claim"]
    row = api.get("/claims", token=staff("accountant")).json_body["claims"][0]
    board = api.get("/claims/board", token=staff("accountant")).json_body["columns"]
    card = next(c for column in board for c in column["claims"])

    assert (desk["customer"]["phone"], desk["customer"]["address"]) == (
        "+84912345678",
        "12 Lý Thường Kiệt",
    )
    assert (page["customer"]["phone"], page["customer"]["address"]) == ("+84 91* *** *78", "")
    assert row["customer_phone"] == card["customer_phone"] == "+84 91* *** *78"
    assert page["customer"]["name"] == "Nguyễn Thị Lan"  # paid repairs are invoiced by name


def test_a_technician_sees_only_what_is_assigned_to_them(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))

    read = api.get(f"/claims/{claim['claim_id']}", token=staff("technician"))
    moved = move(api, staff("technician"), claim, "triaged")
    table = api.get("/claims", token=staff("technician"))
    mine = api.get("/claims/mine", token=staff("technician"))

    assert (read.status_code, error_code(read)) == (404, "claim_not_found")
    assert (moved.status_code, error_code(moved)) == (404, "claim_not_found")
    assert table.json_body == {"claims": [], "next_cursor": None}
    assert mine.json_body == {"claims": [], "next_cursor": None}


def test_the_board_counts_every_state_and_pages_a_column(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claims = [filed(api, staff("cs")) for _ in range(3)]
    move(api, staff("cs"), claims[0], "triaged")

    board = api.get("/claims/board?limit=1", token=staff("director")).json_body["columns"]
    by_state = {c["state"]: c for c in board}
    first = by_state["new"]
    rest = api.get(
        f"/claims/board/new?limit=1&cursor={first['next_cursor']}", token=staff("director")
    ).json_body

    assert (by_state["new"]["count"], by_state["triaged"]["count"]) == (2, 1)
    assert sum(c["count"] for c in board) == 3 and len(board) == 22
    assert len(first["claims"]) == 1 and first["claims"][0]["ageing_hours"] == 0
    assert {first["claims"][0]["claim_id"], rest["claims"][0]["claim_id"]} == {
        claims[1]["claim_id"],
        claims[2]["claim_id"],
    }
    bad = api.get("/claims/board/fixed", token=staff("director"))
    assert field_codes(bad) == {"state": "claim_state_invalid"}


def test_the_table_filters_by_state_serial_and_phone_and_pages(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    a, b = filed(api, staff("cs")), filed(api, staff("cs"), ENDED)
    move(api, staff("cs"), a, "triaged")

    def ids(query: str) -> list[str]:
        response = api.get(f"/claims{query}", token=staff("accountant"))
        assert response.status_code == 200, response.body
        return [c["claim_id"] for c in response.json_body["claims"]]

    assert ids("") == [b["claim_id"], a["claim_id"]]
    assert ids("?state=triaged") == [a["claim_id"]]
    assert ids(f"?serial={ENDED}") == [b["claim_id"]]
    assert ids("?phone=0912345678&state=new") == [b["claim_id"]]
    assert ids("?type=warranty") == []
    page = api.get("/claims?limit=1", token=staff("cs")).json_body
    after = api.get(f"/claims?limit=1&cursor={page['next_cursor']}", token=staff("cs")).json_body
    assert [c["claim_id"] for c in page["claims"] + after["claims"]] == [
        b["claim_id"],
        a["claim_id"],
    ]
    foreign = api.get(f"/claims?state=new&cursor={page['next_cursor']}", token=staff("cs"))
    assert field_codes(foreign) == {"cursor": "cursor_invalid"}


def test_an_edit_records_each_field_before_and_after(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))

    edited = edit(api, staff("cs"), claim, claim_type="warranty", expected_return="2026-04-01")

    assert edited.status_code == 200, edited.body
    last = edited.json_body["history"][-1]
    assert last["action"] == "edit" and last["visible"] is True
    assert {c["field"]: (c["before"], c["after"]) for c in last["changes"]} == {
        "claim_type": ("repair", "warranty"),
        "expected_return": (None, "2026-04-01"),
    }


def test_a_note_alone_is_kept_in_the_history_and_an_empty_edit_writes_nothing(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))
    path = f"/claims/{claim['claim_id']}"

    noted = api.request(
        "PATCH", path, json_body={"version": 1, "note": " Gọi lại lúc 9h "}, token=staff("cs")
    )
    empty = api.request("PATCH", path, json_body={"version": 2}, token=staff("cs"))

    assert noted.status_code == 200, noted.body
    last = noted.json_body["history"][-1]
    assert (last["action"], last["note"], last["changes"]) == ("note", "Gọi lại lúc 9h", [])
    assert last["visible"] is False  # the customer's timeline shows steps, not desk notes
    assert empty.status_code == 200, empty.body
    assert (empty.json_body["claim"]["version"], len(empty.json_body["history"])) == (2, 2)


def test_filing_for_an_unknown_unit_is_not_found(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    response = api.post("/claims", json_body=body("GAR-NOPE-1"), token=staff("cs"))

    assert (response.status_code, error_code(response)) == (404, "unit_not_found")
