"""The console's live preview of a template: one label, or one page of the stock, as SVG.

The labels are drawn by the print's own code (:func:`~chalicelib.labels.sheets.draw_label` on an
:class:`SvgPage` instead of a PDF page): the same slots, the same QR box and quiet zone, the
same text fitting with the same font metrics. The SVG embeds the label fonts (only the faces
it uses) and pins each line's width to the print's (``textLength``), so a browser shows the
lines where the PDF puts them. The preview draws what the print does not: the die-cut of each
label (a dashed guide) and, on a sheet, the page's edge.

Encoding a QR code costs ~7 ms, so a page repeats the first label's code on every label (the
same version and error correction as the print: sample serials have the print's length); each
label shows its own sample serial.

>>> from chalicelib.labels.sheets import SheetTexts
>>> from chalicelib.labels.template import BUILTIN_TEMPLATES
>>> texts = SheetTexts("Garanti", {"vi": "Quét để kích hoạt", "en": "Scan to activate"})
>>> preview = render_preview(
...     BUILTIN_TEMPLATES["2x4cm-a4"], "sheet", texts=texts,
...     serials=[f"GAR{n:09d}" for n in range(1, 49)], url_of=lambda s: f"http://p.test/q/{s}")
>>> (preview.labels, preview.svg.count("GAR000000048"))
(48, 1)
>>> preview.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="210mm"')
True
"""

from __future__ import annotations

import base64
import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from chalicelib.labels import qr_codes
from chalicelib.labels.pdf import Font, load_font
from chalicelib.labels.sheets import (
    Fonts,
    LabelContent,
    SheetTexts,
    draw_label,
    fit_shared_texts,
)
from chalicelib.labels.template import MM_PER_PT, LabelTemplate, sheet_geometry

PreviewKind = Literal["label", "sheet"]
FONT_FAMILY = "GarantiLabel"
GUIDE = "#4c8bf5"  # the die-cut guide: not printed


def _n(value: float) -> str:
    """A short SVG number: ``12.5``, ``0``, ``3.1416``."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@functools.cache
def _font_face(key: str) -> str:
    font = load_font(key)
    data = base64.b64encode(font.data()).decode("ascii")
    weight = 700 if key == "bold" else 400
    return (
        f"@font-face{{font-family:{FONT_FAMILY};font-weight:{weight};"
        f"src:url(data:font/ttf;base64,{data}) format('truetype')}}"
    )


class SvgPage:
    """A page in PDF points (origin at the bottom-left, as :class:`~chalicelib.labels.pdf.Page`)
    written as SVG (origin at the top-left): ``y`` is flipped on the way out. A QR matrix drawn
    twice is defined once and reused."""

    def __init__(self, width_pt: float, height_pt: float) -> None:
        self.width_pt, self.height_pt = width_pt, height_pt
        self._body: list[str] = []
        self._defs: list[str] = []
        self._symbols: dict[int, tuple[str, Sequence[Sequence[bool]]]] = {}
        self._faces: set[str] = set()

    def qr(
        self, modules: Sequence[Sequence[bool]], x_pt: float, y_pt: float, size_pt: float
    ) -> None:
        known = self._symbols.get(id(modules))
        if known is None:
            known = (f"q{len(self._symbols)}", modules)  # keeps ``modules`` alive: ids stay unique
            self._symbols[id(modules)] = known
            self._defs.append(f'<path id="{known[0]}" d="{_module_path(modules)}"/>')
        scale = size_pt / len(modules)
        top = self.height_pt - y_pt - size_pt
        self._body.append(
            f'<use href="#{known[0]}" transform="translate({_n(x_pt)} {_n(top)}) '
            f'scale({_n(scale)})"/>'
        )

    def text(self, text: str, font: Font, size_pt: float, x_pt: float, baseline_pt: float) -> None:
        text = unicodedata.normalize("NFC", text)
        font.glyphs(text)  # as the PDF page: refuses a character the font cannot draw
        self._faces.add(font.key)
        weight = ' font-weight="700"' if font.key == "bold" else ""
        self._body.append(
            f'<text x="{_n(x_pt)}" y="{_n(self.height_pt - baseline_pt)}" '
            f'font-size="{_n(size_pt)}"{weight} textLength="{_n(font.width_pt(text, size_pt))}" '
            f'lengthAdjust="spacing">{escape(text)}</text>'
        )

    def rect(self, x_pt: float, y_pt: float, width_pt: float, height_pt: float) -> None:
        """As the PDF page strokes it: 0.25 pt, 60 % gray."""
        self._body.append(self._rect(x_pt, y_pt, width_pt, height_pt, 'stroke="#999999"'))

    def guide(self, x_pt: float, y_pt: float, width_pt: float, height_pt: float) -> None:
        """A label's die-cut, dashed, for the screen only."""
        style = f'stroke="{GUIDE}" stroke-dasharray="1.5 1" data-guide="die-cut"'
        self._body.append(self._rect(x_pt, y_pt, width_pt, height_pt, style))

    def _rect(self, x_pt: float, y_pt: float, width_pt: float, height_pt: float, style: str) -> str:
        top = self.height_pt - y_pt - height_pt
        return (
            f'<rect x="{_n(x_pt)}" y="{_n(top)}" width="{_n(width_pt)}" '
            f'height="{_n(height_pt)}" fill="none" stroke-width="0.25" {style}/>'
        )

    def svg(self, title: str) -> str:
        width_mm, height_mm = self.width_pt * MM_PER_PT, self.height_pt * MM_PER_PT
        faces = "".join(_font_face(key) for key in sorted(self._faces))
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width_mm)}mm" '
            f'height="{_n(height_mm)}mm" viewBox="0 0 {_n(self.width_pt)} {_n(self.height_pt)}" '
            f'role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>"
            f"<style>{faces}text{{font-family:{FONT_FAMILY};font-kerning:none;"
            "white-space:pre}</style>"
            f"<defs>{''.join(self._defs)}</defs>"
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<g fill="#000000">{"".join(self._body)}</g></svg>'
        )


