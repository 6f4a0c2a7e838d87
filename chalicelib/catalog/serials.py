"""Serial numbers.

Imported serials are the manufacturer's own: 3–32 characters of ``A-Z``, ``0-9`` and ``-``
(normalised to upper case). Generated serials follow the scheme agreed once per brand:

    <PREFIX: 2–5 letters> <sequence: 8 digits, zero-padded> <check: 1 char of 0-9A-Z>

The check character is Luhn mod 36 over the whole string, so any single mistyped character
and any swap of two adjacent characters is detected.

>>> generated_serial("GAR", 17)
'GAR00000017W'
>>> is_valid_generated("GAR00000017W"), is_valid_generated("GAR00000071W")
(True, False)
"""

from __future__ import annotations

import re

from chalicelib.core.errors import Invalid

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_DIGITS = 8
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
_SERIAL = re.compile(r"[A-Z0-9][A-Z0-9\-]{2,31}")
_PREFIX = re.compile(r"[A-Z]{2,5}")
_GENERATED = re.compile(r"([A-Z]{2,5})(\d{8})([0-9A-Z])")


def normalize_serial(raw: object) -> str:
    """Upper-case, trimmed serial; :class:`Invalid` (``serial_invalid``) when malformed."""
    if not isinstance(raw, str):
        raise Invalid("serial_invalid")
    serial = raw.strip().upper()
    if not _SERIAL.fullmatch(serial):
        raise Invalid("serial_invalid")
    return serial


def validate_prefix(prefix: str) -> str:
    if not _PREFIX.fullmatch(prefix):
        raise Invalid("serial_prefix_invalid")
    return prefix


def check_character(body: str) -> str:
    """Luhn mod N (N = 36) check character for ``body``."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def generated_serial(prefix: str, sequence: int) -> str:
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise Invalid("serial_sequence_exhausted")
    body = f"{validate_prefix(prefix)}{sequence:0{SEQUENCE_DIGITS}d}"
    return body + check_character(body)


def is_valid_generated(serial: str) -> bool:
    match = _GENERATED.fullmatch(serial)
    return bool(match) and check_character(serial[:-1]) == serial[-1]
