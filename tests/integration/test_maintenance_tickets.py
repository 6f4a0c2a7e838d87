"""Maintenance tickets against the emulator: the customer's booking opens a ticket the desk sees;
the desk assigns it; the technician reads only their own, works it on site and completes it
(the checklist, the customer's confirmation, the payment when owed), which moves the unit's line
to its next visit; the desk books a visit by hand and cancels one (the visit opens again); a
stale version or a closed ticket is refused; the due list reads a stage's lines."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import requests
from PIL import Image

from chalicelib.catalog.warranty import business_day
from chalicelib.maintenance.line_repository import LineRepository
from chalicelib.maintenance.lines import PlanLine, Stage
from tests.integration.test_maintenance_reminders import link, sold, units_stream
from tests.integration.test_partner_cases import photo
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

__all__ = ["units_stream"]  # the fixture, shared


def today() -> date:
    return business_day(datetime.now(UTC))


def line_of(serial: str, component: str = "FILTER") -> PlanLine:
    line = LineRepository().find(serial, component)
    assert line is not None
    return line


def booked_by_customer(api: Api, desk: str, stream: StreamReader, serial: str, phone: str) -> str:
    """The unit sold, its lines made, its filter's visit booked by the customer on the
    reminder's page: the new ticket's id (as the desk's board lists it)."""
    sold(serial, phone=phone)
    deliver("on_unit_change", stream.new_records())
    day = (today() + timedelta(days=2)).isoformat()
    booked = api.post(
        link(serial), json_body={"action": "book", "day": day, "note": "Gọi trước khi đến"}
    )
    assert booked.status_code == 200, booked.body
    [ticket] = [
        t
        for t in api.get("/maintenance/tickets?status=new", token=desk).json_body["tickets"]
        if t["serial"] == serial
    ]
    return str(ticket["ticket_id"])


def post(api: Api, token: str, ticket: dict[str, Any], action: str, **body: Any) -> Any:
    return api.post(
        f"/maintenance/tickets/{ticket['ticket_id']}/{action}",
        json_body={"version": ticket["version"], **body},
        token=token,
    )


def test_a_booking_opens_a_ticket_the_desk_sees_and_the_accountant_reads_masked(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-011", "+84912000011")

    desk = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("cs")).json_body
    accountant = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("accountant")).json_body
    technician = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("technician"))

    assert (desk["status"], desk["source"], desk["occurrence"], desk["role"]) == (
        "new", "booking", 1, "desk"
    )  # fmt: skip
    assert desk["customer"]["phone"] == "+84912000011"
    assert desk["slot"] == {
        "day": (today() + timedelta(days=2)).isoformat(), "part": "morning",
        "note": "Gọi trước khi đến",
    }  # fmt: skip
    assert (desk["price_vnd"], desk["amount_vnd"]) == (150_000, 150_000)
    assert [c["done"] for c in desk["checklist"]] == []  # the test plan has no checks
    assert [(h["by"], h["action"], h["status_to"]) for h in desk["history"]] == [
        ("customer", "create", "new")
    ]
    assert accountant["customer"]["phone"] != "+84912000011" and accountant["role"] is None
    assert accountant["customer"]["address"] == ""
    # not assigned to them: as if it did not exist
    assert (technician.status_code, error_code(technician)) == (
        404, "maintenance_ticket_not_found"
    )  # fmt: skip
    assert line_of("SN-011").stage is Stage.BOOKED


