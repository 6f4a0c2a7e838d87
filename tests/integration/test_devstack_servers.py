"""The devstack's HTTP servers: a small Chalice app through chalice local, and ``web/`` files."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from chalice.app import Chalice

from chalicelib.core.i18n import both
from chalicelib.platform.http import chalice_errors_in_our_shape, remember_request
from devstack.config import StackError
from devstack.emulator import free_port, port_is_free, require_free_ports
from devstack.server import ApiServer, StaticServer, chalice_config, index_fallback
from infra.console import build as build_console
from infra.console import cache_control
from infra.portal import CONFIG_PATH, config_js
from infra.portal import build as build_portal


def make_app() -> Chalice:
    app = Chalice(app_name="devstack-test")

    @app.route("/orders/{order_id}")
    def get_order(order_id: str) -> dict[str, str]:
        time.sleep(0.2)  # slow: concurrent requests must not queue behind each other
        request = app.current_request
        assert request is not None
        return {"order": order_id, "seen": (request.uri_params or {})["order_id"]}

    return app


@pytest.fixture
def api(tmp_path: Path) -> Iterator[str]:
    app = make_app()
    port = free_port()
    server = ApiServer(app, chalice_config(app, {"app_name": "devstack-test"}, tmp_path), port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def access_log() -> Iterator[Recorder]:
    logger = logging.getLogger("devstack.access")
    recorder, level = Recorder(), logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    yield recorder
    logger.removeHandler(recorder)
    logger.setLevel(level)


def test_the_api_serves_concurrent_requests_each_with_its_own_current_request(
    api: str, access_log: Recorder
) -> None:
    results: list[tuple[str, str]] = []
    barrier = threading.Barrier(20)

    def fetch(i: int) -> None:
        barrier.wait()
        body = requests.get(f"{api}/orders/o{i}?phone=0987654321", timeout=10).json()
        results.append((body["order"], body["seen"]))

    started = time.monotonic()
    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == sorted((f"o{i}", f"o{i}") for i in range(20))
    assert time.monotonic() - started < 3  # 20 × 0.2 s would be 4 s one after another
    lines = Counter(access_log.lines)
    assert lines == {"GET /orders/{order_id} -> 200": 20}  # never the raw path or query


def test_web_files_are_served_with_index_fallback_for_browser_routes(tmp_path: Path) -> None:
    (tmp_path / "q").mkdir()
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "q" / "index.html").write_text("qr page")
    (tmp_path / "app.js").write_text("js")
    port = free_port()
    server = StaticServer(tmp_path, port)
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        assert requests.get(f"{base}/app.js", timeout=5).text == "js"
        response = requests.get(f"{base}/q/AB12CD", timeout=5)
        assert (response.status_code, response.text) == (200, "qr page")
        assert response.headers["Cache-Control"] == "no-store"
        assert requests.get(f"{base}/c/AB12CD", timeout=5).text == "home"
        assert requests.get(f"{base}/missing.js", timeout=5).status_code == 404
    finally:
        server.stop()
    # ".." is dropped, as SimpleHTTPRequestHandler.translate_path drops it: never outside web/
    assert index_fallback(tmp_path, "/q/../../etc/passwd") == "/q/index.html"
    assert index_fallback(tmp_path, "/app.js") is None


def test_a_mounted_folder_is_served_under_its_prefix_and_never_outside_it(tmp_path: Path) -> None:
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "index.html").write_text("home")
    (tmp_path / "shared" / "js").mkdir(parents=True)
    (tmp_path / "shared" / "js" / "api.js").write_text("shared js")
    (tmp_path / "secret.txt").write_text("secret")
    port = free_port()
    server = StaticServer(tmp_path / "portal", port, mounts={"/shared/": tmp_path / "shared"})
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        assert requests.get(f"{base}/shared/js/api.js", timeout=5).text == "shared js"
        assert requests.get(f"{base}/shared/../secret.txt", timeout=5).status_code == 404
        assert requests.get(f"{base}/shared/%2e%2e/secret.txt", timeout=5).status_code == 404
        assert requests.get(f"{base}/q/AB12", timeout=5).text == "home"
    finally:
        server.stop()


def test_media_is_read_from_the_bucket_reader_and_a_missing_object_is_404(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("home")
    objects = {"media/models/AC-9/ab.webp": ("image/webp", b"RIFF0000WEBP")}
    port = free_port()
    server = StaticServer(tmp_path, port, readers={"/media/": objects.get})
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        found = requests.get(f"{base}/media/models/AC-9/ab.webp", timeout=5)
        assert (found.status_code, found.headers["Content-Type"]) == (200, "image/webp")
        assert found.content == b"RIFF0000WEBP"
        assert requests.get(f"{base}/media/models/AC-9/none.webp", timeout=5).status_code == 404
    finally:
        server.stop()


def test_the_portal_config_names_this_stack_s_api(tmp_path: Path) -> None:
    (tmp_path / "config.js").write_text("window.GARANTI_CONFIG = {'apiBase': 'stale'};")
    port = free_port()
    generated = {CONFIG_PATH: ("text/javascript; charset=utf-8", config_js("http://127.0.0.1:9"))}
    server = StaticServer(tmp_path, port, generated=generated)
    server.start()
    try:
        response = requests.get(f"http://127.0.0.1:{port}/config.js?v=1", timeout=5)
    finally:
        server.stop()

    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.text == 'window.GARANTI_CONFIG = {"apiBase": "http://127.0.0.1:9"};\n'


def test_the_portal_package_carries_the_stage_s_api(tmp_path: Path) -> None:
    files = build_portal(tmp_path / "portal", "https://api.example.vn")

    names = {p.relative_to(tmp_path / "portal").as_posix() for p in files}
    assert {"index.html", "config.js", "assets/models/ac-inv-12.svg"} <= names
    assert "shared/tokens.css" in names  # web/shared, served at /shared/ as locally
    assert b"https://api.example.vn" in (tmp_path / "portal" / "config.js").read_bytes()
    with pytest.raises(ValueError):
        config_js("javascript:alert(1)")


def test_the_console_package_is_the_build_with_the_stage_s_api(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<script src="/config.js"></script>', encoding="utf-8")
    (dist / "assets" / "index-3f2a9c1b.js").write_text("console.log(1)", encoding="utf-8")
    (dist / "config.js").write_text("window.GARANTI_CONFIG = {};", encoding="utf-8")  # the dev one

    files = build_console(tmp_path / "console", "https://api.example.vn", dist=dist)

    names = {p.relative_to(tmp_path / "console").as_posix() for p in files}
    assert names == {"index.html", "config.js", "assets/index-3f2a9c1b.js"}
    assert b"https://api.example.vn" in (tmp_path / "console" / "config.js").read_bytes()
    assert [cache_control(name) for name in sorted(names)] == [
        "public, max-age=31536000, immutable",
        "no-cache",
        "no-cache",
    ]
    with pytest.raises(FileNotFoundError):
        build_console(tmp_path / "again", "https://api.example.vn", dist=tmp_path / "nothing")


def test_no_fallback_without_an_index(tmp_path: Path) -> None:
    assert index_fallback(tmp_path, "/q/AB12") is None


def test_a_taken_port_is_named_with_its_variable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = int(sock.getsockname()[1])
        assert not port_is_free(taken)
        with pytest.raises(StackError, match=f"port {taken} \\(GARANTI_API_PORT\\)"):
            require_free_ports({"GARANTI_EMULATOR_PORT": free_port(), "GARANTI_API_PORT": taken})
    with pytest.raises(StackError, match="both"):
        require_free_ports({"GARANTI_API_PORT": 9000, "GARANTI_WEB_PORT": 9000})


@pytest.fixture
def garanti_edge(tmp_path: Path) -> Iterator[str]:
    """A small app with Garanti's HTTP middleware, served as the devstack serves ours."""
    app = Chalice(app_name="devstack-edge")
    app.register_middleware(remember_request, "http")
    app.register_middleware(chalice_errors_in_our_shape, "http")

    @app.route("/orders", methods=["GET"])
    def list_orders() -> dict[str, list[str]]:
        return {"orders": []}

    port = free_port()
    server = ApiServer(app, chalice_config(app, {"app_name": "devstack-edge"}, tmp_path), port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer abc"}, {"Accept-Language": "en"}]
)
def test_an_unknown_path_is_404_route_not_found_in_our_shape(
    garanti_edge: str, headers: dict[str, str]
) -> None:
    response = requests.get(f"{garanti_edge}/nowhere?phone=0912345678", headers=headers, timeout=5)

    error = response.json()["error"]
    language = "en" if headers.get("Accept-Language") == "en" else "vi"
    assert (response.status_code, error["code"]) == (404, "route_not_found")
    assert error["messages"] == both("route_not_found")
    assert error["message"] == both("route_not_found")[language]
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # a page can read why


