"""Personal data (issue 17): the time and the DynamoDB calls to erase one customer (three units,
two service requests with their histories, a dozen messages, their customer item), with 0 and
5,000 other customers' messages and units in the tables (goal: the same calls: an erasure
reads by keys and indexes, never a scan), counted with botocore hooks in a fresh process
against the emulator; and their download (JSON and PDF) before it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OTHERS = (0, 5_000)
UNITS_OF_THE_PERSON = 3
MESSAGES_OF_THE_PERSON = 12


def run() -> dict[str, Any]:
    from bench.workload import in_fresh_process

    return in_fresh_process("bench.privacy")


def measure() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-privacy", _measure)


def _others(count: int, start: int, now: Any, pepper: bytes) -> None:
    """``count`` other customers: a unit each, activated, and a message each (batch writes)."""
    from datetime import timedelta

    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.core.phone import phone_key
    from chalicelib.outbox.compose import new_message
    from chalicelib.outbox.repository import to_record

    with UnitRecord.batch_write() as units:
        for n in range(start, start + count):
            phone = f"+8490{n:07d}"
            units.save(
                UnitRecord(
                    f"OTHER-{n:06d}", model_code="AC-INV-12", status="activated",
                    created_at=now, activated_at=now, warranty_start=now.date().isoformat(),
                    warranty_end=(now + timedelta(days=730)).date().isoformat(), channel="web",
                    owner_key=phone_key(pepper, phone), owner_name=f"Khách {n}",
                    owner_phone=phone, brand_id="demo",
                )
            )  # fmt: skip
    from chalicelib.outbox.tables import NotificationRecord

    with NotificationRecord.batch_write() as messages:
        for n in range(start, start + count):
            message = new_message(
                "lookup_code", business_key=(str(n),), brand_id="demo",
                phone=f"+8490{n:07d}", language="vi", fields={"code": "123456"},
                subject="lookup", now=now, pepper=pepper,
            )  # fmt: skip
            messages.save(to_record(message))


def _person(now: Any, pepper: bytes, tag: str) -> Any:
    """The customer to erase: units activated, requests filed and moved, messages sent."""
    from datetime import timedelta

    from chalicelib.activation.consent import ConsentGrant
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import Activation, NewUnit, Owner
    from chalicelib.claims import wiring as claims_wiring
    from chalicelib.claims.model import Channel, Claim, ClaimType, Customer, HistoryEntry
    from chalicelib.claims.states import Actor, ClaimState
    from chalicelib.core.personal_data import DataSubject
    from chalicelib.core.phone import phone_key
    from chalicelib.outbox import wiring as outbox_wiring
    from chalicelib.outbox.compose import new_message

    phone = "+84912345678"
    owner = Owner("Nguyễn Văn An", phone, province="Hà Nội", address="12 Lê Lợi")
    key = phone_key(pepper, phone)
    units = catalog_wiring.unit_repository()
    serials = [f"PD-{tag}-{n}" for n in range(UNITS_OF_THE_PERSON)]
    units.add([NewUnit(s, "AC-INV-12") for s in serials], event="registered", by="bench", at=now)
    for serial in serials:
        activation = Activation(now, now.date(), (now + timedelta(days=730)).date(), "activation",
                                "web", owner)  # fmt: skip
        units.activate(serial, activation, owner_key=key,
                       consents=[ConsentGrant("warranty_service", True)])  # fmt: skip
    claims = claims_wiring.claim_repository()
    for n, serial in enumerate(serials[:2]):
        claim_id = f"SR-PD{tag}{n:03d}"
        claim = Claim(claim_id, 1, ClaimType.REPAIR, Channel.PORTAL, ClaimState.NEW, now, now,
                      "customer", now, serial, "AC-INV-12",
                      Customer("Nguyễn Văn An", phone, province="Hà Nội"),
                      "Máy chảy nước, gọi 0912 345 678")  # fmt: skip
        claims.create(claim, HistoryEntry(claim_id, 1, now, "customer", Actor.CUSTOMER,
                                          "create", None, ClaimState.NEW))  # fmt: skip
    outbox = outbox_wiring.notification_repository()
    for n in range(MESSAGES_OF_THE_PERSON):
        outbox.add(new_message("lookup_code", business_key=(tag, str(n)), brand_id="demo",
                               phone=phone, language="vi", fields={"code": "123456"},
                               subject="lookup", now=now, pepper=pepper))  # fmt: skip
    return DataSubject(phone=phone, key=key)


def _measure(emulator_url: str, workdir: Path) -> dict[str, Any]:
    import time
    from datetime import UTC, datetime

    from bench.dashboard import signed_in_app

    counter, _, _ = signed_in_app(emulator_url, workdir)

    from chalicelib.platform import wiring as platform_wiring
    from chalicelib.privacy import service
    from chalicelib.privacy import wiring as privacy_wiring
    from chalicelib.privacy.pdf import render

    pepper = platform_wiring.secrets().pepper
    store = privacy_wiring.request_repository()
    results: dict[str, Any] = {}
    loaded = 0
    for others in OTHERS:
        now = datetime.now(UTC)
        _others(others - loaded, loaded, now, pepper)
        loaded = others
        subject = _person(now, pepper, str(others))
        parts = privacy_wiring.personal_data()
        with counter.measure() as export_calls:
            started = time.perf_counter()
            document = service.export(subject, parts, at=now)
            exported = time.perf_counter() - started
        started = time.perf_counter()
        pdf = render(document, "vi")
        rendered = time.perf_counter() - started
        request = service.request_erasure(subject, language="vi", channel="portal", at=now,
                                          store=store)  # fmt: skip
        with counter.measure() as erase_calls:
            started = time.perf_counter()
            done = service.erase(request.request_id, by="bench", at=now, store=store, parts=parts)
            erased = time.perf_counter() - started
        results[f"{others}_others"] = {
            "erase_ms": round(erased * 1000, 1),
            "erase_calls": dict(erase_calls),
            "erased": done.erased,
            "export_ms": round(exported * 1000, 1),
            "export_calls": dict(export_calls),
            "pdf_ms": round(rendered * 1000, 1),
            "pdf_kb": round(len(pdf) / 1024, 1),
        }
    first, last = (results[f"{n}_others"] for n in OTHERS)
    return {
        **results,
        "erase_calls_equal": first["erase_calls"] == last["erase_calls"],
        "erase_ms_ratio_5000_to_0": round(last["erase_ms"] / first["erase_ms"], 2),
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
