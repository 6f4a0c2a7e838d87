"""The claims stream tells the customer and the audit trail: one message per customer-visible
move and per expected return date (each with the request's tracking link, in the customer's
language), one audit entry per change (the customer masked); a record delivered twice queues
and records nothing more."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.outbox.tables import NotificationRecord
from tests.integration.test_claims import ACTIVE, filed, move
from tests.integration.test_claims import units as units  # the fixture
from tests.support.api import Api, StaffTokens
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers


def _claim_messages(claim_id: str) -> list[Any]:
    found = [r for r in NotificationRecord.scan() if r.subject == claim_id]
    return sorted(found, key=lambda r: (r.created_at, r.template))


@pytest.fixture
def stream(aws: Emulator, units: list[str]) -> StreamReader:
    """The claims table's stream, read from its start (the units exist)."""
    return StreamReader(aws, "garanti-local-claims")


def triaged(api: Api, cs: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A request filed by customer service, and as it is once triaged."""
    claim = filed(api, cs, ACTIVE)
    return claim, move(api, cs, claim, "triaged").json_body["claim"]


def test_each_visible_move_and_return_date_is_told_once_and_every_change_audited(
    api: Api, staff: StaffTokens, stream: StreamReader
) -> None:
    cs = staff("cs")
    claim, checked = triaged(api, cs)
    routed = api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": "internal", "assignee": "technician", "version": checked["version"]},
        token=cs,
    ).json_body["claim"]
    accepted = move(api, staff("technician"), routed, "accepted", expected_return="2026-04-01")
    assert accepted.status_code == 200, accepted.body

    records = stream.new_records()
    first = deliver("on_claim_change", records)
    again = deliver("on_claim_change", records)  # redelivered

    assert failed_sequence_numbers(first) == failed_sequence_numbers(again) == []
    messages = _claim_messages(claim["claim_id"])
    assert [(m.template, m.language) for m in messages] == [
        ("claim_received", "vi"),
        ("claim_accepted", "vi"),
        ("claim_return_date", "vi"),
    ]
    assert messages[2].fields["return_date"] == "01/04/2026"
    assert "01/04/2026" in messages[2].text and claim["claim_id"] in messages[0].text
    link = urlsplit(messages[0].fields["tracking_url"])
    tracked = api.get(f"{link.path.replace('/r/', '/service-requests/')}?{link.query}")
    assert tracked.status_code == 200, tracked.body
    entries = list(AuditTrail("demo").for_entity("claim", claim["claim_id"]))
    assert sorted(e.action for e in entries) == ["created", "moved", "moved", "routed"]
    assert {e.actor for e in entries} == {"cs", "technician"}
    created = next(e for e in entries if e.action == "created")
    assert "0912345678" not in str(created.after) and "345678" not in str(created.after)
    # the customer's name masked, as the units' audit does; no contact in clear
    assert created.after["customer_name"] == "N***** T** L**"
    assert created.after["customer_phone"] == "+84 91* *** *78"
    assert "Nguyễn" not in str(entries) and "Lan" not in str(created.after)
    assert created.after and created.after["state"] == "new"
    detail = api.get(f"/claims/{claim['claim_id']}", token=cs).json_body
    kinds = [m["kind"] for m in detail["messages"]]
    assert kinds[0] == "claim_received"
    assert sorted(kinds[1:]) == ["claim_accepted", "claim_return_date"]


def test_a_quote_tells_the_price_and_an_edit_tells_nothing(
    api: Api, staff: StaffTokens, stream: StreamReader
) -> None:
    cs = staff("cs")
    claim, checked = triaged(api, cs)
    quoted = move(api, cs, checked, "quoted", quote_vnd=1350000)
    assert quoted.status_code == 200, quoted.body
    edited = api.request(
        "PATCH",
        f"/claims/{claim['claim_id']}",
        json_body={"version": quoted.json_body["claim"]["version"], "description": "Kêu to"},
        token=cs,
    )
    assert edited.status_code == 200, edited.body

    deliver("on_claim_change", stream.new_records())

    messages = _claim_messages(claim["claim_id"])
    assert [m.template for m in messages] == ["claim_received", "claim_quoted"]
    assert messages[1].fields["quote"] == "1.350.000 ₫"
    assert "1.350.000" in messages[1].text
