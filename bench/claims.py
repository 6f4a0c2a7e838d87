"""Service requests' figures (issue 15), through the API (Chalice's test client) in a fresh
process against the emulator, DynamoDB calls counted with botocore hooks on every session
PynamoDB makes:

- the calls to file a request (``POST /claims``) and to move it one step (``POST
  /claims/{id}/moves``), each answering the request's detail;
- the board (``GET /claims/board``) with 10,000 requests spread over the states, time and calls
  (goal: one batch read of the counts and one query per non-empty column, whatever the number
  of requests), and the next page of its largest column;
- a technician's own board over the same table (the per-assignee counters and index).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REQUESTS = 10_000
TECHNICIAN_SHARE = 20  # one request in 20 is the bench technician's


def run() -> dict[str, Any]:
    from bench.workload import in_fresh_process

    return in_fresh_process("bench.claims")


def measure() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-claims", _measure)


def _table(template: Any, now: datetime) -> dict[str, int]:
    """``REQUESTS`` requests written as the repository writes them, spread over the states
    (most closed, as a desk's table is after a year), with the counters the writes would
    keep; one in ``TECHNICIAN_SHARE`` routed to the technician ``technician``."""
    from chalicelib.claims.model import Routing
    from chalicelib.claims.repository import to_record
    from chalicelib.claims.states import ClaimState
    from chalicelib.claims.tables import ClaimCountRecord, ClaimRecord

    states = [*([ClaimState.CLOSED] * 12), *ClaimState]
    counts: dict[str, int] = {}
    with ClaimRecord.batch_write() as batch:
        for n in range(REQUESTS):
            state = states[n % len(states)]
            at = now - timedelta(minutes=7 * n)
            mine = n % TECHNICIAN_SHARE == 0
            claim = replace(
                template,
                claim_id=f"SR-B{n:07d}",
                state=state,
                state_since=at,
                created_at=at,
                updated_at=at,
                routing=Routing.INTERNAL if mine else None,
                assignee_key="tech#technician" if mine else None,
                assignee_name="technician" if mine else None,
            )
            batch.save(to_record(claim))
            for name in (f"state#{state.value}", *([f"state#{state.value}#tech#technician"]
                                                    if mine else [])):  # fmt: skip
                counts[name] = counts.get(name, 0) + 1
    for name, total in counts.items():
        ClaimCountRecord(name, total=total).save()
    return counts


def _measure(emulator_url: str, workdir: Path) -> dict[str, Any]:
    from bench.dashboard import signed_in_app

    counter, client, bearer = signed_in_app(emulator_url, workdir)

    from bench.workload import auth_header
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import NewUnit
    from chalicelib.claims.repository import ClaimRepository
    from devstack.demo import DEMO_MODELS
    from devstack.demo_users import DEMO_USERS

    model = DEMO_MODELS[0][0]
    catalog_wiring.unit_repository().add(
        [NewUnit("BENCH-SR-1", model.code)], event="imported", by="bench"
    )
    headers = {**bearer, "Content-Type": "application/json"}

    def call(method: str, path: str, body: Any = None, auth: dict[str, str] = headers) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        response = getattr(client.http, method)(path, headers=auth, body=raw)
        assert response.status_code in (200, 201), (path, response.body)
        return json.loads(response.body)

    body = {
        "claim_type": "repair",
        "serial": "BENCH-SR-1",
        "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678"},
        "description": "Máy không lạnh",
    }
    call("post", "/claims", body)  # warm: JWKS, settings, the model cache, validators
    with counter.measure() as create_calls:
        claim = call("post", "/claims", body)["claim"]
    with counter.measure() as move_calls:
        call("post", f"/claims/{claim['claim_id']}/moves", {"to": "triaged", "version": 1})

    template = ClaimRepository().get(claim["claim_id"])
    assert template is not None
    started = time.perf_counter()
    counts = _table(template, datetime.now(UTC))
    seed_seconds = time.perf_counter() - started

    call("get", "/claims/board")  # warm
    with counter.measure() as board_calls:
        started = time.perf_counter()
        board = call("get", "/claims/board")
        board_ms = (time.perf_counter() - started) * 1000
    closed = next(c for c in board["columns"] if c["state"] == "closed")
    with counter.measure() as page_calls:
        started = time.perf_counter()
        page = call("get", f"/claims/board/closed?cursor={closed['next_cursor']}")
        page_ms = (time.perf_counter() - started) * 1000
    technician = next(u for u in DEMO_USERS if u.username == "technician")
    own = {**auth_header(client, technician), "Content-Type": "application/json"}
    call("get", "/claims/board", auth=own)  # warm
    with counter.measure() as own_calls:
        started = time.perf_counter()
        own_board = call("get", "/claims/board", auth=own)
        own_ms = (time.perf_counter() - started) * 1000
    return {
        "file_request_calls": dict(sorted(create_calls.items())),
        "move_one_step_calls": dict(sorted(move_calls.items())),
        "requests_in_table": REQUESTS,
        "seed_seconds": round(seed_seconds, 1),
        "board_ms": round(board_ms, 1),
        "board_calls": dict(sorted(board_calls.items())),
        "board_columns_non_empty": sum(1 for c in board["columns"] if c["count"]),
        "board_total": sum(c["count"] for c in board["columns"]),
        "closed_next_page_ms": round(page_ms, 1),
        "closed_next_page_calls": dict(sorted(page_calls.items())),
        "closed_next_page_items": len(page["claims"]),
        "technician_board_ms": round(own_ms, 1),
        "technician_board_calls": dict(sorted(own_calls.items())),
        "technician_board_total": sum(c["count"] for c in own_board["columns"]),
        "technician_requests_written": sum(v for k, v in counts.items() if "#tech#" in k),
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
