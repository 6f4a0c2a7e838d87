"""QR stickers and label sheets through the staff API, on the emulator: the QR of one unit as
PNG and SVG, the brand's templates, and label-sheet jobs run by their stream handler, written to
the uploads bucket and downloaded through the presigned link. Every printed code is decoded by
zbar from the page rendered at 300 dpi and must be the unit's portal link."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from PIL import Image

from chalicelib.catalog.serials import generated_serial
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.settings import get_settings
from chalicelib.labels.job_repository import LabelJobRepository
from chalicelib.labels.tables import LabelJobRecord
from chalicelib.labels.template import BUILTIN_TEMPLATES, stock_from_dict, with_stock
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.labels import decode_image, decode_pdf, decode_sheet, pdf_text, svg_to_image
from tests.support.streams import StreamReader, deliver

PORTAL = "http://portal.test"  # GARANTI_PORTAL_URL in the tests' environment


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


@pytest.fixture
def jobs_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, LabelJobRecord.Meta.table_name)


def qr_url(serial: str) -> str:
    return f"{PORTAL}/q/{seed.token(serial)}"


def serials(first: int, count: int) -> list[str]:
    return [generated_serial("GAR", n) for n in range(first, first + count)]


def register(batch: str, numbers: list[str]) -> None:
    result = UnitRepository().add(
        f.new_units(numbers, "AC-9", batch=batch), event="imported", by="test"
    )
    assert not result.rejected


def run_jobs(stream: StreamReader) -> int:
    """Deliver every new label-job record to the app's handler, as Lambda would (batch of 1)."""
    records = stream.new_records()
    for record in records:
        assert deliver("on_label_job_change", [record]) == {"batchItemFailures": []}
    return len(records)


def finished(api: Api, token: str, job_id: str, stream: StreamReader) -> dict[str, Any]:
    for _ in range(3):  # a crash re-queues once: the stream brings the job back
        if run_jobs(stream) == 0:
            break
    body: dict[str, Any] = api.get(f"/labels/jobs/{job_id}", token=token).json_body
    return body


def download(job: dict[str, Any]) -> bytes:
    response = requests.get(job["download"]["url"], timeout=10)
    response.raise_for_status()
    return response.content


# --- one unit's QR ---------------------------------------------------------------------------


def test_a_units_qr_as_png_and_svg_decodes_to_its_portal_link(api: Api, admin: str) -> None:
    seed.model()
    seed.units(["GAR000000019"])
    expected = api.get("/units/GAR000000019", token=admin).json_body["qr_url"]

    png = api.get(
        "/units/gar000000019/qr.png?scale=6", token=admin, headers={"Accept": "image/png"}
    )
    svg = api.get("/units/GAR000000019/qr.svg?size_mm=12", token=admin)

    assert expected == qr_url("GAR000000019")
    assert png.status_code == 200
    assert png.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.body))
    assert image.size == ((33 + 8) * 6, (33 + 8) * 6)  # version 4-M, 4-module quiet zone
    assert decode_image(image) == [expected]
    assert svg.status_code == 200
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    text = svg.body.decode("utf-8")
    assert 'width="12mm" height="12mm"' in text
    assert decode_image(svg_to_image(text)) == [expected]


def test_a_qr_needs_a_known_unit_sane_sizes_and_a_unit_reader(
    api: Api, admin: str, staff: StaffTokens
) -> None:
    seed.model()
    seed.units(["GAR000000019"])

    unknown = api.get("/units/GAR000000027/qr.png", token=admin)
    too_big = api.get("/units/GAR000000019/qr.png?scale=400", token=admin)
    not_a_number = api.get("/units/GAR000000019/qr.svg?size_mm=big", token=admin)
    stray = api.get("/units/GAR000000019/qr.svg?color=red", token=admin)
    accountant = api.get("/units/GAR000000019/qr.png", token=staff("accountant"))
    anonymous = api.get("/units/GAR000000019/qr.png")

    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")
    assert (too_big.status_code, too_big.json_body["error"]["fields"][0]["field"]) == (400, "scale")
    assert not_a_number.status_code == 400
    assert stray.status_code == 400
    assert accountant.status_code == 403
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("qr.png?scale=%EF%BC%91%EF%BC%90", "scale"),  # full-width "10"
        ("qr.png?scale=6.5", "scale"),  # a pixel count is whole
        ("qr.png?border=1_0", "border"),
        ("qr.svg?size_mm=2e1", "size_mm"),
        ("qr.svg?size_mm=nan", "size_mm"),
        ("qr.svg?size_mm=%C2%B2%C2%B0", "size_mm"),  # "²°"
    ],
)
def test_qr_sizes_are_plain_decimal_numbers(api: Api, admin: str, query: str, field: str) -> None:
    seed.model()
    seed.units(["GAR000000019"])

    response = api.get(f"/units/GAR000000019/{query}", token=admin)

    assert (response.status_code, field_codes(response)) == (400, {field: "out_of_range"})


