"""QR stickers and label sheets (the labels issue): labels per second for one unit's PNG, one
unit's SVG and PDF sheets (2x4cm-a4 and 1x2cm-a4), which part of a sheet's time dominates (QR
encoding or PDF writing), ``qrcode`` (our encoder) against ``segno`` on the same work, and peak
memory for 1,000 labels against 100,000 (the goal: flat).

Same work means the same URLs (the real shape, ``{portal}/q/{token}`` with a token from a QR
keyring), the same error level and, for the matrix, the same segments: ``qrcode`` splits the URL
into byte, alphanumeric and numeric segments by itself and ``segno`` is given that split, so both
make a symbol of the same version (``segno`` on the whole string in byte mode is shown too: a
version larger). The two libraries choose their own mask, so the modules differ; both decode.

Every figure is measured in this run; comparisons are ratios of two figures from it. Memory is
measured in fresh processes (``ru_maxrss``), one per size, so neither inherits the other's heap.
``GARANTI_BENCH_LABELS_BIG`` (default 100,000) sets the big one: about 15 minutes of CPU, a
developer may ask for fewer.
"""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from chalicelib.catalog.serials import generated_serial
from chalicelib.core.qr_token import QrKeyring
from chalicelib.labels import qr_codes
from chalicelib.labels.qr_codes import QrSymbol
from chalicelib.labels.qr_pool import available_cpus
from chalicelib.labels.sheets import (
    LabelContent,
    SheetTexts,
    render_sheets,
)
from chalicelib.labels.template import BUILTIN_TEMPLATES

REPO = Path(__file__).resolve().parents[1]
PORTAL = "http://127.0.0.1:8080"
KEYRING = QrKeyring(active_key_id=2, keys={2: bytes.fromhex("44" * 32)})  # the demo's shape
TEXTS = SheetTexts(
    "Garanti Demo", {"vi": "Quét để kích hoạt bảo hành", "en": "Scan to activate warranty"}
)
SHEETS = ("2x4cm-a4", "1x2cm-a4")
IMAGES = 300  # PNG and SVG, each library: three rounds of 100
MATRICES = 300  # QR matrices, each library and level: three rounds of 100
SHEET_LABELS = 432  # three rounds of 144: 3 pages of 2x4cm-a4, 2/3 of a 1x2cm-a4 page
SMALL = 1_000
BIG = int(os.environ.get("GARANTI_BENCH_LABELS_BIG", "100000"))
LAMBDA_SECONDS = 15 * 60
ENV_BIG = "GARANTI_BENCH_LABELS_BIG"
WORKERS = int(os.environ.get("GARANTI_LABEL_WORKERS", "0")) or available_cpus()


def label(sequence: int) -> LabelContent:
    serial = generated_serial("GAR", sequence)
    return LabelContent(serial, f"{PORTAL}/q/{KEYRING.issue(serial)}")


def labels(count: int) -> Iterator[LabelContent]:
    """Labels made as they are printed, one at a time: a big run never holds them all."""
    return (label(n) for n in range(1, count + 1))


def per_second(work: Callable[[str], object], urls: Sequence[str], rounds: int = 3) -> float:
    """The fastest of ``rounds`` runs over consecutive parts of ``urls``: the figure least
    disturbed by whatever else the machine does."""
    size = max(1, len(urls) // rounds)
    best = 0.0
    for start in range(0, size * rounds, size):
        part = urls[start : start + size]
        started = time.perf_counter()
        for url in part:
            work(url)
        best = max(best, len(part) / (time.perf_counter() - started))
    return best


# -- segno and plain qrcode, for the like-for-like comparison -------------------------------


def segments(url: str) -> list[tuple[str, int]]:
    """``qrcode``'s own split of ``url``, in the mode numbers both libraries share (1 numeric,
    2 alphanumeric, 4 byte)."""
    from qrcode.util import optimal_data_chunks

    return [(chunk.data.decode("ascii"), int(chunk.mode)) for chunk in optimal_data_chunks(url)]


def segno_symbol(url: str, level: str) -> Any:
    import segno

    # segno takes a list of (text, mode) segments (its encoder's prepare_data), which its
    # type hints do not say.
    return segno.make_qr(cast(Any, segments(url)), error=level.lower(), boost_error=False)


def segno_whole(url: str, level: str) -> Any:
    import segno

    return segno.make_qr(url, error=level.lower(), boost_error=False)


def segno_matrix(url: str, level: str, whole: bool = False) -> Any:
    return (segno_whole if whole else segno_symbol)(url, level).matrix


def qrcode_matrix(url: str, level: str) -> list[list[bool]]:
    """What ``qr_codes.encode`` builds once the level is chosen (its sizing left out)."""
    import qrcode
    from qrcode import constants

    levels = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M}
    levels["Q"] = constants.ERROR_CORRECT_Q
    code = qrcode.QRCode(error_correction=levels[level], border=0)
    code.add_data(url)
    code.make(fit=True)
    modules: list[list[bool]] = code.modules
    return modules


