"""A month's maintenance receivables as an Excel workbook: one sheet of lines (the visit, its
amount, what was collected and by whom, what was handed over, the difference, the status) and
one per collector. Every text cell is neutralised against formulas; money stays numbers (whole
VND). A month is a few thousand lines at most, so the API writes it at once."""

from __future__ import annotations

from typing import IO, Any

from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell
from chalicelib.maintenance.receivables import Collector, Receivable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINE_COLUMNS = (
    ("ticket", 14), ("done_on", 12), ("serial", 16), ("customer", 26), ("amount", 14),
    ("collected", 14), ("method", 12), ("holder", 22), ("remitted", 14), ("remitted_on", 12),
    ("difference", 14), ("status", 14), ("parts_cost", 14),
)  # fmt: skip
COLLECTOR_COLUMNS = (
    ("holder", 26), ("lines", 8), ("amount", 14), ("collected", 14), ("remitted", 14),
    ("outstanding", 14), ("difference", 14),
)  # fmt: skip


def _header(sheet: Any, columns: tuple[tuple[str, int], ...], bold: Any, lang: str) -> None:
    for column, (name, width) in enumerate(columns):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, text(f"receivables_column_{name}", lang), bold)
    sheet.freeze_panes(1, 0)


def _row(sheet: Any, row: int, cells: list[str | int | None], money: Any) -> None:
    for column, value in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, int):
            sheet.write_number(row, column, value, money)
        else:
            sheet.write_string(row, column, spreadsheet_cell(value))


def write_receivables(
    out: IO[bytes],
    month: str,
    lines: list[Receivable],
    collectors: list[Collector],
    *,
    language: str,
) -> int:
    """The month into ``out`` (xlsx); returns how many lines."""
    import xlsxwriter  # heavy: loaded by the export only

    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    sheet = workbook.add_worksheet(
        spreadsheet_cell(f"{text('receivables_sheet_lines', language)} {month}")
    )
    _header(sheet, LINE_COLUMNS, bold, language)
    for index, line in enumerate(lines, start=1):
        _row(sheet, index, [
            line.ticket_id, line.done_on.isoformat(), line.serial, line.customer_name,
            line.amount_vnd, line.collected_vnd, line.method, line.holder_name or line.holder,
            line.remitted_vnd, line.remitted_on.isoformat() if line.remitted_on else None,
            line.difference_vnd, text(f"receivables_status_{line.status.value}", language),
            line.parts_cost_vnd,
        ], money)  # fmt: skip
    by_holder = workbook.add_worksheet(
        spreadsheet_cell(text("receivables_sheet_collectors", language))
    )
    _header(by_holder, COLLECTOR_COLUMNS, bold, language)
    for index, c in enumerate(collectors, start=1):
        _row(by_holder, index, [
            c.holder_name or text("receivables_not_collected", language), c.lines, c.amount_vnd,
            c.collected_vnd, c.remitted_vnd, c.outstanding_vnd, c.difference_vnd,
        ], money)  # fmt: skip
    workbook.close()
    return len(lines)
