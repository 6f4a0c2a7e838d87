"""Stream handlers, fed the emulator's real stream records (converted as Lambda delivers them)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.catalog.tables import UnitRecord
from chalicelib.core.phone import phone_key
from chalicelib.outbox.compose import format_day
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import Emulator, clear_app_caches
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers

EVENTS = Path(__file__).parent / "events"
PHONE, E164 = "0912345678", "+84912345678"


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    """The units stream, positioned after the registration of unit SN-1 (model AC-9)."""
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


@pytest.fixture
def notifications_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, NotificationRecord.Meta.table_name)


def outbox(e164: str = E164) -> list[Any]:
    return NotificationRepository().list_for_recipient(phone_key(f.PEPPER, e164), datetime.now(UTC))


def activate(api: Api, serial: str, language: str = "vi") -> dict[str, Any]:
    response = api.post(
        "/public/activations", json_body=f.activation_body(seed.token(serial), language=language)
    )
    assert response.status_code == 201, response.body
    body: dict[str, Any] = response.json_body
    return body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_activation_queues_one_confirmation_in_the_customer_s_language(
    api: Api, units_stream: StreamReader, language: str
) -> None:
    activation = activate(api, "SN-1", language)
    records = units_stream.new_records()

    result = deliver("on_unit_change", records)

    assert [r["eventName"] for r in records] == ["MODIFY"]
    assert result == {"batchItemFailures": []}
    [message] = outbox()
    assert (message.template, message.language, message.status.value) == (
        "activation_confirmed",
        language,
        "queued",
    )
    warranty_end = datetime.fromisoformat(activation["warranty_end"]).date()
    for part in (
        "SN-1",
        "Máy lạnh Inverter AC-9",
        format_day(warranty_end, language),
        "1800 6868",
        f"http://portal.test/c/{seed.token('SN-1')}",
    ):
        assert part in message.text


def test_the_same_record_delivered_twice_queues_one_message(
    api: Api, units_stream: StreamReader
) -> None:
    activate(api, "SN-1")
    records = units_stream.new_records()

    first = deliver("on_unit_change", records)
    second = deliver("on_unit_change", records)

    assert first == second == {"batchItemFailures": []}
    assert len(outbox()) == 1


def test_registering_a_unit_queues_no_message(aws: Emulator) -> None:
    seed.model("AC-9")
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    seed.units(["SN-9"])
    records = reader.new_records()

    result = deliver("on_unit_change", records)

    assert [r["eventName"] for r in records] == ["INSERT"]
    assert result == {"batchItemFailures": []}
    assert NotificationRecord.count() == 0


def test_a_change_that_is_not_an_activation_queues_no_message(
    units_stream: StreamReader,
) -> None:
    UnitRecord("SN-1").update(actions=[UnitRecord.status.set("shipped")])
    UnitRecord("SN-2").delete()

    result = deliver("on_unit_change", units_stream.new_records())

    assert result == {"batchItemFailures": []}
    assert NotificationRecord.count() == 0


def test_queued_message_is_delivered_once_through_the_dev_inbox(
    api: Api, units_stream: StreamReader, notifications_stream: StreamReader
) -> None:
    activate(api, "SN-1")
    deliver("on_unit_change", units_stream.new_records())
    records = notifications_stream.new_records()

    first = deliver("on_notification_change", records)
    again = deliver("on_notification_change", records)

    assert [r["eventName"] for r in records] == ["INSERT"]
    assert first == again == {"batchItemFailures": []}
    [message] = outbox()
    assert (message.status.value, message.provider, message.attempts) == (
        "delivered",
        "dev_inbox",
        1,
    )
    inbox = api.get(f"/dev/inbox?phone={PHONE}")
    assert inbox.status_code == 200
    [shown] = inbox.json_body["messages"]
    assert (shown["template"], shown["status"], shown["provider"]) == (
        "activation_confirmed",
        "delivered",
        "dev_inbox",
    )
    assert shown["delivered_at"] is not None


def test_delivery_changes_trigger_no_second_delivery(
    api: Api, units_stream: StreamReader, notifications_stream: StreamReader
) -> None:
    activate(api, "SN-1")
    deliver("on_unit_change", units_stream.new_records())
    deliver("on_notification_change", notifications_stream.new_records())
    modify = notifications_stream.new_records()

    result = deliver("on_notification_change", modify)

    # the sender's own writes (claim, then the outcome) come back as MODIFYs and send nothing
    assert [r["eventName"] for r in modify] == ["MODIFY", "MODIFY"]
    assert result == {"batchItemFailures": []}
    assert outbox()[0].attempts == 1
    assert outbox()[0].status.value == "delivered"


def test_lookup_code_is_read_in_the_dev_inbox_and_verifies(
    api: Api, notifications_stream: StreamReader
) -> None:
    assert api.post("/public/otp", json_body={"phone": PHONE}).status_code == 202
    deliver("on_notification_change", notifications_stream.new_records())

    inbox = api.get(f"/dev/inbox?phone=%2B84{PHONE[1:]}")
    [message] = inbox.json_body["messages"]
    match = re.search(r"\b(\d{6})\b", message["text"])
    assert match is not None
    verified = api.post("/public/otp/verify", json_body={"phone": PHONE, "code": match.group(1)})

    assert (message["template"], message["status"]) == ("lookup_code", "delivered")
    assert verified.status_code == 200


def test_batch_with_one_malformed_record_reports_exactly_that_record(
    api: Api, units_stream: StreamReader
) -> None:
    activate(api, "SN-1")
    [first] = units_stream.new_records()
    activate(api, "SN-2")
    [second] = units_stream.new_records()
    malformed = json.loads((EVENTS / "unit_record_with_malformed_image.json").read_text("utf-8"))
    malformed["eventSourceARN"] = first["eventSourceARN"]

    result = deliver("on_unit_change", [first, malformed, second])

    assert failed_sequence_numbers(result) == [malformed["dynamodb"]["SequenceNumber"]]
    assert sorted(m.subject for m in outbox()) == ["SN-1", "SN-2"]


def test_dev_inbox_is_not_found_outside_the_local_stage(
    api: Api, aws: Emulator, stage: pytest.MonkeyPatch
) -> None:
    stage.setenv("GARANTI_STAGE", "dev")
    clear_app_caches()

    response = api.get(f"/dev/inbox?phone={PHONE}")

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_dev_inbox_requires_a_valid_phone(api: Api) -> None:
    response = api.get("/dev/inbox?phone=02838123456")

    assert (response.status_code, error_code(response)) == (400, "phone_not_mobile")


def test_a_queued_message_whose_record_was_lost_is_sent_once_after_the_sweep_s_redrive(
    api: Api, units_stream: StreamReader, notifications_stream: StreamReader
) -> None:
    from datetime import timedelta

    from chalicelib.messaging import sender
    from chalicelib.outbox.model import REDRIVE_AFTER

    # Given a confirmation queued whose stream record never reached the sender (a lost record)
    activate(api, "SN-1")
    deliver("on_unit_change", units_stream.new_records())
    notifications_stream.new_records()
    [message] = outbox()
    repository = NotificationRepository()
    alerts = _NoAlerts()
    # When the sweep runs before, then after REDRIVE_AFTER
    early = sender.sweep(
        now=message.created_at + REDRIVE_AFTER - timedelta(seconds=1),
        outbox=repository,
        alerts=alerts,
    )
    late = sender.sweep(
        now=message.created_at + REDRIVE_AFTER + timedelta(seconds=1),
        outbox=repository,
        alerts=alerts,
    )
    touch = notifications_stream.new_records()
    first = deliver("on_notification_change", touch)
    again = deliver("on_notification_change", touch)
    # Then only the late sweep re-drives it; the touch is a MODIFY queued → queued that the
    # sender acts on, once, however often it is delivered
    assert (early.redriven, late.redriven) == (0, 1)
    assert [r["eventName"] for r in touch] == ["MODIFY"]
    assert first == again == {"batchItemFailures": []}
    [sent] = outbox()
    assert (sent.status.value, sent.attempts) == ("delivered", 1)
    assert [e.reason for e in sent.events if e.state == "queued"][-1:] == ["redriven"]


class _NoAlerts:
    def alert(self, message_id: str, reason: str, state: str) -> None:
        raise AssertionError(f"no alert expected: {message_id} {reason} {state}")
