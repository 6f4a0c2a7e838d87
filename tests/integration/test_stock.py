"""Spare parts and stock against the emulator: the keepers build the catalogue and the places,
receive, transfer and adjust; what is on hand reads with its value and what is short; stock
never goes negative, even with many taking the last units at once; a technician uses a part
on a ticket from their van (the stock goes down, the ticket's amount up), never more than is
there nor from another's van, and a part taken back returns to its place."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.integration.test_maintenance_reminders import units_stream
from tests.integration.test_maintenance_tickets import booked_by_customer, post
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.streams import StreamReader

__all__ = ["units_stream"]  # the fixture, shared

FILTER = {"version": 0, "name": "Lõi lọc thô 10 inch", "name_en": "10-inch sediment filter",
          "unit": "cái", "cost_vnd": 40_000, "price_vnd": 90_000, "models": ["ac-9"],
          "min_stock": 5}  # fmt: skip


def given_stock(api: Api, keeper: str) -> None:
    """Filters in the catalogue; the warehouse KHO, the technician's van VAN-TECH; 20 filters
    received at KHO, 6 moved to the van."""
    assert api.put("/parts/loc-01", json_body=FILTER, token=keeper).status_code == 200
    for place in (
        {"location_id": "KHO", "name": "Kho tổng", "kind": "warehouse"},
        {"location_id": "van-tech", "name": "Xe anh Tech", "kind": "van",
         "holder": "tech#technician"},
        {"location_id": "VAN-BINH", "name": "Xe anh Bình", "kind": "van", "holder": "tech#binh"},
    ):  # fmt: skip
        added = api.post("/stock/locations", json_body=place, token=keeper)
        assert added.status_code == 201, added.body
    for movement in (
        {"kind": "receipt", "part_code": "LOC-01", "qty": 20, "to": "KHO", "unit_cost_vnd": 38_000},
        {"kind": "transfer", "part_code": "LOC-01", "qty": 6, "from": "KHO", "to": "VAN-TECH"},
    ):
        moved = api.post("/stock/movements", json_body=movement, token=keeper)
        assert moved.status_code == 201, moved.body


def on_hand(api: Api, token: str, place: str) -> dict[str, Any]:
    [line] = api.get(f"/stock?location={place}", token=token).json_body["lines"]
    return dict(line)


def test_the_keepers_receive_move_and_adjust_and_read_the_value_and_shortages(
    api: Api, staff: StaffTokens
) -> None:
    keeper = staff("accountant")
    given_stock(api, keeper)

    changed = api.put("/parts/LOC-01", json_body={**FILTER, "version": 0}, token=keeper)
    no_reason = api.post(
        "/stock/movements",
        json_body={"kind": "adjustment", "part_code": "LOC-01", "qty": 1, "from": "KHO"},
        token=keeper,
    )
    counted = api.post(
        "/stock/movements",
        json_body={"kind": "adjustment", "part_code": "LOC-01", "qty": 1, "from": "VAN-TECH",
                   "reason": "Kiểm kê thiếu 1"},
        token=keeper,
    )  # fmt: skip
    too_many = api.post(
        "/stock/movements",
        json_body={"kind": "transfer", "part_code": "LOC-01", "qty": 15, "from": "KHO",
                   "to": "VAN-TECH"},
        token=keeper,
    )  # fmt: skip
    issue = api.post(
        "/stock/movements",
        json_body={"kind": "issue", "part_code": "LOC-01", "qty": 1, "from": "KHO"},
        token=keeper,
    )
    nowhere = api.post(
        "/stock/movements",
        json_body={"kind": "receipt", "part_code": "LOC-01", "qty": 1, "to": "KHO-X"},
        token=keeper,
    )
    by_tech = api.post(
        "/stock/movements",
        json_body={"kind": "receipt", "part_code": "LOC-01", "qty": 1, "to": "KHO"},
        token=staff("technician"),
    )
    stock = api.get("/stock", token=staff("technician")).json_body
    short = api.get("/stock?short=1", token=keeper).json_body["lines"]
    history = api.get("/stock/movements?part=loc-01", token=keeper).json_body["movements"]

    assert (changed.status_code, error_code(changed)) == (409, "part_changed")
    assert field_codes(no_reason) == {"reason": "stock_reason_required"}
    assert counted.status_code == 201, counted.body
    assert (too_many.status_code, error_code(too_many)) == (409, "stock_not_enough")
    assert field_codes(issue) == {"kind": "value_not_allowed"}  # issues go through a ticket
    assert field_codes(nowhere) == {"to": "stock_location_unknown"}
    assert (by_tech.status_code, error_code(by_tech)) == (403, "role_not_allowed")
    lines = [(x["location_id"], x["on_hand"], x["value_vnd"], x["short"]) for x in stock["lines"]]
    assert lines == [("KHO", 14, 560_000, False), ("VAN-TECH", 5, 200_000, True)]
    assert (stock["value_vnd"], stock["short"]) == (760_000, 1)
    assert [x["location_id"] for x in short] == ["VAN-TECH"]
    assert [(m["kind"], m["qty"], m["from"], m["to"]) for m in history] == [
        ("adjustment", 1, "VAN-TECH", None),
        ("transfer", 6, "KHO", "VAN-TECH"),
        ("receipt", 20, None, "KHO"),
    ]
    assert history[-1]["unit_cost_vnd"] == 38_000 and history[0]["reason"] == "Kiểm kê thiếu 1"


def test_many_taking_the_last_units_at_once_never_make_stock_negative(
    api: Api, staff: StaffTokens
) -> None:
    keeper = staff("cs")
    given_stock(api, keeper)  # 6 in the van
    move = {"kind": "transfer", "part_code": "LOC-01", "qty": 1, "from": "VAN-TECH", "to": "KHO"}

    with ThreadPoolExecutor(10) as pool:
        answers = list(
            pool.map(
                lambda _: api.post("/stock/movements", json_body=move, token=keeper), range(10)
            )
        )

    assert sorted(a.status_code for a in answers) == [201] * 6 + [409] * 4
    assert {error_code(a) for a in answers if a.status_code == 409} == {"stock_not_enough"}
    assert on_hand(api, keeper, "VAN-TECH")["on_hand"] == 0
    assert on_hand(api, keeper, "KHO")["on_hand"] == 20


def test_a_technician_uses_a_part_from_their_van_on_a_ticket_and_takes_one_back(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    given_stock(api, staff("cs"))
    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-021", "+84912000021")
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("cs")).json_body
    tech = staff("technician")
    assigned = post(api, staff("cs"), ticket, "assign", assignee="tech#technician").json_body

    others = post(api, tech, assigned, "parts", part_code="LOC-01", qty=1, location="VAN-BINH")
    too_many = post(api, tech, assigned, "parts", part_code="LOC-01", qty=7, location="VAN-TECH")
    used = post(api, tech, assigned, "parts", part_code="loc-01", qty=2, location="van-tech")
    stale = post(api, tech, assigned, "parts", part_code="LOC-01", qty=1, location="VAN-TECH")

    assert field_codes(others) == {"location": "stock_location_not_yours"}
    assert (too_many.status_code, error_code(too_many)) == (409, "stock_not_enough")
    assert used.status_code == 200, used.body
    assert used.json_body["parts"] == [
        {"code": "LOC-01", "name": "Lõi lọc thô 10 inch", "unit": "cái", "qty": 2,
         "price_vnd": 90_000, "amount_vnd": 180_000, "location_id": "VAN-TECH"}
    ]  # fmt: skip
    assert used.json_body["amount_vnd"] == 150_000 + 180_000  # the plan's price and the parts
    assert (stale.status_code, error_code(stale)) == (409, "maintenance_ticket_changed")
    assert on_hand(api, tech, "VAN-TECH")["on_hand"] == 4  # 6, less the 2 (the 7 took none)

    paid = post(api, tech, used.json_body, "work", payment={"amount_vnd": 330_000,
                                                              "method": "cash"})  # fmt: skip
    no_cancel = post(api, staff("cs"), paid.json_body, "cancel", reason="Khách đổi ý")
    over = post(api, tech, paid.json_body, "parts/return", index=0)  # 330,000 > 150,000
    unpaid = post(api, tech, paid.json_body, "work", payment=None)
    back = post(api, tech, unpaid.json_body, "parts/return", index=0)

    assert (no_cancel.status_code, error_code(no_cancel)) == (409, "maintenance_parts_to_return")
    assert field_codes(over) == {"payment.amount_vnd": "maintenance_payment_too_much"}
    assert back.status_code == 200, back.body
    assert back.json_body["parts"] == [] and back.json_body["amount_vnd"] == 150_000
    assert on_hand(api, tech, "VAN-TECH")["on_hand"] == 6
    history = api.get("/stock/movements?part=LOC-01", token=tech).json_body["movements"]
    assert [(m["kind"], m["qty"], m["ticket_id"]) for m in history[:2]] == [
        ("return", 2, ticket_id), ("issue", 2, ticket_id)
    ]  # fmt: skip
    assert [h["action"] for h in back.json_body["history"]][-4:] == [
        "part",
        "work",
        "work",
        "part_return",
    ]


def test_a_partner_company_takes_parts_from_its_own_place_only(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    from tests.support.service_centers import center_user_token, given_center

    admin = staff("admin")
    given_stock(api, admin)
    company = given_center(api, admin, "MP-01")
    place = {"location_id": "KHO-MP01", "name": "Kho Minh Phát", "kind": "company",
             "holder": f"company#{company}"}  # fmt: skip
    assert api.post("/stock/locations", json_body=place, token=admin).status_code == 201
    move = {"kind": "receipt", "part_code": "LOC-01", "qty": 3, "to": "KHO-MP01"}
    assert api.post("/stock/movements", json_body=move, token=admin).status_code == 201
    user = center_user_token(api, admin, company, "service.a")
    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-022", "+84912000022")
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=admin).json_body
    assigned = post(api, admin, ticket, "assign", assignee=f"company#{company}").json_body

    places = api.get("/stock/locations", token=user).json_body["locations"]
    warehouse = post(api, user, assigned, "parts", part_code="LOC-01", qty=1, location="KHO")
    own = post(api, user, assigned, "parts", part_code="LOC-01", qty=1, location="KHO-MP01")

    assert [p["location_id"] for p in places] == ["KHO-MP01"]  # its own, not the brand's
    assert field_codes(warehouse) == {"location": "stock_location_not_yours"}
    assert own.status_code == 200, own.body
    assert on_hand(api, admin, "KHO-MP01")["on_hand"] == 2
