"""Shipments' figures (issue 14), through the API (Chalice's test client) against a fresh
emulator, DynamoDB calls counted with botocore hooks on every session PynamoDB makes:

- scans accepted per second on the ship-out screen's route (``POST /shipments/{id}/scans``, one
  serial each, as a warehouse scanner sends them);
- a carton of 100 units: its scan, then the shipment's confirmation, timed (goal: within 2 s);
- the DynamoDB calls to confirm 2,000 units (goal: about 2,000 / 100 transactions plus the
  reads they need)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.workload import CallCounter, _environment
from devstack.emulator import free_port

SCANS = 200
CARTON = 100
BIG = 2000


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-shipments-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        return _measure(emulator.url, workdir)
    finally:
        emulator.stop()


def _provision(emulator_url: str, workdir: Path) -> Any:
    import boto3

    from chalicelib.core.settings import get_settings
    from chalicelib.tables import ALL_TABLES
    from devstack.demo_users import DEMO_USERS
    from devstack.provision import create_tables, provision_cognito, put_secrets

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    put_secrets(boto3.client("ssm"), settings.secrets_parameter, workdir / "secrets.json")
    cognito = provision_cognito(
        boto3.client("cognito-idp"), region=settings.region, emulator_url=emulator_url,
        users=DEMO_USERS,
    )  # fmt: skip
    os.environ.update(cognito.environment())
    get_settings.cache_clear()
    return next(u for u in DEMO_USERS if u.username == "admin")


def _dealer() -> None:
    from datetime import UTC, datetime

    from chalicelib.dealers.tables import DealerRecord

    DealerRecord(
        "d_bench", code="BENCH-01", listed="dealer", name="Đại lý Bench", province="Hà Nội",
        status="active", created_at=datetime.now(UTC), created_by="bench",
    ).save()  # fmt: skip
    DealerRecord("code#BENCH-01", owner_id="d_bench").save()  # the code's claim


def _measure(emulator_url: str, workdir: Path) -> dict[str, Any]:
    counter = CallCounter()
    counter.install()
    admin = _provision(emulator_url, workdir)

    from chalice.test import Client

    from app import app
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import Brand, NewUnit
    from chalicelib.catalog.tables import UnitRecord
    from devstack.demo import DEMO_MODELS

    catalog_wiring.brand_repository().save(Brand("demo", "Garanti Demo", "GAR"))
    model = DEMO_MODELS[0][0]
    catalog_wiring.model_repository().create(model)
    _dealer()
    units = catalog_wiring.unit_repository()
    loose = [f"BENCH-S{n:05d}" for n in range(SCANS)]
    carton = [f"BENCH-C{n:05d}" for n in range(CARTON)]
    big = [f"BENCH-B{n:05d}" for n in range(BIG)]
    for batch in (loose, carton, big):
        for start in range(0, len(batch), 1000):
            chunk = batch[start : start + 1000]
            units.add([NewUnit(s, model.code) for s in chunk], event="imported", by="bench")
    for serial in carton:
        UnitRecord(serial).update(actions=[UnitRecord.carton.set("BENCH-CARTON-1")])

    client = Client(app)
    login = client.http.post(
        "/auth/login",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"username": admin.username, "password": admin.password}),
    )
    headers = {
        "Authorization": f"Bearer {json.loads(login.body)['id_token']}",
        "Content-Type": "application/json",
    }

    def post(path: str, body: Any = None) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        response = client.http.post(path, headers=headers, body=raw)
        assert response.status_code in (200, 201), (path, response.body)
        return json.loads(response.body)

    def draft(document: str) -> str:
        body = {"dealer_code": "BENCH-01", "ship_date": "2026-03-02", "document_number": document}
        return str(post("/shipments", body)["shipment"]["shipment_id"])

    # scans per second: one serial a request, as the scanner types them
    first = draft("PXK SCANS")
    post(f"/shipments/{first}/scans", {"code": loose[0]})  # warm: JWKS, settings, models
    with counter.measure() as scan_calls:
        started = time.perf_counter()
        for serial in loose[1:]:
            post(f"/shipments/{first}/scans", {"code": serial})
        scan_seconds = time.perf_counter() - started
    per_scan = {k: round(v / (SCANS - 1), 2) for k, v in sorted(scan_calls.items())}

    # a carton of 100: scanned by its code, then confirmed
    second = draft("PXK CARTON")
    with counter.measure() as carton_scan_calls:
        started = time.perf_counter()
        scanned = post(f"/shipments/{second}/scans", {"code": "BENCH-CARTON-1"})
        carton_scan_seconds = time.perf_counter() - started
    assert len(scanned["scan"]["added"]) == CARTON, scanned["scan"]
    started = time.perf_counter()
    confirmed = post(f"/shipments/{second}/confirm")
    carton_confirm_seconds = time.perf_counter() - started
    assert confirmed["finished"] and confirmed["shipment"]["progress"]["shipped"] == CARTON

    # 2,000 units confirmed: the scans written straight to the draft, then the calls counted
    from datetime import UTC, datetime

    from chalicelib.dealers import wiring as dealer_wiring
    from chalicelib.dealers.shipments import Scan

    third = draft("PXK 2000")
    at = datetime.now(UTC)
    dealer_wiring.shipment_repository().add_scans(
        third, [Scan(s, model.code, at, "bench") for s in big]
    )
    requests = 0
    with counter.measure() as confirm_calls:
        started = time.perf_counter()
        report: dict[str, Any] = {"finished": False}
        while not report["finished"]:  # as the console does: again while not finished
            report = post(f"/shipments/{third}/confirm")
            requests += 1
        big_seconds = time.perf_counter() - started
    assert report["shipment"]["progress"]["shipped"] == BIG, report["shipment"]["progress"]
    calls = dict(sorted(confirm_calls.items()))
    return {
        "scans_per_second_through_the_api": round((SCANS - 1) / scan_seconds, 1),
        "dynamodb_calls_per_scan": per_scan,
        "carton_of_100_scan_seconds": round(carton_scan_seconds, 3),
        "carton_of_100_scan_calls": dict(sorted(carton_scan_calls.items())),
        "carton_of_100_confirm_seconds": round(carton_confirm_seconds, 3),
        "confirm_2000_seconds": round(big_seconds, 2),
        "confirm_2000_requests": requests,
        "confirm_2000_calls": calls,
        "confirm_2000_transactions": calls.get("TransactWriteItems", 0),
        "confirm_2000_chunks": report["shipment"]["progress"]["chunks"],
    }


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    print(json.dumps(run(), indent=2, ensure_ascii=False))
