"""Public routes: the unit behind a QR token and its activation by the customer."""

from __future__ import annotations

import json
import threading
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from chalice.test import HTTPResponse

from chalicelib.activation import service as activation
from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Owner, UnitStatus
from chalicelib.catalog.tables import CustomerRecord, UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import StartBasis, add_months
from chalicelib.core.errors import Conflict
from chalicelib.core.qr_token import QrKeyring, UnitLinks
from chalicelib.platform import wiring as platform_wiring
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"
VIETNAM = timezone(timedelta(hours=7))


@pytest.fixture
def token(aws: Emulator) -> str:
    """A registered, not yet activated unit of model AC-9 (24 months from activation)."""
    seed.model("AC-9")
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


def activate(api: Api, token: str, **overrides: object) -> HTTPResponse:
    return api.post("/public/activations", json_body=f.activation_body(token, **overrides))


def stored_owner(serial: str = SERIAL) -> Owner:
    activation = UnitRepository().get(serial).activation
    assert activation is not None, f"{serial} is not activated"
    return activation.owner


def today() -> date:
    return datetime.now(UTC).date()


def calendar_days_of(instant: datetime) -> set[str]:
    """The instant's date in UTC and in Vietnam: which one a warranty uses is pinned by the
    unit suite (test_activation_service); here either keeps the test independent of the hour."""
    return {instant.date().isoformat(), instant.astimezone(VIETNAM).date().isoformat()}


# --- the public unit view --------------------------------------------------------------------


def test_genuine_unit_is_shown_as_not_activated(api: Api, token: str) -> None:
    response = api.get(f"/public/units/{token}")

    assert response.status_code == 200
    assert response.json_body == {
        "serial": SERIAL,
        "genuine": True,
        "model": {
            "code": "AC-9",
            "name": "Máy lạnh Inverter AC-9",
            "description": "Máy lạnh treo tường",
            "image_url": "/assets/models/ac-9.svg",
            "specs": {"Công suất": "1 HP"},
            "warranty_months": 24,
            # no English texts: the Vietnamese ones stand in
            "en": {
                "name": "Máy lạnh Inverter AC-9",
                "description": "Máy lạnh treo tường",
                "specs": {"Công suất": "1 HP"},
            },
        },
        "status": "not_activated",
        "activated_on": None,
        "warranty_end": None,
        "customer_name": None,
        "sold_through": None,  # not shipped to a dealer (test_dealer_access names one)
    }


def test_token_is_accepted_in_lower_case(api: Api, token: str) -> None:
    assert api.get(f"/public/units/{token.lower()}").json_body["serial"] == SERIAL


def test_activated_unit_shows_dates_and_a_masked_name_only(api: Api, token: str) -> None:
    activate(api, token)

    body = api.get(f"/public/units/{token}").json_body

    assert body["status"] == "activated"
    assert body["activated_on"] in calendar_days_of(datetime.now(UTC))
    assert body["warranty_end"] is not None
    assert body["customer_name"] == "N***** V** A*"
    assert "Nguyễn" not in json.dumps(body, ensure_ascii=False)
    assert "0912345678" not in json.dumps(body) and "345678" not in json.dumps(body)


def test_unit_past_its_warranty_is_shown_as_expired(api: Api, token: str) -> None:
    long_ago = datetime(2023, 1, 10, tzinfo=UTC)
    UnitRepository().activate(
        SERIAL,
        f.activation(long_ago, warranty_end=date(2025, 1, 9)),
        owner_key="k",
        consents=(),
    )

    body = api.get(f"/public/units/{token}").json_body

    assert (body["status"], body["warranty_end"]) == ("expired", "2025-01-09")


def test_forged_token_gets_the_same_answer_as_an_unknown_unit(api: Api, token: str) -> None:
    unknown = seed.token("GAR000000027")  # genuine, but no such unit
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    other_keyring = QrKeyring(active_key_id=2, keys={2: b"another manufacturer".ljust(32)})

    answers = [
        api.get(f"/public/units/{t}")
        for t in (unknown, tampered, other_keyring.issue(SERIAL), "A" * 37, "x")
    ]

    assert {r.status_code for r in answers} == {404}
    assert len({r.body for r in answers}) == 1
    assert error_code(answers[0]) == "unit_not_found"


