"""The embedded stack over HTTP, as a user drives it: `python -m devstack run`, then the API.

Given a fresh stack (its own ports and data dir), a staff member signs in, imports units and
reads a QR link; a customer activates once (and only once, even 20 times at the same moment),
receives one confirmation in the dev inbox, and later finds the unit again by phone with a
one-time code. An SMS whose delivery report is lost is settled by the outbox sweep through
eSMS's status API. The stack stops on Ctrl-C and comes back with its data.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse

import pytest
import requests

from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PHONE = "0987 654 321"
OTHER_PHONE = "0912 000 111"
LOOKUP_PHONE = "0976 543 210"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack"))
    try:
        yield process
    finally:
        process.stop()


def _login(stack: DevstackProcess, username: str = "admin") -> dict[str, str]:
    password = stack.password_of(username)
    response = requests.post(
        f"{stack.api}/auth/login", json={"username": username, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['id_token']}"}


def _token_of(qr_url: str) -> str:
    return urlparse(qr_url).path.rsplit("/", 1)[-1]


def _import(stack: DevstackProcess, headers: dict[str, str], lines: list[str]) -> dict:
    response = requests.post(
        f"{stack.api}/units/import",
        data="serial,model_code,batch,manufactured_on\n" + "\n".join(lines),
        headers={**headers, "Content-Type": "text/csv"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _qr_token(stack: DevstackProcess, headers: dict[str, str], serial: str) -> str:
    response = requests.get(f"{stack.api}/units/{serial}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "registered"
    return _token_of(response.json()["qr_url"])


def _activated(stack: DevstackProcess, serial: str, model: str, phone: str) -> str:
    """Import ``serial`` and activate it with ``phone``; returns its QR token."""
    headers = _login(stack)
    _import(stack, headers, [f"{serial},{model}"])
    token = _qr_token(stack, headers, serial)
    created = requests.post(
        f"{stack.api}/public/activations", json=_activation(token, phone), timeout=10
    )
    assert created.status_code == 201, created.text
    return token


def _code_from_inbox(stack: DevstackProcess, phone: str) -> str:
    messages = stack.wait_for_inbox(
        phone, lambda ms: any(m["template"] == "lookup_code" for m in ms)
    )
    found = re.search(r"\b(\d{6})\b", messages[0]["text"])
    assert found, messages[0]["text"]
    return found.group(1)


def _activation(token: str, phone: str = PHONE, **extra: object) -> dict:
    return {
        "token": token,
        "customer": {"name": "Trần Thị Bình", "phone": phone, "province": "Hà Nội"},
        "consents": {"warranty_service": True, "marketing": False},
        **extra,
    }


def test_staff_import_then_customer_activates_once_and_is_notified_once(
    stack: DevstackProcess,
) -> None:
    # Given a signed-in admin who imports two units of a demo model
    headers = _login(stack)
    report = _import(stack, headers, ["E2E-0001,AC-INV-12,B1,2026-10-01", "E2E-0002,AC-INV-12"])
    assert report == {"imported": 2, "rejected": []}
    again = _import(stack, headers, ["E2E-0001,AC-INV-12", "E2E-0003,NO-SUCH-MODEL"])
    assert again["imported"] == 0
    assert [(r["line"], r["reason"]) for r in again["rejected"]] == [
        (2, "serial_exists"),
        (3, "model_not_found"),
    ]
    token = _qr_token(stack, headers, "E2E-0001")

    # When the customer opens the QR link and activates
    landing = requests.get(f"{stack.api}/public/units/{token}", timeout=10)
    assert landing.status_code == 200
    assert landing.json()["status"] == "not_activated"
    assert landing.json()["model"]["code"] == "AC-INV-12"
    first = requests.post(f"{stack.api}/public/activations", json=_activation(token), timeout=10)
    second = requests.post(f"{stack.api}/public/activations", json=_activation(token), timeout=10)

    # Then the first is accepted, the second refused with when (never who)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["serial"] == "E2E-0001"
    assert body["warranty_start"] <= body["warranty_end"]
    assert body["certificate_url"].endswith(f"/c/{token}")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_activated"
    assert second.json()["error"]["activated_at"] == body["activated_at"]
    # never who: neither the name nor the phone's digits (outside the timestamp, whose
    # microseconds may hold any three digits)
    refusal = {k: v for k, v in second.json()["error"].items() if k != "activated_at"}
    assert "Bình" not in str(refusal) and "987" not in str(refusal)
    landing = requests.get(f"{stack.api}/public/units/{token}", timeout=10).json()
    assert landing["status"] == "activated"
    assert landing["customer_name"] == "T*** T** B***"

    # And exactly one confirmation reaches the dev inbox through the streams
    messages = stack.wait_for_inbox(
        PHONE, lambda ms: any("E2E-0001" in m["text"] and m["status"] == "delivered" for m in ms)
    )
    confirmations = [m for m in messages if m["template"] == "activation_confirmed"]
    assert len(confirmations) == 1
    text = confirmations[0]["text"]
    assert "E2E-0001" in text and "1800" in text and f"/c/{token}" in text
    assert confirmations[0]["status"] == "delivered"


def test_twenty_concurrent_activations_of_one_unit_yield_one_201_and_one_message(
    stack: DevstackProcess,
) -> None:
    headers = _login(stack)
    _import(stack, headers, ["E2E-RACE-1,LOCK-S7"])
    token = _qr_token(stack, headers, "E2E-RACE-1")
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()

    def activate(i: int) -> None:
        barrier.wait()
        response = requests.post(
            f"{stack.api}/public/activations",
            json=_activation(token, phone=f"0933 000 {i:03d}"),
            timeout=60,
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=activate, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(statuses) == Counter({201: 1, 409: 19})

    def confirmations() -> list[dict]:
        return [
            message
            for i in range(20)
            for message in requests.get(
                f"{stack.api}/dev/inbox", params={"phone": f"0933000{i:03d}"}, timeout=10
            ).json()["messages"]
            if "E2E-RACE-1" in message["text"]
        ]

    stack.wait_for(lambda: any(m["status"] == "delivered" for m in confirmations()))
    assert len(confirmations()) == 1


def test_lookup_by_phone_needs_the_code_from_the_inbox(stack: DevstackProcess) -> None:
    # Given a unit activated with LOOKUP_PHONE and another with OTHER_PHONE
    _activated(stack, "E2E-MINE-1", "LOCK-S7", LOOKUP_PHONE)
    _activated(stack, "E2E-OTHER-1", "MW-25G", OTHER_PHONE)

    # No lookup without a code
    assert requests.get(f"{stack.api}/public/my-units", timeout=10).status_code == 401

    # When the customer asks for a code and reads it from the inbox
    sent = requests.post(f"{stack.api}/public/otp", json={"phone": LOOKUP_PHONE}, timeout=10)
    assert sent.status_code == 202, sent.text
    resend = requests.post(f"{stack.api}/public/otp", json={"phone": LOOKUP_PHONE}, timeout=10)
    assert resend.status_code == 429
    assert int(resend.headers["Retry-After"]) > 0
    code = _code_from_inbox(stack, LOOKUP_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    bad = requests.post(
        f"{stack.api}/public/otp/verify", json={"phone": LOOKUP_PHONE, "code": wrong}, timeout=10
    )
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "otp_wrong_code"
    verified = requests.post(
        f"{stack.api}/public/otp/verify", json={"phone": LOOKUP_PHONE, "code": code}, timeout=10
    )
    assert verified.status_code == 200, verified.text
    lookup = verified.json()["lookup_token"]

    # Then my-units lists this phone's units only, and the code cannot be reused
    mine = requests.get(
        f"{stack.api}/public/my-units", headers={"Authorization": f"Bearer {lookup}"}, timeout=10
    )
    assert mine.status_code == 200
    serials = {u["serial"] for u in mine.json()["units"]}
    assert "E2E-MINE-1" in serials
    assert "E2E-OTHER-1" not in serials
    reuse = requests.post(
        f"{stack.api}/public/otp/verify", json={"phone": LOOKUP_PHONE, "code": code}, timeout=10
    )
    assert reuse.status_code == 401


def test_sixth_code_attempt_is_refused_even_when_correct(stack: DevstackProcess) -> None:
    phone = "0977 123 456"
    sent = requests.post(f"{stack.api}/public/otp", json={"phone": phone}, timeout=10)
    assert sent.status_code == 202
    code = _code_from_inbox(stack, phone)
    wrong = "000000" if code != "000000" else "111111"
    codes = []
    for _ in range(5):
        response = requests.post(
            f"{stack.api}/public/otp/verify", json={"phone": phone, "code": wrong}, timeout=10
        )
        codes.append(response.json()["error"]["code"])
    sixth = requests.post(
        f"{stack.api}/public/otp/verify", json={"phone": phone, "code": code}, timeout=10
    )
    assert codes == ["otp_wrong_code"] * 5
    assert sixth.status_code == 401
    assert sixth.json()["error"]["code"] == "otp_attempts_exhausted"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_json"),
        (b'{"token": "A", "token": "B"}', 400, "duplicate_key"),
        (b"\xff\xfe\x00", 400, "malformed_json"),
        (b"[]", 400, "body_must_be_object"),
        (b"x" * (64 * 1024), 413, "payload_too_large"),
    ],
)
def test_malformed_bodies_get_a_clear_error(
    stack: DevstackProcess, body: bytes, status: int, code: str
) -> None:
    response = requests.post(
        f"{stack.api}/public/activations",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
        timeout=10,
    )
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["vi"] and error["messages"]["en"]


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("028 3812 3456", "phone_not_mobile"),
        ("1900 123 456", "phone_not_mobile"),
        ("+1 415 555 0123", "phone_not_vietnamese"),
        ("0123", "phone_invalid"),
    ],
)
def test_activation_refuses_numbers_that_are_not_vietnamese_mobiles(
    stack: DevstackProcess, phone: str, code: str
) -> None:
    response = requests.post(
        f"{stack.api}/public/activations", json=_activation("AAAAAAAAAAAA", phone), timeout=10
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0] == {
        "field": "customer.phone",
        "code": code,
        "message": response.json()["error"]["fields"][0]["message"],
    }


def test_unknown_fields_and_forged_tokens_are_refused(stack: DevstackProcess) -> None:
    headers = _login(stack)
    _import(stack, headers, ["E2E-FORGE-1,AC-INV-12"])
    token = _qr_token(stack, headers, "E2E-FORGE-1")
    mass = requests.post(
        f"{stack.api}/public/activations",
        json=_activation(token, status="activated", warranty_end="2099-01-01"),
        timeout=10,
    )
    assert mass.status_code == 400
    assert {f["field"] for f in mass.json()["error"]["fields"]} == {"status", "warranty_end"}
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    unknown = requests.get(f"{stack.api}/public/units/{forged}", timeout=10)
    assert unknown.status_code == 404
    assert unknown.json() == requests.get(f"{stack.api}/public/units/NOPE1234", timeout=10).json()
    still = requests.get(f"{stack.api}/public/units/{token}", timeout=10).json()
    assert still["status"] == "not_activated"


def test_staff_routes_check_the_token_and_the_role(stack: DevstackProcess) -> None:
    assert requests.get(f"{stack.api}/models", timeout=10).status_code == 401
    forged = {"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}
    assert requests.get(f"{stack.api}/models", headers=forged, timeout=10).status_code == 401
    cs = _login(stack, "cs")
    assert requests.get(f"{stack.api}/models", headers=cs, timeout=10).status_code == 200
    denied = requests.post(
        f"{stack.api}/models",
        headers=cs,
        data=json.dumps({"code": "X1", "name": "X", "warranty_months": 12}),
        timeout=10,
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "role_not_allowed"


def _messages_to(stack: DevstackProcess, phone: str) -> list[dict]:
    response = requests.get(
        f"{stack.api}/messages", params={"phone": phone}, headers=_login(stack, "cs"), timeout=10
    )
    assert response.status_code == 200, response.text
    messages: list[dict] = response.json()["messages"]
    return messages


def _settled(stack: DevstackProcess, phone: str, kind: str, status: str) -> dict:
    """The phone's newest ``kind`` message once it reached ``status`` (the sender, the fake
    provider and its callback run asynchronously)."""
    found: list[dict] = []

    def check() -> bool:
        found[:] = [m for m in _messages_to(stack, phone) if m["kind"] == kind]
        return bool(found) and found[0]["status"] == status

    stack.wait_for(check, timeout=30)
    return found[0]


def _provider_log(stack: DevstackProcess) -> dict:
    response = requests.get(f"{stack.providers}/_demo/sent", timeout=10)
    assert response.status_code == 200
    log: dict = response.json()
    return log


def test_an_activation_is_one_zns_call_whose_signed_receipt_marks_it_delivered(
    stack: DevstackProcess,
) -> None:
    # Given a customer with a Zalo account activates a unit
    _activated(stack, "E2E-ZNS-1", "AC-INV-12", "0912 300 400")

    # Then the confirmation is delivered: one ZNS call, and the fake's signed receipt landed
    message = _settled(stack, "0912300400", "activation_confirmed", "delivered")
    assert (message["channel"], message["provider"], message["attempts"]) == ("zns", "zns", 1)
    assert message["cost_vnd"] == "300"
    calls = [
        s for s in _provider_log(stack)["sent"] if s.get("tracking_id") == message["message_id"]
    ]
    assert [c["provider"] for c in calls] == ["zalo"]
    assert calls[0]["template_data"]["serial"] == "E2E-ZNS-1"
    assert any(
        c["hook"] == "zalo receipt" and c["status"] == 200
        for c in _provider_log(stack)["callbacks"]
    )


def test_no_zalo_account_falls_back_to_one_sms_whose_report_is_confirmed(
    stack: DevstackProcess,
) -> None:
    # Given a customer whose number has no Zalo account (the fake: numbers ending in 9)
    _activated(stack, "E2E-SMS-1", "LOCK-S7", "0912 300 409")

    # Then ZNS says -118, one SMS goes instead, and its delivery report (confirmed with eSMS's
    # status API) marks it delivered with the price eSMS reported
    message = _settled(stack, "0912300409", "activation_confirmed", "delivered")
    assert (message["channel"], message["provider"]) == ("sms", "esms")
    assert message["attempts"] == 2 and message["cost_reported"] is True
    sent = _provider_log(stack)["sent"]
    zalo = [s for s in sent if s.get("tracking_id") == message["message_id"]]
    sms = [s for s in sent if s.get("request_id") == message["message_id"]]
    assert [z["answer"]["error"] for z in zalo] == [-118]
    assert len(sms) == 1 and "E2E-SMS-1" in sms[0]["text"] and sms[0]["text"].isascii()


def _message(stack: DevstackProcess, message_id: str) -> dict:
    response = requests.get(
        f"{stack.api}/messages/{message_id}", headers=_login(stack, "cs"), timeout=10
    )
    assert response.status_code == 200, response.text
    message: dict = response.json()
    return message


def _age_message(stack: DevstackProcess, message_id: str, by: timedelta) -> None:
    """The message as it would stand ``by`` later: accepted, and its status question due, that
    much earlier (the stored item, aged in the emulator; nothing else about it changes)."""
    import boto3

    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{stack.ports['emulator']}",
        region_name="ap-southeast-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    table, key = "garanti-local-notifications", {"message_id": {"S": message_id}}
    item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    stored = "%Y-%m-%dT%H:%M:%S.%f%z"  # PynamoDB's UTCDateTimeAttribute

    def earlier(name: str) -> dict[str, str]:
        return {"S": (datetime.strptime(item[name]["S"], stored) - by).strftime(stored)}

    dynamodb.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET accepted_at = :accepted_at, due_at = :due_at",
        ConditionExpression="#status = :accepted",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={
            ":accepted_at": earlier("accepted_at"),
            ":due_at": earlier("due_at"),
            ":accepted": {"S": "accepted"},
        },
    )


def test_an_sms_whose_report_is_lost_is_confirmed_by_the_sweep_through_the_status_api(
    stack: DevstackProcess,
) -> None:
    # Given eSMS loses its delivery reports for a number without Zalo (the fake: ending in 9)
    phone = "0912 300 419"
    lost = requests.post(f"{stack.providers}/_demo/lost-reports", json={"phone": phone}, timeout=10)
    assert lost.status_code == 200, lost.text

    # When the customer activates a unit: the confirmation goes by SMS and eSMS accepts it
    _activated(stack, "E2E-LOST-1", "MW-25G", phone)
    accepted = _settled(stack, "0912300419", "activation_confirmed", "accepted")
    sms_id = accepted["provider_message_id"]
    sent = [
        s for s in _provider_log(stack)["sent"] if s.get("request_id") == accepted["message_id"]
    ]
    assert [(s["answer"]["CodeResult"], s["answer"]["SMSID"]) for s in sent] == [("100", sms_id)]
    assert sent[0]["dlr"] == "lost"

    # Then no report comes: well past the fake's 0.5 s, the message is accepted, not delivered,
    # and nobody has asked eSMS about it (the sweep asks only 15 minutes after acceptance)
    time.sleep(2.0)
    before = _message(stack, accepted["message_id"])
    assert (before["status"], before["delivered_at"]) == ("accepted", None)
    assert [e["state"] for e in before["events"]][-1] == "accepted"
    assert not [s for s in _provider_log(stack)["sent"] if s.get("sms_id") == sms_id]

    # When 16 minutes pass (the stored message aged) and the outbox sweep runs once
    _age_message(stack, accepted["message_id"], by=timedelta(minutes=16))
    stack.run_schedule("sweep_outbox")

    # Then the sweep asked eSMS's GetSendStatus, which says delivered, and the message is
    # delivered with the price eSMS reported. (The stack's own ticker runs the sweep every
    # minute too: whichever ran first settled it, once.)
    asked = [s for s in _provider_log(stack)["sent"] if s.get("sms_id") == sms_id]
    assert asked and asked[0]["answer"]["CodeResponse"] == "100"
    assert (asked[0]["answer"]["SendStatus"], asked[0]["answer"]["SendSuccess"]) == (5, 1)
    after = _message(stack, accepted["message_id"])
    assert (after["status"], after["provider"]) == ("delivered", "esms")
    price = Decimal(str(asked[0]["answer"]["TotalPrice"]))  # 850 VND a segment
    assert Decimal(after["cost_vnd"]) == price and after["cost_reported"] is True
    assert after["delivered_at"] is not None
    # and the message's log says the status API settled it, not a delivery report
    last = after["events"][-1]
    assert (last["state"], last["provider"], last["code"]) == ("delivered", "esms", None)
    assert last["reason"] == "status_api"
    assert [e["state"] for e in after["events"]].count("delivered") == 1


def test_texting_bh_and_the_serial_activates_the_unit_and_replies(stack: DevstackProcess) -> None:
    # Given a registered unit nobody has activated
    headers = _login(stack)
    _import(stack, headers, ["E2E-MO-1,MW-25G"])
    token = _qr_token(stack, headers, "E2E-MO-1")

    # When the customer texts the short code, twice
    def text(body: str) -> str:
        response = requests.post(
            f"{stack.providers}/_demo/mo", json={"phone": "0912300500", "text": body}, timeout=10
        )
        assert response.status_code == 200, response.text
        return response.text

    first = text("Bảo hành: e2e-mo-1")
    second = text("BH E2E-MO-1")

    # Then the unit is activated with the sender's phone, and the replies say so
    assert "<ClientResponse><Message>" in first and "E2E-MO-1" in first
    assert "<Smsid>" in first and "<Receiver>84912300500</Receiver>" in first
    landing = requests.get(f"{stack.api}/public/units/{token}", timeout=10).json()
    assert landing["status"] == "activated"
    unit = requests.get(f"{stack.api}/units/E2E-MO-1", headers=headers, timeout=10).json()
    assert unit["activation"]["channel"] == "sms"
    assert first != second  # activated, then "already activated on …"
    _settled(stack, "0912300500", "activation_confirmed", "delivered")


def test_staff_downloads_the_label_sheet_of_a_demo_batch_and_every_code_opens_its_unit(
    stack: DevstackProcess,
) -> None:
    from chalicelib.labels.template import BUILTIN_TEMPLATES
    from tests.support.labels import decode_sheet

    headers = _login(stack)
    asked = requests.post(
        f"{stack.api}/labels/jobs",
        json={"template": "1.5x3cm-a4", "batch": "DEMO-202607"},
        headers=headers,
        timeout=10,
    )
    assert asked.status_code == 202, asked.text
    job_url = f"{stack.api}/labels/jobs/{asked.json()['job_id']}"
    job: dict = {}

    def done() -> bool:
        nonlocal job
        job = requests.get(job_url, headers=headers, timeout=10).json()
        return job["status"] in ("done", "failed")

    stack.wait_for(done, timeout=120)
    pdf = requests.get(job["download"]["url"], timeout=30)
    pages = decode_sheet(pdf.content, BUILTIN_TEMPLATES["1.5x3cm-a4"])
    codes = [code for page in pages for code in page]
    portal = f"http://127.0.0.1:{stack.ports['web']}"
    units = [
        requests.get(f"{stack.api}/public/units/{_token_of(str(code))}", timeout=10)
        for code in codes
    ]
    landing = requests.get(str(codes[0]), timeout=10)

    assert (job["status"], job["done"], job["skipped"]) == ("done", 60, 0), job
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert len(codes) == 60 and all(str(c).startswith(f"{portal}/q/") for c in codes)
    assert [u.status_code for u in units] == [200] * 60
    assert len({u.json()["serial"] for u in units}) == 60
    assert landing.status_code == 200 and "<html" in landing.text.lower()


def test_stack_stops_cleanly_and_keeps_its_data(stack: DevstackProcess) -> None:
    # Given an activated unit
    token = _activated(stack, "E2E-KEEP-1", "AC-INV-12", "0966 111 222")
    # When the stack is stopped with Ctrl-C and started again on the same data dir
    assert stack.stop() == 0
    stack.start()
    # Then the unit is still activated and its printed QR token still verifies
    view = requests.get(f"{stack.api}/public/units/{token}", timeout=10)
    assert view.status_code == 200
    assert view.json()["status"] == "activated"
