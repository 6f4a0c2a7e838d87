"""``garanti labels …`` against a small real HTTP server that answers as the staff API does:
its error bodies come from the API's own ``error_response``, its templates from the domain's
built-ins, and the PDF from a "presigned" link on the same server that, like S3, refuses a
request that brings an Authorization header. The CLI runs through ``main()`` as a user runs it.
"""

from __future__ import annotations

import doctest
import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import cli.client
import cli.labels
import cli.text
from chalicelib.core.errors import GarantiError, Invalid, NotFound, Unauthorized
from chalicelib.core.i18n import both, text
from chalicelib.labels.template import BUILTIN_TEMPLATES, sheet_geometry, template_to_dict
from chalicelib.platform.http import error_response
from cli import main

PASSWORD = "Admin@2026"
TOKEN = "eyJ-test-id-token"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 3000 + b"\n%%EOF\n"  # ~768 KB: several chunks
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FAST = ["--interval", "0.01"]
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApi:
    """What the server was asked, and the job views it answers a poll with, one per poll."""

    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    polls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unavailable: int = 0  # polls answered 503 by the gateway before the next real answer

    def calls(self, method: str, prefix: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.path.startswith(prefix)]


def job_view(job_id: str, status: str, **values: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "job_id": job_id,
        "status": status,
        "template": "2x4cm-a4",
        "selection": {"batch": "DEMO-202611"},
        "total": 0,
        "done": 0,
        "skipped": 0,
        "skipped_sample": [],
        "progress": 0.0,
        "pages": 0,
        "size_bytes": 0,
        "attempts": 0,
        "created_by": "admin",
        "created_at": "2026-11-23T03:00:00+00:00",
        "started_at": None,
        "finished_at": None,
        "error": None,
        "download": None,
    }
    view.update(values)
    return view


def template_view(name: str) -> dict[str, Any]:
    template = BUILTIN_TEMPLATES[name]
    geometry = sheet_geometry(template)
    return {
        **template_to_dict(template),
        "per_page": len(geometry.slots),
        "columns": geometry.columns,
        "rows": geometry.rows,
    }


def script_for(api: FakeApi, job_id: str, selection: dict[str, Any]) -> list[dict[str, Any]]:
    """queued → running → done for the batch; queued → failed for anything else."""
    if "batch" not in selection:
        failure = {"code": "label_job_empty", "message": both("label_job_empty")}
        return [
            job_view(job_id, "queued", selection=selection, total=3),
            job_view(
                job_id,
                "failed",
                selection=selection,
                total=3,
                skipped=3,
                skipped_sample=["GAR000000019", "GAR00000020A", "GAR00000021Z"],
                progress=1.0,
                error=failure,
            ),
        ]
    download = {
        "url": f"{api.url}/uploads/labels/demo/{job_id}.pdf?X-Amz-Signature=abc&X-Amz-Expires=900",
        "expires_at": "2026-11-23T03:15:00+00:00",
        "filename": "labels-DEMO-202611-2x4cm-a4.pdf",
    }
    sample = ["GAR000000019", "GAR00000020A", "GAR00000021Z"]
    return [
        job_view(job_id, "running", total=100, done=48, pages=1, progress=0.48),
        job_view(job_id, "running", total=100, done=96, skipped=1, pages=2, progress=0.97),
        job_view(
            job_id,
            "done",
            total=100,
            done=97,
            skipped=3,
            skipped_sample=sample,
            pages=3,
            progress=1.0,
            size_bytes=len(PDF),
            finished_at="2026-11-23T03:00:09+00:00",
            download=download,
        ),
    ]


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, body: Any) -> None:
            self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

        def _error(self, error: GarantiError) -> None:
            language = self.headers.get("Accept-Language", "vi")
            response = error_response(error, language)  # the API's own error body
            self._send(response.status_code, response.body.encode(), "application/json")

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                method,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            api.seen.append(seen)
            if parts.path.startswith("/uploads/"):
                return self._download(seen)
            if parts.path == "/auth/login":
                return self._login(seen)
            if seen.headers.get("authorization") != f"Bearer {TOKEN}":
                return self._error(Unauthorized("authentication_required"))
            return self._route(seen)

        def _download(self, seen: Seen) -> None:
            if "authorization" in seen.headers or "X-Amz-Signature" not in seen.query:
                return self._send(400, b"<Error>InvalidArgument</Error>", "application/xml")
            return self._send(200, PDF, "application/pdf")

        def _login(self, seen: Seen) -> None:
            body = json.loads(seen.body)
            if (body["username"], body["password"]) != ("admin", PASSWORD):
                return self._error(Unauthorized("invalid_credentials"))
            return self._json(
                200,
                {
                    "id_token": TOKEN,
                    "access_token": "access",
                    "refresh_token": "refresh",
                    "expires_in": 3600,
                    "token_type": "Bearer",
                },
            )

        def _route(self, seen: Seen) -> None:
            path, method = seen.path, seen.method
            if method == "POST" and path == "/labels/jobs":
                return self._create(seen)
            if method == "GET" and path.startswith("/labels/jobs/") and api.unavailable:
                api.unavailable -= 1
                return self._json(503, {"message": "Service Unavailable"})  # API Gateway's
            if method == "GET" and path.startswith("/labels/jobs/"):
                script = api.polls.get(path.rsplit("/", 1)[1])
                if script is None:
                    return self._error(NotFound("label_job_not_found"))
                return self._json(200, script.pop(0) if len(script) > 1 else script[0])
            if method == "GET" and path == "/labels/jobs":
                jobs = [job_view("lj_" + "1" * 32, "done", total=100, done=97, pages=3)]
                return self._json(200, {"jobs": jobs, "next_cursor": "eyJuZXh0Ijo"})
            if method == "GET" and path == "/labels/templates":
                names = ("2x4cm-a4", "1x2cm-roll")
                return self._json(200, {"templates": [template_view(n) for n in names]})
            if method == "GET" and path.startswith("/labels/templates/"):
                return self._json(200, template_view(path.rsplit("/", 1)[1]))
            if method == "GET" and path == "/units/GAR000000019/qr.png":
                if seen.headers.get("accept") != "image/png":
                    return self._send(200, b"base64...", "application/json")
                disposition = 'inline; filename="GAR000000019.png"'
                return self._send(200, PNG, "image/png", Content_Disposition=disposition)
            return self._error(NotFound())

        def _create(self, seen: Seen) -> None:
            if seen.headers.get("content-type", "").startswith("text/csv"):
                lines = seen.body.decode().splitlines()
                if len(lines) > 3:
                    return self._error(Invalid("too_many_labels", limit=3))
                selection: dict[str, Any] = {"serials": len(lines)}
            else:
                body = json.loads(seen.body)
                if body.get("batch") == "NOPE":
                    return self._error(NotFound("batch_not_found"))
                if "batch" in body:
                    selection = {"batch": body["batch"]}
                else:
                    selection = {"from_serial": body["from_serial"], "to_serial": body["to_serial"]}
            job_id = f"lj_{len(api.polls):032d}"
            api.polls[job_id] = script_for(api, job_id, selection)
            return self._json(202, job_view(job_id, "queued", selection=selection))

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