def test_the_technician_works_and_completes_it_and_the_line_waits_for_the_next_visit(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-012", "+84912000012")
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("cs")).json_body
    tech = staff("technician")

    early = post(api, tech, ticket, "start")
    unknown = post(api, staff("cs"), ticket, "assign", assignee="tech#nobody")
    assigned = post(api, staff("cs"), ticket, "assign", assignee="tech#technician")
    assert assigned.status_code == 200, assigned.body
    mine = api.get("/maintenance/tickets", token=tech).json_body["tickets"]
    started = post(api, tech, assigned.json_body, "start")
    not_yet = post(api, tech, started.json_body, "complete")
    too_much = post(api, tech, started.json_body, "work", labour_vnd=50_000,
                    payment={"amount_vnd": 900_000, "method": "cash"})  # fmt: skip
    worked = post(
        api, tech, started.json_body, "work", notes="Vệ sinh lưới lọc, kiểm tra gas",
        labour_vnd=50_000, payment={"amount_vnd": 200_000, "method": "cash"},
        confirmed_by="Nguyễn Văn An",
    )  # fmt: skip
    done = post(api, tech, worked.json_body, "complete")
    again = post(api, tech, done.json_body, "complete")

    assert (early.status_code, error_code(early)) == (404, "maintenance_ticket_not_found")
    assert field_codes(unknown) == {"assignee": "maintenance_assignee_unknown"}
    assert [t["ticket_id"] for t in mine] == [ticket_id]
    assert mine[0]["customer"]["phone"] == "+84912000012"  # the assignee calls the customer
    assert started.json_body["status"] == "started" and started.json_body["role"] == "assignee"
    assert (not_yet.status_code, error_code(not_yet)) == (400, "maintenance_ticket_incomplete")
    assert field_codes(not_yet) == {
        "confirmed_by": "maintenance_confirmation_required",
        "payment": "maintenance_payment_required",
    }
    assert field_codes(too_much) == {"payment.amount_vnd": "maintenance_payment_too_much"}
    assert worked.status_code == 200, worked.body
    assert worked.json_body["payment"] == {
        "amount_vnd": 200_000, "method": "cash", "collected_by": "tech#technician"
    }  # fmt: skip
    assert (worked.json_body["amount_vnd"], worked.json_body["labour_vnd"]) == (200_000, 50_000)
    assert done.status_code == 200, done.body
    assert (done.json_body["status"], done.json_body["done_on"]) == (
        "done", today().isoformat()
    )  # fmt: skip
    assert (again.status_code, error_code(again)) == (409, "maintenance_ticket_closed")
    assert [h["action"] for h in done.json_body["history"]] == [
        "create", "assign", "start", "work", "complete"
    ]  # fmt: skip
    # the line waits for its second visit, on the anchor's rhythm (fixed): 24 March
    line = line_of("SN-012")
    assert (line.occurrence, line.due, line.stage, line.booking) == (
        2, date(2027, 3, 24), Stage.WAITING, None
    )  # fmt: skip
    assert line.timer == date(2027, 3, 17)


def test_a_service_company_user_never_sees_another_s_ticket(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    from tests.support.service_centers import center_user_token, given_center

    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-013", "+84912000013")
    admin = staff("admin")
    ours = given_center(api, admin, "MP-01")
    theirs = given_center(api, admin, "MP-02")
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=admin).json_body
    assigned = post(api, admin, ticket, "assign", assignee=f"company#{ours}")
    our_user = center_user_token(api, admin, ours, "service.a")
    their_user = center_user_token(api, admin, theirs, "service.b")

    seen = api.get(f"/maintenance/tickets/{ticket_id}", token=our_user)
    hidden = api.get(f"/maintenance/tickets/{ticket_id}", token=their_user)
    moved = post(api, their_user, assigned.json_body, "start")
    listed = api.get("/maintenance/tickets", token=their_user).json_body["tickets"]

    assert seen.status_code == 200 and seen.json_body["role"] == "assignee"
    for refused in (hidden, moved):
        assert (refused.status_code, error_code(refused)) == (404, "maintenance_ticket_not_found")
    assert listed == []


