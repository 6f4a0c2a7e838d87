"""Plain-text output for a terminal: aligned tables, byte sizes, numbers with separators."""

from __future__ import annotations

from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart; the last column is not padded.

    >>> print(table(["NAME", "PER PAGE"], [["2x4cm-a4", "48"], ["2x4cm-roll", "1"]]))
    NAME        PER PAGE
    2x4cm-a4    48
    2x4cm-roll  1
    """
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for row in (header, *rows):
        cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def size(n: int) -> str:
    """Bytes as a person reads them, in SI units (what a file manager shows).

    >>> size(1_234_567), size(900)
    ('1.2 MB', '900 B')
    """
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.1f} KB"
    return f"{n / 1_000_000:.1f} MB"


def count(n: int) -> str:
    """A number with thousands separators.

    >>> count(100000)
    '100,000'
    """
    return f"{n:,}"


def mm(value: float) -> str:
    """Millimetres without a useless ``.0``.

    >>> mm(40.0), mm(1.5)
    ('40', '1.5')
    """
    return f"{value:g}"
