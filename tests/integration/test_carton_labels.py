"""Carton labels through the staff API, on the emulator: the packer asks for the labels of
cartons, the label_jobs stream renders them (one page a carton), and every page's barcode, read
back by zbar from the downloaded PDF, is the carton's code (GS1-128 with AI 00 for an SSCC)."""

from __future__ import annotations

import io
from typing import Any

import pypdfium2 as pdfium
import pytest
import requests
from pyzbar.pyzbar import ZBarSymbol, decode

from chalicelib.catalog.cartons import normalize_carton_code
from chalicelib.labels.tables import LabelJobRecord
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver


@pytest.fixture
def cs(staff: StaffTokens) -> str:
    return staff("cs")


@pytest.fixture
def jobs_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, LabelJobRecord.Meta.table_name)


def run_jobs(stream: StreamReader) -> None:
    for record in stream.new_records():
        assert deliver("on_label_job_change", [record]) == {"batchItemFailures": []}


def pages_of(pdf: bytes) -> list[tuple[list[str], str]]:
    """Each page's Code 128 symbols (zbar, 200 dpi) and its text."""
    document = pdfium.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            image = page.render(scale=200 / 72).to_pil()
            codes = [s.data.decode() for s in decode(image, symbols=[ZBarSymbol.CODE128])]
            found.append((codes, page.get_textpage().get_text_bounded()))
        return found
    finally:
        document.close()


def packed_carton(api: Api, token: str, serials: list[str], code: str | None = None) -> str:
    created = api.post("/cartons", json_body={"code": code} if code else {}, token=token)
    assert created.status_code == 201, created.json_body
    carton: str = created.json_body["code"]
    for serial in serials:
        answer = api.post(f"/cartons/{carton}/units", json_body={"serial": serial}, token=token)
        assert answer.status_code == 200, answer.json_body
    assert api.post(f"/cartons/{carton}/close", token=token).status_code == 200
    return carton


def test_the_packer_prints_carton_labels_whose_barcodes_scan_as_the_cartons(
    api: Api, cs: str, jobs_stream: StreamReader
) -> None:
    seed.model("AC-9")
    seed.model("AC-12")
    seed.units(["CL-0001", "CL-0002"], "AC-9")
    seed.units(["CL-0003"], "AC-12")
    sscc = packed_carton(api, cs, ["CL-0001", "CL-0002", "CL-0003"])
    seed.units(["CL-0004"], "AC-9")
    typed = packed_carton(api, cs, ["CL-0004"], "ct-2026-0009")

    asked = api.post("/labels/cartons", json_body={"codes": [f"(00){sscc}", typed]}, token=cs)
    assert asked.status_code == 202, asked.json_body
    assert (asked.json_body["selection"], asked.json_body["total"]) == (
        {"cartons": [sscc, "CT-2026-0009"]},
        2,
    )
    run_jobs(jobs_stream)
    job: dict[str, Any] = api.get(
        f"/labels/cartons/{asked.json_body['job_id']}", token=cs
    ).json_body

    assert (job["status"], job["done"], job["pages"]) == ("done", 2, 2), job
    assert job["download"]["filename"] == f"labels-{sscc}-2-cartons-carton-100x150.pdf"
    pdf = requests.get(job["download"]["url"], timeout=10).content
    (first_codes, first_text), (second_codes, second_text) = pages_of(pdf)
    assert [normalize_carton_code(c) for c in first_codes] == [sscc]
    assert second_codes == ["CT-2026-0009"]
    assert f"(00){sscc}" in first_text
    assert "Quantity: 3" in first_text and "AC-9 × 2" in first_text and "AC-12 × 1" in first_text
    assert "Quantity: 1" in second_text


def test_an_unknown_carton_is_refused_and_other_jobs_are_not_read_here(
    api: Api, cs: str, staff: StaffTokens
) -> None:
    missing = api.post("/labels/cartons", json_body={"codes": ["NO-SUCH-BOX"]}, token=cs)
    bad = api.post("/labels/cartons", json_body={"codes": ["??"]}, token=cs)
    empty = api.post("/labels/cartons", json_body={"codes": []}, token=cs)
    seed.model()
    seed.units(["OJ-0001"], "AC-9")
    admin = staff("admin")
    sheet = api.post("/labels/jobs", json_body={"serials": ["OJ-0001"]}, token=admin)

    assert (missing.status_code, error_code(missing)) == (404, "carton_not_found")
    assert (bad.status_code, error_code(bad)) == (400, "carton_code_invalid")
    assert empty.status_code == 400
    not_carton = api.get(f"/labels/cartons/{sheet.json_body['job_id']}", token=cs)
    assert (not_carton.status_code, error_code(not_carton)) == (404, "label_job_not_found")
    assert api.get(f"/labels/jobs/{sheet.json_body['job_id']}", token=cs).status_code == 403
    refused = api.post("/labels/cartons", json_body={"codes": ["X-1"]}, token=staff("director"))
    assert (refused.status_code, error_code(refused)) == (403, "role_not_allowed")


def test_the_pdf_is_one_page_a_carton(api: Api, cs: str, jobs_stream: StreamReader) -> None:
    seed.model()
    seed.units([f"PG-{n:04d}" for n in range(1, 4)])
    codes = [packed_carton(api, cs, [f"PG-{n:04d}"]) for n in range(1, 4)]

    asked = api.post("/labels/cartons", json_body={"codes": codes + codes[:1]}, token=cs)
    run_jobs(jobs_stream)
    job = api.get(f"/labels/cartons/{asked.json_body['job_id']}", token=cs).json_body
    pdf = requests.get(job["download"]["url"], timeout=10).content

    assert [[normalize_carton_code(c) for c in found] for found, _ in pages_of(pdf)] == [
        [code] for code in codes
    ]
    assert io.BytesIO(pdf).read(5) == b"%PDF-"
