"""The console's browser fixtures: the console as `make console` builds it, one embedded stack per
test module (each module's data its own), Debian's Chromium, and pages with axe-core preloaded.
The portal's module defines its own ``stack`` and pages (no console build)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import chromium, page_opener
from tests.support.console import ARTIFACTS, AXE, CONSOLE, DESKTOP, REPO
from tests.support.devstack_process import DevstackProcess, start_devstack


@pytest.fixture(scope="module")
def built_console() -> Path:
    """The console as `make console` builds it (a no-op when nothing changed)."""
    done = subprocess.run(
        ["make", "console"], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert AXE.is_file(), "axe-core comes from web/console/node_modules (npm ci)"
    return CONSOLE / "dist"


@pytest.fixture(scope="module")
def stack(
    built_console: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.kill()  # its data is not read again: no need to save it (Ctrl-C has its own tests)


@pytest.fixture(scope="module")
def console(stack: DevstackProcess) -> str:
    return f"http://127.0.0.1:{stack.ports['console']}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Browser, console: str) -> Iterator[Callable[..., Page]]:
    """Fresh browsers (contexts) with axe-core preloaded; a script error or a refused (CSP)
    load fails the test."""
    with page_opener(
        browser, base_url=console, viewport=DESKTOP, locale="vi-VN", init_script=AXE
    ) as new_page:
        yield new_page


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()
