"""Where the stack listens and keeps its data, and the environment the app runs with.

Ports and the data directory come from the environment (``GARANTI_EMULATOR_PORT``,
``GARANTI_API_PORT``, ``GARANTI_WEB_PORT``, ``GARANTI_CONSOLE_PORT``, ``GARANTI_PROVIDERS_PORT``,
``GARANTI_DEVSTACK_DIR``)
so tests can run a stack beside a developer's. The app's environment is the one Lambda would
get for stage ``local`` (``.chalice/config.json``), pointed at this stack's emulator and ports.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
STAGE = "local"
ACCOUNT_ID = "123456789012"  # moto's default account: the one in every ARN it returns
HOST = "127.0.0.1"

DEFAULT_EMULATOR_PORT = 4566
DEFAULT_API_PORT = 8000
DEFAULT_WEB_PORT = 8080
DEFAULT_CONSOLE_PORT = 8081  # the staff console: its own origin, as its CloudFront has in AWS
DEFAULT_PROVIDERS_PORT = 8002  # the fake Zalo and eSMS (devstack.providers)
DEFAULT_MAX_STREAM_RETRIES = 5

# Variables that would make boto3 reach for a real account or profile from the developer's shell.
_SHELL_AWS_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN")


class StackError(RuntimeError):
    """Something the developer must fix (a port taken, no running stack…): said in one line."""


def _port(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise StackError(f"{name} must be a TCP port number (1-65535), got {raw!r}")
    return int(raw)


def _switch(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw not in ("on", "off"):
        raise StackError(f"{name} must be on or off, got {raw!r}")
    return raw == "on"


def _journal_sync(env: Mapping[str, str]) -> bool:
    value = (env.get("GARANTI_JOURNAL_SYNC") or "flush").strip().lower()
    if value not in ("flush", "fsync"):
        raise StackError("GARANTI_JOURNAL_SYNC must be flush or fsync")
    return value == "fsync"


@dataclass(frozen=True)
class StackConfig:
    """Ports, paths and limits of one stack; every path lives under ``data_dir``."""

    repo_root: Path
    data_dir: Path
    emulator_port: int
    api_port: int
    web_port: int
    max_stream_retries: int
    providers_port: int = DEFAULT_PROVIDERS_PORT
    console_port: int = DEFAULT_CONSOLE_PORT
    # The ZNS night window (22:00-06:00 ICT) holds normal messages until 06:00. Off by default
    # here so the demo shows the whole path at any hour; GARANTI_NIGHT_WINDOW=on keeps it.
    night_window: bool = False
    # the demo's activations over the last 30 days (the dashboard's figures); each one sends its
    # confirmation through the fake providers like a real one. GARANTI_DEMO_ACTIVATIONS=off: none
    demo_activations: bool = True
    # a year of history for the warranty reports (devstack.demo_history), with the activations;
    # GARANTI_DEMO_HISTORY=off: none (the tests' stacks, unless a suite asks)
    demo_history: bool = True
    # The journal's durability: "flush" (one write per change, survives a kill of the stack)
    # or "fsync" (also survives a power cut; see `make bench` for the cost).
    journal_fsync: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> StackConfig:
        env = os.environ if environ is None else environ
        data_dir = env.get("GARANTI_DEVSTACK_DIR") or str(REPO_ROOT / ".devstack")
        retries = env.get("GARANTI_MAX_STREAM_RETRIES") or str(DEFAULT_MAX_STREAM_RETRIES)
        if not retries.isdigit():
            raise StackError("GARANTI_MAX_STREAM_RETRIES must be a whole number")
        return cls(
            repo_root=REPO_ROOT,
            data_dir=Path(data_dir).expanduser().resolve(),
            emulator_port=_port(env, "GARANTI_EMULATOR_PORT", DEFAULT_EMULATOR_PORT),
            api_port=_port(env, "GARANTI_API_PORT", DEFAULT_API_PORT),
            web_port=_port(env, "GARANTI_WEB_PORT", DEFAULT_WEB_PORT),
            max_stream_retries=int(retries),
            providers_port=_port(env, "GARANTI_PROVIDERS_PORT", DEFAULT_PROVIDERS_PORT),
            console_port=_port(env, "GARANTI_CONSOLE_PORT", DEFAULT_CONSOLE_PORT),
            night_window=_switch(env, "GARANTI_NIGHT_WINDOW", default=False),
            demo_activations=_switch(env, "GARANTI_DEMO_ACTIVATIONS", default=True),
            demo_history=_switch(env, "GARANTI_DEMO_HISTORY", default=True),
            journal_fsync=_journal_sync(env),
        )

    @property
    def emulator_url(self) -> str:
        return f"http://{HOST}:{self.emulator_port}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def console_url(self) -> str:
        return f"http://{HOST}:{self.console_port}"

    @property
    def providers_url(self) -> str:
        return f"http://{HOST}:{self.providers_port}"

    @property
    def web_dir(self) -> Path:
        """The customer portal (``web/portal``): a static site, as S3 serves it in AWS."""
        return self.repo_root / "web" / "portal"

    @property
    def console_dir(self) -> Path:
        """The staff console as ``make console`` builds it (``web/console/dist``)."""
        return self.repo_root / "web" / "console" / "dist"

    @property
    def shared_web_dir(self) -> Path:
        """What the web apps share (``web/shared``), served at ``/shared/`` beside the portal."""
        return self.repo_root / "web" / "shared"

    @property
    def chalice_config_path(self) -> Path:
        return self.repo_root / ".chalice" / "config.json"

    @property
    def tables_dir(self) -> Path:
        return self.data_dir / "tables"

    @property
    def journal_dir(self) -> Path:
        return self.data_dir / "journal"

    @property
    def checkpoints_path(self) -> Path:
        return self.data_dir / "stream-checkpoints.json"

    @property
    def buckets_dir(self) -> Path:
        return self.data_dir / "buckets"

    @property
    def secrets_path(self) -> Path:
        return self.data_dir / "secrets.json"

    @property
    def providers_path(self) -> Path:
        """The fake providers' credentials, generated once (like ``secrets.json``)."""
        return self.data_dir / "providers.json"

    @property
    def dead_letters_path(self) -> Path:
        return self.data_dir / "dead-letters.jsonl"

    @property
    def runtime_path(self) -> Path:
        return self.data_dir / "runtime.json"

    @property
    def emulator_log_path(self) -> Path:
        return self.data_dir / "emulator.log"

    @property
    def marker_path(self) -> Path:
        """Written when the stack creates ``data_dir``: ``reset`` deletes only marked folders."""
        return self.data_dir / ".garanti-devstack"


