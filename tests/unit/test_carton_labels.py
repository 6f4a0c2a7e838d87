"""Carton labels, proved with real parts: the PDF page is rendered by pdfium and its barcode
read back by zbar (GS1-128 for an SSCC, Code 128 for an own code); the bar patterns match
known encodings; the texts are on the page."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from chalicelib.catalog.cartons import GS, generate_sscc, normalize_carton_code
from chalicelib.labels.carton_labels import (
    BAR_HEIGHT_MM,
    CartonLabel,
    CartonTexts,
    bar_pattern,
    render_carton_labels,
)

TEXTS = CartonTexts(
    brand="Điện máy Garanti",
    carton="Thùng hàng / Carton",
    quantity="Số lượng / Quantity",
    models="Mẫu / Models",
    more="+{count} mẫu khác / more models",
)
# Code 128's symbol patterns (ISO/IEC 15417 table 1): START C = 105, FNC1 = 102, STOP.
START_C, FNC1, STOP = "11010011100", "11110101110", "1100011101011"


def decode(image: Image.Image) -> list[tuple[str, str]]:
    try:
        from pyzbar.pyzbar import ZBarSymbol, decode
    except ImportError as exc:
        pytest.fail(f"pyzbar cannot load libzbar (apt-get install libzbar0): {exc}")
    found = decode(image, symbols=[ZBarSymbol.CODE128])
    return [(symbol.type, symbol.data.decode("ascii")) for symbol in found]


def pages(labels: list[CartonLabel], dpi: int = 200) -> tuple[list[Image.Image], list[str]]:
    out = io.BytesIO()
    report = render_carton_labels(labels, out, texts=TEXTS, title="test")
    document = pdfium.PdfDocument(out.getvalue())
    try:
        assert report.pages == len(document) == len(labels)
        images = [page.render(scale=dpi / 72).to_pil() for page in document]
        texts = [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()
    return images, texts


def test_an_sscc_is_printed_as_gs1_128_and_reads_back_as_the_carton() -> None:
    code = generate_sscc("8930000", 17)

    images, texts = pages([CartonLabel(code, 24, {"AC-9": 20, "AC-12": 4})])

    [(kind, data)] = decode(images[0])
    assert kind == "CODE128"
    assert normalize_carton_code(data) == code  # zbar gives "00…" (the FNC1 as GS or dropped)
    assert data.replace(GS, "").removeprefix("]C1") == f"00{code}"
    assert f"(00){code}" in texts[0]
    assert "Số lượng / Quantity: 24" in texts[0]
    assert "AC-12 × 4" in texts[0] and "AC-9 × 20" in texts[0]
    assert "Điện máy Garanti" in texts[0]


def test_an_own_code_is_printed_as_code_128() -> None:
    images, texts = pages([CartonLabel("CT-2026-0001", 3, {"AC-9": 3})])

    assert decode(images[0]) == [("CODE128", "CT-2026-0001")]
    assert "CT-2026-0001" in texts[0]


def test_one_page_a_carton_and_many_models_are_summed_up() -> None:
    models = {f"M-{n:02d}": 1 for n in range(10)}
    labels = [CartonLabel("BOX-1", 10, models), CartonLabel("BOX-2", 1, {"AC-9": 1})]

    images, texts = pages(labels)

    assert [decode(image) for image in images] == [[("CODE128", "BOX-1")], [("CODE128", "BOX-2")]]
    assert "+4 mẫu khác / more models" in texts[0]


def test_the_gs1_128_pattern_is_start_c_fnc1_the_digit_pairs_check_and_stop() -> None:
    code = "106141411234567897"
    pattern = bar_pattern(code)

    assert pattern.startswith(START_C + FNC1)
    assert pattern.endswith(STOP)
    # start, FNC1, 10 pairs of digits (00 + 18), check: 13 symbols of 11 modules, then stop
    assert len(pattern) == 13 * 11 + len(STOP)
    # the check symbol: (105 + 1·102 + Σ position·pair) mod 103
    pairs = [int(f"00{code}"[i : i + 2]) for i in range(0, 20, 2)]
    check = (105 + 102 + sum((i + 2) * v for i, v in enumerate(pairs))) % 103
    symbols = [pattern[i : i + 11] for i in range(0, 13 * 11, 11)]
    # GS1's worked example happens to have the check value of one of its digit pairs ("34"),
    # so the check symbol must be drawn exactly as that pair is (no table needed to know it)
    assert check == pairs[6] == 34
    assert symbols[12] == symbols[2 + 6]
    assert len(set(symbols[2:12])) == len(set(pairs))  # one pattern a distinct pair


def test_the_bars_are_tall_enough_for_a_logistics_scanner() -> None:
    assert BAR_HEIGHT_MM >= 31.75  # GS1 General Specifications: logistics label minimum
