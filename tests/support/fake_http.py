"""The base of the fake providers over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

A fake subclasses :class:`FakeHttp` and implements :meth:`FakeHttp.answer`: each request is
recorded (method, path without the query, query, lower-cased headers, raw body), then answered
``(status, body)``, or the connection is dropped without an answer when ``answer`` gives ``None``.

Shared knobs: ``respond_next_send(status, body)`` (raw answers), ``fail_next_sends(code, ...)``
(codes, each fake decides what they mean), ``latency`` (seconds of sleep before answering a send:
set the client's read timeout below it) and ``close_after_body`` (read the body, then drop the
connection), both applied where the fake calls :meth:`FakeHttp.held_up`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, bytes] | None  # None: drop the connection without an answer


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected in these tests


@dataclass(kw_only=True)
class FakeHttp:
    # what the server speaks and how requests are recorded: set by each fake
    methods: ClassVar[tuple[str, ...]] = ("POST",)
    protocol_version: ClassVar[str] = "HTTP/1.1"  # keep-alive, as the real gateways do
    content_type: ClassVar[str] = "application/json; charset=utf-8"
    request_type: ClassVar[type[RecordedRequest]] = RecordedRequest

    latency: float = 0.0
    close_after_body: bool = False
    requests: list[Any] = field(default_factory=list)  # of request_type
    _forced: deque[Any] = field(default_factory=deque)
    _raw: deque[tuple[int, bytes]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next_sends(self, *codes: Any) -> None:
        self._forced.extend(codes)

    def respond_next_send(self, status: int, body: bytes) -> None:
        self._raw.append((status, body))

    def start(self) -> None:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        # a short poll keeps stop() fast: shutdown() waits for up to one poll interval
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, request: Any) -> Answer:
        raise NotImplementedError

    def holding_up(self) -> bool:
        """Apply ``close_after_body`` (False: drop the connection) and ``latency``."""
        if self.close_after_body:
            return False
        if self.latency:
            time.sleep(self.latency)
        return True

    def held_up(self, answer: tuple[int, bytes]) -> Answer:
        """``answer`` to a send already taken, after :meth:`holding_up`."""
        return answer if self.holding_up() else None

    def next_forced(self) -> tuple[tuple[int, bytes] | None, Any]:
        """The next raw answer, else the next forced code (each ``None`` when none is queued)."""
        with self._lock:
            raw = self._raw.popleft() if self._raw else None
            forced = self._forced.popleft() if raw is None and self._forced else None
        return raw, forced


class _Handler(BaseHTTPRequestHandler):
    fake: ClassVar[FakeHttp]

    def handle_request(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        url = urlsplit(self.path)
        recorded = self.fake.request_type(
            method=self.command,
            path=url.path,
            query={k: v[0] for k, v in parse_qs(url.query).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length),
        )
        self.fake.record(recorded)
        answer = self.fake.answer(recorded)
        if answer is None:
            self.close_connection = True
            return
        status, body = answer
        self.send_response(status)
        self.send_header("Content-Type", self.fake.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _handler_for(fake: FakeHttp) -> type[BaseHTTPRequestHandler]:
    """A handler bound to ``fake`` that serves only ``fake.methods`` (others: 501)."""
    namespace: dict[str, Any] = {"fake": fake, "protocol_version": fake.protocol_version}
    namespace.update({f"do_{method}": _Handler.handle_request for method in fake.methods})
    return type("Handler", (_Handler,), namespace)


FakeT = TypeVar("FakeT", bound=FakeHttp)


@contextmanager
def running(fake: FakeT) -> Iterator[FakeT]:
    """``fake``, serving until the block ends."""
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
