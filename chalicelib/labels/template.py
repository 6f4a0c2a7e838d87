"""Label templates: what goes where on one sticker, and how stickers sit on the printer's stock.

A template is data, not code: a brand edits it through the API (``PUT /labels/templates/{name}``)
and every job keeps a snapshot of the one it was asked with. Lengths are millimetres measured
from the label's top-left corner (how a designer reads a die-cut spec); font sizes are points.

Two kinds of stock:

- ``sheet``: labels in a grid on a page (A4 by default), from the first label's top-left corner
  at (``margin_left_mm``, ``margin_top_mm``), ``gap_x_mm`` / ``gap_y_mm`` apart, as many columns
  and rows as fit unless ``columns`` / ``rows`` say fewer (the die-cut stock's own grid);
- ``roll``: one label per page, the page the size of the label (thermal label printers).

>>> t = BUILTIN_TEMPLATES["2x4cm-a4"]
>>> geometry = sheet_geometry(t)
>>> (geometry.columns, geometry.rows, len(geometry.slots))
(4, 12, 48)
>>> sheet_geometry(BUILTIN_TEMPLATES["1x2cm-roll"]).page_mm
(20.0, 10.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from chalicelib.core.errors import FieldError, Invalid

FIELDS = ("serial", "brand", "instruction", "custom")
LANGUAGES = ("vi", "en")
ALIGNS = ("left", "center", "right")
TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9.\-]{1,39}")
MAX_TEXTS = 8
MAX_CUSTOM_TEXT = 60
MIN_FONT_PT, MAX_FONT_PT = 2.5, 36.0
MIN_LABEL_MM, MAX_LABEL_MM = 8.0, 200.0
MAX_PAGE_MM = 600.0
QUIET_ZONE_MODULES = 4  # ISO/IEC 18004: four light modules around the symbol
# The smallest printed module a phone camera reads reliably at a hand's distance; the encoder
# spends the rest of the QR box on error correction (``labels.qr_codes``).
MIN_MODULE_MM = 0.25
LINE_HEIGHT = 1.2  # of the font size
MM_PER_PT = 25.4 / 72

StockKind = Literal["sheet", "roll"]


@dataclass(frozen=True)
class QrBox:
    """The QR code's square, quiet zone included (the symbol sits 4 modules inside)."""

    x_mm: float
    y_mm: float
    size_mm: float


@dataclass(frozen=True)
class TextBox:
    """One line or a few of text: ``field`` says what (``custom`` prints ``text``), ``y_mm`` is
    the top of the first line. Text wider than ``width_mm`` wraps onto up to ``max_lines`` lines,
    then shrinks down to ``min_font_pt``; a serial shrinks as far as it must, never cut."""

    field: str
    x_mm: float
    y_mm: float
    width_mm: float
    font_pt: float
    bold: bool = False
    align: str = "left"
    max_lines: int = 1
    min_font_pt: float = 0.0  # 0: 70 % of font_pt
    lang: str = "vi"  # the instruction's language
    text: str = ""  # the words of a ``custom`` field (a hotline, a website)

    @property
    def smallest_pt(self) -> float:
        return max(MIN_FONT_PT, self.min_font_pt or round(self.font_pt * 0.7, 2))


@dataclass(frozen=True)
class LabelDesign:
    width_mm: float
    height_mm: float
    qr: QrBox
    texts: tuple[TextBox, ...] = ()


@dataclass(frozen=True)
class Stock:
    kind: StockKind = "sheet"
    page_width_mm: float = 210.0  # A4
    page_height_mm: float = 297.0
    margin_top_mm: float = 10.0
    margin_left_mm: float = 10.0
    gap_x_mm: float = 2.0
    gap_y_mm: float = 2.0
    columns: int = 0  # 0: as many as fit
    rows: int = 0
    outline: bool = False  # stroke each label's outline: a proof print to align with the die-cut


@dataclass(frozen=True)
class LabelTemplate:
    name: str
    design: LabelDesign
    stock: Stock = field(default_factory=Stock)
    builtin: bool = False


@dataclass(frozen=True)
class SheetGeometry:
    page_mm: tuple[float, float]
    columns: int
    rows: int
    slots: tuple[tuple[float, float], ...]  # each label's top-left corner on the page, in order


