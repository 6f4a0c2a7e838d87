"""Partners' cases against the emulator: a partner opens a service case for a unit it installed
or a complaint about its own reward entry (never another's), writes notes with photos that lose
their metadata, closes and reopens; staff read the queue by status and kind per role, answer
(the partner's partner_case_answered queued once, in the same write) and close, audited."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
import requests
from PIL import Image

from chalicelib.audit.tables import AuditRecord
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.reward_repository import RewardLedgerRepository
from chalicelib.partners.rewards import EntryState, LedgerEntry
from chalicelib.platform import wiring as platform_wiring
from tests.integration.test_installer_rewards import (
    A_PHONE,
    B_PHONE,
    given_partner,
    installed,
    session_for,
    suspend,
)
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator


@pytest.fixture
def units(aws: Emulator) -> list[str]:
    seed.model("AC-9")
    serials = ["GAR-CASE-1", "GAR-CASE-2", "GAR-CASE-3"]
    seed.units(serials)
    return serials


@pytest.fixture
def partners(units: list[str]) -> tuple[str, str]:
    """Partner A installed GAR-CASE-1 (signed in) and GAR-CASE-3 (typed its phone on the public
    form); partner B installed GAR-CASE-2."""
    a, b = given_partner(A_PHONE), given_partner(B_PHONE)
    installed("GAR-CASE-1", A_PHONE, a)
    installed("GAR-CASE-2", B_PHONE, b, "+84911000002")
    installed("GAR-CASE-3", A_PHONE, "", "+84911000003")
    return a, b


def entry_of(serial: str, partner_id: str) -> None:
    """A reward entry of the partner's, as the units stream writes it."""
    at = datetime.now(UTC)
    RewardLedgerRepository().record(
        LedgerEntry(
            entry_id=serial,
            serial=serial,
            model_code="AC-9",
            partner_id=partner_id,
            state=EntryState.PENDING,
            amount=50_000,
            activated_at=at,
            activation_day=date.today(),
            created_at=at,
            customer_key="k" * 64,
        )
    )


def open_case(api: Api, token: str, **body: Any) -> Any:
    payload = {
        "kind": "service",
        "serial": "GAR-CASE-1",
        "subject": "Máy kêu to",
        "text": "Khách báo máy kêu.",
        **body,
    }
    return api.post("/partner/cases", json_body=payload, token=token)


def photo() -> bytes:
    image = Image.new("RGB", (2400, 1800), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (10.0, 46.0, 30.0)}  # GPSInfo: where the customer lives
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def uploaded_photo(api: Api, token: str, prefix: str = "/partner/cases") -> str:
    data = photo()
    started = api.post(
        f"{prefix}/photos", json_body={"content_type": "image/jpeg", "size": len(data)}, token=token
    )
    assert started.status_code == 201, started.json_body
    target = started.json_body["upload"]
    assert requests.put(target["url"], data=data, headers=target["headers"], timeout=10).ok
    done = api.post(
        f"{prefix}/photos/done", json_body={"key": started.json_body["key"]}, token=token
    )
    assert done.status_code == 200, done.json_body
    return str(done.json_body["photo"]["key"])


def answered_messages() -> list[NotificationRecord]:
    return [r for r in NotificationRecord.scan() if r.template == "partner_case_answered"]


def test_a_partner_opens_a_service_case_with_a_photo_and_reads_it_back(
    api: Api, partners: tuple[str, str]
) -> None:
    a, _ = partners
    token = session_for(a)
    key = uploaded_photo(api, token)

    opened = open_case(api, token, photos=[key])

    assert opened.status_code == 201, opened.json_body
    case = opened.json_body["case"]
    assert (case["kind"], case["serial"], case["status"]) == ("service", "GAR-CASE-1", "open")
    [note] = case["notes"]
    assert (note["author"], note["text"]) == ({"role": "partner"}, "Khách báo máy kêu.")
    assert key.startswith(f"case-photos/{a}/") and key.endswith(".webp")
    stored = Image.open(io.BytesIO(requests.get(note["photos"][0]["url"], timeout=10).content))
    assert stored.format == "WEBP" and max(stored.size) == 1600
    assert dict(stored.getexif()) == {}  # no camera, no GPS
    again = api.get(f"/partner/cases/{case['case_id']}", token=token)
    assert again.status_code == 200
    assert [n["text"] for n in again.json_body["case"]["notes"]] == ["Khách báo máy kêu."]
    listed = api.get("/partner/cases", token=token).json_body["cases"]
    assert [(c["case_id"], c["note_count"], c["last_by"]) for c in listed] == [
        (case["case_id"], 1, "partner")
    ]


def test_a_service_case_needs_a_unit_the_partner_installed(
    api: Api, partners: tuple[str, str]
) -> None:
    a, _ = partners
    token = session_for(a)

    by_phone = open_case(api, token, serial="gar-case-3")  # typed on the public form: by phone
    of_b = open_case(api, token, serial="GAR-CASE-2")
    unknown = open_case(api, token, serial="GAR-NOPE-9")

    assert by_phone.status_code == 201, by_phone.json_body
    assert by_phone.json_body["case"]["serial"] == "GAR-CASE-3"
    assert (of_b.status_code, error_code(of_b)) == (403, "case_unit_not_installed")
    assert (unknown.status_code, error_code(unknown)) == (404, "unit_not_found")


