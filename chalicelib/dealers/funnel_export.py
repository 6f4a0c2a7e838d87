"""The funnel as an Excel workbook: one sheet of rows (month, dealer, model: shipped, of them
returned since, net shipped, of them activated since, the activation rate — the screen's
figures, the rate's two terms side by side — then the activations in the month) and one of
each dealer's ageing. Every text cell is
neutralised against formulas (:func:`chalicelib.core.text.spreadsheet_cell`); counts stay
numbers. Its size is dealers × models × months, so the API writes it at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell
from chalicelib.dealers.funnel_report import Funnel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_COLUMNS = (
    "month",
    "dealer_code",
    "dealer_name",
    "model_code",
    "model_name",
    "shipped",
    "returned",
    "net_shipped",
    "activated_of_shipped",
    "activation_rate",
    "activated",
)
ROW_WIDTHS = (10, 14, 30, 14, 30, 10, 12, 12, 16, 14, 16)
AGEING_COLUMNS = ("dealer_code", "dealer_name", "days_0_30", "days_31_90", "over_90")
AGEING_WIDTHS = (14, 30, 12, 12, 12)


def _header(
    sheet: Any, columns: tuple[str, ...], widths: tuple[int, ...], bold: Any, lang: str
) -> None:
    for column, (name, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, text(f"funnel_column_{name}", lang), bold)
    sheet.freeze_panes(1, 0)


def _write(sheet: Any, row: int, cells: list[str | int | float | None], percent: Any) -> None:
    for column, value in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, float):
            sheet.write_number(row, column, value, percent)
        elif isinstance(value, int):
            sheet.write_number(row, column, value)
        else:
            sheet.write_string(row, column, spreadsheet_cell(value))


def write_funnel(
    out: IO[bytes],
    funnel: Funnel,
    *,
    dealers: Mapping[str, tuple[str, str]],
    models: Mapping[str, tuple[str, str]],
    language: str,
) -> int:
    """The funnel into ``out`` (xlsx); returns the rows of its first sheet."""
    import xlsxwriter  # heavy: loaded by the export only

    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.0%"})
    rows = workbook.add_worksheet(spreadsheet_cell(text("funnel_sheet_rows", language)))
    _header(rows, ROW_COLUMNS, ROW_WIDTHS, bold, language)
    for index, row in enumerate(funnel.rows, start=1):
        code, name = dealers.get(row.dealer_id, (row.dealer_id, row.dealer_id))
        vi, en = models.get(row.model_code, (row.model_code, row.model_code))
        cells: list[str | int | float | None] = [
            row.month,
            code,
            name,
            row.model_code,
            en if language == "en" else vi,
            row.tally.shipped,
            row.tally.cohort_returned,
            row.tally.net_shipped,
            row.tally.cohort_activated,
            row.tally.activation_rate,
            row.tally.activated,
        ]
        _write(rows, index, cells, percent)
    ageing = workbook.add_worksheet(spreadsheet_cell(text("funnel_sheet_ageing", language)))
    _header(ageing, AGEING_COLUMNS, AGEING_WIDTHS, bold, language)
    for index, dealer in enumerate(funnel.dealers, start=1):
        code, name = dealers.get(dealer.dealer_id, (dealer.dealer_id, dealer.dealer_id))
        a = dealer.ageing
        _write(ageing, index, [code, name, a.days_0_30, a.days_31_90, a.over_90], percent)
    workbook.close()
    return len(funnel.rows)
