"""A shipment's units as an Excel sheet: serial, model, carton, status now (shipped, activated,
returned, cancelled), activated, under a header that
names the dealer, the day and the delivery note. Every text cell is neutralised against
formulas (:func:`chalicelib.core.text.spreadsheet_cell`); xlsxwriter's constant-memory mode
keeps a 5,000-unit shipment flat in memory."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import IO

from chalicelib.catalog.cartons import gs1_element_string
from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell
from chalicelib.dealers.shipment_service import ShipmentUnit
from chalicelib.dealers.shipments import Shipment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("serial", "model", "carton", "status", "activated")
WIDTHS = (20, 14, 22, 16, 12)
HEADER_ROWS = 4  # dealer, day, document, blank


def unit_row(unit: ShipmentUnit, language: str) -> list[str]:
    """One unit's cells in words of ``language`` (not yet neutralised)."""
    return [
        unit.serial,
        unit.model_code,
        gs1_element_string(unit.carton) if unit.carton else "",
        text(f"shipment_unit_status_{unit.status}", language),
        text("export_yes" if unit.activated else "export_no", language),
    ]


def write_shipment(
    out: IO[bytes], shipment: Shipment, units: Iterable[ShipmentUnit], *, language: str
) -> int:
    """The shipment as one worksheet into ``out``; returns the unit rows written."""
    import xlsxwriter  # heavy: loaded by the export only

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(spreadsheet_cell(text("export_sheet_shipment", language)))
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    ship_date = shipment.details.ship_date
    heading: tuple[tuple[str, str | datetime], ...] = (
        ("shipment_column_dealer", f"{shipment.dealer_code} {shipment.dealer_name}"),
        ("shipment_column_ship_date", datetime(ship_date.year, ship_date.month, ship_date.day)),
        ("shipment_column_document", shipment.details.document_number),
    )
    for row, (label, value) in enumerate(heading):  # row by row: constant memory writes in order
        sheet.write_string(row, 0, text(label, language), bold)
        if isinstance(value, datetime):
            sheet.write_datetime(row, 1, value, day)  # a date cell, not text
        else:
            sheet.write_string(row, 1, spreadsheet_cell(value))
    for column, name in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROWS, column, text(f"shipment_column_{name}", language), bold)
    rows = 0
    for unit in units:
        rows += 1
        for column, value in enumerate(unit_row(unit, language)):
            sheet.write_string(HEADER_ROWS + rows, column, spreadsheet_cell(value))
    workbook.close()
    return rows
