"""What a service request asks (a form per model or per category, every save a version) and the
self-help shown before it (a model's manual and common faults), through the staff and public
routes."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code

SERIAL = "GAR00000017W"
INDOOR = {
    "key": "unit_part",
    "type": "select",
    "label": "Bộ phận hỏng",
    "label_en": "Faulty part",
    "required": True,
    "options": [
        {"value": "indoor", "label": "Dàn lạnh", "label_en": "Indoor unit"},
        {"value": "outdoor", "label": "Dàn nóng", "label_en": "Outdoor unit"},
    ],
}
NOISE = {"key": "noise", "type": "checkbox", "label": "Có tiếng ồn", "label_en": "Noisy"}


@pytest.fixture
def catalogue(aws: object) -> None:
    seed.model("AC-9", category="Máy lạnh", category_en="Air conditioner")
    seed.model("AC-12", category="Máy lạnh")
    seed.units([SERIAL])


def save(api: Api, token: str, version: int, fields: list[dict[str, Any]], **scope: str) -> Any:
    body = {"scope": "model", "target": "AC-9", **scope, "version": version, "fields": fields}
    return api.put("/claim-forms", json_body=body, token=token)


def unit_form(api: Api, serial: str = SERIAL, sig: str | None = None) -> Any:
    sig = seed.token(serial) if sig is None else sig
    return api.get(f"/public/service-requests/form?serial={serial}&sig={sig}")


def test_the_portal_asks_the_default_fields_until_a_form_is_configured(
    api: Api, catalogue: None
) -> None:
    answer = unit_form(api)

    assert answer.status_code == 200
    assert answer.json_body["source"] == "default"
    assert [f["key"] for f in answer.json_body["fields"]] == ["problem", "started_on", "error_code"]
    assert answer.json_body["model_code"] == "AC-9"


def test_a_models_form_wins_over_its_categorys_and_an_empty_one_inherits_again(
    api: Api, staff: StaffTokens, catalogue: None
) -> None:
    admin, cs = staff("admin"), staff("cs")
    category = save(api, admin, 0, [NOISE], scope="category", target="may lanh")
    assert (category.status_code, category.json_body["target"]) == (200, "Máy lạnh")
    assert unit_form(api).json_body["source"] == "category"

    own = save(api, cs, 0, [INDOOR, NOISE], target="ac-9")
    from_model = unit_form(api).json_body
    cleared = save(api, admin, 1, [])
    back = unit_form(api).json_body

    assert (own.status_code, own.json_body["version"], own.json_body["updated_by"]) == (
        200,
        1,
        "cs",
    )
    assert (from_model["source"], from_model["version"]) == ("model", 1)
    assert from_model["fields"][0] == INDOOR
    assert cleared.json_body["version"] == 2
    assert [f["key"] for f in back["fields"]] == ["noise"]
    detail = api.get("/claim-forms/form?model=AC-9", token=admin).json_body
    assert [v["version"] for v in detail["versions"]] == [2, 1]
    assert detail["inherited"]["source"] == "category"
    listed = api.get("/claim-forms", token=cs).json_body
    assert [(f["scope"], f["target"]) for f in listed["forms"]] == [("category", "Máy lạnh")]
    assert [f["key"] for f in listed["default_fields"]] == ["problem", "started_on", "error_code"]


def test_two_editors_saving_one_version_one_is_told_to_reload(
    api: Api, staff: StaffTokens, catalogue: None
) -> None:
    first = save(api, staff("admin"), 0, [NOISE])
    second = save(api, staff("cs"), 0, [INDOOR])

    assert first.status_code == 200
    assert (second.status_code, error_code(second)) == (409, "claim_form_changed")
    assert second.json_body["error"]["version"] == 1
    assert unit_form(api).json_body["fields"] == [{**NOISE, "required": False, "options": []}]


@pytest.mark.parametrize(
    ("fields", "scope", "status", "expected"),
    [
        (
            [{**INDOOR, "options": []}],
            {},
            400,
            [("fields.0.options", "form_field_options_invalid")],
        ),
        ([NOISE, NOISE], {}, 400, [("fields.1.key", "form_field_key_invalid")]),
        ([{**NOISE, "type": "file"}], {}, 400, [("fields.0.type", "value_not_allowed")]),
        ([{**NOISE, "label": ""}], {}, 400, [("fields.0.label", "form_label_required")]),
        (
            [NOISE],
            {"scope": "category", "target": "Tủ lạnh"},
            400,
            [("target", "claim_form_category_invalid")],
        ),
        ([NOISE], {"target": "NOPE"}, 404, []),
    ],
)
def test_a_form_that_cannot_be_asked_is_refused_field_by_field(
    api: Api,
    staff: StaffTokens,
    catalogue: None,
    fields: list[dict[str, Any]],
    scope: dict[str, str],
    status: int,
    expected: list[tuple[str, str]],
) -> None:
    answer = save(api, staff("admin"), 0, fields, **scope)

    assert answer.status_code == status
    assert [
        (e["field"], e["code"]) for e in answer.json_body["error"].get("fields", [])
    ] == expected


def test_a_forged_or_borrowed_signature_finds_no_unit(api: Api, catalogue: None) -> None:
    seed.units(["GAR00000025X"])

    answers = [
        unit_form(api, sig="A" * 30),
        unit_form(api, sig=seed.token("GAR00000025X")),  # another unit's code
        unit_form(api, serial="GAR00000033Z"),  # a genuine code of a unit that does not exist
        api.get(f"/public/service-requests/form?serial={SERIAL}"),
    ]

    assert {(a.status_code, error_code(a)) for a in answers} == {(404, "unit_not_found")}


def test_technicians_and_accountants_may_not_edit_forms_or_help(
    api: Api, staff: StaffTokens, catalogue: None
) -> None:
    for username in ("technician", "accountant"):
        answers = [
            save(api, staff(username), 0, [NOISE]),
            api.get("/claim-forms", token=staff(username)),
            api.put("/models/AC-9/help", json_body={"version": 0}, token=staff(username)),
        ]
        assert {(a.status_code, error_code(a)) for a in answers} == {(403, "role_not_allowed")}


FAULT = {
    "title": "Máy không lạnh",
    "title_en": "Not cooling",
    "fix": "Vệ sinh lưới lọc và kiểm tra chế độ Cool.",
    "fix_en": "Clean the filter and check the mode is Cool.",
}


def test_the_portal_shows_a_models_faults_in_both_languages_and_its_manual_link(
    api: Api, staff: StaffTokens, catalogue: None
) -> None:
    empty = api.get("/public/models/AC-9/help").json_body
    body = {
        "version": 0,
        "manual_url": "https://example.com/ac-9.pdf",
        "faults": [FAULT, {"title": "Chảy nước", "fix": "Kiểm tra ống thoát nước."}],
    }

    saved = api.put("/models/ac-9/help", json_body=body, token=staff("cs"))
    shown = api.get("/public/models/AC-9/help")

    assert (empty["manual"], empty["faults"]) == (None, [])
    assert (saved.status_code, saved.json_body["version"]) == (200, 1)
    assert shown.json_body["manual"] == "https://example.com/ac-9.pdf"
    assert shown.json_body["faults"][0] == {"title": FAULT["title"], "fix": FAULT["fix"]}
    assert shown.json_body["en"]["faults"] == [
        {"title": "Not cooling", "fix": FAULT["fix_en"]},
        {"title": "Chảy nước", "fix": "Kiểm tra ống thoát nước."},  # no English: Vietnamese
    ]
    stale = api.put("/models/AC-9/help", json_body=body, token=staff("admin"))
    assert (stale.status_code, error_code(stale)) == (409, "model_help_changed")
    assert api.get("/public/models/NOPE/help").status_code == 404


def test_a_pdf_manual_goes_straight_to_the_bucket_and_the_portal_links_its_path(
    api: Api, staff: StaffTokens, catalogue: None
) -> None:
    admin = staff("admin")
    pdf = b"%PDF-1.7\n" + b"0" * 2000
    started = api.post(
        "/models/AC-9/help/manual",
        json_body={"content_type": "application/pdf", "size": len(pdf)},
        token=admin,
    )
    assert started.status_code == 201, started.json_body
    key = started.json_body["key"]
    missing = api.put("/models/AC-9/help", json_body={"version": 0, "manual_key": key}, token=admin)
    upload = started.json_body["upload"]
    put = requests.put(upload["url"], data=pdf, headers=upload["headers"], timeout=10)

    saved = api.put("/models/AC-9/help", json_body={"version": 0, "manual_key": key}, token=admin)

    assert (missing.status_code, error_code(missing)) == (404, "manual_upload_missing")
    assert put.status_code == 200
    assert key.startswith("media/manuals/AC-9/") and key.endswith(".pdf")
    assert saved.status_code == 200, saved.json_body
    assert saved.json_body["manual_src"].endswith(f"/{key}")
    assert api.get("/public/models/AC-9/help").json_body["manual"] == f"/{key}"
    other = api.put(
        "/models/AC-12/help",
        json_body={"version": 0, "manual_key": key},
        token=admin,
    )
    assert [e["code"] for e in other.json_body["error"]["fields"]] == ["manual_key_invalid"]