def test_a_method_the_route_does_not_have_is_405_method_not_allowed_in_our_shape(
    garanti_edge: str,
) -> None:
    response = requests.delete(f"{garanti_edge}/orders", timeout=5)

    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (405, "method_not_allowed")
    assert error["messages"] == both("method_not_allowed")
    assert response.headers["Allow"] == "GET"
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # a page can read why


def test_the_console_has_its_own_origin_that_staff_routes_answer_cors_to() -> None:
    from devstack.config import StackConfig, stack_environment

    config = StackConfig.from_environ(
        {"GARANTI_WEB_PORT": "18080", "GARANTI_CONSOLE_PORT": "18081"}
    )
    env = stack_environment(config, {"stages": {"local": {}}})

    assert config.console_url == "http://127.0.0.1:18081"
    assert env["GARANTI_CONSOLE_URL"] == "http://127.0.0.1:18081"
    assert env["GARANTI_PORTAL_URL"] == "http://127.0.0.1:18080"
    assert config.console_dir.parts[-3:] == ("web", "console", "dist")


def test_the_built_console_is_served_with_its_config_and_browser_routes(tmp_path: Path) -> None:
    """What `make console` writes (index.html + hashed assets) on the console's port: a deep
    link such as ``/messages/m_1?status=failed`` gets index.html (the router lives in the page)."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc.js").write_text("export {}", encoding="utf-8")
    port = free_port()
    server = StaticServer(
        tmp_path,
        port,
        generated={CONFIG_PATH: ("text/javascript", config_js("http://127.0.0.1:8000"))},
        variable="GARANTI_CONSOLE_PORT",
    )
    server.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deep = requests.get(f"{base}/messages/m_1?status=failed", timeout=5)
        asset = requests.get(f"{base}/assets/index-abc.js", timeout=5)
        config = requests.get(f"{base}/config.js", timeout=5)
        missing = requests.get(f"{base}/assets/gone.js", timeout=5)
    finally:
        server.stop()

    assert deep.text == "<div id=root></div>"
    assert asset.text == "export {}"
    assert '"apiBase": "http://127.0.0.1:8000"' in config.text
    assert missing.status_code == 404


def test_a_taken_console_port_is_named_with_its_variable(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = int(sock.getsockname()[1])
        with pytest.raises(StackError, match="GARANTI_CONSOLE_PORT"):
            StaticServer(tmp_path, taken, variable="GARANTI_CONSOLE_PORT")