def sheet_geometry(template: LabelTemplate) -> SheetGeometry:
    """Where the labels of one page go: row by row, left to right."""
    design, stock = template.design, template.stock
    if stock.kind == "roll":
        return SheetGeometry((design.width_mm, design.height_mm), 1, 1, ((0.0, 0.0),))
    columns = _fit(stock.page_width_mm - stock.margin_left_mm, design.width_mm, stock.gap_x_mm)
    rows = _fit(stock.page_height_mm - stock.margin_top_mm, design.height_mm, stock.gap_y_mm)
    columns = min(columns, stock.columns) if stock.columns else columns
    rows = min(rows, stock.rows) if stock.rows else rows
    slots = tuple(
        (
            stock.margin_left_mm + c * (design.width_mm + stock.gap_x_mm),
            stock.margin_top_mm + r * (design.height_mm + stock.gap_y_mm),
        )
        for r in range(rows)
        for c in range(columns)
    )
    return SheetGeometry((stock.page_width_mm, stock.page_height_mm), columns, rows, slots)


def _fit(room: float, size: float, gap: float) -> int:
    # n labels need n*size + (n-1)*gap; a hair of tolerance absorbs float noise (0.1 + 0.2).
    return max(0, math.floor((room + gap + 1e-9) / (size + gap)))


# -- text fitting --------------------------------------------------------------------------

Measure = Callable[[str, float, bool], float]  # (text, size_pt, bold) -> width in points


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    font_pt: float


def fit_text(text: str, box: TextBox, measure: Measure) -> FittedText:
    """Wrap ``text`` into the box's width, shrinking it in steps of 0.25 pt when it does not fit
    on ``max_lines`` lines. Below the smallest size, a serial is shown whole (shrunk as far as it
    must); other words are cut with an ellipsis on the last line."""
    width_pt = box.width_mm / MM_PER_PT
    size = box.font_pt
    while True:
        lines = _wrap(text, width_pt, size, box.bold, measure)
        if len(lines) <= box.max_lines and all(
            measure(line, size, box.bold) <= width_pt + 1e-6 for line in lines
        ):
            return FittedText(tuple(lines), size)
        if size - 0.25 < box.smallest_pt - 1e-9:
            break
        size = round(size - 0.25, 2)
    if box.field == "serial":
        whole = measure(text, 1.0, box.bold)
        return FittedText((text,), max(1.0, min(size, width_pt / whole if whole else size)))
    lines = _wrap(text, width_pt, size, box.bold, measure)[: box.max_lines]
    last = lines[-1]
    while last and measure(last + "…", size, box.bold) > width_pt + 1e-6:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return FittedText(tuple(lines), size)


def _wrap(text: str, width_pt: float, size: float, bold: bool, measure: Measure) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate, size, bold) > width_pt + 1e-6:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


# -- validation ----------------------------------------------------------------------------


def validate_template(template: LabelTemplate) -> LabelTemplate:
    """Every rule a template must keep; :class:`Invalid` lists each broken one by field."""
    errors: list[FieldError] = []
    design, stock = template.design, template.stock
    if not TEMPLATE_NAME.fullmatch(template.name):
        errors.append(FieldError("name", "template_name_invalid"))
    for name in ("width_mm", "height_mm"):
        if not MIN_LABEL_MM <= getattr(design, name) <= MAX_LABEL_MM:
            errors.append(FieldError(f"label.{name}", "out_of_range"))
    qr = design.qr
    if qr.size_mm < 8.0:
        errors.append(FieldError("label.qr.size_mm", "qr_too_small"))
    if not _inside(qr.x_mm, qr.y_mm, qr.size_mm, qr.size_mm, design):
        errors.append(FieldError("label.qr", "element_outside_label"))
    if len(design.texts) > MAX_TEXTS:
        errors.append(FieldError("label.texts", "too_many"))
    for i, box in enumerate(design.texts):
        errors.extend(_text_errors(f"label.texts.{i}", box, design))
    if stock.kind not in ("sheet", "roll"):
        errors.append(FieldError("stock.kind", "value_not_allowed"))
    elif stock.kind == "sheet":
        errors.extend(_stock_errors(stock))
        if not errors and not sheet_geometry(template).slots:
            errors.append(FieldError("stock", "labels_do_not_fit"))
    if errors:
        raise Invalid("label_template_invalid", fields=errors)
    return template


def _inside(x: float, y: float, w: float, h: float, design: LabelDesign) -> bool:
    tolerance = 1e-6
    return (
        x >= -tolerance
        and y >= -tolerance
        and x + w <= design.width_mm + tolerance
        and y + h <= design.height_mm + tolerance
    )


