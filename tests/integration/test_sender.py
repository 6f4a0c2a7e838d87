"""The sender against the emulator's DynamoDB and SQS and fake Zalo and eSMS servers over real
HTTP: one provider call per message, fallback, night window, spend cap, ambiguous timeouts,
retries, the sweep (issue 3; docs/reference/reliability.md#exactly-once-notifications,
zalo.md#zns-error-codes, figures.md)."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import urllib3

from chalicelib.core.settings import get_settings
from chalicelib.messaging import sender
from chalicelib.messaging.alerts import SqsAlerts
from chalicelib.messaging.breaker import CircuitBreaker
from chalicelib.messaging.config import BrandMessaging, parse_messaging_config
from chalicelib.messaging.delivery_reports import EsmsStatusChecker
from chalicelib.messaging.providers.esms import EsmsSender
from chalicelib.messaging.providers.http import new_pool
from chalicelib.messaging.providers.zns import TokenPair, ZnsSender, refresh_access_token
from chalicelib.messaging.token_repository import ZaloTokenStore
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import DeliveryState, OutboundMessage, Urgency, spend_bucket
from chalicelib.outbox.repository import NotificationRepository
from devstack.fakes.settings import fake_messaging_document
from devstack.fakes.sms import FakeEsms, running_fake_esms
from devstack.fakes.zalo import FakeZalo, running_fake_zalo
from tests.support import factories as f
from tests.support.aws import Emulator
from tests.support.timeouts import PATIENT, SHORT, SLOW_ANSWER

ICT = timedelta(hours=7)
DAY = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
NIGHT = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 23:00 in Hanoi
S = DeliveryState


@dataclass
class Rig:
    zalo: FakeZalo
    esms: FakeEsms
    outbox: NotificationRepository
    aws: Emulator
    brand: BrandMessaging
    zns: ZnsSender
    sms: EsmsSender
    tokens: ZaloTokenStore
    pool: urllib3.PoolManager

    def context(
        self, *, brand: BrandMessaging | None = None, sms: bool = True
    ) -> sender.SenderContext:
        return sender.SenderContext(
            outbox=self.outbox,
            channels=sender.Channels(zns=self.zns, sms=self.sms if sms else None),
            brand=brand or self.brand,
            alerts=SqsAlerts(get_settings().delivery_failures_queue, self.aws.sqs),
            jitter=lambda ceiling: ceiling,
        )

    def queue(
        self,
        kind: str = "activation_confirmed",
        *,
        now: datetime = DAY,
        key: str = "1",
        phone: str = "+84912345678",
        expires_at: datetime | None = None,
    ) -> OutboundMessage:
        fields = (
            {"code": "123456"}
            if kind == "lookup_code"
            else {
                "customer_name": "Nguyễn Thị Hoàng Anh",
                "model": "Máy lạnh Inverter AC-9",
                "serial": "GAR00000017W",
                "warranty_end": "20/03/2027",
                "certificate_url": "http://portal.test/c/T",
                "hotline": "1800 6868",
            }
        )
        message = new_message(
            kind,
            business_key=(key,),
            brand_id="demo",
            phone=phone,
            language="vi",
            fields=fields,
            subject="GAR00000017W",
            now=now,
            pepper=f.PEPPER,
            expires_at=expires_at,
        )
        assert self.outbox.add(message)
        return message

    def send(self, message_id: str, *, now: datetime = DAY, **context: Any) -> str:
        return sender.send_queued(
            self.outbox.get(message_id), now=now, context=self.context(**context)
        )

    def alerts(self) -> list[dict[str, Any]]:
        url = self.aws.sqs.get_queue_url(QueueName=get_settings().delivery_failures_queue)
        received = self.aws.sqs.receive_message(
            QueueUrl=url["QueueUrl"], MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        return [json.loads(m["Body"]) for m in received.get("Messages", [])]


def brand_config(zalo_url: str, esms_url: str, **extra: Any) -> BrandMessaging:
    document = fake_messaging_document(zalo_url, esms_url, **extra)
    return parse_messaging_config(json.dumps(document)).brand("demo")


@pytest.fixture
def rig(aws: Emulator) -> Iterator[Rig]:
    with running_fake_zalo() as zalo, running_fake_esms() as esms:
        brand = brand_config(zalo.url, esms.url)
        pool = new_pool()
        store = ZaloTokenStore(
            "zalo#oa-1",
            lambda token: refresh_access_token(pool, "app-1", "secret-1", token, zalo.url),
        )
        store.seed(TokenPair("at-0", "rt-0", 90000))
        zns = ZnsSender(store, pool, base_url=zalo.url, timeout=PATIENT)
        sms = EsmsSender(
            api_key="esms-key",
            secret_key="esms-secret",
            brandname="Baotrixemay",
            base_url=esms.url,
            pool=pool,
            timeout=PATIENT,
        )
        yield Rig(zalo, esms, NotificationRepository(), aws, brand, zns, sms, store, pool)


def test_happy_path_is_one_zns_call_with_the_mapped_template_data(rig: Rig) -> None:
    message = rig.queue()

    outcome = rig.send(message.message_id)

    assert outcome == "accepted"
    [call] = rig.zalo.sends()
    body = call.json()
    assert body["tracking_id"] == message.message_id
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "7895417a7d3f9461cd2e"
    assert body["template_data"] == {
        "customer": "Nguyễn Thị Hoàng Anh",
        "product": "Máy lạnh Inverter AC-9",
        "serial": "GAR00000017W",
        "warranty_end": "20/03/2027",
    }
    stored = rig.outbox.get(message.message_id)
    assert (stored.status, stored.channel, stored.provider) == (S.ACCEPTED, "zns", "zns")
    assert stored.provider_message_id and stored.attempts == 1
    assert stored.cost == Decimal(300) and not stored.cost_reported
    assert rig.outbox.find_by_provider_ref("zns", stored.provider_message_id) == message.message_id
    assert rig.outbox.spent(spend_bucket("demo", (DAY + ICT).date())) == Decimal(300)
    assert [e.state for e in stored.events] == ["sending", "accepted"]
    assert rig.esms.sends() == []


def test_the_same_queued_message_twice_or_at_once_makes_one_provider_call(rig: Rig) -> None:
    message = rig.queue()
    snapshot = rig.outbox.get(message.message_id)  # what every redelivered stream record holds
    outcomes: list[str] = []

    def send() -> None:
        outcomes.append(sender.send_queued(snapshot, now=DAY, context=rig.context()))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    again = sender.send_queued(snapshot, now=DAY, context=rig.context())

    assert len(rig.zalo.sends()) == 1
    assert sorted(outcomes) == ["accepted"] + ["taken"] * 5
    assert again == "taken"
    assert rig.outbox.get(message.message_id).attempts == 1


def test_no_zalo_account_falls_back_to_one_sms_in_ascii(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-118)
    message = rig.queue()

    first = rig.send(message.message_id)
    requeued = rig.outbox.get(message.message_id)
    second = rig.send(message.message_id)  # what the stream does with the MODIFY into queued

    assert (first, requeued.status, requeued.channel) == ("queued", S.QUEUED, "sms")
    assert requeued.reason == "zns_recipient_unreachable_fallback_sms"
    assert second == "accepted"
    [sms] = rig.esms.sends()
    assert sms.json["Phone"] == "0912345678"
    assert sms.json["RequestId"] == message.message_id
    assert sms.json["Content"].startswith("May lanh Inverter AC-9 (serial GAR00000017W) da duoc")
    stored = rig.outbox.get(message.message_id)
    assert (stored.status, stored.channel, stored.provider) == (S.ACCEPTED, "sms", "esms")
    assert stored.cost == Decimal(850)
    assert [e.state for e in stored.events] == ["sending", "queued", "sending", "accepted"]
    assert len(rig.zalo.sends()) == 1


def test_a_normal_message_at_night_waits_for_six_and_is_sent_by_the_sweep(rig: Rig) -> None:
    message = rig.queue(now=NIGHT)

    outcome = rig.send(message.message_id, now=NIGHT)
    scheduled = rig.outbox.get(message.message_id)
    early = sender.sweep(
        now=NIGHT + timedelta(hours=6), outbox=rig.outbox, alerts=rig.context().alerts
    )
    due = sender.sweep(
        now=NIGHT + timedelta(hours=7), outbox=rig.outbox, alerts=rig.context().alerts
    )

    assert outcome == "scheduled"
    assert scheduled.send_after == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 06:00 ICT
    assert scheduled.channel == "zns"
    assert (early.queued, due.queued) == (0, 1)
    assert rig.outbox.get(message.message_id).status is S.QUEUED
    assert rig.zalo.sends() == [] and rig.esms.sends() == []


def test_an_otp_at_night_goes_by_sms_at_once(rig: Rig) -> None:
    message = rig.queue("lookup_code", now=NIGHT, expires_at=NIGHT + timedelta(minutes=10))

    outcome = rig.send(message.message_id, now=NIGHT)

    assert outcome == "accepted"
    assert rig.zalo.sends() == []
    [sms] = rig.esms.sends()
    assert "123456" in sms.json["Content"]
    assert message.urgency is Urgency.URGENT


def test_zns_night_ban_reschedules_a_normal_message_to_six(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-133)
    message = rig.queue()

    outcome = rig.send(message.message_id)

    stored = rig.outbox.get(message.message_id)
    assert outcome == "scheduled"
    assert stored.reason == "night_window_rescheduled"
    assert stored.send_after == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)


def test_an_expired_code_is_never_sent(rig: Rig) -> None:
    message = rig.queue("lookup_code", expires_at=DAY - timedelta(seconds=1))

    outcome = rig.send(message.message_id)

    assert outcome == "expired"
    assert rig.outbox.get(message.message_id).status is S.FAILED
    assert rig.zalo.sends() == [] and rig.esms.sends() == []


def test_a_rejected_token_is_refreshed_once_and_the_send_retried_once(rig: Rig) -> None:
    rig.zalo.access_token = "at-rotated-by-zalo"  # Zalo says the stored token is invalid (-124)

    outcome = rig.send(rig.queue().message_id)

    assert outcome == "accepted"
    assert len(rig.zalo.refreshes()) == 1
    first, second = (s.headers["access_token"] for s in rig.zalo.sends())
    assert first == "at-0"
    assert second == rig.zalo.access_token != "at-0"  # the refreshed one


def test_a_token_rejected_twice_falls_back_to_sms_and_alerts(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-124, -124)
    message = rig.queue()

    outcome = rig.send(message.message_id)

    assert outcome == "queued"
    assert len(rig.zalo.refreshes()) == 1
    assert len(rig.zalo.sends()) == 2
    assert rig.outbox.get(message.message_id).channel == "sms"
    assert rig.alerts() == [
        {
            "message_id": message.message_id,
            "reason": "zns_token_invalid_fallback_sms",
            "state": "queued",
        }
    ]


def test_zns_timeout_after_accept_is_unknown_and_never_resent(rig: Rig) -> None:
    rig.zalo.latency = SLOW_ANSWER  # longer than the sender's read timeout: Zalo got the body
    rig.zns = ZnsSender(rig.tokens, rig.pool, base_url=rig.zalo.url, timeout=SHORT)
    message = rig.queue()

    outcome = rig.send(message.message_id)
    rig.zalo.latency = 0.0
    again = rig.send(message.message_id)
    swept = sender.sweep(
        now=DAY + timedelta(hours=1), outbox=rig.outbox, alerts=rig.context().alerts
    )

    assert (outcome, again) == ("unknown", "not_queued")
    assert len(rig.zalo.sends()) == 1
    assert rig.esms.sends() == []
    assert (swept.queued, swept.resent, swept.unknown) == (0, 0, 0)
    assert rig.outbox.get(message.message_id).status is S.UNKNOWN


def test_esms_reset_after_the_body_is_resent_with_the_same_request_id(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-118)
    message = rig.queue()
    rig.send(message.message_id)  # → queued on SMS
    rig.esms.close_after_body = True

    ambiguous = rig.send(message.message_id)
    rig.esms.close_after_body = False
    stored = rig.outbox.get(message.message_id)
    sender.sweep(now=stored.send_after or DAY, outbox=rig.outbox, alerts=rig.context().alerts)
    resent = rig.send(message.message_id, now=stored.send_after or DAY)

    assert ambiguous == "scheduled"
    assert stored.reason == "ambiguous_resend_deduplicated"
    assert resent == "accepted"
    request_ids = [s.json["RequestId"] for s in rig.esms.sends()]
    assert request_ids == [message.message_id, message.message_id]
    assert len(rig.esms.sent) == 1  # eSMS de-duplicated the RequestId: one SMS left its gateway


def test_transient_errors_retry_with_backoff_then_fail_with_an_alert(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-100, -100, -100)
    message = rig.queue()
    now = DAY
    outcomes = []
    for _ in range(3):
        outcomes.append(rig.send(message.message_id, now=now))
        stored = rig.outbox.get(message.message_id)
        if stored.status is S.SCHEDULED:
            assert stored.send_after is not None
            now = stored.send_after
            sender.sweep(now=now, outbox=rig.outbox, alerts=rig.context().alerts)

    assert outcomes == ["scheduled", "scheduled", "failed"]
    assert len(rig.zalo.sends()) == 3
    assert rig.outbox.get(message.message_id).reason == "transient_retries_exhausted"
    assert [a["reason"] for a in rig.alerts()] == ["transient_retries_exhausted"]


def test_zns_daily_quota_waits_for_tomorrow_but_an_otp_goes_by_sms(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-144, -144)
    normal = rig.queue()
    otp = rig.queue("lookup_code", key="otp", expires_at=DAY + timedelta(minutes=10))

    normal_outcome = rig.send(normal.message_id)
    otp_first = rig.send(otp.message_id)
    otp_second = rig.send(otp.message_id)

    assert normal_outcome == "scheduled"
    assert rig.outbox.get(normal.message_id).send_after == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert (otp_first, otp_second) == ("queued", "accepted")
    assert len(rig.esms.sends()) == 1


def test_the_daily_spend_cap_queues_normal_messages_and_stops_otps(rig: Rig) -> None:
    brand = brand_config(rig.zalo.url, rig.esms.url, daily_spend_cap_vnd="500")
    first, second, third = (rig.queue(key=str(i)) for i in range(3))
    otp = rig.queue("lookup_code", key="otp", expires_at=DAY + timedelta(minutes=10))

    outcomes = [rig.send(m.message_id, brand=brand) for m in (first, second, third, otp)]

    assert outcomes == ["accepted", "accepted", "over_cap", "over_cap"]
    assert len(rig.zalo.sends()) == 2 and rig.esms.sends() == []
    assert rig.outbox.spent(spend_bucket("demo", (DAY + ICT).date())) == Decimal(600)
    assert rig.outbox.get(third.message_id).status is S.SCHEDULED
    assert rig.outbox.get(third.message_id).send_after == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert rig.outbox.get(otp.message_id).status is S.FAILED
    assert [a["reason"] for a in rig.alerts()] == ["spend_cap_reached"]


def test_a_sender_that_died_mid_send_leaves_unknown_for_zns_and_a_resend_for_esms(rig: Rig) -> None:
    zns_message = rig.queue(key="zns")
    sms_message = rig.queue(key="sms")
    rig.outbox.claim(
        zns_message.message_id,
        channel="zns",
        provider="zns",
        owner="dead",
        now=DAY,
        lease=sender.LEASE,
    )
    rig.outbox.claim(
        sms_message.message_id,
        channel="sms",
        provider="esms",
        owner="dead",
        now=DAY,
        lease=sender.LEASE,
    )

    before = sender.sweep(
        now=DAY + timedelta(seconds=30), outbox=rig.outbox, alerts=rig.context().alerts
    )
    after = sender.sweep(
        now=DAY + timedelta(minutes=2), outbox=rig.outbox, alerts=rig.context().alerts
    )

    assert (before.unknown, before.resent) == (0, 0)
    assert (after.unknown, after.resent) == (1, 1)
    assert rig.outbox.get(zns_message.message_id).status is S.UNKNOWN
    assert rig.outbox.get(sms_message.message_id).status is S.QUEUED
    assert [a["reason"] for a in rig.alerts()] == ["lease_expired"]


def test_no_sms_provider_means_an_otp_at_night_fails_with_an_alert(rig: Rig) -> None:
    message = rig.queue("lookup_code", now=NIGHT, expires_at=NIGHT + timedelta(minutes=10))

    outcome = rig.send(message.message_id, now=NIGHT, sms=False)

    assert outcome == "no_provider"
    assert rig.outbox.get(message.message_id).status is S.FAILED
    assert [a["reason"] for a in rig.alerts()] == ["no_provider"]


def test_an_activation_reaches_fake_zalo_through_the_stream_handlers_and_settings(
    rig: Rig, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiring: the messaging parameter in SSM names the providers; the units stream queues
    the confirmation; the notifications stream sends it, then sends the SMS fallback."""
    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.messaging import events as notification_changes
    from chalicelib.outbox.tables import NotificationRecord
    from devstack.provision import messaging_config, put_messaging
    from tests.support import seed
    from tests.support.aws import clear_app_caches
    from tests.support.streams import StreamReader, deliver

    brands = {"demo": json.loads(rig.brand.model_dump_json(exclude_none=True))}
    put_messaging(
        rig.aws.ssm,
        get_settings().messaging_parameter,
        messaging_config("http://127.0.0.1:9", "t" * 32, brands),
    )
    clear_app_caches()
    monkeypatch.setattr(notification_changes, "clock", lambda: DAY)
    seed.model("AC-9")
    seed.units(["SN-1"])
    units = StreamReader(rig.aws, UnitRecord.Meta.table_name)
    units.new_records()
    notifications = StreamReader(rig.aws, NotificationRecord.Meta.table_name)
    rig.zalo.fail_next_sends(-118)
    response = api.post(
        "/public/activations", json_body=f.activation_body(seed.token("SN-1"), language="vi")
    )
    assert response.status_code == 201

    deliver("on_unit_change", units.new_records())
    inserted = notifications.new_records()
    first = deliver("on_notification_change", inserted)  # ZNS answers -118
    requeued = notifications.new_records()
    second = deliver("on_notification_change", requeued)  # the SMS fallback
    settled = notifications.new_records()
    third = deliver("on_notification_change", settled)  # the sender's own writes only

    assert [r["eventName"] for r in inserted] == ["INSERT"]
    assert [r["eventName"] for r in requeued + settled] == ["MODIFY"] * 4
    assert first == second == third == {"batchItemFailures": []}
    assert len(rig.zalo.sends()) == 1
    [sms] = rig.esms.sends()
    assert "SN-1" in sms.json["Content"]
    assert sms.json["CallbackUrl"] == "http://127.0.0.1:9/hooks/esms/dlr/" + "t" * 32


