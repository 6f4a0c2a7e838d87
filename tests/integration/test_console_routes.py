"""Staff console routes: the product catalog and getting units into the system."""

from __future__ import annotations

import pytest
from chalice.test import HTTPResponse

from chalicelib.catalog.serials import is_valid_generated
from chalicelib.catalog.unit_repository import UnitRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


def import_csv(api: Api, token: str, text: str | bytes) -> HTTPResponse:
    return api.post("/units/import", body=text, token=token, headers={"Content-Type": "text/csv"})


# --- models ---------------------------------------------------------------------------------


def test_admin_creates_reads_updates_lists_and_deletes_a_model(api: Api, admin: str) -> None:
    created = api.post("/models", json_body=f.model_body("ac-9"), token=admin)
    update = {**f.model_body(), "name": "Máy lạnh 2 HP", "warranty_months": 36}
    del update["code"]

    updated = api.put("/models/AC-9", json_body=update, token=admin)
    read = api.get("/models/ac-9", token=admin)
    listed = api.get("/models", token=admin)
    deleted = api.delete("/models/AC-9", token=admin)
    gone = api.get("/models/AC-9", token=admin)

    assert created.status_code == 201
    assert created.json_body["code"] == "AC-9"
    assert created.json_body["unit_count"] == 0
    assert updated.status_code == 200
    assert (updated.json_body["name"], updated.json_body["warranty_months"]) == (
        "Máy lạnh 2 HP",
        36,
    )
    assert read.json_body["name"] == "Máy lạnh 2 HP"
    assert [m["code"] for m in listed.json_body["models"]] == ["AC-9"]
    assert deleted.status_code == 204
    assert (gone.status_code, error_code(gone)) == (404, "model_not_found")


def test_creating_a_model_twice_is_a_conflict(api: Api, admin: str) -> None:
    api.post("/models", json_body=f.model_body(name="Original"), token=admin)

    again = api.post("/models", json_body=f.model_body(name="Copy"), token=admin)

    assert (again.status_code, error_code(again)) == (409, "model_exists")
    assert api.get("/models/AC-9", token=admin).json_body["name"] == "Original"


def test_updating_a_missing_model_is_not_found(api: Api, admin: str) -> None:
    body = {k: v for k, v in f.model_body().items() if k != "code"}

    response = api.put("/models/NOPE", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (404, "model_not_found")
    assert api.get("/models", token=admin).json_body == {"models": []}


def test_deleting_a_model_with_units_is_refused(api: Api, admin: str) -> None:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])

    response = api.delete("/models/AC-9", token=admin)

    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "model_in_use"
    assert response.json_body["error"]["units"] == 2
    assert api.get("/models/AC-9", token=admin).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"warranty_months": 0}, "warranty_months", "out_of_range"),
        ({"warranty_months": "24"}, "warranty_months", "wrong_type"),
        ({"warranty_start_basis": "purchase"}, "warranty_start_basis", "value_not_allowed"),
        ({"name": "X\u202e"}, "name", "model_name_bad_characters"),
        ({"unit_count": 99}, "unit_count", "unknown_field"),
    ],
)
def test_invalid_model_bodies_are_rejected_field_by_field(
    api: Api, admin: str, changes: dict[str, object], field: str, code: str
) -> None:
    response = api.post("/models", json_body=f.model_body(**changes), token=admin)

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json_body["error"]["fields"]] == [
        (field, code)
    ]


def test_cap_shorter_than_the_warranty_is_rejected(api: Api, admin: str) -> None:
    body = f.model_body(warranty_months=24, max_months_from_manufacture=12)

    response = api.post("/models", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (400, "warranty_cap_out_of_range")


COMPRESSOR = {
    "code": "compressor",
    "name": "Máy nén",
    "name_en": "Compressor",
    "months": 84,
    "activated_within_months": 24,
}


def test_a_models_component_terms_are_kept_and_change_its_rules_version(
    api: Api, admin: str
) -> None:
    plain = api.post("/models", json_body=f.model_body(), token=admin).json_body
    body = {k: v for k, v in f.model_body(components=[COMPRESSOR]).items() if k != "code"}

    updated = api.put("/models/AC-9", json_body=body, token=admin)
    read = api.get("/models/AC-9", token=admin).json_body

    assert plain["components"] == []
    assert updated.status_code == 200
    assert read["components"] == [COMPRESSOR]
    assert read["rules_version"] != plain["rules_version"]
    assert read["rules_version"].startswith("w1-")


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ([COMPRESSOR, COMPRESSOR], "component_codes_invalid"),
        ([{**COMPRESSOR, "name": ""}], "component_name_required"),
        ([{**COMPRESSOR, "months": 0}], "out_of_range"),
        ([{**COMPRESSOR, "code": "Máy nén"}], "invalid_format"),
    ],
)
def test_bad_component_terms_are_refused(
    api: Api, admin: str, parts: list[dict[str, object]], code: str
) -> None:
    response = api.post("/models", json_body=f.model_body(components=parts), token=admin)

    assert response.status_code == 400
    assert [e["code"] for e in response.json_body["error"]["fields"]] == [code]