def segno_encoder(levels: dict[float, str]) -> Callable[[str, float], QrSymbol]:
    """A sheet encoder on segno, at the level qrcode chose for the box size (the same symbol
    size, so the same page)."""

    def encode(url: str, box_mm: float) -> QrSymbol:
        symbol = segno_symbol(url, levels[box_mm])
        modules = tuple(tuple(bool(v) for v in row) for row in symbol.matrix)
        return QrSymbol(url, levels[box_mm], int(symbol.version), modules)

    return encode


def segno_png(url: str) -> bytes:
    out = io.BytesIO()
    segno_symbol(url, "M").save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def segno_svg(url: str) -> bytes:
    symbol = segno_symbol(url, "M")
    out = io.BytesIO()
    width = symbol.symbol_size(scale=1, border=4)[0]
    symbol.save(out, kind="svg", scale=20 / width, border=4, unit="mm")
    return out.getvalue()


# -- the measurements ----------------------------------------------------------------------


def _images(urls: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kinds: tuple[tuple[str, Callable[[str], bytes], Callable[[str], bytes]], ...] = (
        ("png", qr_codes.png, segno_png),
        ("svg", qr_codes.svg, segno_svg),
    )
    for kind, ours, theirs in kinds:
        ours(urls[0])  # warm
        theirs(urls[0])
        q = per_second(ours, urls)
        s = per_second(theirs, urls)
        out[kind] = {
            "qrcode_labels_per_second": round(q, 1),
            "segno_labels_per_second": round(s, 1),
            "segno_vs_qrcode_ratio": round(s / q, 2),
        }
    return out


def _matrices(urls: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SHEETS:
        box = BUILTIN_TEMPLATES[name].design.qr.size_mm
        chosen = qr_codes.encode(urls[0], box_mm=box)
        level = chosen.error_correction
        same = segno_symbol(urls[0], level)
        whole = segno_whole(urls[0], level)
        if int(same.version) != chosen.version:
            raise AssertionError(f"segno made version {same.version}, qrcode {chosen.version}")
        production = per_second(functools.partial(qr_codes.encode, box_mm=box), urls)
        plain = per_second(functools.partial(qrcode_matrix, level=level), urls)
        like = per_second(functools.partial(segno_matrix, level=level), urls)
        auto = per_second(functools.partial(segno_matrix, level=level, whole=True), urls)
        out[f"{box:g}mm_box"] = {
            "template": name,
            "level": level,
            "version_qrcode": chosen.version,
            "version_segno_same_segments": int(same.version),
            "version_segno_whole_string": int(whole.version),
            "qrcode_encode_with_sizing_per_second": round(production, 1),
            "qrcode_matrix_per_second": round(plain, 1),
            "segno_matrix_same_segments_per_second": round(like, 1),
            "segno_matrix_whole_string_per_second": round(auto, 1),
            "segno_vs_qrcode_ratio": round(like / plain, 2),
        }
    return out


def _render_rate(
    name: str, content: Sequence[LabelContent], rounds: int = 3, **options: Any
) -> float:
    """Labels per second rendering ``content`` to a temporary file: the fastest of ``rounds``
    renders of consecutive parts, as in :func:`per_second`."""
    size = max(1, len(content) // rounds)
    best = 0.0
    for start in range(0, size * rounds, size):
        part = content[start : start + size]
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            render_sheets(BUILTIN_TEMPLATES[name], part, out, texts=TEXTS, **options)
            best = max(best, len(part) / (time.perf_counter() - started))
    return best


def _encoded(symbols: dict[str, QrSymbol]) -> Callable[[str, float], QrSymbol]:
    """A sheet encoder that only looks up symbols made beforehand: the render is then the PDF
    writing alone."""

    def encoder(url: str, box_mm: float) -> QrSymbol:
        return symbols[url]

    return encoder


def _sheets(content: Sequence[LabelContent]) -> dict[str, Any]:
    """Each template: the whole render, the QR encoding alone, the render with every symbol
    encoded beforehand (PDF writing alone) and the whole render with segno as the encoder."""
    out: dict[str, Any] = {}
    urls = [c.url for c in content]
    for name in SHEETS:
        box = BUILTIN_TEMPLATES[name].design.qr.size_mm
        _render_rate(name, content[:15])  # warm: fonts, text fitting
        whole = _render_rate(name, content)
        encoding = per_second(functools.partial(qr_codes.encode, box_mm=box), urls)
        symbols = {u: qr_codes.encode(u, box_mm=box) for u in urls}
        writing = _render_rate(name, content, encoder=_encoded(symbols))
        level = symbols[urls[0]].error_correction
        with_segno = _render_rate(name, content, encoder=segno_encoder({box: level}))
        pooled = _render_rate(name, content, workers=WORKERS)
        out[name] = {
            "labels": len(content),
            "pdf_labels_per_second": round(whole, 1),
            f"pdf_labels_per_second_{WORKERS}_encoder_processes": round(pooled, 1),
            "encoder_processes_speedup": round(pooled / whole, 2),
            "qr_encoding_labels_per_second": round(encoding, 1),
            "pdf_writing_labels_per_second": round(writing, 1),
            "qr_encoding_share_of_time": round((1 / encoding) / (1 / encoding + 1 / writing), 3),
            "pdf_labels_per_second_with_segno": round(with_segno, 1),
            "segno_vs_qrcode_pdf_ratio": round(with_segno / whole, 2),
        }
    return out


# -- memory: one fresh process per size ----------------------------------------------------


def _previews(rounds: int = 9) -> dict[str, Any]:
    """The console's live preview (``labels.preview``): milliseconds to draw one label and one
    page as SVG, the first call (fonts read and encoded) and the median of the next ``rounds``;
    1x2cm-a4 is the fullest page (216 labels). The goal: a sheet under 300 ms."""
    from chalicelib.labels.preview import PreviewKind, render_preview

    kinds: tuple[PreviewKind, ...] = ("label", "sheet")
    serials = [generated_serial("GAR", n) for n in range(1, 217)]
    url = label(1).url
    out: dict[str, Any] = {}
    for name in ("1x2cm-a4", "2x4cm-a4"):
        for what in kinds:
            times = []
            for _ in range(rounds + 1):
                started = time.perf_counter()
                render_preview(
                    BUILTIN_TEMPLATES[name],
                    what,
                    texts=TEXTS,
                    serials=serials,
                    url_of=lambda _serial: url,
                )
                times.append((time.perf_counter() - started) * 1000)
            out[f"{name}_{what}"] = {
                "first": round(times[0], 1),
                "median": round(sorted(times[1:])[rounds // 2], 1),
            }
    return out


def _rss_mb() -> float:
    """The process's resident set now (Linux), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def memory_child(count: int, template: str = "2x4cm-a4") -> dict[str, Any]:
    """Run in a fresh interpreter: render ``count`` labels to a temporary file. Reports the
    peak resident set (``ru_maxrss``) before the render (imports, font metrics, one page
    warmed) and after it, and the resident set read after every page (first, last, highest):
    the peak of a short run is often set at start-up, the per-page figures show the render's
    own footprint."""
    import resource

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

    render_sheets(BUILTIN_TEMPLATES[template], labels(48), io.BytesIO(), texts=TEXTS)
    before = peak_mb()
    rss: dict[str, float] = {}
    tell_every = max(count // 10, 1) if count > SMALL else count + 1
    started = time.perf_counter()

    def on_page(pages: int, written: int) -> None:
        now = _rss_mb()
        rss.setdefault("first", now)
        rss["last"] = now
        rss["max"] = max(rss.get("max", 0.0), now)
        if written // tell_every > rss.get("told", 0):
            rss["told"] = written // tell_every
            elapsed = time.perf_counter() - started
            print(f"  {written:,} of {count:,} labels, {elapsed:,.0f} s", file=sys.stderr)

    with tempfile.TemporaryFile() as out:
        report = render_sheets(
            BUILTIN_TEMPLATES[template],
            labels(count),
            out,
            texts=TEXTS,
            on_page=on_page,
            workers=WORKERS,  # as a label job runs: one QR encoder process per CPU
        )
    seconds = time.perf_counter() - started
    return {
        "labels": report.labels,
        "encoder_processes": WORKERS,
        "pages": report.pages,
        "pdf_bytes": report.bytes,
        "seconds": round(seconds, 1),
        "peak_rss_mb_before_render": round(before, 1),
        "peak_rss_mb": round(peak_mb(), 1),
        "rss_mb_after_first_page": round(rss["first"], 1),
        "rss_mb_after_last_page": round(rss["last"], 1),
        "rss_mb_highest_after_a_page": round(rss["max"], 1),
    }


def _memory(count: int) -> dict[str, Any]:
    code = (
        "import json, sys\n"
        "from bench.labels import memory_child\n"
        "print(json.dumps(memory_child(int(sys.argv[1]))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the run -------------------------------------------------------------------------------


def run() -> dict[str, Any]:
    content = [label(n) for n in range(1, SHEET_LABELS + 1)]
    urls = [c.url for c in content]
    images = _images(urls[:IMAGES])
    matrices = _matrices(urls[:MATRICES])
    sheets = _sheets(content)
    rate = sheets["2x4cm-a4"]["pdf_labels_per_second"]
    print(
        f"  peak memory: {SMALL:,} labels, then {BIG:,} (about {BIG / rate / 60:.0f} min at "
        f"{rate:g} labels/s; {ENV_BIG} sets the count), each in a fresh process …",
        file=sys.stderr,
        flush=True,
    )
    previews = _previews()
    small, big = _memory(SMALL), _memory(BIG)
    memory = {
        "template": "2x4cm-a4",
        f"labels_{SMALL}": small,
        f"labels_{BIG}": big,
        "peak_rss_big_vs_small_ratio": round(big["peak_rss_mb"] / small["peak_rss_mb"], 3),
        "rss_during_render_big_vs_small_ratio": round(
            big["rss_mb_highest_after_a_page"] / small["rss_mb_highest_after_a_page"], 3
        ),
        "big_run_share_of_lambda_15_min": round(big["seconds"] / LAMBDA_SECONDS, 2),
    }
    return {
        "labels_per_second_png": images["png"],
        "labels_per_second_svg": images["svg"],
        "qr_matrix_same_work": matrices,
        "pdf_sheets": sheets,
        "console_preview_ms": previews,
        "peak_memory": memory,
        "note": closing_note(images, matrices, sheets, memory),
    }


def closing_note(
    images: dict[str, Any],
    matrices: dict[str, Any],
    sheets: dict[str, Any],
    memory: dict[str, Any],
) -> str:
    """What dominates a sheet and whether segno is more than twice as fast on it; the same for
    one unit's PNG and SVG; whether memory is flat; whether the big job fits one Lambda run.
    Each claim with its numbers."""
    main = sheets["2x4cm-a4"]
    share = main["qr_encoding_share_of_time"]
    dominant = "QR encoding" if share >= 0.5 else "PDF writing"
    parts = [
        f"PDF sheets (2x4cm-a4): {dominant} dominates, {max(share, 1 - share):.0%} of the "
        f"time (encoding alone {main['qr_encoding_labels_per_second']:g} labels/s, writing "
        f"alone {main['pdf_writing_labels_per_second']:g} labels/s, both "
        f"{main['pdf_labels_per_second']:g} labels/s)."
    ]
    ratios = [
        f"{m['segno_vs_qrcode_ratio']:.2f}x ({m['segno_matrix_same_segments_per_second']:g} vs "
        f"{m['qrcode_matrix_per_second']:g}/s, {box.replace('_', ' ')}, level {m['level']})"
        for box, m in matrices.items()
    ]
    faster = max(m["segno_vs_qrcode_ratio"] for m in matrices.values()) > 2
    verdict = "MORE than twice as fast: worth switching" if faster else "not twice as fast"
    if dominant == "QR encoding":
        parts.append(
            f"segno on the same QR matrices: {' and '.join(ratios)}; whole sheet with segno "
            f"{main['segno_vs_qrcode_pdf_ratio']:.2f}x: {verdict}."
        )
    for kind in ("png", "svg"):
        figures = images[kind]
        ratio = figures["segno_vs_qrcode_ratio"]
        if ratio > 2:
            ms_ours = 1000 / figures["qrcode_labels_per_second"]
            ms_theirs = 1000 / figures["segno_labels_per_second"]
            parts.append(
                f"One unit's {kind.upper()}: segno is more than twice as fast, {ratio:.2f}x "
                f"({figures['segno_labels_per_second']:g} vs "
                f"{figures['qrcode_labels_per_second']:g}/s, {ms_theirs:.0f} ms vs "
                f"{ms_ours:.0f} ms a request)."
            )
    small, big = memory[f"labels_{SMALL}"], memory[f"labels_{BIG}"]
    ratio = memory["rss_during_render_big_vs_small_ratio"]
    flat = "flat" if ratio <= 1.1 else "NOT flat"
    parts.append(
        f"Memory, {big['labels']:,} vs {SMALL:,} labels: resident set during the render at most "
        f"{big['rss_mb_highest_after_a_page']:g} MB vs {small['rss_mb_highest_after_a_page']:g}"
        f" MB ({ratio:.2f}x), peak RSS {big['peak_rss_mb']:g} vs {small['peak_rss_mb']:g} MB "
        f"({memory['peak_rss_big_vs_small_ratio']:.2f}x, set at start-up): {flat}."
    )
    fits = "fits" if big["seconds"] < LAMBDA_SECONDS else "does NOT fit"
    parts.append(
        f"{big['labels']:,} labels rendered in {big['seconds']:,.0f} s here with "
        f"{big['encoder_processes']} QR encoder processes ({big['pages']:,} "
        f"pages, {big['pdf_bytes'] / 1e6:.1f} MB): {fits} in Lambda's 15 minutes at this CPU "
        f"speed ({memory['big_run_share_of_lambda_15_min']:.0%} of it, rendering alone)."
    )
    return " ".join(parts)
