"""Unit imports through the staff API, on the emulator: the file goes to the uploads bucket by
its presigned PUT, the job runs from the unit_imports stream, every line ends imported or
rejected with its reason, and the report (Excel) is downloaded by its link and read back with
calamine."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests
import xlsxwriter
from python_calamine import CalamineWorkbook

from chalicelib.catalog import import_events, import_runner
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.import_jobs import ImportStatus
from chalicelib.catalog.tables import ProductModelRecord, UnitImportRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.i18n import text
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


@pytest.fixture
def imports_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, UnitImportRecord.Meta.table_name)


def xlsx(rows: list[list[Any]]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, workbook.add_format({"num_format": "yyyy-mm-dd"}))
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    workbook.close()
    return out.getvalue()


def upload(api: Api, token: str, filename: str, data: bytes, **headers: str) -> dict[str, Any]:
    """Ask for the link, PUT the file to the bucket as the browser does, start the import."""
    created = api.post(
        "/units/imports",
        json_body={"filename": filename, "size_bytes": len(data)},
        token=token,
        headers=headers,
    )
    assert created.status_code == 201, created.json_body
    link = created.json_body["upload"]
    assert link["method"] == "PUT"
    put = requests.put(link["url"], data=data, headers=link["headers"], timeout=10)
    assert put.status_code == 200, put.text
    started = api.post(f"/units/imports/{created.json_body['import_id']}/start", token=token)
    assert started.status_code == 202, started.json_body
    assert started.json_body["status"] == "queued"
    body: dict[str, Any] = started.json_body
    return body


def run_imports(stream: StreamReader) -> int:
    records = stream.new_records()
    for record in records:
        assert deliver("on_unit_import_change", [record]) == {"batchItemFailures": []}
    return len(records)


def finished(api: Api, token: str, import_id: str, stream: StreamReader) -> dict[str, Any]:
    for _ in range(10):  # each run that hands over re-queues: the stream brings the job back
        if run_imports(stream) == 0:
            break
    body: dict[str, Any] = api.get(f"/units/imports/{import_id}", token=token).json_body
    return body


def report_rows(job: dict[str, Any]) -> list[list[Any]]:
    response = requests.get(job["report"]["url"], timeout=10)
    response.raise_for_status()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python()]


CSV_WITH_EVERY_REASON = (
    "serial,model_code,batch,manufactured_on\n"
    "AB-1001,AC-9,LOT-1,2026-01-02\n"  # 2 imported
    "ab-1002,ac-9\n"  # 3 imported (normalised)
    "AB-1001,AC-9\n"  # 4 duplicate_in_file
    "AB-1003,XX-1\n"  # 5 model_not_found
    "OLD-0001,AC-9\n"  # 6 serial_exists
    '=HYPERLINK("http://x.test"),AC-9\n'  # 7 serial_invalid, shown as typed
    "AB-1004\n"  # 8 wrong_column_count
    "AB-1005,AC-9,bad batch!\n"  # 9 batch_invalid
    "AB-1006,AC-9,,02/01/2026\n"  # 10 manufactured_on_invalid
    "AB-1007,AC-9,,2999-01-01\n"  # 11 manufactured_on_in_future
    "\n"
    "AB-1008,AC-9,LOT-1\n"  # 13 imported
    "AB-1009,bad code!\n"  # 14 model_code_invalid
)


def test_a_csv_import_reports_every_line_with_its_reason_in_the_importers_language(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    seed.units(["OLD-0001"])

    job = upload(
        api, admin, "units.csv", CSV_WITH_EVERY_REASON.encode(), **{"Accept-Language": "en"}
    )
    done = finished(api, admin, job["import_id"], imports_stream)

    assert (done["status"], done["total"], done["done"]) == ("done", 12, 12)
    assert (done["imported"], done["rejected"], done["progress"]) == (3, 9, 1.0)
    assert [(r["line"], r["reason"]) for r in done["first_rejected"]] == [
        (4, "duplicate_in_file"),
        (5, "model_not_found"),
        (6, "serial_exists"),
        (7, "serial_invalid"),
        (8, "wrong_column_count"),
        (9, "batch_invalid"),
        (10, "manufactured_on_invalid"),
        (11, "manufactured_on_in_future"),
        (14, "model_code_invalid"),
    ]
    unit = UnitRepository().get("AB-1002")
    assert (unit.model_code, unit.history[0].event, unit.history[0].by) == (
        "AC-9",
        "imported",
        "admin",
    )
    assert UnitRepository().get("AB-1001").batch == "LOT-1"
    assert int(ProductModelRecord.get("AC-9").unit_count) == 1 + 3
    rows = report_rows(done)
    assert rows[0] == ["Line", "Serial", "Model", "Result", "Reason"]
    assert rows[1] == [2.0, "AB-1001", "AC-9", "Imported", ""]
    assert rows[3] == [4.0, "AB-1001", "AC-9", "Rejected", "The serial appears twice in the file."]
    assert rows[6][1] == '\'=HYPERLINK("http://x.test")'  # a formula shows as typed
    assert [row[0] for row in rows[1:]] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14]
    assert done["report"]["filename"] == "import-report-units.xlsx"


def test_an_xlsx_import_reads_numbers_and_dates_as_typed_and_reports_in_vietnamese(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    data = xlsx(
        [
            ["serial", "model_code", "batch", "manufactured_on"],
            ["XL-0001", "AC-9", "LOT-2", datetime(2026, 3, 4)],
            [100200300, "AC-9", 2026, None],
            ["XL-0001", "AC-9", None, None],
        ]
    )

    job = upload(api, admin, "Units.XLSX", data, **{"Accept-Language": "vi"})
    done = finished(api, admin, job["import_id"], imports_stream)

    assert (done["status"], done["imported"], done["rejected"]) == ("done", 2, 1)
    assert UnitRepository().get("XL-0001").manufactured_on.isoformat() == "2026-03-04"  # type: ignore[union-attr]
    assert UnitRepository().get("100200300").batch == "2026"
    rows = report_rows(done)
    assert rows[0] == ["Dòng", "Số serial", "Mẫu", "Kết quả", "Lý do"]
    assert rows[3][:4] == [4.0, "XL-0001", "AC-9", "Bị từ chối"]
    assert rows[3][4] == text("duplicate_in_file", "vi")


def test_a_redelivered_stream_record_imports_once(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    job = upload(api, admin, "units.csv", b"serial,model_code\nRD-0001,AC-9\nRD-0002,AC-9\n")
    records = [r for r in imports_stream.new_records() if r["eventName"] == "MODIFY"]
    queued = [r for r in records if r["dynamodb"]["NewImage"]["status"]["S"] == "queued"]

    assert len(queued) == 1
    assert import_events._QUEUED == ImportStatus.QUEUED  # what the handler listens for
    deliver("on_unit_import_change", queued)
    again = api.post(f"/units/imports/{job['import_id']}/start", token=admin)  # asked twice
    deliver("on_unit_import_change", queued)  # the same record, once more
    done = finished(api, admin, job["import_id"], imports_stream)

    assert again.status_code == 202
    assert (done["status"], done["imported"], done["rejected"]) == ("done", 2, 0)
    assert int(ProductModelRecord.get("AC-9").unit_count) == 2


def _lines(count: int, start: int = 1) -> bytes:
    rows = [f"RN-{n:05d},AC-9" for n in range(start, start + count)]
    return ("serial,model_code\n" + "\n".join(rows) + "\n").encode()


def _context(**changes: Any) -> import_runner.ImportContext:
    from dataclasses import replace

    return replace(catalog_wiring.import_context(), **changes)


def test_a_run_cut_by_time_hands_over_and_the_next_run_goes_on_where_it_stopped(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    seed.units(["RN-00004"])  # exists before: rejected in the second run
    job = upload(api, admin, "units.csv", _lines(7) + b"RN-00002,AC-9\n")
    imports_stream.new_records()

    first = import_runner.run_import(
        job["import_id"],
        context=_context(chunk_rows=3, remaining_seconds=lambda: 10.0, reserve_seconds=60.0),
    )
    assert first is not None
    assert (first.status, first.next_line, first.runs, first.done) == (
        ImportStatus.QUEUED,
        4,
        1,
        3,
    )
    done = finished(api, admin, job["import_id"], imports_stream)  # the stream's next run

    assert (done["status"], done["total"], done["imported"], done["rejected"]) == ("done", 8, 6, 2)
    assert [(r["line"], r["reason"]) for r in done["first_rejected"]] == [
        (5, "serial_exists"),
        (9, "duplicate_in_file"),  # RN-00002 was seen by the first run
    ]
    assert [row[0] for row in report_rows(done)[1:]] == list(range(2, 10))


def test_a_chunk_retried_after_a_crash_counts_its_rows_imported_once(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    job = upload(api, admin, "units.csv", _lines(5))
    imports_stream.new_records()
    storage = catalog_wiring.import_context().storage
    calls: list[str] = []

    class CrashOnce:
        """The results upload fails once: the units of the run are written, its report not."""

        def __getattr__(self, name: str) -> Callable[..., Any]:
            return getattr(storage, name)  # type: ignore[no-any-return]

        def upload_from(self, key: str, *args: Any, **kwargs: Any) -> None:
            calls.append(key)
            if len(calls) == 1:
                raise ConnectionError("the bucket went away")
            storage.upload_from(key, *args, **kwargs)

    crashed = import_runner.run_import(
        job["import_id"],
        context=_context(storage=CrashOnce(), chunk_rows=2, progress_every_seconds=0.0),
    )
    assert crashed is not None and crashed.status is ImportStatus.QUEUED  # one attempt left
    assert crashed.done == 5  # its progress was written before it crashed
    done = finished(api, admin, job["import_id"], imports_stream)

    assert (done["status"], done["done"], done["imported"], done["rejected"]) == ("done", 5, 5, 0)
    assert int(ProductModelRecord.get("AC-9").unit_count) == 5
    assert [row[3] for row in report_rows(done)[1:]] == ["Đã nhập"] * 5  # none "exists"


def test_a_file_named_xlsx_that_is_not_a_workbook_or_a_csv_not_in_utf8_fails_with_its_reason(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    job = upload(api, admin, "units.xlsx", b"serial,model_code\nAB-1,AC-9\n")
    latin1 = upload(api, admin, "latin1.csv", "serial,model_code\nAB-1,Máy\n".encode("latin-1"))
    zip_not_workbook = upload(api, admin, "other.xlsx", b"PK\x03\x04 not really a zip")
    spreadsheet_named_csv = upload(api, admin, "units.csv", xlsx([["AB-1", "AC-9"]]))

    failed = finished(api, admin, job["import_id"], imports_stream)
    broken = api.get(f"/units/imports/{zip_not_workbook['import_id']}", token=admin).json_body
    named_csv = api.get(f"/units/imports/{spreadsheet_named_csv['import_id']}", token=admin)

    assert (failed["status"], failed["error"]["code"]) == ("failed", "import_not_xlsx")
    assert failed["error"]["messages"]["vi"].startswith("Tệp không phải")
    assert broken["error"]["code"] == "import_not_xlsx"
    assert named_csv.json_body["error"]["code"] == "import_not_csv"
    assert failed["report"] is None
    latin1_job = api.get(f"/units/imports/{latin1['import_id']}", token=admin).json_body
    assert latin1_job["error"]["code"] == "import_not_utf8"


def test_a_file_over_the_row_limit_fails_before_anything_is_imported(
    api: Api, admin: str, imports_stream: StreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed.model()
    monkeypatch.setattr(import_runner, "MAX_IMPORT_ROWS", 3)
    job = upload(api, admin, "units.csv", _lines(4))

    failed = finished(api, admin, job["import_id"], imports_stream)

    assert (failed["status"], failed["error"]["code"]) == ("failed", "unit_import_too_many_rows")
    assert failed["error"]["messages"]["en"] == "An import file can have at most 3 lines."
    assert failed["imported"] == 0
    assert int(ProductModelRecord.get("AC-9").unit_count) == 0


def test_the_file_must_be_csv_or_xlsx_within_the_size_cap_and_uploaded_before_starting(
    api: Api, admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def create(filename: str, size: int) -> Any:
        return api.post(
            "/units/imports", json_body={"filename": filename, "size_bytes": size}, token=admin
        )

    xls = create("units.xls", 100)
    huge = create("units.csv", 20 * 1024 * 1024 + 1)
    zero = create("units.csv", 0)
    waiting = create("units.csv", 100).json_body
    not_uploaded = api.post(f"/units/imports/{waiting['import_id']}/start", token=admin)
    monkeypatch.setattr(import_runner, "MAX_IMPORT_BYTES", 10)
    requests.put(
        waiting["upload"]["url"], data=b"x" * 11, headers=waiting["upload"]["headers"], timeout=10
    )
    too_big_after = api.post(f"/units/imports/{waiting['import_id']}/start", token=admin)

    assert (xls.status_code, error_code(xls)) == (400, "unit_import_file_type")
    assert (huge.status_code, error_code(huge)) == (400, "unit_import_too_large")
    assert huge.json_body["error"]["message"] == "Tệp quá lớn (tối đa 20 MB)."
    assert zero.status_code == 400
    assert (not_uploaded.status_code, error_code(not_uploaded)) == (400, "unit_import_not_uploaded")
    assert (too_big_after.status_code, error_code(too_big_after)) == (400, "unit_import_too_large")
    assert waiting["status"] == "uploading"
    assert waiting["upload"]["headers"] == {"Content-Type": "text/csv"}


def test_only_an_admin_imports_and_the_list_is_newest_first(
    api: Api, admin: str, staff: StaffTokens
) -> None:
    ids = []
    for name in ("first.csv", "second.xlsx"):
        body = {"filename": name, "size_bytes": 10}
        ids.append(api.post("/units/imports", json_body=body, token=admin).json_body["import_id"])

    listed = api.get("/units/imports?limit=1", token=admin).json_body
    rest = api.get(f"/units/imports?cursor={listed['next_cursor']}", token=admin).json_body
    cs = api.get("/units/imports", token=staff("cs"))
    director = api.post(
        "/units/imports", json_body={"filename": "a.csv", "size_bytes": 1}, token=staff("director")
    )
    unknown = api.get("/units/imports/ui_nothing", token=admin)

    assert [i["import_id"] for i in listed["imports"] + rest["imports"]] == ids[::-1]
    assert listed["imports"][0]["kind"] == "xlsx"
    assert (cs.status_code, director.status_code) == (403, 403)
    assert (unknown.status_code, error_code(unknown)) == (404, "unit_import_not_found")


def test_the_small_csv_import_route_still_answers_at_once(api: Api, admin: str) -> None:
    seed.model()

    response = api.post(
        "/units/import",
        body="serial,model_code\nOK-0001,AC-9\n",
        token=admin,
        headers={"Content-Type": "text/csv"},
    )

    assert response.status_code == 200
    assert response.json_body == {"imported": 1, "rejected": []}
    assert UnitRepository().get("OK-0001").history[0].note == ""