# --- templates -------------------------------------------------------------------------------


def custom_template(**label: Any) -> dict[str, Any]:
    return {
        "label": {
            "width_mm": 50,
            "height_mm": 25,
            "qr": {"x_mm": 1, "y_mm": 1, "size_mm": 23},
            "texts": [
                {
                    "field": "brand",
                    "x_mm": 25,
                    "y_mm": 2,
                    "width_mm": 24,
                    "font_pt": 9,
                    "bold": True,
                },
                {"field": "serial", "x_mm": 25, "y_mm": 7, "width_mm": 24, "font_pt": 8},
                {
                    "field": "custom",
                    "x_mm": 25,
                    "y_mm": 12,
                    "width_mm": 24,
                    "font_pt": 6,
                    "text": "Hotline 1800 6868",
                },
                {
                    "field": "instruction",
                    "x_mm": 25,
                    "y_mm": 17,
                    "width_mm": 24,
                    "font_pt": 5,
                    "max_lines": 2,
                    "lang": "vi",
                },
            ],
            **label,
        },
        "stock": {
            "kind": "sheet",
            "margin_top_mm": 12,
            "margin_left_mm": 5,
            "gap_x_mm": 0,
            "gap_y_mm": 0,
            "columns": 4,
            "outline": True,
        },
    }


def test_builtin_templates_cover_the_three_sizes_on_sheets_and_rolls(api: Api, admin: str) -> None:
    listed = api.get("/labels/templates", token=admin).json_body["templates"]

    by_name = {t["name"]: t for t in listed}
    assert set(by_name) == {
        "1x2cm-a4",
        "1x2cm-roll",
        "1.5x3cm-a4",
        "1.5x3cm-roll",
        "2x4cm-a4",
        "2x4cm-roll",
    }
    assert all(t["builtin"] for t in listed)
    assert (
        by_name["1x2cm-a4"]["label"]["width_mm"],
        by_name["1x2cm-a4"]["label"]["height_mm"],
    ) == (20, 10)
    assert by_name["1x2cm-a4"]["per_page"] == 216
    assert by_name["2x4cm-a4"]["per_page"] == 48
    assert by_name["2x4cm-roll"]["per_page"] == 1
    assert by_name["2x4cm-roll"]["stock"] == {"kind": "roll", "outline": False}


def test_an_admin_saves_reads_and_deletes_a_brand_template(
    api: Api, admin: str, staff: StaffTokens
) -> None:
    saved = api.put("/labels/templates/tem-50x25", json_body=custom_template(), token=admin)
    read = api.get("/labels/templates/tem-50x25", token=staff("director"))
    listed = [t["name"] for t in api.get("/labels/templates", token=admin).json_body["templates"]]
    by_cs = api.put("/labels/templates/tem-x", json_body=custom_template(), token=staff("cs"))
    deleted = api.delete("/labels/templates/tem-50x25", token=admin)
    gone = api.get("/labels/templates/tem-50x25", token=admin)

    assert saved.status_code == 200
    assert (saved.json_body["columns"], saved.json_body["per_page"]) == (4, 4 * 11)
    assert read.json_body["label"]["texts"][2]["text"] == "Hotline 1800 6868"
    assert read.json_body["builtin"] is False
    assert listed[-1] == "tem-50x25"
    assert by_cs.status_code == 403
    assert deleted.status_code == 204
    assert (gone.status_code, error_code(gone)) == (404, "label_template_not_found")


