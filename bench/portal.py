"""The portal's budget (issue 4), measured in a real Chromium against the embedded stack:
the landing page's own files (HTML, CSS, JS, texts, icon: bytes transferred and requests, the
product image and the API's answers aside) and its first contentful paint on an emulated slow
3G network (WebPageTest's "3G Slow": 400 ms round trip, 400 kbit/s each way), cold cache.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path
from typing import Any

from tests.support.devstack_process import start_devstack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
RUNS = 3
PRODUCT_IMAGES = "/assets/"  # the product's picture: outside the page's own budget


def run() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="garanti-bench-portal-"))
    stack = start_devstack(data_dir)
    try:
        token = _sample_token("".join(stack.output))
        web = f"http://127.0.0.1:{stack.ports['web']}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                runs = [_measure(browser, f"{web}/q/{token}", web) for _ in range(RUNS)]
            finally:
                browser.close()
    finally:
        stack.stop()
    first = runs[0]
    return {
        "landing_own_bytes_transferred": first["bytes"],
        "landing_own_requests": first["requests"],
        "landing_own_files": first["files"],
        "first_contentful_paint_ms_slow_3g_median": round(
            statistics.median(r["fcp_ms"] for r in runs)
        ),
        "network_profile": "400 ms RTT, 400 kbit/s down and up (WebPageTest 3G Slow), cold cache",
        "budget": {"bytes": 100 * 1024, "requests": 12, "fcp_ms": 1500},
    }


def _sample_token(banner: str) -> str:
    found = re.search(r"/q/([A-Z2-7]+)", banner)
    if found is None:
        raise RuntimeError("no sample QR token in the stack's banner")
    return found.group(1)


def _measure(browser: Any, url: str, web_origin: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    urls: dict[str, str] = {}

    def on_response(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["response"]["url"]
        kinds[event["requestId"]] = event.get("type", "").lower()

    def on_finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1"
    )
    own = [
        rid
        for rid, address in urls.items()
        if address.startswith(web_origin)
        and not address.removeprefix(web_origin).startswith(PRODUCT_IMAGES)
    ]
    context.close()
    return {
        "bytes": sum(sizes.get(rid, 0) for rid in own),
        "requests": len(own),
        "files": sorted(urls[rid].removeprefix(web_origin) for rid in own),
        "fcp_ms": float(fcp),
    }
