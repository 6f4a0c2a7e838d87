"""The manager's reconciliation (issue 13): a month of 10,000 reward entries against one of
1,000, in a fresh emulator. For each month, in a fresh process (its own ``ru_maxrss``):

- the reconciliation page: ``GET /rewards/periods/{month}``'s work (the month's counts and sums
  per state: a query of the month on ``period_index``, never a scan) and the first page of
  ``GET /rewards?period=`` (50 entries);
- the export: the month's entries queried page by page, written by
  :func:`chalicelib.partners.reward_export.write_rewards` (xlsxwriter, constant memory) into a
  temporary file, streamed to the bucket and presigned, as the export job (kind ``reward``) does.

Times include the emulator's HTTP round trips (in AWS, DynamoDB answers a 1 MB page faster than
the local emulator does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.workload import _environment
from devstack.emulator import free_port

REPO = Path(__file__).resolve().parents[1]
BIG, SMALL = 10_000, 1_000
PARTNERS = 25

_CHILD = """
import json, resource, sys, tempfile, time
import xlsxwriter  # loaded before the "before" figure, as the export's run has it
from chalicelib.partners import reward_service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.reward_export import XLSX, write_rewards
from chalicelib.platform import wiring as platform_wiring

def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would keep the parent's across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

month = sys.argv[1]
ledger, partners = partner_wiring.reward_ledger(), partner_wiring.partner_repository()
storage = platform_wiring.storage()
ledger.period(month)  # connections made before timing
before = peak_mb()
started, cpu = time.perf_counter(), time.process_time()
report = reward_service.period_report(month, ledger=ledger)
report_seconds, report_cpu = time.perf_counter() - started, time.process_time() - cpu
started = time.perf_counter()
page = reward_service.period_page(
    month, None, limit=50, after=None, ledger=ledger, partners=partners
)
page_seconds = time.perf_counter() - started
known = {}

def partner_of(partner_id):
    if partner_id not in known:
        known[partner_id] = partners.get(partner_id)
    return known[partner_id]

started, cpu = time.perf_counter(), time.process_time()
with tempfile.TemporaryFile() as out:
    rows = write_rewards(out, ledger.entries_of_period(month), partner_of, language="vi",
                         reveal_phone=True)
    size = out.tell()
    written, cpu = time.perf_counter() - started, time.process_time() - cpu
    key = f"exports/rewards/{month}-bench.xlsx"
    storage.upload_from(key, out, content_type=XLSX, filename=f"rewards-{month}.xlsx")
    storage.download_url(key, expires_seconds=900)
seconds = time.perf_counter() - started
print(json.dumps({
    "entries": sum(report.totals.counts.values()),
    "period_totals_seconds": round(report_seconds, 2),
    "period_totals_cpu_seconds": round(report_cpu, 2),
    "first_page_of_50_seconds": round(page_seconds, 3),
    "first_page_entries": len(page.entries),
    "export_rows": rows,
    "export_query_and_write_seconds": round(written, 2),
    "export_total_seconds_with_upload": round(seconds, 2),
    "export_cpu_seconds_of_the_function": round(cpu, 2),
    "export_file_mb": round(size / 2**20, 2),
    "partner_reads": len(known),
    "peak_rss_before_mb": round(before, 1),
    "peak_rss_mb": round(peak_mb(), 1),
}))
"""


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-recon-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        _seed(workdir)
        big, small = _child("2026-03"), _child("2026-04")
    finally:
        emulator.stop()
    growth = big["peak_rss_mb"] - small["peak_rss_mb"]
    return {
        f"month_of_{BIG}": big,
        f"month_of_{SMALL}": small,
        "peak_rss_growth_mb": round(growth, 1),
        "memory_flat": growth < 20,  # MB, for 10 times the entries
        # the emulator answers a GSI query by walking the table in Python: the function's own
        # CPU is the part that carries over to AWS (DynamoDB pages 1 MB in tens of ms)
        "export_cpu_share_at_big": round(
            big["export_cpu_seconds_of_the_function"] / big["export_total_seconds_with_upload"], 2
        ),
    }


def _child(month: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, month],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _seed(workdir: Path) -> None:
    """``PARTNERS`` approved partners; ``BIG`` entries in March 2026, ``SMALL`` in April, in
    every state a month holds, with flags, reasons and staff decisions."""
    import boto3

    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.core.settings import get_settings
    from chalicelib.partners import service as partners
    from chalicelib.partners import wiring as partner_wiring
    from chalicelib.partners.model import PartnerDetails, PartnerStatus
    from chalicelib.partners.reward_repository import _record
    from chalicelib.partners.reward_tables import RewardRecord
    from chalicelib.platform import wiring as platform_wiring
    from chalicelib.tables import ALL_TABLES
    from devstack.provision import create_bucket, create_tables, put_secrets

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    create_bucket(boto3.client("s3"), settings.uploads_bucket, settings.region)
    put_secrets(boto3.client("ssm"), settings.secrets_parameter, workdir / "secrets.json")
    pepper = platform_wiring.secrets().pepper
    change = partners.Change("bench", datetime(2026, 1, 1, tzinfo=UTC), "bench")
    ids = [
        partners.create(
            PartnerDetails(f"+8498765{n:04d}", f"Thợ Bench {n}", "079190001234", "Đà Nẵng",
                           "970422", "1234567890", "THO BENCH"),
            PartnerStatus.APPROVED, "", change, pepper=pepper,
            partners=partner_wiring.partner_repository(), trail=audit_wiring.audit_trail(),
        ).partner_id
        for n in range(PARTNERS)
    ]  # fmt: skip
    with RewardRecord.batch_write() as batch:
        for entry in _entries(ids, datetime(2026, 3, 1, 2, tzinfo=UTC), BIG):
            batch.save(_record(entry))
        for entry in _entries(ids, datetime(2026, 4, 1, 2, tzinfo=UTC), SMALL, start=BIG):
            batch.save(_record(entry))


def _entries(ids: list[str], first: datetime, count: int, start: int = 0) -> Any:
    from chalicelib.partners.rewards import (
        Decision,
        EntryState,
        Flag,
        LedgerEntry,
        NotEligible,
        StateChange,
        decided,
    )

    states = (EntryState.APPROVED, EntryState.REJECTED, EntryState.HELD, EntryState.NOT_ELIGIBLE)
    step = timedelta(days=27) / count
    for n in range(start, start + count):
        at = first + step * (n - start)
        state = states[n % len(states)]
        eligible = state is not EntryState.NOT_ELIGIBLE
        entry = LedgerEntry(
            entry_id=f"BENCH{n:07d}",
            serial=f"BENCH{n:07d}",
            model_code="AC-INV-12",
            partner_id=ids[n % len(ids)],
            state=EntryState.HELD if eligible else state,
            amount=50_000 if eligible else 0,
            activated_at=at,
            activation_day=at.date(),
            created_at=at,
            customer_key=f"k{n}",
            rule_id="r_bench" if eligible else "",
            rule_version=1 if eligible else 0,
            reason=None if eligible else NotEligible.PHONE_MISMATCH,
            flags=(Flag.BURST,) if eligible else (),
            history=(StateChange(at, "system", None, EntryState.HELD if eligible else state),),
        )
        if state in (EntryState.APPROVED, EntryState.REJECTED):
            decision = Decision.APPROVE if state is EntryState.APPROVED else Decision.REJECT
            entry = decided(entry, decision, by="director", at=at, note="đã đối soát")
        yield entry


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    print(json.dumps(run(), indent=2, ensure_ascii=False))