def test_a_complaint_is_about_one_of_the_partner_s_own_entries(
    api: Api, partners: tuple[str, str]
) -> None:
    a, b = partners
    entry_of("GAR-CASE-1", a)
    entry_of("GAR-CASE-2", b)
    token = session_for(a)

    own = open_case(api, token, kind="complaint", subject="Thưởng chưa duyệt")
    other = open_case(api, token, kind="complaint", serial="GAR-CASE-2")
    none = open_case(api, token, kind="complaint", serial="GAR-CASE-3")

    assert own.status_code == 201 and own.json_body["case"]["kind"] == "complaint"
    assert (other.status_code, error_code(other)) == (404, "case_entry_not_found")
    assert (none.status_code, error_code(none)) == (404, "case_entry_not_found")


def test_partner_b_never_reaches_partner_a_s_cases_or_photos(
    api: Api, partners: tuple[str, str]
) -> None:
    a, b = partners
    key_of_a = uploaded_photo(api, session_for(a))
    case_id = open_case(api, session_for(a)).json_body["case"]["case_id"]
    b_token = session_for(b)

    assert error_code(api.get(f"/partner/cases/{case_id}", token=b_token)) == "case_not_found"
    noted = api.post(f"/partner/cases/{case_id}/notes", json_body={"text": "x"}, token=b_token)
    assert (noted.status_code, error_code(noted)) == (404, "case_not_found")
    closed = api.post(f"/partner/cases/{case_id}/close", token=b_token)
    assert (closed.status_code, error_code(closed)) == (404, "case_not_found")
    assert api.get("/partner/cases", token=b_token).json_body["cases"] == []
    # A's photo named in B's note, and A's upload finished by B, are refused
    b_case = open_case(api, b_token, serial="GAR-CASE-2").json_body["case"]["case_id"]
    stolen = api.post(
        f"/partner/cases/{b_case}/notes", json_body={"photos": [key_of_a]}, token=b_token
    )
    assert (stolen.status_code, error_code(stolen)) == (400, "case_photo_unknown")
    started = api.post(
        "/partner/cases/photos",
        json_body={"content_type": "image/png", "size": 10},
        token=session_for(a),
    ).json_body["key"]
    finished = api.post("/partner/cases/photos/done", json_body={"key": started}, token=b_token)
    assert error_code(finished) == "image_upload_unknown"