@pytest.mark.parametrize(
    ("name", "body_change", "status", "code", "field"),
    [
        (
            "tem-a",
            {"qr": {"x_mm": 30, "y_mm": 1, "size_mm": 23}},
            400,
            "label_template_invalid",
            "label.qr",
        ),
        (
            "tem-a",
            {"qr": {"x_mm": 0, "y_mm": 0, "size_mm": 6}},
            400,
            "invalid_input",
            "label.qr.size_mm",
        ),
        ("tem-a", {"width_mm": 500}, 400, "invalid_input", "label.width_mm"),
        ("Tem A", {}, 400, "invalid_input", "name"),
        ("2x4cm-a4", {}, 409, "label_template_builtin", None),
    ],
)
def test_a_template_that_cannot_print_is_refused_with_the_reason(
    api: Api,
    admin: str,
    name: str,
    body_change: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    response = api.put(
        f"/labels/templates/{name}", json_body=custom_template(**body_change), token=admin
    )

    assert (response.status_code, error_code(response)) == (status, code)
    if field is not None:
        assert field in [e["field"] for e in response.json_body["error"]["fields"]]
    assert (
        response.json_body["error"]["messages"]["vi"]
        != response.json_body["error"]["messages"]["en"]
    )


def test_text_the_label_font_cannot_draw_is_refused(api: Api, admin: str) -> None:
    body = custom_template()
    body["label"]["texts"][2]["text"] = "保修 hotline"

    response = api.put("/labels/templates/tem-cn", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (400, "label_text_unsupported")
    assert "保" in response.json_body["error"]["messages"]["en"]


def test_a_stock_where_no_label_fits_is_refused(api: Api, admin: str) -> None:
    body = custom_template()
    body["stock"]["margin_left_mm"] = 90
    body["stock"]["page_width_mm"] = 100

    response = api.put("/labels/templates/tem-b", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (400, "label_template_invalid")
    assert response.json_body["error"]["fields"] == [
        {
            "field": "stock",
            "code": "labels_do_not_fit",
            "message": response.json_body["error"]["fields"][0]["message"],
        }
    ]


# --- jobs ------------------------------------------------------------------------------------


def test_a_batch_sheet_is_rendered_outside_the_request_and_every_code_scans(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    lot = serials(1, 60)
    register("LOT-2026-11", lot)
    register("LOT-OTHER", serials(100, 5))

    asked = api.post(
        "/labels/jobs", json_body={"template": "2x4cm-a4", "batch": "LOT-2026-11"}, token=admin
    )
    before = api.get(f"/labels/jobs/{asked.json_body['job_id']}", token=admin).json_body
    job = finished(api, admin, asked.json_body["job_id"], jobs_stream)
    pdf = download(job)
    pages = decode_sheet(pdf, BUILTIN_TEMPLATES["2x4cm-a4"])
    anywhere = {code for page in decode_pdf(pdf) for code in page}

    assert asked.status_code == 202
    assert (asked.json_body["status"], asked.json_body["selection"]) == (
        "queued",
        {"batch": "LOT-2026-11"},
    )
    assert (before["status"], before["download"]) == ("queued", None)
    assert job["status"] == "done", job
    assert (job["total"], job["done"], job["skipped"], job["pages"], job["progress"]) == (
        60,
        60,
        0,
        2,
        1.0,
    )
    assert job["download"]["filename"] == "labels-LOT-2026-11-2x4cm-a4.pdf"
    served = requests.get(job["download"]["url"], timeout=10).headers
    assert served["Content-Disposition"].startswith("inline;")  # opens in the viewer, to print
    assert job["size_bytes"] == len(pdf)
    assert pdf.startswith(b"%PDF-")
    assert [len(codes) for codes in pages] == [48, 12]
    assert [code for page in pages for code in page] == [qr_url(s) for s in sorted(lot)]
    assert anywhere <= {qr_url(s) for s in lot}  # a whole page holds no other code
    text = pdf_text(pdf)
    assert "Quét để kích hoạt bảo hành" in text[0].replace("\r\n", " ").replace("\n", " ")
    assert "Scan to activate warranty" in text[0].replace("\r\n", " ").replace("\n", " ")
    assert "Garanti Demo" in text[0]
    assert sorted(lot)[0] in text[0]


def test_every_code_of_a_sheet_opens_the_units_portal_page(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    lot = serials(1, 12)
    register("LOT-A", lot)
    job_id = api.post(
        "/labels/jobs", json_body={"template": "1.5x3cm-a4", "batch": "LOT-A"}, token=admin
    ).json_body["job_id"]

    codes = decode_sheet(
        download(finished(api, admin, job_id, jobs_stream)), BUILTIN_TEMPLATES["1.5x3cm-a4"]
    )[0]
    opened = [api.get(f"/public/units/{str(code).rsplit('/', 1)[1]}") for code in codes]

    assert len(codes) == 12
    assert all(str(code).startswith(f"{PORTAL}/q/") for code in codes)
    assert [r.status_code for r in opened] == [200] * 12
    assert [r.json_body["serial"] for r in opened] == sorted(lot)


def test_a_range_on_1x2_cm_labels_scans_and_skips_unregistered_serials(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    wanted = serials(1, 30)
    register("", wanted[:25])  # the last five of the range were never registered

    asked = api.post(
        "/labels/jobs",
        json_body={"template": "1x2cm-a4", "from_serial": wanted[0], "to_serial": wanted[-1]},
        token=admin,
    )
    job = finished(api, admin, asked.json_body["job_id"], jobs_stream)
    pages = decode_sheet(download(job), BUILTIN_TEMPLATES["1x2cm-a4"])

    assert asked.json_body["total"] == 30
    assert job["status"] == "done"
    assert (job["done"], job["skipped"], job["skipped_sample"]) == (25, 5, wanted[25:])
    assert pages == [[qr_url(s) for s in wanted[:25]]]


def test_a_csv_of_serials_prints_in_file_order_one_label_a_page_on_a_roll(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    chosen = serials(1, 6)
    register("", chosen)
    csv = (
        "serial,note\n" + "\n".join(f"{s.lower()},x" for s in reversed(chosen)) + f"\n{chosen[0]}\n"
    )

    asked = api.post(
        "/labels/jobs?template=1x2cm-roll",
        body=csv,
        token=admin,
        headers={"Content-Type": "text/csv"},
    )
    job = finished(api, admin, asked.json_body["job_id"], jobs_stream)
    pages = decode_pdf(download(job))

    assert (asked.status_code, asked.json_body["total"]) == (202, 6)
    assert (job["pages"], job["done"]) == (6, 6)
    assert pages == [[qr_url(s)] for s in reversed(chosen)]


def test_a_job_can_print_on_another_stock_with_outlines(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    register("LOT-B", serials(1, 10))
    stock = {
        "kind": "sheet",
        "page_width_mm": 100,
        "page_height_mm": 150,
        "margin_top_mm": 5,
        "margin_left_mm": 5,
        "gap_x_mm": 4,
        "gap_y_mm": 4,
        "outline": True,
    }

    asked = api.post(
        "/labels/jobs",
        json_body={"template": "2x4cm-a4", "batch": "LOT-B", "stock": stock},
        token=admin,
    )
    job = finished(api, admin, asked.json_body["job_id"], jobs_stream)
    template = with_stock(BUILTIN_TEMPLATES["2x4cm-a4"], stock_from_dict(stock))
    pages = decode_sheet(download(job), template)

    # 2 columns × 6 rows on 100 × 150 mm; the outlines leave every code readable
    assert pages == [[qr_url(s) for s in serials(1, 10)]]
    assert job["pages"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"batch": "NO-SUCH-LOT"}, 404, "batch_not_found"),
        ({"from_serial": "GAR000000019", "to_serial": "LOT-0001"}, 400, "serial_range_mismatch"),
        (
            {"from_serial": "GAR00000010A", "to_serial": "GAR000000019"},
            400,
            "serial_range_backwards",
        ),
        ({"from_serial": "LOT-000001", "to_serial": "LOT-200000"}, 400, "too_many_labels"),
        ({"from_serial": "GAR000000019"}, 400, "invalid_input"),
        ({}, 400, "label_selection_required"),
        ({"batch": "LOT-A", "serials": ["GAR000000019"]}, 400, "label_selection_required"),
        ({"serials": ["GAR000000019", "not a serial!"]}, 400, "serial_list_invalid"),
        ({"serials": []}, 400, "serial_list_empty"),
        ({"template": "no-such", "batch": "LOT-A"}, 404, "label_template_not_found"),
        (
            {
                "batch": "LOT-A",
                "stock": {"kind": "sheet", "margin_top_mm": 100, "page_height_mm": 100},
            },
            400,
            "label_template_invalid",
        ),
        ({"batch": "LOT-A", "copies": 2}, 400, "invalid_input"),
    ],
)
def test_a_job_that_cannot_print_is_refused_before_it_is_queued(
    api: Api, admin: str, jobs_stream: StreamReader, body: dict[str, Any], status: int, code: str
) -> None:
    seed.model()
    register("LOT-A", serials(1, 3))

    response = api.post("/labels/jobs", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (status, code)
    assert api.get("/labels/jobs", token=admin).json_body["jobs"] == []
    assert jobs_stream.new_records() == []


def test_only_admins_ask_for_sheets_and_jobs_list_newest_first(
    api: Api, admin: str, staff: StaffTokens, jobs_stream: StreamReader
) -> None:
    seed.model()
    register("LOT-A", serials(1, 2))
    first = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=admin).json_body
    second = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=admin).json_body

    by_cs = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=staff("cs"))
    page = api.get("/labels/jobs?limit=1", token=staff("director")).json_body
    rest = api.get(f"/labels/jobs?limit=1&cursor={page['next_cursor']}", token=admin).json_body
    forged = api.get("/labels/jobs/lj_0000", token=admin)

    assert by_cs.status_code == 403
    assert [j["job_id"] for j in page["jobs"]] == [second["job_id"]]
    assert [j["job_id"] for j in rest["jobs"]] == [first["job_id"]]
    assert (forged.status_code, error_code(forged)) == (404, "label_job_not_found")


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("limit=%C2%B9", "limit", "out_of_range"),  # "¹"
        ("limit=%EF%BC%95", "limit", "out_of_range"),  # a full-width "5"
        ("limit=1e1", "limit", "out_of_range"),
        ("limit=2.5", "limit", "out_of_range"),
        ("cursor=eyJ4IjogeyJTIjogIjEifX0=", "cursor", "cursor_invalid"),  # {"x": {"S": "1"}}
        ("cursor=%%%", "cursor", "cursor_invalid"),
    ],
)
def test_bad_job_list_queries_get_a_clear_answer(
    api: Api, admin: str, query: str, field: str, code: str
) -> None:
    response = api.get(f"/labels/jobs?{query}", token=admin)

    assert (response.status_code, field_codes(response)) == (400, {field: code})


def test_a_job_record_delivered_twice_renders_once(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    register("LOT-A", serials(1, 3))
    job_id = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=admin).json_body["job_id"]
    records = jobs_stream.new_records()

    for _ in range(2):
        assert deliver("on_label_job_change", records[:1]) == {"batchItemFailures": []}
    job = api.get(f"/labels/jobs/{job_id}", token=admin).json_body

    assert (job["status"], job["attempts"], job["done"]) == ("done", 1, 3)


def test_a_job_whose_upload_fails_is_retried_once_then_fails_with_a_reason(
    api: Api, admin: str, aws: Emulator, jobs_stream: StreamReader
) -> None:
    seed.model()
    register("LOT-A", serials(1, 3))
    job_id = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=admin).json_body["job_id"]
    aws.s3.delete_bucket(Bucket=get_settings().uploads_bucket)  # S3 refuses every upload now

    run_jobs(jobs_stream)
    retrying = api.get(f"/labels/jobs/{job_id}", token=admin).json_body
    run_jobs(jobs_stream)
    failed = api.get(f"/labels/jobs/{job_id}", token=admin).json_body

    assert (retrying["status"], retrying["attempts"]) == ("queued", 1)
    assert (failed["status"], failed["attempts"]) == ("failed", 2)
    assert failed["error"]["code"] == "label_job_failed"
    assert failed["error"]["messages"]["vi"].startswith("In tem thất bại")
    assert failed["download"] is None


