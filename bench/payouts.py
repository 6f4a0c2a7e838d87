"""The accountant's payouts (issue 13): a batch of 1,000 partners / 10,000 entries against one of
100 partners / 1,000 entries, in a fresh emulator. For each, in a fresh process (its own peak
memory), what ``POST /payouts`` and ``POST /payouts/{id}/export`` do:

- create: the locked month's payable entries (a query of ``payable_index``), one read per
  partner, the batch and its planned lines written, the entries taken (transactions of 100
  conditional updates), read back, the lines finished (batch writes) and the batch opened;
- export: the lines written by :func:`chalicelib.partners.payout_export.write_batch` (two sheets,
  a VietQR code per line) into a temporary file, streamed to the bucket and presigned.

Times include the emulator's HTTP round trips; the function's own CPU is what carries to AWS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.workload import _environment
from devstack.emulator import free_port

REPO = Path(__file__).resolve().parents[1]
RUNS = {"2026-03": (1_000, 10_000), "2026-04": (100, 1_000)}  # month: (partners, entries)

_CHILD = """
import json, resource, sys, tempfile, time
from datetime import UTC, date, datetime
import xlsxwriter  # loaded before the "before" figure, as the export's run has it
from chalicelib.audit import wiring as audit_wiring
from chalicelib.partners import payout_service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.payout_export import XLSX, write_batch
from chalicelib.partners.service import Change
from chalicelib.platform import wiring as platform_wiring

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

month = sys.argv[1]
payouts, settings = partner_wiring.payout_repository(), partner_wiring.payout_settings()
partners, trail = partner_wiring.partner_repository(), audit_wiring.audit_trail()
storage = platform_wiring.storage()
settings.versions()  # connections made before timing
before = peak_mb()
change = Change("bench", datetime.now(UTC), "bench-" + month)
started, cpu = time.perf_counter(), time.process_time()
detail = payout_service.create_batch([month], change, day=date(2026, 5, 10), settings=settings,
                                     payouts=payouts, partners=partners, trail=trail)
created, created_cpu = time.perf_counter() - started, time.process_time() - cpu
started, cpu = time.perf_counter(), time.process_time()
paying = payout_service.exportable(detail.batch.batch_id, payouts=payouts)
with tempfile.TemporaryFile() as out:
    rows = write_batch(out, paying.batch, paying.lines, language="vi")
    size = out.tell()
    key = "exports/payouts/" + detail.batch.batch_id + ".xlsx"
    storage.upload_from(key, out, content_type=XLSX, filename="payouts.xlsx")
payout_service.exported(detail.batch.batch_id, rows, change, payouts=payouts, trail=trail)
storage.download_url(key, expires_seconds=900)
exported, exported_cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({
    "lines": detail.batch.lines,
    "entries": detail.batch.entries,
    "gross": detail.batch.gross,
    "tax": detail.batch.tax,
    "create_seconds": round(created, 2),
    "create_cpu_seconds_of_the_function": round(created_cpu, 2),
    "export_seconds_with_upload": round(exported, 2),
    "export_cpu_seconds_of_the_function": round(exported_cpu, 2),
    "export_rows": rows,
    "export_file_mb": round(size / 2**20, 2),
    "peak_rss_before_mb": round(before, 1),
    "peak_rss_mb": round(peak_mb(), 1),
}))
"""


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-payouts-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        _seed(workdir)
        small, big = _child("2026-04"), _child("2026-03")
    finally:
        emulator.stop()
    return {
        "batch_of_1000_partners_10000_entries": big,
        "batch_of_100_partners_1000_entries": small,
        "create_time_ratio": round(big["create_seconds"] / small["create_seconds"], 1),
        "create_cpu_ratio": round(
            big["create_cpu_seconds_of_the_function"]
            / max(small["create_cpu_seconds_of_the_function"], 0.01),
            1,
        ),
        "export_cpu_ratio": round(
            big["export_cpu_seconds_of_the_function"]
            / max(small["export_cpu_seconds_of_the_function"], 0.01),
            1,
        ),
        "peak_rss_growth_mb": round(big["peak_rss_mb"] - small["peak_rss_mb"], 1),
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
    """The partners (written whole, without their phone claims: nobody signs in here), their
    approved entries in each locked month, and a confirmed 10 % setting."""
    import boto3

    from chalicelib.core.phone import phone_key
    from chalicelib.core.settings import get_settings
    from chalicelib.partners.model import PartnerDetails, PartnerStatus, new_partner
    from chalicelib.partners.payout_repository import PayoutSettingRepository
    from chalicelib.partners.payouts import SettingTerms, confirmed
    from chalicelib.partners.repository import _to_record
    from chalicelib.partners.reward_repository import RewardLedgerRepository
    from chalicelib.partners.reward_tables import RewardRecord
    from chalicelib.partners.tables import PartnerRecord
    from chalicelib.platform import wiring as platform_wiring
    from chalicelib.tables import ALL_TABLES
    from devstack.provision import create_bucket, create_tables, put_secrets

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    create_bucket(boto3.client("s3"), settings.uploads_bucket, settings.region)
    put_secrets(boto3.client("ssm"), settings.secrets_parameter, workdir / "secrets.json")
    pepper = platform_wiring.secrets().pepper
    at = datetime(2026, 1, 1, tzinfo=UTC)
    PayoutSettingRepository(settings.brand_id).add(
        confirmed([], SettingTerms(1000, 2_000_000, date(2026, 1, 1)), by="bench", at=at)
    )
    ledger = RewardLedgerRepository()
    serial = 0
    for month, (count, entries) in RUNS.items():
        ids = []
        with PartnerRecord.batch_write() as batch:
            for n in range(count):
                phone = f"+8498{int(month[-2:]):02d}{n:05d}"
                details = PartnerDetails(phone, f"Thợ Bench {n}", "079190001234", "Đà Nẵng",
                                         "970422", f"{1234567890 + n}", "THO BENCH")  # fmt: skip
                partner = new_partner(details, status=PartnerStatus.APPROVED, by="bench", at=at)
                batch.save(_to_record(partner, phone_key(pepper, phone)))
                ids.append(partner.partner_id)
        first = datetime(int(month[:4]), int(month[-2:]), 1, 2, tzinfo=UTC)
        with RewardRecord.batch_write() as batch:
            for n in range(entries):
                serial += 1
                # amounts vary so some partners reach the threshold and some do not
                batch.save(_approved(f"BENCH{serial:07d}", ids[n % count], first, n))
        ledger.lock(month, by="bench", at=first + timedelta(days=35))


def _approved(serial: str, partner_id: str, first: datetime, n: int) -> Any:
    from chalicelib.partners.reward_repository import _record
    from chalicelib.partners.rewards import EntryState, LedgerEntry, StateChange

    at = first + timedelta(minutes=n)
    approved = EntryState.APPROVED
    entry = LedgerEntry(serial, serial, "AC-INV-12", partner_id, approved,
                        50_000 + (n % 7) * 50_000, at, at.date(), at, f"k{serial}",
                        rule_id="r_bench", rule_version=1,
                        history=(StateChange(at, "director", None, approved),))  # fmt: skip
    return _record(entry)


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    print(json.dumps(run(), indent=2, ensure_ascii=False))
