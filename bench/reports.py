"""The warranty reports' figure (issue 17): ``GET /reports/{kind}`` reads with 10,000 and
100,000 units and a year of activity (goal: the same reads), counted with botocore hooks on
every session PynamoDB makes, in a fresh process against the emulator; and the time each
report takes.

The units (shipped round 20 dealers over the past year, 4 in 5 activated 1 to 90 days later,
across the 34 provinces and four channels) and their service requests (1 in 50 units, half of
them resolved with a part and labour) are counted by the reports' own rebuild
(``chalicelib.reports.rebuild``), which writes the items the streams would keep.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

UNITS = (10_000, 100_000)
DEALERS = 20
KINDS = ("activations", "claims", "costs", "parts", "maintenance")


def run() -> dict[str, Any]:
    from bench.workload import in_fresh_process

    return in_fresh_process("bench.reports")


def measure_reads() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-reports", _measure_reads)


def _history(count: int, dealers: list[str], today: Any) -> tuple[list[Any], list[Any]]:
    from datetime import UTC, datetime, time, timedelta

    from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
    from chalicelib.claims.model import Channel, Claim, ClaimType, CostLine, Customer, HistoryEntry
    from chalicelib.claims.states import Actor, ClaimState
    from chalicelib.core.provinces import PROVINCES
    from chalicelib.reports.rebuild import ClaimWithHistory
    from devstack.demo import DEMO_MODELS

    units, claims = [], []
    for n in range(count):
        shipped_on = today - timedelta(days=(n * 7) % 360 + 5)
        on = shipped_on + timedelta(days=(n % 90) + 1)
        activated = n % 5 != 4 and on <= today
        at = datetime.combine(on, time(3), UTC)
        owner = Owner("Khách", "+84900000000", province=PROVINCES[n % len(PROVINCES)])
        model = DEMO_MODELS[n % len(DEMO_MODELS)][0].code
        channel = ("web", "zalo", "sms", "dealer")[n % 4]
        activation = Activation(at, on, on + timedelta(days=730), "activation", channel, owner)
        units.append(
            Unit(f"BENCH-{n:06d}", model,
                 UnitStatus.ACTIVATED if activated else UnitStatus.SHIPPED,
                 shipped_on=shipped_on, activation=activation if activated else None,
                 dealer_id=dealers[n % len(dealers)], shipment_id=f"s_{n // 100}")
        )  # fmt: skip
        if not activated or n % 50:
            continue
        filed = at + timedelta(days=20)
        done = filed + timedelta(hours=30)
        resolved = n % 100 == 0
        history = [
            HistoryEntry(f"SR-{n:08d}", 1, filed, "cs", Actor.DESK, "create", None, ClaimState.NEW)
        ]
        costs: tuple[CostLine, ...] = ()
        if resolved:
            history.append(HistoryEntry(f"SR-{n:08d}", 2, done, "an", Actor.ASSIGNEE, "move",
                                        ClaimState.DIAGNOSING, ClaimState.REPAIRED))  # fmt: skip
            costs = (CostLine("1", "part", "Bo mạch", 600_000, "warranty", "an", done,
                              part_code="PCB-1"),
                     CostLine("2", "labour", "Công", 200_000, "warranty", "an", done))  # fmt: skip
        claim = Claim(
            f"SR-{n:08d}", len(history), ClaimType.REPAIR, Channel.PORTAL,
            ClaimState.REPAIRED if resolved else ClaimState.NEW, history[-1].at, filed, "cs",
            history[-1].at, f"BENCH-{n:06d}", model, Customer("Khách", "+84900000000",
                                                               province=owner.province),
            "Hỏng", costs=costs,
        )  # fmt: skip
        claims.append(ClaimWithHistory(claim, tuple(history)))
    return units, claims


def _measure_reads(emulator_url: str, workdir: Path) -> dict[str, Any]:
    import time
    from datetime import UTC, datetime

    from bench.dashboard import signed_in_app

    counter, client, bearer = signed_in_app(emulator_url, workdir)

    from chalicelib.catalog.warranty import business_day
    from chalicelib.reports import rebuild
    from chalicelib.reports.repository import ReportCounters
    from tests.support.shipping import dealer

    dealers = [dealer(f"d_bench{n:02d}", f"B-{n:02d}", f"Đại lý {n:02d}") for n in range(DEALERS)]
    today = business_day(datetime.now(UTC))
    store = ReportCounters("demo")
    results: dict[str, Any] = {}
    for target in UNITS:
        units, claims = _history(target, dealers, today)
        started = time.perf_counter()
        items = rebuild.rebuild(units, claims, today=today, store=store)
        written = time.perf_counter() - started
        client.http.get("/reports/activations", headers=bearer)  # warm: caches, JWKS
        # DynamoDB's item size: each attribute's name and number (at most 400 KB an item)
        largest = max(
            sum(len(k.encode()) + len(str(n)) for k, n in c.items()) for c in items.values()
        )
        figures: dict[str, Any] = {
            "items": len(items),
            "largest_item_kb": round(largest / 1024, 1),
            "rebuild_s": round(written, 1),
        }
        for kind in KINDS:
            with counter.measure() as calls:
                started = time.perf_counter()
                response = client.http.get(f"/reports/{kind}", headers=bearer)
                elapsed = time.perf_counter() - started
            body = json.loads(response.body)
            assert response.status_code == 200, response.body
            figures[kind] = {
                "calls": dict(calls),
                "batch_reads": body["reads"],
                "ms": round(elapsed * 1000, 1),
                "totals": {k: body["totals"][k] for k in list(body["totals"])[:2]},
            }
        results[f"{target}_units"] = figures
    first, last = (results[f"{n}_units"] for n in UNITS)
    return {
        **results,
        "reads_equal": all(first[k]["calls"] == last[k]["calls"] for k in KINDS),
        "ms_ratio_100k_to_10k": {
            k: round(last[k]["ms"] / first[k]["ms"], 2) if first[k]["ms"] else None for k in KINDS
        },
    }


if __name__ == "__main__":
    print(json.dumps(measure_reads()))
