"""The weekly dealer nudge: each active dealer with a phone gets one ``dealer_unactivated``
message a week listing its units shipped more than N days ago and still not activated (read
through the catalog's ``awaiting_index``), run as the app's schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.model import DealerStatus
from chalicelib.dealers.nudge import iso_week
from chalicelib.outbox.kinds import message_id_for
from chalicelib.outbox.tables import NotificationRecord
from devstack.schedules import run_schedule
from tests.support import seed
from tests.support.aws import REGION, Emulator, clear_app_caches
from tests.support.shipping import dealer, ship, unship

NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # a Monday, 08:00 in Vietnam
TODAY = business_day(NOW)
D1, D2, D3, D4 = "d_01north", "d_02nophone", "d_03suspended", "d_04recent"


@pytest.fixture
def dealers_with_units(aws: Emulator) -> None:
    """D1 (phone): 3 units shipped 45 days ago (one returned since), 2 shipped 31 days ago, 1
    shipped 30 days ago; D2 (no phone) and D3 (suspended): old units; D4: only recent ones."""
    dealer(D1, "HN-01", "Điện máy Hà Nội", phone="+84912000001")
    dealer(D2, "HN-02", "Cửa hàng Ba Đình", phone=None)
    dealer(D3, "HN-03", "Điện máy Cầu Giấy", phone="+84912000003", status=DealerStatus.SUSPENDED)
    dealer(D4, "SG-01", "Điện máy Sài Gòn", phone="+84912000004")
    seed.model("AC-9")
    seed.units([f"SN-{n:02d}" for n in range(1, 13)])
    ship(["SN-01", "SN-02", "SN-03"], D1, TODAY - timedelta(days=45), shipment="s_1")
    ship(["SN-04", "SN-05"], D1, TODAY - timedelta(days=31), shipment="s_2")
    ship(["SN-06"], D1, TODAY - timedelta(days=30), shipment="s_3")
    unship("SN-02")
    ship(["SN-07"], D2, TODAY - timedelta(days=60), shipment="s_4")
    ship(["SN-08"], D3, TODAY - timedelta(days=60), shipment="s_5")
    ship(["SN-09", "SN-10"], D4, TODAY - timedelta(days=3), shipment="s_6")


def nudges() -> list[NotificationRecord]:
    return [r for r in NotificationRecord.scan() if r.template == "dealer_unactivated"]


def run(now: datetime = NOW) -> dict[str, int]:
    from app import app

    result: dict[str, int] = run_schedule(app, "send_dealer_nudges", region=REGION, now=now)
    return result


def test_each_active_dealer_with_a_phone_gets_its_units_awaiting_for_more_than_30_days(
    dealers_with_units: None,
) -> None:
    # When the Monday schedule fires
    result = run()

    # Then only D1 is told (D2 has no phone, D3 is suspended, D4's units are recent)
    assert result == {"dealers": 2, "queued": 1, "already": 0}
    [message] = nudges()
    assert message.recipient_phone == "+84912000001"
    assert message.fields["dealer_name"] == "Điện máy Hà Nội"
    # SN-02 was returned; SN-06 is exactly 30 days old (not more than 30)
    assert message.fields["count"] == "4"
    assert message.fields["serials"] == "SN-01, SN-03, SN-04, SN-05"
    assert message.fields["days"] == "30"
    assert "SN-01" in message.text and "4" in message.text
    assert message.message_id == message_id_for("dealer_unactivated", D1, iso_week(TODAY))


def test_a_second_run_in_the_same_week_queues_nothing_more_the_next_week_queues_again(
    dealers_with_units: None,
) -> None:
    first = run()
    again = run(NOW + timedelta(days=3))
    next_week = run(NOW + timedelta(days=7))

    assert (first["queued"], again["queued"], again["already"]) == (1, 0, 1)
    assert next_week["queued"] == 1
    assert len(nudges()) == 2


def test_the_number_of_days_is_a_setting(
    dealers_with_units: None, stage: pytest.MonkeyPatch
) -> None:
    stage.setenv("GARANTI_DEALER_NUDGE_DAYS", "40")
    clear_app_caches()

    run()

    [message] = nudges()
    assert (message.fields["count"], message.fields["days"]) == ("2", "40")


def test_many_units_are_counted_and_the_oldest_listed(aws: Emulator) -> None:
    dealer(D1, "HN-01", "Điện máy Hà Nội")
    seed.model("AC-9")
    serials = [f"BULK-{n:03d}" for n in range(40)]
    seed.units(serials)
    for age, chunk in ((90, serials[:5]), (60, serials[5:])):
        ship(chunk, D1, TODAY - timedelta(days=age), shipment=f"s_{age}")

    run()

    [message] = nudges()
    assert message.fields["count"] == "40"
    assert message.fields["serials"] == ", ".join(serials[:5]) + " (+35)"