def _text_errors(path: str, box: TextBox, design: LabelDesign) -> list[FieldError]:
    errors: list[FieldError] = []
    if box.field not in FIELDS:
        errors.append(FieldError(f"{path}.field", "value_not_allowed"))
    if box.align not in ALIGNS:
        errors.append(FieldError(f"{path}.align", "value_not_allowed"))
    if box.lang not in LANGUAGES:
        errors.append(FieldError(f"{path}.lang", "value_not_allowed"))
    if not MIN_FONT_PT <= box.font_pt <= MAX_FONT_PT:
        errors.append(FieldError(f"{path}.font_pt", "out_of_range"))
    if box.min_font_pt and not MIN_FONT_PT <= box.min_font_pt <= box.font_pt:
        errors.append(FieldError(f"{path}.min_font_pt", "out_of_range"))
    if not 1 <= box.max_lines <= 4:
        errors.append(FieldError(f"{path}.max_lines", "out_of_range"))
    if box.field == "custom" and not 1 <= len(box.text.strip()) <= MAX_CUSTOM_TEXT:
        errors.append(FieldError(f"{path}.text", "required"))
    height = box.max_lines * box.smallest_pt * LINE_HEIGHT * MM_PER_PT
    if box.width_mm <= 0 or not _inside(box.x_mm, box.y_mm, box.width_mm, height, design):
        errors.append(FieldError(path, "element_outside_label"))
    return errors


def _stock_errors(stock: Stock) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("page_width_mm", "page_height_mm"):
        if not 20.0 <= getattr(stock, name) <= MAX_PAGE_MM:
            errors.append(FieldError(f"stock.{name}", "out_of_range"))
    for name in ("margin_top_mm", "margin_left_mm", "gap_x_mm", "gap_y_mm"):
        if not 0.0 <= getattr(stock, name) <= 100.0:
            errors.append(FieldError(f"stock.{name}", "out_of_range"))
    for name in ("columns", "rows"):
        if not 0 <= getattr(stock, name) <= 100:
            errors.append(FieldError(f"stock.{name}", "out_of_range"))
    return errors


# -- documents (API and storage) -----------------------------------------------------------


def template_to_dict(template: LabelTemplate) -> dict[str, Any]:
    design = template.design
    return {
        "name": template.name,
        "builtin": template.builtin,
        "label": {
            "width_mm": design.width_mm,
            "height_mm": design.height_mm,
            "qr": {"x_mm": design.qr.x_mm, "y_mm": design.qr.y_mm, "size_mm": design.qr.size_mm},
            "texts": [_text_to_dict(box) for box in design.texts],
        },
        "stock": stock_to_dict(template.stock),
    }


def _text_to_dict(box: TextBox) -> dict[str, Any]:
    out: dict[str, Any] = {
        "field": box.field,
        "x_mm": box.x_mm,
        "y_mm": box.y_mm,
        "width_mm": box.width_mm,
        "font_pt": box.font_pt,
        "bold": box.bold,
        "align": box.align,
        "max_lines": box.max_lines,
    }
    if box.min_font_pt:
        out["min_font_pt"] = box.min_font_pt
    if box.field == "instruction":
        out["lang"] = box.lang
    if box.field == "custom":
        out["text"] = box.text
    return out


def stock_to_dict(stock: Stock) -> dict[str, Any]:
    if stock.kind == "roll":
        return {"kind": "roll", "outline": stock.outline}
    return {
        "kind": "sheet",
        "page_width_mm": stock.page_width_mm,
        "page_height_mm": stock.page_height_mm,
        "margin_top_mm": stock.margin_top_mm,
        "margin_left_mm": stock.margin_left_mm,
        "gap_x_mm": stock.gap_x_mm,
        "gap_y_mm": stock.gap_y_mm,
        "columns": stock.columns,
        "rows": stock.rows,
        "outline": stock.outline,
    }


def template_from_dict(doc: Mapping[str, Any], *, name: str | None = None) -> LabelTemplate:
    """The inverse of :func:`template_to_dict` for documents already checked by the API's
    schema or written by this module (stored templates, job snapshots)."""
    label = doc["label"]
    qr = label["qr"]
    texts = tuple(
        TextBox(
            field=t["field"],
            x_mm=float(t["x_mm"]),
            y_mm=float(t["y_mm"]),
            width_mm=float(t["width_mm"]),
            font_pt=float(t["font_pt"]),
            bold=bool(t.get("bold", False)),
            align=str(t.get("align", "left")),
            max_lines=int(t.get("max_lines", 1)),
            min_font_pt=float(t.get("min_font_pt", 0.0)),
            lang=str(t.get("lang", "vi")),
            text=str(t.get("text", "")),
        )
        for t in label.get("texts", [])
    )
    design = LabelDesign(
        float(label["width_mm"]),
        float(label["height_mm"]),
        QrBox(float(qr["x_mm"]), float(qr["y_mm"]), float(qr["size_mm"])),
        texts,
    )
    return LabelTemplate(
        name=name or str(doc["name"]),
        design=design,
        stock=stock_from_dict(doc.get("stock") or {}),
        builtin=bool(doc.get("builtin", False)),
    )


