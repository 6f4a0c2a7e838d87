"""The console's view of the outbox: messages with status and cost, one message's history,
and a retry; staff only, brand-scoped, never an OTP (issue 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.activation import otp
from chalicelib.activation.messages import otp_message
from chalicelib.catalog.warranty import business_day
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import DeliveryState, OutboundMessage, Outcome, spend_bucket
from chalicelib.outbox.repository import NotificationRepository
from tests.support import factories as f
from tests.support.api import Api, StaffTokens, error_code, field_codes

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _the_present() -> None:
    """The routes read the real clock: each test starts at the present (a time taken once per
    import went stale on a loaded 16-minute run, and "queued just now" was 10 minutes old)."""
    global NOW
    NOW = datetime.now(UTC)


FIELDS = {
    "customer_name": "Nguyễn Văn An",
    "model": "Máy lạnh Inverter AC-9",
    "serial": "GAR00000017W",
    "warranty_end": "20/03/2027",
    "certificate_url": "http://portal.test/c/T",
    "hotline": "1800 6868",
}


def queued(
    key: str,
    *,
    minutes_ago: int = 0,
    kind: str = "activation_confirmed",
    brand_id: str = "demo",
    phone: str = f.PHONE,
    **extra: Any,
) -> OutboundMessage:
    message = new_message(
        kind,
        business_key=(key,),
        brand_id=brand_id,
        phone=phone,
        language="vi",
        fields={"code": "654321"} if kind == "lookup_code" else FIELDS,
        subject="GAR00000017W",
        now=NOW - timedelta(minutes=minutes_ago),
        pepper=f.PEPPER,
        **extra,
    )
    assert NotificationRepository().add(message)
    return message


def sent(
    message: OutboundMessage,
    state: DeliveryState,
    *,
    cost: str | None = None,
    code: str | None = None,
) -> None:
    outbox = NotificationRepository()
    outbox.claim(
        message.message_id,
        channel="zns",
        provider="zns",
        owner="o",
        now=NOW,
        lease=timedelta(seconds=60),
    )
    outbox.settle(
        message.message_id,
        owner="o",
        outcome=Outcome(
            state=state,
            reason="ok" if state is DeliveryState.ACCEPTED else "config_error",
            channel="zns",
            provider="zns",
            error_class=None if code is None else "config",
            error_code=code,
            provider_message_id="zmsg-" + message.message_id[-4:] if cost else None,
            cost=None if cost is None else Decimal(cost),
            spend_bucket=spend_bucket("demo", business_day(NOW)) if cost else None,
        ),
        now=NOW,
    )


@pytest.fixture
def outbox(aws: Any) -> dict[str, OutboundMessage]:
    first = queued("first", minutes_ago=3)
    second = queued("second", minutes_ago=2)
    third = queued("third", minutes_ago=1, phone=f.OTHER_PHONE)
    otp = queued("otp", kind="lookup_code", expires_at=NOW + timedelta(minutes=10))
    sent(first, DeliveryState.ACCEPTED, cost="300")
    sent(second, DeliveryState.FAILED, code="-117")
    return {"first": first, "second": second, "third": third, "otp": otp}


def test_messages_are_listed_newest_first_with_status_cost_and_a_masked_phone(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    response = api.get("/messages", token=staff("cs"))

    body = response.json_body
    assert response.status_code == 200
    ids = [m["message_id"] for m in body["messages"]]
    assert ids == [outbox[k].message_id for k in ("otp", "third", "second", "first")]
    first = body["messages"][3]
    assert (first["status"], first["channel"], first["provider"]) == ("accepted", "zns", "zns")
    assert (first["cost_vnd"], first["to"]) == ("300", "+84 91* *** *78")
    assert body["messages"][2]["error_code"] == "-117"
    assert body["page"] == {
        "count": 4,
        "cost_vnd": "300",
        "by_status": {"queued": 2, "failed": 1, "accepted": 1},
    }
    assert body["today"]["spent_vnd"] == "300"
    assert "text" not in first and b"+84912345678" not in response.body


def test_a_lookup_code_never_reaches_the_console(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    listed = api.get("/messages", token=staff("admin"))
    detail = api.get(f"/messages/{outbox['otp'].message_id}", token=staff("admin"))

    assert b"654321" not in listed.body and b"654321" not in detail.body
    assert detail.json_body["text"] == "••••••"


def test_filters_by_status_and_by_phone(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    failed = api.get("/messages?status=failed", token=staff("director")).json_body
    to_other = api.get("/messages?phone=0987654321", token=staff("cs")).json_body
    queued_to_first = api.get("/messages?phone=0912345678&status=queued", token=staff("cs"))

    assert [m["message_id"] for m in failed["messages"]] == [outbox["second"].message_id]
    assert [m["message_id"] for m in to_other["messages"]] == [outbox["third"].message_id]
    assert [m["message_id"] for m in queued_to_first.json_body["messages"]] == [
        outbox["otp"].message_id
    ]


def test_pages_follow_the_cursor_to_the_end(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    token = staff("accountant")
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        path = "/messages?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(path, token=token).json_body
        seen += [m["message_id"] for m in body["messages"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == [outbox[k].message_id for k in ("otp", "third", "second", "first")]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("status=lost", "status", "message_status_invalid"),
        ("limit=0", "limit", "limit_out_of_range"),
        ("limit=101", "limit", "limit_out_of_range"),
        ("limit=ten", "limit", "limit_out_of_range"),
        ("cursor=%%%", "cursor", "cursor_invalid"),
        ("cursor=WyJ4Il0=", "cursor", "cursor_invalid"),  # base64 of a JSON list
        ("limit=%C2%B9", "limit", "limit_out_of_range"),  # "¹": isdigit() says yes, int() no
        ("limit=%EF%BC%95", "limit", "limit_out_of_range"),  # a full-width "5"
        ("limit=+5", "limit", "limit_out_of_range"),
        # the right shape with keys of no index of ours ({"x": {"S": "1"}}): not a position
        ("cursor=eyJ4IjogeyJTIjogIjEifX0=", "cursor", "cursor_invalid"),
        ("owner=me", "owner", "unknown_field"),
        ("phone=%2B14155550123", "", "phone_not_vietnamese"),
    ],
)
def test_bad_queries_get_a_clear_answer(
    api: Api, staff: StaffTokens, query: str, field: str, code: str
) -> None:
    response = api.get(f"/messages?{query}", token=staff("admin"))

    assert response.status_code == 400
    body = response.json_body["error"]
    assert code in {body["code"], *(f["code"] for f in body.get("fields", []))}
    assert body["messages"]["vi"] and body["messages"]["en"]


def test_a_message_shows_its_history(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    response = api.get(f"/messages/{outbox['second'].message_id}", token=staff("cs"))

    body = response.json_body
    assert [(e["state"], e["reason"]) for e in body["events"]] == [
        ("sending", None),
        ("failed", "config_error"),
    ]
    assert body["error_code"] == "-117"
    assert "GAR00000017W" in body["text"]


def test_staff_retry_a_failed_message_once_and_only_a_failed_one(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    failed_id = outbox["second"].message_id

    retried = api.post(f"/messages/{failed_id}/retry", token=staff("cs"))
    again = api.post(f"/messages/{failed_id}/retry", token=staff("cs"))
    accepted = api.post(f"/messages/{outbox['first'].message_id}/retry", token=staff("admin"))

    assert retried.status_code == 202
    assert (retried.json_body["status"], retried.json_body["channel"]) == ("queued", None)
    assert retried.json_body["events"][-1]["reason"] == "retried_by_staff"
    assert (again.status_code, error_code(again)) == (409, "message_not_retryable")
    assert (accepted.status_code, error_code(accepted)) == (409, "message_not_retryable")


def test_an_expired_code_is_never_resent(api: Api, staff: StaffTokens, aws: Any) -> None:
    otp = queued("old-otp", kind="lookup_code", expires_at=NOW - timedelta(seconds=1))
    sent(otp, DeliveryState.FAILED, code="-100")

    response = api.post(f"/messages/{otp.message_id}/retry", token=staff("admin"))

    assert (response.status_code, error_code(response)) == (409, "message_expired")


def test_a_code_whose_challenge_expired_is_not_resent(
    api: Api, staff: StaffTokens, aws: Any
) -> None:
    # Given a lookup code issued 7 min 53 s ago (valid 5 min) whose send failed
    issued = NOW - timedelta(minutes=7, seconds=53)
    message = otp_message(f.PHONE, "654321", "vi", issued, f.PEPPER, "demo")
    assert NotificationRepository().add(message)
    sent(message, DeliveryState.FAILED, code="-100")

    # When staff retry it
    response = api.post(f"/messages/{message.message_id}/retry", token=staff("admin"))

    # Then nothing is resent: the code it carries no longer opens anything
    assert (response.status_code, error_code(response)) == (409, "message_expired")
    assert message.expires_at == issued + otp.CODE_TTL
    assert NotificationRepository().get(message.message_id).status is DeliveryState.FAILED


def test_technicians_cannot_read_and_accountants_cannot_retry(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    listed = api.get("/messages", token=staff("technician"))
    retried = api.post(f"/messages/{outbox['second'].message_id}/retry", token=staff("accountant"))

    assert (listed.status_code, retried.status_code) == (403, 403)


def test_another_brand_s_message_is_not_found(api: Api, staff: StaffTokens, aws: Any) -> None:
    foreign = queued("foreign", brand_id="other")

    detail = api.get(f"/messages/{foreign.message_id}", token=staff("admin"))
    retry = api.post(f"/messages/{foreign.message_id}/retry", token=staff("admin"))
    odd = api.get("/messages/..%2Fetc", token=staff("admin"))

    assert {detail.status_code, retry.status_code, odd.status_code} == {404}


def test_a_cursor_is_the_server_s_own_and_for_one_list(
    api: Api, staff: StaffTokens, outbox: dict[str, OutboundMessage]
) -> None:
    token = staff("admin")
    cursor = api.get("/messages?limit=1", token=token).json_body["next_cursor"]
    payload, _, signature = cursor.partition(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature

    following = api.get(f"/messages?limit=1&cursor={cursor}", token=token)
    forged = api.get(f"/messages?limit=1&cursor={tampered}", token=token)
    elsewhere = api.get(f"/labels/jobs?cursor={cursor}", token=token)

    assert following.status_code == 200
    assert (forged.status_code, field_codes(forged)) == (400, {"cursor": "cursor_invalid"})
    assert (elsewhere.status_code, field_codes(elsewhere)) == (400, {"cursor": "cursor_invalid"})


def test_staff_retry_a_stuck_queued_message_but_not_one_queued_a_moment_ago(
    api: Api, staff: StaffTokens, aws: Any
) -> None:
    # Given a message queued 10 minutes ago and never sent, and one queued just now
    stuck = queued("stuck", minutes_ago=10)
    fresh = queued("fresh")

    retried = api.post(f"/messages/{stuck.message_id}/retry", token=staff("cs"))
    too_soon = api.post(f"/messages/{fresh.message_id}/retry", token=staff("cs"))

    # Then the stuck one is queued again (the stream sends it), the fresh one is left alone
    assert retried.status_code == 202, retried.json_body
    assert retried.json_body["status"] == "queued"
    assert retried.json_body["events"][-1]["reason"] == "retried_by_staff"
    assert (too_soon.status_code, error_code(too_soon)) == (409, "message_not_retryable")