def test_certificate_of_a_forged_token_is_the_unknown_unit_answer(api: Api, token: str) -> None:
    forged = api.get(f"/public/certificates/{token[:-2]}AA")
    unknown = api.get(f"/public/certificates/{seed.token('GAR000000027')}")

    assert forged.status_code == unknown.status_code == 404
    assert forged.body == unknown.body


def test_certificate_exists_only_once_activated(api: Api, token: str) -> None:
    before = api.get(f"/public/certificates/{token}")
    activate(api, token)
    after = api.get(f"/public/certificates/{token}")

    assert (before.status_code, error_code(before)) == (404, "certificate_not_found")
    assert after.status_code == 200
    assert after.json_body["verified"] is True
    assert after.json_body["certificate"]["status"] == "activated"


# --- activation -----------------------------------------------------------------------------


def test_activation_returns_the_warranty_and_the_certificate_link(api: Api, token: str) -> None:
    response = activate(api, token)

    assert response.status_code == 201
    body = response.json_body
    assert body["serial"] == SERIAL
    assert body["model"] == {
        "code": "AC-9",
        "name": "Máy lạnh Inverter AC-9",
        "en": {"name": "Máy lạnh Inverter AC-9"},
    }
    assert body["status"] == "activated"
    activated_at = datetime.fromisoformat(body["activated_at"])
    assert abs(activated_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert body["warranty_start"] in calendar_days_of(activated_at)
    start = date.fromisoformat(body["warranty_start"])
    assert date.fromisoformat(body["warranty_end"]) == f.terms(24).window(activated_on=start).end
    assert body["warranty_basis"] == "warranty_from_activation"
    assert body["certificate_url"] == f"http://portal.test/c/{token}"
    assert set(body) == {
        "serial", "model", "status", "activated_at", "warranty_start", "warranty_end",
        "warranty_basis", "certificate_url",
    }  # fmt: skip


def test_activation_stores_owner_consents_and_history(api: Api, token: str) -> None:
    activate(api, token, consents={"warranty_service": True, "marketing": True})

    unit = UnitRepository().get(SERIAL)
    assert unit.status is UnitStatus.ACTIVATED
    assert unit.activation is not None
    assert unit.activation.owner == Owner("Nguyễn Văn An", "+84912345678", "Hà Nội", "")
    assert unit.activation.channel == "web"
    [customer] = list(CustomerRecord.scan())
    assert customer.consent_warranty_service.granted is True
    assert customer.consent_marketing.granted is True
    assert customer.consent_marketing.evidence == f"activation:{SERIAL}"
    assert "912345678" not in customer.customer_key


def test_activation_rejects_unit_already_activated(api: Api, token: str) -> None:
    first = activate(api, token)

    second = activate(api, token, customer={"name": "Kẻ Gian", "phone": "0987654321"})

    assert second.status_code == 409
    error = second.json_body["error"]
    assert error["code"] == "already_activated"
    assert error["activated_at"] == first.json_body["activated_at"]
    text = json.dumps(second.json_body, ensure_ascii=False)
    for owner_data in ("Nguyễn", "Văn An", "0912345678", "912345678", "Hà Nội", "Kẻ Gian"):
        assert owner_data not in text
    assert stored_owner().name == "Nguyễn Văn An"


def test_activation_of_an_unknown_unit_or_forged_token_is_not_found(api: Api, token: str) -> None:
    unknown = activate(api, seed.token("GAR000000027"))
    forged = activate(api, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))

    assert unknown.status_code == forged.status_code == 404
    assert unknown.body == forged.body


