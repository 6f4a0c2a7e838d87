"""The printed certificate's data: the warranty and its terms, a QR that opens the portal's
verify page for this serial and code, and the owner's full name only for the owner's session."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.integration.test_lookup_routes import login_by_phone  # the OTP flow, over the API
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import Emulator
from tests.support.labels import decode_image

SERIAL = "GAR000000019"


@pytest.fixture
def token(aws: Emulator) -> str:
    seed.model("AC-9", terms=f.terms(max_months_from_manufacture=36))
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


def activated(api: Api, token: str) -> dict[str, Any]:
    response = api.post("/public/activations", json_body=f.activation_body(token))
    assert response.status_code == 201, response.body
    body: dict[str, Any] = response.json_body
    return body


def drawn(qr: dict[str, Any], scale: int = 8) -> Image.Image:
    """The QR's path data drawn as a browser draws it (one unit a module), for zbar to read."""
    side = qr["modules"] * scale
    image = Image.new("L", (side, side), 255)
    pen = ImageDraw.Draw(image)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", qr["path"]):
        left, top = int(x) * scale, int(y) * scale
        pen.rectangle((left, top, left + int(width) * scale - 1, top + scale - 1), fill=0)
    return image


def test_the_certificate_carries_the_warranty_its_terms_and_a_qr_to_verify_it(
    api: Api, token: str
) -> None:
    activation = activated(api, token)

    body = api.get(f"/public/certificates/{token}").json_body

    code = body["verification_code"]
    assert body["warranty"] == {
        "months": 24,
        "start": activation["warranty_start"],
        "end": activation["warranty_end"],
        "basis": activation["warranty_basis"],
        "max_months_from_manufacture": 36,
    }
    assert body["verify_url"] == f"http://portal.test/verify?serial={SERIAL}&code={code}"
    assert decode_image(drawn(body["qr"])) == [body["verify_url"]]
    assert body["certificate"]["customer_name"] == "N***** V** A*"
    assert body["owner_verified"] is False


def test_the_owner_s_session_sees_the_full_name_and_nobody_else_s_does(
    api: Api, token: str
) -> None:
    activated(api, token)
    owner = login_by_phone(api)
    stranger = login_by_phone(api, "0987654321")

    as_owner = api.get(f"/public/certificates/{token}", token=owner).json_body
    as_stranger = api.get(f"/public/certificates/{token}", token=stranger).json_body
    forged = api.get(f"/public/certificates/{token}", token=owner[:-2] + "xx")

    assert (as_owner["certificate"]["customer_name"], as_owner["owner_verified"]) == (
        "Nguyễn Văn An",
        True,
    )
    assert (as_stranger["certificate"]["customer_name"], as_stranger["owner_verified"]) == (
        "N***** V** A*",
        False,
    )
    assert forged.status_code == 200
    assert forged.json_body["certificate"]["customer_name"] == "N***** V** A*"


def test_no_certificate_before_activation_whoever_asks(api: Api, token: str) -> None:
    owner = login_by_phone(api)

    response = api.get(f"/public/certificates/{token}", token=owner)

    assert (response.status_code, error_code(response)) == (404, "certificate_not_found")
