"""PDF output for QR label sheets: a streaming writer (flat memory at any page count) and the
embedded Vietnamese-capable fonts it sets text in. Pure Python and zlib; no reportlab."""

from chalicelib.labels.pdf.fonts import FONT_KEYS, Font, load_font
from chalicelib.labels.pdf.writer import Page, PdfWriter, PdfWriterError

__all__ = ["FONT_KEYS", "Font", "Page", "PdfWriter", "PdfWriterError", "load_font"]
