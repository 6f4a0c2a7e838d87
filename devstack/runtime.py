"""What one-off commands need to reach the running stack, and how they load the app.

``run`` writes ``<data dir>/runtime.json`` once the stack is ready (ports, URLs and the app's
environment, including the Cognito ids of this start) and removes it when it stops. ``dlq
replay`` and ``schedule run`` read it, set that environment and import the app, so the handler
they call talks to the running emulator exactly as the stack's own poller and ticker would.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from chalice.app import Chalice

from devstack.config import StackConfig, StackError


@dataclass(frozen=True)
class RuntimeInfo:
    pid: int
    started_at: str
    emulator_url: str
    api_url: str
    web_url: str
    data_dir: str
    environment: dict[str, str]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuntimeInfo:
        return cls(
            pid=int(data["pid"]),
            started_at=str(data["started_at"]),
            emulator_url=str(data["emulator_url"]),
            api_url=str(data["api_url"]),
            web_url=str(data["web_url"]),
            data_dir=str(data["data_dir"]),
            environment={str(k): str(v) for k, v in data["environment"].items()},
        )


def process_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def write_runtime(path: Path, info: RuntimeInfo) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    os.replace(temporary, path)


def read_runtime(path: Path) -> RuntimeInfo | None:
    """The running stack's info, or ``None`` when none runs (a stale file is ignored)."""
    try:
        info = RuntimeInfo.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info if process_is_alive(info.pid) else None


def remove_runtime(path: Path, pid: int) -> None:
    """Remove ``path`` if it belongs to process ``pid`` (never another stack's file)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if data.get("pid") == pid:
        path.unlink(missing_ok=True)


def require_running_stack(config: StackConfig) -> RuntimeInfo:
    info = read_runtime(config.runtime_path)
    if info is None:
        raise StackError(
            f"no stack is running for {config.data_dir}: start it with `make run` "
            "(or set GARANTI_DEVSTACK_DIR to the data folder of the stack you mean)"
        )
    return info


def load_app(repo_root: Path) -> Chalice:
    """Import ``app.app`` from ``repo_root`` (set the environment first: settings read it)."""
    root = str(repo_root)
    if root not in sys.path:
        sys.path.insert(0, root)
    module = importlib.import_module("app")
    app = getattr(module, "app", None)
    if not isinstance(app, Chalice):
        raise StackError(f"{repo_root / 'app.py'} defines no Chalice object named app")
    return app
