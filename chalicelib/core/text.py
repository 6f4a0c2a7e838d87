"""Human text from the outside world: NFC, no control or bidi-override characters, bounded."""

from __future__ import annotations

import re
import unicodedata

from chalicelib.core.errors import Invalid

_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


def clean_text(value: str, *, max_length: int, code_prefix: str, required: bool = True) -> str:
    """NFC-normalise, collapse whitespace and reject control, format (bidi) or unassigned chars.

    ``clean_text("  Nguye\u0302\u0303n  Văn An ", max_length=100, code_prefix="name")``
    returns ``"Nguyễn Văn An"`` (NFC). Raises ``Invalid("<prefix>_required" | "_too_long" |
    "_bad_characters")``.
    """
    text = unicodedata.normalize("NFC", value)
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text if ch not in "\t\n"):
        raise Invalid(f"{code_prefix}_bad_characters")
    text = _SPACES.sub(" ", text).strip()
    if required and not text:
        raise Invalid(f"{code_prefix}_required")
    if len(text) > max_length:
        raise Invalid(f"{code_prefix}_too_long")
    return text


def mask_name(name: str) -> str:
    """``Nguyễn Văn An`` → ``N***** V** A*``: shows the unit has an owner, not who."""
    return " ".join(word[0] + "*" * max(len(word) - 1, 1) for word in name.split())


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV
# Injection"), with the full-width forms some locales also accept.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def spreadsheet_cell(value: str) -> str:
    """A text value as it may go into a CSV or Excel cell: one that a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP's advice), so it shows as typed. Stored values
    never change; every export passes its text cells through this, numbers stay numbers.

    >>> spreadsheet_cell('=HYPERLINK("http://x.test","Bấm")')
    '\\'=HYPERLINK("http://x.test","Bấm")'
    >>> spreadsheet_cell("Máy lạnh AC-9")
    'Máy lạnh AC-9'
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def fold_name(name: str) -> str:
    """A name as the customer search compares it: lower case, without Vietnamese marks (``đ`` →
    ``d``), single spaces, so any spelling staff type finds the owner by the start of the name.

    >>> fold_name("  Trần  Thị BÌNH ")
    'tran thi binh'
    >>> fold_name("Đặng Văn Ơn")
    'dang van on'
    """
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", bare).casefold()).strip()
