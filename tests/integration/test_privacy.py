"""Personal data stays out of the logs (threat 17): no full phone number, code or token."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

import pytest

from chalicelib.catalog.tables import UnitRecord
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

APP_LOGGER = "garanti"  # the Powertools logger every part of the app logs through
MOBILE = re.compile(r"(?<!\d)(?:\+?84|0)[35789]\d{8}(?!\d)")


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def what_was_logged(record: logging.LogRecord) -> str:
    """The message, its arguments, any exception and every ``extra`` field: what reaches the
    log line (timestamps, thread and process ids are left out: they are not ours)."""
    extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
    return " ".join([record.getMessage(), record.exc_text or "", json.dumps(extra, default=str)])


def test_logs_never_carry_a_full_phone_number_a_code_or_a_token(
    api: Api, aws: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=APP_LOGGER)
    seed.model("AC-9")
    seed.units(["SN-1"])
    units = StreamReader(aws, UnitRecord.Meta.table_name)
    messages = StreamReader(aws, NotificationRecord.Meta.table_name)
    units.new_records()

    api.post("/public/activations", json_body=f.activation_body(seed.token("SN-1")))
    api.post("/public/otp", json_body={"phone": "0912345678"})
    deliver("on_unit_change", units.new_records())
    deliver("on_notification_change", messages.new_records())
    [code_message] = [
        m
        for m in NotificationRepository().list_for_recipient(
            phone_key(f.PEPPER, f.PHONE), datetime.now(UTC)
        )
        if m.template == "lookup_code"
    ]
    code = re.findall(r"\b\d{6}\b", code_message.text)[0]
    api.post("/public/otp/verify", json_body={"phone": "0912345678", "code": f"{code[:-1]}x"})
    token = api.post(
        "/public/otp/verify", json_body={"phone": "0912345678", "code": code}
    ).json_body["lookup_token"]
    api.get("/public/my-units", token=token)

    logged = "\n".join(
        what_was_logged(record)
        for record in caplog.records
        if record.name.split(".")[0] == APP_LOGGER
    )

    assert "unit activated" in logged  # the flow did log
    assert MOBILE.findall(logged) == []
    assert re.search(rf"(?<!\d){code}(?!\d)", logged) is None
    assert token not in logged
    assert "Nguyễn" not in logged and "Nguy\\u1ec5n" not in logged