def stock_from_dict(doc: Mapping[str, Any]) -> Stock:
    kind = doc.get("kind", "sheet")
    if kind == "roll":
        return Stock(kind="roll", outline=bool(doc.get("outline", False)))
    defaults = Stock()
    return Stock(
        kind="sheet",
        page_width_mm=float(doc.get("page_width_mm", defaults.page_width_mm)),
        page_height_mm=float(doc.get("page_height_mm", defaults.page_height_mm)),
        margin_top_mm=float(doc.get("margin_top_mm", defaults.margin_top_mm)),
        margin_left_mm=float(doc.get("margin_left_mm", defaults.margin_left_mm)),
        gap_x_mm=float(doc.get("gap_x_mm", defaults.gap_x_mm)),
        gap_y_mm=float(doc.get("gap_y_mm", defaults.gap_y_mm)),
        columns=int(doc.get("columns", 0)),
        rows=int(doc.get("rows", 0)),
        outline=bool(doc.get("outline", False)),
    )


def with_stock(template: LabelTemplate, stock: Stock) -> LabelTemplate:
    return validate_template(replace(template, stock=stock))


# -- the built-in templates: the three sticker sizes, on A4 sheets and on rolls -------------


def _design(
    width: float, height: float, rows: tuple[tuple[str, float, float, int, str], ...]
) -> LabelDesign:
    """A square QR on the left, the height of the label; texts stacked in the rest."""
    qr = QrBox(0.0, 0.0, height)
    x = height + 0.2
    texts = tuple(
        TextBox(
            field=field_name,
            x_mm=x,
            y_mm=y,
            width_mm=round(width - x - 0.5, 2),
            font_pt=size,
            bold=field_name == "brand",
            max_lines=lines,
            lang=lang,
        )
        for field_name, y, size, lines, lang in rows
    )
    return LabelDesign(width, height, qr, texts)


_DESIGNS = {
    # 1×2 cm: brand, serial, the Vietnamese instruction on two lines.
    "1x2cm": _design(
        20.0,
        10.0,
        (
            ("brand", 0.9, 4.5, 1, "vi"),
            ("serial", 3.0, 4.5, 1, "vi"),
            ("instruction", 5.2, 3.6, 2, "vi"),
        ),
    ),
    # 1.5×3 cm: the same, larger, and the English instruction.
    "1.5x3cm": _design(
        30.0,
        15.0,
        (
            ("brand", 1.2, 6.5, 1, "vi"),
            ("serial", 4.2, 6.0, 1, "vi"),
            ("instruction", 7.2, 4.6, 2, "vi"),
            ("instruction", 11.2, 3.8, 2, "en"),
        ),
    ),
    # 2×4 cm.
    "2x4cm": _design(
        40.0,
        20.0,
        (
            ("brand", 1.6, 8.5, 1, "vi"),
            ("serial", 5.4, 8.0, 1, "vi"),
            ("instruction", 9.6, 6.0, 2, "vi"),
            ("instruction", 14.8, 5.0, 2, "en"),
        ),
    ),
}
_SHEETS = {
    "1x2cm": Stock(margin_top_mm=8.5, margin_left_mm=9.0, gap_x_mm=2.0, gap_y_mm=2.0),
    "1.5x3cm": Stock(margin_top_mm=10.5, margin_left_mm=10.5, gap_x_mm=3.0, gap_y_mm=3.0),
    "2x4cm": Stock(margin_top_mm=10.5, margin_left_mm=11.0, gap_x_mm=8.0, gap_y_mm=3.0),
}


def _builtins() -> dict[str, LabelTemplate]:
    out: dict[str, LabelTemplate] = {}
    for size, design in _DESIGNS.items():
        for stock_name, stock in (("a4", _SHEETS[size]), ("roll", Stock(kind="roll"))):
            name = f"{size}-{stock_name}"
            out[name] = validate_template(LabelTemplate(name, design, stock, builtin=True))
    return out


BUILTIN_TEMPLATES: dict[str, LabelTemplate] = _builtins()
DEFAULT_TEMPLATE = "2x4cm-a4"
