"""The console's and the dashboard's figures (issue 12):

- the console's first load: JS + CSS, gzip, of the sign-in route (``index.html``'s entry script
  and stylesheets plus the chunks the entry imports statically, and the default language's
  catalogue, which the entry fetches before the first paint; other lazy chunks excluded; goal
  ≤ 250 KB) and of the dashboard's chunk (with what it imports statically beyond the entry),
  computed from ``web/console/dist`` as ``make console`` builds it;
- the sign-in page's first contentful paint on the devstack in headless Chromium, cold cache,
  no network throttling (the median of several fresh browser contexts);
- ``GET /dashboard``: DynamoDB calls per request with 100 and with 10,000 units (counted with
  botocore hooks on every session PynamoDB makes, in a fresh process against the emulator;
  goal: equal).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.workload import in_fresh_process

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "web" / "console" / "dist"
SIGN_IN_BUDGET = 250 * 1024
FCP_RUNS = 5
UNITS = (100, 10_000)

_STATIC_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["'](\./[^"']+\.js)["']""")


def run() -> dict[str, Any]:
    built = subprocess.run(
        ["make", "console"], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    if built.returncode != 0:
        raise RuntimeError(built.stdout + built.stderr)
    return {
        "console_first_load": first_load(DIST),
        "console_sign_in_fcp": sign_in_fcp(),
        "dashboard_reads": in_fresh_process("bench.dashboard"),
    }


# -- bytes ----------------------------------------------------------------------------------------


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def static_closure(assets: Path, first: list[str]) -> list[str]:
    """``first`` and every chunk they import statically (``import … from "./x.js"``), never a
    dynamic ``import("./x.js")``: what the browser must load before the page runs."""
    seen: list[str] = []
    pending = list(first)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        pending += _STATIC_IMPORT.findall((assets / name).read_text("utf-8"))
        pending = [p.removeprefix("./") for p in pending]
    return sorted(seen)


def first_load(dist: Path) -> dict[str, Any]:
    html = (dist / "index.html").read_text("utf-8")
    assets = dist / "assets"
    entry = [
        Path(src).name for src in re.findall(r'<script[^>]+type="module"[^>]+src="([^"]+)"', html)
    ]
    preloaded = [
        Path(h).name for h in re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"', html)
    ]
    styles = [
        Path(h).name for h in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    ]
    # the entry fetches the language's texts (vi by default) before it renders anything
    catalogue = [p.name for p in assets.glob("vi-*.js")]
    sign_in_js = static_closure(assets, entry + preloaded + catalogue)
    sign_in = {name: _gzip_size(assets / name) for name in sign_in_js + styles}
    dashboard_chunk = next(p.name for p in assets.glob("DashboardPage-*.js"))
    dashboard_js = [n for n in static_closure(assets, [dashboard_chunk]) if n not in sign_in_js]
    dashboard = {name: _gzip_size(assets / name) for name in dashboard_js}
    total = sum(sign_in.values())
    return {
        "sign_in_route_gzip_bytes": total,
        "sign_in_route_files": sign_in,
        "sign_in_goal_bytes": SIGN_IN_BUDGET,
        "sign_in_within_goal": total <= SIGN_IN_BUDGET,
        "dashboard_chunk_gzip_bytes": dashboard[dashboard_chunk],
        "dashboard_with_its_static_imports_gzip_bytes": sum(dashboard.values()),
        "dashboard_files": dashboard,
    }


# -- first contentful paint ------------------------------------------------------------------------


def sign_in_fcp() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from bench.portal import CHROMIUM, CHROMIUM_ARGS
    from tests.support.devstack_process import start_devstack

    stack = start_devstack(Path(tempfile.mkdtemp(prefix="garanti-bench-console-")))
    try:
        console = f"http://127.0.0.1:{stack.ports['console']}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                runs = [_fcp(browser, f"{console}/sign-in") for _ in range(FCP_RUNS)]
            finally:
                browser.close()
    finally:
        stack.stop()
    return {
        "first_contentful_paint_ms_median": round(statistics.median(runs)),
        "runs_ms": [round(r) for r in runs],
        "conditions": "the devstack on this machine, headless Chromium, cold cache, no throttling",
    }


def _fcp(browser: Any, url: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.get_by_role("heading", level=1).wait_for()
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1"
    )
    context.close()
    return float(fcp)


# -- reads per GET /dashboard ----------------------------------------------------------------------


def measure_reads() -> dict[str, Any]:
    from bench.workload import on_fresh_emulator

    return on_fresh_emulator("garanti-bench-dashboard", _measure_reads)


def _provision(emulator_url: str, workdir: Path) -> Any:
    import os

    import boto3

    from chalicelib.core.settings import get_settings
    from chalicelib.tables import ALL_TABLES
    from devstack.demo_users import DEMO_USERS
    from devstack.provision import (
        create_tables,
        messaging_config,
        provision_cognito,
        put_messaging,
        put_secrets,
    )

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    ssm = boto3.client("ssm")
    put_secrets(ssm, settings.secrets_parameter, workdir / "secrets.json")
    put_messaging(ssm, settings.messaging_parameter, messaging_config(emulator_url, "bench" * 8))
    cognito = provision_cognito(
        boto3.client("cognito-idp"), region=settings.region, emulator_url=emulator_url,
        users=DEMO_USERS,
    )  # fmt: skip
    os.environ.update(cognito.environment())
    get_settings.cache_clear()
    return next(u for u in DEMO_USERS if u.username == "director")


def signed_in_app(emulator_url: str, workdir: Path) -> tuple[Any, Any, dict[str, str]]:
    """The provisioned emulator's app with the demo brand and models: a call counter
    (installed before any session), Chalice's test client, the director's bearer header."""
    from bench.workload import CallCounter, auth_header

    counter = CallCounter()
    counter.install()
    director = _provision(emulator_url, workdir)

    from chalice.test import Client

    from app import app
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import Brand
    from devstack.demo import DEMO_MODELS

    catalog_wiring.brand_repository().save(Brand("demo", "Garanti Demo", "GAR"))
    for model, _, _ in DEMO_MODELS:
        catalog_wiring.model_repository().create(model)
    client = Client(app)
    return counter, client, auth_header(client, director)


def _measure_reads(emulator_url: str, workdir: Path) -> dict[str, Any]:
    import time
    from datetime import UTC, datetime, timedelta

    counter, client, bearer = signed_in_app(emulator_url, workdir)

    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.model import NewUnit
    from chalicelib.catalog.warranty import business_day
    from chalicelib.dashboard.counters import CountedEvent, activation_counters
    from chalicelib.dashboard.rollup_repository import RollupRepository
    from devstack.demo import DEMO_MODELS

    # 30 days of counters: every model by every channel, every day (a day item's worst case
    # for this brand, the same whatever the number of units)
    now = datetime.now(UTC)
    events = [
        CountedEvent(f"bench-{day}-{m}-{c}", business_day(now - timedelta(days=day)),
                     activation_counters(model.code, channel))
        for day in range(30)
        for m, (model, _, _) in enumerate(DEMO_MODELS)
        for c, channel in enumerate(("web", "sms", "zalo"))
    ]  # fmt: skip
    RollupRepository("demo").count(events, now=now)

    units = catalog_wiring.unit_repository()
    registered = 0
    results: dict[str, Any] = {}
    for target in UNITS:
        batch = [
            NewUnit(f"BENCH-{n:06d}", DEMO_MODELS[n % len(DEMO_MODELS)][0].code)
            for n in range(registered, target)
        ]
        for start in range(0, len(batch), 1_000):
            units.add(batch[start : start + 1_000], event="imported", by="bench")
        registered = target
        client.http.get("/dashboard", headers=bearer)  # warm: model cache, settings, JWKS
        with counter.measure() as calls:
            started = time.perf_counter()
            response = client.http.get("/dashboard", headers=bearer)
            elapsed = time.perf_counter() - started
        body = json.loads(response.body)
        assert response.status_code == 200, response.body
        assert body["activations"]["last_30_days"] == len(events), body
        results[f"{target}_units"] = {"calls": dict(calls), "ms": round(elapsed * 1000, 1)}
    first, last = (results[f"{n}_units"]["calls"] for n in UNITS)
    return {**results, "reads_equal": first == last}


if __name__ == "__main__":
    print(json.dumps(measure_reads()))
