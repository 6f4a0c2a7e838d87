"""Label templates and jobs as pure rules: where labels sit on the stock, how text fits, what a
template or a selection may be, and how much error correction a printed size affords."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.labels.jobs import (
    MAX_LABELS,
    parse_serial_list,
    range_count,
    serial_range,
)
from chalicelib.labels.pdf import load_font
from chalicelib.labels.qr_codes import encode
from chalicelib.labels.template import (
    BUILTIN_TEMPLATES,
    MIN_MODULE_MM,
    QrBox,
    Stock,
    TextBox,
    fit_text,
    sheet_geometry,
    template_from_dict,
    template_to_dict,
    validate_template,
)

URL = "http://127.0.0.1:8080/q/AFDUCUSQGAYDAMBQGAYDCN2U3JNLZ5RY5Y6YU"


def measure(text: str, size: float, bold: bool) -> float:
    return load_font("bold" if bold else "regular").width_pt(text, size)


@pytest.mark.parametrize("name", sorted(BUILTIN_TEMPLATES))
def test_every_builtin_label_stays_on_its_page_without_overlap(name: str) -> None:
    template = BUILTIN_TEMPLATES[name]
    geometry = sheet_geometry(template)
    width, height = template.design.width_mm, template.design.height_mm
    page_w, page_h = geometry.page_mm

    assert geometry.slots
    for x, y in geometry.slots:
        assert x >= 0 and x + width <= page_w + 1e-9
        assert y >= 0 and y + height <= page_h + 1e-9
    for i, (x1, y1) in enumerate(geometry.slots):
        for x2, y2 in geometry.slots[i + 1 :]:
            apart = x2 >= x1 + width - 1e-9 or abs(y2 - y1) >= height - 1e-9
            assert apart or x1 >= x2 + width - 1e-9


def test_a_sheet_takes_as_many_labels_as_fit_unless_the_stock_says_fewer() -> None:
    template = BUILTIN_TEMPLATES["2x4cm-a4"]
    limited = replace(template, stock=replace(template.stock, columns=3, rows=2))

    assert (sheet_geometry(template).columns, sheet_geometry(template).rows) == (4, 12)
    assert sheet_geometry(limited).slots == (
        (11.0, 10.5),
        (59.0, 10.5),
        (107.0, 10.5),
        (11.0, 33.5),
        (59.0, 33.5),
        (107.0, 33.5),
    )


def test_a_roll_is_one_label_a_page_the_size_of_the_label() -> None:
    geometry = sheet_geometry(BUILTIN_TEMPLATES["1.5x3cm-roll"])

    assert (geometry.page_mm, geometry.slots) == ((30.0, 15.0), ((0.0, 0.0),))


def test_text_wraps_then_shrinks_and_a_serial_is_never_cut() -> None:
    box = TextBox("instruction", 0, 0, width_mm=9.3, font_pt=3.6, max_lines=2)
    serial_box = TextBox("serial", 0, 0, width_mm=5, font_pt=6)
    brand_box = TextBox("brand", 0, 0, width_mm=5, font_pt=6, bold=True)

    fitted = fit_text("Quét để kích hoạt bảo hành", box, measure)
    serial = fit_text("GAR000000019", serial_box, measure)
    brand = fit_text("Công ty Điện lạnh Ánh Dương Toàn Cầu", brand_box, measure)

    assert (fitted.lines, fitted.font_pt) == (("Quét để kích", "hoạt bảo hành"), 3.6)
    assert all(
        measure(line, fitted.font_pt, False) <= 9.3 / 25.4 * 72 + 1e-6 for line in fitted.lines
    )
    assert serial.lines == ("GAR000000019",)
    assert measure("GAR000000019", serial.font_pt, False) <= 5 / 25.4 * 72 + 1e-6
    assert brand.lines[0].endswith("…")
    assert brand.font_pt == pytest.approx(4.25)  # shrunk to 70 % of 6 pt (in 0.25 pt steps)


def test_templates_survive_their_document_form() -> None:
    for template in BUILTIN_TEMPLATES.values():
        assert template_from_dict(template_to_dict(template)) == template


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: replace(d, qr=QrBox(15, 0, 10)), "label.qr"),
        (lambda d: replace(d, qr=QrBox(0, 0, 7)), "label.qr.size_mm"),
        (lambda d: replace(d, width_mm=300), "label.width_mm"),
        (
            lambda d: replace(d, texts=(TextBox("serial", 12, 8, 7, 4.5, max_lines=2),)),
            "label.texts.0",
        ),
        (lambda d: replace(d, texts=(TextBox("price", 12, 1, 7, 4.5),)), "label.texts.0.field"),
        (lambda d: replace(d, texts=(TextBox("custom", 12, 1, 7, 4.5),)), "label.texts.0.text"),
    ],
)
def test_a_broken_template_names_what_is_wrong(change: object, field: str) -> None:
    template = BUILTIN_TEMPLATES["1x2cm-a4"]
    broken = replace(template, name="mine", design=change(template.design))  # type: ignore[operator]

    with pytest.raises(Invalid) as refused:
        validate_template(broken)

    assert refused.value.code == "label_template_invalid"
    assert field in [f.field for f in refused.value.fields]


def test_a_stock_with_no_room_for_one_label_is_refused() -> None:
    template = replace(
        BUILTIN_TEMPLATES["2x4cm-a4"], name="mine", stock=Stock(page_width_mm=45, margin_left_mm=10)
    )

    with pytest.raises(Invalid) as refused:
        validate_template(template)

    assert [(f.field, f.code) for f in refused.value.fields] == [("stock", "labels_do_not_fit")]


@pytest.mark.parametrize(("box_mm", "level"), [(10, "L"), (15, "Q"), (20, "Q"), (40, "Q")])
def test_error_correction_is_the_most_the_printed_size_affords(box_mm: float, level: str) -> None:
    symbol = encode(URL, box_mm=box_mm)

    assert symbol.error_correction == level
    assert symbol.module_mm(box_mm) >= MIN_MODULE_MM


def test_a_code_too_small_for_any_level_gets_the_largest_modules() -> None:
    assert encode(URL, box_mm=8).error_correction == "L"


def test_a_range_runs_through_generated_and_plain_numbered_serials() -> None:
    assert list(serial_range("gar00000009t", "GAR000000118")) == [
        "GAR00000009T",
        "GAR00000010A",
        "GAR000000118",
    ]
    assert list(serial_range("LOT-0999", "LOT-1001")) == ["LOT-0999", "LOT-1000", "LOT-1001"]
    assert range_count("GAR000000019", "GAR000000019") == 1


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        ("GAR000000019", "LOT-0001", "serial_range_mismatch"),
        ("LOT-001", "LOT-0002", "serial_range_mismatch"),
        ("LOT-0002", "LOT-0001", "serial_range_backwards"),
        ("ABC", "ABD", "serial_range_not_numbered"),
        ("LOT-000000", f"LOT-{MAX_LABELS:06d}", "too_many_labels"),
        ("a b", "LOT-1", "serial_invalid"),
    ],
)
def test_a_range_that_is_not_one_run_is_refused(first: str, last: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        range_count(first, last)

    assert refused.value.code == code


def test_a_serial_list_takes_the_first_column_once_in_order() -> None:
    text = 'serial,model\n"gar000000019",AC-9\n\nLOT-2;x\nGAR000000019\nLOT-1\n'

    assert parse_serial_list(text) == ["GAR000000019", "LOT-2", "LOT-1"]


def test_a_serial_list_names_its_bad_lines() -> None:
    with pytest.raises(Invalid) as refused:
        parse_serial_list("LOT-1\nnot a serial\nLOT-2\n??\n")

    assert (refused.value.code, refused.value.details) == (
        "serial_list_invalid",
        {"lines": [2, 4], "bad_lines": 2},
    )


def test_a_dead_run_shows_as_stalled_once_no_retry_can_come() -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib.labels.jobs import BatchSelection, LabelJob, LabelJobStatus

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    job = LabelJob(
        "lj_1",
        "demo",
        LabelJobStatus.RUNNING,
        "{}",
        "2x4cm-a4",
        BatchSelection("A"),
        "admin",
        now,
        attempts=1,
        lease_until=now - timedelta(minutes=1),
    )

    assert not job.stalled(now)  # the stream's retry may still claim it
    assert job.stalled(now + timedelta(minutes=5))  # no retry came
    assert replace(job, attempts=2).stalled(now)  # none is left
    assert not replace(job, lease_until=now + timedelta(minutes=9)).stalled(now)  # still running
