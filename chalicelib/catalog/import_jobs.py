"""Unit import jobs: a CSV or Excel (.xlsx) file of up to 100,000 units, uploaded to the bucket
by a presigned PUT, read by a job outside the request: ``uploading → queued → running → done |
failed``.

The run claims the job with a lease (a redelivered stream record finds it claimed); a file that
needs more time than one Lambda run stops between chunks, keeps its place (``next_line``) and
goes back to the queue for the next run. Each line ends imported or rejected with its reason.

>>> import_kind("Units 2026.XLSX"), import_kind("units.csv"), import_kind("units.xls")
('xlsx', 'csv', None)
>>> cell_text(12345.0), cell_text(date(2026, 1, 2)), cell_text(None), cell_text(" AB-1 ")
('12345', '2026-01-02', '', 'AB-1')
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from chalicelib.core.errors import Invalid

MAX_IMPORT_ROWS = 100_000
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # 100,000 rows of an .xlsx take ~3 MB, a CSV ~5 MB
MAX_FILENAME = 120
MAX_ATTEMPTS = 2
MAX_RUNS = 8
LEASE = timedelta(minutes=16)  # past Lambda's 15-minute ceiling: a live run never loses it
RETRY_GRACE = timedelta(minutes=5)
KEEP_FOR = timedelta(days=30)  # the job's record
FILE_KEPT_FOR = timedelta(days=7)  # its files (the uploads bucket's lifecycle rule)
UPLOAD_LINK_TTL = timedelta(minutes=15)
DOWNLOAD_LINK_TTL = timedelta(minutes=15)
REJECTED_SAMPLE = 20  # the first rejected lines kept on the job (the console's preview)
XLSX_MAGIC = b"PK\x03\x04"  # a zip archive: every .xlsx is one
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportStatus(StrEnum):
    UPLOADING = "uploading"  # the upload link was given; nothing runs until started
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class LineResult:
    """One data line of the file: imported (``reason`` empty) or rejected with its reason."""

    line: int
    serial: str
    model_code: str
    reason: str = ""

    @property
    def imported(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class UnitImport:
    import_id: str
    brand_id: str
    filename: str
    kind: str  # csv | xlsx
    size_bytes: int
    status: ImportStatus
    language: str
    created_by: str
    created_at: datetime
    total: int = 0
    done: int = 0
    imported: int = 0
    rejected: int = 0
    rejected_sample: tuple[LineResult, ...] = ()
    next_line: int = 0  # the last line the runs before this one read
    counted: tuple[int, int, int] = (0, 0, 0)  # their (done, imported, rejected)
    parts: int = 0  # the results files those runs left (one a run)
    report_key: str | None = None
    error_code: str | None = None
    error_details: dict[str, Any] = field(default_factory=dict)  # fills the error's message
    attempts: int = 0
    runs: int = 0
    lease_until: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def stalled(self, now: datetime) -> bool:
        """A run that died and will not be claimed again: shown as failed."""
        return (
            self.status is ImportStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < now
            and (self.attempts >= MAX_ATTEMPTS or self.lease_until < now - RETRY_GRACE)
        )


def new_import_id() -> str:
    return f"ui_{uuid.uuid4().hex}"


def import_kind(filename: str) -> str | None:
    """``csv`` or ``xlsx`` by the file's name; ``None`` for anything else."""
    suffix = Path(filename.strip()).suffix.lower().lstrip(".")
    return suffix if suffix in CONTENT_TYPES else None


def source_key(import_id: str, kind: str) -> str:
    return f"unit-imports/{import_id}/source.{kind}"


def results_key(import_id: str, part: int) -> str:
    return f"unit-imports/{import_id}/results-{part}.jsonl"


def report_key(import_id: str) -> str:
    return f"unit-imports/{import_id}/report.xlsx"


def cell_text(value: object) -> str:
    """A spreadsheet cell as the import reads it: numbers without ``.0``, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_records(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    from python_calamine import CalamineError, CalamineWorkbook, XmlError, ZipError

    file.seek(0)
    path = getattr(file, "name", None)  # a named file: calamine reads the zip from disk
    try:
        if isinstance(path, str):
            workbook = CalamineWorkbook.from_path(path)
        else:
            workbook = CalamineWorkbook.from_filelike(file)
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, XmlError, ZipError) as exc:  # a zip that is no workbook
        raise Invalid("import_not_xlsx") from exc
    # iter_rows starts at the sheet's first used row: number lines from there, as Excel does
    first = sheet.start[0] + 1 if sheet.start else 1
    for number, row in enumerate(sheet.iter_rows(), start=first):
        fields = [cell_text(cell) for cell in row]
        while fields and not fields[-1]:
            fields.pop()
        yield number, fields


def _csv_records(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """CSV records decoded as they are read (a 20 MB file is never decoded whole)."""
    file.seek(0)
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    number = 0
    try:
        while True:
            number += 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise Invalid("import_malformed_csv", line=number) from None
            except UnicodeDecodeError:
                raise Invalid("import_not_utf8") from None
            yield number, fields
    finally:
        text.detach()  # the caller's file stays open (another pass may read it again)


def file_records(file: IO[bytes], kind: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of the file's first sheet or its CSV lines, one at a time. Raises
    ``Invalid`` when the content is not what the name says (``import_not_xlsx``: a file named
    .xlsx that is no zip; ``import_not_csv``: a spreadsheet named .csv) or cannot be read."""
    file.seek(0)
    head = file.read(len(XLSX_MAGIC))
    if kind == "xlsx":
        if head != XLSX_MAGIC:
            raise Invalid("import_not_xlsx")
        return _xlsx_records(file)
    if head == XLSX_MAGIC:
        raise Invalid("import_not_csv")
    return _csv_records(file)


def is_blank(fields: list[str]) -> bool:
    return not fields or all(not f.strip() for f in fields)


def is_header(fields: list[str]) -> bool:
    """The first non-blank line may name the columns: ``serial,model_code,…``."""
    return fields[0].strip().lower() == "serial"