# --- CSV import -----------------------------------------------------------------------------


def test_import_registers_valid_lines_and_reports_the_others(api: Api, admin: str) -> None:
    seed.model("AC-9")
    seed.units(["SN-OLD"])
    text = f.units_csv(
        [
            ["SN-1", "AC-9", "B1", "2026-01-05"],
            ["SN-OLD", "AC-9"],
            ["SN-2", "NO-SUCH"],
            ["SN 3", "AC-9"],
            ["SN-1", "AC-9"],
            ["SN-4", "ac-9"],
        ]
    )

    response = import_csv(api, admin, text)

    assert response.status_code == 200
    assert response.json_body == {
        "imported": 2,
        "rejected": [
            {"line": 3, "serial": "SN-OLD", "reason": "serial_exists"},
            {"line": 4, "serial": "SN-2", "reason": "model_not_found"},
            {"line": 5, "serial": "SN 3", "reason": "serial_invalid"},
            {"line": 6, "serial": "SN-1", "reason": "duplicate_in_file"},
        ],
    }
    assert UnitRepository().get("SN-1").batch == "B1"
    assert UnitRepository().get("SN-OLD").history[0].by == "test"
    assert api.get("/models/AC-9", token=admin).json_body["unit_count"] == 3


def test_import_strips_a_byte_order_mark(api: Api, admin: str) -> None:
    seed.model("AC-9")
    text = "\ufeffserial,model_code\r\nSN-1,AC-9\r\n".encode()

    response = import_csv(api, admin, text)

    assert response.json_body == {"imported": 1, "rejected": []}


def test_import_accepts_a_content_type_with_a_charset(api: Api, admin: str) -> None:
    seed.model("AC-9")

    response = api.post(
        "/units/import",
        body="serial,model_code\nSN-1,AC-9\n",
        token=admin,
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )

    assert response.json_body == {"imported": 1, "rejected": []}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("serial,model_code\nAB\rCD,AC-INV-12\n", 2),  # a lone carriage return in a field
        ("serial,model_code\nSN-1,AC-9\nSN-2,AC-9\rX\n", 3),
        ("SN-1,AC-9\n" + "x" * 140_000 + ",AC-9\n", 2),  # past the csv module's field limit
    ],
)
def test_import_names_the_line_the_csv_reader_cannot_read(
    api: Api, admin: str, text: str, line: int
) -> None:
    seed.model("AC-9")

    response = import_csv(api, admin, text)

    assert (response.status_code, error_code(response)) == (400, "import_malformed_csv")
    assert response.json_body["error"]["line"] == line
    assert str(line) in response.json_body["error"]["messages"]["en"]
    assert api.get("/models/AC-9", token=admin).json_body["unit_count"] == 0


def test_import_of_json_is_refused_with_the_expected_type(api: Api, admin: str) -> None:
    response = api.post(
        "/units/import", json_body={"serial": "SN-1"}, token=admin
    )  # Content-Type: application/json

    assert (response.status_code, error_code(response)) == (415, "unsupported_media_type")
    assert response.json_body["error"]["expected"] == "text/csv"


def test_import_of_text_that_is_not_utf8_is_refused(api: Api, admin: str) -> None:
    response = import_csv(api, admin, "serial,model_code\nSN-Đ1,AC-9\n".encode("utf-16"))

    assert (response.status_code, error_code(response)) == (400, "import_not_utf8")


def test_import_of_an_empty_file_is_refused(api: Api, admin: str) -> None:
    response = import_csv(api, admin, "serial,model_code\n")

    assert (response.status_code, error_code(response)) == (400, "import_empty")


