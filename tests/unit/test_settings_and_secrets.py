"""Settings fail fast with a clear message; the secrets parameter is parsed strictly."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from chalicelib.core.settings import SettingsError, get_settings
from chalicelib.platform.secrets import SecretsError, parse_secrets
from tests.support import factories as f


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_local_stage_names_tables_and_streams_from_the_stage(environ: pytest.MonkeyPatch) -> None:
    settings = get_settings()

    assert settings.is_local
    assert settings.table_name("units") == "garanti-local-units"
    assert settings.units_stream_arn.startswith("arn:aws:dynamodb:ap-southeast-1:")
    assert ":table/garanti-local-units/stream/" in settings.units_stream_arn
    assert settings.cognito_jwks_url.endswith("/.well-known/jwks.json")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GARANTI_STAGE", "staging"),
        ("GARANTI_MAX_STREAM_RETRIES", "five"),
        ("GARANTI_MAX_STREAM_RETRIES", "¹"),  # passes str.isdigit, not int()
        ("GARANTI_LABEL_WORKERS", "²"),
    ],
)
def test_malformed_settings_fail_fast_naming_the_variable(
    environ: pytest.MonkeyPatch, name: str, value: str
) -> None:
    environ.setenv(name, value)

    with pytest.raises(SettingsError) as caught:
        get_settings()

    assert name in str(caught.value)


def test_issuer_and_jwks_url_can_be_configured_apart(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("GARANTI_COGNITO_ISSUER", "https://issuer.example/pool")
    environ.setenv("GARANTI_COGNITO_JWKS_URL", "http://127.0.0.1:5000/pool/.well-known/jwks.json")

    settings = get_settings()

    assert settings.cognito_issuer == "https://issuer.example/pool"
    assert settings.cognito_jwks_url == "http://127.0.0.1:5000/pool/.well-known/jwks.json"


def test_secrets_parameter_yields_the_keyring_pepper_and_token_key() -> None:
    secrets = parse_secrets(f.secrets_json())

    assert secrets.pepper == f.PEPPER
    assert secrets.lookup_token_key == f.LOOKUP_TOKEN_KEY
    assert secrets.qr_keyring.active_key_id == 2
    assert secrets.qr_keyring.verify(f.keyring(active_key_id=1).issue("SN-1")) == "SN-1"


@pytest.mark.parametrize(
    "change",
    [
        {"pepper": "00" * 8},  # too short
        {"lookup_token_key": "00" * 16},  # too short
        {"pepper": "not hex"},
        {"qr_active_key": 9},  # not in the keyring
        {"qr_keys": {"1": "00" * 8}, "qr_active_key": 1},  # key too short
        {"qr_keys": []},
    ],
)
def test_malformed_secrets_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(SecretsError):
        parse_secrets(json.dumps({**f.SECRETS_DOCUMENT, **change}))


@pytest.mark.parametrize("raw", ["", "{}", "[]", "not json"])
def test_secrets_that_are_not_the_document_are_refused(raw: str) -> None:
    with pytest.raises(SecretsError):
        parse_secrets(raw)


def test_secrets_errors_never_echo_the_secret_values() -> None:
    document = {**f.SECRETS_DOCUMENT, "pepper": "zz" + f.PEPPER.hex()}

    with pytest.raises(SecretsError) as caught:
        parse_secrets(json.dumps(document))

    assert f.PEPPER.hex() not in str(caught.value)
