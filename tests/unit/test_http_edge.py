"""The HTTP edge: strict JSON with limits, allow-listed fields, and errors rendered as a stable
code plus Vietnamese and English words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.app import Chalice, Response
from chalice.test import Client

from chalicelib.activation.schemas import ActivationRequest, OtpVerifyRequest
from chalicelib.catalog.schemas import (
    BrandRequest,
    BrandThemeRequest,
    GenerateUnitsRequest,
    NewProductModelRequest,
)
from chalicelib.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    GarantiError,
    Invalid,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    Unauthorized,
)
from chalicelib.core.i18n import text
from chalicelib.labels.schemas import TextBoxRequest
from chalicelib.platform.http import (
    DEFAULT_MAX_BODY,
    chalice_errors_in_our_shape,
    error_response,
    language_of,
    maps_domain_errors,
    parse_json,
    parse_request,
    remember_request,
    validate,
)
from tests.support.chalice_requests import api_request, json_request
from tests.support.factories import activation_body

TOKEN = "A" * 37


def error_of(call: Any) -> GarantiError:
    with pytest.raises(GarantiError) as caught:
        call()
    return caught.value


def field_codes(error: GarantiError) -> dict[str, str]:
    assert isinstance(error, Invalid)
    return {f.field: f.code for f in error.fields}


def body_of(response: Response) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(response.body)
    return data


# --- parsing ------------------------------------------------------------------------------


def test_duplicate_keys_are_rejected_naming_the_key() -> None:
    error = error_of(lambda: parse_json(api_request('{"token": "a", "token": "b"}')))

    assert (error.code, error.details) == ("duplicate_key", {"key": "token"})


def test_duplicate_keys_in_a_nested_object_are_rejected() -> None:
    body = '{"customer": {"phone": "0912345678", "phone": "0987654321"}}'

    assert error_of(lambda: parse_json(api_request(body))).code == "duplicate_key"


@pytest.mark.parametrize("raw", [b'{"name": "\xff\xfe"}', b'{"name": "Nguy\xe1\xbb"}', b"\xc0\xaf"])
def test_invalid_utf8_is_malformed_json(raw: bytes) -> None:
    assert error_of(lambda: parse_json(api_request(raw))).code == "malformed_json"


@pytest.mark.parametrize("raw", ["[" * 8000 + "]" * 8000, '{"a":' * 2500 + "1" + "}" * 2500])
def test_deeply_nested_json_is_malformed_json_not_a_crash(raw: str) -> None:
    assert len(raw.encode()) <= DEFAULT_MAX_BODY

    assert error_of(lambda: parse_json(api_request(raw))).code == "malformed_json"


@pytest.mark.parametrize("raw", ["{", "{'a': 1}", '{"a": 1,}', "undefined", '"\\ud800"x'])
def test_syntax_errors_are_malformed_json(raw: str) -> None:
    assert error_of(lambda: parse_json(api_request(raw))).code == "malformed_json"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_number_constants_are_malformed_json(constant: str) -> None:
    """RFC 8259 has no NaN or Infinity; the parser promises strict JSON."""
    assert error_of(lambda: parse_json(api_request(f'{{"a": {constant}}}'))).code == (
        "malformed_json"
    )


def test_body_over_the_limit_is_payload_too_large() -> None:
    raw = json.dumps({"token": "x" * DEFAULT_MAX_BODY})

    error = error_of(lambda: parse_json(api_request(raw)))

    assert isinstance(error, PayloadTooLarge)
    assert error.details == {"max_bytes": DEFAULT_MAX_BODY}


def test_body_at_the_limit_is_read() -> None:
    filler = "x" * (DEFAULT_MAX_BODY - len('{"a": ""}'))
    raw = '{"a": "' + filler + '"}'
    assert len(raw) == DEFAULT_MAX_BODY

    assert parse_json(api_request(raw)) == {"a": filler}


@pytest.mark.parametrize("raw", [None, "", "  \n "])
def test_empty_body_is_required(raw: str | None) -> None:
    assert error_of(lambda: parse_json(api_request(raw))).code == "body_required"


@pytest.mark.parametrize("data", [[], ["token"], "token", 1, None])
def test_body_that_is_not_an_object_is_rejected(data: Any) -> None:
    error = error_of(lambda: parse_request(json_request(data), ActivationRequest))

    assert error.code == "body_must_be_object"


# --- validation ---------------------------------------------------------------------------


def test_valid_activation_body_is_parsed_and_normalised() -> None:
    request = parse_request(
        json_request(activation_body(TOKEN, customer={"name": "  Nguye\u0302\u0303n   An "})),
        ActivationRequest,
    )

    assert request.customer.name == "Nguyễn An"
    assert request.customer.phone == "+84912345678"


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "activated"},
        {"warranty_end": "2099-01-01"},
        {"manufacturer_id": "other"},
        {"__proto__": {"admin": True}},
        {"activated_at": "2020-01-01T00:00:00Z"},
    ],
)
def test_server_set_fields_cannot_be_assigned(extra: dict[str, Any]) -> None:
    error = error_of(
        lambda: parse_request(json_request(activation_body(TOKEN, **extra)), ActivationRequest)
    )

    assert error.code == "invalid_input"
    assert field_codes(error) == {next(iter(extra)): "unknown_field"}


def test_unknown_nested_field_is_rejected() -> None:
    body = activation_body(TOKEN, customer={"owner_key": "x"})

    error = error_of(lambda: parse_request(json_request(body), ActivationRequest))

    assert field_codes(error) == {"customer.owner_key": "unknown_field"}


@pytest.mark.parametrize(
    ("customer", "field", "code"),
    [
        ({"phone": "02838123456"}, "customer.phone", "phone_not_mobile"),
        ({"phone": "1900123456"}, "customer.phone", "phone_not_mobile"),
        ({"phone": "+14155550123"}, "customer.phone", "phone_not_vietnamese"),
        ({"phone": 912345678}, "customer.phone", "wrong_type"),
        ({"phone": "0912 345 678" + " " * 21}, "customer.phone", "phone_invalid"),
        ({"phone": "9" * 5000}, "customer.phone", "phone_invalid"),
        ({"name": "An\u202e"}, "customer.name", "name_bad_characters"),
        ({"name": "An\x00"}, "customer.name", "name_bad_characters"),
        ({"name": " "}, "customer.name", "name_required"),
        ({"name": "A" * 101}, "customer.name", "name_too_long"),
        ({"name": "A" * 201}, "customer.name", "name_too_long"),
        ({"name": "A" * 5000}, "customer.name", "name_too_long"),
        ({"address": "x" * 301}, "customer.address", "address_too_long"),
        ({"address": "x" * 601}, "customer.address", "address_too_long"),
        ({"province": "x" * 81}, "customer.province", "province_too_long"),
        ({"province": "x" * 201}, "customer.province", "province_too_long"),
    ],
)
def test_bad_customer_fields_are_reported_with_domain_codes(
    customer: dict[str, Any], field: str, code: str
) -> None:
    body = activation_body(TOKEN, customer=customer)

    error = error_of(lambda: parse_request(json_request(body), ActivationRequest))

    assert field_codes(error) == {field: code}


@pytest.mark.parametrize(
    ("model", "body", "field", "limit"),
    [
        (NewProductModelRequest, {"code": "AC-1", "warranty_months": 12}, "name", 150),
        (
            NewProductModelRequest,
            {"code": "AC-1", "name": "Máy lạnh", "warranty_months": 12},
            "description",
            2000,
        ),
        (BrandRequest, {"serial_prefix": "GAR"}, "name", 100),
        (BrandThemeRequest, {}, "short_name", 16),
        (
            TextBoxRequest,
            {"field": "custom", "x_mm": 1, "y_mm": 1, "width_mm": 10, "font_pt": 6},
            "text",
            60,
        ),
    ],
)
@pytest.mark.parametrize("over", [1, 200, 5000])
def test_any_length_over_a_text_limit_gets_the_field_s_own_code(
    model: Any, body: dict[str, Any], field: str, limit: int, over: int
) -> None:
    code = {
        (NewProductModelRequest, "name"): "model_name_too_long",
        (NewProductModelRequest, "description"): "description_too_long",
        (BrandRequest, "name"): "brand_name_too_long",
        (BrandThemeRequest, "short_name"): "short_name_too_long",
        (TextBoxRequest, "text"): "label_text_too_long",
    }[(model, field)]

    error = error_of(lambda: validate(model, {**body, field: "x" * (limit + over)}))

    assert field_codes(error) == {field: code}


def test_missing_consent_is_a_required_field() -> None:
    body = activation_body(TOKEN)
    del body["consents"]

    error = error_of(lambda: parse_request(json_request(body), ActivationRequest))

    assert field_codes(error) == {"consents": "required"}


def test_types_are_strict() -> None:
    body = activation_body(TOKEN, consents={"warranty_service": "true"}, language="fr")

    error = error_of(lambda: parse_request(json_request(body), ActivationRequest))

    assert field_codes(error) == {
        "consents.warranty_service": "wrong_type",
        "language": "value_not_allowed",
    }


def test_format_mismatch_is_reported_as_a_format_error_not_a_type_error() -> None:
    """A six-letter code is a string of the wrong format, not a value of the wrong type."""
    error = error_of(
        lambda: parse_request(
            json_request({"phone": "0912345678", "code": "12ab56"}), OtpVerifyRequest
        )
    )

    assert field_codes(error) == {"code": "invalid_format"}


def test_impossible_dates_are_reported() -> None:
    data = {"model_code": "AC-9", "count": 1, "manufactured_on": "2026-02-30"}

    error = error_of(lambda: parse_request(json_request(data), GenerateUnitsRequest))

    assert field_codes(error) == {"manufactured_on": "date_invalid"}


# --- rendering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Invalid("malformed_json"), 400),
        (Unauthorized("token_invalid"), 401),
        (Forbidden("role_not_allowed"), 403),
        (NotFound("unit_not_found"), 404),
        (Conflict("already_activated"), 409),
        (PayloadTooLarge(), 413),
        (TooManyRequests("otp_send_limit", retry_after=120), 429),
    ],
)
def test_each_error_class_has_its_status(error: GarantiError, status: int) -> None:
    response = error_response(error, "vi")

    assert response.status_code == status
    assert body_of(response)["error"]["code"] == error.code


def test_error_body_carries_the_code_both_languages_and_safe_details() -> None:
    error = Conflict("already_activated", activated_at="2026-03-10T09:30:00+00:00")

    body = body_of(error_response(error, "en"))["error"]

    assert body == {
        "code": "already_activated",
        "message": text("already_activated", "en"),
        "messages": {
            "vi": text("already_activated", "vi"),
            "en": text("already_activated", "en"),
            "fa": text("already_activated", "fa"),
        },
        "activated_at": "2026-03-10T09:30:00+00:00",
    }


def test_too_many_requests_says_when_to_retry() -> None:
    response = error_response(TooManyRequests("otp_resend_too_soon", retry_after=42), "vi")

    assert response.headers["Retry-After"] == "42"
    assert body_of(response)["error"]["retry_after"] == 42


def test_field_errors_are_listed_with_words() -> None:
    error = Invalid("invalid_input", fields=[FieldError("customer.phone", "phone_not_mobile")])

    body = body_of(error_response(error, "en"))["error"]

    assert body["fields"] == [
        {
            "field": "customer.phone",
            "code": "phone_not_mobile",
            "message": text("phone_not_mobile", "en"),
        }
    ]


def test_responses_are_json_and_never_cached() -> None:
    response = error_response(NotFound("unit_not_found"), "vi")

    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("en-US,en;q=0.9", "en"),
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr", "vi"),
        ("", "vi"),
    ],
)
def test_language_follows_accept_language(header: str, language: str) -> None:
    assert language_of(api_request("{}", headers={"accept-language": header})) == language


def test_decorated_view_turns_domain_errors_into_responses() -> None:
    @maps_domain_errors
    def view() -> Response:
        raise NotFound("unit_not_found")

    response = view()

    assert response.status_code == 404
    assert body_of(response)["error"]["code"] == "unit_not_found"


def test_a_crash_in_a_view_is_500_internal_error_in_our_shape() -> None:
    app = Chalice(app_name="edge")
    app.register_middleware(remember_request, "http")
    app.register_middleware(chalice_errors_in_our_shape, "http")

    @app.route("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with Client(app) as client:
        response = client.http.get("/boom", headers={"Accept-Language": "en"})

    error = json.loads(response.body)["error"]
    assert (response.status_code, error["code"]) == (500, "internal_error")
    assert error["message"] == text("internal_error", "en")
    assert "a bug" not in response.body.decode()


def test_the_api_answers_a_method_a_route_lacks_with_405_in_our_shape() -> None:
    from app import app

    with Client(app) as client:
        response = client.http.request("PATCH", "/public/otp")

    error = json.loads(response.body)["error"]
    assert (response.status_code, error["code"]) == (405, "method_not_allowed")
    assert set(error["messages"]) == {"vi", "en", "fa"}
    assert response.headers["Allow"] == "POST"