def test_a_sent_lookup_code_leaves_no_code_in_the_outbox(rig: Rig) -> None:
    message = rig.queue("lookup_code", expires_at=DAY + timedelta(minutes=10))

    rig.send(message.message_id)

    stored = rig.outbox.get(message.message_id)
    assert stored.status is S.ACCEPTED
    assert "123456" not in stored.text and stored.fields == {}
    assert message.text != stored.text


def test_a_brand_without_the_night_window_sends_at_night(rig: Rig) -> None:
    brand = brand_config(rig.zalo.url, rig.esms.url, night_window=False)

    outcome = rig.send(rig.queue(now=NIGHT).message_id, now=NIGHT, brand=brand)

    assert outcome == "accepted"
    assert len(rig.zalo.sends()) == 1


def test_five_zalo_timeouts_open_the_breaker_and_the_next_messages_go_by_sms(rig: Rig) -> None:
    breaker = CircuitBreaker(threshold=5, open_for=timedelta(seconds=60))
    context = dataclasses.replace(rig.context(), zns_breaker=breaker)
    rig.zalo.fail_next_sends(-100, -100, -100, -100, -100)
    failing = [rig.queue(key=f"f{i}") for i in range(5)]
    for message in failing:
        sender.send_queued(rig.outbox.get(message.message_id), now=DAY, context=context)
    opened = breaker.is_open(DAY)
    later = rig.queue(key="later")
    retried = failing[0]
    sender.sweep(now=DAY + timedelta(minutes=6), outbox=rig.outbox, alerts=context.alerts)

    new_outcome = sender.send_queued(rig.outbox.get(later.message_id), now=DAY, context=context)
    retry_outcome = sender.send_queued(
        rig.outbox.get(retried.message_id), now=DAY + timedelta(seconds=30), context=context
    )
    after = sender.send_queued(
        rig.outbox.get(rig.queue(key="after").message_id),
        now=DAY + timedelta(seconds=61),
        context=context,
    )

    assert opened and not breaker.is_open(DAY)  # the trial after 60 s closed it
    assert (new_outcome, retry_outcome, after) == ("accepted", "accepted", "accepted")
    assert rig.outbox.get(later.message_id).channel == "sms"
    assert rig.outbox.get(retried.message_id).channel == "sms"
    assert rig.outbox.get(retried.message_id).channel_attempts == 1
    assert len(rig.zalo.sends()) == 6  # five failures, then the trial after 60 s
    assert len(rig.esms.sends()) == 2


