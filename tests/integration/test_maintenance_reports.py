"""Maintenance reports against the emulator: two visits done this month (one with two filters
from the technician's van, one taken back), one free of charge on another component; the
report sums the month's revenue, the parts' usage at cost and the services by product; a span
over twelve months or a malformed month is refused; a technician may not read it."""

from __future__ import annotations

from chalicelib.maintenance.receivables import month_of
from tests.integration.test_maintenance_reminders import units_stream
from tests.integration.test_maintenance_tickets import booked_by_customer, post, today
from tests.integration.test_stock import given_stock
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.streams import StreamReader

__all__ = ["units_stream"]  # the fixture, shared


def test_the_month_s_revenue_parts_and_services_add_up(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    cs, tech = staff("cs"), staff("technician")
    given_stock(api, cs)
    month = month_of(today())
    for serial, parts in (("SN-031", 3), ("SN-032", 0)):
        ticket_id = booked_by_customer(api, cs, units_stream, serial, f"+8491200{serial[-3:]}01")
        ticket = api.get(f"/maintenance/tickets/{ticket_id}", token=cs).json_body
        ticket = post(api, cs, ticket, "assign", assignee="tech#technician").json_body
        if parts:
            ticket = post(api, tech, ticket, "parts", part_code="LOC-01", qty=parts,
                          location="VAN-TECH").json_body  # fmt: skip
            ticket = post(api, tech, ticket, "parts/return", index=0).json_body
            ticket = post(api, tech, ticket, "parts", part_code="LOC-01", qty=2,
                          location="VAN-TECH").json_body  # fmt: skip
        amount = ticket["amount_vnd"]
        ticket = post(api, tech, ticket, "work", confirmed_by="Chủ nhà",
                      payment={"amount_vnd": amount, "method": "cash"}).json_body  # fmt: skip
        assert post(api, tech, ticket, "complete").status_code == 200

    found = api.get(f"/maintenance/reports?from={month}&until={month}", token=staff("director"))
    assert found.status_code == 200, found.body
    report = found.json_body
    # 150,000 the plan's filter visit each; the first adds two filters at 90,000
    assert report["months"] == [
        {"month": month, "visits": 2, "paid_visits": 2, "amount_vnd": 150_000 * 2 + 180_000,
         "collected_vnd": 480_000, "parts_cost_vnd": 2 * 40_000,
         "margin_vnd": 480_000 - 80_000, "closed": False}
    ]  # fmt: skip
    # three issued, three back, two issued again: two used, at the catalogue's cost then
    assert report["parts"] == [
        {"code": "LOC-01", "name": "Lõi lọc thô 10 inch", "name_en": "10-inch sediment filter",
         "unit": "cái", "issued": 5, "returned": 3, "used": 2, "cost_vnd": 80_000, "tickets": 1,
         "claims": 0}
    ]  # fmt: skip
    [product] = report["products"]
    figures = ("model_code", "visits", "amount_vnd", "parts")
    assert [product[name] for name in figures] == ["AC-9", 2, 480_000, 2]
    assert product["component"]["code"] == "FILTER"


def test_the_span_and_the_reader_are_checked(api: Api, staff: StaffTokens) -> None:
    long = api.get("/maintenance/reports?from=2026-01&until=2027-01", token=staff("accountant"))
    backwards = api.get("/maintenance/reports?from=2026-05&until=2026-04", token=staff("cs"))
    malformed = api.get("/maintenance/reports?from=2026-13&until=2026-12", token=staff("cs"))
    technician = api.get("/maintenance/reports?from=2026-11&until=2026-12",
                         token=staff("technician"))  # fmt: skip

    assert field_codes(long) == {"until": "maintenance_report_span"}
    assert field_codes(backwards) == {"until": "maintenance_report_span"}
    assert field_codes(malformed) == {"from": "receivables_month_invalid"}
    assert (technician.status_code, error_code(technician)) == (403, "role_not_allowed")