def test_malformed_json_is_rejected(api: Api, token: str) -> None:
    response = api.post("/public/activations", body='{"token": "' + token + '",')

    assert (response.status_code, error_code(response)) == (400, "malformed_json")


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
)
def test_a_body_that_is_not_declared_json_gets_a_bilingual_415(
    api: Api, token: str, content_type: str
) -> None:
    # curl -d sends application/x-www-form-urlencoded unless told otherwise
    response = api.post(
        "/public/activations",
        body=f'{{"token": "{token}"}}',
        headers={"Content-Type": content_type},
    )

    assert (response.status_code, error_code(response)) == (415, "unsupported_media_type")
    error = json.loads(response.body)["error"]
    assert error["expected"] == "application/json"
    assert error["messages"]["vi"] and error["messages"]["en"]


def test_invalid_utf8_is_rejected(api: Api, token: str) -> None:
    body = ('{"token": "' + token + '", "customer": {"name": "').encode() + b"\xff\xfe" + b'"}}'

    response = api.post("/public/activations", body=body)

    assert (response.status_code, error_code(response)) == (400, "malformed_json")


def test_duplicate_keys_are_rejected(api: Api, token: str) -> None:
    body = json.dumps(f.activation_body(token))[:-1] + ', "language": "en", "language": "vi"}'

    response = api.post("/public/activations", body=body)

    assert (response.status_code, error_code(response)) == (400, "duplicate_key")


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "activated"},
        {"warranty_end": "2099-01-01"},
        {"activated_at": "2020-01-01T00:00:00+00:00"},
        {"manufacturer_id": "other"},
        {"serial": "GAR000000027"},
    ],
)
def test_server_set_fields_cannot_be_mass_assigned(
    api: Api, token: str, extra: dict[str, object]
) -> None:
    response = activate(api, token, **extra)

    assert response.status_code == 400
    fields = response.json_body["error"]["fields"]
    assert [(e["field"], e["code"]) for e in fields] == [(next(iter(extra)), "unknown_field")]
    assert UnitRepository().get(SERIAL).status is UnitStatus.REGISTERED


def test_oversized_body_is_payload_too_large(api: Api, token: str) -> None:
    response = activate(api, token, customer={"address": "x" * 20_000})

    assert (response.status_code, error_code(response)) == (413, "payload_too_large")


def test_six_megabyte_body_is_refused_without_parsing(api: Api, token: str) -> None:
    response = api.post("/public/activations", body="[" * (6 * 1024 * 1024))

    assert (response.status_code, error_code(response)) == (413, "payload_too_large")


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("02838123456", "phone_not_mobile"),
        ("1900123456", "phone_not_mobile"),
        ("+14155550123", "phone_not_vietnamese"),
        ("+447911123456", "phone_not_vietnamese"),
        ("0123", "phone_invalid"),
    ],
)
def test_phones_that_cannot_receive_sms_in_vietnam_are_rejected(
    api: Api, token: str, phone: str, code: str
) -> None:
    response = activate(api, token, customer={"phone": phone})

    assert response.status_code == 400
    assert response.json_body["error"]["fields"] == [
        {
            "field": "customer.phone",
            "code": code,
            "message": response.json_body["error"]["fields"][0]["message"],
        }
    ]
    assert UnitRepository().get(SERIAL).activation is None


def test_legacy_number_is_stored_in_its_new_form(api: Api, token: str) -> None:
    activate(api, token, customer={"phone": "0166 234 5678"})

    assert stored_owner().phone == "+84362345678"


def test_missing_consent_is_rejected(api: Api, token: str) -> None:
    body = f.activation_body(token)
    del body["consents"]

    response = api.post("/public/activations", json_body=body)

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0] == {
        "field": "consents",
        "code": "required",
        "message": response.json_body["error"]["fields"][0]["message"],
    }


def test_declined_warranty_consent_is_refused(api: Api, token: str) -> None:
    response = activate(api, token, consents={"warranty_service": False})

    assert (response.status_code, error_code(response)) == (400, "consent_required")
    assert UnitRepository().get(SERIAL).activation is None


def test_decomposed_vietnamese_name_is_stored_composed(api: Api, token: str) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert nfd != "Nguyễn Thị Ánh"

    assert activate(api, token, customer={"name": nfd}).status_code == 201

    stored = stored_owner().name
    assert stored == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.parametrize("name", ["An\u202eeviL", "An\x00", "An\u2066"])
