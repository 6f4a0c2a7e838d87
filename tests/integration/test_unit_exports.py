"""Units exports (issue 12): the list with its filters to Excel as a job started by the
exports stream; formulas neutralised; the file opens in python-calamine."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from python_calamine import load_workbook

from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.platform.tables import ExportJobRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

FORMULA = '=HYPERLINK("http://evil.test","Bấm")'


@pytest.fixture
def cs(staff: StaffTokens) -> str:
    return staff("cs")


@pytest.fixture
def exports_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, ExportJobRecord.Meta.table_name)


def run_exports(stream: StreamReader) -> int:
    records = stream.new_records()
    for record in records:
        assert deliver("on_export_change", [record]) == {"batchItemFailures": []}
    return len(records)


def sheet_rows(export: dict[str, Any]) -> list[list[Any]]:
    response = requests.get(export["download"]["url"], timeout=10)
    response.raise_for_status()
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.get_sheet_by_index(0).to_python()


def some_units() -> None:
    seed.model("AC-9")
    seed.model("TV-1")
    units = UnitRepository()
    units.add(f.new_units(["GAR001", "GAR002"], batch="L1"), event="imported", by="t")
    units.add(f.new_units(["GAR010"], "TV-1"), event="imported", by="t")
    units.activate(
        "GAR002",
        f.activation(at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC)),
        owner_key="k",
        consents=(),
    )


def test_an_export_writes_the_filtered_list_to_excel(
    api: Api, cs: str, exports_stream: StreamReader
) -> None:
    some_units()

    started = api.post("/units/exports", json_body={"model": "ac-9"}, token=cs)
    export_id = started.json_body["export_id"]
    queued = api.get(f"/units/exports/{export_id}", token=cs).json_body
    assert run_exports(exports_stream) >= 1
    done = api.get(f"/units/exports/{export_id}", token=cs).json_body

    assert started.status_code == 202
    assert (started.json_body["status"], started.json_body["filters"]) == (
        "queued",
        {"model": "ac-9"},
    )
    assert queued["download"] is None
    assert (done["status"], done["rows"], done["created_by"]) == ("done", 2, "cs")
    assert done["download"]["filename"].endswith(".xlsx")
    rows = sheet_rows(done)
    assert rows[0][:3] == ["Số serial", "Mẫu", "Trạng thái"]
    assert [r[0] for r in rows[1:]] == ["GAR001", "GAR002"]
    activated = rows[2]
    assert activated[2] == "Đã kích hoạt"
    assert activated[4] == "L1"
    # a leading "+" is one of the formula starts: the masked phone is neutralised as well
    assert activated[9:] == ["N***** V** A*", "'+84 91* *** *78"]
    assert "912345678" not in str(rows)


def test_the_file_answers_in_the_requesters_language(
    api: Api, cs: str, exports_stream: StreamReader
) -> None:
    some_units()

    started = api.post(
        "/units/exports",
        json_body={"serial": "GAR01*"},
        token=cs,
        headers={"Accept-Language": "en"},
    )
    run_exports(exports_stream)
    done = api.get(f"/units/exports/{started.json_body['export_id']}", token=cs).json_body

    rows = sheet_rows(done)
    assert rows[0][:3] == ["Serial", "Model", "Status"]
    assert rows[1][:3] == ["GAR010", "TV-1", "Registered"]


def test_a_cell_that_would_run_as_a_formula_comes_out_as_text(
    api: Api, cs: str, exports_stream: StreamReader
) -> None:
    # Given a unit whose batch was stored as typed, before batches were checked
    seed.model("AC-9")
    UnitRecord(
        "GAR777",
        brand_id="demo",
        model_code="AC-9",
        status="registered",
        batch=FORMULA,
        created_at=datetime.now(UTC),
    ).save()

    started = api.post("/units/exports", json_body={}, token=cs)
    run_exports(exports_stream)
    done = api.get(f"/units/exports/{started.json_body['export_id']}", token=cs).json_body

    rows = sheet_rows(done)
    assert rows[1][0] == "GAR777"
    assert rows[1][4] == "'" + FORMULA  # the apostrophe: a spreadsheet shows it as typed
    content = requests.get(done["download"]["url"], timeout=10).content
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
        sheet = xlsx.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula cell anywhere


def test_a_redelivered_record_writes_the_file_once(
    api: Api, cs: str, exports_stream: StreamReader
) -> None:
    some_units()
    started = api.post("/units/exports", json_body={}, token=cs)
    [record] = exports_stream.new_records()

    first = deliver("on_export_change", [record])
    again = deliver("on_export_change", [record])
    done = api.get(f"/units/exports/{started.json_body['export_id']}", token=cs).json_body

    assert first == again == {"batchItemFailures": []}
    assert (done["status"], done["rows"]) == ("done", 3)
    stored = ExportJobRecord.get(started.json_body["export_id"])
    assert stored.attempts == 1


def test_bad_filters_are_refused_before_any_job(api: Api, cs: str) -> None:
    response = api.post("/units/exports", json_body={"status": "lost"}, token=cs)
    unknown = api.post("/units/exports", json_body={"owner": "x"}, token=cs)

    assert (response.status_code, field_codes(response)) == (
        400,
        {"status": "unit_status_invalid"},
    )
    assert unknown.status_code == 400
    assert list(ExportJobRecord.scan()) == []


def test_an_unknown_export_is_not_found(api: Api, cs: str) -> None:
    response = api.get("/units/exports/0123456789abcdef", token=cs)

    assert (response.status_code, error_code(response)) == (404, "unit_export_not_found")


@pytest.mark.parametrize(
    ("user", "status"),
    [("admin", 202), ("cs", 202), ("technician", 202), ("director", 202), ("accountant", 403)],
)
def test_who_may_export(api: Api, staff: StaffTokens, user: str, status: int) -> None:
    assert api.post("/units/exports", json_body={}, token=staff(user)).status_code == status