def test_staff_answer_tells_the_partner_once_and_is_audited(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    a, _ = partners
    case_id = open_case(api, session_for(a)).json_body["case"]["case_id"]

    answer = api.post(
        f"/cases/{case_id}/notes",
        json_body={"text": "Đã gọi khách,\nsẽ đến sửa."},
        token=staff("cs"),
    )

    assert answer.status_code == 201, answer.json_body
    case = answer.json_body["case"]
    assert case["status"] == "answered"
    assert case["notes"][-1]["author"] == {"role": "staff", "username": "cs"}
    assert case["notes"][-1]["text"] == "Đã gọi khách,\nsẽ đến sửa."  # the line break is kept
    [message] = answered_messages()
    assert (message.recipient_phone, message.language) == (A_PHONE, "vi")
    assert "Máy kêu to" in message.text
    [audit] = AuditRecord.query(f"partner_case#{case_id}")
    assert (audit.action, audit.actor) == ("case_answered", "cs")
    seen = api.get(f"/partner/cases/{case_id}", token=session_for(a)).json_body["case"]
    assert seen["notes"][-1]["author"] == {"role": "staff"}  # the partner sees no username
    assert seen["status"] == "answered"


def test_two_answers_at_once_one_wins_and_one_message_is_queued(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    a, _ = partners
    case_id = open_case(api, session_for(a)).json_body["case"]["case_id"]
    tokens = [staff("cs"), staff("admin")]
    answers: list[Any] = []

    def answer(token: str) -> None:
        answers.append(api.post(f"/cases/{case_id}/notes", json_body={"text": "OK"}, token=token))

    threads = [threading.Thread(target=answer, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(r.status_code for r in answers)
    assert codes in ([201, 201], [201, 409])
    notes = api.get(f"/cases/{case_id}", token=staff("admin")).json_body["case"]["notes"]
    assert len(notes) == 1 + codes.count(201)
    assert len(answered_messages()) == codes.count(201)  # one per answer that landed


def test_a_closed_case_is_reopened_by_the_partner_s_note_not_by_staff(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    a, _ = partners
    token = session_for(a)
    case_id = open_case(api, token).json_body["case"]["case_id"]

    closed = api.post(f"/cases/{case_id}/close", token=staff("technician"))
    late = api.post(f"/cases/{case_id}/notes", json_body={"text": "x"}, token=staff("cs"))
    twice = api.post(f"/partner/cases/{case_id}/close", token=token)
    reopened = api.post(
        f"/partner/cases/{case_id}/notes", json_body={"text": "Vẫn kêu"}, token=token
    )

    assert closed.json_body["case"]["closed_by"] == "technician"
    assert (late.status_code, error_code(late)) == (409, "case_closed")
    assert (twice.status_code, error_code(twice)) == (409, "case_closed")
    assert reopened.json_body["case"]["status"] == "open"
    assert reopened.json_body["case"]["closed_by"] is None
    actions = [r.action for r in AuditRecord.query(f"partner_case#{case_id}")]
    assert actions == ["case_closed"]
    assert (
        api.post(f"/partner/cases/{case_id}/close", token=token).json_body["case"]["closed_by"]
        == "partner"
    )


def test_the_queue_by_status_and_kind_follows_the_roles(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    a, _ = partners
    entry_of("GAR-CASE-1", a)
    token = session_for(a)
    service_id = open_case(api, token).json_body["case"]["case_id"]
    complaint_id = open_case(api, token, kind="complaint").json_body["case"]["case_id"]
    api.post(f"/cases/{complaint_id}/notes", json_body={"text": "Đang kiểm tra"}, token=staff("cs"))

    def queue(user: str, query: str) -> list[str]:
        answer = api.get(f"/cases{query}", token=staff(user))
        assert answer.status_code == 200, answer.json_body
        return [c["case_id"] for c in answer.json_body["cases"]]

    assert queue("cs", "") == [service_id]  # open by default
    assert queue("director", "?status=answered") == [complaint_id]
    assert queue("admin", "?status=answered&kind=service") == []
    assert queue("technician", "?status=answered") == []  # service cases only
    tech = api.get("/cases?kind=complaint", token=staff("technician"))
    assert (tech.status_code, error_code(tech)) == (403, "role_not_allowed")
    tech_read = api.get(f"/cases/{complaint_id}", token=staff("technician"))
    assert (tech_read.status_code, error_code(tech_read)) == (403, "role_not_allowed")
    assert api.get("/cases", token=staff("accountant")).status_code == 403
    director = api.post(
        f"/cases/{service_id}/notes", json_body={"text": "x"}, token=staff("director")
    )
    assert (director.status_code, error_code(director)) == (403, "role_not_allowed")
    bad = api.get("/cases?status=lost", token=staff("cs"))
    assert (bad.status_code, bad.json_body["error"]["fields"][0]["code"]) == (
        400,
        "case_status_invalid",
    )


def test_a_staff_answer_carries_staff_photos_only(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    a, _ = partners
    partner_key = uploaded_photo(api, session_for(a))
    case_id = open_case(api, session_for(a)).json_body["case"]["case_id"]
    staff_key = uploaded_photo(api, staff("technician"), prefix="/cases")

    with_partner_photo = api.post(
        f"/cases/{case_id}/notes", json_body={"photos": [partner_key]}, token=staff("cs")
    )
    with_staff_photo = api.post(
        f"/cases/{case_id}/notes", json_body={"photos": [staff_key]}, token=staff("cs")
    )

    assert error_code(with_partner_photo) == "case_photo_unknown"
    assert with_staff_photo.status_code == 201
    assert staff_key.startswith("case-photos/staff/")
    url = with_staff_photo.json_body["case"]["notes"][-1]["photos"][0]["url"]
    assert requests.get(url, timeout=10).ok
    assert platform_wiring.storage().size_of(staff_key) is not None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "", "photos": []}, "case_note_empty"),
        ({"text": "x" * 2001}, "case_note_too_long"),
        ({"photos": [f"case-photos/p/{n}.webp" for n in range(6)]}, "case_note_too_many_photos"),
    ],
)
def test_a_note_is_bounded(
    api: Api, partners: tuple[str, str], body: dict[str, Any], code: str
) -> None:
    a, _ = partners
    token = session_for(a)
    case_id = open_case(api, token).json_body["case"]["case_id"]

    answer = api.post(f"/partner/cases/{case_id}/notes", json_body=body, token=token)

    assert answer.status_code == 400
    found = answer.json_body["error"]
    assert code in {found["code"], *(f["code"] for f in found.get("fields", []))}


def test_a_suspended_partner_reaches_no_case(api: Api, partners: tuple[str, str]) -> None:
    a, _ = partners
    token = session_for(a)
    case_id = open_case(api, token).json_body["case"]["case_id"]

    suspend(a)

    answer = api.get(f"/partner/cases/{case_id}", token=token)
    assert answer.status_code == 401


def test_every_partner_case_route_needs_a_partner_session(
    api: Api, staff: StaffTokens, partners: tuple[str, str]
) -> None:
    from app import app

    routes = [
        (method, path.replace("{case_id}", "c_unknown"))
        for path, methods in app.routes.items()
        if path.startswith("/partner/cases")
        for method in methods
    ]

    answers = {
        (api.request(method, path, json_body={}, token=token).status_code)
        for method, path in routes
        for token in (None, staff("admin"))
    }

    assert len(routes) == 7 and answers == {401}
