"""The portal's look-ups through look-alike characters (0/O, 1/I/L), over the routes: the serial
on the label and the certificate's verification code, typed as people read them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chalicelib.activation.certificate import _digest_base32
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"
AS_READ = "GAROOOOOOOI9"  # every 0 read as O, the 1 as I


@pytest.fixture
def token(aws: Emulator) -> str:
    seed.model("AC-9")
    seed.units([SERIAL, "LOT-0O42", "AB-10", "AB-1O"], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


def test_a_serial_typed_with_look_alikes_finds_its_unit(api: Api, token: str) -> None:
    generated = api.get(f"/public/serials/{AS_READ.lower()}")
    imported = api.get("/public/serials/LOT-0042")
    exact = api.get("/public/serials/AB-10")
    ambiguous = api.get("/public/serials/AB-IO")
    unknown = api.get("/public/serials/GAROOOOOOO27")

    assert (generated.status_code, generated.json_body["serial"]) == (200, SERIAL)
    assert (imported.status_code, imported.json_body["serial"]) == (200, "LOT-0O42")
    assert exact.json_body["serial"] == "AB-10"
    assert (ambiguous.status_code, error_code(ambiguous)) == (404, "unit_not_found")
    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")


def test_a_look_up_through_look_alikes_counts_once_against_the_limit(api: Api, token: str) -> None:
    answers = [api.get(f"/public/serials/{AS_READ}").status_code for _ in range(31)]

    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_a_certificate_typed_with_look_alikes_is_verified(api: Api, token: str) -> None:
    activation = api.post("/public/activations", json_body=f.activation_body(token)).json_body
    code = api.get(f"/public/certificates/{token}").json_body["verification_code"]
    legacy = _digest_base32(
        f.PEPPER, SERIAL, datetime.fromisoformat(activation["activated_at"])
    )  # as certificates printed before Crockford's alphabet spell it
    typed = code.lower()[:4] + "-" + code.lower()[4:]
    legacy_typed = legacy.replace("O", "0").replace("I", "1").replace("L", "1")

    answers = [
        api.get(f"/public/certificates/verify/{serial}/{presented}")
        for serial, presented in (
            (AS_READ, code),
            (SERIAL, typed),
            (SERIAL, legacy),
            (AS_READ.lower(), legacy_typed),
        )
    ]
    wrong = api.get(
        f"/public/certificates/verify/{AS_READ}/{'Z' * 8 if code != 'Z' * 8 else 'Y' * 8}"
    )

    assert set(code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert [a.status_code for a in answers] == [200] * 4
    assert {a.json_body["certificate"]["serial"] for a in answers} == {SERIAL}
    assert (wrong.status_code, error_code(wrong)) == (404, "certificate_not_found")