@pytest.fixture
def api() -> Iterator[FakeApi]:
    state = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def run(api: FakeApi, *argv: str, **environ: str) -> int:
    env = {"GARANTI_API_URL": api.url, **environ}
    return main(list(argv), environ=env, ask_password=lambda prompt: PASSWORD)


def test_sheet_follows_the_job_to_done_and_saves_the_pdf(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.pdf"

    status = run(
        api, "labels", "sheet", "--batch", "DEMO-202611", "--out", str(out), "--user", "admin",
        "--progress", *FAST,
    )  # fmt: skip

    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert out.read_bytes() == PDF
    assert not (tmp_path / "sheet.pdf.part").exists()
    assert captured.out.splitlines()[0].startswith("labels    97 on 3 pages (template 2x4cm-a4")
    assert "skipped   3 not registered: GAR000000019, GAR00000020A, GAR00000021Z\n" in captured.out
    assert "size      768.0 KB\n" in captured.out
    assert f"saved     {out}\n" in captured.out
    assert "pages=3" in captured.err and "skipped=3" in captured.err  # the bar's postfix
    assert "100/100" in captured.err
    assert TOKEN not in captured.out + captured.err
    assert PASSWORD not in captured.out + captured.err
    (created,) = api.calls("POST", "/labels/jobs")
    assert json.loads(created.body) == {"template": "2x4cm-a4", "batch": "DEMO-202611"}
    assert len(api.calls("GET", "/labels/jobs/")) == 3  # running, running, done
    (download,) = api.calls("GET", "/uploads/")
    assert "authorization" not in download.headers


def test_sheet_saves_under_the_job_file_name_with_a_token_from_the_environment(
    api: FakeApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)

    status = main(
        ["--api", api.url, "labels", "sheet", "--batch", "DEMO-202611", *FAST],
        environ={"GARANTI_TOKEN": TOKEN},
        ask_password=lambda prompt: pytest.fail("no password is asked when a token is given"),
    )

    assert status == 0, capsys.readouterr().err
    assert (tmp_path / "labels-DEMO-202611-2x4cm-a4.pdf").read_bytes() == PDF
    assert api.calls("POST", "/auth/login") == []


def test_sheet_keeps_following_through_a_gateway_503(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.unavailable = 2
    out = tmp_path / "sheet.pdf"

    status = run(
        api, "labels", "sheet", "--batch", "DEMO-202611", "--out", str(out), "--user", "admin",
        *FAST,
    )  # fmt: skip

    assert status == 0, capsys.readouterr().err
    assert out.read_bytes() == PDF
    assert len(api.calls("GET", "/labels/jobs/")) == 5  # two 503s, then running, running, done


def test_sheet_gives_up_after_repeated_failures_and_names_the_job(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.unavailable = 100

    status = run(api, "labels", "sheet", "--batch", "DEMO-202611", "--user", "admin", *FAST)

    err = capsys.readouterr().err
    assert status == 1
    assert "garanti: unexpected_response (HTTP 503)" in err
    assert f"  follow: the job goes on: garanti labels status lj_{0:032d}" in err
    assert len(api.calls("GET", "/labels/jobs/")) == 6


def test_sheet_checks_the_out_folder_before_asking(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "x.pdf"

    status = run(
        api, "labels", "sheet", "--batch", "DEMO-202611", "--out", str(out), "--user", "admin"
    )

    assert status == 1
    assert f"folder {tmp_path / 'missing'} does not exist" in capsys.readouterr().err
    assert api.seen == []


def test_sheet_for_an_unknown_batch_prints_the_api_error_in_every_language(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        api, "labels", "sheet", "--batch", "NOPE", "--out", str(tmp_path), "--user", "admin"
    )

    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [
        "garanti: batch_not_found (HTTP 404)",
        "  vi: Không có sản phẩm nào thuộc lô này.",
        "  en: No unit belongs to this batch.",
        f"  fa: {text('batch_not_found', 'fa')}",
    ]
    assert list(tmp_path.iterdir()) == []


def test_lang_chooses_one_language(api: FakeApi, capsys: pytest.CaptureFixture[str]) -> None:
    status = run(api, "labels", "sheet", "--batch", "NOPE", "--lang", "en", "--user", "admin")

    assert status == 1
    assert capsys.readouterr().err == "garanti: No unit belongs to this batch. [batch_not_found]\n"


def test_a_failed_job_exits_1_with_its_error_and_what_it_skipped(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = "GAR000000019", "GAR00000021Z"

    status = run(
        api, "labels", "sheet", "--range", first, last, "--out", str(tmp_path / "x.pdf"),
        "--user", "admin", *FAST,
    )  # fmt: skip

    err = capsys.readouterr().err
    assert status == 1
    assert "skipped   3 not registered: GAR000000019, GAR00000020A, GAR00000021Z" in err
    assert "garanti: label_job_empty\n" in err
    assert "  vi: Không có serial nào đã đăng ký để in tem.\n" in err
    assert "  en: None of the serials is a registered unit: nothing to print.\n" in err
    assert not (tmp_path / "x.pdf").exists()
    (created,) = api.calls("POST", "/labels/jobs")
    assert json.loads(created.body)["from_serial"] == first


def test_csv_goes_as_text_csv_with_the_template_and_no_wait_prints_the_job_id(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serials = tmp_path / "serials.csv"
    serials.write_text("serial\nGAR000000019\nGAR00000020A\n", encoding="utf-8")

    status = run(
        api, "labels", "sheet", "--csv", str(serials), "--template", "1x2cm-roll", "--no-wait",
        "--user", "admin",
    )  # fmt: skip

    captured = capsys.readouterr()
    assert status == 0
    assert captured.out == f"lj_{0:032d}\n"
    assert "garanti labels status lj_" in captured.err
    (created,) = api.calls("POST", "/labels/jobs")
    assert created.headers["content-type"] == "text/csv"
    assert created.query == {"template": ["1x2cm-roll"]}
    assert created.body == serials.read_bytes()
    assert api.calls("GET", "/labels/jobs/") == []


def test_error_details_fill_the_message(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serials = tmp_path / "serials.csv"
    serials.write_text("A1\nA2\nA3\nA4\n", encoding="utf-8")

    status = run(api, "labels", "sheet", "--csv", str(serials), "--user", "admin")

    err = capsys.readouterr().err
    assert status == 1
    assert "  vi: Một lệnh in tối đa 3 tem.\n" in err
    assert "  en: One job prints at most 3 labels.\n" in err


def test_outline_sends_the_template_stock_with_outlines(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        api, "labels", "sheet", "--batch", "DEMO-202611", "--outline", "--no-wait",
        "--user", "admin",
    )  # fmt: skip

    assert status == 0, capsys.readouterr().err
    (created,) = api.calls("POST", "/labels/jobs")
    stock = template_view("2x4cm-a4")["stock"]
    assert json.loads(created.body)["stock"] == {**stock, "outline": True}


def test_outline_with_a_csv_is_a_usage_error(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(api, "labels", "sheet", "--csv", "x.csv", "--outline", "--user", "admin")

    assert status == 2
    assert "--outline needs --batch or --range" in capsys.readouterr().err
    assert api.seen == []  # said before signing in


def test_a_wrong_password_prints_the_login_error(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(api, "labels", "jobs", "--user", "admin", GARANTI_PASSWORD="nope")

    err = capsys.readouterr().err
    assert status == 1
    assert "garanti: invalid_credentials (HTTP 401)" in err
    assert "en: Wrong username or password." in err
    assert "nope" not in err


def test_without_credentials_it_says_how_to_sign_in(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(api, "labels", "templates") == 2
    assert "--user NAME, or set GARANTI_TOKEN or GARANTI_USER" in capsys.readouterr().err
    assert api.seen == []


def test_an_unreachable_api_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["labels", "templates", "--api", "http://127.0.0.1:9"], environ={"GARANTI_TOKEN": TOKEN}
    )

    assert status == 1
    assert "cannot reach the API at http://127.0.0.1:9" in capsys.readouterr().err


def test_qr_png_asks_for_image_png_and_keeps_the_api_file_name(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        api, "labels", "qr", " GAR000000019", "--scale", "12", "--out", str(tmp_path),
        GARANTI_USER="admin", GARANTI_PASSWORD=PASSWORD,
    )  # fmt: skip

    assert status == 0, capsys.readouterr().err
    assert (tmp_path / "GAR000000019.png").read_bytes() == PNG
    (asked,) = api.calls("GET", "/units/")
    assert asked.query == {"scale": ["12"]}


def test_qr_scale_is_for_png_only(api: FakeApi, capsys: pytest.CaptureFixture[str]) -> None:
    status = run(api, "labels", "qr", "X1", "--out", "x.svg", "--scale", "3", "--user", "admin")

    assert status == 2
    assert "--scale is for PNG" in capsys.readouterr().err


def test_templates_prints_a_table(api: FakeApi, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(api, "labels", "templates", "--user", "admin") == 0

    assert capsys.readouterr().out.splitlines() == [
        "NAME        LABEL     STOCK     PER PAGE   KIND",
        "2x4cm-a4    40x20 mm  A4 sheet  48 (4x12)  built-in",
        "1x2cm-roll  20x10 mm  roll      1          built-in",
    ]


def test_status_shows_the_job_and_saves_a_done_pdf(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(api, "labels", "sheet", "--batch", "DEMO-202611", "--no-wait", "--user", "admin")
    job_id = capsys.readouterr().out.strip()
    api.polls[job_id] = api.polls[job_id][-1:]  # the job is done

    status = run(
        api, "labels", "status", job_id, "--out", str(tmp_path / "a.pdf"), "--user", "admin"
    )

    out = capsys.readouterr().out
    assert status == 0
    assert f"job       {job_id}\nstatus    done\n" in out
    assert "what      batch DEMO-202611\n" in out
    assert "progress  100 of 100 (100%)\n" in out
    assert "download  http://127.0.0.1:" in out
    assert (tmp_path / "a.pdf").read_bytes() == PDF


def test_status_of_an_unknown_job(api: FakeApi, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(api, "labels", "status", "lj_nope", "--user", "admin", "--lang", "vi") == 1
    assert capsys.readouterr().err.startswith("garanti: ")


def test_jobs_lists_and_names_the_next_page(
    api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(api, "labels", "jobs", "--limit", "5", "--user", "admin") == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["JOB", "STATUS", "TEMPLATE", "WHAT", "LABELS", "PAGES", "ASKED"]
    assert out[1].split()[:4] == ["lj_" + "1" * 32, "done", "2x4cm-a4", "batch"]
    assert out[-1] == "more: garanti labels jobs --cursor eyJuZXh0Ijo"
    (listed,) = api.calls("GET", "/labels/jobs")
    assert listed.query == {"limit": ["5"]}


def test_bin_garanti_runs_the_cli_from_anywhere_through_a_symlink(tmp_path: Path) -> None:
    link = tmp_path / "garanti"
    link.symlink_to(REPO / "bin" / "garanti")

    done = subprocess.run(
        [str(link), "labels", "sheet", "--help"], cwd=tmp_path, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: garanti labels sheet")


@pytest.mark.parametrize("module", [cli.client, cli.labels, cli.text])
def test_examples_in_docstrings(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted >= 0
