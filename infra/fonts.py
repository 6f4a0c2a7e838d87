"""Rebuild the label fonts: ``python -m infra.fonts`` (needs Debian's fonts-dejavu and fontTools).

The PDF writer (:mod:`chalicelib.labels.pdf`) embeds DejaVu Sans Condensed, regular and
bold, cut down to what Vietnamese labels use so each sheet carries ~40 KB of font rather than
~700 KB. For each face this writes into ``chalicelib/labels/fonts/``:

* ``<name>-vi.ttf``: a ``glyf`` TrueType subset, hinting dropped (labels print at 300+ dpi, where
  hints change nothing), no layout tables (the writer does no shaping or kerning), no glyph
  names;
* ``<name>-vi.json``: the metrics the writer needs, so Lambda never parses a TTF and fontTools
  stays a development dependency;
* ``LICENSE-DejaVu.txt``: the Bitstream Vera / DejaVu licence, which must travel with the fonts.

The output is deterministic (no timestamps), so a rebuild from the same Debian package is a
no-op in ``git diff``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE_DIR = Path("/usr/share/fonts/truetype/dejavu")
LICENSE_SOURCE = Path("/usr/share/doc/fonts-dejavu-core/copyright")
ASSETS_DIR = Path(__file__).resolve().parents[1] / "chalicelib" / "labels" / "fonts"

# key -> (Debian file, output stem). The keys are what `load_font` accepts.
FACES = {
    "regular": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-vi"),
    "bold": ("DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Bold-vi"),
}


def _span(first: int, last: int) -> range:
    return range(first, last + 1)


# Everything a Vietnamese label can need, plus the Western European letters and punctuation
# that turn up in product names and addresses.
CODEPOINTS: frozenset[int] = frozenset(
    [
        *_span(0x0020, 0x007E),  # Basic Latin
        *_span(0x00A0, 0x00FF),  # Latin-1 Supplement, no-break space included
        *_span(0x0100, 0x017F),  # Latin Extended-A (Đ đ are U+0110/0111)
        *_span(0x1E00, 0x1EFF),  # Latin Extended Additional: every precomposed Vietnamese letter
        0x01A0,  # Ơ
        0x01A1,  # ơ
        0x01AF,  # Ư
        0x01B0,  # ư
        # Combining marks Vietnamese uses, for text NFC cannot fully precompose.
        0x0300,
        0x0301,
        0x0302,
        0x0303,
        0x0309,
        0x0323,
        0x2013,  # –
        0x2014,  # —
        0x2018,  # ‘
        0x2019,  # ’
        0x201C,  # “
        0x201D,  # ”
        0x2022,  # •
        0x2026,  # …
        0x20AB,  # ₫
    ]
)


def _subset_options() -> subset.Options:
    options = subset.Options()
    options.hinting = False  # drops fpgm/prep/cvt and glyph instructions
    options.layout_features = []
    options.drop_tables = [
        *options.drop_tables,
        "FFTM",
        "GDEF",
        "GPOS",
        "GSUB",
        "kern",
        "MATH",
        "gasp",
    ]
    options.glyph_names = False  # post format 3
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence records
    options.prune_unicode_ranges = True
    options.recalc_bounds = True
    options.recalc_timestamp = False
    return options


def subset_face(source: Path, target: Path, codepoints: Iterable[int]) -> None:
    """Write the subset of ``source`` covering ``codepoints`` (those it has) to ``target``."""
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    font.save(target)


def _cap_height(font: TTFont) -> int:
    os2 = font["OS/2"]
    if os2.version >= 2 and os2.sCapHeight:
        return int(os2.sCapHeight)
    # DejaVu ships OS/2 version 1, which has no sCapHeight: measure the H.
    glyf = font["glyf"]
    glyph = glyf[font.getBestCmap()[ord("H")]]
    glyph.recalcBounds(glyf)
    return int(glyph.yMax)


def _stem_v(weight_class: int) -> int:
    # The usual estimate when the font has no hint data to read StemV from (PDF needs one).
    return 50 + round((weight_class / 65) ** 2)


def face_metrics(key: str, path: Path) -> dict[str, Any]:
    """The JSON the runtime `Font` is built from, read from the subset TTF at ``path``."""
    font = TTFont(path)
    head, hhea, post = font["head"], font["hhea"], font["post"]
    order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    advances = [int(font["hmtx"][name][0]) for name in order]
    data = path.read_bytes()
    return {
        "key": key,
        "file": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "postscript_name": font["name"].getDebugName(6),
        "units_per_em": int(head.unitsPerEm),
        "ascent": int(hhea.ascent),
        "descent": int(hhea.descent),
        "cap_height": _cap_height(font),
        "bbox": [int(head.xMin), int(head.yMin), int(head.xMax), int(head.yMax)],
        "italic_angle": float(post.italicAngle),
        "stem_v": _stem_v(int(font["OS/2"].usWeightClass)),
        "glyph_ids": {str(cp): font.getGlyphID(name) for cp, name in sorted(cmap.items())},
        "advances": advances,
    }


def _metrics_json(metrics: dict[str, Any]) -> str:
    # One key per line, each value compact: reviewable in a diff, and ~14 KB rather than ~40.
    lines = [
        f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in metrics.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def build(assets_dir: Path = ASSETS_DIR, source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Regenerate every face and the licence; returns the files written."""
    assets_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for key, (source_name, stem) in FACES.items():
        ttf = assets_dir / f"{stem}.ttf"
        subset_face(source_dir / source_name, ttf, CODEPOINTS)
        metrics = assets_dir / f"{stem}.json"
        metrics.write_text(_metrics_json(face_metrics(key, ttf)), encoding="utf-8")
        written += [ttf, metrics]
    licence = assets_dir / "LICENSE-DejaVu.txt"
    shutil.copyfile(LICENSE_SOURCE, licence)
    written.append(licence)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ASSETS_DIR, help="assets directory")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(f"{path.stat().st_size:>8}  {path}")


if __name__ == "__main__":
    main()
