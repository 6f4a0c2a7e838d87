"""Not you? Tell us (issue 11): the confirmation message carries a signed link by which its
recipient disowns the activation; that flags it for review on the unit and in the message log."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import HTTPResponse

from chalicelib.catalog.brand_repository import BrandRepository
from chalicelib.catalog.model import BrandTheme
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

E164 = "+84912345678"
LINK = re.compile(r"http://portal\.test/n/([A-Za-z0-9]+)/([A-Z2-7]{16})")


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


def activate_and_confirm(api: Api, units_stream: StreamReader, serial: str = "SN-1") -> Any:
    """Activate ``serial`` and let the units stream queue its confirmation; the message."""
    response = api.post("/public/activations", json_body=f.activation_body(seed.token(serial)))
    assert response.status_code == 201, response.body
    assert deliver("on_unit_change", units_stream.new_records()) == {"batchItemFailures": []}
    messages = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, E164), datetime.now(UTC)
    )
    return next(m for m in messages if m.subject == serial)


def link_in(message: Any) -> tuple[str, str]:
    found = LINK.search(message.text)
    assert found is not None, message.text
    return found.group(1), found.group(2)


def report(api: Api, token: str, code: str) -> HTTPResponse:
    return api.post("/public/not-me", json_body={"token": token, "code": code})


def disputes(serial: str = "SN-1") -> list[str]:
    return [h.event for h in UnitRepository().get(serial).history if h.event == "disputed"]


def test_the_confirmation_carries_a_link_to_the_unit_s_not_me_page(
    api: Api, units_stream: StreamReader
) -> None:
    message = activate_and_confirm(api, units_stream)

    token, code = link_in(message)

    assert token == seed.token("SN-1")
    assert message.fields["not_me_url"] == f"http://portal.test/n/{token}/{code}"
    assert "Không phải bạn?" in message.text


def test_not_me_flags_the_activation_for_review_in_the_history_and_the_message_log(
    api: Api, units_stream: StreamReader, staff: StaffTokens
) -> None:
    # Given the confirmation of an activation, received by someone who did not activate it
    message = activate_and_confirm(api, units_stream)

    # When they follow its "not you?" link
    response = report(api, *link_in(message))

    # Then they are thanked with the hotline, and staff see the activation flagged
    assert response.status_code == 200
    assert response.json_body == {"reported": True, "hotline": "1800 6868"}
    unit = api.get("/units/SN-1", token=staff("cs")).json_body
    assert [h["event"] for h in unit["history"]][-1] == "disputed"
    logged = api.get("/messages", token=staff("cs")).json_body["messages"]
    flagged = next(m for m in logged if m["message_id"] == message.message_id)
    assert flagged["disputed_at"] is not None
    detail = api.get(f"/messages/{message.message_id}", token=staff("cs")).json_body
    assert detail["disputed_at"] == flagged["disputed_at"]
    assert UnitRepository().get("SN-1").activation is not None  # flagged, not undone


def test_the_brand_s_own_hotline_is_in_the_confirmation_and_the_not_me_answer(
    api: Api, units_stream: StreamReader
) -> None:
    # Given a brand that names its own hotline instead of the stage's
    brands = BrandRepository()
    demo = brands.get("demo")
    brands.save(dataclasses.replace(demo, theme=BrandTheme(hotline="1900 1234")))

    message = activate_and_confirm(api, units_stream)
    response = report(api, *link_in(message))

    assert message.fields["hotline"] == "1900 1234"
    assert "1800 6868" not in message.text
    assert response.json_body == {"reported": True, "hotline": "1900 1234"}


def test_reporting_twice_records_one_event(api: Api, units_stream: StreamReader) -> None:
    message = activate_and_confirm(api, units_stream)
    first = report(api, *link_in(message))
    flagged_at = NotificationRecord.get(message.message_id).disputed_at

    second = report(api, *link_in(message))

    assert first.status_code == second.status_code == 200
    assert second.json_body == first.json_body
    assert disputes() == ["disputed"]
    assert NotificationRecord.get(message.message_id).disputed_at == flagged_at


def test_a_link_flags_only_its_own_activation(api: Api, units_stream: StreamReader) -> None:
    # Given two activated units and the link of the first one
    message = activate_and_confirm(api, units_stream, "SN-1")
    activate_and_confirm(api, units_stream, "SN-2")
    token, code = link_in(message)
    wrong = ("A" if code[0] != "A" else "B") + code[1:]

    # When someone swaps the unit, or guesses a code, or uses the sticker's token alone
    answers = [
        report(api, seed.token("SN-2"), code),  # the first unit's code on the second unit
        report(api, token, wrong),
        report(api, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), code),
        report(api, seed.token("GAR000000027"), code),  # no such unit
    ]

    # Then every answer is the same 404, and nothing is flagged
    assert {(r.status_code, error_code(r)) for r in answers} == {(404, "not_me_link_invalid")}
    assert disputes("SN-1") == disputes("SN-2") == []


def test_a_unit_not_activated_has_nothing_to_disown(api: Api, units_stream: StreamReader) -> None:
    message = activate_and_confirm(api, units_stream, "SN-1")
    _, code = link_in(message)

    response = report(api, seed.token("SN-2"), code)

    assert (response.status_code, error_code(response)) == (404, "not_me_link_invalid")


def test_reports_are_rate_limited_per_client(api: Api, units_stream: StreamReader) -> None:
    token = seed.token("SN-1")
    answers = [report(api, token, "A" * 16) for _ in range(31)]

    assert [a.status_code for a in answers[:30]] == [404] * 30
    assert (answers[30].status_code, error_code(answers[30])) == (429, "not_me_rate_limited")
    assert answers[30].headers["Retry-After"]
