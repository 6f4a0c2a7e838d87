"""Proof that printed labels scan: render each PDF page as a printer would see it (300 dpi,
pdfium) and decode every QR code on it with a real decoder (zbar, Debian's libzbar0)."""

from __future__ import annotations

import re
from typing import Any

from PIL import Image, ImageDraw

PRINT_DPI = 300


def _zbar() -> Any:
    try:
        from pyzbar import pyzbar
    except ImportError as exc:  # libzbar0 missing: the proof cannot run, and must not pass
        raise AssertionError(f"zbar is not available ({exc}); install Debian's libzbar0") from exc
    return pyzbar


def decode_image(image: Any) -> list[str]:
    """Every QR code zbar finds in a PIL image, top to bottom, left to right."""
    pyzbar = _zbar()
    found = pyzbar.decode(image.convert("L"), symbols=[pyzbar.ZBarSymbol.QRCODE])
    found.sort(key=lambda s: (s.rect.top // 20, s.rect.left))
    return [symbol.data.decode("utf-8") for symbol in found]


def render_pages(pdf: bytes, dpi: int = PRINT_DPI) -> list[Any]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return [
        document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))
    ]


def decode_pdf(pdf: bytes, dpi: int = PRINT_DPI) -> list[list[str]]:
    """The codes on each page, in reading order."""
    return [decode_image(page) for page in render_pages(pdf, dpi)]


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text as pdfium extracts it (proves the embedded font maps back to Unicode)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pages = []
    for i in range(len(document)):
        textpage = document[i].get_textpage()
        pages.append(textpage.get_text_range())
    return pages


def decode_sheet(pdf: bytes, template: Any, dpi: int = PRINT_DPI) -> list[list[str | None]]:
    """Each page's labels decoded one by one, in the template's slot order: the code printed in
    every slot (``None`` where zbar finds none). zbar, given a whole sheet of 48 codes in a
    grid, may miss one whose finder patterns line up with its neighbours'; a crop of one label
    with a margin is what a phone camera sees."""
    from chalicelib.labels.template import sheet_geometry

    geometry = sheet_geometry(template)
    design = template.design
    px = dpi / 25.4
    pages: list[list[str | None]] = []
    for image in render_pages(pdf, dpi):
        codes: list[str | None] = []
        for x_mm, y_mm in geometry.slots:
            box = (
                max(0, int((x_mm - 1) * px)),
                max(0, int((y_mm - 1) * px)),
                int((x_mm + design.width_mm + 1) * px),
                int((y_mm + design.height_mm + 1) * px),
            )
            found = decode_image(image.crop(box))
            if len(found) > 1:
                raise AssertionError(f"two codes in one label's slot: {found}")
            codes.append(found[0] if found else None)
        while codes and codes[-1] is None:
            codes.pop()  # the last page's empty slots
        pages.append(codes)
    return pages


def svg_to_image(svg: str) -> Image.Image:
    """Rasterise qrcode's path SVG (``M x,y H x V y H x z`` squares) at 8 px a module."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r'<path d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    for x, y, x2, y2 in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", path):
        draw.rectangle(
            (int(x) * scale, int(y) * scale, int(x2) * scale - 1, int(y2) * scale - 1), fill=0
        )
    return image


def decode_svg(svg: str) -> str:
    """The one QR code in a qrcode path SVG, decoded."""
    [text] = decode_image(svg_to_image(svg))
    return text
