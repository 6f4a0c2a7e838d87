"""The operator's messaging CLI: a document checked exactly as the app parses it, the SSM
command, and the OA token pair installed into the stage's table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.core.settings import get_settings
from chalicelib.messaging.tables import ProviderTokenRecord
from devstack.provision import messaging_config, put_messaging
from infra import messaging
from tests.support.aws import clear_app_caches


def filled_in() -> dict[str, Any]:
    document = messaging.example("https://api.example.vn")
    brand = json.loads(json.dumps(messaging.EXAMPLE_BRAND).replace("<", "x").replace(">", "x"))
    brand["zns"]["oa_id"] = "1234567890"
    document["brands"] = {"demo": brand}
    return document


def test_a_filled_in_example_checks_and_lists_the_callback_urls(tmp_path: Path) -> None:
    path = tmp_path / "messaging.json"
    path.write_text(json.dumps(filled_in()), encoding="utf-8")
    token = filled_in()["hooks"]["path_token"]

    urls = messaging.check(path.read_text(encoding="utf-8"))

    assert "https://api.example.vn/hooks/zalo" in urls[0]
    assert urls[1].split()[3].startswith("https://api.example.vn/hooks/esms/dlr/")
    assert len(token) >= 32


def test_put_refuses_a_bad_document_naming_the_field_not_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = filled_in()
    document["brands"]["demo"]["sms"]["esms"]["api_key"] = ""
    document["brands"]["demo"]["zns"]["secret_key"] = "TOP-SECRET"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(SystemExit) as stopped:
        messaging.main(["put", str(path), "--stage", "dev"])

    assert "brands.demo.sms.esms.api_key" in str(stopped.value)
    assert "TOP-SECRET" not in str(stopped.value) + capsys.readouterr().out


def test_put_prints_the_ssm_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "messaging.json"
    path.write_text(json.dumps(filled_in()), encoding="utf-8")

    messaging.main(["put", str(path), "--stage", "prod"])

    printed = capsys.readouterr().out
    assert printed.startswith("aws ssm put-parameter --type SecureString --overwrite --name ")
    assert "/garanti/prod/messaging" in printed


def test_seed_zalo_installs_the_pair_in_the_stage_table(aws: Any) -> None:
    document = filled_in()
    put_messaging(
        aws.ssm,
        get_settings().messaging_parameter,
        messaging_config("https://api.example.vn", "t" * 32, document["brands"]),
    )
    clear_app_caches()

    token_id = messaging.seed_zalo(
        "local", "demo", '{"access_token": "at-1", "refresh_token": "rt-1", "expires_in": "90000"}'
    )

    stored = ProviderTokenRecord.get(token_id)
    assert token_id == "zalo#1234567890"
    assert (stored.access_token, stored.refresh_token) == ("at-1", "rt-1")