def test_a_run_that_died_is_shown_as_failed_once_no_retry_is_left(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    seed.model()
    register("LOT-A", serials(1, 3))
    job_id = api.post("/labels/jobs", json_body={"batch": "LOT-A"}, token=admin).json_body["job_id"]
    jobs = LabelJobRepository()
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    assert jobs.claim(job_id, long_ago) is not None  # a run that timed out…
    assert jobs.claim(job_id, long_ago + timedelta(minutes=17)) is not None  # …and its retry

    job = api.get(f"/labels/jobs/{job_id}", token=admin).json_body
    run_jobs(jobs_stream)  # the record comes again: nothing left to claim

    assert (job["status"], job["error"]["code"]) == ("failed", "label_job_stalled")
    assert api.get(f"/labels/jobs/{job_id}", token=admin).json_body["attempts"] == 2


def test_a_job_that_would_outrun_its_function_stops_with_a_reason(
    api: Api, admin: str, jobs_stream: StreamReader
) -> None:
    from chalicelib.labels import service as labels
    from chalicelib.labels import wiring as labels_wiring

    seed.model()
    register("LOT-A", serials(1, 100))
    job_id = api.post(
        "/labels/jobs", json_body={"template": "1x2cm-roll", "batch": "LOT-A"}, token=admin
    ).json_body["job_id"]
    # seconds left, page after page: the run ends before it has a part's worth (5 MiB) to keep
    left = iter([900.0, 600.0, 300.0] + [20.0] * 100)

    labels.run_job(
        job_id, context=labels_wiring.label_job_context(remaining_seconds=lambda: next(left))
    )
    job = api.get(f"/labels/jobs/{job_id}", token=admin).json_body

    assert (job["status"], job["error"]["code"], job["download"]) == (
        "failed",
        "label_job_too_large",
        None,
    )
    assert "split" in job["error"]["messages"]["en"]


def test_a_job_longer_than_one_run_goes_on_in_the_next_and_makes_one_whole_pdf(
    api: Api, admin: str, jobs_stream: StreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lambda stops a run at 15 minutes: near the end, a run keeps what it wrote as one part of
    the PDF's multipart upload and the next run appends the rest. Parts are made small here
    (S3 and the emulator take 5 MiB; the emulator's own setting is lowered to match)."""
    import moto.s3.models

    from chalicelib.labels import service as labels
    from chalicelib.labels import wiring as labels_wiring

    monkeypatch.setattr(moto.s3.models, "S3_UPLOAD_PART_MIN_SIZE", 8 * 1024)
    seed.model()
    wanted = serials(1, 130)
    register("", [s for i, s in enumerate(wanted) if i % 10 != 3])  # 13 never registered
    job_id = api.post(
        "/labels/jobs",
        json_body={"template": "1x2cm-roll", "from_serial": wanted[0], "to_serial": wanted[-1]},
        token=admin,
    ).json_body["job_id"]
    runs = []
    for _ in range(10):
        pages_left = iter([900.0] * 40)  # each run has 40 pages' time, then 10 s left

        def remaining(pages: Any = pages_left) -> float:
            return next(pages, 10.0)

        context = replace(
            labels_wiring.label_job_context(remaining_seconds=remaining), min_part_bytes=8 * 1024
        )
        job = labels.run_job(job_id, context=context)
        if job is None:
            break
        runs.append((job.status.value, job.done, job.skipped, len(job.parts)))
        if job.status.value != "queued":
            break
    view = api.get(f"/labels/jobs/{job_id}", token=admin).json_body
    pdf = download(view)
    printed = [s for i, s in enumerate(wanted) if i % 10 != 3]

    assert [status for status, *_ in runs] == ["queued", "queued", "done"]
    # a run stops after the page on which its time ran short: 41 drawn, and the 5 unregistered
    # serials before the 41st drawn one (positions 3, 13, …, 43) skipped; one part each
    assert runs[0][1:] == (41, 5, 1)
    assert runs[1][1:] == (82, 9, 2)
    assert (view["done"], view["skipped"], view["pages"], view["attempts"]) == (117, 13, 117, 1)
    assert view["skipped_sample"] == [wanted[i] for i in range(3, 130, 10)]
    assert decode_sheet(pdf, BUILTIN_TEMPLATES["1x2cm-roll"]) == [[qr_url(s)] for s in printed]
    assert len(pdf) == view["size_bytes"]


def test_a_batch_job_resumes_after_the_last_serial_it_drew(
    api: Api, admin: str, jobs_stream: StreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    import moto.s3.models

    from chalicelib.labels import service as labels
    from chalicelib.labels import wiring as labels_wiring

    monkeypatch.setattr(moto.s3.models, "S3_UPLOAD_PART_MIN_SIZE", 8 * 1024)
    seed.model()
    lot = serials(1, 75)
    register("LOT-R", lot)
    job_id = api.post(
        "/labels/jobs", json_body={"template": "1x2cm-roll", "batch": "LOT-R"}, token=admin
    ).json_body["job_id"]
    statuses = []
    for _ in range(5):
        left = iter([900.0] * 29)
        context = replace(
            labels_wiring.label_job_context(remaining_seconds=lambda left=left: next(left, 10.0)),
            min_part_bytes=8 * 1024,
        )
        job = labels.run_job(job_id, context=context)
        assert job is not None
        statuses.append((job.status.value, job.done))
        if job.status.value != "queued":
            break
    view = api.get(f"/labels/jobs/{job_id}", token=admin).json_body

    assert statuses == [("queued", 30), ("queued", 60), ("done", 75)]
    assert (view["total"], view["pages"]) == (75, 75)
    codes = decode_sheet(download(view), BUILTIN_TEMPLATES["1x2cm-roll"])
    assert codes == [[qr_url(s)] for s in sorted(lot)]
