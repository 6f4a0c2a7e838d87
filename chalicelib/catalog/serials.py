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

A serial is stored as issued and may hold O or 0, I or 1 or L legitimately, so a look-up never
folds what was typed; on an exact miss it may try the other spellings (:func:`confusable_variants`):

>>> confusable_variants("GARO000OO17W")[:1]
['GAR00000017W']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from chalicelib.core.errors import Invalid

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_DIGITS = 8
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
_SERIAL = re.compile(r"[A-Z0-9][A-Z0-9\-]{2,31}")
_PREFIX = re.compile(r"[A-Z]{2,5}")
_GENERATED = re.compile(r"([A-Z]{2,5})(\d{8})([0-9A-Z])")
# Characters people read or type for one another; a serial holds any of them as issued.
_LOOK_ALIKES = {"0": "0O", "O": "O0", "1": "1IL", "I": "I1L", "L": "L1I"}
MAX_VARIANTS = 24  # one BatchGetItem (≤ 100 keys), and little to learn from a single look-up


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


def confusable_variants(serial: str) -> list[str]:
    """Other spellings of ``serial`` that differ from it only in look-alike characters (0/O,
    1/I/L), most likely first, at most :data:`MAX_VARIANTS`, never ``serial`` itself.

    First the readings of the generated scheme: letters in the prefix, digits in the sequence,
    and a check character that fits (usually one reading). Then any spelling, fewest changed
    characters first, so a bounded look-up tries what a person most likely meant."""
    found: dict[str, None] = {}
    for variant in itertools.chain(_generated_readings(serial), _spellings(serial)):
        if variant != serial:
            found.setdefault(variant)
        if len(found) >= MAX_VARIANTS:
            break
    return list(found)


def _generated_readings(serial: str) -> Iterator[str]:
    for prefix_length in range(2, 6):
        if len(serial) != prefix_length + SEQUENCE_DIGITS + 1:
            continue
        prefix, sequence = serial[:prefix_length], serial[prefix_length:-1]
        letters = [[c for c in _LOOK_ALIKES.get(ch, ch) if c.isalpha()] for ch in prefix]
        digits = "".join(
            next((c for c in _LOOK_ALIKES.get(ch, ch) if c.isdigit()), ch) for ch in sequence
        )
        for spelled in itertools.product(*letters, _LOOK_ALIKES.get(serial[-1], serial[-1])):
            candidate = "".join(spelled[:-1]) + digits + spelled[-1]
            if is_valid_generated(candidate):
                yield candidate


def _spellings(serial: str) -> Iterator[str]:
    positions = [i for i, ch in enumerate(serial) if ch in _LOOK_ALIKES]
    for changed in range(1, len(positions) + 1):
        for chosen in itertools.combinations(positions, changed):
            others = [_LOOK_ALIKES[serial[i]][1:] for i in chosen]
            for replacement in itertools.product(*others):
                chars = list(serial)
                for i, ch in zip(chosen, replacement, strict=True):
                    chars[i] = ch
                yield "".join(chars)
