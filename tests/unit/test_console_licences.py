"""The console's licence check (web/console/scripts/check-licences.mjs, run by `make check`):
every package in the lockfile has an approved open-source licence, or the check fails naming it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "web" / "console" / "scripts" / "check-licences.mjs"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


def check(tmp_path: Path, packages: dict[str, dict[str, str]]) -> subprocess.CompletedProcess[str]:
    lock = tmp_path / "package-lock.json"
    entries = {"": {"name": "garanti-console"}} | {
        f"node_modules/{name}": entry for name, entry in packages.items()
    }
    lock.write_text(json.dumps({"lockfileVersion": 3, "packages": entries}), encoding="utf-8")
    return subprocess.run(
        ["node", str(SCRIPT), str(lock)], capture_output=True, text=True, timeout=30, check=False
    )


def test_open_source_licences_pass_including_a_choice_among_them(tmp_path: Path) -> None:
    done = check(
        tmp_path,
        {
            "react": {"version": "19.3.1", "license": "MIT"},
            "dual": {"version": "1.0.0", "license": "(MIT OR Apache-2.0)"},
            "gpl-or-mit": {"version": "1.0.0", "license": "(GPL-3.0 OR MIT)"},
        },
    )

    assert done.returncode == 0, done.stderr
    assert "3 packages" in done.stdout


def test_a_package_without_an_approved_licence_fails_and_is_named(tmp_path: Path) -> None:
    done = check(
        tmp_path,
        {
            "react": {"version": "19.3.1", "license": "MIT"},
            "copyleft": {"version": "2.0.0", "license": "GPL-3.0"},
            "silent": {"version": "0.1.0"},
        },
    )

    assert done.returncode == 1
    assert "copyleft@2.0.0: GPL-3.0" in done.stderr
    assert "silent@0.1.0: no licence" in done.stderr
    assert "react" not in done.stderr


def test_the_committed_lockfile_passes() -> None:
    done = subprocess.run(
        ["node", str(SCRIPT)], capture_output=True, text=True, timeout=30, check=False
    )

    assert done.returncode == 0, done.stderr