def test_import_of_ten_thousand_rows_succeeds(api: Api, admin: str) -> None:
    seed.model("AC-9")
    text = f.units_csv([[f"SN{i:06d}", "AC-9"] for i in range(10_000)])

    response = import_csv(api, admin, text)

    assert response.status_code == 200
    assert response.json_body == {"imported": 10_000, "rejected": []}
    assert api.get("/models/AC-9", token=admin).json_body["unit_count"] == 10_000


def test_import_of_ten_thousand_and_one_rows_is_refused_whole(api: Api, admin: str) -> None:
    seed.model("AC-9")
    text = f.units_csv([[f"SN{i:06d}", "AC-9"] for i in range(10_001)])

    response = import_csv(api, admin, text)

    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "import_too_many_rows"
    assert response.json_body["error"]["max_rows"] == 10_000
    assert UnitRepository().find("SN000000") is None


def test_import_larger_than_the_limit_is_payload_too_large(api: Api, admin: str) -> None:
    text = "serial,model_code\n" + "SN-1,AC-9," + "x" * (2 * 1024 * 1024) + "\n"

    response = import_csv(api, admin, text)

    assert (response.status_code, error_code(response)) == (413, "payload_too_large")


# --- the brand and its serial scheme -----------------------------------------------------------


def test_the_brand_is_shown_with_its_serial_scheme(api: Api, admin: str) -> None:
    body = api.get("/brand", token=admin).json_body

    assert body == {
        "brand_id": "demo",
        "name": "Garanti Demo",
        "serial_prefix": "GAR",
        "serials_issued": 0,
        "serial_prefix_locked": False,
        "theme": {
            "short_name": "",
            "logo_url": "",
            "colors": {"primary": "#0b57d0", "on_primary": "#ffffff", "accent": "#b3261e"},
            "email": "",
            "website": "",
            "sections": ["activate", "lookup", "my_products", "contact"],
            "hotline": "",
        },
        "confirm_phone": False,
        "updated_by": "",
        "portal_url": "http://portal.test",
    }


def test_the_serial_prefix_can_change_until_the_first_serial_is_generated(
    api: Api, admin: str
) -> None:
    seed.model("AC-9")
    renamed = api.put(
        "/brand", json_body={"name": "Điện máy Ánh Dương", "serial_prefix": "ADX"}, token=admin
    )
    generated = api.post(
        "/units/generate", json_body={"model_code": "AC-9", "count": 1}, token=admin
    )

    locked = api.put("/brand", json_body={"name": "Ánh Dương", "serial_prefix": "ZZZ"}, token=admin)
    name_only = api.put(
        "/brand", json_body={"name": "Ánh Dương", "serial_prefix": "ADX"}, token=admin
    )

    assert renamed.status_code == 200
    assert generated.json_body["serials"][0].startswith("ADX")
    assert (locked.status_code, error_code(locked)) == (409, "serial_prefix_locked")
    assert name_only.json_body["name"] == "Ánh Dương"
    assert name_only.json_body["serial_prefix_locked"] is True
    assert api.get("/brand", token=admin).json_body["serial_prefix"] == "ADX"


def test_the_brand_hotline_is_the_portals_and_every_write_names_its_author(
    api: Api, admin: str
) -> None:
    before = api.get("/public/settings").json_body["brand"]["hotline"]
    saved = api.put(
        "/brand",
        json_body={"name": "Ánh Dương", "serial_prefix": "GAR", "theme": {"hotline": "1900 1234"}},
        token=admin,
    )
    created = api.post("/models", json_body=f.model_body("ac-9"), token=admin)

    assert before == "1800 6868"  # the stage's GARANTI_HOTLINE while the brand names none
    assert saved.json_body["theme"]["hotline"] == "1900 1234"
    assert saved.json_body["updated_by"] == "admin"
    assert api.get("/public/settings").json_body["brand"]["hotline"] == "1900 1234"
    assert created.json_body["updated_by"] == "admin"


