"""A report as an Excel workbook: a sheet of its totals, then one sheet per table (its key
columns named as the console shows them, then its figures): counts and VND as numbers, rates as
percentages, every text neutralised against formulas
(:func:`chalicelib.core.text.spreadsheet_cell`). Its size is months × dimensions, so the API
writes it at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import xlsxwriter

from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell
from chalicelib.reports.figures import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Labels = Mapping[str, Mapping[str, str]]  # dimension → value → its label


def _is_rate(column: str) -> bool:
    return column.endswith("_rate") or column == "share"


def _cell(sheet: Any, row: int, column: int, value: Any, formats: dict[str, Any], name: str
          ) -> None:  # fmt: skip
    if value is None:
        sheet.write_string(row, column, "—")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        sheet.write_string(row, column, spreadsheet_cell(str(value)))
    elif _is_rate(name):
        sheet.write_number(row, column, value, formats["percent"])
    else:
        sheet.write_number(row, column, value, formats["number"])


def write_report(out: IO[bytes], report: Report, *, labels: Labels, language: str) -> int:
    """Writes the workbook; returns the rows written (every table's)."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    formats = {
        "bold": book.add_format({"bold": True}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "number": book.add_format({"num_format": "#,##0"}),
    }
    totals = book.add_worksheet(text("report_sheet_totals", language)[:31])
    totals.set_column(0, 0, 34)
    totals.set_column(1, 1, 18)
    totals.write_string(0, 0, text(f"report_title_{report.kind}", language), formats["bold"])
    totals.write_string(1, 0, f"{report.months[0]} – {report.months[-1]}")
    for index, (name, value) in enumerate(report.totals.items(), start=3):
        totals.write_string(index, 0, text(f"report_column_{name}", language))
        _cell(totals, index, 1, value, formats, name)
    written = 0
    for table in report.tables:
        sheet = book.add_worksheet(text(f"report_table_{table.name}", language)[:31])
        names = [*table.keys, *table.columns]
        for column, name in enumerate(names):
            sheet.set_column(column, column, 28 if name in table.keys else 16)
            sheet.write_string(0, column, text(f"report_column_{name}", language), formats["bold"])
        sheet.freeze_panes(1, 0)
        for row_number, row in enumerate(table.rows, start=1):
            for column, name in enumerate(names):
                value = row.get(name)
                if name in table.keys:
                    label = labels.get(name, {}).get(str(value), str(value))
                    sheet.write_string(row_number, column, spreadsheet_cell(label or "—"))
                else:
                    _cell(sheet, row_number, column, value, formats, name)
            written += 1
    book.close()
    return written
