"""The console's live preview of a label template (``POST /labels/preview``): one label or one
page of the stock as SVG, drawn by the print's own layout code, refused as the template's save
refuses it, for the roles that read templates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PIL import Image, ImageDraw

from chalicelib.catalog.serials import generated_serial
from chalicelib.labels.template import BUILTIN_TEMPLATES, template_to_dict
from tests.integration.test_labels import custom_template, qr_url
from tests.support.api import Api, StaffTokens, error_code
from tests.support.labels import decode_image


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


def preview(api: Api, token: str, body: dict[str, Any], what: str, **kwargs: Any) -> Any:
    return api.post("/labels/preview", json_body={**body, "what": what}, token=token, **kwargs)


def builtin(name: str) -> dict[str, Any]:
    doc = template_to_dict(BUILTIN_TEMPLATES[name])
    return {"label": doc["label"], "stock": doc["stock"]}


def texts_of(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def qr_image(svg: str) -> Image.Image:
    """The first QR symbol of a preview, 8 px a module with a 4-module quiet zone."""
    path = re.search(r'<path id="q0" d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    runs = [tuple(map(int, r)) for r in re.findall(r"M(\d+) (\d+)h(\d+)", path)]
    size = max(x + w for x, _, w in runs)
    scale, border = 8, 4
    image = Image.new("L", ((size + 2 * border) * scale,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for x, y, w in runs:
        left, top = (x + border) * scale, (y + border) * scale
        draw.rectangle((left, top, left + w * scale - 1, top + scale - 1), fill=0)
    return image


def test_one_label_is_drawn_with_the_brands_words_a_sample_serial_and_a_code_that_scans(
    api: Api, admin: str
) -> None:
    response = preview(api, admin, custom_template(), "label")

    body = response.json_body
    sample = generated_serial("GAR", 1)
    assert response.status_code == 200
    assert (body["what"], body["labels"]) == ("label", 1)
    assert (body["width_mm"], body["height_mm"]) == (50, 25)
    assert (body["columns"], body["per_page"]) == (4, 4 * 11)
    svg = body["svg"]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="50mm" height="25mm"')
    assert texts_of(svg)[:3] == ["Garanti Demo", sample, "Hotline 1800 6868"]
    assert "Quét" in " ".join(texts_of(svg))
    # the regular and the bold faces are embedded: the browser sets the print's font
    assert svg.count("@font-face") == 2
    assert decode_image(qr_image(svg)) == [qr_url(sample)]


def test_a_sheet_shows_every_label_of_one_page_where_the_print_puts_them(
    api: Api, admin: str, staff: StaffTokens
) -> None:
    response = preview(api, staff("director"), builtin("2x4cm-a4"), "sheet")

    body = response.json_body
    assert response.status_code == 200
    assert (body["labels"], body["per_page"], body["columns"], body["rows"]) == (48, 48, 4, 12)
    assert (body["width_mm"], body["height_mm"]) == (210, 297)
    svg = body["svg"]
    serials = [t for t in texts_of(svg) if t.startswith("GAR")]
    assert serials == [generated_serial("GAR", n) for n in range(1, 49)]
    assert svg.count('data-guide="die-cut"') == 48
    # the first label's die-cut at the stock's margins (10.5 mm from the top, 11 mm from the
    # left), in points; the last one 3 columns and 11 rows on (40 + 8 and 20 + 3 mm apart)
    guides = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)"[^>]*data-guide', svg)
    mm = 72 / 25.4
    first, last = guides[0], guides[-1]
    assert (float(first[0]), float(first[1])) == pytest.approx((11 * mm, 10.5 * mm), abs=1e-3)
    assert (float(last[0]), float(last[1])) == pytest.approx(
        ((11 + 3 * 48) * mm, (10.5 + 11 * 23) * mm), abs=1e-3
    )


def test_the_svg_itself_comes_to_a_client_that_asks_for_it(api: Api, admin: str) -> None:
    response = preview(
        api, admin, builtin("1x2cm-roll"), "sheet", headers={"Accept": "image/svg+xml"}
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.body.decode("utf-8").startswith("<svg ")
    assert 'width="20mm" height="10mm"' in response.body.decode("utf-8")


def test_a_page_of_tiny_labels_draws_the_first_hundreds_and_the_die_cut_of_all(
    api: Api, admin: str
) -> None:
    body = custom_template(width_mm=8, height_mm=8, qr={"x_mm": 0, "y_mm": 0, "size_mm": 8})
    body["label"]["texts"] = []
    body["stock"] = {"kind": "sheet", "gap_x_mm": 0, "gap_y_mm": 0}

    response = preview(api, admin, body, "sheet")

    assert response.status_code == 200
    assert response.json_body["per_page"] == 25 * 35
    assert response.json_body["labels"] == 400
    assert response.json_body["svg"].count('data-guide="die-cut"') == 25 * 35


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"qr": {"x_mm": 30, "y_mm": 1, "size_mm": 23}}, "label_template_invalid", "label.qr"),
        ({"qr": {"x_mm": 0, "y_mm": 0, "size_mm": 6}}, "invalid_input", "label.qr.size_mm"),
        ({"width_mm": 500}, "invalid_input", "label.width_mm"),
    ],
)
def test_a_template_the_save_would_refuse_is_refused_with_the_same_field_error(
    api: Api, admin: str, change: dict[str, Any], code: str, field: str
) -> None:
    body = custom_template(**change)

    previewed = preview(api, admin, body, "label")
    saved = api.put("/labels/templates/tem-x", json_body=body, token=admin)

    assert (previewed.status_code, error_code(previewed)) == (400, code)
    assert previewed.json_body["error"]["fields"] == saved.json_body["error"]["fields"]
    assert field in [e["field"] for e in previewed.json_body["error"]["fields"]]


def test_a_preview_says_what_to_draw_and_only_what_the_font_can_draw(api: Api, admin: str) -> None:
    chinese = custom_template()
    chinese["label"]["texts"][2]["text"] = "保修 hotline"

    without_what = api.post("/labels/preview", json_body=custom_template(), token=admin)
    other_what = preview(api, admin, custom_template(), "page")
    unsupported = preview(api, admin, chinese, "label")

    assert (without_what.status_code, error_code(without_what)) == (400, "invalid_input")
    assert [e["field"] for e in without_what.json_body["error"]["fields"]] == ["what"]
    assert [e["field"] for e in other_what.json_body["error"]["fields"]] == ["what"]
    assert (unsupported.status_code, error_code(unsupported)) == (400, "label_text_unsupported")


@pytest.mark.parametrize(("role", "status"), [("cs", 403), ("technician", 403), ("admin", 200)])
def test_only_template_readers_preview(
    api: Api, staff: StaffTokens, role: str, status: int
) -> None:
    response = preview(api, staff(role), builtin("1x2cm-a4"), "label")

    assert response.status_code == status


def test_a_preview_needs_a_sign_in(api: Api) -> None:
    response = api.post("/labels/preview", json_body={**builtin("1x2cm-a4"), "what": "label"})

    assert response.status_code == 401