def test_names_with_control_or_bidi_characters_are_rejected(
    api: Api, token: str, name: str
) -> None:
    response = activate(api, token, customer={"name": name})

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["code"] == "name_bad_characters"


def test_emoji_in_a_name_is_kept(api: Api, token: str) -> None:
    assert activate(api, token, customer={"name": "Mai 🌸"}).status_code == 201

    assert stored_owner().name == "Mai 🌸"


def test_errors_answer_in_the_caller_s_language(api: Api, token: str) -> None:
    body = f.activation_body(token, consents={"warranty_service": False})

    english = api.post("/public/activations", json_body=body, headers={"Accept-Language": "en"})
    vietnamese = api.post("/public/activations", json_body=body)

    assert english.json_body["error"]["message"] == english.json_body["error"]["messages"]["en"]
    assert (
        vietnamese.json_body["error"]["message"] == vietnamese.json_body["error"]["messages"]["vi"]
    )
    assert english.json_body["error"]["message"] != vietnamese.json_body["error"]["message"]


def test_activation_after_the_deadline_is_refused(api: Api, aws: Emulator) -> None:
    seed.model("LOCK-7", terms=f.terms(12, activation_deadline_days=30))
    seed.units(["SN-OLD"], "LOCK-7", manufactured_on=today() - timedelta(days=31))

    response = activate(api, seed.token("SN-OLD"))

    assert (response.status_code, error_code(response)) == (400, "activation_deadline_passed")


def test_shipped_unit_is_covered_from_its_shipping_day(api: Api, aws: Emulator) -> None:
    seed.model("MW-1", terms=f.terms(12, StartBasis.SHIPMENT))
    seed.units(["SN-SHIP"], "MW-1")
    UnitRecord("SN-SHIP").update(
        actions=[UnitRecord.status.set("shipped"), UnitRecord.shipped_on.set("2026-09-01")]
    )

    body = activate(api, seed.token("SN-SHIP")).json_body

    assert (body["warranty_start"], body["warranty_end"], body["warranty_basis"]) == (
        "2026-09-01",
        "2027-08-31",
        "warranty_from_shipment",
    )


def test_warranty_is_capped_from_the_manufacturing_date(api: Api, aws: Emulator) -> None:
    seed.model("AC-CAP", terms=f.terms(24, max_months_from_manufacture=30))
    made_on = today() - timedelta(days=2 * 365)
    seed.units(["SN-CAP"], "AC-CAP", manufactured_on=made_on)

    body = activate(api, seed.token("SN-CAP")).json_body

    assert body["warranty_basis"] == "warranty_capped_from_manufacture"
    assert body["warranty_end"] == (add_months(made_on, 30) - timedelta(days=1)).isoformat()


# --- concurrency ----------------------------------------------------------------------------


def test_parallel_activations_of_one_unit_let_exactly_one_win(token: str) -> None:
    """Given one unit, when 16 customers activate it at once through the service and the real
    repository, then exactly one succeeds and every other one is told it is already activated."""
    secrets = platform_wiring.secrets()
    outcomes: list[str] = []
    barrier = threading.Barrier(16)

    def customer(number: int) -> None:
        command = activation.ActivationCommand(
            token=token,
            owner=Owner(f"Khách {number}", f"+849123456{number:02d}"),
            consents=(ConsentGrant("warranty_service", True),),
            language="vi",
        )
        barrier.wait()
        try:
            activation.activate(
                command,
                now=datetime.now(UTC),
                links=UnitLinks("http://portal.test", secrets.qr_keyring),
                pepper=secrets.pepper,
                units=UnitRepository(),
                models=catalog_wiring.model_cache(),
            )
            outcomes.append("activated")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - any other outcome is the failure we look for
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=customer, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["activated"] + ["already_activated"] * 15
    winner = UnitRepository().get(SERIAL).activation
    assert winner is not None and winner.owner.name.startswith("Khách ")


def test_browsers_may_call_public_routes_from_the_portal_origin_only(api: Api, token: str) -> None:
    response = api.get(f"/public/units/{token}", headers={"Origin": "http://portal.test"})

    assert response.headers["Access-Control-Allow-Origin"] == "http://portal.test"
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]
