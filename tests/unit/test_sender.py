"""The sender and the sweep on in-memory ports: one provider call per message, the fallback,
the night window, retries, ambiguous answers, the spend cap, leases and the status API
(docs/architecture.md "Notifications"). The same rules over DynamoDB and real HTTP:
tests/integration/test_sender.py."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.messaging import sender
from chalicelib.messaging.config import BrandMessaging
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import SendRequest
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import (
    REDRIVE_AFTER,
    ClaimOutcome,
    DeliveryState,
    OutboundMessage,
    Outcome,
    spend_bucket,
)
from devstack.fakes.settings import fake_brand_settings
from tests.support import factories as f
from tests.support.memory import (
    FakeOutbox,
    FakeStatusChecker,
    IllegalTransition,
    RecordingAlerts,
    ScriptedSender,
)

DAY = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
NIGHT = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 23:00 in Hanoi
SIX_NEXT_MORNING = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 06:00 ICT on the 24th
TODAY = spend_bucket("demo", datetime(2026, 11, 23).date())
S = DeliveryState
ACTIVATION_FIELDS = {
    "customer_name": "Nguyễn Thị Hoàng Anh",
    "model": "Máy lạnh Inverter AC-9",
    "serial": "GAR00000017W",
    "warranty_end": "20/03/2027",
    "certificate_url": "http://portal.test/c/T",
    "hotline": "1800 6868",
}


def brand(**extra: Any) -> BrandMessaging:
    """ZNS and eSMS configured, 300/850 VND a message (the settings the devstack uses)."""
    return BrandMessaging.model_validate(
        fake_brand_settings("http://zalo.test", "http://esms.test", **extra)
    )


@dataclass
class Rig:
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    zns: ScriptedSender = field(default_factory=lambda: ScriptedSender("zns"))
    sms: ScriptedSender = field(default_factory=lambda: ScriptedSender("esms"))
    alerts: RecordingAlerts = field(default_factory=RecordingAlerts)
    settings: BrandMessaging = field(default_factory=brand)
    owners: itertools.count[int] = field(default_factory=itertools.count)

    def context(self, *, with_sms: bool = True) -> sender.SenderContext:
        return sender.SenderContext(
            outbox=self.outbox,
            channels=sender.Channels(zns=self.zns, sms=self.sms if with_sms else None),
            brand=self.settings,
            alerts=self.alerts,
            jitter=lambda ceiling: ceiling,
            new_owner=lambda: f"sender-{next(self.owners)}",
        )

    def queue(
        self,
        kind: str = "activation_confirmed",
        *,
        key: str = "1",
        now: datetime = DAY,
        expires_at: datetime | None = None,
    ) -> OutboundMessage:
        message = new_message(
            kind,
            business_key=(key,),
            brand_id="demo",
            phone="+84912345678",
            language="vi",
            fields={"code": "123456"} if kind == "lookup_code" else ACTIVATION_FIELDS,
            subject="GAR00000017W",
            now=now,
            pepper=f.PEPPER,
            expires_at=expires_at,
        )
        assert self.outbox.add(message)
        return message

    def send(self, message_id: str, *, now: datetime = DAY, **options: Any) -> str:
        """What the notifications stream does with the message as it now stands."""
        return sender.send_queued(
            self.outbox.get(message_id), now=now, context=self.context(**options)
        )

    def sweep(self, now: datetime, **options: Any) -> sender.SweepReport:
        return sender.sweep(now=now, outbox=self.outbox, alerts=self.alerts, **options)

    def stored(self, message_id: str) -> OutboundMessage:
        return self.outbox.get(message_id)


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_a_message_goes_by_zns_with_its_template_and_is_counted_once(rig: Rig) -> None:
    message = rig.queue()

    outcome = rig.send(message.message_id)

    assert outcome == "accepted"
    [request] = rig.zns.requests
    assert (request.message_id, request.to_e164) == (message.message_id, "+84912345678")
    assert request.template_id == "7895417a7d3f9461cd2e"
    assert request.template_data == {
        "customer": "Nguyễn Thị Hoàng Anh",
        "product": "Máy lạnh Inverter AC-9",
        "serial": "GAR00000017W",
        "warranty_end": "20/03/2027",
    }
    stored = rig.stored(message.message_id)
    assert (stored.status, stored.channel, stored.provider) == (S.ACCEPTED, "zns", "zns")
    assert (stored.provider_message_id, stored.attempts) == ("zns-1", 1)
    assert (stored.cost, stored.cost_reported) == (Decimal(300), False)
    assert [e.state for e in stored.events] == ["sending", "accepted"]
    assert rig.outbox.find_by_provider_ref("zns", "zns-1") == message.message_id
    assert rig.outbox.lease_owner(message.message_id) is None
    assert rig.outbox.spent(TODAY) == Decimal(300)
    assert rig.sms.requests == [] and rig.alerts.sent == []


def test_a_record_delivered_twice_or_to_six_senders_at_once_makes_one_call(rig: Rig) -> None:
    message = rig.queue()
    snapshot = rig.stored(message.message_id)  # what every copy of the stream record holds
    outcomes: list[str] = []

    def deliver() -> None:
        outcomes.append(sender.send_queued(snapshot, now=DAY, context=rig.context()))

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    again = sender.send_queued(snapshot, now=DAY, context=rig.context())

    assert sorted(outcomes) == ["accepted"] + ["taken"] * 5
    assert again == "taken"
    assert len(rig.zns.requests) == 1
    assert rig.stored(message.message_id).attempts == 1
    assert rig.outbox.spent(TODAY) == Decimal(300)


def test_a_recipient_without_zalo_gets_one_sms_in_ascii(rig: Rig) -> None:
    rig.zns.fail_next(ErrorClass.PERMANENT_RECIPIENT, "-118")
    message = rig.queue()

    first = rig.send(message.message_id)
    requeued = rig.stored(message.message_id)
    second = rig.send(message.message_id)  # the stream sees the MODIFY back into queued

    assert first == "queued"
    assert (requeued.status, requeued.channel, requeued.channel_attempts) == (S.QUEUED, "sms", 0)
    assert requeued.reason == "zns_recipient_unreachable_fallback_sms"
    assert (requeued.error_class, requeued.error_code) == ("permanent_recipient", "-118")
    assert second == "accepted"
    [sms] = rig.sms.requests
    assert sms.message_id == message.message_id and sms.template_id == ""
    assert sms.text.startswith("May lanh Inverter AC-9 (serial GAR00000017W) da duoc")
    assert sms.text.isascii()
    stored = rig.stored(message.message_id)
    assert (stored.status, stored.channel, stored.provider, stored.cost) == (
        S.ACCEPTED,
        "sms",
        "esms",
        Decimal(850),
    )
    assert [e.state for e in stored.events] == ["sending", "queued", "sending", "accepted"]
    assert (len(rig.zns.requests), rig.alerts.sent) == (1, [])


def test_a_normal_message_at_night_waits_for_six_and_the_sweep_queues_it(rig: Rig) -> None:
    message = rig.queue(now=NIGHT)

    outcome = rig.send(message.message_id, now=NIGHT)
    scheduled = rig.stored(message.message_id)
    early = rig.sweep(SIX_NEXT_MORNING - timedelta(minutes=1))
    due = rig.sweep(SIX_NEXT_MORNING)

    assert outcome == "scheduled"
    assert (scheduled.status, scheduled.channel) == (S.SCHEDULED, "zns")
    assert scheduled.send_after == SIX_NEXT_MORNING
    assert scheduled.reason == "night_window_rescheduled"
    assert (early.queued, due.queued) == (0, 1)
    assert rig.stored(message.message_id).status is S.QUEUED
    assert rig.stored(message.message_id).send_after is None
    assert rig.zns.requests == [] and rig.sms.requests == []


def test_a_lookup_code_at_night_goes_by_sms_at_once_and_leaves_no_code_behind(rig: Rig) -> None:
    message = rig.queue("lookup_code", now=NIGHT, expires_at=NIGHT + timedelta(minutes=10))

    outcome = rig.send(message.message_id, now=NIGHT)

    assert outcome == "accepted"
    assert rig.zns.requests == []
    [sms] = rig.sms.requests
    assert "123456" in sms.text
    stored = rig.stored(message.message_id)
    assert "123456" not in stored.text and stored.fields == {}


def test_a_lookup_code_keeps_its_marks_on_zalo_and_only_the_sms_is_folded(rig: Rig) -> None:
    by_day = rig.queue("lookup_code", key="day", expires_at=DAY + timedelta(minutes=10))
    by_night = rig.queue(
        "lookup_code", key="night", now=NIGHT, expires_at=NIGHT + timedelta(minutes=10)
    )

    rig.send(by_day.message_id)
    rig.send(by_night.message_id, now=NIGHT)

    [zns] = rig.zns.requests
    assert zns.text.startswith("Mã tra cứu bảo hành của bạn là 123456.")
    assert zns.template_data == {"otp": "123456"}
    [sms] = rig.sms.requests
    assert sms.text.startswith("Ma tra cuu bao hanh cua ban la 123456.")
    assert sms.text.isascii()


def test_a_lookup_code_at_night_without_an_sms_provider_fails_with_an_alert(rig: Rig) -> None:
    message = rig.queue("lookup_code", now=NIGHT, expires_at=NIGHT + timedelta(minutes=10))

    outcome = rig.send(message.message_id, now=NIGHT, with_sms=False)

    assert outcome == "no_provider"
    assert rig.stored(message.message_id).status is S.FAILED
    assert rig.alerts.reasons == ["no_provider"]
    assert rig.zns.requests == []


def test_an_expired_code_is_never_sent(rig: Rig) -> None:
    message = rig.queue("lookup_code", expires_at=DAY - timedelta(seconds=1))

    outcome = rig.send(message.message_id)

    assert outcome == "expired"
    assert rig.stored(message.message_id).status is S.FAILED
    assert rig.zns.requests == [] and rig.sms.requests == []


def test_transient_errors_retry_twice_with_backoff_then_fail_with_an_alert(rig: Rig) -> None:
    for _ in range(3):
        rig.zns.fail_next(ErrorClass.TRANSIENT, "-100")
    message = rig.queue()
    now, outcomes, waits = DAY, [], []
    for _ in range(3):
        outcomes.append(rig.send(message.message_id, now=now))
        stored = rig.stored(message.message_id)
        if stored.status is S.SCHEDULED:
            assert stored.send_after is not None
            waits.append(stored.send_after - now)
            now = stored.send_after
            assert rig.sweep(now).queued == 1

    assert outcomes == ["scheduled", "scheduled", "failed"]
    assert waits == [timedelta(seconds=2), timedelta(seconds=4)]  # full jitter at its ceiling
    stored = rig.stored(message.message_id)
    assert (stored.reason, stored.attempts, stored.channel_attempts) == (
        "transient_retries_exhausted",
        3,
        3,
    )
    assert len(rig.zns.requests) == 3 and rig.sms.requests == []
    assert rig.alerts.reasons == ["transient_retries_exhausted"]
    assert rig.outbox.spent(TODAY) == 0


def test_an_ambiguous_zns_answer_is_unknown_and_never_sent_again(rig: Rig) -> None:
    rig.zns.fail_next(ErrorClass.UNKNOWN, ambiguous=True)
    message = rig.queue()

    outcome = rig.send(message.message_id)
    again = rig.send(message.message_id)
    swept = rig.sweep(DAY + timedelta(hours=1))

    assert (outcome, again) == ("unknown", "not_queued")
    assert rig.stored(message.message_id).status is S.UNKNOWN
    assert (swept.queued, swept.resent, swept.unknown) == (0, 0, 0)
    assert len(rig.zns.requests) == 1 and rig.sms.requests == []
    assert rig.alerts.sent == []


def test_an_ambiguous_esms_answer_is_resent_with_the_same_id_after_a_backoff(rig: Rig) -> None:
    rig.zns.fail_next(ErrorClass.PERMANENT_RECIPIENT, "-118")
    rig.sms.fail_next(ErrorClass.UNKNOWN, ambiguous=True)
    message = rig.queue()
    rig.send(message.message_id)  # → queued on SMS

    ambiguous = rig.send(message.message_id)
    stored = rig.stored(message.message_id)
    assert stored.send_after is not None
    rig.sweep(stored.send_after)
    resent = rig.send(message.message_id, now=stored.send_after)

    assert (ambiguous, stored.reason) == ("scheduled", "ambiguous_resend_deduplicated")
    assert resent == "accepted"
    assert [r.message_id for r in rig.sms.requests] == [message.message_id] * 2


def test_the_spend_cap_queues_normal_messages_until_tomorrow_and_stops_codes(rig: Rig) -> None:
    rig.settings = brand(daily_spend_cap_vnd="500")
    first, second, third = (rig.queue(key=str(i)) for i in range(3))
    code = rig.queue("lookup_code", key="otp", expires_at=DAY + timedelta(minutes=10))

    outcomes = [rig.send(m.message_id) for m in (first, second, third, code)]

    assert outcomes == ["accepted", "accepted", "over_cap", "over_cap"]
    assert len(rig.zns.requests) == 2 and rig.sms.requests == []
    assert rig.outbox.spent(TODAY) == Decimal(600)  # the cap is checked before a send, not after
    waiting = rig.stored(third.message_id)
    assert (waiting.status, waiting.send_after) == (S.SCHEDULED, SIX_NEXT_MORNING)
    assert rig.stored(code.message_id).status is S.FAILED
    assert rig.alerts.reasons == ["spend_cap_reached"]


def test_a_sender_that_died_mid_send_leaves_unknown_or_a_resend_where_deduplicated(
    rig: Rig,
) -> None:
    on_zns, on_esms = rig.queue(key="zns"), rig.queue(key="sms")
    for message, channel, provider in ((on_zns, "zns", "zns"), (on_esms, "sms", "esms")):
        claimed = rig.outbox.claim(
            message.message_id,
            channel=channel,
            provider=provider,
            owner="dead",
            now=DAY,
            lease=sender.LEASE,
        )
        assert claimed is ClaimOutcome.CLAIMED

    before = rig.sweep(DAY + timedelta(seconds=30))
    after = rig.sweep(DAY + sender.LEASE + timedelta(seconds=1))

    assert (before.unknown, before.resent) == (0, 0)
    assert (after.unknown, after.resent) == (1, 1)
    assert rig.stored(on_zns.message_id).status is S.UNKNOWN
    assert rig.stored(on_esms.message_id).status is S.QUEUED
    assert rig.alerts.reasons == ["lease_expired"]


def test_a_send_that_outlived_its_lease_does_not_overwrite_the_sweep(rig: Rig) -> None:
    message = rig.queue()
    late = DAY + sender.LEASE + timedelta(seconds=1)

    def slow_provider(_: SendRequest) -> None:  # the sweep runs while the call hangs
        rig.sweep(late)

    rig.zns.during_send = slow_provider

    outcome = rig.send(message.message_id)

    assert outcome == "lease_lost"
    stored = rig.stored(message.message_id)
    assert (stored.status, stored.reason) == (S.UNKNOWN, "lease_expired")
    assert rig.outbox.spent(TODAY) == 0
    assert rig.alerts.reasons == ["lease_expired"]


def test_an_sms_whose_report_never_came_is_settled_through_the_status_api(rig: Rig) -> None:
    rig.zns.fail_next(ErrorClass.PERMANENT_RECIPIENT, "-118")
    message = rig.queue()
    rig.send(message.message_id)
    rig.send(message.message_id)  # accepted by eSMS; its delivery report is lost
    sms_id = rig.stored(message.message_id).provider_message_id
    assert sms_id == "esms-1"
    checker = FakeStatusChecker({"esms"})
    checker.knows(sms_id, None)  # eSMS: sent, not final yet

    early = rig.sweep(DAY + timedelta(minutes=5), checker=checker)
    pending = rig.sweep(DAY + timedelta(minutes=16), checker=checker)
    checker.knows(sms_id, S.DELIVERED, cost=Decimal(1700))
    too_soon = rig.sweep(DAY + timedelta(minutes=20), checker=checker)
    settled = rig.sweep(DAY + timedelta(minutes=47), checker=checker)

    assert [r.reconciled for r in (early, pending, too_soon, settled)] == [0, 0, 0, 1]
    assert checker.asked == [sms_id, sms_id]
    done = rig.stored(message.message_id)
    assert (done.status, done.cost, done.cost_reported) == (S.DELIVERED, Decimal(1700), True)
    assert rig.outbox.spent(TODAY) == Decimal(1700)  # the estimate (850) corrected once
    assert rig.outbox.due(S.ACCEPTED, DAY + timedelta(days=2)) == []
    assert done.events[-1].reason == "status_api"  # the log says who settled it


def test_a_report_that_never_comes_is_asked_about_for_a_day_then_no_more(rig: Rig) -> None:
    rig.zns.fail_next(ErrorClass.PERMANENT_RECIPIENT, "-118")
    message = rig.queue()
    rig.send(message.message_id)
    rig.send(message.message_id)
    checker = FakeStatusChecker({"esms"})

    for minutes in range(15, 26 * 60, 30):
        rig.sweep(DAY + timedelta(minutes=minutes), checker=checker)

    # asked at 15 minutes, then every 30 while the next question is within a day of acceptance
    assert len(checker.asked) == 48
    assert rig.outbox.due(S.ACCEPTED, DAY + timedelta(days=30)) == []
    assert rig.stored(message.message_id).status is S.ACCEPTED


# --- the fake keeps the repository's rules (or the tests above would prove nothing) ---------


def test_the_outbox_fake_claims_only_queued_messages_and_settles_only_for_the_lease(
    rig: Rig,
) -> None:
    message = rig.queue()
    outcome = Outcome(S.ACCEPTED, "ok", "zns", "zns")

    def claim(owner: str) -> ClaimOutcome:
        return rig.outbox.claim(
            message.message_id,
            channel="zns",
            provider="zns",
            owner=owner,
            now=DAY,
            lease=sender.LEASE,
        )

    first, second = claim("a"), claim("b")
    by_stranger = rig.outbox.settle(message.message_id, owner="b", outcome=outcome, now=DAY)
    by_owner = rig.outbox.settle(message.message_id, owner="a", outcome=outcome, now=DAY)
    twice = rig.outbox.settle(message.message_id, owner="a", outcome=outcome, now=DAY)

    assert (first, second) == (ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN)
    assert (by_stranger, by_owner, twice) == (False, True, False)
    with pytest.raises(IllegalTransition):
        rig.outbox.move(
            message.message_id, from_states=(S.ACCEPTED,), to=S.QUEUED, now=DAY, reason="no"
        )
    assert rig.stored(message.message_id).status is S.ACCEPTED


def test_a_message_left_queued_is_redriven_by_the_sweep_and_sent_once(rig: Rig) -> None:
    # Given a message queued whose stream record never reached the sender
    message = rig.queue(now=DAY)

    # When the sweep runs before and after REDRIVE_AFTER, then both the original record and
    # the re-drive's record reach the sender
    early = rig.sweep(DAY + REDRIVE_AFTER - timedelta(seconds=1))
    late = rig.sweep(DAY + REDRIVE_AFTER)
    again = rig.sweep(DAY + REDRIVE_AFTER + timedelta(seconds=1))
    first = rig.send(message.message_id, now=DAY + REDRIVE_AFTER)
    second = rig.send(message.message_id, now=DAY + REDRIVE_AFTER)

    # Then it is re-driven once (its next re-drive is 5 minutes later) and sent once
    assert (early.redriven, late.redriven, again.redriven) == (0, 1, 0)
    assert [e.reason for e in rig.stored(message.message_id).events][-3:] == ["redriven", "", "ok"]
    assert (first, second) == ("accepted", "not_queued")
    assert len(rig.zns.requests) == 1
