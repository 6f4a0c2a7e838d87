"""The unit import file: ``serial,model_code[,batch,manufactured_on,carton]``, one unit per
line. ``carton`` is the code of the carton the unit is packed in (an SSCC or the manufacturer's
own code: :mod:`chalicelib.catalog.cartons`); empty when it is in none.

A header line starting with ``serial`` is skipped. Every line is checked on its own and either
accepted whole or reported with its line number and a reason code; nothing is half-read.

>>> text = "serial,model_code\\nab-1001,AC-9\\nAB-1001,AC-9\\n"
>>> rows, rejected = parse_unit_csv(text, date(2026, 1, 1))
>>> [(r.line, r.unit.serial) for r in rows], [(r.line, r.reason) for r in rejected]
([(2, 'AB-1001')], [(3, 'duplicate_in_file')])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from chalicelib.catalog.cartons import normalize_carton_code
from chalicelib.catalog.model import NewUnit
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import Invalid, RowRejection

MAX_ROWS = 10_000
MAX_BATCH_LENGTH = 40
_MODEL_CODE = re.compile(r"[A-Z0-9][A-Z0-9\-_.]{0,39}")
_BATCH = re.compile(r"[\w\-./]*")


@dataclass(frozen=True)
class ImportRow:
    line: int
    unit: NewUnit


def normalize_model_code(raw: object) -> str:
    if not isinstance(raw, str) or not _MODEL_CODE.fullmatch(raw.strip().upper()):
        raise Invalid("model_code_invalid")
    return raw.strip().upper()


def parse_unit_line(fields: list[str], today: date) -> NewUnit:
    """One data line as a new unit; ``Invalid`` with the reason code when it breaks a rule."""
    if len(fields) < 2 or len(fields) > 5:
        raise Invalid("wrong_column_count")
    serial = normalize_serial(fields[0])
    model_code = normalize_model_code(fields[1])
    batch = fields[2].strip() if len(fields) > 2 else ""
    if len(batch) > MAX_BATCH_LENGTH or not _BATCH.fullmatch(batch):
        raise Invalid("batch_invalid")
    manufactured_on = None
    if len(fields) > 3 and fields[3].strip():
        try:
            manufactured_on = date.fromisoformat(fields[3].strip())
        except ValueError as exc:
            raise Invalid("manufactured_on_invalid") from exc
        if manufactured_on > today:
            raise Invalid("manufactured_on_in_future")
    carton = fields[4].strip() if len(fields) > 4 else ""
    if carton:
        carton = normalize_carton_code(carton)
    return NewUnit(serial, model_code, batch, manufactured_on, carton)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` per record; ``Invalid("import_malformed_csv", line=…)`` where the
    csv module gives up (a lone carriage return in a field, a field over its limit):
    the file as a whole cannot be read past that line, so nothing of it is imported."""
    reader = csv.reader(io.StringIO(text))
    number = 0
    while True:
        number += 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise Invalid("import_malformed_csv", line=number) from None
        yield number, fields


def parse_unit_csv(text: str, today: date) -> tuple[list[ImportRow], list[RowRejection]]:
    """Rows to register and rejected lines; raises ``Invalid`` for an empty or too-long file."""
    rows: list[ImportRow] = []
    rejected: list[RowRejection] = []
    seen: set[str] = set()
    data_lines = 0
    for number, fields in _records(text):
        if not fields or all(not f.strip() for f in fields):
            continue
        if number == 1 and fields[0].strip().lower() == "serial":
            continue
        data_lines += 1
        if data_lines > MAX_ROWS:
            raise Invalid("import_too_many_rows", max_rows=MAX_ROWS)
        raw_serial = fields[0].strip()[:40]
        try:
            unit = parse_unit_line(fields, today)
        except Invalid as exc:
            rejected.append(RowRejection(number, raw_serial, exc.code))
            continue
        if unit.serial in seen:
            rejected.append(RowRejection(number, unit.serial, "duplicate_in_file"))
            continue
        seen.add(unit.serial)
        rows.append(ImportRow(number, unit))
    if data_lines == 0:
        raise Invalid("import_empty")
    return rows, rejected
