"""The person's download as a readable PDF: a title, who it is about, then each section's items
as labelled lines, on as many A4 pages as it takes. Set with the label sheets' PDF writer and
its Vietnamese fonts (text in the file stays searchable and copyable); a character the fonts
lack (an emoji in a description) prints as ``?``. Persian readers get the English texts: the
fonts carry no Arabic script, and the JSON download holds every value as it is."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from chalicelib.core.i18n import text
from chalicelib.labels.pdf.fonts import Font, load_font
from chalicelib.labels.pdf.writer import Page, PdfWriter

A4 = (595.0, 842.0)
MARGIN = 48.0
SIZE, TITLE_SIZE, HEAD_SIZE = 9.5, 16.0, 12.0
LEADING = 1.45
SECTIONS = (
    "customer",
    "units",
    "claims",
    "maintenance",
    "messages",
    "zalo",
    "rewards",
    "codes",
    "inbound",
    "cases",
    "audit",
)


def _printable(value: str, font: Font) -> str:
    missing = set(font.missing(value))
    return "".join("?" if ch in missing else ch for ch in value)


def _wrapped(line: str, font: Font, size: float, width: float) -> Iterator[str]:
    words, current = line.split(" "), ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if font.width_pt(candidate, size) <= width or not current:
            current = candidate
            continue
        yield current
        current = word
    yield current


def _value(value: Any, language: str) -> str:
    if isinstance(value, bool):
        return text("privacy_yes" if value else "privacy_no", language)
    if isinstance(value, list):
        return "; ".join(_value(v, language) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{text(f'privacy_field_{k}', language)}: {_value(v, language)}"
            for k, v in value.items()
        )
    return str(value)


class _Document:
    def __init__(self, pdf: PdfWriter, language: str) -> None:
        self._pdf, self._language = pdf, language
        self._regular, self._bold = load_font("regular"), load_font("bold")
        self._page: Page | None = None
        self._y = 0.0
        self.pages = 0

    def _room(self, height: float) -> Page:
        if self._page is None or self._y - height < MARGIN:
            if self._page is not None:
                self._pdf.end_page()
            self._page = self._pdf.begin_page(*A4)
            self.pages += 1
            self._y = A4[1] - MARGIN
        return self._page

    def line(
        self, value: str, *, bold: bool = False, size: float = SIZE, indent: float = 0
    ) -> None:
        font = self._bold if bold else self._regular
        width = A4[0] - 2 * MARGIN - indent
        for part in _wrapped(_printable(value, font), font, size, width):
            page = self._room(size * LEADING)
            self._y -= size * LEADING
            page.text(part, font, size, MARGIN + indent, self._y)

    def gap(self, points: float) -> None:
        self._y -= points

    def close(self) -> None:
        if self._page is not None:
            self._pdf.end_page()


def render(document: Mapping[str, Any], language: str) -> bytes:
    """The PDF of ``document`` (``service.export``'s) in ``language`` (``vi``; else English)."""
    language = "vi" if language == "vi" else "en"
    out = io.BytesIO()
    generated = datetime.fromisoformat(str(document["generated_at"]))
    pdf = PdfWriter(out, title=text("privacy_pdf_title", language), created_at=generated)
    doc = _Document(pdf, language)
    doc.line(text("privacy_pdf_title", language), bold=True, size=TITLE_SIZE)
    doc.gap(4)
    doc.line(text("privacy_pdf_intro", language, at=generated.strftime("%Y-%m-%d %H:%M UTC")))
    doc.line(text("privacy_pdf_phone", language, phone=str(document["phone"])))
    if document.get("names"):
        doc.line(text("privacy_pdf_names", language, names=", ".join(document["names"])))
    sections: Mapping[str, list[dict[str, Any]]] = document["sections"]
    for section in SECTIONS:
        items = sections.get(section, [])
        doc.gap(10)
        doc.line(
            f"{text(f'privacy_section_{section}', language)} ({len(items)})",
            bold=True,
            size=HEAD_SIZE,
        )
        if not items:
            doc.line(text("privacy_pdf_none", language), indent=12)
        for number, item in enumerate(items, start=1):
            doc.gap(3)
            doc.line(f"{number}.", bold=True, indent=6)
            for field, value in item.items():
                if value in ("", None, []):
                    continue
                doc.line(
                    f"{text(f'privacy_field_{field}', language)}: {_value(value, language)}",
                    indent=18,
                )
    doc.close()
    pdf.close()
    return out.getvalue()