def _module_path(modules: Sequence[Sequence[bool]]) -> str:
    """The dark modules as path data, one unit a module, row 0 at the top; a run of dark
    modules in a row is one rectangle.

    >>> _module_path(((True, True, False), (False, False, True)))
    'M0 0h2v1h-2zM2 1h1v1h-1z'
    """
    parts: list[str] = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(parts)


@dataclass(frozen=True)
class Preview:
    svg: str
    labels: int  # drawn on it
    width_mm: float
    height_mm: float


def render_preview(
    template: LabelTemplate,
    what: PreviewKind,
    *,
    texts: SheetTexts,
    serials: Sequence[str],
    url_of: Callable[[str], str],
    title: str = "",
) -> Preview:
    """One label (``label``: the page is the label) or one page of the stock (``sheet``: a label
    for each of ``serials`` as far as the page holds them, the die-cut of every slot) of a
    template already validated."""
    design = template.design
    geometry = sheet_geometry(template)
    slots: tuple[tuple[float, float], ...]
    if what == "label":
        page_mm, slots = (design.width_mm, design.height_mm), ((0.0, 0.0),)
    else:
        page_mm, slots = geometry.page_mm, geometry.slots
    fonts = Fonts()
    shared = fit_shared_texts(template, texts, fonts)
    symbol = qr_codes.encode(url_of(serials[0]), box_mm=design.qr.size_mm)
    page = SvgPage(page_mm[0] / MM_PER_PT, page_mm[1] / MM_PER_PT)
    for index, (x_mm, y_mm) in enumerate(slots):
        if index < len(serials):
            label = LabelContent(serials[index], "")
            draw_label(page, template, label, symbol, (x_mm, y_mm, page_mm[1]), fonts, shared)
        page.guide(
            x_mm / MM_PER_PT,
            (page_mm[1] - y_mm - design.height_mm) / MM_PER_PT,
            design.width_mm / MM_PER_PT,
            design.height_mm / MM_PER_PT,
        )
    drawn = min(len(slots), len(serials))
    return Preview(page.svg(title or template.name), drawn, page_mm[0], page_mm[1])
