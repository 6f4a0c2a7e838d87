"""The sender's figures (issue 3): messages sent per second by one sender against the fake
Zalo and eSMS servers (real HTTP), provider calls per message and DynamoDB round trips per
message, on the happy path (ZNS accepts) and on the fallback path (no Zalo account → SMS).

Throughput is also given as a ratio to the emulator's single-PutItem rate measured in the same
run, so it does not depend on how fast this machine is.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.workload import CallCounter, _environment, _put_item_floor
from devstack.emulator import free_port

MESSAGES = 200
HAPPY_PHONE = "+84912345678"


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-sender-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        return _measure()
    finally:
        emulator.stop()


def _measure() -> dict[str, Any]:
    import boto3

    counter = CallCounter()
    counter.install()

    from chalicelib.messaging import sender
    from chalicelib.messaging.config import parse_messaging_config
    from chalicelib.messaging.providers.esms import EsmsSender
    from chalicelib.messaging.providers.http import new_pool
    from chalicelib.messaging.providers.zns import TokenPair, ZnsSender, refresh_access_token
    from chalicelib.messaging.token_repository import ZaloTokenStore
    from chalicelib.outbox.compose import new_message
    from chalicelib.outbox.repository import NotificationRepository
    from chalicelib.tables import ALL_TABLES
    from devstack.fakes.settings import fake_messaging_document
    from devstack.fakes.sms import running_fake_esms
    from devstack.fakes.zalo import running_fake_zalo
    from devstack.provision import create_tables

    for model in ALL_TABLES:  # forget connections to an emulator an earlier bench stopped
        model._connection = None
    dynamodb = boto3.client("dynamodb")
    create_tables(ALL_TABLES, dynamodb)
    outbox = NotificationRepository()
    with running_fake_zalo() as zalo, running_fake_esms() as esms:
        pool = new_pool()
        store = ZaloTokenStore(
            "zalo#oa-1", lambda t: refresh_access_token(pool, "app-1", "secret-1", t, zalo.url)
        )
        store.seed(TokenPair("at-0", "rt-0", 90000))
        document = fake_messaging_document(zalo.url, esms.url, daily_spend_cap_vnd="100000000")
        brand = parse_messaging_config(json.dumps(document)).brand("demo")
        context = sender.SenderContext(
            outbox=outbox,
            channels=sender.Channels(
                zns=ZnsSender(store, pool, base_url=zalo.url),
                sms=EsmsSender(
                    api_key="esms-key",
                    secret_key="esms-secret",
                    brandname="Baotrixemay",
                    base_url=esms.url,
                    pool=pool,
                ),
            ),
            brand=brand,
            alerts=_NoAlerts(),
            jitter=lambda ceiling: ceiling,
        )
        now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 ICT: outside the night window

        def queue(key: str, phone: str) -> str:
            message = new_message(
                "activation_confirmed",
                business_key=(key,),
                brand_id="demo",
                phone=phone,
                language="vi",
                fields={
                    "customer_name": "Lê Văn Bảo",
                    "model": "Máy lạnh Inverter AC-INV-12",
                    "serial": f"GAR{key}",
                    "warranty_end": "23/11/2028",
                    "certificate_url": "http://127.0.0.1:8080/c/TOKEN",
                    "hotline": "1800 6868",
                },
                subject=f"GAR{key}",
                now=now,
                pepper=b"p" * 32,
            )
            outbox.add(message)
            return message.message_id

        # warm: the token memo, the pools, the model of the first write
        sender.send_queued(outbox.get(queue("warm", HAPPY_PHONE)), now=now, context=context)
        happy = [queue(f"{n:08d}", HAPPY_PHONE) for n in range(MESSAGES)]
        snapshots = [outbox.get(m) for m in happy]  # what each stream record carries
        zns_before, sms_before = len(zalo.sends()), len(esms.sends())
        with counter.measure() as happy_calls:
            started = time.perf_counter()
            outcomes = [sender.send_queued(s, now=now, context=context) for s in snapshots]
            happy_seconds = time.perf_counter() - started
        assert outcomes == ["accepted"] * MESSAGES, set(outcomes)
        happy_provider_calls = len(zalo.sends()) - zns_before + len(esms.sends()) - sms_before

        fallback_id = queue("fallback", HAPPY_PHONE)
        zalo.fail_next_sends(-118)  # Zalo: no account for this number
        zns_before, sms_before = len(zalo.sends()), len(esms.sends())
        first_snapshot = outbox.get(fallback_id)
        with counter.measure() as zns_calls:
            first = sender.send_queued(first_snapshot, now=now, context=context)
        second_snapshot = outbox.get(fallback_id)  # the MODIFY record into queued on SMS
        with counter.measure() as sms_calls:
            second = sender.send_queued(second_snapshot, now=now, context=context)
        fallback_calls = zns_calls + sms_calls
        assert (first, second) == ("queued", "accepted")
        fallback_provider_calls = len(zalo.sends()) - zns_before + len(esms.sends()) - sms_before

        duplicate_id = queue("duplicate", HAPPY_PHONE)
        snapshot = outbox.get(duplicate_id)
        zns_before = len(zalo.sends())
        duplicates = [sender.send_queued(snapshot, now=now, context=context) for _ in range(3)]
        duplicate_provider_calls = len(zalo.sends()) - zns_before

    floor_put = _put_item_floor(dynamodb)
    per_second = MESSAGES / happy_seconds
    return {
        "messages_sent_per_second_one_sender": round(per_second, 1),
        "send_rate_vs_single_put_ratio": round(per_second / floor_put, 2),
        "provider_calls_per_message": {
            "happy_path_zns": round(happy_provider_calls / MESSAGES, 2),
            "fallback_zns_then_sms": fallback_provider_calls,
            "same_record_delivered_3_times": duplicate_provider_calls,
        },
        "dynamodb_round_trips_per_message": {
            "happy_path_zns": {k: round(v / MESSAGES, 2) for k, v in happy_calls.items()},
            "fallback_zns_then_sms": dict(fallback_calls),
        },
        "duplicate_outcomes": duplicates,
    }


class _NoAlerts:
    def alert(self, message_id: str, reason: str, state: str) -> None:
        raise AssertionError(f"unexpected alert {reason} for {message_id} ({state})")
