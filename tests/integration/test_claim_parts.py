"""Spare parts on a service request against the emulator: the technician it is routed to takes
filters from their van (the movement and the request's cost line in one transaction), is
refused another technician's van, more than the van holds (nothing written: neither the line
nor the stock), and more back than the request holds; one goes back to the warehouse as a
negative line; the report counts the part against the request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.catalog.warranty import business_day
from tests.integration.test_claims import filed, move, units
from tests.integration.test_stock import given_stock, on_hand
from tests.support.api import Api, StaffTokens, error_code, field_codes

__all__ = ["units"]  # the fixture, shared


def part(api: Api, token: str, claim: dict[str, Any], path: str = "", **body: Any) -> Any:
    return api.post(
        f"/claims/{claim['claim_id']}/parts{path}",
        json_body={"version": claim["version"], **body},
        token=token,
    )


def test_the_assigned_technician_takes_parts_from_their_van_onto_the_request(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    cs, tech = staff("cs"), staff("technician")
    given_stock(api, cs)  # 14 filters in KHO, 6 in VAN-TECH
    claim = filed(api, cs)
    claim = move(api, cs, claim, "triaged").json_body["claim"]
    claim = api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": "internal", "assignee": "technician", "version": claim["version"]},
        token=cs,
    ).json_body["claim"]

    others = part(api, tech, claim, part_code="LOC-01", qty=1, location="VAN-BINH")
    too_many = part(api, tech, claim, part_code="LOC-01", qty=7, location="VAN-TECH")
    used = part(api, tech, claim, part_code="loc-01", qty=2, location="VAN-TECH")
    stale = part(api, tech, claim, part_code="LOC-01", qty=1, location="VAN-TECH")

    assert field_codes(others) == {"location": "stock_location_not_yours"}
    assert (too_many.status_code, error_code(too_many)) == (409, "stock_not_enough")
    assert used.status_code == 201, used.body
    assert (stale.status_code, error_code(stale)) == (409, "claim_changed")
    movement = used.json_body["movement"]
    assert (movement["kind"], movement["qty"], movement["claim_id"], movement["from"]) == (
        "issue", 2, claim["claim_id"], "VAN-TECH"
    )  # fmt: skip
    detail = api.get(f"/claims/{claim['claim_id']}", token=cs).json_body
    assert detail["claim"]["version"] == used.json_body["version"] == claim["version"] + 1
    [line] = [c for c in detail["claim"]["costs"] if c["kind"] == "part"]
    assert (line["part_code"], line["quantity"], line["amount_vnd"], line["payer"]) == (
        "LOC-01", 2, 80_000, "warranty"
    )  # fmt: skip
    assert on_hand(api, tech, "VAN-TECH")["on_hand"] == 4  # the refused 7 took nothing

    claim = {**claim, "version": used.json_body["version"]}
    too_much_back = part(api, tech, claim, "/return", part_code="LOC-01", qty=3, location="KHO")
    back = part(api, tech, claim, "/return", part_code="LOC-01", qty=1, location="KHO")

    assert field_codes(too_much_back) == {"qty": "claim_part_not_held"}
    assert back.status_code == 201, back.body
    lines = api.get(f"/claims/{claim['claim_id']}", token=cs).json_body["claim"]["costs"]
    assert [(c["quantity"], c["amount_vnd"], c["from_stock"]) for c in lines] == [
        (2, 80_000, True), (1, -40_000, True)
    ]  # fmt: skip
    assert on_hand(api, cs, "KHO")["on_hand"] == 14 + 1

    # a line typed by hand with the part's code never left stock: it cannot be "returned"
    claim = {**claim, "version": back.json_body["version"]}
    typed = api.post(
        f"/claims/{claim['claim_id']}/costs",
        json_body={"version": claim["version"], "kind": "part", "description": "Lõi lọc",
                   "part_code": "LOC-01", "quantity": 50, "amount_vnd": 50,
                   "payer": "warranty"},
        token=tech,
    )  # fmt: skip
    assert typed.status_code == 201, typed.body
    claim = {**claim, "version": claim["version"] + 1}
    forged = part(api, tech, claim, "/return", part_code="LOC-01", qty=2, location="VAN-TECH")
    assert field_codes(forged) == {"qty": "claim_part_not_held"}  # it holds 1 from stock
    assert on_hand(api, tech, "VAN-TECH")["on_hand"] == 4

    month = business_day(datetime.now(UTC)).isoformat()[:7]
    report = api.get(f"/maintenance/reports?from={month}&until={month}", token=cs).json_body
    [figures] = report["parts"]
    assert (figures["used"], figures["cost_vnd"], figures["claims"], figures["tickets"]) == (
        1, 40_000, 1, 0
    )  # fmt: skip
