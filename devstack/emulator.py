"""The AWS emulator: moto in server mode, as a child process on 127.0.0.1.

Run as a module, this file is that child: ``python -m devstack.emulator -H HOST -p PORT
--parent-pid PID`` serves what ``python -m moto.server -H HOST -p PORT`` serves, with three
differences:

- **moto's fixes** from :mod:`devstack.moto_patches` are applied before it serves: DynamoDB
  operations are serialised (without that, 20 simultaneous activations of one unit gave three
  successes and some 500s) and transactions cost what they write.
- **a journal** (:mod:`devstack.journal`, with ``--journal-dir``): every item change is
  appended to it before the request is answered; ``POST /_garanti/journal/open`` (after the
  restore) and ``/rotate`` (before a snapshot) are the stack's controls.
- **no orphan.** The child runs in its own session, so a Ctrl-C in the terminal reaches only
  the stack, which saves the tables first and then stops the emulator; a watchdog thread exits
  the child when the stack's process is gone (even after ``kill -9``), freeing the port.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from devstack.config import HOST, StackError

logger = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 30.0


def free_port(host: str = HOST) -> int:
    """A port nothing listens on now (the OS picks it): for tests, benches and fakes."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on ``host:port`` and we may bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers bind: a port left in TIME_WAIT by closed connections is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def require_free_ports(ports: dict[str, int]) -> None:
    """Raise :class:`StackError` naming the variable of the first port in use."""
    seen: dict[int, str] = {}
    for variable, port in ports.items():
        if port in seen:
            raise StackError(f"{variable} and {seen[port]} are both {port}: give each its own port")
        seen[port] = variable
        if not port_is_free(port):
            raise StackError(
                f"port {port} ({variable}) on {HOST} is already in use: stop what uses it "
                f"or choose another port with {variable}=..."
            )


def emulator_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True once moto's own API answers on ``host:port``."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", "/moto-api/")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


class Emulator:
    """The moto server child process; :meth:`start` returns once it answers HTTP."""

    def __init__(
        self,
        port: int,
        log_path: Path,
        host: str = HOST,
        journal_dir: Path | None = None,
        journal_fsync: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.log_path = log_path
        self.journal_dir = journal_dir
        self.journal_fsync = journal_fsync
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")  # this run's log only: it never grows for ever
        command = [
            sys.executable,
            "-m",
            "devstack.emulator",
            "-H",
            self.host,
            "-p",
            str(self.port),
            "--parent-pid",
            str(os.getpid()),
        ]
        if self.journal_dir is not None:
            command += ["--journal-dir", str(self.journal_dir)]
            if self.journal_fsync:
                command.append("--journal-fsync")
        repo_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo_root, env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=repo_root,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise StackError(
                    f"the AWS emulator exited with code {self._process.returncode} "
                    f"while starting: see {self.log_path}"
                )
            if emulator_answers(self.host, self.port):
                logger.info("emulator ready", extra={"url": self.url})
                return
            time.sleep(0.1)
        self.stop()
        raise StackError(
            f"the AWS emulator did not answer within {timeout:.0f} s: see {self.log_path}"
        )

    def journal(self, action: str, **body: Any) -> dict[str, Any]:
        """``open`` (``next_seq=…``) or ``rotate`` the emulator's journal, or ``wait``
        (``next_seq=…, timeout=…``) until a stream record is written past ``next_seq``."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request("POST", f"{JOURNAL_PATH}{action}", body=json.dumps(body))
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                raise StackError(f"the emulator's journal refused {action}: {answer!r}")
            return dict(json.loads(answer))
        finally:
            connection.close()

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None


def _exit_when_parent_dies(parent_pid: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            os._exit(0)  # the stack is gone: free the port now, there is no state to keep


JOURNAL_PATH = "/_garanti/journal/"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_journal_controls(app: WsgiApp, journal: Any, lock: Any) -> WsgiApp:
    """``app`` plus the stack's journal controls: ``open`` and ``rotate`` under the DynamoDB
    lock (no change is half-journaled while a segment closes), and ``wait``, a long poll for the
    next stream record."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith(JOURNAL_PATH):
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        action = path[len(JOURNAL_PATH) :]
        if action == "wait":  # a long poll: never under the lock, or nothing could be written
            seq, tables = journal.wait_past(
                int(body["next_seq"]), min(float(body["timeout"]), 30.0)
            )
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"next_seq": seq, "tables": tables}).encode()]
        with lock:
            if action == "open":
                journal.open(int(body["next_seq"]))
            elif action == "rotate":
                journal.rotate()
            else:
                start_response("404 Not Found", [("Content-Type", "application/json")])
                return [b'{"error": "unknown journal action"}']
            answer = json.dumps({"next_seq": journal.next_seq}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [answer]

    return serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="moto server that exits with its parent")
    parser.add_argument("-H", "--host", default=HOST)
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int, required=True)
    parser.add_argument("--journal-dir", type=Path)
    parser.add_argument("--journal-fsync", action="store_true")
    args = parser.parse_args(argv)
    watchdog = threading.Thread(
        target=_exit_when_parent_dies, args=(args.parent_pid,), name="parent-watchdog", daemon=True
    )
    watchdog.start()
    # One line per request would fill the log with the pollers' GetRecords; keep warnings.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    from devstack import moto_patches

    moto_patches.apply()
    os.environ.setdefault("MOTO_PORT", str(args.port))  # as moto.server sets it
    app: Any = DomainDispatcherApplication(create_backend_app)
    if args.journal_dir is not None:
        from devstack.journal import Journal

        journal = Journal(args.journal_dir, fsync=args.journal_fsync)
        moto_patches.apply_journal(journal)
        app = with_journal_controls(app, journal, moto_patches.lock())
    run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
