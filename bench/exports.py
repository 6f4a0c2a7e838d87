"""Units exports (issue 12): time and peak memory writing the units list to Excel for 1,000
units against 100,000 (the goal: flat memory).

What is measured is the export's own work: units made in memory (a generator, as the query's
pages arrive: the repository holds one page of at most 1,000 units at a time) streamed through
:func:`chalicelib.catalog.export.write_workbook` (xlsxwriter in constant-memory mode, every
cell through ``spreadsheet_cell``) into a temporary file. Each size runs in a fresh process
(``ru_maxrss``), so neither inherits the other's heap; the resident set before the export
(imports done) is given beside the peak. ``GARANTI_BENCH_EXPORT_BIG`` (default 100,000) sets the
big one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SMALL = 1_000
BIG = int(os.environ.get("GARANTI_BENCH_EXPORT_BIG", "100000"))

_CHILD = """
import json, resource, sys, tempfile, time
from datetime import UTC, date, datetime, timedelta
from chalicelib.catalog.export import write_workbook
from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
from chalicelib.catalog.serials import generated_serial
import xlsxwriter  # loaded before the "before" figure, as the export's run has it

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

count = int(sys.argv[1])
made = datetime(2026, 11, 1, tzinfo=UTC)

def units():
    for n in range(1, count + 1):
        activation = None
        if n % 3 == 0:
            at = made + timedelta(minutes=n)
            activation = Activation(
                activated_at=at, warranty_start=at.date(), warranty_end=date(2028, 11, 1),
                warranty_reason="warranty_from_activation", channel="web",
                owner=Owner(name="Nguyễn Văn An", phone="+84912345678"),
            )
        yield Unit(
            serial=generated_serial("GAR", n), model_code="AC-INV-12",
            status=UnitStatus.ACTIVATED if activation else UnitStatus.REGISTERED,
            batch="2026-11", manufactured_on=date(2026, 10, 1), created_at=made,
            activation=activation,
        )

before = peak_mb()
started = time.perf_counter()
with tempfile.TemporaryFile() as out:
    rows = write_workbook(out, units(), language="vi", today=date(2026, 12, 1))
    size = out.tell()
seconds = time.perf_counter() - started
print(json.dumps({"rows": rows, "seconds": round(seconds, 2),
                  "rows_per_second": round(rows / seconds),
                  "file_mb": round(size / 2**20, 2),
                  "peak_rss_before_mb": round(before, 1), "peak_rss_mb": round(peak_mb(), 1)}))
"""


def _measure(count: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, Any]:
    small, big = _measure(SMALL), _measure(BIG)
    growth = big["peak_rss_mb"] - small["peak_rss_mb"]
    return {
        f"units_{SMALL}": small,
        f"units_{BIG}": big,
        "peak_rss_growth_mb": round(growth, 1),
        "memory_flat": growth < 20,  # MB, for 100 times the rows
        "lambda_seconds_left_at_big": round(900 - big["seconds"]),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
