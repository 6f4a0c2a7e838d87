"""The import's per-line report as Excel: line, serial, model, result and reason, in the
language of the person who imported. xlsxwriter in constant-memory mode writes row by row to a
temporary file (100,000 lines never sit in memory); every text cell passes through
``spreadsheet_cell``, so a serial typed as ``=HYPERLINK(…)`` shows as typed, never runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from typing import IO

from chalicelib.catalog.import_jobs import LineResult
from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell

COLUMNS = (
    ("unit_import_report_line", 8),
    ("unit_import_report_serial", 22),
    ("unit_import_report_model", 16),
    ("unit_import_report_result", 14),
    ("unit_import_report_reason", 60),
)


def write_report(results: Iterable[LineResult], out: IO[bytes], language: str) -> None:
    """The report (.xlsx) of ``results`` into the open binary file ``out``."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "report.xlsx")
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "tmpdir": folder, "strings_to_formulas": False}
        )
        sheet = workbook.add_worksheet(text("unit_import_report_sheet", language))
        bold = workbook.add_format({"bold": True})
        for column, (key, width) in enumerate(COLUMNS):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, spreadsheet_cell(text(key, language)), bold)
        sheet.freeze_panes(1, 0)
        imported = spreadsheet_cell(text("unit_import_result_imported", language))
        rejected = spreadsheet_cell(text("unit_import_result_rejected", language))
        reasons: dict[str, str] = {}
        for row, result in enumerate(results, start=1):
            sheet.write_number(row, 0, result.line)
            sheet.write_string(row, 1, spreadsheet_cell(result.serial))
            sheet.write_string(row, 2, spreadsheet_cell(result.model_code))
            sheet.write_string(row, 3, imported if result.imported else rejected)
            if result.reason:
                if result.reason not in reasons:
                    reasons[result.reason] = spreadsheet_cell(text(result.reason, language))
                sheet.write_string(row, 4, reasons[result.reason])
        workbook.close()
        with open(path, "rb") as written:
            shutil.copyfileobj(written, out)
