"""Cold import of the API function vs a minimal Chalice app that imports boto3 and pynamodb.

Each sample is a fresh interpreter that times its own import (interpreter start excluded, the
same for both), so the ratio is what the app's code adds to a Lambda cold start.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = 10
HEAVY = ("jwt", "cryptography", "PIL", "qrcode", "segno", "openpyxl", "reportlab")

BASELINE = """
import time, json, sys
t = time.perf_counter()
import boto3, pynamodb.models
from chalice import Chalice
app = Chalice(app_name="baseline")
@app.route("/")
def index(): return {}
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

GARANTI = """
import time, json, sys
t = time.perf_counter()
import app
heavy = [m for m in HEAVY if m in sys.modules]
print(json.dumps({"seconds": time.perf_counter() - t, "heavy": heavy}))
""".replace("HEAVY", repr(HEAVY))


def _run(code: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARANTI_")}
    env.update(GARANTI_STAGE="prod", AWS_REGION="ap-southeast-1", PYTHONDONTWRITEBYTECODE="0")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure() -> dict[str, object]:
    _run(BASELINE), _run(GARANTI)  # warm the bytecode caches once, as a deployed package has them
    baseline: list[float] = []
    runs: list[dict[str, object]] = []
    for _ in range(SAMPLES):  # interleaved, so drift in the machine's load hits both alike
        baseline.append(float(str(_run(BASELINE)["seconds"])))
        runs.append(_run(GARANTI))
    ours = [float(str(r["seconds"])) for r in runs]
    base_median, our_median = statistics.median(baseline), statistics.median(ours)
    return {
        "baseline_median_ms": round(base_median * 1000, 1),
        "garanti_median_ms": round(our_median * 1000, 1),
        "ratio": round(our_median / base_median, 2),
        "heavy_modules_imported": runs[0]["heavy"],
    }
