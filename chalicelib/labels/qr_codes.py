"""QR codes for stickers, with the ``qrcode`` library: the module matrix for label sheets, PNG
and SVG for one unit.

Error correction follows the printed size. A code printed in a box of ``box_mm`` (quiet zone
included) gets the highest level of Q, M, L whose modules are still at least
:data:`~chalicelib.labels.template.MIN_MODULE_MM` wide, so a 2×4 cm sticker spends its room on
scratch resistance (Q, 25 %) and a 1×2 cm one on module size (L where M would print modules
under 0.25 mm). Without a size (a PNG or SVG for the screen or a designer), M.

``qrcode`` splits the data into segments by itself, so the QR token (base32: upper-case letters
and digits) rides in alphanumeric mode and the URL stays one version smaller than in byte mode.

>>> symbol = encode("http://127.0.0.1:8080/q/AFDUCUSQGAYDAMBQGAYDCN2U3JNLZ5RY5Y6YU", box_mm=10)
>>> (symbol.error_correction, symbol.version, symbol.size)
('L', 3, 29)
>>> encode("http://127.0.0.1:8080/q/AFDUCUSQGAYDAMBQGAYDCN2U3JNLZ5RY5Y6YU").error_correction
'M'
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.image.pure import PyPNGImage
from qrcode.image.svg import SvgPathFillImage

from chalicelib.labels.template import MIN_MODULE_MM, QUIET_ZONE_MODULES

_LEVELS = (("Q", ERROR_CORRECT_Q), ("M", ERROR_CORRECT_M), ("L", ERROR_CORRECT_L))
MAX_PNG_SCALE = 40
MAX_QR_DATA = 512


@dataclass(frozen=True)
class QrSymbol:
    data: str
    error_correction: str
    version: int
    modules: tuple[tuple[bool, ...], ...]  # row 0 at the top; True = dark

    @property
    def size(self) -> int:
        return len(self.modules)

    def module_mm(self, box_mm: float, quiet_zone: int = QUIET_ZONE_MODULES) -> float:
        return box_mm / (self.size + 2 * quiet_zone)


def _build(data: str, level: int, border: int = 0, box_size: int = 1) -> Any:
    code = qrcode.QRCode(error_correction=level, border=border, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    return code


def _symbol(data: str, name: str, code: Any) -> QrSymbol:
    modules = tuple(tuple(bool(v) for v in row) for row in code.modules)
    return QrSymbol(data, name, int(code.version), modules)


def encode(data: str, *, box_mm: float | None = None) -> QrSymbol:
    """The QR symbol of ``data``: M without a size; else as described in the module doc.

    Only the chosen level pays for the mask search (the costly part of encoding): the
    others are sized by ``best_fit``, which counts bits and nothing more."""
    if not data or len(data) > MAX_QR_DATA:
        raise ValueError("QR data must be 1-512 characters")
    if box_mm is None:
        return _symbol(data, "M", _build(data, ERROR_CORRECT_M))
    chosen = _LEVELS[-1]
    for name, level in _LEVELS:
        sizing = qrcode.QRCode(error_correction=level, border=0)
        sizing.add_data(data)
        modules = 17 + 4 * int(sizing.best_fit())
        if box_mm / (modules + 2 * QUIET_ZONE_MODULES) >= MIN_MODULE_MM:
            chosen = (name, level)
            break
    # too small at every level: L, the largest modules there are
    return _symbol(data, chosen[0], _build(data, chosen[1]))


def svg_path(symbol: QrSymbol, border: int = QUIET_ZONE_MODULES) -> str:
    """The dark modules of ``symbol`` as SVG path data, one unit a module, in a square of
    ``symbol.size + 2 * border`` units (the quiet zone included): a page draws it at any size
    with ``viewBox``, without parsing markup. Runs of dark modules in a row are one rectangle.

    >>> svg_path(QrSymbol("x", "M", 1, ((True, True, False), (False, False, True))), border=1)
    'M1 1h2v1h-2zM3 2h1v1h-1z'
    """
    parts = []
    for y, row in enumerate(symbol.modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
    return "".join(parts)


def png(data: str, *, scale: int = 10, border: int = QUIET_ZONE_MODULES) -> bytes:
    """A 1-bit PNG, ``scale`` pixels a module, ``border`` light modules around."""
    if not 1 <= scale <= MAX_PNG_SCALE:
        raise ValueError("scale out of range")
    code = _build(data, ERROR_CORRECT_M, border=border, box_size=scale)
    out = io.BytesIO()
    code.make_image(image_factory=PyPNGImage).save(out)
    return out.getvalue()


def svg(data: str, *, size_mm: float = 20.0, border: int = QUIET_ZONE_MODULES) -> bytes:
    """An SVG of one filled path on a white square, ``size_mm`` wide quiet zone included, so a
    designer can place it at print size; its error correction is the one a label of that size
    gets (:func:`encode`), so a 1 cm code keeps modules of at least 0.25 mm."""
    level = dict(_LEVELS)[encode(data, box_mm=size_mm).error_correction]
    code = _build(data, level, border=border, box_size=10)
    image = code.make_image(image_factory=SvgPathFillImage)
    out = io.BytesIO()
    image.save(out)
    text = out.getvalue().decode("utf-8")
    # qrcode writes width/height in its own units (mm at box_size 10): set the printed size.
    modules = code.modules_count + 2 * border
    natural = f'width="{modules}mm" height="{modules}mm"'
    wanted = f'width="{size_mm:g}mm" height="{size_mm:g}mm"'
    return text.replace(natural, wanted, 1).encode("utf-8")
