"""Integration fixtures: one moto server per session (per xdist worker), reset before each test
that asks for it, provisioned by the devstack's code. Nothing here is autouse, so suites that
bring their own stack are not touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.provision import CognitoSetup
from tests.support.api import Api, StaffTokens
from tests.support.aws import (
    Emulator,
    clear_app_caches,
    provision_data,
    provision_staff,
    start_emulator,
)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    emulator = start_emulator()
    yield emulator
    emulator.server.stop()


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("garanti")


@pytest.fixture
def aws(emulator: Emulator, workdir: Path) -> Iterator[Emulator]:
    """An empty emulator with the tables, the secrets and the demo brand (prefix ``GAR``)."""
    from chalicelib.catalog.brand_repository import BrandRepository
    from chalicelib.catalog.model import Brand

    emulator.reset()
    clear_app_caches()
    provision_data(emulator, workdir)
    BrandRepository().save(Brand("demo", "Garanti Demo", "GAR"))
    yield emulator
    clear_app_caches()


@pytest.fixture
def cognito(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[CognitoSetup]:
    """The user pool with the demo staff, and the app configured to trust it."""
    setup = provision_staff(aws)
    for name, value in setup.environment().items():
        monkeypatch.setenv(name, value)
    clear_app_caches()
    yield setup
    for name in setup.environment():
        monkeypatch.delenv(name, raising=False)
    clear_app_caches()


@pytest.fixture
def api(aws: Emulator, tmp_path: Path) -> Api:
    project = tmp_path / "chalice-project"
    project.mkdir()
    return Api(project)


@pytest.fixture
def staff(cognito: CognitoSetup, api: Api) -> StaffTokens:
    """``staff("admin")`` → an ID token of the demo user ``admin``."""
    return StaffTokens(api)


@pytest.fixture
def stage(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change settings within a test (``stage.setenv(...)``); restored, caches cleared."""
    yield monkeypatch
    monkeypatch.undo()
    clear_app_caches()
    assert os.environ["GARANTI_STAGE"] == "local"
