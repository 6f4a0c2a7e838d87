"""HTTP servers of the stack, each in a thread: the API (chalice local) and ``web/`` (static).

``web/`` is served as files (the portal at ``/``, ``web/shared`` at ``/shared/``, as the
portal's bucket holds them; the built console, ``web/console/dist``, on a port of its own), plus
one rule for pages routed in the browser (see :func:`index_fallback`).

The API is Chalice's own local gateway serving the app object (no autoreload child, threaded so
a slow request does not hold the others). Access lines name the matched route template
(``POST /public/units/{serial}/activation -> 200``), never the raw path or query string: those
can carry phone numbers and tokens.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import logging
import socketserver
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalDevServer,
    LocalGatewayException,
    RouteMatcher,
    create_local_server,
)

from chalicelib.core.errors import NotFound
from chalicelib.platform.http import OUTSIDE_A_ROUTE_CORS, error_response, language_of_header
from devstack.config import HOST, STAGE, StackError

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("devstack.access")

# socketserver listens with a backlog of 5: a burst of connections (a page loading its assets,
# the e2e test's 20 simultaneous activations) overflows it and clients see connection resets.
LISTEN_BACKLOG = 128


def chalice_config(app: Chalice, chalice_config_data: dict[str, Any], project_dir: Path) -> Config:
    """The ``Config`` chalice local builds for stage ``local`` (timeouts, memory, env)."""
    return Config(
        chalice_stage=STAGE,
        user_provided_params={"chalice_app": app, "project_dir": str(project_dir)},
        config_from_disk=chalice_config_data,
        default_params={"project_dir": str(project_dir), "autogen_policy": False},
    )


class _RouteLoggingHandler(ChaliceRequestHandler):
    route_matcher: RouteMatcher | None = None

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = self.path.split("?", 1)[0]
        route = "(no route)"
        if self.route_matcher is not None:
            with contextlib.suppress(ValueError):  # unmatched: Chalice answered 403/404
                route = self.route_matcher.match_route(path).route
        access_logger.info("%s %s -> %s", self.command, route, code)

    def log_message(self, format: str, *args: Any) -> None:
        access_logger.debug("api: " + format, *args)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        """A path no route has: our 404 ``route_not_found``, as the gateway response of the
        deployed API answers (chalice local says 403 "Missing Authentication Token")."""
        if not isinstance(error, ForbiddenError) or self._matches_a_route():
            super()._send_error_response(error)
            return
        language = language_of_header(str(self.headers.get("accept-language", "")))
        response = error_response(NotFound("route_not_found"), language)
        headers = {**OUTSIDE_A_ROUTE_CORS, **response.headers}
        self._send_http_response(response.status_code, headers, response.body)

    def _matches_a_route(self) -> bool:
        if self.route_matcher is None:
            return True
        try:
            self.route_matcher.match_route(self.path.split("?", 1)[0])
        except ValueError:
            return False
        return True


def _bind_error(port: int, variable: str, exc: OSError) -> StackError:
    return StackError(f"cannot listen on {HOST}:{port} ({variable}): {exc.strerror or exc}")


class _ThreadedServer:
    """A ``socketserver`` serving in a daemon thread: start, is_alive, stop (then close)."""

    def __init__(self, server: socketserver.BaseServer, port: int, name: str) -> None:
        self._http = server
        self.port = port
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._http.shutdown()
            self._thread.join(timeout=10)
        self._http.server_close()


class ApiServer(_ThreadedServer):
    """``app`` served by chalice local on ``port`` in a daemon thread."""

    def __init__(self, app: Chalice, config: Config, port: int, host: str = HOST) -> None:
        handler_cls = type(
            "GarantiRequestHandler",
            (_RouteLoggingHandler,),
            {"route_matcher": RouteMatcher(list(app.routes))},
        )
        try:
            # create_local_server also makes current_request thread-local on the app.
            local: LocalDevServer = create_local_server(app, config, host, port)
        except OSError as exc:
            raise _bind_error(port, "GARANTI_API_PORT", exc) from exc
        local.server.RequestHandlerClass = functools.partial(
            handler_cls, app_object=app, config=config
        )
        local.server.socket.listen(LISTEN_BACKLOG)  # a second listen() resizes the queue
        super().__init__(local.server, port, "devstack-api")


def index_fallback(root: Path, url_path: str) -> str | None:
    """The nearest ``index.html`` for an extensionless path that names no file, else ``None``.

    Pages such as the portal's ``/q/<token>`` links are routed in the browser: ``/q/AB12``
    is answered with ``web/q/index.html`` if it exists, else ``web/index.html``.

    >>> index_fallback(Path("web"), "/q/AB12")  # with web/q/index.html present
    '/q/index.html'
    """
    parts = [p for p in urllib.parse.unquote(url_path).split("/") if p not in ("", ".", "..")]
    if (root.joinpath(*parts)).exists() or (parts and "." in parts[-1]):
        return None
    for depth in range(len(parts) - 1, -1, -1):
        if root.joinpath(*parts[:depth], "index.html").is_file():
            return "/" + "/".join([*parts[:depth], "index.html"])
    return None


ObjectReader = Callable[[str], "tuple[str, bytes] | None"]


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    # path → (content type, body): files the stack makes, set per server (a subclass each)
    generated: ClassVar[dict[str, tuple[str, bytes]]] = {}
    # URL prefix ("/shared/") → the folder served under it instead of ``directory``
    mounts: ClassVar[dict[str, Path]] = {}
    # URL prefix ("/media/") → what reads a path under it (the uploads bucket)
    readers: ClassVar[dict[str, ObjectReader]] = {}

    def translate_path(self, path: str) -> str:
        url_path = urllib.parse.urlsplit(path).path
        for prefix, folder in self.mounts.items():
            if url_path.startswith(prefix):
                # the base class's rules ("..", "." and empty parts dropped) within the folder
                served, self.directory = self.directory, str(folder)
                try:
                    return super().translate_path("/" + url_path.removeprefix(prefix))
                finally:
                    self.directory = served
        return super().translate_path(path)

    def send_head(self) -> Any:
        path = urllib.parse.urlsplit(self.path).path
        if path in self.generated:
            content_type, body = self.generated[path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        for prefix, reader in self.readers.items():
            if path.startswith(prefix) and ".." not in path:
                return self._send_read(reader(path.lstrip("/")))
        fallback = index_fallback(Path(self.directory), urllib.parse.urlsplit(self.path).path)
        if fallback is not None:
            self.path = fallback
        return super().send_head()

    def _send_read(self, found: tuple[str, bytes] | None) -> Any:
        if found is None:
            self.send_error(404)
            return None
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # edits in web/ show on reload
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        access_logger.debug("web: " + format, *args)


class _StaticHttpServer(http.server.ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


class StaticServer(_ThreadedServer):
    """``directory`` served read-only on ``port`` (``ThreadingHTTPServer``) in a daemon thread."""

    def __init__(
        self,
        directory: Path,
        port: int,
        host: str = HOST,
        generated: dict[str, tuple[str, bytes]] | None = None,
        mounts: dict[str, Path] | None = None,
        variable: str = "GARANTI_WEB_PORT",
        readers: dict[str, ObjectReader] | None = None,
    ) -> None:
        """``generated``: files made by the stack, not in the folder (the portal's
        ``/config.js``, which names this stack's API); ``mounts``: other folders served under
        a URL prefix (``{"/shared/": web/shared}``); ``variable``: the port's setting, named
        when the port is taken; ``readers``: URL prefixes answered from elsewhere (``/media/``
        from the uploads bucket, as CloudFront does in AWS): the reader gets the path without
        its leading ``/`` and returns the content type and bytes, or ``None`` (404)."""
        if not directory.is_dir():
            logger.warning(
                "nothing to serve yet: the folder does not exist", extra={"dir": str(directory)}
            )
        handler_cls = type(
            "_Handler",
            (_StaticHandler,),
            {
                "generated": dict(generated or {}),
                "mounts": dict(mounts or {}),
                "readers": dict(readers or {}),
            },
        )
        handler = functools.partial(handler_cls, directory=str(directory))
        try:
            server = _StaticHttpServer((host, port), handler)
        except OSError as exc:
            raise _bind_error(port, variable, exc) from exc
        super().__init__(server, port, "devstack-web")
