"""The base of the fake providers over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

A fake subclasses :class:`FakeHttp` and implements :meth:`FakeHttp.answer`: each request is
recorded (method, path without the query, query, lower-cased headers, raw body), then answered
``(status, body)``, or the connection is dropped without an answer when ``answer`` gives ``None``.
:meth:`FakeHttp.handle` is that step on its own, so a router serving several fakes on one port
(``devstack.providers``) can call it.

Shared knobs: ``respond_next_send(status, body)`` (raw answers), ``fail_next_sends(code, ...)``
(codes, each fake decides what they mean), ``latency`` (seconds of sleep before answering a send:
set the client's read timeout below it) and ``close_after_body`` (read the body, then drop the
connection), both applied where the fake calls :meth:`FakeHttp.held_up`.

A fake that calls us back (a delivery receipt, an inbound SMS) does it through its
:class:`Courier`, which :meth:`FakeHttp.stop` stops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs, urlsplit

import urllib3
from urllib3.exceptions import HTTPError

Answer = tuple[int, bytes] | None  # None: drop the connection without an answer

logger = logging.getLogger("devstack.fakes")


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes


class QuietHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected of a fake's clients


# --- calling us back -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackAttempt:
    """One call a fake made to a hook: ``status`` ``None`` when nothing answered."""

    name: str  # what it was, e.g. "zalo receipt"
    method: str
    url: str  # may hold a path token or a signature: show ``name``, not this
    attempt: int  # 1 for the first call
    status: int | None
    at: float  # time.time()


@dataclass(frozen=True)
class CallbackReply:
    status: int
    content_type: str
    body: bytes


class CallbackFailed(Exception):
    """A hook the fake called synchronously did not answer (``reason`` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Courier:
    """Calls hooks as a provider does: :meth:`call_later` ``delay`` seconds after the event, in a
    background thread, again after ``first_pause`` (doubling) while nothing answers or the answer
    is not 2xx, ``max_attempts`` calls in all; :meth:`call` once, now. Every call is appended
    to ``attempts``. After :meth:`stop`, pending calls are dropped."""

    def __init__(
        self, *, max_attempts: int = 5, first_pause: float = 1.0, timeout: float = 10.0
    ) -> None:
        self.max_attempts = max_attempts
        self.first_pause = first_pause
        self.attempts: list[CallbackAttempt] = []
        self._timeout = urllib3.Timeout(connect=2.0, read=timeout)
        self._pool: urllib3.PoolManager | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def call(
        self,
        name: str,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        attempt: int = 1,
    ) -> CallbackReply:
        """One call, now; raises :class:`CallbackFailed` when nothing answers."""
        with self._lock:
            if self._pool is None:
                self._pool = urllib3.PoolManager(maxsize=4)
            pool = self._pool
        try:
            response = pool.request(
                method,
                url,
                body=body or None,
                headers=dict(headers or {}),
                timeout=self._timeout,
                retries=False,
                redirect=False,
            )
        except HTTPError as exc:
            self._note(CallbackAttempt(name, method, url, attempt, None, time.time()))
            raise CallbackFailed(type(exc).__name__) from None
        self._note(CallbackAttempt(name, method, url, attempt, response.status, time.time()))
        content_type = response.headers.get("Content-Type", "application/octet-stream")
        return CallbackReply(response.status, content_type, response.data)

    def call_later(
        self,
        name: str,
        delay: float,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        retry_header: str | None = None,
    ) -> threading.Thread:
        """Call in the background; ``retry_header`` (e.g. Zalo's ``num_retry``) is added to
        each retry with the number of calls made before it."""
        thread = threading.Thread(
            target=self._deliver,
            args=(name, delay, method, url, body, dict(headers or {}), retry_header),
            name=f"fake-{name.replace(' ', '-')}",
            daemon=True,
        )
        thread.start()
        return thread

    def stop(self) -> None:
        self._stopping.set()

    def resume(self) -> None:
        self._stopping.clear()

    def _deliver(
        self,
        name: str,
        delay: float,
        method: str,
        url: str,
        body: bytes,
        headers: dict[str, str],
        retry_header: str | None,
    ) -> None:
        if self._stopping.wait(delay):
            return
        pause = self.first_pause
        for attempt in range(1, self.max_attempts + 1):
            sent_headers = dict(headers)
            if retry_header is not None and attempt > 1:
                sent_headers[retry_header] = str(attempt - 1)
            try:
                status: int | None = self.call(
                    name, method, url, body=body, headers=sent_headers, attempt=attempt
                ).status
            except CallbackFailed:
                status = None
            if status is not None and 200 <= status < 300:
                logger.info("fake callback delivered", extra={"hook": name, "attempt": attempt})
                return
            if attempt == self.max_attempts or self._stopping.wait(pause):
                break
            pause *= 2
        logger.warning(
            "fake callback given up", extra={"hook": name, "attempts": attempt, "status": status}
        )

    def _note(self, attempt: CallbackAttempt) -> None:
        with self._lock:
            self.attempts.append(attempt)


# --- the fake server ---------------------------------------------------------------------------


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
    courier: Courier = field(default_factory=Courier)
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
        self.courier.resume()
        self._server = QuietHttpServer(("127.0.0.1", 0), _handler_for(self))
        # a short poll keeps stop() fast: shutdown() waits for up to one poll interval
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        self.courier.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def handle(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> Answer:
        """Record one request (``target``: its path and query) and answer it."""
        url = urlsplit(target)
        recorded = self.request_type(
            method=method,
            path=url.path,
            query={k: v[0] for k, v in parse_qs(url.query).items()},
            headers={k.lower(): v for k, v in headers},
            body=body,
        )
        self.record(recorded)
        return self.answer(recorded)

    def answer(self, request: Any) -> Answer:
        """Each fake speaks its provider's API here (the base class has no provider)."""
        raise NotImplementedError(f"{type(self).__name__} must answer its provider's requests")

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
        body = self.rfile.read(length)
        answer = self.fake.handle(self.command, self.path, self.headers.items(), body)
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
