"""The public routes the customer portal adds: the brand's look, the look-up by the serial on
the label, the certificate's verification code, and a unit's history for its owner."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.integration.test_lookup_routes import login_by_phone  # the OTP flow, over the API
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"


@pytest.fixture
def token(aws: Emulator) -> str:
    seed.model("AC-9")
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


def activated(api: Api, token: str) -> dict[str, Any]:
    response = api.post("/public/activations", json_body=f.activation_body(token))
    assert response.status_code == 201, response.body
    body: dict[str, Any] = response.json_body
    return body


def test_the_portal_reads_the_brand_s_look_with_defaults(api: Api, aws: Emulator) -> None:
    response = api.get("/public/settings")

    body = response.json_body
    assert response.status_code == 200
    assert body["brand"]["name"] == "Garanti Demo"
    assert body["brand"]["hotline"] == "1800 6868"
    assert body["brand"]["colors"] == {
        "primary": "#0b57d0",
        "on_primary": "#ffffff",
        "accent": "#b3261e",
    }
    assert body["sections"] == ["activate", "lookup", "my_products", "contact"]
    assert body["languages"] == ["vi", "en", "fa"]
    assert response.headers["Cache-Control"] == "max-age=300"


def test_an_admin_themes_the_portal_and_bad_values_are_refused(
    api: Api, staff: StaffTokens
) -> None:
    theme = {
        "logo_url": "https://cdn.example.vn/logo.svg",
        "primary": "#005A9C",
        "on_primary": "#FFFFFF",
        "accent": "#E30613",
        "email": "cskh@example.vn",
        "website": "https://example.vn",
        "sections": ["activate", "contact"],
    }
    saved = api.put(
        "/brand",
        json_body={"name": "Điện máy Ánh Dương", "serial_prefix": "GAR", "theme": theme},
        token=staff("admin"),
    )
    bad = api.put(
        "/brand",
        json_body={
            "name": "X",
            "serial_prefix": "GAR",
            "theme": {"primary": "red", "logo_url": "javascript:alert(1)", "sections": ["admin"]},
        },
        token=staff("admin"),
    )

    portal = api.get("/public/settings").json_body
    assert saved.status_code == 200
    assert portal["brand"]["name"] == "Điện máy Ánh Dương"
    assert portal["brand"]["colors"]["primary"] == "#005A9C"
    assert portal["brand"]["logo_url"] == "https://cdn.example.vn/logo.svg"
    assert portal["sections"] == ["activate", "contact"]
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json_body["error"]["fields"]}
    assert {"theme.primary", "theme.logo_url"} <= fields


def test_the_serial_on_the_label_tells_genuine_and_status_never_the_owner(
    api: Api, token: str
) -> None:
    before = api.get(f"/public/serials/{SERIAL.lower()}")
    activated(api, token)
    after = api.get(f"/public/serials/{SERIAL}")
    unknown = api.get("/public/serials/GAR000000027")
    garbage = api.get("/public/serials/%3Cscript%3E")

    assert (before.status_code, before.json_body["status"]) == (200, "not_activated")
    assert after.json_body["status"] == "activated"
    assert after.json_body["customer_name"] is None
    assert after.json_body["warranty_end"] is not None
    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")
    assert (garbage.status_code, error_code(garbage)) == (404, "unit_not_found")


def test_label_look_ups_are_limited_per_client(api: Api, token: str) -> None:
    answers = [api.get(f"/public/serials/{SERIAL}").status_code for _ in range(31)]
    refused = api.get(f"/public/serials/{SERIAL}")

    assert answers[:30] == [200] * 30 and answers[30] == 429
    assert error_code(refused) == "lookup_rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json_body["error"]["messages"]["vi"]


def test_a_paper_certificate_is_verified_by_its_code(api: Api, token: str) -> None:
    activated(api, token)
    certificate = api.get(f"/public/certificates/{token}").json_body
    code = certificate["verification_code"]

    good = api.get(f"/public/certificates/verify/{SERIAL}/{code.lower()}")
    wrong = api.get(
        f"/public/certificates/verify/{SERIAL}/{'A' * 8 if code != 'A' * 8 else 'B' * 8}"
    )
    other = api.get(f"/public/certificates/verify/GAR000000027/{code}")
    odd = api.get(f"/public/certificates/verify/{SERIAL}/%2E%2E")

    assert len(code) == 8 and code.isalnum()
    assert (good.status_code, good.json_body["verified"]) == (200, True)
    assert good.json_body["certificate"]["serial"] == SERIAL
    assert {r.status_code for r in (wrong, other, odd)} == {404}
    assert {error_code(r) for r in (wrong, other, odd)} == {"certificate_not_found"}


def test_no_code_before_activation(api: Api, token: str) -> None:
    response = api.get(f"/public/certificates/{token}")

    assert (response.status_code, error_code(response)) == (404, "certificate_not_found")


def test_the_owner_sees_the_unit_s_history_but_not_the_staff_s(api: Api, token: str) -> None:
    body = f.activation_body(token)
    assert api.post("/public/activations", json_body=body).status_code == 201

    units = api.get("/public/my-units", token=login_by_phone(api, body["customer"]["phone"]))

    [unit] = units.json_body["units"]
    assert unit["certificate_url"] == f"http://portal.test/c/{token}"
    assert [e["event"] for e in unit["history"]] == ["activated"]
    assert set(unit["history"][0]) == {"at", "event"}
