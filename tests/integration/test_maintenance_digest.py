"""The desk's daily maintenance digest against the emulator: a visit the customer booked for
later and one the desk booked for today; the daily job's digest goes to the admin and customer
service accounts that have a phone (the demo's do), once a person a day (a rerun queues
nothing); the console reads the same figures; a quiet day sends nothing."""

from __future__ import annotations

from chalicelib.maintenance import events
from chalicelib.outbox.tables import NotificationRecord
from tests.integration.test_maintenance_reminders import sold, units_stream
from tests.integration.test_maintenance_tickets import booked_by_customer, today
from tests.support.api import Api, StaffTokens
from tests.support.streams import StreamReader, deliver

__all__ = ["units_stream"]  # the fixture, shared


def digests() -> list[NotificationRecord]:
    return [r for r in NotificationRecord.scan() if r.template == "maintenance_digest"]


def test_the_desk_is_told_once_a_day_what_needs_doing(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    cs = staff("cs")
    booked_by_customer(api, cs, units_stream, "SN-037", "+84912000037")  # in two days
    sold("SN-038", phone="+84912000038")
    deliver("on_unit_change", units_stream.new_records())
    body = {"serial": "SN-038", "component": "FILTER", "day": today().isoformat()}
    assert api.post("/maintenance/tickets", json_body=body, token=cs).status_code == 201

    figures, queued = events.send_digest()
    again = events.send_digest()[1]
    shown = api.get("/maintenance/digest", token=staff("director")).json_body

    assert (figures.visits_today, figures.unassigned, figures.overdue) == (1, 2, 0)
    assert (queued, again) == (2, 0)  # admin and cs have a phone; a rerun queues nothing
    sent = digests()
    assert sorted(r.recipient_phone for r in sent) == ["+84987000001", "+84987000002"]
    assert "1 lượt hẹn hôm nay, 2 phiếu chưa giao" in sent[0].text
    assert sent[0].text.endswith("/maintenance")
    assert (shown["visits_today"], shown["unassigned"], shown["day"]) == (
        1, 2, today().isoformat()
    )  # fmt: skip


def test_a_quiet_day_sends_nothing(api: Api, staff: StaffTokens) -> None:
    figures, queued = events.send_digest()

    assert figures.quiet and queued == 0
    assert digests() == []