def test_an_sms_whose_report_never_came_is_settled_through_the_status_api(rig: Rig) -> None:
    rig.zalo.fail_next_sends(-118)
    message = rig.queue()
    rig.send(message.message_id)
    rig.send(message.message_id)  # accepted by eSMS; its delivery report is lost
    stored = rig.outbox.get(message.message_id)
    assert stored.provider_message_id is not None
    rig.esms.know_sms(stored.provider_message_id, send_status=7, success=0)  # not final yet
    checker = EsmsStatusChecker(rig.sms)
    alerts = rig.context().alerts

    early = sender.sweep(
        now=DAY + timedelta(minutes=5), outbox=rig.outbox, alerts=alerts, checker=checker
    )
    pending = sender.sweep(
        now=DAY + timedelta(minutes=16), outbox=rig.outbox, alerts=alerts, checker=checker
    )
    rig.esms.know_sms(stored.provider_message_id, total_price="1700.0000")
    too_soon = sender.sweep(
        now=DAY + timedelta(minutes=20), outbox=rig.outbox, alerts=alerts, checker=checker
    )
    settled = sender.sweep(
        now=DAY + timedelta(minutes=47), outbox=rig.outbox, alerts=alerts, checker=checker
    )

    assert [r.reconciled for r in (early, pending, too_soon, settled)] == [0, 0, 0, 1]
    assert len(rig.esms.status_requests()) == 2
    done = rig.outbox.get(message.message_id)
    assert (done.status, done.cost, done.cost_reported) == (S.DELIVERED, Decimal(1700), True)
    assert rig.outbox.spent(spend_bucket("demo", (DAY + ICT).date())) == Decimal(1700)
    assert rig.outbox.due(S.ACCEPTED, DAY + timedelta(days=2)) == []
    assert done.events[-1].reason == "status_api"  # the log says who settled it, not a DLR
