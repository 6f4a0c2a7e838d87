"""Maintenance lines and the daily job against the emulator: an activated unit gets one line per
component of its model's plan (from its real units stream record, redelivered: nothing more);
the job reminds the customer on the reminder day with a link to book, again after three days
without an answer, then calls the line overdue; a rerun sends nothing twice; a missed day is
caught up; and the job reads only the day's timers, whatever the number of units."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.core.phone import phone_key
from chalicelib.maintenance import events as maintenance_events
from chalicelib.maintenance.line_repository import LineRepository
from chalicelib.maintenance.lines import SHARDS, Stage
from chalicelib.outbox.tables import NotificationRecord
from tests.integration.test_installer_rewards import dynamodb_calls
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

SOLD = datetime(2027, 1, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi: the anchor is 24 January
PLAN = {
    "version": 0,
    "components": [
        {"code": "filter", "name": "Lõi lọc thô", "name_en": "Sediment filter",
         "cycle_months": 1, "lead_days": 7, "price_vnd": 150_000},
        {"code": "uv", "name": "Đèn UV", "cycle_months": 12, "lead_days": 14},
    ],
}  # fmt: skip


def at(day: str) -> str:
    """The scheduled event's time on ``day``: 07:30 in Hanoi."""
    return f"{day}T00:30:00+00:00"


def sold(serial: str, phone: str = "+84912345678", when: datetime = SOLD) -> None:
    UnitRepository().activate(
        serial,
        f.activation(at=when, owner_=f.owner(phone=phone)),
        owner_key=phone_key(f.PEPPER, phone),
        consents=(),
    )


def reminders() -> list[NotificationRecord]:
    return sorted(
        (r for r in NotificationRecord.scan() if r.template.startswith("maintenance_")),
        key=lambda r: r.created_at,
    )


@pytest.fixture
def units_stream(api: Api, staff: StaffTokens, aws: Emulator) -> StreamReader:
    seed.model("AC-9")
    saved = api.put("/models/AC-9/maintenance-plan", json_body=PLAN, token=staff("cs"))
    assert saved.status_code == 200, saved.body
    seed.units([f"SN-{n:03d}" for n in range(1, 41)])
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


def test_an_activated_unit_gets_one_line_per_component_once(units_stream: StreamReader) -> None:
    sold("SN-001")
    records = units_stream.new_records()

    deliver("on_unit_change", records)
    deliver("on_unit_change", records)  # redelivered: nothing more

    lines = {line.component.code: line for line in LineRepository().of_unit("SN-001")}
    assert sorted(lines) == ["FILTER", "UV"]
    filter_line, uv = lines["FILTER"], lines["UV"]
    assert (filter_line.anchor, filter_line.due, filter_line.timer) == (
        date(2027, 1, 24), date(2027, 2, 24), date(2027, 2, 17)
    )  # fmt: skip
    assert (uv.due, uv.timer, uv.stage) == (date(2028, 1, 24), date(2028, 1, 10), Stage.WAITING)
    assert filter_line.plan_version == 1 and filter_line.component.price_vnd == 150_000


def test_the_customer_is_reminded_then_reminded_again_then_the_line_is_overdue(
    units_stream: StreamReader,
) -> None:
    sold("SN-002", phone="+84912000002")
    deliver("on_unit_change", units_stream.new_records())

    first = maintenance_events.run_reminders(at("2027-02-17"))
    again = maintenance_events.run_reminders(at("2027-02-17"))  # rerun: the day is done

    # the first run looks 31 days back (a reminder day before the job ever ran is not lost)
    assert (len(first.days), first.days[-1], first.due, first.reminded) == (31, "2027-02-17", 1, 1)
    assert (again.days, again.due, again.reminded) == ([], 0, 0)
    [message] = reminders()
    assert (message.template, message.recipient_phone) == ("maintenance_due", "+84912000002")
    fields: dict[str, Any] = message.fields.as_dict() if message.fields else {}
    assert fields["component"] == "Lõi lọc thô" and fields["due_date"] == "24/02/2027"
    assert "/m/SN-002/FILTER?t=" in fields["booking_url"]

    second = maintenance_events.run_reminders(at("2027-02-20"))  # catches up 18, 19 and 20
    assert (second.days, second.reminded) == (["2027-02-18", "2027-02-19", "2027-02-20"], 1)
    assert [m.template for m in reminders()] == ["maintenance_due", "maintenance_due_again"]

    # the second reminder's timer is three days on, never before the due day: 25 February
    overdue = maintenance_events.run_reminders(at("2027-02-25"))
    assert (overdue.overdue, overdue.reminded) == (1, 0)
    line = next(x for x in LineRepository().of_unit("SN-002") if x.component.code == "FILTER")
    assert (line.stage, line.timer, line.reminders) == (Stage.OVERDUE, None, 2)
    assert len(reminders()) == 2  # overdue tells the manager (the digest), not the customer


