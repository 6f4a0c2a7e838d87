"""Who a request goes to, and who then sees it: the desk routes it to a technician or to an
active partner service company (never an internal centre, a suspended company or one that does
not exist); a company's user reads, lists, boards and moves its own company's requests only
(another company's is 404 to it), a technician their own; a suspended company's user is
refused everything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_claims import ACTIVE, filed, move
from tests.integration.test_claims import units as units  # the fixture
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import seeded_demo
from tests.support.service_centers import center_user_token, given_center


def routed(api: Api, admin: str, claim: dict[str, Any], routing: str, assignee: str) -> Any:
    triaged = move(api, admin, claim, "triaged").json_body["claim"]
    return api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": routing, "assignee": assignee, "version": triaged["version"]},
        token=admin,
    )


@pytest.fixture
def companies(api: Api, staff: StaffTokens) -> dict[str, Any]:
    admin = staff("admin")
    a, b = given_center(api, admin, "MP-01"), given_center(api, admin, "MP-02")
    return {
        "a": a,
        "b": b,
        "a_token": center_user_token(api, admin, a, "service.a"),
        "b_token": center_user_token(api, admin, b, "service.b"),
    }


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.body
    return [c["claim_id"] for c in response.json_body["claims"]]


def _board(api: Api, token: str) -> dict[str, tuple[int, list[str]]]:
    response = api.get("/claims/board", token=token)
    assert response.status_code == 200, response.body
    return {
        c["state"]: (c["count"], [x["claim_id"] for x in c["claims"]])
        for c in response.json_body["columns"]
        if c["count"]
    }


def test_a_company_user_sees_and_moves_only_its_own_companys_requests(
    api: Api, staff: StaffTokens, units: list[str], companies: dict[str, Any]
) -> None:
    admin = staff("admin")
    to_a, to_b, to_tech, unrouted = (filed(api, admin, ACTIVE) for _ in range(4))
    for claim, routing, assignee in (
        (to_a, "outsourced", companies["a"]),
        (to_b, "outsourced", companies["b"]),
        (to_tech, "internal", "technician"),
    ):
        response = routed(api, admin, claim, routing, assignee)
        assert response.status_code == 200, response.body
    a_claim = api.get(f"/claims/{to_a['claim_id']}", token=admin).json_body["claim"]
    a = companies["a_token"]

    assert a_claim["assignee_name"] == "Công ty dịch vụ MP-01"
    assert _ids(api.get("/claims", token=a)) == [to_a["claim_id"]]
    assert _ids(api.get(f"/claims?assignee=company%23{companies['b']}", token=a)) == []
    assert _ids(api.get("/claims/mine", token=a)) == [to_a["claim_id"]]
    assert _board(api, a) == {"routed": (1, [to_a["claim_id"]])}
    seen = api.get(f"/claims/{to_a['claim_id']}", token=a).json_body
    assert (seen["actor"], seen["moves"]) == ("assignee", ["accepted", "triaged"])
    for other in (to_b, to_tech, unrouted):
        read = api.get(f"/claims/{other['claim_id']}", token=a)
        moved = move(api, a, {**other, "version": 3}, "accepted")
        assert (read.status_code, error_code(read)) == (404, "claim_not_found")
        assert (moved.status_code, error_code(moved)) == (404, "claim_not_found")

    accepted = move(api, a, a_claim, "accepted")

    assert accepted.status_code == 200, accepted.body
    assert accepted.json_body["history"][-1]["actor"] == "assignee"
    assert _board(api, a) == {"accepted": (1, [to_a["claim_id"]])}
    assert _board(api, companies["b_token"]) == {"routed": (1, [to_b["claim_id"]])}
    tech = staff("technician")
    assert _ids(api.get("/claims", token=tech)) == [to_tech["claim_id"]]
    assert _board(api, tech) == {"routed": (1, [to_tech["claim_id"]])}
    everyone = _board(api, staff("director"))
    assert everyone == {
        "new": (1, [unrouted["claim_id"]]),
        "routed": (2, [to_b["claim_id"], to_tech["claim_id"]]),
        "accepted": (1, [to_a["claim_id"]]),
    }


def test_a_request_goes_only_to_an_active_partner_company_or_a_technician(
    api: Api, staff: StaffTokens, units: list[str], companies: dict[str, Any]
) -> None:
    admin = staff("admin")
    internal = given_center(api, admin, "TT-01", kind="internal", tax_code=None)
    suspended = api.post(
        f"/service-centers/{companies['b']}/status",
        json_body={"status": "suspended", "note": "Chậm xử lý"},
        token=admin,
    )
    assert suspended.status_code == 200, suspended.body
    claim = filed(api, admin, ACTIVE)
    triaged = move(api, admin, claim, "triaged").json_body["claim"]

    def route(routing: str, assignee: str) -> Any:
        return api.post(
            f"/claims/{claim['claim_id']}/route",
            json_body={"routing": routing, "assignee": assignee, "version": triaged["version"]},
            token=admin,
        )

    refused = {
        name: (r.status_code, error_code(r))
        for name, r in (
            ("internal centre", route("outsourced", internal)),
            ("suspended", route("outsourced", companies["b"])),
            ("unknown", route("outsourced", "sc_01J0000000000000000000000")),
            ("not a technician", route("internal", "accountant")),
        )
    }
    assert set(refused.values()) == {(400, "claim_assignee_unknown")}
    assert route("outsourced", companies["a"]).status_code == 200
    mine = api.get("/claims/mine", token=companies["b_token"])
    assert (mine.status_code, error_code(mine)) == (403, "service_center_inactive")


def test_the_demo_files_requests_in_several_states_and_sends_two_to_the_demo_company(
    aws: Any,
) -> None:
    from chalicelib.claims import service
    from chalicelib.claims.model import Caller
    from chalicelib.claims.repository import ClaimRepository
    from chalicelib.service_centers.repository import ServiceCenterRepository
    from devstack.demo import DEMO_CLAIMS, seed_demo_claims

    summary = seeded_demo(aws)
    store = ClaimRepository()
    company = next(c for c in ServiceCenterRepository().all() if c.code == "MP-DV")
    service1 = Caller("service1", frozenset({"service"}), f"company#{company.center_id}")

    mine = service.mine(service1, limit=20, after=None, store=store).claims
    counts = store.counts()

    assert summary.claims == len(DEMO_CLAIMS)
    assert sum(counts.values()) == len(DEMO_CLAIMS)
    assert {s.value for s, n in counts.items() if n} == {
        "new", "triaged", "quoted", "accepted", "repairing", "returned", "cancelled",
    }  # fmt: skip
    assert sorted(c.state.value for c in mine) == ["accepted", "repairing"]
    assert all(c.assignee_name == "Điện lạnh Minh Phát" for c in mine)
    board = service.board(service1, limit=5, store=store)
    assert {c.state.value: c.count for c in board if c.count} == {"accepted": 1, "repairing": 1}
    assert seed_demo_claims([]) == 0  # nothing to file for: nothing filed


def test_the_desk_picks_the_technician_among_those_holding_the_role(
    api: Api, staff: StaffTokens
) -> None:
    listed = api.get("/claims/technicians", token=staff("cs"))

    assert listed.status_code == 200, listed.body
    assert listed.json_body == {"technicians": ["technician"]}  # the demo pool's one technician
    refused = api.get("/claims/technicians", token=staff("technician"))
    assert (refused.status_code, error_code(refused)) == (403, "role_not_allowed")
