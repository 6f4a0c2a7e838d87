"""The streaming PDF writer, proved with real parts: pdfium renders and extracts text, zbar
decodes the QR codes, fontTools reads the embedded font files. No mocks."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import tracemalloc
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import qrcode
from fontTools.ttLib import TTFont
from PIL import Image

from chalicelib.labels.pdf import FONT_KEYS, PdfWriter, PdfWriterError, load_font

MM = 72 / 25.4
QUIET_ZONE = 4  # modules of white around a symbol, by the QR specification
FIXED_TIME = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
LINE_1 = "Quét để kích hoạt bảo hành"
LINE_2 = "Bảo hành điện tử — Đặng Thị Ưng"


def qr_matrix(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def decode_qr_codes(image: Image.Image) -> list[str]:
    try:
        from pyzbar.pyzbar import ZBarSymbol, decode
    except ImportError as exc:  # pyzbar raises ImportError when libzbar is not installed
        pytest.fail(f"pyzbar cannot load libzbar (apt-get install libzbar0): {exc}")
    return [symbol.data.decode() for symbol in decode(image, symbols=[ZBarSymbol.QRCODE])]


@contextmanager
def opened(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(pdf)
    try:
        yield document
    finally:
        document.close()


def render(pdf: bytes, index: int = 0, dpi: int = 300) -> Image.Image:
    with opened(pdf) as document:
        image: Image.Image = document[index].render(scale=dpi / 72).to_pil()
        return image


def page_text(pdf: bytes, index: int = 0) -> str:
    with opened(pdf) as document:
        text: str = document[index].get_textpage().get_text_bounded()
        return text


def one_page(draw: Any, width_pt: float = 80 * MM, height_pt: float = 30 * MM, **kw: Any) -> bytes:
    out = io.BytesIO()
    writer = PdfWriter(out, created_at=FIXED_TIME, **kw)
    draw(writer.begin_page(width_pt, height_pt))
    writer.end_page()
    writer.close()
    return out.getvalue()


def test_qr_codes_on_a_page_decode_to_exactly_their_urls() -> None:
    urls = [f"https://bh.garanti.vn/k/{serial}" for serial in ("A1B2C3D4E5", "F6G7H8J9K0", "LMNP")]
    small_url = "https://bh.garanti.vn/k/QRSTUVWXYZ23456789ABCDEFGHJK0042"
    small = qr_matrix(small_url)
    assert len(small) == 33  # version 4, the size of a production label URL
    # A 10 mm sticker: the square holds the symbol and its 4-module quiet zone.
    module = 10 * MM / (len(small) + 2 * QUIET_ZONE)

    def draw(page: Any) -> None:
        for i, url in enumerate(urls):
            page.qr(qr_matrix(url), (5 + 22 * i) * MM, 8 * MM, 18 * MM)
        page.qr(
            small, 70 * MM + QUIET_ZONE * module, 2 * MM + QUIET_ZONE * module, module * len(small)
        )

    pdf = one_page(draw, width_pt=85 * MM, height_pt=32 * MM)

    assert sorted(decode_qr_codes(render(pdf, dpi=300))) == sorted([*urls, small_url])


def test_vietnamese_text_round_trips_with_the_fonts_embedded() -> None:
    def draw(page: Any) -> None:
        page.text(LINE_1, load_font("regular"), 9, 5 * MM, 20 * MM)
        page.text(LINE_2, load_font("bold"), 9, 5 * MM, 10 * MM)

    pdf = one_page(draw)

    assert page_text(pdf).splitlines() == [LINE_1, LINE_2]
    assert pdf.count(b"/Type /FontDescriptor ") == pdf.count(b"/FontFile2 ") == 2
    assert not re.search(rb"/Subtype\s*/(Type1|TrueType|MMType1)\b", pdf)
    with opened(pdf) as document:
        text_objects = list(document[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]))
        fonts = [pdfium_c.FPDFTextObj_GetFont(obj.raw) for obj in text_objects]
        assert len(fonts) == 2
        assert all(pdfium_c.FPDFFont_GetIsEmbedded(font) == 1 for font in fonts)


def test_a_missing_glyph_is_refused_by_name() -> None:
    out = io.BytesIO()
    page = PdfWriter(out).begin_page(100, 100)

    with pytest.raises(ValueError, match="漢") as refused:
        page.text("Giá 漢 ₫", load_font("regular"), 9, 10, 10)

    assert "U+6F22" in str(refused.value)
    assert load_font("bold").missing("Giá 漢 ₫ 漢 字") == "漢字"


def test_decomposed_vietnamese_renders_the_same_glyphs_as_precomposed() -> None:
    nfd = unicodedata.normalize("NFD", LINE_2)
    assert nfd != LINE_2

    pdfs = [
        one_page(lambda page, text=text: page.text(text, load_font("regular"), 10, 5 * MM, 12 * MM))
        for text in (LINE_2, nfd)
    ]

    assert render(pdfs[0], dpi=150).tobytes() == render(pdfs[1], dpi=150).tobytes()
    assert page_text(pdfs[1]) == LINE_2
    font = load_font("regular")
    assert font.width_pt(nfd, 10) == font.width_pt(LINE_2, 10) > 0


def test_every_vietnamese_letter_has_a_glyph_in_both_faces() -> None:
    letters = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    alphabet = "".join(unicodedata.normalize("NFC", b + t) for b in letters for t in tones)

    for key in FONT_KEYS:
        assert load_font(key).missing(alphabet + "đĐ₫–—‘’“”…•\u00a0") == ""


def test_an_unknown_font_key_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="italic"):
        load_font("italic")


def test_the_metrics_json_agrees_with_the_font_file() -> None:
    sample = LINE_1 + LINE_2 + "AZaz09 ₫–—‘’“”…•\u00a0\u0301\u0323ĐđƠơƯư"
    for key in FONT_KEYS:
        font = load_font(key)
        data = font.data()
        ttf = TTFont(io.BytesIO(data))
        cmap, hmtx, order = ttf.getBestCmap(), ttf["hmtx"], ttf.getGlyphOrder()

        assert font.units_per_em == ttf["head"].unitsPerEm
        assert len(font.advances) == ttf["maxp"].numGlyphs
        assert font.postscript_name == ttf["name"].getDebugName(6)
        assert font.glyph_ids.keys() == cmap.keys()
        for char in sample:
            glyph_id = font.glyph_ids[ord(char)]
            assert order[glyph_id] == cmap[ord(char)]
            assert font.advances[glyph_id] == hmtx[cmap[ord(char)]][0]
        assert "glyf" in ttf and "fpgm" not in ttf  # TrueType outlines, hinting dropped
        sidecar = resources.files("chalicelib.labels") / "fonts"
        sidecar /= font.file_name.removesuffix(".ttf") + ".json"
        assert hashlib.sha256(data).hexdigest() in sidecar.read_text(encoding="utf-8")


def test_the_licence_ships_with_the_fonts() -> None:
    licence = resources.files("chalicelib.labels") / "fonts" / "LICENSE-DejaVu.txt"

    assert "Bitstream" in licence.read_text(encoding="utf-8")


def test_a_vietnamese_title_survives_in_the_info_dictionary() -> None:
    title = "Tem bảo hành — lô 2025/06, Đà Nẵng"
    pdf = one_page(lambda page: page.rect(10, 10, 50, 20), title=title)

    with opened(pdf) as document:
        metadata = document.get_metadata_dict()

    assert metadata["Title"] == title
    assert metadata["Creator"] == "Garanti"
    assert metadata["CreationDate"] == "D:20250601083000Z"


def test_the_cross_reference_table_points_at_every_object() -> None:
    def draw(page: Any) -> None:
        page.qr(qr_matrix("https://bh.garanti.vn/k/X"), 10, 10, 50)
        page.text(LINE_1, load_font("regular"), 8, 70, 20)

    pdf = one_page(draw)

    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref\n0 ")
    size = int(pdf[startxref:].split()[2])
    entries = pdf[startxref:].split(b"\n", 2)[2][: 20 * size]
    assert entries[:20] == b"0000000000 65535 f \n"
    for number in range(1, size):
        entry = entries[20 * number : 20 * (number + 1)]
        assert entry.endswith(b" 00000 n \n")
        assert pdf[int(entry[:10]) :].startswith(b"%d 0 obj\n" % number)
    assert re.search(rb"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R /ID \[<" % size, pdf)


def test_a_long_document_streams_to_the_file_page_by_page(tmp_path: Path) -> None:
    regular = load_font("regular")
    path = tmp_path / "labels.pdf"
    codes = [qr_matrix(f"https://bh.garanti.vn/k/{number:06d}") for number in range(10)]
    sizes = []
    with path.open("wb") as out:
        writer = PdfWriter(out, title="300 trang")
        for number in range(300):
            page = writer.begin_page(50 * MM, 30 * MM)
            page.qr(codes[number % 10], 10, 20, 40)
            page.text(f"Tem số {number + 1}", regular, 7, 60, 30)
            writer.end_page()
            out.flush()
            sizes.append(os.fstat(out.fileno()).st_size)
            assert sizes[-1] == writer.bytes_written
        total = writer.close()

    assert all(before < after for before, after in itertools.pairwise(sizes))
    assert path.stat().st_size == total
    with opened(path.read_bytes()) as document:
        assert len(document) == 300
    assert writer.pages == 300


def test_memory_stays_flat_as_the_page_count_grows() -> None:
    code = qr_matrix("https://bh.garanti.vn/k/ABCDEFGHJK")
    regular = load_font("regular")

    def peak(pages: int) -> int:
        tracemalloc.start()
        writer = PdfWriter(_Discard())
        for number in range(pages):
            page = writer.begin_page(100, 100)
            page.qr(code, 10, 30, 60)
            page.text(f"Tem số {number}", regular, 8, 10, 10)
            writer.end_page()
        writer.close()
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    peak(20)  # first-use allocations (caches, interned objects) are not per page
    growth_per_page = (peak(320) - peak(20)) / 300

    # What a page leaves behind is its object offsets and page number: 3 x 8 bytes.
    assert growth_per_page < 40


class _Discard(io.RawIOBase):
    """A sink: the memory test must not count the output it keeps."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def test_the_writer_refuses_out_of_order_calls() -> None:
    writer = PdfWriter(io.BytesIO())
    page = writer.begin_page(100, 100)
    with pytest.raises(PdfWriterError):
        writer.begin_page(100, 100)
    writer.end_page()
    with pytest.raises(PdfWriterError):
        page.rect(1, 1, 2, 2)
    with pytest.raises(PdfWriterError):
        writer.end_page()
    writer.close()
    with pytest.raises(PdfWriterError):
        writer.begin_page(100, 100)


