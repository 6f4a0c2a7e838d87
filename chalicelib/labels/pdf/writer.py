"""A streaming PDF 1.7 writer for label sheets: each page goes to the output as it ends.

reportlab keeps every page until ``save()``, so a 100,000-label job grows to gigabytes. Here a
page's content is buffered only while the page is open; `PdfWriter.end_page` writes its content
stream and page object straight away. What stays in memory for the whole document is a few
integers per page (object offsets and page object numbers) and the set of glyph ids used per
font, so memory is flat in the page count.

Objects are numbered as they are written, and the few written at `PdfWriter.close` (catalog,
page tree, info, fonts) have numbers reserved up front so pages can refer to them: the
cross-reference table is filled in any order. Fonts are embedded whole (the Vietnamese subset
from :mod:`.fonts`, ~20 KB compressed) as Type0 / CIDFontType2 with Identity-H 2-byte glyph
ids, a ``W`` array and a ``ToUnicode`` CMap for the glyphs actually used, so text extraction
and search give back the Vietnamese text.

Coordinates are PDF points (1/72 in), origin at the bottom-left of the page.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

from chalicelib.labels.pdf.fonts import Font, load_font

_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # binary comment: transfer programs keep it binary
_CATALOG, _PAGES, _INFO = 1, 2, 3
_FLATE_LEVEL = 6
_PRODUCER = "Garanti streaming PDF writer"
# PDF 1.7 Annex C: page sizes outside 3..14,400 units are not portable.
_MIN_PAGE_PT, _MAX_PAGE_PT = 3.0, 14_400.0
_REFS_PER_LINE = 16  # keeps long arrays under the 255-byte lines PDF tools prefer
_BFCHAR_BLOCK = 100  # the CMap limit on entries per beginbfchar


class PdfWriterError(RuntimeError):
    """The writer was used out of order: a second open page, no open page, or after close."""


def _num(value: float, places: int = 4) -> str:
    """A PDF number: no exponent, no trailing zeros, no negative zero.

    >>> [_num(v) for v in (2, 2.5, -0.00001, 1 / 3, 1e-7, 12345678.0)]
    ['2', '2.5', '0', '0.3333', '0', '12345678']
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _utf16_hex(text: str) -> bytes:
    """A PDF text string that survives any script: UTF-16BE with a BOM, as a hex string.

    >>> _utf16_hex("Bảo")
    b'<FEFF00421EA3006F>'
    """
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _pdf_date(moment: datetime) -> bytes:
    """A PDF date string in UTC.

    >>> _pdf_date(datetime(2025, 3, 1, 16, 5, 9, tzinfo=UTC))
    b'(D:20250301160509Z)'
    """
    return moment.astimezone(UTC).strftime("(D:%Y%m%d%H%M%SZ)").encode("ascii")


def _lines(items: Iterable[bytes], per_line: int = _REFS_PER_LINE) -> Iterator[bytes]:
    line: list[bytes] = []
    for item in items:
        line.append(item)
        if len(line) == per_line:
            yield b" ".join(line)
            line = []
    if line:
        yield b" ".join(line)


def _runs(row: Sequence[bool]) -> list[tuple[int, int]]:
    """The dark runs of one row as (start, length).

    >>> _runs([True, True, False, True, False, False, True])
    [(0, 2), (3, 1), (6, 1)]
    """
    runs: list[tuple[int, int]] = []
    start = -1
    for col, dark in enumerate(row):
        if dark:
            if start < 0:
                start = col
        elif start >= 0:
            runs.append((start, col - start))
            start = -1
    if start >= 0:
        runs.append((start, len(row) - start))
    return runs


def _module_rects(modules: Sequence[Sequence[bool]]) -> list[tuple[int, int, int, int]]:
    """Rectangles (x, y, w, h) in module units, y up, that exactly cover the dark modules.

    Horizontal runs are merged, then a run repeated at the same columns in the rows below
    grows into one taller rectangle (finder patterns and timing lines collapse this way). A
    smarter cover (greedy maximal rectangles) saves ~8% of rectangles but deflates ~7% worse:
    runs of height 1 make repetitive text.

    >>> _module_rects([[True, True, False], [True, True, False], [False, False, True]])
    [(0, 1, 2, 2), (2, 0, 1, 1)]
    """
    size = len(modules)
    rects: list[tuple[int, int, int, int]] = []
    first_row_of: dict[tuple[int, int], int] = {}  # open run -> the row (from the top) it began
    previous: list[tuple[int, int]] = []
    for row_index in range(size + 1):
        runs = _runs(modules[row_index]) if row_index < size else []
        current = set(runs)
        for run in previous:
            if run not in current:
                first_row = first_row_of.pop(run)
                rects.append((run[0], size - row_index, run[1], row_index - first_row))
        for run in runs:
            first_row_of.setdefault(run, row_index)
        previous = runs
    return rects


