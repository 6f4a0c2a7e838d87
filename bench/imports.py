"""Unit imports (issue 12): time and peak memory of an import job's run for an Excel file of
1,000 rows against one of 100,000 (the goal: flat memory).

Each size runs in a fresh interpreter against one emulator (moto server, a child process of the
parent), with its own tables: the file is written with xlsxwriter, uploaded to the bucket, and
the job is run by ``import_runner.run_import`` as the stream handler runs it, so the figures are
the run's own (download, count pass, parse with calamine, checks, conditional transactions,
results, the report). Memory is ``ru_maxrss`` of that process, before the run (imports warmed)
and after it, and the resident set read at each progress write (first, last, highest): the
rows in flight stay a chunk, the set of serials seen grows by ~100 bytes a row.
``GARANTI_BENCH_IMPORT_BIG`` (default 100,000) sets the big one: a developer may ask for fewer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SMALL = 1_000
BIG = int(os.environ.get("GARANTI_BENCH_IMPORT_BIG", "100000"))
MODEL = "BENCH-1"


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)  # MiB, as ru_maxrss below


def _workbook(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for column, name in enumerate(("serial", "model_code", "batch", "manufactured_on")):
        sheet.write_string(0, column, name)
    for row in range(1, rows + 1):
        sheet.write_string(row, 0, f"BN-{row:07d}")
        sheet.write_string(row, 1, MODEL)
        sheet.write_string(row, 2, f"LOT-{row // 5000:03d}")
        sheet.write_string(row, 3, "2026-01-15")
    book.close()


def child(rows: int) -> dict[str, Any]:
    """In a fresh interpreter (the environment names the emulator and this size's tables)."""
    import resource

    import boto3

    from chalicelib.catalog import import_runner
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.import_jobs import source_key
    from chalicelib.catalog.model import ProductModel
    from chalicelib.catalog.warranty import StartBasis, WarrantyTerms
    from chalicelib.core.settings import get_settings
    from chalicelib.tables import ALL_TABLES
    from devstack.provision import create_bucket, create_tables

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    create_bucket(boto3.client("s3"), settings.uploads_bucket, settings.region)
    terms = WarrantyTerms(months=24, start_basis=StartBasis.ACTIVATION)
    model = ProductModel(MODEL, "Bench model", "", "", {}, terms=terms)
    catalog_wiring.model_repository().create(model)
    storage = catalog_wiring.import_context().storage
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.xlsx"
        _workbook(path, rows)
        size = path.stat().st_size
        link = import_runner.create_import(
            "units.xlsx",
            size,
            brand_id=settings.brand_id,
            language="vi",
            by="bench",
            now=datetime.now(UTC),
            expires_seconds=600,
            jobs=catalog_wiring.unit_imports(),
            storage=storage,
        )
        with path.open("rb") as file:
            storage.upload_from(
                source_key(link.job.import_id, "xlsx"),
                file,
                content_type=link.content_type,
                filename="units.xlsx",
            )
    jobs = catalog_wiring.unit_imports()
    import_runner.start_import(link.job, now=datetime.now(UTC), jobs=jobs, storage=storage)
    rss: dict[str, float] = {}
    real_progress = jobs.progress

    def progress(import_id: str, **counts: Any) -> bool:
        now = _rss_mb()
        rss.setdefault("first", now)
        rss["last"] = now
        rss["max"] = max(rss.get("max", 0.0), now)
        return real_progress(import_id, **counts)

    jobs.progress = progress  # type: ignore[method-assign]
    import python_calamine  # noqa: F401 - imports warmed before the "before" figure
    import xlsxwriter  # noqa: F401

    before = peak_mb()
    started = time.perf_counter()
    job = import_runner.run_import(link.job.import_id, context=catalog_wiring.import_context())
    seconds = time.perf_counter() - started
    assert job is not None and job.status.value == "done", job
    return {
        "rows": rows,
        "xlsx_bytes": size,
        "imported": job.imported,
        "rejected": job.rejected,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds, 1),
        "peak_rss_mb_before_run": round(before, 1),
        "peak_rss_mb": round(peak_mb(), 1),
        "rss_mb_at_first_progress": round(rss.get("first", float("nan")), 1),
        "rss_mb_at_last_progress": round(rss.get("last", float("nan")), 1),
        "rss_mb_highest_at_a_progress": round(rss.get("max", float("nan")), 1),
    }


def _measure(rows: int, emulator_url: str) -> dict[str, Any]:
    code = (
        "import json, sys\n"
        "from bench.imports import child\n"
        "print(json.dumps(child(int(sys.argv[1]))))\n"
    )
    env = {
        **os.environ,
        "GARANTI_STAGE": "local",
        "GARANTI_TABLE_PREFIX": f"bench-import-{rows}",
        "GARANTI_UPLOADS_BUCKET": f"bench-import-{rows}",
        "AWS_ENDPOINT_URL": emulator_url,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "ap-southeast-1",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(rows)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator, free_port

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-imports-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        small = _measure(SMALL, emulator.url)
        big = _measure(BIG, emulator.url)
    finally:
        emulator.stop()
    return {
        "small": small,
        "big": big,
        "peak_rss_growth_mb": round(big["peak_rss_mb"] - small["peak_rss_mb"], 1),
        "rows_ratio": round(BIG / SMALL, 1),
    }