def test_a_suspended_document_resumed_elsewhere_makes_one_whole_file() -> None:
    regular, bold = load_font("regular"), load_font("bold")
    first, second = io.BytesIO(), io.BytesIO()
    writer = PdfWriter(first, title="Tem bảo hành")
    for n in range(3):
        page = writer.begin_page(200, 100)
        page.text(f"Trang {n + 1} — Quét để kích hoạt", regular, 10, 10, 50)
        writer.end_page()
    state = writer.suspend()

    resumed = PdfWriter.resume(second, state)
    for n in range(3, 5):
        page = resumed.begin_page(200, 100)
        page.text(f"Trang {n + 1} — bảo hành", bold, 10, 10, 50)
        resumed.end_page()
    size = resumed.close()
    whole = first.getvalue() + second.getvalue()

    assert size == len(whole)
    with pytest.raises(PdfWriterError):
        writer.begin_page(200, 100)  # the suspended writer is done
    document = pdfium.PdfDocument(whole)
    assert len(document) == 5
    texts = [document[i].get_textpage().get_text_range() for i in range(5)]
    assert texts[0] == "Trang 1 — Quét để kích hoạt"
    assert texts[4] == "Trang 5 — bảo hành"
    startxref = int(whole.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert whole[startxref:].startswith(b"xref\n")
