"""Vietnamese tax codes (mã số thuế), a person's or a business's: 10 digits, or 13 for a
dependent unit (a branch), written ``NNNNNNNNNN-NNN``. Partners and dealers share this rule.

>>> normalize_tax_code("0101234567001"), normalize_tax_code(" 0101234567 ")
('0101234567-001', '0101234567')
>>> normalize_tax_code("  ") is None
True
"""

from __future__ import annotations

import re

from chalicelib.core.errors import Invalid

_TAX_CODE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")


def normalize_tax_code(raw: str | None) -> str | None:
    """10 digits, or 13 written ``NNNNNNNNNN-NNN``; spaces forgiven; empty is none; else
    ``Invalid("tax_code_invalid")``."""
    if raw is None or not raw.strip():
        return None
    match = _TAX_CODE.fullmatch(raw.strip().replace(" ", ""))
    if match is None:
        raise Invalid("tax_code_invalid")
    head, branch = match.groups()
    return f"{head}-{branch}" if branch else head
