"""A payout batch as an Excel workbook, for the accountant to pay it:

1. **Payouts** (neutral layout): one row per partner line: the partner, their bank (short name and
   NAPAS BIN), account number and holder, entries, gross, tax withheld, net, whether the
   commitment form is on file, the transfer's content and its VietQR code (NAPAS EMVCo,
   :mod:`chalicelib.partners.vietqr`) for a manual payment from a bank app.
2. **Bulk transfer** (a bank's batch-transfer upload): the columns most Vietnamese banks'
   "chuyển tiền theo lô" templates ask for, in their order and with Vietnamese headers:
   ``STT`` (row number), ``Số tài khoản người hưởng`` (account number), ``Tên người hưởng``
   (holder, upper case without marks, as the bank holds it), ``Mã ngân hàng`` (NAPAS BIN),
   ``Ngân hàng hưởng`` (short name), ``Số tiền`` (net, VND), ``Nội dung`` (the transfer's
   content, ASCII, ≤ 25). **To be confirmed with the paying bank** (Vietcombank DigiBiz,
   BIDV iBank, … each has its own template; this is the generic mapping until one is agreed):
   :data:`BULK_COLUMNS` is the one place that orders them.

Every text cell passes :func:`chalicelib.core.text.spreadsheet_cell` (formulas neutralised),
amounts are numbers, account numbers are text (a leading zero is kept). Constant-memory mode."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from chalicelib.core.i18n import text
from chalicelib.core.text import spreadsheet_cell
from chalicelib.partners.banks import bank_by_bin
from chalicelib.partners.payouts import PayoutBatch, PayoutLine
from chalicelib.partners.reward_export import national
from chalicelib.partners.vietqr import transfer_code, transfer_purpose

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "partner",
    "phone",
    "bank",
    "bank_bin",
    "account_number",
    "account_holder",
    "entries",
    "gross",
    "tax",
    "net",
    "commitment",
    "content",
    "vietqr",
    "state",
)
WIDTHS = (26, 14, 14, 10, 20, 26, 8, 14, 12, 14, 10, 26, 60, 10)
BULK_COLUMNS = ("no", "account_number", "holder", "bank_bin", "bank", "amount", "content")
BULK_WIDTHS = (6, 22, 30, 12, 16, 14, 28)


def transfer_content(batch: PayoutBatch) -> str:
    """What the partner's bank statement shows: ``Garanti thuong`` and the batch's last 8
    characters (ASCII, ≤ 25: what every bank and VietQR carry)."""
    return transfer_purpose(f"Garanti thuong {batch.batch_id[-8:]}")


def payout_row(batch: PayoutBatch, line: PayoutLine, language: str) -> list[str | int]:
    """One line's cells: texts (not yet neutralised) and amounts as integers (VND)."""
    payee = line.payee
    bank = bank_by_bin(payee.bank_bin)
    content = transfer_content(batch)
    return [
        payee.name,
        national(payee.phone, reveal=True),
        bank.short_name if bank else payee.bank_bin,
        payee.bank_bin,
        payee.account_number,
        payee.account_holder,
        len(line.entry_ids),
        line.gross,
        line.tax,
        line.net,
        text("payout_commitment_yes" if payee.commitment else "payout_commitment_no", language),
        content,
        transfer_code(payee.bank_bin, payee.account_number, line.net, content),
        text(f"export_payout_line_{line.state.value}", language),
    ]


def bulk_row(number: int, batch: PayoutBatch, line: PayoutLine) -> list[str | int]:
    payee = line.payee
    bank = bank_by_bin(payee.bank_bin)
    return [
        number,
        payee.account_number,
        payee.account_holder,
        payee.bank_bin,
        bank.short_name if bank else payee.bank_bin,
        line.net,
        transfer_content(batch),
    ]


def write_batch(
    out: IO[bytes], batch: PayoutBatch, lines: Iterable[PayoutLine], *, language: str
) -> int:
    """The batch's two sheets into ``out``; returns the lines written."""
    import xlsxwriter  # heavy: loaded by the export only

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    neutral = workbook.add_worksheet(spreadsheet_cell(text("payout_sheet_lines", language)))
    bulk = workbook.add_worksheet(spreadsheet_cell(text("payout_sheet_bulk", language)))
    for sheet, widths, names, prefix, lang in (
        (neutral, WIDTHS, COLUMNS, "payout_column_", language),
        (bulk, BULK_WIDTHS, BULK_COLUMNS, "payout_bulk_column_", "vi"),  # the bank's language
    ):
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        for column, name in enumerate(names):
            sheet.write_string(0, column, text(f"{prefix}{name}", lang), bold)
        sheet.freeze_panes(1, 0)
    rows = 0
    # constant memory writes rows in order per sheet: each sheet gets its row as we go
    for line in lines:
        rows += 1
        for sheet, cells in (
            (neutral, payout_row(batch, line, language)),
            (bulk, bulk_row(rows, batch, line)),
        ):
            for column, value in enumerate(cells):
                if isinstance(value, int):
                    sheet.write_number(rows, column, value, money if column else None)
                else:
                    sheet.write_string(rows, column, spreadsheet_cell(value))
    workbook.close()
    return rows