def load_chalice_config(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StackError(f"cannot read the Chalice config {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise StackError(f"{path} must hold a JSON object")
    return data


def stage_environment(chalice_config: Mapping[str, object], stage: str = STAGE) -> dict[str, str]:
    """Lambda's environment for ``stage``: top-level ``environment_variables``, then the stage's."""
    merged: dict[str, str] = {}
    top = chalice_config.get("environment_variables")
    if isinstance(top, dict):
        merged.update({str(k): str(v) for k, v in top.items()})
    stages = chalice_config.get("stages")
    stage_config = stages.get(stage) if isinstance(stages, dict) else None
    if not isinstance(stage_config, dict):
        raise StackError(f".chalice/config.json has no stage {stage!r}")
    stage_vars = stage_config.get("environment_variables")
    if isinstance(stage_vars, dict):
        merged.update({str(k): str(v) for k, v in stage_vars.items()})
    return merged


def stack_environment(config: StackConfig, chalice_config: Mapping[str, object]) -> dict[str, str]:
    """The stage ``local`` environment pointed at this stack (Cognito ids are added later)."""
    env = stage_environment(chalice_config)
    env.update(
        {
            "AWS_ENDPOINT_URL": config.emulator_url,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "GARANTI_PORTAL_URL": config.web_url,
            # staff and sign-in routes answer CORS for the console's origin only
            "GARANTI_CONSOLE_URL": config.console_url,
            "GARANTI_MAX_STREAM_RETRIES": str(config.max_stream_retries),
        }
    )
    env.setdefault("AWS_REGION", "ap-southeast-1")
    env.setdefault("AWS_DEFAULT_REGION", env["AWS_REGION"])
    env.setdefault("AWS_ACCESS_KEY_ID", "local")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    return env


def apply_environment(env: Mapping[str, str]) -> None:
    """Set ``env`` in this process (before ``app``/``chalicelib`` are imported)."""
    for name in _SHELL_AWS_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(env)