def test_the_desk_books_by_hand_and_a_cancelled_ticket_opens_the_visit_again(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    sold("SN-014", phone="+84912000014")
    deliver("on_unit_change", units_stream.new_records())
    cs = staff("cs")
    body = {"serial": "sn-014", "component": "filter", "day": today().isoformat(),
            "part": "afternoon"}  # fmt: skip

    made = api.post("/maintenance/tickets", json_body=body, token=cs)
    twice = api.post("/maintenance/tickets", json_body=body, token=cs)
    far = api.post("/maintenance/tickets", json_body={**body, "day": "2099-01-01"}, token=cs)
    none = api.post("/maintenance/tickets", json_body={**body, "serial": "SN-999"}, token=cs)
    by_tech = api.post("/maintenance/tickets", json_body=body, token=staff("technician"))
    booked = api.get("/maintenance/due?stage=booked", token=cs).json_body["lines"]

    assert made.status_code == 201, made.body
    ticket = made.json_body
    assert (ticket["source"], ticket["slot"]["part"], ticket["created_by"]) == (
        "manager", "afternoon", "cs"
    )  # fmt: skip
    assert (twice.status_code, error_code(twice)) == (409, "maintenance_already_booked")
    assert field_codes(far) == {"day": "maintenance_desk_slot_out_of_range"}
    assert (none.status_code, error_code(none)) == (404, "maintenance_not_found")
    assert (by_tech.status_code, error_code(by_tech)) == (403, "role_not_allowed")
    assert [(x["serial"], x["component"]["code"]) for x in booked] == [("SN-014", "FILTER")]
    assert booked[0]["owner"]["phone"] != "+84912000014"  # masked on the list

    later = (today() + timedelta(days=5)).isoformat()
    moved = post(api, cs, ticket, "reschedule", day=later, part="morning")
    assert moved.status_code == 200, moved.body
    line = line_of("SN-014")
    assert (line.booking.day.isoformat(), line.booking.part.value) == (later, "morning")  # type: ignore[union-attr]
    ticket = moved.json_body
    stale = post(api, cs, {**ticket, "version": 9}, "cancel", reason="Khách đi vắng")
    no_reason = post(api, cs, ticket, "cancel", reason="  ")
    cancelled = post(api, cs, ticket, "cancel", reason="Khách đi vắng")
    after = post(api, cs, cancelled.json_body, "assign", assignee="tech#technician")

    assert (stale.status_code, error_code(stale)) == (409, "maintenance_ticket_changed")
    assert field_codes(no_reason) == {"reason": "maintenance_cancel_reason_required"}
    assert cancelled.status_code == 200, cancelled.body
    assert cancelled.json_body["cancel_reason"] == "Khách đi vắng"
    assert (after.status_code, error_code(after)) == (409, "maintenance_ticket_closed")
    # the visit (due 24 February 2027) waits for its reminder again
    line = line_of("SN-014")
    assert (line.stage, line.occurrence, line.booking, line.timer) == (
        Stage.WAITING, 1, None, date(2027, 2, 17)
    )  # fmt: skip


def test_list_and_due_queries_are_validated(api: Api, staff: StaffTokens) -> None:
    cs = staff("cs")

    stage = api.get("/maintenance/due?stage=soon", token=cs)
    status = api.get("/maintenance/tickets?status=open", token=cs)
    span = api.get("/maintenance/tickets?from=2027-02-01&until=2027-01-01", token=cs)
    day = api.get("/maintenance/tickets?from=01/02/2027", token=cs)
    mine = api.get("/maintenance/tickets?mine=1", token=cs)
    bad_id = api.get("/maintenance/tickets/MT-0", token=cs)

    assert field_codes(stage) == {"stage": "maintenance_stage_invalid"}
    assert field_codes(status) == {"status": "maintenance_status_invalid"}
    assert field_codes(span) == {"until": "date_range_invalid"}
    assert field_codes(day) == {"from": "date_invalid"}
    assert field_codes(mine) == {"mine": "maintenance_no_assignee"}
    assert (bad_id.status_code, error_code(bad_id)) == (404, "maintenance_ticket_not_found")


def test_the_printed_ticket_s_qr_code_opens_its_page_in_the_console(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    from tests.support.labels import decode_svg

    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-015", "+84912000015")

    qr = api.get(f"/maintenance/tickets/{ticket_id}/qr.svg", token=staff("cs"))
    hidden = api.get(f"/maintenance/tickets/{ticket_id}/qr.svg", token=staff("technician"))

    assert qr.status_code == 200 and qr.headers["Content-Type"].startswith("image/svg+xml")
    assert decode_svg(qr.body.decode()).endswith(f"/maintenance/tickets/{ticket_id}")
    assert (hidden.status_code, error_code(hidden)) == (404, "maintenance_ticket_not_found")


def test_the_demo_has_a_booked_an_assigned_and_a_done_visit(
    api: Api, staff: StaffTokens, aws: Emulator
) -> None:
    from tests.support.aws import seeded_demo

    seeded_demo(aws)
    cs = staff("cs")

    board = {
        status: api.get(f"/maintenance/tickets?status={status}", token=cs).json_body["tickets"]
        for status in ("new", "assigned", "done")
    }
    mine = api.get("/maintenance/tickets", token=staff("technician")).json_body["tickets"]

    assert [(t["source"], t["slot"]["day"]) for t in board["new"]] == [
        ("booking", (today() + timedelta(days=2)).isoformat())
    ]
    assert [(t["assignee_key"], t["slot"]["day"]) for t in board["assigned"]] == [
        ("tech#technician", (today() + timedelta(days=1)).isoformat())
    ]
    yesterday = (today() - timedelta(days=1)).isoformat()
    [done] = [t for t in board["done"] if t["slot"]["day"] == yesterday]
    last_month = [t for t in board["done"] if t["slot"]["day"] != yesterday]
    assert {t["ticket_id"] for t in mine} == {
        board["assigned"][0]["ticket_id"],
        *(t["ticket_id"] for t in board["done"]),
    }
    record = api.get(f"/maintenance/tickets/{done['ticket_id']}", token=cs).json_body
    assert [h["action"] for h in record["history"]] == [
        "create", "assign", "start", "part", "work", "complete"
    ]  # fmt: skip
    assert [(p["code"], p["qty"], p["location_id"]) for p in record["parts"]] == [
        ("LUOI-LOC-12", 1, "VAN-TECH")
    ]
    assert record["payment"] == {
        "amount_vnd": 130_000, "method": "cash", "collected_by": "tech#technician"
    }  # fmt: skip
    assert line_of(done["serial"], "LOC-BUI").occurrence == 2
    van = api.get("/stock?location=VAN-TECH", token=cs).json_body["lines"]
    # 10 filter meshes went to the van; one used on each done visit
    assert [(x["part_code"], x["on_hand"]) for x in van] == [
        ("GAS-R32", 4), ("LUOI-LOC-12", 10 - len(board["done"]))
    ]  # fmt: skip
    short = api.get("/stock?short=1", token=cs).json_body["lines"]
    assert [(x["location_id"], x["part_code"]) for x in short] == [("KHO-HCM", "TU-35UF")]
    # last month's visits are the accountant's receivables to reconcile (by the day: up to 2)
    if last_month:
        month = last_month[0]["slot"]["day"][:7]
        lines = api.get(f"/receivables/{month}", token=staff("accountant")).json_body["lines"]
        assert sorted(x["method"] for x in lines) == ["cash", "transfer"][: len(last_month)]
        assert {x["status"] for x in lines} == {"collected"}


def test_the_technician_adds_a_photo_kept_without_metadata_and_the_desk_reads_it(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    ticket_id = booked_by_customer(api, staff("cs"), units_stream, "SN-018", "+84912000018")
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("cs")).json_body
    tech, data = staff("technician"), photo()
    path = f"/maintenance/tickets/{ticket_id}/photos"
    declared = {"content_type": "image/jpeg", "size": len(data)}

    too_early = api.post(path, json_body=declared, token=staff("cs"))  # nobody assigned yet
    assigned = post(api, staff("cs"), ticket, "assign", assignee="tech#technician").json_body
    started = api.post(path, json_body=declared, token=tech)
    assert started.status_code == 201, started.body
    target = started.json_body["upload"]
    assert requests.put(target["url"], data=data, headers=target["headers"], timeout=10).ok
    foreign = post(api, tech, assigned, "photos/done", key="ticket-uploads/MT-AAAAAAAA/abc")
    added = post(api, tech, assigned, "photos/done", key=started.json_body["key"])
    again = post(api, tech, added.json_body, "photos/done", key=started.json_body["key"])
    reader = api.get(f"/maintenance/tickets/{ticket_id}", token=staff("accountant")).json_body

    assert (too_early.status_code, error_code(too_early)) == (
        409, "maintenance_ticket_not_assigned"
    )  # fmt: skip
    assert (foreign.status_code, error_code(foreign)) == (400, "image_upload_unknown")
    assert added.status_code == 200, added.body
    [stored] = added.json_body["photos"]
    assert stored["key"].startswith(f"ticket-photos/{ticket_id}/") and stored["key"].endswith(
        ".webp"
    )
    kept = Image.open(io.BytesIO(requests.get(stored["url"], timeout=10).content))
    assert (kept.format, max(kept.size)) == ("WEBP", 1600)
    assert not kept.getexif()  # no maker, no GPS of the customer's home
    # the original is gone: finishing it again finds nothing
    assert (again.status_code, error_code(again)) == (404, "image_upload_missing")
    assert [p["key"] for p in reader["photos"]] == [stored["key"]]
    assert added.json_body["history"][-1]["action"] == "photo"

    removed = post(api, tech, added.json_body, "photos/remove", key=stored["key"])
    unknown = post(api, tech, removed.json_body, "photos/remove", key=stored["key"])
    assert removed.status_code == 200 and removed.json_body["photos"] == []
    assert field_codes(unknown) == {"key": "maintenance_photo_unknown"}


def test_the_desk_books_a_visit_from_a_service_request_of_the_same_unit(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    cs = staff("cs")
    for serial in ("SN-039", "SN-040"):
        sold(serial, phone=f"+849120000{serial[-2:]}")
    deliver("on_unit_change", units_stream.new_records())
    request = {"claim_type": "maintenance", "serial": "SN-039", "description": "Vệ sinh máy",
               "customer": {"name": "Nguyễn Văn An", "phone": "0912000039"}}  # fmt: skip
    filed = api.post("/claims", json_body=request, token=cs)
    assert filed.status_code == 201, filed.body
    claim_id = filed.json_body["claim"]["claim_id"]
    body = {"component": "FILTER", "day": today().isoformat(), "claim_id": claim_id}

    other = api.post("/maintenance/tickets", json_body={**body, "serial": "SN-040"}, token=cs)
    made = api.post("/maintenance/tickets", json_body={**body, "serial": "SN-039"}, token=cs)

    assert field_codes(other) == {"claim_id": "maintenance_claim_other_unit"}
    assert made.status_code == 201, made.body
    assert (made.json_body["source"], made.json_body["claim_id"]) == ("claim", claim_id)
    assert made.json_body["history"][0]["note"] == claim_id