class _FontUse:
    """A font used in this document: its reserved object numbers and the glyphs drawn."""

    __slots__ = ("first_id", "font", "glyphs", "resource")

    def __init__(self, font: Font, resource: bytes, first_id: int) -> None:
        self.font = font
        self.resource = resource  # the /Fn name pages use
        self.first_id = first_id  # Type0; then CIDFont, descriptor, font file, ToUnicode
        self.glyphs: set[int] = set()

    @property
    def ref(self) -> bytes:
        return b"%d 0 R" % self.first_id


class Page:
    """The open page of a `PdfWriter`; its content lives here until `PdfWriter.end_page`."""

    def __init__(self, writer: PdfWriter, width_pt: float, height_pt: float) -> None:
        self._writer = writer
        self.width_pt = width_pt
        self.height_pt = height_pt
        self._content: bytearray | None = bytearray()
        self._fonts: dict[bytes, int] = {}  # resource name -> Type0 object number

    def _ops(self) -> bytearray:
        if self._content is None:
            raise PdfWriterError("this page has ended; begin a new one")
        return self._content

    def qr(
        self, modules: Sequence[Sequence[bool]], x_pt: float, y_pt: float, size_pt: float
    ) -> None:
        """Draw a QR symbol (``modules[row][col]``, row 0 at the top, True = dark) as vector fills.

        The symbol fills the square with lower-left corner (``x_pt``, ``y_pt``) and side
        ``size_pt``; the quiet zone is not drawn (leave it white). Drawn in module units under
        one ``cm`` so each rectangle is a few small integers, filled once with ``f`` so
        adjacent rectangles rasterise as one shape with no hairline seams.
        """
        size = len(modules)
        if size == 0 or any(len(row) != size for row in modules):
            raise ValueError("a QR matrix must be square and non-empty")
        if not size_pt > 0:
            raise ValueError(f"QR size must be positive, got {size_pt!r}")
        scale = _num(size_pt / size, 6)
        ops = self._ops()
        ops += f"q {scale} 0 0 {scale} {_num(x_pt)} {_num(y_pt)} cm\n".encode("ascii")
        for x, y, w, h in _module_rects(modules):
            ops += b"%d %d %d %d re\n" % (x, y, w, h)
        ops += b"f\nQ\n"

    def bars(
        self, pattern: str, x_pt: float, y_pt: float, module_pt: float, height_pt: float
    ) -> None:
        """Draw a linear barcode: ``pattern`` is its modules left to right (``1`` a dark
        module, ``0`` a light one), from (``x_pt``, ``y_pt``), the lower-left corner of the
        first module, ``module_pt`` wide each and ``height_pt`` tall; each bar one rectangle in
        module units under one ``cm``, filled once. The quiet zones are not drawn."""
        if not pattern or set(pattern) - {"0", "1"}:
            raise ValueError("a bar pattern is a non-empty string of 0 and 1")
        if not (module_pt > 0 and height_pt > 0):
            raise ValueError("bar module and height must be positive")
        ops = self._ops()
        scale = f"{_num(module_pt, 6)} 0 0 {_num(height_pt, 6)}"
        ops += f"q {scale} {_num(x_pt)} {_num(y_pt)} cm\n".encode("ascii")
        start = None
        for index, module in enumerate(pattern + "0"):
            if module == "1" and start is None:
                start = index
            elif module == "0" and start is not None:
                ops += b"%d 0 %d 1 re\n" % (start, index - start)
                start = None
        ops += b"f\nQ\n"

    def text(self, text: str, font: Font, size_pt: float, x_pt: float, baseline_pt: float) -> None:
        """Set one line of ``text`` (NFC-normalised) with its baseline starting at (x, baseline).

        Raises ValueError naming the characters ``font`` has no glyph for; nothing is drawn then.
        """
        ops = self._ops()
        glyphs = font.glyphs(text)
        if not size_pt > 0:
            raise ValueError(f"font size must be positive, got {size_pt!r}")
        size, x, y = (_num(v).encode("ascii") for v in (size_pt, x_pt, baseline_pt))
        if not glyphs:
            return
        use = self._writer._use_font(font)
        use.glyphs.update(glyphs)
        self._fonts[use.resource] = use.first_id
        codes = b"".join(g.to_bytes(2, "big") for g in glyphs).hex().upper().encode("ascii")
        ops += b"BT /%s %s Tf %s %s Td <%s> Tj ET\n" % (use.resource, size, x, y, codes)

    def rect(
        self,
        x_pt: float,
        y_pt: float,
        width_pt: float,
        height_pt: float,
        *,
        line_width_pt: float = 0.25,
        gray: float = 0.6,
    ) -> None:
        """Stroke a rectangle outline, e.g. the die-cut lines of an alignment proof."""
        if not line_width_pt > 0:
            raise ValueError(f"line width must be positive, got {line_width_pt!r}")
        if not 0.0 <= gray <= 1.0:
            raise ValueError(f"gray must be within 0..1, got {gray!r}")
        box = " ".join(_num(v) for v in (x_pt, y_pt, width_pt, height_pt))
        op = f"q {_num(line_width_pt)} w {_num(gray, 3)} G {box} re S Q\n"
        self._ops().extend(op.encode("ascii"))

    def _finish(self) -> tuple[bytes, dict[bytes, int]]:
        content = bytes(self._ops())
        self._content = None
        return content, self._fonts


