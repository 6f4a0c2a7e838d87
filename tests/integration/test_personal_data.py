"""A customer's personal data: their download (JSON and PDF) from "my products", their erasure
request with its 72-hour deadline, and staff handling it in the console."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.catalog.tables import CustomerRecord, UnitRecord
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

PHONE = "0912345678"
NAME = "Nguyễn Văn An"


def sign_in_by_code(api: Api, aws: Emulator, phone: str = PHONE) -> str:
    """The lookup token "my products" gets from a code sent to ``phone``."""
    messages = StreamReader(aws, NotificationRecord.Meta.table_name)
    assert api.post("/public/otp", json_body={"phone": phone}).status_code == 202
    deliver("on_notification_change", messages.new_records())
    e164 = "+84" + phone[1:]
    [sent] = [
        m
        for m in NotificationRepository().list_for_recipient(
            phone_key(f.PEPPER, e164), datetime.now(UTC)
        )
        if m.template == "lookup_code"
    ]
    code = re.findall(r"\b\d{6}\b", sent.text)[0]
    answer = api.post("/public/otp/verify", json_body={"phone": phone, "code": code})
    assert answer.status_code == 200, answer.body
    return str(answer.json_body["lookup_token"])


@pytest.fixture
def owner(api: Api, aws: Emulator) -> str:
    """A customer who activated SN-1 on the web, with an address; their lookup token."""
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])
    units = StreamReader(aws, UnitRecord.Meta.table_name)
    units.new_records()
    body = f.activation_body(
        seed.token("SN-1"), customer={"address": "12 Lê Lợi, Quận 1"}, consents={"marketing": True}
    )
    assert api.post("/public/activations", json_body=body).status_code in (200, 201)
    deliver("on_unit_change", units.new_records())
    return sign_in_by_code(api, aws)


def test_the_download_holds_the_customers_units_consents_and_messages(api: Api, owner: str) -> None:
    response = api.get("/public/my-data", token=owner)

    assert response.status_code == 200
    assert 'attachment; filename="garanti-personal-data-' in response.headers["Content-Disposition"]
    document = response.json_body
    assert document["format"] == "garanti-personal-data/1"
    assert (document["phone"], document["names"], document["serials"]) == (
        "+84912345678",
        [NAME],
        ["SN-1"],
    )
    [unit] = document["sections"]["units"]
    assert (unit["serial"], unit["owner_name"], unit["owner_address"]) == (
        "SN-1",
        NAME,
        "12 Lê Lợi, Quận 1",
    )
    [customer] = document["sections"]["customer"]
    consents = {c["purpose"]: c["granted"] for c in customer["consents"]}
    assert consents == {"warranty_service": True, "marketing": True}
    templates = {m["template"] for m in document["sections"]["messages"]}
    assert "lookup_code" in templates


def test_the_pdf_reads_as_text_in_the_customers_language(api: Api, owner: str) -> None:
    import pypdfium2

    response = api.get(
        "/public/my-data?format=pdf&lang=vi", token=owner, headers={"Accept": "application/pdf"}
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(io.BytesIO(response.body))
    words = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Dữ liệu cá nhân của bạn" in words
    assert NAME in words and "12 Lê Lợi, Quận 1" in words and "SN-1" in words
    english = api.get(
        "/public/my-data?format=pdf&lang=en", token=owner, headers={"Accept": "application/pdf"}
    )
    first = pypdfium2.PdfDocument(io.BytesIO(english.body))[0].get_textpage().get_text_range()
    assert "Your personal data" in first


@pytest.mark.parametrize(
    ("path", "code"),
    [("/public/my-data?format=xml", "format_invalid"), ("/public/my-data?x=1", "unknown_field")],
)
def test_a_bad_download_query_is_told_which_field(
    api: Api, owner: str, path: str, code: str
) -> None:
    response = api.get(path, token=owner)
    assert response.status_code == 400
    assert code in field_codes(response).values()


def test_without_a_live_code_session_nothing_is_given(api: Api, owner: str) -> None:
    assert api.get("/public/my-data").status_code == 401
    assert api.get("/public/my-data", token=owner[:-2] + "xx").status_code == 401
    assert api.post("/public/my-data/erasure", json_body={"confirm": True}).status_code == 401


def test_a_phone_we_hold_nothing_of_is_told_so(api: Api, aws: Emulator) -> None:
    token = sign_in_by_code(api, aws, "0987654321")
    # the code itself was a message to that phone: the download is that message alone
    document = api.get("/public/my-data", token=token).json_body
    assert [m["template"] for m in document["sections"]["messages"]] == ["lookup_code"]
    assert document["sections"]["units"] == []


def test_an_erasure_request_is_due_in_72_hours_and_asked_twice_is_one(
    api: Api, owner: str, staff: StaffTokens
) -> None:
    before = datetime.now(UTC)
    first = api.post(
        "/public/my-data/erasure", token=owner, json_body={"confirm": True, "language": "en"}
    )
    again = api.post("/public/my-data/erasure", token=owner, json_body={"confirm": True})

    assert first.status_code == 202
    request = first.json_body["request"]
    assert again.json_body["request"]["request_id"] == request["request_id"]
    due = datetime.fromisoformat(request["due_at"])
    assert timedelta(hours=71, minutes=59) < due - before < timedelta(hours=72, minutes=1)
    shown = api.get("/public/my-data/erasure", token=owner).json_body["request"]
    assert shown["request_id"] == request["request_id"]
    listed = api.get("/privacy/requests", token=staff("cs")).json_body["requests"]
    assert [(r["request_id"], r["phone_masked"], r["overdue"]) for r in listed] == [
        (request["request_id"], "+84 91* *** *78", False)
    ]
    assert "+84912345678" not in str(listed)


def test_the_request_must_be_confirmed(api: Api, owner: str) -> None:
    response = api.post("/public/my-data/erasure", token=owner, json_body={"confirm": False})
    assert response.status_code == 400
    assert field_codes(response) == {"confirm": "value_not_allowed"}


def _requested(api: Api, owner: str) -> str:
    answer = api.post("/public/my-data/erasure", token=owner, json_body={"confirm": True})
    return str(answer.json_body["request"]["request_id"])


def test_staff_erase_the_customer_and_the_warranty_stays(
    api: Api, aws: Emulator, owner: str, staff: StaffTokens
) -> None:
    request_id = _requested(api, owner)

    response = api.post(f"/privacy/requests/{request_id}/erase", token=staff("cs"))

    assert response.status_code == 200, response.body
    done = response.json_body["request"]
    assert (done["status"], done["handled_by"]) == ("done", "cs")
    assert done["erased"]["units"] == 1 and done["erased"]["customer"] == 1
    assert done["erased"]["messages"] >= 1
    unit = UnitRecord.get("SN-1")
    assert (unit.status, unit.owner_name, unit.owner_phone, unit.owner_key) == (
        "activated",
        None,
        None,
        None,
    )
    assert unit.warranty_end and unit.owner_province == "Hà Nội"
    assert unit.history[-1].event == "personal_data_erased"
    assert CustomerRecord.count(phone_key(f.PEPPER, "+84912345678")) == 0
    # handled: out of the open list, in the done one, and a second run is refused
    assert api.get("/privacy/requests", token=staff("admin")).json_body["requests"] == []
    [listed] = api.get("/privacy/requests?status=done", token=staff("director")).json_body[
        "requests"
    ]
    assert listed["request_id"] == request_id
    again = api.post(f"/privacy/requests/{request_id}/erase", token=staff("cs"))
    assert (again.status_code, error_code(again)) == (409, "privacy_request_handled")
    # the person's session finds nothing of them any more
    assert api.get("/public/my-data", token=owner).status_code == 404


def test_a_refusal_needs_a_reason_and_keeps_the_data(
    api: Api, owner: str, staff: StaffTokens
) -> None:
    request_id = _requested(api, owner)
    path = f"/privacy/requests/{request_id}/refuse"

    blank = api.post(path, token=staff("admin"), json_body={"refusal_reason": "  "})
    refused = api.post(
        path, token=staff("admin"), json_body={"refusal_reason": "Đang có tranh chấp bảo hành"}
    )

    assert (blank.status_code, field_codes(blank)) == (
        400,
        {"refusal_reason": "refusal_reason_required"},
    )
    assert refused.status_code == 200
    assert refused.json_body["request"]["reason"] == "Đang có tranh chấp bảo hành"
    assert UnitRecord.get("SN-1").owner_name == NAME


@pytest.mark.parametrize(("username", "status"), [("technician", 403), ("director", 403)])
def test_only_customer_service_and_the_admin_handle_requests(
    api: Api, owner: str, staff: StaffTokens, username: str, status: int
) -> None:
    request_id = _requested(api, owner)
    response = api.post(f"/privacy/requests/{request_id}/erase", token=staff(username))
    assert response.status_code == status
    assert UnitRecord.get("SN-1").owner_name == NAME


def _reminder(serial: str, day: str) -> str:
    """A maintenance reminder to the owner, queued as the daily job queues it; its id."""
    from chalicelib.outbox.compose import new_message

    fields = {
        "customer_name": NAME,
        "model": "AC-9",
        "serial": serial,
        "component": "Lưới lọc",
        "due_date": day,
        "booking_url": "http://portal.test/m/x",
        "hotline": "1900 1234",
    }
    message = new_message(
        "maintenance_due",
        business_key=(serial, day),
        brand_id="demo",
        phone="+84912345678",
        language="vi",
        fields=fields,
        subject=serial,
        now=datetime.now(UTC),
        pepper=f.PEPPER,
    )
    NotificationRepository().add(message)
    return message.message_id


def test_a_withdrawn_consent_stops_the_very_next_reminder_and_giving_it_back_sends_again(
    api: Api, aws: Emulator, owner: str
) -> None:
    messages = StreamReader(aws, NotificationRecord.Meta.table_name)
    messages.new_records()
    before = api.get("/public/my-data/consents", token=owner).json_body["consents"]
    queued = _reminder("SN-1", "2027-01-10")  # queued before the withdrawal, sent after it

    withdrawn = api.post(
        "/public/my-data/consents",
        token=owner,
        json_body={"purpose": "warranty_service", "granted": False},
    )
    deliver("on_notification_change", messages.new_records())

    assert {c["purpose"]: c["granted"] for c in before} == {
        "warranty_service": True,
        "marketing": True,
    }
    assert withdrawn.status_code == 200
    decided = {c["purpose"]: c for c in withdrawn.json_body["consents"]}
    assert (decided["warranty_service"]["granted"], decided["warranty_service"]["channel"]) == (
        False,
        "portal",
    )
    stopped = NotificationRecord.get(queued)
    assert (stopped.status, stopped.reason) == ("failed", "consent_withdrawn")

    api.post(
        "/public/my-data/consents",
        token=owner,
        json_body={"purpose": "warranty_service", "granted": True},
    )
    again = _reminder("SN-1", "2027-07-10")
    deliver("on_notification_change", messages.new_records())
    assert NotificationRecord.get(again).status == "delivered"


def test_marketing_is_given_only_by_a_yes_and_a_bad_purpose_is_refused(
    api: Api, owner: str
) -> None:
    refused = api.post(
        "/public/my-data/consents", token=owner, json_body={"purpose": "sale", "granted": False}
    )
    withdrawn = api.post(
        "/public/my-data/consents",
        token=owner,
        json_body={"purpose": "marketing", "granted": False},
    )

    assert (refused.status_code, field_codes(refused)) == (400, {"purpose": "value_not_allowed"})
    granted = {c["purpose"]: c["granted"] for c in withdrawn.json_body["consents"]}
    assert granted == {"warranty_service": True, "marketing": False}
    customer = CustomerRecord.get(phone_key(f.PEPPER, "+84912345678"))
    assert customer.consent_marketing.granted is False
    assert customer.consent_marketing.evidence.startswith("portal:")


def _cancelled_request(api: Api, staff: StaffTokens) -> str:
    """A service request for SN-1 from the portal, cancelled by the desk; its id."""
    body = {
        "serial": "SN-1",
        "sig": seed.token("SN-1"),
        "claim_type": "warranty",
        "customer": {"name": NAME, "phone": PHONE, "province": "Hà Nội", "address": "12 Lê Lợi"},
        "description": f"Máy chảy nước, gọi {PHONE}",
    }
    filed = api.post("/service-requests", json_body=body)
    assert filed.status_code == 201, filed.body
    claim_id = str(filed.json_body["claim_id"])
    version = api.get(f"/claims/{claim_id}", token=staff("cs")).json_body["claim"]["version"]
    moved = api.post(
        f"/claims/{claim_id}/moves",
        json_body={"to": "cancelled", "version": version, "note": "Khách tự sửa được"},
        token=staff("cs"),
    )
    assert moved.status_code == 200, moved.body
    return claim_id


def test_the_admin_sets_retention_within_bounds_over_the_version_read(
    api: Api, staff: StaffTokens
) -> None:
    first = api.get("/privacy/retention", token=staff("director")).json_body
    body = {"messages_months": 12, "claims_months": 36, "visits_months": 48, "version": 0}

    by_cs = api.put("/privacy/retention", token=staff("cs"), json_body=body)
    saved = api.put("/privacy/retention", token=staff("admin"), json_body=body)
    stale = api.put("/privacy/retention", token=staff("admin"), json_body=body)
    wild = api.put(
        "/privacy/retention",
        token=staff("admin"),
        json_body={**body, "messages_months": 1, "claims_months": 999, "version": 1},
    )

    assert (first["messages_months"], first["claims_months"], first["visits_months"]) == (
        24,
        60,
        60,
    )
    assert first["bounds"]["messages_months"] == [3, 120] and first["version"] == 0
    assert by_cs.status_code == 403
    assert saved.status_code == 200
    assert (saved.json_body["version"], saved.json_body["updated_by"]) == (1, "admin")
    assert (stale.status_code, error_code(stale)) == (409, "retention_changed")
    assert (wild.status_code, field_codes(wild)) == (
        400,
        {"messages_months": "retention_out_of_range", "claims_months": "retention_out_of_range"},
    )


def test_the_daily_job_forgets_what_outlived_its_period_once(
    api: Api, aws: Emulator, owner: str, staff: StaffTokens
) -> None:
    from chalicelib.claims.tables import ClaimRecord
    from chalicelib.privacy.events import apply_retention

    claim_id = _cancelled_request(api, staff)
    messages = NotificationRecord.count()
    assert messages >= 2

    today = apply_retention()
    later = datetime.now(UTC) + timedelta(days=61 * 31)  # past every default period
    forgotten = apply_retention(later)
    again = apply_retention(later)

    assert today == {"messages": 0, "claims": 0, "visits": 0}
    assert forgotten["messages"] == messages and forgotten["claims"] == 1
    assert again == {"messages": 0, "claims": 0, "visits": 0}
    claim = ClaimRecord.get(claim_id)
    assert (claim.state, claim.customer_name, claim.customer_address) == ("cancelled", "", "")
    assert claim.customer_phone == f"erased#{claim_id}"
    assert "0912345678" not in claim.description
    assert NotificationRecord.count() == 0
    # the unit's owner is the warranty's own: retention leaves it
    assert UnitRecord.get("SN-1").owner_name == NAME


def test_a_longer_period_after_a_run_finds_nothing_new_and_a_save_after_the_job_works(
    api: Api, owner: str, staff: StaffTokens
) -> None:
    from chalicelib.privacy.events import apply_retention

    _cancelled_request(api, staff)
    later = datetime.now(UTC) + timedelta(days=61 * 31)
    apply_retention(later)  # the job's watermarks made the settings' item first
    current = api.get("/privacy/retention", token=staff("admin")).json_body
    body = {"messages_months": 120, "claims_months": 240, "visits_months": 240}

    saved = api.put(
        "/privacy/retention",
        token=staff("admin"),
        json_body={**body, "version": current["version"]},
    )

    assert saved.status_code == 200, saved.body
    # the watermark is now past the (earlier) end of the period: a quiet run, not an error
    assert apply_retention(later) == {"messages": 0, "claims": 0, "visits": 0}


def test_a_refusal_waits_while_an_erasure_holds_the_request(
    api: Api, owner: str, staff: StaffTokens
) -> None:
    from chalicelib.privacy import wiring as privacy_wiring

    request_id = _requested(api, owner)
    store = privacy_wiring.request_repository()
    request = store.get(request_id)
    assert request is not None
    now = datetime.now(UTC)
    store.hold(request, until=now + timedelta(minutes=5), now=now)

    refused = api.post(
        f"/privacy/requests/{request_id}/refuse",
        token=staff("admin"),
        json_body={"refusal_reason": "Trùng yêu cầu"},
    )
    erased = api.post(f"/privacy/requests/{request_id}/erase", token=staff("cs"))

    assert (refused.status_code, error_code(refused)) == (409, "privacy_request_handled")
    assert (erased.status_code, error_code(erased)) == (409, "privacy_request_handled")
    assert UnitRecord.get("SN-1").owner_name == NAME
