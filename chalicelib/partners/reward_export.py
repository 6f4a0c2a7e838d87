"""A month's rewards as an Excel sheet (the manager's reconciliation): one row per entry, the
partner's name and phone (masked unless the reader may see it), every text cell neutralised
against formulas (:func:`chalicelib.core.text.spreadsheet_cell`), amounts as numbers.

Written with xlsxwriter's constant-memory mode into a temporary file, then streamed to the
bucket, with flat memory. The API route writes months of up to 3,000 entries at once (0.5 ms of
CPU an entry on a full core: ``bench/reconciliation.py``); a longer month needs a job, which can
call :func:`write_rewards` as it is (docs/architecture.md, "Reconciliation of a month's
rewards")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO

from chalicelib.core.i18n import text
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import spreadsheet_cell
from chalicelib.partners.model import Partner
from chalicelib.partners.rewards import EntryState, LedgerEntry, StateChange

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 1000  # rows between two progress writes of an export job
COLUMNS = (
    "serial",
    "model",
    "activation_day",
    "partner_name",
    "partner_phone",
    "rule",
    "amount",
    "state",
    "flags",
    "reason",
    "decided_by",
    "decided_at",
    "note",
)
AMOUNT_COLUMN = COLUMNS.index("amount")
WIDTHS = (16, 12, 14, 24, 16, 20, 14, 14, 28, 20, 16, 18, 40)
DECISIONS = frozenset({EntryState.APPROVED, EntryState.REJECTED})


def last_decision(entry: LedgerEntry) -> StateChange | None:
    """The staff decision (approved or rejected) in the entry's history, if any."""
    for change in reversed(entry.history):
        if change.state_to in DECISIONS and change.by != "system":
            return change
    return None


def _moment(value: datetime) -> str:
    from chalicelib.catalog.warranty import BUSINESS_TIMEZONE

    return value.astimezone(BUSINESS_TIMEZONE).strftime("%Y-%m-%d %H:%M")


def national(phone: str, *, reveal: bool) -> str:
    """A Vietnamese number as people write it (``0987654321``; masked ``098* *** *21``): a
    leading ``+`` would read as a formula and be neutralised with an apostrophe.

    >>> national("+84987654321", reveal=True), national("+84987654321", reveal=False)
    ('0987654321', '098* *** *21')
    """
    shown = phone if reveal else mask_phone(phone).replace(" ", "", 1)
    return "0" + shown.removeprefix("+84") if shown.startswith("+84") else shown


def reward_row(
    entry: LedgerEntry, partner: Partner | None, *, reveal_phone: bool, language: str
) -> list[str | int]:
    """One entry's cells: texts (not yet neutralised; state, flags and reason in words of
    ``language``) and the amount as an integer (VND)."""
    decision = last_decision(entry)
    phone = partner.phone if partner else ""
    return [
        entry.serial,
        entry.model_code,
        entry.activation_day.isoformat(),
        partner.details.name if partner else "",
        national(phone, reveal=reveal_phone) if phone else "",
        f"{entry.rule_id} v{entry.rule_version}" if entry.rule_id else "",
        entry.amount,
        text(f"export_reward_state_{entry.state.value}", language),
        ", ".join(text(f"export_reward_flag_{flag.value}", language) for flag in entry.flags),
        text(f"export_reward_reason_{entry.reason.value}", language) if entry.reason else "",
        decision.by if decision else "",
        _moment(decision.at) if decision else "",
        decision.note if decision else "",
    ]


def write_rewards(
    out: IO[bytes],
    entries: Iterable[LedgerEntry],
    partner_of: Callable[[str], Partner | None],
    *,
    language: str,
    reveal_phone: bool,
    on_progress: Callable[[int], object] | None = None,
) -> int:
    """The entries as one worksheet into ``out``; returns the rows written (constant memory:
    rows go to a temporary file as they are written); ``on_progress`` hears every 1,000."""
    import xlsxwriter  # heavy: loaded by the export only

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(spreadsheet_cell(text("export_sheet_rewards", language)))
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, text(f"reward_column_{name}", language), bold)
    sheet.freeze_panes(1, 0)
    rows = 0
    for entry in entries:
        rows += 1
        partner = partner_of(entry.partner_id) if entry.partner_id else None
        for column, value in enumerate(
            reward_row(entry, partner, reveal_phone=reveal_phone, language=language)
        ):
            if isinstance(value, int):
                sheet.write_number(rows, column, value, money)
            else:
                sheet.write_string(rows, column, spreadsheet_cell(value))
        if on_progress is not None and rows % PROGRESS_EVERY == 0:
            on_progress(rows)
    workbook.close()
    return rows
