"""Label sheets as PDF: a template's labels laid out on its stock, page after page, streamed to
an open file so memory stays the same for 1,000 labels or 100,000.

Each label: the QR code (vector, its quiet zone left white inside the template's QR box), then
the template's texts in the embedded DejaVu Sans Condensed (it has every Vietnamese letter).
Texts that are the same on every label (brand, instruction, custom) are fitted once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, BinaryIO, Protocol

from chalicelib.labels.pdf import Font, PdfWriter, load_font
from chalicelib.labels.qr_codes import QrSymbol
from chalicelib.labels.qr_pool import QrPool
from chalicelib.labels.template import (
    LINE_HEIGHT,
    MM_PER_PT,
    QUIET_ZONE_MODULES,
    FittedText,
    LabelTemplate,
    TextBox,
    fit_text,
    sheet_geometry,
)


@dataclass(frozen=True)
class LabelContent:
    serial: str
    url: str  # what the QR code says: the unit's portal link
    position: int = 0  # where it came in the job's list of serials (to resume after it)


@dataclass(frozen=True)
class SheetTexts:
    """The words every label of a job shares."""

    brand: str
    instruction: Mapping[str, str]  # language → "Quét để kích hoạt bảo hành" / "Scan to …"


@dataclass(frozen=True)
class SheetReport:
    pages: int  # in the whole file so far
    labels: int  # drawn by this call
    bytes: int  # of the whole file so far
    finished: bool = True  # False: stopped between pages; ``state`` resumes the writer
    state: dict[str, Any] | None = None
    last: LabelContent | None = None  # the last label drawn


Progress = Callable[[int, int], None]  # (pages written, labels written)
Encoder = Callable[[str, float], QrSymbol]  # (data, QR box in mm)


def _pt(mm: float) -> float:
    return mm / MM_PER_PT


class Surface(Protocol):
    """What a label is drawn on, in PDF points from the page's bottom-left corner: a PDF page
    (:class:`~chalicelib.labels.pdf.Page`) for the print, an SVG page for the console's preview
    (:mod:`chalicelib.labels.preview`), so the preview cannot disagree with the print."""

    def qr(
        self, modules: Sequence[Sequence[bool]], x_pt: float, y_pt: float, size_pt: float
    ) -> None: ...

    def text(
        self, text: str, font: Font, size_pt: float, x_pt: float, baseline_pt: float
    ) -> None: ...

    def rect(self, x_pt: float, y_pt: float, width_pt: float, height_pt: float) -> None: ...


class Fonts:
    def __init__(self) -> None:
        self.regular = load_font("regular")
        self.bold = load_font("bold")

    def of(self, bold: bool) -> Font:
        return self.bold if bold else self.regular

    def measure(self, text: str, size_pt: float, bold: bool) -> float:
        return self.of(bold).width_pt(text, size_pt)


def _shared_text(box: TextBox, texts: SheetTexts) -> str | None:
    if box.field == "brand":
        return texts.brand
    if box.field == "instruction":
        return texts.instruction.get(box.lang, "")
    if box.field == "custom":
        return box.text
    return None  # the serial: per label


def missing_glyphs(template: LabelTemplate, texts: SheetTexts) -> str:
    """Characters of the template's fixed texts that the embedded fonts cannot draw."""
    fonts = Fonts()
    missing = ""
    for box in template.design.texts:
        words = _shared_text(box, texts)
        if words:
            missing += fonts.of(box.bold).missing(words)
    return "".join(dict.fromkeys(missing))


