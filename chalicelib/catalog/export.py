"""Units exports: the units list, with the filters it was asked with, as an Excel file.

An export is a job of kind ``units`` (``platform.export_jobs``): the request answers 202 with
the job, and the exports stream's run calls :func:`write_units`, which streams the matching units
query page by query page into an xlsxwriter workbook in constant-memory mode (each row goes to
disk as it is written, so memory stays flat from 1,000 to 100,000 rows). Every text cell passes
through :func:`~chalicelib.core.text.spreadsheet_cell`: a batch typed as ``=HYPERLINK(…)`` shows
as typed, never runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import IO, Protocol

from chalicelib.catalog.model import Unit, UnitFilter
from chalicelib.catalog.unit_search import unit_filter
from chalicelib.core.i18n import text
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name, spreadsheet_cell
from chalicelib.platform.export_jobs import PROGRESS_EVERY, ExportJob, new_job

KIND = "unit"  # its error codes: unit_export_failed, unit_export_stalled, …
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


class UnitSource(Protocol):
    def iterate(self, wanted: UnitFilter) -> Iterator[Unit]: ...


def new_export(
    filters: dict[str, str], *, brand_id: str, language: str, by: str, now: datetime
) -> ExportJob:
    """A queued export of the units ``filters`` select (checked now: ``Invalid`` as the list)."""
    unit_filter(filters)
    return new_job(
        KIND,
        filters,
        language=language,
        by=by,
        now=now,
        filename=f"units-{now:%Y%m%d-%H%M}.xlsx",
        brand_id=brand_id,
    )


def write_units(
    job: ExportJob,
    out: IO[bytes],
    on_progress: Callable[[int], object],
    *,
    units: UnitSource,
    today: date,
) -> int:
    """The job's units (its filters) into ``out``: the rows written."""
    return write_workbook(
        out,
        units.iterate(unit_filter(job.params)),
        language=job.language,
        today=today,
        on_progress=on_progress,
    )


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
