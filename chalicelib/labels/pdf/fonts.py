"""The label fonts: DejaVu Sans Condensed subsets that cover Vietnamese, with their metrics.

Metrics come from the JSON sidecar that ``python -m infra.fonts`` writes next to each TTF, so
the runtime never parses a font file (fontTools is a development dependency only). Text is
NFC-normalised before every lookup: Vietnamese typed as base letter + combining marks (as some
keyboards and spreadsheets produce) maps to the precomposed glyph, never to a mark drawn over a
letter.

>>> font = load_font("regular")
>>> font.missing("Giá 漢₫ 漢 字")
'漢字'
>>> font.glyphs("ế") == font.glyphs("e\\u0302\\u0301")  # NFD: e + circumflex + acute
True
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

# The face keys and the asset stem each one is read from.
_FACES: Mapping[str, str] = MappingProxyType(
    {"regular": "DejaVuSansCondensed-vi", "bold": "DejaVuSansCondensed-Bold-vi"}
)
FONT_KEYS: tuple[str, ...] = tuple(_FACES)


def _asset(name: str) -> resources.abc.Traversable:
    # `chalicelib` is a regular package and Chalice ships the whole directory, assets included.
    return resources.files("chalicelib.labels") / "fonts" / name


@dataclass(frozen=True)
class Font:
    """One embedded face; metrics in font units (``units_per_em`` to the em).

    The glyph tables are left out of equality and hashing: a `Font` is identified by its key
    and metrics, and `load_font` returns one instance per key anyway.
    """

    key: str
    postscript_name: str
    units_per_em: int
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    glyph_ids: Mapping[int, int] = field(compare=False, repr=False)
    advances: Sequence[int] = field(compare=False, repr=False)
    italic_angle: float = 0.0
    stem_v: int = 80
    file_name: str = field(default="", compare=False, repr=False)

    def width_pt(self, text: str, size_pt: float) -> float:
        """The advance of ``text`` set at ``size_pt``, in points; unknown characters count 0.

        Call `missing` first when the text is not known to be covered: `Page.text` refuses it.
        """
        glyph_ids, advances = self.glyph_ids, self.advances
        units = sum(advances[glyph_ids[ch]] for ch in _codepoints(text) if ch in glyph_ids)
        return units * size_pt / self.units_per_em

    def missing(self, text: str) -> str:
        """The characters of (NFC) ``text`` this font has no glyph for, in order, once each."""
        absent = (chr(cp) for cp in _codepoints(text) if cp not in self.glyph_ids)
        return "".join(dict.fromkeys(absent))

    def glyphs(self, text: str) -> list[int]:
        """The glyph ids that set (NFC) ``text``; raises ValueError naming any missing character."""
        absent = self.missing(text)
        if absent:
            names = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in absent)
            raise ValueError(f"font {self.postscript_name} has no glyph for {names}")
        return [self.glyph_ids[cp] for cp in _codepoints(text)]

    def data(self) -> bytes:
        """The TrueType file (a ``glyf`` subset), read from the package on each call."""
        return _asset(self.file_name).read_bytes()


def _codepoints(text: str) -> list[int]:
    return [ord(ch) for ch in unicodedata.normalize("NFC", text)]


@functools.cache
def load_font(key: str) -> Font:
    """The face ``key`` ("regular" or "bold"), loaded once per process.

    Raises ValueError for any other key.
    """
    stem = _FACES.get(key)
    if stem is None:
        raise ValueError(f"unknown font {key!r}; expected one of {', '.join(FONT_KEYS)}")
    raw: dict[str, Any] = json.loads(_asset(f"{stem}.json").read_text(encoding="utf-8"))
    xmin, ymin, xmax, ymax = (int(v) for v in raw["bbox"])
    return Font(
        key=key,
        postscript_name=str(raw["postscript_name"]),
        units_per_em=int(raw["units_per_em"]),
        ascent=int(raw["ascent"]),
        descent=int(raw["descent"]),
        cap_height=int(raw["cap_height"]),
        bbox=(xmin, ymin, xmax, ymax),
        glyph_ids=MappingProxyType({int(cp): int(gid) for cp, gid in raw["glyph_ids"].items()}),
        advances=tuple(int(a) for a in raw["advances"]),
        italic_angle=float(raw["italic_angle"]),
        stem_v=int(raw["stem_v"]),
        file_name=str(raw["file"]),
    )