def render_sheets(
    template: LabelTemplate,
    labels: Iterable[LabelContent],
    out: BinaryIO,
    *,
    texts: SheetTexts,
    title: str = "",
    on_page: Progress | None = None,
    workers: int = 1,
    encoder: Encoder | None = None,
    resume: dict[str, Any] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SheetReport:
    """Write every label of ``labels`` on as many pages as they need; ``on_page`` is told after
    each page. QR codes are encoded by ``workers`` processes (:class:`QrPool`) a page at a
    time, in order (``encoder`` replaces them in this process: the benchmark's comparisons).
    The file is complete (cross-reference table and all) when this returns, unless
    ``should_stop`` said so after a page: then the report carries the writer's state, and a
    call with ``resume=state`` and the labels after ``report.last`` writes the rest of the file
    (to be appended to what this call wrote). No label at all writes no file: the report says
    0 pages and the caller decides what an empty selection means."""
    fonts = Fonts()
    geometry = sheet_geometry(template)
    page_w, page_h = geometry.page_mm
    shared = fit_shared_texts(template, texts, fonts)
    source: Iterator[LabelContent] = iter(labels)
    pages = (
        (chunk, [label.url for label in chunk])
        for chunk in iter(lambda: list(islice(source, len(geometry.slots))), [])
    )
    writer = PdfWriter.resume(out, resume) if resume else PdfWriter(out, title=title)
    count = 0
    last: LabelContent | None = None
    box_mm = template.design.qr.size_mm
    with QrPool(1 if encoder else workers) as pool:
        encoded = (
            ((chunk, [encoder(url, box_mm) for url in urls]) for chunk, urls in pages)
            if encoder is not None
            else pool.encode_chunks(pages, box_mm)
        )
        for chunk, symbols in encoded:
            page = writer.begin_page(_pt(page_w), _pt(page_h))
            for (x_mm, y_mm), label, symbol in zip(geometry.slots, chunk, symbols, strict=False):
                draw_label(page, template, label, symbol, (x_mm, y_mm, page_h), fonts, shared)
            writer.end_page()
            count += len(chunk)
            last = chunk[-1]
            if on_page is not None:
                on_page(writer.pages, count)
            if should_stop is not None and should_stop():
                written, size = writer.pages, writer.bytes_written
                state = writer.suspend()
                return SheetReport(written, count, size, finished=False, state=state, last=last)
    if writer.pages == 0:  # nothing to print: a PDF needs a page, so there is no file to close
        return SheetReport(pages=0, labels=0, bytes=0)
    size = writer.close()
    return SheetReport(pages=writer.pages, labels=count, bytes=size, last=last)


def fit_shared_texts(
    template: LabelTemplate, texts: SheetTexts, fonts: Fonts
) -> dict[int, FittedText]:
    """The texts every label shares (brand, instruction, custom), fitted once, by index."""
    shared: dict[int, FittedText] = {}
    for index, box in enumerate(template.design.texts):
        words = _shared_text(box, texts)
        if words is not None:
            shared[index] = fit_text(words, box, fonts.measure)
    return shared


def draw_label(
    page: Surface,
    template: LabelTemplate,
    label: LabelContent,
    symbol: QrSymbol,
    where: tuple[float, float, float],
    fonts: Fonts,
    shared: Mapping[int, FittedText],
) -> None:
    """One label with its top-left corner at ``where`` = (x, y, the page's height), in mm from
    the page's top-left corner: its outline when the stock asks, the QR code, the texts."""
    x_mm, y_mm, page_h_mm = where
    design = template.design
    if template.stock.outline:
        page.rect(
            _pt(x_mm),
            _pt(page_h_mm - y_mm - design.height_mm),
            _pt(design.width_mm),
            _pt(design.height_mm),
        )
    qr = design.qr
    module = qr.size_mm / (symbol.size + 2 * QUIET_ZONE_MODULES)
    side = module * symbol.size
    left = x_mm + qr.x_mm + module * QUIET_ZONE_MODULES
    top = y_mm + qr.y_mm + module * QUIET_ZONE_MODULES
    page.qr(symbol.modules, _pt(left), _pt(page_h_mm - top - side), _pt(side))
    for index, box in enumerate(design.texts):
        fitted = shared.get(index) or fit_text(label.serial, box, fonts.measure)
        font = fonts.of(box.bold)
        ascent_mm = font.ascent / font.units_per_em * fitted.font_pt * MM_PER_PT
        line_mm = fitted.font_pt * LINE_HEIGHT * MM_PER_PT
        for number, line in enumerate(fitted.lines):
            if not line:
                continue
            width_mm = font.width_pt(line, fitted.font_pt) * MM_PER_PT
            offset = {"left": 0.0, "center": (box.width_mm - width_mm) / 2}.get(
                box.align, box.width_mm - width_mm
            )
            baseline_mm = y_mm + box.y_mm + ascent_mm + number * line_mm
            page.text(
                line,
                font,
                fitted.font_pt,
                _pt(x_mm + box.x_mm + offset),
                _pt(page_h_mm - baseline_mm),
            )