def test_the_job_reads_only_the_days_timers_whatever_the_number_of_units(
    units_stream: StreamReader,
) -> None:
    for n in range(3, 41):  # 38 units sold on other days: none of their timers fires that day
        sold(f"SN-{n:03d}", phone=f"+849120000{n:02d}", when=SOLD + timedelta(days=n))
    sold("SN-001", phone="+84912000001")
    deliver("on_unit_change", units_stream.new_records())
    maintenance_events.run_reminders(at("2027-02-16"))  # the watermark: the day before

    with dynamodb_calls() as calls:
        report = maintenance_events.run_reminders(at("2027-02-17"))

    assert (report.due, report.reminded) == (1, 1)
    # the watermark (a get), one query per shard, the owners (a batch get), one transaction
    # for the line and its message, the watermark moved (a put): never a scan, never the rest
    assert calls["Query"] == SHARDS
    assert (calls["BatchGetItem"], calls["TransactWriteItems"]) == (1, 1)
    assert "Scan" not in calls


# -- the customer's answer (the reminder's link) --------------------------------------------------


def link(serial: str, component: str = "FILTER") -> str:
    from chalicelib.maintenance.booking_link import booking_key, booking_token

    token = booking_token(booking_key(f.PEPPER), serial, component)
    return f"/public/maintenance/{serial}/{component}?t={token}"


def test_the_link_opens_its_own_visit_only(api: Api, units_stream: StreamReader) -> None:
    sold("SN-004")
    deliver("on_unit_change", units_stream.new_records())

    opened = api.get(
        link("SN-004").replace("SN-004", "sn-004", 1), headers={"Accept-Language": "en"}
    )
    other = api.get(link("SN-004").replace("/SN-004/", "/SN-005/"))
    made_up = api.get("/public/maintenance/SN-004/FILTER?t=AAAAAAAAAAAAAAAA")
    no_line = api.get(link("SN-005"))  # a real token, a unit never activated: no line
    garbled = api.get("/public/maintenance/SN-004/FILTER?t=%C2%AF%C3%A4")  # not even ASCII

    assert opened.status_code == 200, opened.body
    visit = opened.json_body
    assert (visit["serial"], visit["component"]["name_en"], visit["due"]) == (
        "SN-004", "Sediment filter", "2027-02-24"
    )  # fmt: skip
    assert (visit["stage"], visit["booking"], visit["component"]["price_vnd"]) == (
        "waiting", None, 150_000
    )  # fmt: skip
    for refused in (other, made_up, no_line, garbled):
        assert (refused.status_code, error_code(refused)) == (404, "maintenance_not_found")


def test_the_customer_books_a_slot_and_no_reminder_follows(
    api: Api, units_stream: StreamReader
) -> None:
    sold("SN-006", phone="+84912000006")
    deliver("on_unit_change", units_stream.new_records())
    tomorrow = business_day(datetime.now(UTC)) + timedelta(days=1)

    too_far = api.post(link("SN-006"), json_body={"action": "book", "day": "2099-01-01"})
    no_day = api.post(link("SN-006"), json_body={"action": "book"})
    booked = api.post(
        link("SN-006"),
        json_body={"action": "book", "day": tomorrow.isoformat(), "part": "afternoon",
                   "note": "Gọi trước 30 phút"},
    )  # fmt: skip
    twice = api.post(link("SN-006"), json_body={"action": "decline"})

    assert field_codes(too_far) == {"day": "maintenance_slot_out_of_range"}
    assert field_codes(no_day) == {"day": "maintenance_slot_required"}
    assert booked.status_code == 200, booked.body
    assert booked.json_body["stage"] == "booked"
    assert booked.json_body["booking"] == {
        "day": tomorrow.isoformat(), "part": "afternoon", "note": "Gọi trước 30 phút"
    }  # fmt: skip
    assert (twice.status_code, error_code(twice)) == (409, "maintenance_already_booked")
    line = next(x for x in LineRepository().of_unit("SN-006") if x.component.code == "FILTER")
    assert (line.stage, line.timer) == (Stage.BOOKED, None)  # the daily job never reads it


def test_a_postponed_visit_is_reminded_again_and_a_declined_one_waits_for_the_next(
    api: Api, units_stream: StreamReader
) -> None:
    sold("SN-007")
    deliver("on_unit_change", units_stream.new_records())
    today = business_day(datetime.now(UTC))
    until = today + timedelta(days=40)

    put_off = api.post(link("SN-007"), json_body={"action": "postpone", "until": until.isoformat()})
    declined = api.post(link("SN-007", "UV"), json_body={"action": "decline"})

    assert put_off.status_code == 200, put_off.body
    assert (put_off.json_body["due"], put_off.json_body["stage"]) == (until.isoformat(), "waiting")
    line = next(x for x in LineRepository().of_unit("SN-007") if x.component.code == "FILTER")
    assert line.timer == until - timedelta(days=7)  # its lead days before the new day
    assert declined.status_code == 200, declined.body
    assert (declined.json_body["occurrence"], declined.json_body["due"]) == (2, "2029-01-24")
