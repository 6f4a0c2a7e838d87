"""The dashboard: daily roll-ups kept by the units and notifications streams (fed the emulator's
real stream records, as Lambda delivers them), counted once under redelivery, and the summary
route that reads them (roles, numbers, reads that do not grow with the units)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from botocore.client import BaseClient

from chalicelib.catalog.model import Activation, Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.dashboard.counters import CountedEvent
from chalicelib.dashboard.rollup_repository import RollupRepository
from chalicelib.dashboard.tables import RollupRecord
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import spend_bucket
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.platform.tables import RateLimitRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers

NOW = datetime.now(UTC)
TODAY = business_day(NOW)


@pytest.fixture(autouse=True)
def _the_present() -> None:
    global NOW, TODAY
    NOW = datetime.now(UTC)
    TODAY = business_day(NOW)


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    """The units stream after the registration of AC-9 units SN-1…SN-6 and LOCK-1…LOCK-2."""
    seed.model("AC-9")
    seed.model("LOCK-1")
    seed.units([f"SN-{n}" for n in range(1, 7)])
    seed.units(["LK-1", "LK-2"], model_code="LOCK-1")
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


def activate(serial: str, channel: str = "web", days_ago: int = 0) -> None:
    """An activation written as the activation service writes it, at ``days_ago``."""
    at = NOW - timedelta(days=days_ago)
    UnitRepository().activate(
        serial,
        Activation(
            activated_at=at,
            warranty_start=at.date(),
            warranty_end=at.date() + timedelta(days=365),
            warranty_reason="activation",
            channel=channel,
            owner=Owner(name="Nguyễn Văn An", phone="+84912345678"),
        ),
        owner_key=f"owner-{serial}",
        consents=(),
    )


def dashboard(api: Api, token: str) -> dict[str, Any]:
    response = api.get("/dashboard", token=token)
    assert response.status_code == 200, response.body
    body: dict[str, Any] = response.json_body
    return body


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def test_activations_are_counted_by_day_model_and_channel_through_the_units_stream(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    # Given activations today (web, sms, zalo), 3 days ago and 10 days ago
    activate("SN-1", "web")
    activate("SN-2", "sms")
    activate("LK-1", "zalo")
    activate("SN-3", "web", days_ago=3)
    activate("LK-2", "web", days_ago=10)
    records = units_stream.new_records()

    # When the units stream delivers them to its handler
    result = deliver("on_unit_change", records)

    # Then the confirmation step and the counting step both succeed, and the summary adds up
    assert result == {"batchItemFailures": []}
    body = dashboard(api, staff("admin"))
    activations = body["activations"]
    assert body["today"] == TODAY.isoformat()
    assert (activations["today"], activations["last_7_days"], activations["last_30_days"]) == (
        3,
        4,
        5,
    )
    by_day = {point["day"]: point["count"] for point in activations["by_day"]}
    assert len(activations["by_day"]) == 30
    assert activations["by_day"][-1]["day"] == TODAY.isoformat()
    assert (by_day[day(0).isoformat()], by_day[day(3).isoformat()]) == (3, 1)
    assert by_day[day(10).isoformat()] == 1
    assert sum(by_day.values()) == 5
    assert [(m["model_code"], m["count"]) for m in activations["by_model"]] == [
        ("AC-9", 3),
        ("LOCK-1", 2),
    ]
    assert activations["by_model"][0]["name"] == "Máy lạnh Inverter AC-9"
    assert {c["channel"]: c["count"] for c in activations["by_channel"]} == {
        "web": 3,
        "sms": 1,
        "zalo": 1,
    }
    # and the confirmation's step still queued its messages
    assert NotificationRecord.count() == 5


def test_a_redelivered_batch_counts_once(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    activate("SN-1")
    activate("SN-2")
    records = units_stream.new_records()

    # When the first record is delivered alone, then the whole batch twice (Lambda's retry of a
    # failed batch, from the first record)
    first = deliver("on_unit_change", records[:1])
    again = [deliver("on_unit_change", records) for _ in range(2)]

    assert first == again[0] == again[1] == {"batchItemFailures": []}
    activations = dashboard(api, staff("admin"))["activations"]
    assert (activations["today"], activations["by_channel"]) == (
        2,
        [{"channel": "web", "count": 2}],
    )


def test_changes_that_are_not_activations_count_nothing(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    activate("SN-1")
    deliver("on_unit_change", units_stream.new_records())
    # a later change of an activated unit, a shipment, a removal, a new registration
    UnitRecord("SN-1").update(actions=[UnitRecord.batch.set("B-2")])
    UnitRecord("SN-2").update(actions=[UnitRecord.status.set("shipped")])
    UnitRecord("SN-3").delete()
    seed.units(["SN-9"])

    result = deliver("on_unit_change", units_stream.new_records())

    assert result == {"batchItemFailures": []}
    assert dashboard(api, staff("admin"))["activations"]["last_30_days"] == 1


def test_a_failed_counting_step_is_reported_and_retried_without_disturbing_the_confirmation(
    api: Api, staff: StaffTokens, units_stream: StreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    activate("SN-1")
    activate("SN-2")
    records = units_stream.new_records()

    def unavailable(self: RollupRepository, events: Any, *, now: datetime) -> int:
        raise RuntimeError("rollups table unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(RollupRepository, "count", unavailable)
        failed = deliver("on_unit_change", records)

    # Then the batch is reported from its first record, the confirmations are queued anyway
    assert failed_sequence_numbers(failed) == [records[0]["dynamodb"]["SequenceNumber"]]
    assert NotificationRecord.count() == 2
    # and Lambda's retry counts both, once, and queues no second confirmation
    assert deliver("on_unit_change", records) == {"batchItemFailures": []}
    assert dashboard(api, staff("admin"))["activations"]["today"] == 2
    assert NotificationRecord.count() == 2


def test_a_batch_larger_than_one_transaction_is_counted_in_chunks(aws: Emulator) -> None:
    # Given 150 events over 3 days (more than a transaction's 100 items), 20 seen before
    repository = RollupRepository("demo")
    events = [
        CountedEvent(f"ev-{n}", day(n % 3), ("activations", "activations#channel#web"))
        for n in range(150)
    ]
    assert repository.count(events[:20], now=NOW) == 20

    counted = repository.count(events, now=NOW)

    assert counted == 130
    days = repository.days([day(0), day(1), day(2), day(3)])
    assert [days[day(n)].get("activations", 0) for n in range(4)] == [50, 50, 50, 0]
    assert days[day(0)]["activations#channel#web"] == 50


def notification(message_id: str) -> None:
    message = new_message(
        "activation_confirmed",
        business_key=(message_id,),
        brand_id="demo",
        phone=f.PHONE,
        language="vi",
        fields={
            "customer_name": "Nguyễn Văn An",
            "model": "Máy lạnh Inverter AC-9",
            "serial": "SN-1",
            "warranty_end": "20/03/2027",
            "certificate_url": "http://portal.test/c/T",
            "hotline": "1800 6868",
        },
        subject="SN-1",
        now=NOW,
        pepper=f.PEPPER,
    )
    NotificationRepository().add(message)


def settle(message_id: str, status: str, channel: str) -> None:
    at_field = (
        NotificationRecord.delivered_at if status == "delivered" else NotificationRecord.failed_at
    )
    NotificationRecord(message_id).update(
        actions=[
            NotificationRecord.status.set(status),
            NotificationRecord.channel.set(channel),
            at_field.set(NOW),
            NotificationRecord.updated_at.set(NOW),
        ]
    )


def message_ids() -> list[str]:
    return [r.message_id for r in NotificationRecord.scan()]


def test_messages_delivered_and_failed_today_are_counted_through_the_notifications_stream(
    aws: Emulator, api: Api, staff: StaffTokens
) -> None:
    for key in ("m1", "m2", "m3", "m4"):
        notification(key)
    reader = StreamReader(aws, NotificationRecord.Meta.table_name)
    reader.new_records()  # the INSERTs (queued): the sender's, not counted
    first, second, third, fourth = sorted(message_ids())
    settle(first, "delivered", "zns")
    settle(second, "delivered", "sms")
    settle(third, "failed", "sms")
    settle(fourth, "failed", "")  # expired before any channel was tried
    RateLimitRecord(spend_bucket("demo", TODAY)).update(actions=[RateLimitRecord.hits.add(1300)])
    records = reader.new_records()

    results = [deliver("on_notification_change", records) for _ in range(2)]  # and redelivered

    assert results == [{"batchItemFailures": []}] * 2
    body = dashboard(api, staff("accountant"))
    assert body["messages_today"] == {
        "delivered": 2,
        "failed": 2,
        "by_channel": [
            {"channel": "none", "delivered": 0, "failed": 1},
            {"channel": "sms", "delivered": 1, "failed": 1},
            {"channel": "zns", "delivered": 1, "failed": 0},
        ],
    }
    assert body["spend_today"] == {"spent_vnd": "1300", "cap_vnd": None}
    assert body["activations"]["last_30_days"] == 0
    assert body["label_jobs"] == {"active": 0, "jobs": []}


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("cs", 200), ("director", 200), ("accountant", 200), ("technician", 403)],
)
def test_the_dashboard_is_for_the_roles_that_watch_the_business(
    api: Api, staff: StaffTokens, role: str, status: int
) -> None:
    response = api.get("/dashboard", token=staff(role))

    assert response.status_code == status
    if status == 403:
        assert error_code(response) == "role_not_allowed"


def test_the_dashboard_needs_a_staff_token(api: Api, aws: Emulator) -> None:
    response = api.get("/dashboard")

    assert response.status_code == 401


@pytest.fixture
def dynamodb_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Every DynamoDB call this process makes, by operation (boto3 and PynamoDB alike)."""
    calls: Counter[str] = Counter()
    original = BaseClient._make_api_call

    def counted(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            calls[operation] += 1
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    yield calls


def reads_of_one_dashboard(api: Api, token: str, calls: Counter[str]) -> Counter[str]:
    dashboard(api, token)  # warm: the model cache, the messaging settings
    before = Counter(calls)
    dashboard(api, token)
    return calls - before


def test_the_dashboard_s_reads_do_not_grow_with_the_units(
    api: Api, staff: StaffTokens, units_stream: StreamReader, dynamodb_calls: Counter[str]
) -> None:
    token = staff("director")
    activate("SN-1")
    deliver("on_unit_change", units_stream.new_records())
    few = reads_of_one_dashboard(api, token, dynamodb_calls)

    # When 200 more units are registered and 30 of them activated, one a day
    seed.units([f"MORE-{n}" for n in range(200)])
    for n in range(30):
        activate(f"MORE-{n}", "sms", days_ago=n)
    deliver("on_unit_change", units_stream.new_records())
    many = reads_of_one_dashboard(api, token, dynamodb_calls)

    assert dashboard(api, token)["activations"]["last_30_days"] == 31
    assert many == few
    assert few == Counter({"BatchGetItem": 1, "GetItem": 1, "Query": 1})


def test_roll_up_items_are_day_counters_and_expiring_markers(
    units_stream: StreamReader,
) -> None:
    activate("SN-1")
    records = units_stream.new_records()

    deliver("on_unit_change", records)

    items = {r.counter_key: r for r in RollupRecord.scan()}
    assert set(items) == {f"demo#day#{TODAY.isoformat()}", f"demo#counted#{records[0]['eventID']}"}
    marker = items[f"demo#counted#{records[0]['eventID']}"]
    assert marker.expires is not None and marker.expires > NOW + timedelta(hours=24)


def test_the_rebuild_replaces_every_day_by_what_the_units_and_the_outbox_say(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    from devstack.rollups import rebuild_rollups

    # Given counters the stream kept for two activations, and a day that drifted
    activate("SN-1", "web")
    activate("SN-2", "sms", days_ago=4)
    deliver("on_unit_change", units_stream.new_records())
    drifted = RollupRepository("demo")
    drifted.count([CountedEvent("ghost", day(2), ("activations",))], now=NOW)
    # and an activation the stream never counted (before the dashboard existed)
    activate("LK-1", "zalo", days_ago=9)
    for confirmation in message_ids():
        settle(confirmation, "delivered", "zns")

    days = rebuild_rollups()

    activations = dashboard(api, staff("admin"))["activations"]
    by_day = {point["day"]: point["count"] for point in activations["by_day"]}
    assert (by_day[day(0).isoformat()], by_day[day(4).isoformat()]) == (1, 1)
    assert (by_day[day(9).isoformat()], by_day[day(2).isoformat()]) == (1, 0)
    assert activations["last_30_days"] == 3
    assert {c["channel"]: c["count"] for c in activations["by_channel"]} == {
        "web": 1,
        "sms": 1,
        "zalo": 1,
    }
    assert days[TODAY]["messages#delivered#zns"] == 2  # the two confirmations queued above
    assert day(2) not in days and drifted.days([day(2)]) == {day(2): {}}
