"""Maintenance receivables against the emulator: a completed visit that costs something becomes
a receivable held by whoever collected it; the accountant records what was handed over (the
difference shown, never corrected), reconciles, and closes a past month once every line is
reconciled; a closed month refuses every change; the month exports to Excel."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import requests
from python_calamine import CalamineWorkbook

from chalicelib.maintenance.receivable_repository import ReceivableRepository, receivable_record
from chalicelib.maintenance.receivables import Receivable, ReceivableStatus, month_of
from tests.integration.test_maintenance_reminders import units_stream
from tests.integration.test_maintenance_tickets import booked_by_customer, post, today
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.streams import StreamReader

__all__ = ["units_stream"]  # the fixture, shared


def done_visit(api: Api, staff: StaffTokens, stream: StreamReader, serial: str, paid: int) -> str:
    """A customer's booked visit (the plan's 150,000), assigned, worked with 50,000 labour and
    ``paid`` collected in cash by the technician, completed: its ticket id."""
    cs, tech = staff("cs"), staff("technician")
    ticket_id = booked_by_customer(
        api, cs, stream, serial, f"+849120{serial[-5:].replace('-', '0')}"
    )
    ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=cs).json_body
    ticket = post(api, cs, ticket, "assign", assignee="tech#technician").json_body
    ticket = post(api, tech, ticket, "start").json_body
    ticket = post(api, tech, ticket, "work", labour_vnd=50_000, confirmed_by="Anh Minh",
                  payment={"amount_vnd": paid, "method": "cash"}).json_body  # fmt: skip
    done = post(api, tech, ticket, "complete")
    assert done.status_code == 200, done.body
    return ticket_id


def step(
    api: Api, token: str, month: str, line: dict[str, object], action: str, **body: object
) -> object:
    return api.post(
        f"/receivables/{month}/{line['ticket_id']}/{action}",
        json_body={"version": line["version"], **body},
        token=token,
    )


def test_a_done_visit_is_a_receivable_held_by_its_technician_and_is_handed_over_and_reconciled(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    ticket_id = done_visit(api, staff, units_stream, "SN-031", paid=200_000)
    accountant, month = staff("accountant"), month_of(today())

    read = api.get(f"/receivables/{month}", token=accountant).json_body
    [line] = read["lines"]
    too_much = step(api, accountant, month, line, "remit", amount_vnd=250_000)
    early = step(api, accountant, month, line, "reconcile")
    handed = step(api, accountant, month, line, "remit", amount_vnd=190_000)
    stale = step(api, accountant, month, line, "remit", amount_vnd=190_000)
    by_tech = step(api, staff("technician"), month, line, "remit", amount_vnd=1)
    reconciled = step(api, accountant, month, handed.json_body["lines"][0], "reconcile")
    not_over = api.post(f"/receivables/{month}/close", token=accountant)

    assert (line["ticket_id"], line["amount_vnd"], line["collected_vnd"], line["status"]) == (
        ticket_id, 200_000, 200_000, "collected"
    )  # fmt: skip
    assert (line["holder"], line["holder_name"], line["method"]) == (
        "tech#technician", "technician", "cash"
    )  # fmt: skip
    assert field_codes(too_much) == {"amount_vnd": "receivables_remit_too_much"}
    assert (early.status_code, error_code(early)) == (409, "receivables_wrong_status")
    assert handed.status_code == 200, handed.body
    [collector] = handed.json_body["collectors"]
    assert (collector["collected_vnd"], collector["remitted_vnd"], collector["difference_vnd"]) == (
        200_000, 190_000, 10_000
    )  # fmt: skip
    assert (stale.status_code, error_code(stale)) == (409, "receivables_changed")
    assert (by_tech.status_code, error_code(by_tech)) == (403, "role_not_allowed")
    assert reconciled.json_body["lines"][0]["status"] == "reconciled"
    assert reconciled.json_body["totals"]["reconciled"] == 1
    assert (not_over.status_code, error_code(not_over)) == (409, "receivables_month_not_over")


def given_last_month() -> tuple[str, list[Receivable]]:
    """Two visits done last month: one collected in cash by the technician, one paid by
    transfer to the company."""
    day = today().replace(day=1) - timedelta(days=3)
    month = month_of(day)
    lines = [
        Receivable(month, "MT-AAAAAAAA", "GAR-1", "Lê Văn Cường", day, 180_000, 180_000, "cash",
                   "tech#technician", "technician", 35_000, status=ReceivableStatus.COLLECTED),
        Receivable(month, "MT-BBBBBBBB", "GAR-2", "Trần Thị Bình", day, 250_000, 250_000,
                   "transfer", "tech#technician", "technician", status=ReceivableStatus.COLLECTED),
    ]  # fmt: skip
    for line in lines:
        receivable_record(line, by="test", at=datetime.now(UTC)).save()
    return month, lines


def test_a_past_month_closes_once_every_line_is_reconciled_and_then_refuses_changes(
    api: Api, staff: StaffTokens
) -> None:
    month, _ = given_last_month()
    accountant = staff("accountant")
    cash, transfer = api.get(f"/receivables/{month}", token=accountant).json_body["lines"]

    waiting = api.post(f"/receivables/{month}/close", token=accountant)
    handed = step(api, accountant, month, cash, "remit", amount_vnd=180_000)
    step(api, accountant, month, handed.json_body["lines"][0], "reconcile")
    direct = step(api, accountant, month, transfer, "reconcile")  # paid to the company's account
    closed = api.post(f"/receivables/{month}/close", token=accountant)
    again = api.post(f"/receivables/{month}/close", token=accountant)
    line = closed.json_body["lines"][0]
    locked = step(api, accountant, month, line, "reconcile")
    bad_month = api.get("/receivables/2026-13", token=accountant)

    assert (waiting.status_code, error_code(waiting)) == (409, "receivables_not_reconciled")
    assert direct.status_code == 200, direct.body
    assert closed.status_code == 200, closed.body
    assert (closed.json_body["closed"], closed.json_body["closed_by"]) == (True, "accountant")
    assert closed.json_body["totals"] == {
        "amount_vnd": 430_000, "collected_vnd": 430_000, "remitted_vnd": 430_000,
        "parts_cost_vnd": 35_000, "reconciled": 2,
    }  # fmt: skip
    assert (again.status_code, error_code(again)) == (409, "receivables_month_closed")
    assert locked.status_code == 409  # reconciled is final; the month is locked besides
    assert ReceivableRepository().month(month).closed
    assert field_codes(bad_month) == {"month": "receivables_month_invalid"}


def test_a_closed_month_refuses_a_step_on_a_line_still_open(api: Api, staff: StaffTokens) -> None:
    """A month closed while a line was still open (closed by hand in the store: the API never
    closes one): the step is refused, nothing written."""
    from chalicelib.maintenance.stock_tables import ReceivableMonthRecord

    month, _ = given_last_month()
    ReceivableMonthRecord(month, closed_at=datetime.now(UTC), closed_by="x").save()
    accountant = staff("accountant")
    cash = api.get(f"/receivables/{month}", token=accountant).json_body["lines"][0]

    refused = step(api, accountant, month, cash, "remit", amount_vnd=180_000)

    assert (refused.status_code, error_code(refused)) == (409, "receivables_month_closed")
    assert ReceivableRepository().get(month, cash["ticket_id"]).status is ReceivableStatus.COLLECTED  # type: ignore[union-attr]


def test_the_month_exports_to_a_workbook_of_lines_and_collectors(
    api: Api, staff: StaffTokens
) -> None:
    month, _ = given_last_month()

    response = api.post(
        f"/receivables/{month}/export", token=staff("director"), headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200, response.body
    body = response.json_body
    assert (body["filename"], body["rows"]) == (f"receivables-{month}.xlsx", 2)
    workbook = CalamineWorkbook.from_filelike(
        io.BytesIO(requests.get(body["url"], timeout=10).content)
    )
    assert workbook.sheet_names == [f"Receivables {month}", "By collector"]
    lines = workbook.get_sheet_by_index(0).to_python()
    assert lines[0][:6] == [
        "Ticket",
        "Done on",
        "Serial",
        "Customer",
        "Amount (₫)",
        "Collected (₫)",
    ]
    assert [(row[0], row[4], row[11]) for row in lines[1:]] == [
        ("MT-AAAAAAAA", 180_000, "Collected"), ("MT-BBBBBBBB", 250_000, "Collected")
    ]  # fmt: skip
    collectors = workbook.get_sheet_by_index(1).to_python()
    assert collectors[1][:4] == ["technician", 2, 430_000, 430_000]
