"""Start and stop `python -m devstack run` as a user would, on free ports and a private data dir."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from devstack.demo_users import DEMO_OUTSIDE_USERS, DEMO_USERS
from devstack.emulator import port_is_free

REPO = Path(__file__).resolve().parents[2]
READY_LINE = "Garanti is ready"
START_TIMEOUT = 180.0
PORT_TAKEN = "already in use"  # checked before binding, or lost in between
PORT_ATTEMPTS = 3
# ports for test stacks: below Linux's ephemeral range (32768-60999), where no outgoing
# connection takes one
PORT_RANGE = (20_000, 32_000)


def _listening_port(taken: set[int]) -> int:
    """A random port of ``PORT_RANGE`` that can be bound now and is not in ``taken``."""
    rng = random.SystemRandom()
    while True:
        port = rng.randrange(*PORT_RANGE)
        if port not in taken and port_is_free(port):
            return port


class DevstackProcess:
    def __init__(
        self, data_dir: Path, *, demo_activations: bool = False, demo_history: bool = False
    ) -> None:
        self.data_dir = data_dir
        # the demo's 47 activations (and their confirmations) only for the suites that read
        # them: the others see an outbox with their own messages only
        self.demo_activations = demo_activations
        self.demo_history = demo_history
        self.ports: dict[str, int] = {}
        self._pick_ports()
        self.output: list[str] = []
        self._process: subprocess.Popen[str] | None = None

    def _pick_ports(self) -> None:
        """Free ports below the kernel's ephemeral range: a port the kernel hands out (bind to
        0) may be taken as the local end of an outgoing connection before the stack listens on
        it (CI saw "cannot listen on …: Address already in use")."""
        taken: set[int] = set()
        for name in ("emulator", "api", "web", "console", "providers"):
            port = _listening_port(taken)
            taken.add(port)
            self.ports[name] = port
        self.api = f"http://127.0.0.1:{self.ports['api']}"
        self.providers = f"http://127.0.0.1:{self.ports['providers']}"

    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "GARANTI_"))
        }
        env.update(
            GARANTI_DEVSTACK_DIR=str(self.data_dir),
            GARANTI_EMULATOR_PORT=str(self.ports["emulator"]),
            GARANTI_API_PORT=str(self.ports["api"]),
            GARANTI_WEB_PORT=str(self.ports["web"]),
            GARANTI_CONSOLE_PORT=str(self.ports["console"]),
            GARANTI_PROVIDERS_PORT=str(self.ports["providers"]),
            GARANTI_DEMO_ACTIVATIONS="on" if self.demo_activations else "off",
            GARANTI_DEMO_HISTORY="on" if self.demo_history else "off",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, attempt: int = 1) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "devstack", "run"],
            cwd=REPO,
            env=self._environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()
        threading.Thread(target=self._read, args=(self._process, ready), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.wait(0.2):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                if attempt < PORT_ATTEMPTS and PORT_TAKEN in "".join(self.output[-5:]):
                    self._pick_ports()  # another process took one of them first: others
                    self.start(attempt + 1)
                    return
                raise RuntimeError("the devstack did not start:\n" + "".join(self.output[-80:]))

    def _read(self, process: subprocess.Popen[str], ready: threading.Event) -> None:
        assert process.stdout is not None
        with (self.data_dir / "devstack-output.log").open("a", encoding="utf-8") as kept:
            for line in process.stdout:  # kept in the data dir too, to read after a failure
                kept.write(line)
                kept.flush()
                self.output.append(line)
                if READY_LINE in line:
                    ready.set()

    def stop(self) -> int | None:
        """Ctrl-C, as a user would; returns the exit code."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return process.returncode if process else None
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def kill(self) -> None:
        """``kill -9`` of this stack's own process (by its pid, nothing else), then wait until
        its emulator (which follows its parent within a second) has freed the port."""
        process, self._process = self._process, None
        if process is None:
            return
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.wait_for(lambda: port_is_free(self.ports["emulator"]), timeout=30)

    def run_schedule(self, name: str) -> str:
        """``make schedule ARGS="run NAME"`` against this stack, as a developer would."""
        done = subprocess.run(
            [sys.executable, "-m", "devstack", "schedule", "run", name],
            cwd=REPO,
            env=self._environment(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def password_of(self, username: str) -> str:
        users = [*DEMO_USERS, *DEMO_OUTSIDE_USERS]
        return next(user.password for user in users if user.username == username)

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.25)
        raise AssertionError(f"condition not met within {timeout} s")

    def wait_for_inbox(
        self, phone: str, condition: Callable[[list[dict[str, Any]]], bool], timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """The phone's dev inbox once ``condition`` holds (stream handlers run asynchronously)."""
        found: list[dict[str, Any]] = []

        def check() -> bool:
            response = requests.get(f"{self.api}/dev/inbox", params={"phone": phone}, timeout=10)
            found[:] = response.json()["messages"]
            return condition(found)

        self.wait_for(check, timeout)
        return found


def start_devstack(
    data_dir: Path, *, demo_activations: bool = False, demo_history: bool = False
) -> DevstackProcess:
    process = DevstackProcess(
        data_dir, demo_activations=demo_activations, demo_history=demo_history
    )
    process.start()
    return process
