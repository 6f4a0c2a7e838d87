"""The dealer funnel's figure (issue 14): ``GET /funnel`` reads with 1× and 10× the units
(1,000 and 10,000 shipped to 20 dealers over 6 months, about 40 % activated since; goal:
the same reads), counted with botocore hooks on every session PynamoDB makes, in a fresh
process against the emulator; plus the reads of a 12-month funnel and of one dealer's.

The units are registered in the units table and their shipments and activations counted
through the funnel's own store (``FunnelRepository.count``, the units stream step's write),
with the events ``dealers.funnel`` derives from each unit: the counters the stream would keep.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

UNITS = (1_000, 10_000)
DEALERS = 20


def run() -> dict[str, Any]:
    from bench.workload import in_fresh_process

    return in_fresh_process("bench.funnel")


def measure_reads() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-funnel", _measure_reads)


def _units(start: int, end: int, dealers: list[str], today: Any) -> list[Any]:
    """Units ``start``…``end`` shipped round the dealers over the last 180 days, 2 in 5 of
    them activated 1 to 60 days after their shipment (never in the future)."""
    from datetime import UTC, datetime, time, timedelta

    from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
    from devstack.demo import DEMO_MODELS

    found = []
    for n in range(start, end):
        shipped_on = today - timedelta(days=(n * 7) % 180)
        activated = n % 5 < 2 and (n % 60) + 1 <= (today - shipped_on).days
        on = shipped_on + timedelta(days=(n % 60) + 1)
        activation = (
            Activation(
                activated_at=datetime.combine(on, time(3), UTC),
                warranty_start=on,
                warranty_end=on + timedelta(days=365),
                warranty_reason="activation",
                channel="web",
                owner=Owner("Khách", "+84900000000"),
            )
            if activated
            else None
        )
        found.append(
            Unit(
                f"BENCH-{n:06d}",
                DEMO_MODELS[n % len(DEMO_MODELS)][0].code,
                UnitStatus.ACTIVATED if activated else UnitStatus.SHIPPED,
                shipped_on=shipped_on,
                activation=activation,
                dealer_id=dealers[n % len(dealers)],
                shipment_id=f"s_{n // 100}",
            )
        )
    return found


def _measure_reads(emulator_url: str, workdir: Path) -> dict[str, Any]:
    import time
    from datetime import UTC, datetime

    from bench.dashboard import signed_in_app

    counter, client, bearer = signed_in_app(emulator_url, workdir)

    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import NewUnit
    from chalicelib.catalog.warranty import business_day
    from chalicelib.dealers.funnel_rebuild import unit_events
    from chalicelib.dealers.funnel_repository import FunnelRepository
    from tests.support.shipping import dealer

    dealers = [dealer(f"d_bench{n:02d}", f"B-{n:02d}", f"Đại lý {n:02d}") for n in range(DEALERS)]
    now = datetime.now(UTC)
    today = business_day(now)
    units, funnel = catalog_wiring.unit_repository(), FunnelRepository("demo")
    registered = 0
    results: dict[str, Any] = {}
    queries = {"6_months": "", "12_months": "?months=12", "one_dealer": f"?dealer={dealers[0]}"}
    for target in UNITS:
        batch = _units(registered, target, dealers, today)
        for start in range(0, len(batch), 1_000):
            chunk = batch[start : start + 1_000]
            units.add(
                [NewUnit(u.serial, u.model_code) for u in chunk], event="imported", by="bench"
            )
            funnel.count(unit_events(chunk, lambda _: None), now=now)
        registered = target
        client.http.get("/funnel", headers=bearer)  # warm: model cache, settings, JWKS
        figures: dict[str, Any] = {}
        for name, query in queries.items():
            with counter.measure() as calls:
                started = time.perf_counter()
                response = client.http.get(f"/funnel{query}", headers=bearer)
                elapsed = time.perf_counter() - started
            body = json.loads(response.body)
            assert response.status_code == 200, response.body
            figures[name] = {
                "calls": dict(calls),
                "batch_reads": body["reads"],
                "ms": round(elapsed * 1000, 1),
                "shipped": body["total"]["shipped"],
            }
        results[f"{target}_units"] = figures
    first, last = (results[f"{n}_units"] for n in UNITS)
    return {
        **results,
        "reads_equal": all(first[q]["calls"] == last[q]["calls"] for q in queries),
    }


if __name__ == "__main__":
    print(json.dumps(measure_reads()))
