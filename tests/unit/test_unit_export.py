"""Units exports without I/O: the filters' parsing, the workbook's cells (read back by
python-calamine) and a run's outcome with in-memory jobs and storage."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import IO

import pytest
from python_calamine import load_workbook

from chalicelib.catalog.export import new_export, write_units, write_workbook
from chalicelib.catalog.model import UnitFilter, UnitStatus
from chalicelib.catalog.unit_search import cursor_scope, filter_params, unit_filter
from chalicelib.core.errors import Invalid
from chalicelib.platform.export_jobs import (
    PROGRESS_EVERY,
    ExportJob,
    ExportStatus,
    Writer,
    run_job,
)
from tests.support import factories as f

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"serial": " gar00000017w "}, UnitFilter(serial="GAR00000017W")),
        ({"serial": "GAR*"}, UnitFilter(serial_prefix="GAR")),
        ({"serial": "g*"}, UnitFilter(serial_prefix="G")),
        (
            {"model": "ac-9", "status": "void"},
            UnitFilter(model_code="AC-9", status=UnitStatus.VOID),
        ),
        ({"batch": "2026-11", "serial": ""}, UnitFilter(batch="2026-11")),
    ],
)
def test_filters_from_the_query_string(params: dict[str, str], expected: UnitFilter) -> None:
    assert unit_filter(params) == expected


def test_activation_days_are_whole_days_in_vietnam_both_ends_included() -> None:
    wanted = unit_filter({"activated_from": "2026-12-01", "activated_to": "2026-12-01"})

    assert wanted.activated_from == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert wanted.activated_until == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert filter_params(wanted) == {"activated_from": "2026-12-01", "activated_to": "2026-12-01"}


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"serial": "*"}, "serial", "serial_invalid"),
        ({"serial": "GA R*"}, "serial", "serial_invalid"),
        ({"serial": "AB"}, "serial", "serial_invalid"),
        ({"batch": '=HYPERLINK("x")'}, "batch", "batch_invalid"),
        ({"status": "Activated"}, "status", "unit_status_invalid"),
        ({"activated_to": "2026-02-30"}, "activated_to", "date_invalid"),
        ({"activated_to": "9999-12-31"}, "activated_to", "date_invalid"),
        ({"activated_from": "0001-01-01"}, "activated_from", "date_invalid"),
    ],
)
def test_bad_filters_name_their_field(params: dict[str, str], field: str, code: str) -> None:
    with pytest.raises(Invalid) as raised:
        unit_filter(params)

    assert [(e.field, e.code) for e in raised.value.fields] == [(field, code)]


def test_a_cursor_scope_is_the_same_for_the_same_filters_however_typed() -> None:
    typed = cursor_scope(unit_filter({"model": "ac-9", "serial": "gar*"}))
    canonical = cursor_scope(unit_filter({"serial": "GAR*", "model": "AC-9"}))

    assert typed == canonical
    assert typed != cursor_scope(unit_filter({"serial": "GAR*"}))


# --- the workbook -----------------------------------------------------------------------------


def rows_of(data: bytes) -> list[list[object]]:
    return load_workbook(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_every_text_cell_is_neutralised_and_numbers_of_rows_are_reported() -> None:
    units = [
        f.unit("GAR1", batch="=1+2"),
        f.unit("GAR2", batch="@SUM(A1)", activation=f.activation(owner_=f.owner("-Nam"))),
    ]
    out = io.BytesIO()

    written = write_workbook(out, units, language="en", today=TODAY)

    rows = rows_of(out.getvalue())
    assert written == 2
    assert rows[0][0] == "Serial"
    assert [r[4] for r in rows[1:]] == ["'=1+2", "'@SUM(A1)"]
    assert rows[2][9] == "'-***"  # the masked name still starts with "-"


def test_progress_is_told_every_thousand_rows() -> None:
    told: list[int] = []
    units = (f.unit(f"GAR{n:05d}") for n in range(2 * PROGRESS_EVERY + 5))

    written = write_workbook(
        io.BytesIO(), units, language="vi", today=TODAY, on_progress=told.append
    )

    assert written == 2 * PROGRESS_EVERY + 5
    assert told == [PROGRESS_EVERY, 2 * PROGRESS_EVERY]


# --- a run ------------------------------------------------------------------------------------


class MemoryJobs:
    def __init__(self) -> None:
        self.exports: dict[str, ExportJob] = {}

    def create(self, export: ExportJob) -> ExportJob:
        self.exports[export.export_id] = export
        return export

    def get(self, export_id: str, kind: str = "unit") -> ExportJob:
        return self.exports[export_id]

    def claim(self, export_id: str, now: datetime) -> ExportJob | None:
        export = self.exports[export_id]
        if export.status is not ExportStatus.QUEUED:
            return None
        self.exports[export_id] = replace(
            export, status=ExportStatus.RUNNING, attempts=1, lease_until=now + timedelta(minutes=16)
        )
        return self.exports[export_id]

    def _set(self, export_id: str, **changes: object) -> bool:
        self.exports[export_id] = replace(self.exports[export_id], **changes)  # type: ignore[arg-type]
        return True

    def progress(self, export_id: str, *, rows: int, now: datetime) -> bool:
        return self._set(export_id, rows=rows)

    def finish(
        self, export_id: str, *, rows: int, output_key: str, size_bytes: int, now: datetime
    ) -> bool:
        return self._set(
            export_id,
            status=ExportStatus.DONE,
            rows=rows,
            output_key=output_key,
            size_bytes=size_bytes,
            finished_at=now,
        )

    def fail(self, export_id: str, *, error_code: str, now: datetime) -> bool:
        return self._set(export_id, status=ExportStatus.FAILED, error_code=error_code)


class MemoryStorage:
    def __init__(self, refuse: bool = False) -> None:
        self.files: dict[str, bytes] = {}
        self.refuse = refuse

    def upload_from(self, key: str, file: IO[bytes], *, content_type: str, filename: str) -> None:
        if self.refuse:
            raise ConnectionError("the bucket is unreachable")
        file.seek(0)
        self.files[key] = file.read()


class Units:
    def __init__(self) -> None:
        self.asked: list[UnitFilter] = []

    def iterate(self, wanted: UnitFilter) -> Iterator:  # type: ignore[type-arg]
        self.asked.append(wanted)
        yield f.unit("GAR1")
        yield f.unit("GAR2")


def queued(jobs: MemoryJobs) -> ExportJob:
    return jobs.create(
        new_export({"serial": "GAR*"}, brand_id="demo", language="vi", by="cs", now=NOW)
    )


def writers(units: Units) -> dict[str, Writer]:
    """The units' writer, as the exports stream's handler composes it."""
    return {"unit": lambda job, out, told: write_units(job, out, told, units=units, today=TODAY)}


def test_a_run_writes_the_file_once_with_the_exports_filters() -> None:
    jobs, storage, units = MemoryJobs(), MemoryStorage(), Units()
    export = queued(jobs)

    first = run_job(
        export.export_id, jobs=jobs, writers=writers(units), storage=storage, clock=lambda: NOW
    )
    again = run_job(
        export.export_id, jobs=jobs, writers=writers(units), storage=storage, clock=lambda: NOW
    )

    done = jobs.get(export.export_id)
    assert (first, again) == (True, False)
    assert units.asked == [UnitFilter(serial_prefix="GAR")]
    assert (done.status, done.rows, done.output_key) == (
        ExportStatus.DONE,
        2,
        f"exports/unit/{export.export_id}.xlsx",
    )
    assert done.size_bytes == len(storage.files[f"exports/unit/{export.export_id}.xlsx"])
    assert [r[0] for r in rows_of(storage.files[done.output_key or ""])] == [
        "Số serial",
        "GAR1",
        "GAR2",
    ]


def test_a_run_that_cannot_upload_ends_failed_with_its_reason() -> None:
    jobs = MemoryJobs()
    export = queued(jobs)

    run_job(
        export.export_id,
        jobs=jobs,
        writers=writers(Units()),
        storage=MemoryStorage(refuse=True),
        clock=lambda: NOW,
    )

    failed = jobs.get(export.export_id)
    assert (failed.status, failed.error_code) == (ExportStatus.FAILED, "unit_export_failed")


def test_a_run_that_died_with_no_attempt_left_shows_as_stalled() -> None:
    export = replace(
        new_export({}, brand_id="demo", language="vi", by="cs", now=NOW),
        status=ExportStatus.RUNNING,
        attempts=2,
        lease_until=NOW,
    )

    assert export.stalled(NOW + timedelta(seconds=1))
    assert not export.stalled(NOW - timedelta(seconds=1))