@pytest.mark.parametrize("hotline", ["abc", "1800 6868 ext 12", "++1800", "18"])
def test_a_hotline_that_is_not_a_phone_number_is_refused(
    api: Api, admin: str, hotline: str
) -> None:
    response = api.put(
        "/brand",
        json_body={"name": "X", "serial_prefix": "GAR", "theme": {"hotline": hotline}},
        token=admin,
    )

    assert (response.status_code, error_code(response)) == (400, "invalid_input")
    assert [e["field"] for e in response.json_body["error"]["fields"]] == ["theme.hotline"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "X", "serial_prefix": "G1"}, "serial_prefix", "invalid_format"),
        ({"name": "X", "serial_prefix": "gar"}, "serial_prefix", "invalid_format"),
        ({"name": "", "serial_prefix": "GAR"}, "name", "brand_name_required"),
        ({"name": "X", "serial_prefix": "GAR", "brand_id": "other"}, "brand_id", "unknown_field"),
    ],
)
def test_a_bad_brand_is_refused_field_by_field(
    api: Api, admin: str, body: dict[str, str], field: str, code: str
) -> None:
    response = api.put("/brand", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (400, "invalid_input")
    assert [(e["field"], e["code"]) for e in response.json_body["error"]["fields"]] == [
        (field, code)
    ]


# --- generated ranges and the unit view ------------------------------------------------------


def test_generate_registers_a_range_of_the_brand_scheme(api: Api, admin: str) -> None:
    seed.model("AC-9")

    response = api.post(
        "/units/generate",
        json_body={
            "model_code": "ac-9",
            "count": 3,
            "batch": "B-2026/03",
            "manufactured_on": "2026-03-01",
        },
        token=admin,
    )
    again = api.post("/units/generate", json_body={"model_code": "AC-9", "count": 2}, token=admin)

    assert response.status_code == 201
    body = response.json_body
    assert (body["generated"], body["rejected"]) == (3, [])
    assert body["serials"] == ["GAR000000019", "GAR000000027", "GAR000000035"]
    assert again.json_body["serials"] == ["GAR000000043", "GAR000000051"]
    assert all(is_valid_generated(s) for s in body["serials"] + again.json_body["serials"])
    unit = UnitRepository().get(body["serials"][0])
    assert (unit.batch, str(unit.manufactured_on)) == ("B-2026/03", "2026-03-01")
    assert api.get("/models/AC-9", token=admin).json_body["unit_count"] == 5


def test_generate_for_an_unknown_model_is_not_found(api: Api, admin: str) -> None:
    response = api.post(
        "/units/generate", json_body={"model_code": "NOPE", "count": 1}, token=admin
    )

    assert (response.status_code, error_code(response)) == (404, "model_not_found")


@pytest.mark.parametrize("count", [0, 10_001, "5", 2.5])
def test_generate_count_out_of_range_is_rejected(api: Api, admin: str, count: object) -> None:
    seed.model("AC-9")

    response = api.post(
        "/units/generate", json_body={"model_code": "AC-9", "count": count}, token=admin
    )

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["field"] == "count"


def test_staff_unit_view_has_a_qr_url_whose_token_verifies(api: Api, admin: str) -> None:
    seed.model("AC-9")
    [serial] = api.post(
        "/units/generate", json_body={"model_code": "AC-9", "count": 1}, token=admin
    ).json_body["serials"]

    response = api.get(f"/units/{serial.lower()}", token=admin)

    assert response.status_code == 200
    body = response.json_body
    assert (body["serial"], body["status"], body["warranty_status"]) == (
        serial,
        "registered",
        "not_activated",
    )
    assert body["activation"] is None
    assert body["certificate_url"] is None
    assert [h["event"] for h in body["history"]] == ["generated"]
    prefix = "http://portal.test/q/"
    assert body["qr_url"].startswith(prefix)
    token = body["qr_url"].removeprefix(prefix)
    assert f.keyring().verify(token) == serial
    public = api.get(f"/public/units/{token}")
    assert (public.status_code, public.json_body["serial"]) == (200, serial)


def test_staff_unit_view_of_an_activated_unit_masks_the_phone(api: Api, admin: str) -> None:
    seed.model("AC-9")
    seed.units(["SN-1"])
    api.post("/public/activations", json_body=f.activation_body(seed.token("SN-1")))

    body = api.get("/units/SN-1", token=admin).json_body

    assert body["certificate_url"].startswith("http://portal.test/c/")
    customer = body["activation"]["customer"]
    assert customer == {
        "name_masked": "N***** V** A*",
        "phone_masked": "+84 91* *** *78",
        "province": "Hà Nội",
    }
    assert "912345678" not in str(body)
    assert "Nguyễn" not in str(body)


def test_unknown_or_malformed_serial_is_reported(api: Api, admin: str) -> None:
    unknown = api.get("/units/SN-404", token=admin)
    malformed = api.get("/units/a", token=admin)

    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")
    assert (malformed.status_code, error_code(malformed)) == (400, "serial_invalid")
