"""A model's maintenance plan through the API against the emulator: saved whole and versioned
(a stale save is refused, nothing lost), every component's cycle, first service, reminder and
price checked with field errors, read by the roles that need it and saved by the desk only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator

PATH = "/models/AC-9/maintenance-plan"


def component(**overrides: Any) -> dict[str, Any]:
    return {
        "code": "filter",
        "name": "Lõi lọc thô",
        "name_en": "Sediment filter",
        "cycle_months": 3,
        "lead_days": 7,
        "rhythm": "fixed",
        "price_vnd": 150_000,
        "checklist": ["Thay lõi lọc", "Kiểm tra rò rỉ"],
        **overrides,
    }


@pytest.fixture
def model(aws: Emulator) -> str:
    seed.model("AC-9")
    return "AC-9"


def test_the_desk_saves_a_plan_and_a_stale_save_is_refused(
    api: Api, staff: StaffTokens, model: str
) -> None:
    empty = api.get(PATH, token=staff("cs"))
    assert empty.status_code == 200, empty.body
    assert (empty.json_body["version"], empty.json_body["components"]) == (0, [])

    body = {
        "version": 0,
        "components": [
            component(),
            component(code="uv-lamp", name="Đèn UV", cycle_days=365, cycle_months=0,
                      first_months=6, rhythm="floating", price_vnd=0, checklist=[]),
        ],
    }  # fmt: skip
    saved = api.put(PATH, json_body=body, token=staff("cs"))

    assert saved.status_code == 200, saved.body
    plan = saved.json_body
    assert (plan["version"], plan["updated_by"]) == (1, "cs")
    first, second = plan["components"]
    assert (first["code"], first["cycle_months"], first["first_months"]) == ("FILTER", 3, 3)
    assert (second["code"], second["cycle_days"], second["first_months"]) == ("UV-LAMP", 365, 6)
    assert (second["rhythm"], second["price_vnd"]) == ("floating", 0)
    assert api.get(PATH, token=staff("technician")).json_body == plan

    stale = api.put(PATH, json_body={**body, "components": []}, token=staff("admin"))
    assert (stale.status_code, error_code(stale)) == (409, "maintenance_plan_changed")
    assert api.get(PATH, token=staff("director")).json_body == plan  # nothing lost


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"cycle_months": 0}, "components.0.cycle", "maintenance_cycle_invalid"),
        ({"cycle_days": 30}, "components.0.cycle", "maintenance_cycle_invalid"),
        ({"first_days": 10, "first_months": 1}, "components.0.first", "maintenance_cycle_invalid"),
        ({"code": "lõi lọc"}, "components.0.code", "maintenance_component_code_invalid"),
        ({"name": " "}, "components.0.name", "maintenance_name_required"),
        ({"checklist": ["x" * 201]}, "components.0.checklist.0", "maintenance_check_too_long"),
    ],
)
def test_a_components_bad_values_are_field_errors(
    api: Api, staff: StaffTokens, model: str, change: dict[str, Any], field: str, code: str
) -> None:
    refused = api.put(
        PATH, json_body={"version": 0, "components": [component(**change)]}, token=staff("cs")
    )

    assert refused.status_code == 400, refused.body
    assert field_codes(refused) == {field: code}
    assert api.get(PATH, token=staff("cs")).json_body["version"] == 0  # nothing written


def test_a_repeated_component_a_negative_price_and_an_unknown_model_are_refused(
    api: Api, staff: StaffTokens, model: str
) -> None:
    twice = api.put(
        PATH, json_body={"version": 0, "components": [component(), component()]}, token=staff("cs")
    )
    negative = api.put(
        PATH, json_body={"version": 0, "components": [component(price_vnd=-1)]}, token=staff("cs")
    )
    unknown = api.get("/models/NOPE-1/maintenance-plan", token=staff("cs"))

    assert field_codes(twice) == {"components.1.code": "maintenance_component_repeated"}
    assert negative.status_code == 400 and "components.0.price_vnd" in field_codes(negative)
    assert (unknown.status_code, error_code(unknown)) == (404, "model_not_found")
