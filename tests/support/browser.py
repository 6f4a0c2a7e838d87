"""Debian's Chromium for the browser suites (the portal's and the console's): Playwright drives
it and never downloads a browser of its own. A suite's ``browser`` fixture launches it once a
module; its ``open_page`` fixture opens fresh browsers (contexts) in which a script error or a
load the page's CSP refused fails the test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def require_chromium() -> None:
    """Skip the calling module without Debian's chromium; in CI its absence is an error."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):  # .ci/run installs it; locally: apt-get install chromium
        raise RuntimeError("CI must install Debian's chromium (.ci/run does)")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@contextmanager
def chromium() -> Iterator[Browser]:
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_opener(
    browser: Browser,
    *,
    base_url: str,
    viewport: dict[str, int],
    locale: str | None = None,
    init_script: Path | None = None,
) -> Iterator[Callable[..., Page]]:
    """``new_page(viewport=…, locale=…)`` in a context of its own; when the block ends, every
    context is closed and no page may have thrown or been refused a load by its CSP."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if message.type == "error" and ("Refused" in message.text or "Policy" in message.text):
            problems.append(message.text)

    def new_page(viewport: dict[str, int] = viewport, locale: str | None = locale) -> Page:
        context = browser.new_context(
            viewport=viewport, base_url=base_url, **({"locale": locale} if locale else {})
        )
        if init_script is not None:  # the devtools channel: the page's CSP stands
            context.add_init_script(path=str(init_script))
        contexts.append(context)
        opened = context.new_page()
        opened.on("pageerror", lambda error: problems.append(str(error)))
        opened.on("console", watch)
        return opened

    try:
        yield new_page
    finally:
        for context in contexts:
            context.close()
    assert problems == []
