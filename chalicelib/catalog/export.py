"""Units exports: the units list, with the filters it was asked with, as an Excel file.

An export runs outside the request that asks for it (the ``unit_exports`` stream starts it): the
request answers 202 with the export's id, the run claims it with a conditional update and a
lease (a stream record delivered twice writes one file), then streams the matching units query
page by query page into an xlsxwriter workbook in constant-memory mode (each row goes to disk as
it is written, so memory stays flat from 1,000 to 100,000 rows), and uploads the file. Every
text cell passes through :func:`~chalicelib.core.text.spreadsheet_cell`: a batch typed as
``=HYPERLINK(…)`` shows as typed, never runs."""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import IO, Protocol

from chalicelib.catalog.model import Unit, UnitFilter
from chalicelib.catalog.unit_search import unit_filter
from chalicelib.core.i18n import text
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name, spreadsheet_cell

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=16)  # longer than the function's 15 minutes: a live run keeps it
MAX_ATTEMPTS = 2  # a run that died (timeout, crash) is taken over once
KEEP_FOR = timedelta(days=7)  # the export's record (TTL); the file's link only while kept
DOWNLOAD_LINK_TTL = timedelta(minutes=15)
PROGRESS_EVERY = 1000  # rows between two progress writes (100 writes for 100,000 rows)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "serial",
    "model",
    "status",
    "warranty_status",
    "batch",
    "manufactured_on",
    "created_at",
    "activated_at",
    "warranty_end",
    "owner",
    "phone",
)
WIDTHS = (16, 14, 14, 16, 14, 14, 20, 20, 14, 22, 18)


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class UnitExport:
    export_id: str
    brand_id: str
    status: ExportStatus
    filters: dict[str, str]
    language: str
    created_by: str
    created_at: datetime
    rows: int = 0
    output_key: str | None = None
    size_bytes: int | None = None
    error_code: str | None = None
    attempts: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    lease_until: datetime | None = None

    def stalled(self, now: datetime) -> bool:
        """A run that died with no attempt left: it will never end by itself."""
        return (
            self.status is ExportStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < now
            and self.attempts >= MAX_ATTEMPTS
        )

    @property
    def filename(self) -> str:
        return f"units-{self.created_at:%Y%m%d-%H%M}.xlsx"


class ExportJobs(Protocol):
    def create(self, export: UnitExport) -> UnitExport: ...
    def get(self, export_id: str) -> UnitExport: ...
    def claim(self, export_id: str, now: datetime) -> UnitExport | None: ...
    def progress(self, export_id: str, *, rows: int, now: datetime) -> bool: ...
    def finish(
        self, export_id: str, *, rows: int, output_key: str, size_bytes: int, now: datetime
    ) -> bool: ...
    def fail(self, export_id: str, *, error_code: str, now: datetime) -> bool: ...


class UnitSource(Protocol):
    def iterate(self, wanted: UnitFilter) -> Iterator[Unit]: ...


class ExportStorage(Protocol):
    def upload_from(
        self, key: str, file: IO[bytes], *, content_type: str, filename: str
    ) -> None: ...


def new_export(
    filters: dict[str, str], *, brand_id: str, language: str, by: str, now: datetime
) -> UnitExport:
    """A queued export of the units ``filters`` select (checked now: ``Invalid`` as the list)."""
    unit_filter(filters)
    return UnitExport(
        export_id=uuid.uuid4().hex,
        brand_id=brand_id,
        status=ExportStatus.QUEUED,
        filters=dict(filters),
        language=language,
        created_by=by,
        created_at=now,
    )


def run_export(
    export_id: str,
    *,
    jobs: ExportJobs,
    units: UnitSource,
    storage: ExportStorage,
    clock: Callable[[], datetime],
    today: date,
) -> bool:
    """Write the export's file once: ``False`` when another run holds it or it has ended. A
    failure marks it failed (``unit_export_failed``) and is logged, never retried blindly."""
    export = jobs.claim(export_id, clock())
    if export is None:
        return False
    key = f"exports/{export.export_id}.xlsx"
    try:
        with tempfile.TemporaryFile() as out:
            rows = write_workbook(
                out,
                units.iterate(unit_filter(export.filters)),
                language=export.language,
                today=today,
                on_progress=lambda n: jobs.progress(export_id, rows=n, now=clock()),
            )
            size = out.tell()
            storage.upload_from(key, out, content_type=XLSX, filename=export.filename)
    except Exception:
        logger.exception("unit export failed", extra={"export_id": export_id})
        jobs.fail(export_id, error_code="unit_export_failed", now=clock())
        return True
    jobs.finish(export_id, rows=rows, output_key=key, size_bytes=size, now=clock())
    logger.info("unit export written", extra={"export_id": export_id, "rows": rows})
    return True


def write_workbook(
    out: IO[bytes],
    units: Iterable[Unit],
    *,
    language: str,
    today: date,
    on_progress: Callable[[int], object] | None = None,
) -> int:
    """The units as one worksheet (a header row, then a row a unit) into ``out``; returns the
    rows written. Constant memory: rows are flushed to a temporary file as they are written."""
    import xlsxwriter  # heavy: loaded by the export's run only

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(spreadsheet_cell(text("export_sheet_units", language)))
    bold = workbook.add_format({"bold": True})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    headers = [spreadsheet_cell(text(f"export_column_{name}", language)) for name in COLUMNS]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    rows = 0
    for unit in units:
        rows += 1
        sheet.write_row(rows, 0, [spreadsheet_cell(v) for v in unit_row(unit, language, today)])
        if on_progress is not None and rows % PROGRESS_EVERY == 0:
            on_progress(rows)
    workbook.close()
    return rows


def unit_row(unit: Unit, language: str, today: date) -> list[str]:
    """One unit's cells as text, the owner masked (an export is a list, not a reveal)."""
    activation = unit.activation
    return [
        unit.serial,
        unit.model_code,
        text(f"unit_status_{unit.status.value}", language),
        text(f"warranty_status_{unit.public_status(today).value}", language),
        unit.batch,
        unit.manufactured_on.isoformat() if unit.manufactured_on else "",
        _moment(unit.created_at),
        _moment(activation.activated_at) if activation else "",
        activation.warranty_end.isoformat() if activation else "",
        mask_name(activation.owner.name) if activation else "",
        mask_phone(activation.owner.phone) if activation else "",
    ]


def _moment(value: datetime | None) -> str:
    from chalicelib.catalog.warranty import BUSINESS_TIMEZONE

    return value.astimezone(BUSINESS_TIMEZONE).strftime("%Y-%m-%d %H:%M") if value else ""
