"""Carton labels: one 100 × 150 mm page a carton (a thermal printer's shipping label, A6 on an
office printer): the brand, the carton's quantity and its models, and the carton code as a
barcode with its human-readable text under it.

An SSCC is printed as GS1-128 (Code 128 with FNC1 first and the application identifier ``00``:
what a dealer's or a carrier's scanner expects of a logistics label), X-dimension 0.5 mm (GS1's
logistics label asks 0.495–1.016 mm) and 32 mm tall; the manufacturer's own code as plain Code
128. The bar patterns come from python-barcode (its Code 128 encoder picks the code sets); the
label writer draws the bars as filled rectangles.

>>> pattern = bar_pattern("106141411234567897")
>>> len(pattern), pattern[:11]
(156, '11010011100')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from chalicelib.catalog.cartons import SSCC_AI, gs1_element_string, is_sscc
from chalicelib.labels.pdf import Font, PdfWriter
from chalicelib.labels.sheets import Fonts, SheetReport
from chalicelib.labels.template import MM_PER_PT

WIDTH_MM, HEIGHT_MM = 100.0, 150.0
MARGIN_MM = 6.0
QUIET_MODULES = 10  # Code 128's quiet zone: ten modules each side
MAX_MODULE_MM = 0.5
BAR_HEIGHT_MM = 32.0
MAX_MODEL_LINES = 7
TEMPLATE_NAME = "carton-100x150"


@dataclass(frozen=True)
class CartonLabel:
    """What one carton's label says."""

    code: str
    units: int
    models: Mapping[str, int] = field(default_factory=dict)  # model code → units


@dataclass(frozen=True)
class CartonTexts:
    """The words every carton label carries, each ``vi / en``."""

    brand: str
    carton: str  # "Thùng hàng / Carton"
    quantity: str  # "Số lượng / Quantity"
    models: str  # "Mẫu / Models"
    more: str  # "+{count} mẫu khác / +{count} more models"


def bar_pattern(code: str) -> str:
    """The modules of the carton code's barcode: GS1-128 with AI 00 for an SSCC, else Code 128
    (quiet zones not included)."""
    from barcode.codex import Code128, Gs1_128

    symbol = Gs1_128(SSCC_AI + code) if is_sscc(code) else Code128(code)
    built: list[str] = symbol.build()
    return built[0]


def _pt(mm: float) -> float:
    return mm / MM_PER_PT


def _fit(text: str, font: Font, size_pt: float, width_mm: float) -> float:
    """The font size (at most ``size_pt``) at which ``text`` fits ``width_mm``."""
    width_pt = font.width_pt(text, size_pt)
    limit_pt = _pt(width_mm)
    return size_pt if width_pt <= limit_pt else max(4.0, size_pt * limit_pt / width_pt)


class _Page:
    def __init__(self, writer: PdfWriter, fonts: Fonts) -> None:
        self.page = writer.begin_page(_pt(WIDTH_MM), _pt(HEIGHT_MM))
        self.fonts = fonts

    def line(self, text: str, top_mm: float, size_pt: float, *, bold: bool = False) -> float:
        """One line, centred, its top at ``top_mm``; returns the next line's top."""
        font = self.fonts.of(bold)
        size = _fit(text, font, size_pt, WIDTH_MM - 2 * MARGIN_MM)
        ascent_mm = font.ascent / font.units_per_em * size * MM_PER_PT
        width_mm = font.width_pt(text, size) * MM_PER_PT
        self.page.text(
            text,
            font,
            size,
            _pt((WIDTH_MM - width_mm) / 2),
            _pt(HEIGHT_MM - top_mm - ascent_mm),
        )
        return top_mm + size * 1.3 * MM_PER_PT

    def barcode(self, code: str, top_mm: float) -> None:
        pattern = bar_pattern(code)
        usable = WIDTH_MM - 2 * MARGIN_MM
        module = min(MAX_MODULE_MM, usable / (len(pattern) + 2 * QUIET_MODULES))
        left = (WIDTH_MM - module * len(pattern)) / 2
        self.page.bars(
            pattern,
            _pt(left),
            _pt(HEIGHT_MM - top_mm - BAR_HEIGHT_MM),
            _pt(module),
            _pt(BAR_HEIGHT_MM),
        )


def _model_lines(label: CartonLabel, texts: CartonTexts) -> list[str]:
    models = sorted(label.models.items())
    shown = models if len(models) <= MAX_MODEL_LINES else models[: MAX_MODEL_LINES - 1]
    lines = [f"{model} × {units}" for model, units in shown]
    if len(shown) < len(models):
        lines.append(texts.more.format(count=len(models) - len(shown)))
    return lines


def draw_carton_label(
    writer: PdfWriter, fonts: Fonts, label: CartonLabel, texts: CartonTexts
) -> None:
    page = _Page(writer, fonts)
    page.page.rect(_pt(3), _pt(3), _pt(WIDTH_MM - 6), _pt(HEIGHT_MM - 6), gray=0.0)
    top = page.line(texts.brand, MARGIN_MM + 2, 18, bold=True)
    top = page.line(texts.carton, top + 2, 10)
    top = page.line(f"{texts.quantity}: {label.units}", top + 4, 22, bold=True)
    top = page.line(texts.models, top + 3, 10)
    for text in _model_lines(label, texts):
        top = page.line(text, top + 0.5, 13)
    bar_top = HEIGHT_MM - MARGIN_MM - 8 - BAR_HEIGHT_MM
    page.barcode(label.code, bar_top)
    page.line(gs1_element_string(label.code), bar_top + BAR_HEIGHT_MM + 1.5, 12, bold=True)
    writer.end_page()


def render_carton_labels(
    labels: Iterable[CartonLabel], out: BinaryIO, *, texts: CartonTexts, title: str = ""
) -> SheetReport:
    """One page a carton into ``out``; no carton writes no file (0 pages)."""
    fonts = Fonts()
    writer = PdfWriter(out, title=title)
    count = 0
    for label in labels:
        draw_carton_label(writer, fonts, label, texts)
        count += 1
    if count == 0:
        return SheetReport(pages=0, labels=0, bytes=0)
    size = writer.close()
    return SheetReport(pages=writer.pages, labels=count, bytes=size)
