"""Product data in English: staff give a model optional English texts, the public views carry
them beside the Vietnamese ones (Vietnamese standing in where English is missing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"
ENGLISH = {
    "name_en": "AC-9 inverter air conditioner",
    "description_en": "Wall-mounted inverter air conditioner",
    "spec_labels_en": {"Công suất": "Capacity"},
    "spec_values_en": {"Gas": "R-32 refrigerant"},
}


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


def english_model(api: Api, admin: str) -> dict[str, Any]:
    body = f.model_body(specs={"Công suất": "1 HP", "Gas": "R32"}, **ENGLISH)
    response = api.post("/models", json_body=body, token=admin)
    assert response.status_code == 201, response.body
    created: dict[str, Any] = response.json_body
    return created


def test_staff_give_a_model_english_texts_and_can_take_them_away(api: Api, admin: str) -> None:
    created = english_model(api, admin)
    read = api.get("/models/AC-9", token=admin).json_body
    update = {k: v for k, v in f.model_body().items() if k != "code"}
    cleared = api.put("/models/AC-9", json_body=update, token=admin).json_body

    assert {k: created[k] for k in ENGLISH} == ENGLISH
    assert {k: read[k] for k in ENGLISH} == ENGLISH
    assert {k: cleared[k] for k in ENGLISH} == {
        "name_en": "",
        "description_en": "",
        "spec_labels_en": {},
        "spec_values_en": {},
    }


def test_an_english_label_for_a_spec_the_model_lacks_is_refused(api: Api, admin: str) -> None:
    response = api.post(
        "/models",
        json_body=f.model_body(spec_labels_en={"Điện áp": "Voltage"}),
        token=admin,
    )
    value = api.post("/models", json_body=f.model_body(spec_values_en={"Gas": "R32"}), token=admin)
    too_long = api.post("/models", json_body=f.model_body(name_en="x" * 151), token=admin)

    assert (response.status_code, error_code(response)) == (400, "invalid_input")
    [field] = response.json_body["error"]["fields"]
    assert (field["field"], field["code"]) == ("spec_labels_en", "spec_label_invalid")
    assert field["message"]
    assert [(e["field"], e["code"]) for e in value.json_body["error"]["fields"]] == [
        ("spec_values_en", "spec_label_invalid")
    ]
    assert too_long.json_body["error"]["fields"][0]["field"] == "name_en"


def test_the_public_views_carry_the_english_texts(api: Api, admin: str, aws: Emulator) -> None:
    english_model(api, admin)
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    token = seed.token(SERIAL)

    scanned = api.get(f"/public/units/{token}").json_body["model"]
    looked_up = api.get(f"/public/serials/{SERIAL}").json_body["model"]
    activation = api.post("/public/activations", json_body=f.activation_body(token)).json_body
    certificate = api.get(f"/public/certificates/{token}").json_body["certificate"]["model"]

    assert scanned["name"] == "Máy lạnh Inverter AC-9"
    assert scanned["specs"] == {"Công suất": "1 HP", "Gas": "R32"}
    assert scanned["en"] == {
        "name": "AC-9 inverter air conditioner",
        "description": "Wall-mounted inverter air conditioner",
        "specs": {"Capacity": "1 HP", "Gas": "R-32 refrigerant"},
    }
    assert looked_up["en"] == scanned["en"] == certificate["en"]
    assert activation["model"]["en"] == {"name": "AC-9 inverter air conditioner"}