class PdfWriter:
    """Writes a PDF to ``out`` page by page; `close` finishes the file (and leaves ``out`` open).

    >>> import io
    >>> out = io.BytesIO()
    >>> pdf = PdfWriter(out, title="Tem bảo hành")
    >>> pdf.begin_page(100, 50).rect(5, 5, 90, 40)
    >>> pdf.end_page()
    >>> pdf.close() == len(out.getvalue()) and out.getvalue().endswith(b"%%EOF\\n")
    True
    """

    def __init__(
        self,
        out: BinaryIO,
        *,
        title: str = "",
        creator: str = "Garanti",
        compress: bool = True,
        created_at: datetime | None = None,
    ) -> None:
        self._out = out
        self._title = title
        self._creator = creator
        self._compress = compress
        self._created_at = created_at or datetime.now(UTC)
        self._written = 0
        # The file ID is a digest of everything before the trailer, computed as it streams.
        self._digest = hashlib.md5(usedforsecurity=False)
        self._offsets = array("Q", [0])  # by object number; 0 = reserved, not yet written
        self._page_ids = array("Q")
        self._fonts: dict[str, _FontUse] = {}
        self._page: Page | None = None
        self._closed = False
        for _ in (_CATALOG, _PAGES, _INFO):
            self._reserve()
        self._emit(_HEADER)

    def suspend(self) -> dict[str, Any]:
        """Stop between pages, to go on in another process (a label job that needs more than
        one Lambda run): everything :meth:`resume` needs, as JSON-able values. The bytes
        written so far are the caller's to keep (they are the start of the file); the file ID
        then chains a digest of those bytes with the ones written after."""
        self._check_open()
        if self._page is not None:
            raise PdfWriterError("end_page() the open page before suspend()")
        self._closed = True
        return {
            "version": 1,
            "written": self._written,
            "digest": self._digest.hexdigest(),
            "offsets": self._offsets.tolist(),
            "page_ids": self._page_ids.tolist(),
            "fonts": [
                {
                    "key": k,
                    "resource": u.resource.decode("ascii"),
                    "first_id": u.first_id,
                    "glyphs": sorted(u.glyphs),
                }
                for k, u in self._fonts.items()
            ],
            "title": self._title,
            "creator": self._creator,
            "compress": self._compress,
            "created_at": self._created_at.isoformat(),
        }

    @classmethod
    def resume(cls, out: BinaryIO, state: dict[str, Any]) -> PdfWriter:
        """A writer that goes on where :meth:`suspend` stopped, writing the rest of the file to
        ``out`` (offsets count from the start of the whole file)."""
        if state.get("version") != 1:
            raise PdfWriterError("unknown writer state")
        writer = cls.__new__(cls)
        writer._out = out
        writer._title = str(state["title"])
        writer._creator = str(state["creator"])
        writer._compress = bool(state["compress"])
        writer._created_at = datetime.fromisoformat(str(state["created_at"]))
        writer._written = int(state["written"])
        writer._digest = hashlib.md5(str(state["digest"]).encode("ascii"), usedforsecurity=False)
        writer._offsets = array("Q", state["offsets"])
        writer._page_ids = array("Q", state["page_ids"])
        writer._fonts = {}
        for entry in state["fonts"]:
            use = _FontUse(
                load_font(str(entry["key"])),
                str(entry["resource"]).encode("ascii"),
                int(entry["first_id"]),
            )
            use.glyphs = {int(g) for g in entry["glyphs"]}
            writer._fonts[str(entry["key"])] = use
        writer._page = None
        writer._closed = False
        return writer

    @property
    def pages(self) -> int:
        """Pages ended so far."""
        return len(self._page_ids)

    @property
    def bytes_written(self) -> int:
        """Bytes handed to ``out`` so far (the file size once closed)."""
        return self._written

    def begin_page(self, width_pt: float, height_pt: float) -> Page:
        """Open a page of the given size; only one page is open at a time."""
        self._check_open()
        if self._page is not None:
            raise PdfWriterError("end_page() the open page before beginning another")
        for side in (width_pt, height_pt):
            if not _MIN_PAGE_PT <= side <= _MAX_PAGE_PT:
                raise ValueError(f"page sides must be {_MIN_PAGE_PT:g}..{_MAX_PAGE_PT:g} pt")
        self._page = Page(self, width_pt, height_pt)
        return self._page

    def end_page(self) -> None:
        """Write the open page (content stream, then page object) and forget its content."""
        self._check_open()
        page = self._page
        if page is None:
            raise PdfWriterError("no page is open")
        self._page = None
        content, fonts = page._finish()
        content_id = self._write_stream(content)
        font_refs = b" ".join(b"/%s %d 0 R" % (name, ref) for name, ref in sorted(fonts.items()))
        resources = b"<< /Font << %s >> >>" % font_refs if fonts else b"<< >>"
        page_id = self._reserve()
        self._write_object(
            page_id,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %s /Contents %d 0 R >>"
            % (
                _PAGES,
                _num(page.width_pt).encode("ascii"),
                _num(page.height_pt).encode("ascii"),
                resources,
                content_id,
            ),
        )
        self._page_ids.append(page_id)

    def close(self) -> int:
        """Write the fonts used, the page tree, catalog, info, xref and trailer.

        Returns the total bytes written. ``out`` is left open (and unflushed) for the caller.
        """
        self._check_open()
        if self._page is not None:
            raise PdfWriterError("end_page() the open page before close()")
        if not self._page_ids:
            raise PdfWriterError("a PDF needs at least one page")
        for use in self._fonts.values():
            self._write_font(use)
        # Streamed line by line: 100,000 pages would otherwise build a megabyte of Kids here.
        self._offsets[_PAGES] = self._written
        self._emit(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [\n" % (_PAGES, len(self._page_ids)))
        for line in _lines(b"%d 0 R" % page_id for page_id in self._page_ids):
            self._emit(line + b"\n")
        self._emit(b"] >>\nendobj\n")
        self._write_object(_CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % _PAGES)
        info = [
            b"/Producer " + _utf16_hex(_PRODUCER),
            b"/CreationDate " + _pdf_date(self._created_at),
        ]
        if self._creator:
            info.insert(0, b"/Creator " + _utf16_hex(self._creator))
        if self._title:
            info.insert(0, b"/Title " + _utf16_hex(self._title))
        self._write_object(_INFO, b"<< %s >>" % b"\n".join(info))
        self._write_xref_and_trailer()
        self._closed = True
        return self._written

    # --- internals -------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise PdfWriterError("the PDF is closed")

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._written += len(data)

    def _reserve(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _write_object(self, obj_id: int, body: bytes) -> None:
        if self._offsets[obj_id]:
            raise PdfWriterError(f"object {obj_id} written twice")
        self._offsets[obj_id] = self._written
        self._emit(b"%d 0 obj\n%s\nendobj\n" % (obj_id, body))

    def _write_stream(self, data: bytes, extra: bytes = b"", obj_id: int = 0) -> int:
        """Write ``data`` as a stream object (a new one unless ``obj_id``); returns its number."""
        obj_id = obj_id or self._reserve()
        if self._compress:
            data = zlib.compress(data, _FLATE_LEVEL)
            extra += b" /Filter /FlateDecode"
        self._offsets[obj_id] = self._written
        self._emit(b"%d 0 obj\n<< /Length %d%s >>\nstream\n" % (obj_id, len(data), extra))
        self._emit(data)
        self._emit(b"\nendstream\nendobj\n")
        return obj_id

    def _use_font(self, font: Font) -> _FontUse:
        use = self._fonts.get(font.key)
        if use is None:
            first_id = self._reserve()
            for _ in range(4):  # CIDFont, FontDescriptor, FontFile2, ToUnicode
                self._reserve()
            use = _FontUse(font, b"F%d" % (len(self._fonts) + 1), first_id)
            self._fonts[font.key] = use
        return use

    def _write_font(self, use: _FontUse) -> None:
        font = use.font
        type0_id = use.first_id
        cid_id, descriptor_id, file_id, to_unicode_id = range(type0_id + 1, type0_id + 5)
        data = font.data()
        # A subset's name carries a six-letter tag (PDF 1.7 §9.6.4), here derived from the file.
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])
        name = f"{tag}+{font.postscript_name}".encode("ascii")

        def em(units: float) -> int:
            return round(units * 1000 / font.units_per_em)

        self._write_stream(data, b" /Length1 %d" % len(data), obj_id=file_id)
        bbox = b" ".join(b"%d" % em(v) for v in font.bbox)
        self._write_object(
            descriptor_id,
            b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s] /ItalicAngle %s"
            b" /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>"
            % (
                name,
                bbox,
                _num(font.italic_angle).encode("ascii"),
                em(font.ascent),
                em(font.descent),
                em(font.cap_height),
                font.stem_v,
                file_id,
            ),
        )
        self._write_object(
            cid_id,
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W [\n%s\n] >>"
            % (name, descriptor_id, self._widths(use)),
        )
        self._write_stream(self._to_unicode(use), obj_id=to_unicode_id)
        self._write_object(
            type0_id,
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H"
            b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, cid_id, to_unicode_id),
        )

    @staticmethod
    def _widths(use: _FontUse) -> bytes:
        """The ``W`` array body: ``first [w w ...]`` for each run of consecutive glyph ids."""
        font = use.font
        groups: list[list[int]] = []
        for gid in sorted(use.glyphs):
            if groups and groups[-1][-1] == gid - 1:
                groups[-1].append(gid)
            else:
                groups.append([gid])
        lines = []
        for group in groups:
            widths = (
                _num(font.advances[g] * 1000 / font.units_per_em, 3).encode("ascii") for g in group
            )
            lines.append(b"%d [%s]" % (group[0], b"\n".join(_lines(widths))))
        return b"\n".join(lines)

    @staticmethod
    def _to_unicode(use: _FontUse) -> bytes:
        """A ToUnicode CMap mapping each glyph used back to its character."""
        text_of: dict[int, int] = {}
        for codepoint, gid in sorted(use.font.glyph_ids.items(), reverse=True):
            if gid in use.glyphs:
                text_of[gid] = codepoint  # the lowest codepoint wins when glyphs are shared
        entries = [
            b"<%04X> <%s>" % (gid, chr(cp).encode("utf-16-be").hex().upper().encode("ascii"))
            for gid, cp in sorted(text_of.items())
        ]
        blocks = []
        for start in range(0, len(entries), _BFCHAR_BLOCK):
            block = entries[start : start + _BFCHAR_BLOCK]
            blocks.append(b"%d beginbfchar\n%s\nendbfchar" % (len(block), b"\n".join(block)))
        return b"\n".join(
            [
                b"/CIDInit /ProcSet findresource begin",
                b"12 dict begin",
                b"begincmap",
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                b"/CMapName /Adobe-Identity-UCS def",
                b"/CMapType 2 def",
                b"1 begincodespacerange",
                b"<0000> <FFFF>",
                b"endcodespacerange",
                *blocks,
                b"endcmap",
                b"CMapName currentdict /CIDInit /ProcSet findresource exch defineresource pop",
                b"end",
                b"end",
                b"",
            ]
        )

    def _write_xref_and_trailer(self) -> None:
        size = len(self._offsets)
        unwritten = [obj_id for obj_id in range(1, size) if not self._offsets[obj_id]]
        if unwritten:
            raise PdfWriterError(f"objects reserved but never written: {unwritten}")
        startxref = self._written
        file_id = self._digest.hexdigest().upper().encode("ascii")
        self._emit(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for start in range(1, size, 1024):
            chunk = self._offsets[start : start + 1024]
            self._emit(b"".join(b"%010d 00000 n \n" % offset for offset in chunk))
        self._emit(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (size, _CATALOG, _INFO, file_id, file_id, startxref)
        )
