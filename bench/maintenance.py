"""The maintenance daily job's figure (issue 16): its DynamoDB calls and time with 10,000 and
then 100,000 units' plan lines of which 100 are due that day (goal: about the 100 due items,
the same calls whatever the total), counted with botocore hooks on every session PynamoDB
makes, in a fresh process against the emulator; plus the calls of one customer's answer.

The lines are written straight into the maintenance table (one BatchWriteItem per 25, as the
units stream would have made them over time): the 100 due ones wait on the measured day, every
other line on a day months away. The due units are registered and activated, so the job reads
their owners and queues their reminders as it would in AWS. The calls are the figure: the
emulator (moto) answers a GSI query by reading the whole table, so its time grows with the
total where DynamoDB's does not.

Then one ticket's life, request by request (the desk books and assigns, the technician starts,
uses a part from their van, records the visit and completes it): the DynamoDB calls of each.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

TOTALS = (10_000, 100_000)
DUE = 100


def run() -> dict[str, Any]:
    from bench.workload import in_fresh_process

    return in_fresh_process("bench.maintenance")


def measure() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-maintenance", _measure)


def _plan() -> Any:
    from chalicelib.maintenance.model import MaintenancePlan, PlanComponent
    from chalicelib.maintenance.schedule import Cycle, Rhythm

    component = PlanComponent(
        "LOC-BUI", "Vệ sinh lưới lọc bụi", "Dust filter cleaning", Cycle(months=1),
        Cycle(months=1), 3, Rhythm.FIXED, 0, ("Tháo và rửa lưới lọc",),
    )  # fmt: skip
    return MaintenancePlan("AC-INV-12", (component,), 1, "bench", datetime.now(UTC))


def _write_lines(start: int, end: int, due_on: date, timer_of: Any) -> None:
    """Lines for serials ``start``…``end``: each one's timer from ``timer_of(n)``."""
    from chalicelib.maintenance.line_repository import line_record
    from chalicelib.maintenance.lines import first_lines
    from chalicelib.maintenance.tables import MaintenanceLineRecord

    plan, at = _plan(), datetime.now(UTC)
    with MaintenanceLineRecord.batch_write() as batch:
        for n in range(start, end):
            [line] = first_lines(f"MT-{n:06d}", plan, due_on - timedelta(days=31))
            batch.save(line_record(replace(line, timer=timer_of(n)), at))


def _activate_due(serials: list[str], now: datetime) -> None:
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import Activation, NewUnit, Owner

    units = catalog_wiring.unit_repository()
    units.add([NewUnit(s, "AC-INV-12") for s in serials], event="imported", by="bench")
    for n, serial in enumerate(serials):
        phone = f"+8491{n:07d}"
        units.activate(
            serial,
            Activation(now, now.date(), now.date() + timedelta(days=730), "activation", "web",
                       Owner("Khách bảo trì", phone)),
            owner_key=f"bench-{n}",
            consents=(),
        )  # fmt: skip


def _measure(emulator_url: str, workdir: Path) -> dict[str, Any]:
    from bench.dashboard import signed_in_app

    counter, _client, _bearer = signed_in_app(emulator_url, workdir)

    from chalicelib.catalog.warranty import business_day
    from chalicelib.maintenance import events as maintenance_events
    from chalicelib.maintenance import wiring as maintenance_wiring

    now = datetime.now(UTC)
    lines = maintenance_wiring.line_repository()
    far = business_day(now) + timedelta(days=120)
    results: dict[str, Any] = {}
    written = 0
    for round_, total in enumerate(TOTALS):
        day = business_day(now) + timedelta(days=round_)
        due = [f"MT-{n:06d}" for n in range(written, written + DUE)]
        _activate_due(due, now)
        started = time.perf_counter()
        _write_lines(written, written + DUE, day + timedelta(days=3), lambda _n, d=day: d)
        _write_lines(written + DUE, total, far, lambda n: far + timedelta(days=n % 200))
        seeded = time.perf_counter() - started
        written = total
        lines.set_watermark(day - timedelta(days=1), after=lines.watermark(), at=now)
        fired = datetime.combine(day, datetime.min.time(), UTC).isoformat()
        with counter.measure() as calls:
            started = time.perf_counter()
            report = maintenance_events.run_reminders(fired)
            elapsed = time.perf_counter() - started
        results[f"{total}_lines"] = {
            "due": report.due,
            "reminded": report.reminded,
            "calls": dict(calls),
            "ms": round(elapsed * 1000),
            "seed_s": round(seeded, 1),
        }
    first, last = (results[f"{n}_lines"] for n in TOTALS)
    return {
        **results,
        "calls_equal": first["calls"] == last["calls"],
        "items_read_per_run": DUE,
        "ticket_calls": _ticket_calls(counter, _client, "MT-000000", business_day(now)),
    }


def _ticket_calls(counter: Any, client: Any, serial: str, today: date) -> dict[str, Any]:
    """The DynamoDB calls of each request on one ticket, from the desk's booking to the
    technician's completion (a part from their van, the next visit, the receivable)."""
    from bench.workload import _post, auth_header
    from devstack.demo_users import DEMO_USERS

    users = {u.username: u for u in DEMO_USERS}
    cs, tech = auth_header(client, users["cs"]), auth_header(client, users["technician"])
    client.http.put(
        "/parts/LUOI-LOC-12",
        body=json.dumps({"version": 0, "name": "Lưới lọc", "unit": "cái", "cost_vnd": 35000,
                         "price_vnd": 80000}),
        headers={**cs, "Content-Type": "application/json"},
    )  # fmt: skip
    _post(client, "/stock/locations", {"location_id": "VAN-TECH", "name": "Xe", "kind": "van",
                                       "holder": "tech#technician"}, cs)  # fmt: skip
    _post(client, "/stock/movements", {"kind": "receipt", "part_code": "LUOI-LOC-12", "qty": 5,
                                       "to": "VAN-TECH"}, cs)  # fmt: skip
    steps: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
        ("book", "/maintenance/tickets",
         {"serial": serial, "component": "LOC-BUI", "day": today.isoformat()}, cs),
        ("assign", "assign", {"assignee": "tech#technician"}, cs),
        ("start", "start", {}, tech),
        ("part", "parts", {"part_code": "LUOI-LOC-12", "qty": 1, "location": "VAN-TECH"}, tech),
        ("work", "work", {"checked": [True], "confirmed_by": "An",
                          "payment": {"amount_vnd": 80000, "method": "cash"}}, tech),
        ("complete", "complete", {}, tech),
    ]  # fmt: skip
    out: dict[str, Any] = {}
    ticket: dict[str, Any] = {}
    for name, path, body, who in steps:
        if ticket:
            path = f"/maintenance/tickets/{ticket['ticket_id']}/{path}"
            body = {"version": ticket["version"], **body}
        with counter.measure() as calls:
            answer = _post(client, path, body, who)
        assert answer.status_code in (200, 201), answer.body
        ticket = json.loads(answer.body)
        out[name] = dict(calls)
    return out


if __name__ == "__main__":
    print(json.dumps(measure()))
