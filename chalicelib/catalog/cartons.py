"""Carton codes: what is printed (and scanned) on a carton of units.

A carton code is either a GS1 SSCC (Serial Shipping Container Code: 18 digits, the last a
mod-10 check digit) or the manufacturer's own code (4–32 characters of ``A-Z``, ``0-9`` and
``-``, upper-cased). A scanned SSCC arrives as a GS1-128 element string: the application
identifier ``00`` before it (``(00)`` when printed for people), sometimes the scanner's
symbology identifier ``]C1`` and the FNC1 (ASCII GS) characters; those are stripped. An own
code of digits only has at most 16 of them: a longer one is read as an SSCC (17 digits: one
that lost its leading zero in a spreadsheet cell holding it as a number).

>>> normalize_carton_code("(00) 0 8930000 000000017 0")
'089300000000000170'
>>> normalize_carton_code("]C1\\x1d00089300000000000170")
'089300000000000170'
>>> normalize_carton_code("box-17")
'BOX-17'
>>> normalize_carton_code("089300000000000171")
Traceback (most recent call last):
...
chalicelib.core.errors.Invalid: carton_code_invalid

Generated SSCCs are the extension digit, the brand's GS1 company prefix and a serial reference
from the cartons' own sequence counter, padded to 17 digits, then the check digit:

>>> generate_sscc("8930000", 17)
'089300000000000170'
>>> gs1_element_string("089300000000000170")
'(00)089300000000000170'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, GarantiError, Invalid

SSCC_LENGTH = 18
SSCC_AI = "00"  # GS1 application identifier of an SSCC
GS = "\x1d"  # FNC1 as a scanner types it (ASCII group separator)
SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0")  # GS1-128, DataMatrix, QR, DataBar
MAX_DIGITS_OWN = 16  # longer all-digit codes are SSCCs (a spreadsheet drops leading zeros)
_OWN = re.compile(r"[A-Z0-9][A-Z0-9\-]{3,31}")
_COMPANY_PREFIX = re.compile(r"\d{6,12}")
_SPACING = re.compile(r"[\s()]")


def sscc_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of 17 digits: weights 3 and 1 alternating from the right.

    >>> sscc_check_digit("08930000000000017")
    '0'
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_valid_sscc(code: str) -> bool:
    return (
        len(code) == SSCC_LENGTH
        and code.isascii()
        and code.isdigit()
        and sscc_check_digit(code[:-1]) == code[-1]
    )


def _strip_scan(raw: str) -> str:
    text = raw.strip().replace(GS, "")
    for symbology in SYMBOLOGY_IDS:
        if text.startswith(symbology):
            text = text[len(symbology) :]
            break
    return text


def normalize_carton_code(raw: object) -> str:
    """The carton code as stored: an SSCC's 18 digits, or the own code upper-cased;
    :class:`Invalid` (``carton_code_invalid``) otherwise, and for an SSCC whose check digit
    does not fit (a misread or mistyped digit)."""
    if not isinstance(raw, str):
        raise Invalid("carton_code_invalid")
    text = _strip_scan(raw)
    compact = _SPACING.sub("", text)
    if compact.isascii() and compact.isdigit():
        digits = compact
        if len(digits) == SSCC_LENGTH + len(SSCC_AI) and digits.startswith(SSCC_AI):
            digits = digits[len(SSCC_AI) :]
        elif len(digits) == SSCC_LENGTH - 1:  # a spreadsheet's number: its leading zero lost
            digits = "0" + digits
        if len(digits) == SSCC_LENGTH:
            if not is_valid_sscc(digits):
                raise Invalid("carton_code_invalid")
            return digits
        if text.startswith("(") or len(digits) > MAX_DIGITS_OWN:
            raise Invalid("carton_code_invalid")  # an element string that is not an SSCC
    code = text.upper()
    if not _OWN.fullmatch(code):
        raise Invalid("carton_code_invalid")
    return code


def is_sscc(code: str) -> bool:
    """Whether a normalised carton code is an SSCC (printed with its AI, as GS1-128)."""
    return is_valid_sscc(code)


def validate_company_prefix(prefix: str) -> str:
    """A GS1 company prefix: 6–12 digits (``carton_prefix_invalid``)."""
    if not _COMPANY_PREFIX.fullmatch(prefix):
        raise Invalid("carton_prefix_invalid")
    return prefix


def max_sequence(company_prefix: str) -> int:
    """The largest serial reference the prefix leaves room for (16 digits in all).

    >>> max_sequence("8930000")
    999999999
    """
    width = SSCC_LENGTH - 2 - len(validate_company_prefix(company_prefix))
    return int(10**width) - 1


def generate_sscc(company_prefix: str, sequence: int, extension: int = 0) -> str:
    """The SSCC of ``sequence`` (from the cartons' counter) under the brand's company prefix;
    ``carton_sequence_exhausted`` past the room the prefix leaves."""
    if not 0 <= extension <= 9:
        raise Invalid("carton_prefix_invalid")
    limit = max_sequence(company_prefix)
    if not 1 <= sequence <= limit:
        raise Invalid("carton_sequence_exhausted")
    width = SSCC_LENGTH - 2 - len(company_prefix)
    body = f"{extension}{company_prefix}{sequence:0{width}d}"
    return body + sscc_check_digit(body)


def gs1_element_string(code: str) -> str:
    """What is printed under a carton's barcode: ``(00)`` + the SSCC, or the own code."""
    return f"({SSCC_AI}){code}" if is_sscc(code) else code


# --- Cartons -----------------------------------------------------------------------------------

MAX_CARTON_UNITS = 500  # a carton's units are read whole (its detail, a shipment's scan)


class CartonStatus(StrEnum):
    OPEN = "open"  # units are packed into it and taken out
    CLOSED = "closed"  # sealed: its contents no longer change (a label is printed)


class CartonSource(StrEnum):
    PACKED = "packed"  # created on the packing screen
    IMPORTED = "imported"  # named by the unit import's carton column (packed at the factory)


@dataclass(frozen=True)
class Carton:
    """A carton and its counts: ``units`` in all, ``models`` model code → units."""

    code: str
    status: CartonStatus
    source: CartonSource
    created_at: datetime
    created_by: str
    units: int = 0
    models: dict[str, int] = field(default_factory=dict)
    closed_at: datetime | None = None
    closed_by: str = ""

    @property
    def sscc(self) -> bool:
        return is_sscc(self.code)


@dataclass(frozen=True)
class CartonUnit:
    """One unit in a carton, as ``carton_serial_index`` projects it."""

    serial: str
    model_code: str
    status: str
    dealer_id: str = ""
    shipment_id: str = ""


@dataclass(frozen=True)
class CartonContents:
    """A carton code (normalised) and its units in serial order: what a shipment's scan of
    the carton takes (``catalog.wiring.carton_contents``)."""

    code: str
    units: tuple[CartonUnit, ...]

    @property
    def serials(self) -> list[str]:
        return [u.serial for u in self.units]

    def by_model(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for unit in self.units:
            counts[unit.model_code] = counts.get(unit.model_code, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class PackResult:
    """A pack's answer: the carton's counts after it and whether the unit was in it already
    (a repeated scan changes nothing)."""

    carton: Carton
    unit: CartonUnit
    already: bool = False


def pack_refusal(
    *, unit_status: str, unit_carton: str, carton: Carton, code: str
) -> GarantiError | None:
    """Why a unit cannot go into ``carton`` now, ``None`` when it can (or is in it already).

    >>> opened = Carton("BOX-1", CartonStatus.OPEN, CartonSource.PACKED, datetime(2026, 1, 1), "a")
    >>> pack_refusal(unit_status="registered", unit_carton="", carton=opened, code="BOX-1")
    >>> pack_refusal(unit_status="shipped", unit_carton="", carton=opened, code="BOX-1").code
    'carton_unit_shipped'
    >>> pack_refusal(unit_status="registered", unit_carton="BOX-2", carton=opened, code="BOX-1")
    Conflict('carton_unit_in_other_carton')
    """
    if unit_carton == code:
        return None
    if carton.status is not CartonStatus.OPEN:
        return Conflict("carton_closed")
    if unit_carton:
        return Conflict("carton_unit_in_other_carton", carton=unit_carton)
    if unit_status != "registered":
        return Conflict(_STATUS_REFUSALS.get(unit_status, "carton_unit_not_packable"))
    if carton.units >= MAX_CARTON_UNITS:
        return Conflict("carton_full", max_units=MAX_CARTON_UNITS)
    return None


_STATUS_REFUSALS = {
    "shipped": "carton_unit_shipped",
    "activated": "carton_unit_activated",
    "void": "carton_unit_void",
}
