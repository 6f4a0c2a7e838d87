"""Installer partners against the emulator: sign-up and sign-in by phone and a one-time code,
one partner per phone under concurrency, sessions that slide and end at once on suspension,
the partner API's refusals, and the staff's routes per role (masked for cs), each audited."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.core.errors import Conflict
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.partners import service, sessions
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.partners.repository import PartnerRepository
from chalicelib.partners.session_repository import PartnerSessionRepository
from chalicelib.partners.tables import PartnerRecord, PartnerSessionRecord
from tests.support import factories as f
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator, seeded_demo

pytestmark = pytest.mark.usefixtures("aws")

PHONE, E164 = "0912345678", "+84912345678"
OTHER, OTHER_E164 = "0987654321", "+84987654321"
KEY = sessions.signing_key(f.PEPPER)


def form(phone: str = PHONE, **overrides: Any) -> dict[str, Any]:
    return {
        "phone": phone,
        "name": "Nguyễn Văn Đạt",
        "citizen_id": "001203004567",
        "province": "Hà Nội",
        "bank_bin": "970436",
        "account_number": "0011 0045 67890",
        "account_holder": "Nguyễn Văn Đạt",
        **overrides,
    }


def code_sent_to(e164: str) -> str:
    [newest, *_] = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, e164), datetime.now(UTC)
    )
    assert newest.template == "partner_code"
    match = re.search(r"\b(\d{6})\b", newest.text)
    assert match is not None, newest.text
    return match.group(1)


def new_code(api: Api, phone: str = PHONE) -> str:
    response = api.post("/partner/codes", json_body={"phone": phone, "language": "vi"})
    assert response.status_code == 202, response.body
    return code_sent_to("+84" + phone.removeprefix("0"))


def sign_up(api: Api, phone: str = PHONE, **overrides: Any) -> Any:
    body = {**form(phone, **overrides), "code": new_code(api, phone), "consent": True}
    return api.post("/partner/signup", json_body=body)


def details(phone: str = E164) -> PartnerDetails:
    return PartnerDetails(
        phone=phone,
        name="Trần Thị Bình",
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin="970422",
        account_number="1234567890",
        account_holder="TRAN THI BINH",
    )


def given_partner(status: PartnerStatus, phone: str = E164) -> str:
    """A partner created by staff (``approved`` or ``pending``), moved on to ``status``."""
    start = PartnerStatus.PENDING if status is PartnerStatus.PENDING else PartnerStatus.APPROVED
    change = service.Change("admin", datetime.now(UTC), f"seed-{phone}")
    partner = service.create(
        details(phone), start, "", change, pepper=f.PEPPER, partners=PartnerRepository(),
        trail=AuditTrail("demo"),
    )  # fmt: skip
    if status is PartnerStatus.SUSPENDED:
        PartnerRecord(partner.partner_id).update(actions=[PartnerRecord.status.set("suspended")])
    if status is PartnerStatus.REJECTED:
        PartnerRecord(partner.partner_id).update(actions=[PartnerRecord.status.set("rejected")])
    return partner.partner_id


def session_for(partner_id: str, now: datetime | None = None) -> str:
    issued = sessions.open_session(
        partner_id, now=now or datetime.now(UTC), key=KEY, store=PartnerSessionRepository()
    )
    return issued.token


def stored_sessions(partner_id: str) -> list[PartnerSessionRecord]:
    return list(PartnerSessionRecord.partner_index.query(partner_id))


# -- sign-up and sign-in ------------------------------------------------------------------------


def test_a_technician_signs_up_pending_and_is_signed_in_at_once(api: Api) -> None:
    response = sign_up(api, tax_code="0101234567001")

    assert response.status_code == 201, response.body
    partner, session = response.json_body["partner"], response.json_body["session"]
    assert partner["status"] == "pending"
    assert partner["phone"] == E164
    assert partner["account_holder"] == "NGUYEN VAN DAT"
    assert partner["account_number"] == "*********7890"
    assert partner["citizen_id"] == "********4567"
    assert partner["bank"] == {
        "bin": "970436",
        "short_name": "Vietcombank",
        "name": "Ngân hàng TMCP Ngoại thương Việt Nam",
    }
    assert re.fullmatch(r"pst_[A-Za-z0-9_-]{43}", session["token"])
    assert session["expires_in"] == 90 * 24 * 3600
    me = api.get("/partner/me", token=session["token"])
    assert me.status_code == 200
    assert me.json_body["partner"] == partner
    record = PartnerRecord.get(partner["partner_id"])
    assert (record.account_number, record.tax_code) == ("0011004567890", "0101234567-001")
    [entry] = AuditTrail("demo").for_entity("partner", partner["partner_id"])
    assert (entry.action, entry.actor) == ("partner_signed_up", "partner")
    assert "001203004567" not in str(entry.after) and "0011004567890" not in str(entry.after)


def test_sign_up_refuses_what_a_form_should_not_send(api: Api) -> None:
    response = api.post(
        "/partner/signup",
        json_body={
            **form(citizen_id="12345", province="Bình Dương", bank_bin="123456"),
            "account_number": "12",
            "account_holder": "Công ty ABC, Ltd.",
            "tax_code": "123",
            "code": "123456",
            "consent": False,
        },
    )

    assert response.status_code == 400
    assert field_codes(response) == {
        "citizen_id": "citizen_id_invalid",
        "province": "province_invalid",
        "bank_bin": "bank_bin_invalid",
        "account_number": "account_number_invalid",
        "account_holder": "account_holder_invalid",
        "tax_code": "tax_code_invalid",
        "consent": "partner_consent_required",
    }


def test_a_wrong_code_signs_nobody_up(api: Api) -> None:
    code = new_code(api)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = api.post("/partner/signup", json_body={**form(), "code": wrong, "consent": True})

    assert (response.status_code, error_code(response)) == (401, "otp_wrong_code")
    assert list(PartnerRecord.phone_index.query(phone_key(f.PEPPER, E164))) == []


def test_a_look_up_code_does_not_sign_a_partner_up(api: Api) -> None:
    assert api.post("/public/otp", json_body={"phone": PHONE}).status_code == 202
    [message] = NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, E164), datetime.now(UTC)
    )
    code = re.search(r"\b(\d{6})\b", message.text).group(1)  # type: ignore[union-attr]

    response = api.post("/partner/signup", json_body={**form(), "code": code, "consent": True})

    assert (response.status_code, error_code(response)) == (401, "otp_invalid")


def test_a_phone_already_registered_is_partner_exists(api: Api) -> None:
    given_partner(PartnerStatus.APPROVED)

    again = sign_up(api, name="Người Khác")

    assert (again.status_code, error_code(again)) == (409, "partner_exists")


def test_two_sign_ups_of_one_phone_at_once_make_exactly_one_partner() -> None:
    repository, barrier = PartnerRepository(), threading.Barrier(6)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        change = service.Change("partner", datetime.now(UTC), f"race-{n}")
        barrier.wait()
        try:
            service.create(
                replace(details(), name=f"Người {n}"), PartnerStatus.PENDING, "", change,
                pepper=f.PEPPER, partners=repository, trail=AuditTrail("demo"),
            )  # fmt: skip
            outcomes.append("created")
        except Conflict as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created"] + ["partner_exists"] * 5
    assert len(list(PartnerRecord.status_index.query("pending"))) == 1


def test_sign_in_opens_a_new_session_for_the_phones_partner(api: Api) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)

    response = api.post("/partner/sessions", json_body={"phone": PHONE, "code": new_code(api)})

    assert response.status_code == 200, response.body
    assert response.json_body["partner"]["partner_id"] == partner_id
    token = response.json_body["session"]["token"]
    assert api.get("/partner/me", token=token).json_body["partner"]["partner_id"] == partner_id


def test_sign_in_of_an_unknown_phone_is_not_found_only_after_the_code(api: Api) -> None:
    code = new_code(api)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    refused = api.post("/partner/sessions", json_body={"phone": PHONE, "code": wrong})
    unknown = api.post("/partner/sessions", json_body={"phone": PHONE, "code": code})

    assert (refused.status_code, error_code(refused)) == (401, "otp_wrong_code")
    assert (unknown.status_code, error_code(unknown)) == (404, "partner_not_found")


@pytest.mark.parametrize(
    ("status", "code"),
    [(PartnerStatus.REJECTED, "partner_rejected"), (PartnerStatus.SUSPENDED, "partner_suspended")],
)
def test_a_rejected_or_suspended_partner_cannot_sign_in(
    api: Api, status: PartnerStatus, code: str
) -> None:
    given_partner(status)

    response = api.post("/partner/sessions", json_body={"phone": PHONE, "code": new_code(api)})

    assert (response.status_code, error_code(response)) == (403, code)


# -- sessions ----------------------------------------------------------------------------------


def test_a_session_used_after_a_day_is_extended_once(api: Api) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    opened = datetime.now(UTC) - timedelta(days=2)
    token = session_for(partner_id, opened)

    assert api.get("/partner/me", token=token).status_code == 200
    [first] = stored_sessions(partner_id)
    record = PartnerSessionRecord.get(first.session_key)
    assert record.last_used_at > opened + timedelta(days=1)
    assert record.expires > datetime.now(UTC) + timedelta(days=89)
    assert api.get("/partner/me", token=token).status_code == 200
    assert PartnerSessionRecord.get(first.session_key).last_used_at == record.last_used_at


def test_of_two_requests_extending_a_session_at_once_one_writes() -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    session_for(partner_id, datetime.now(UTC) - timedelta(days=2))
    store = PartnerSessionRepository()
    [key] = [r.session_key for r in stored_sessions(partner_id)]
    read = store.get(key)
    assert read is not None
    now = datetime.now(UTC)

    writes = [store.extend(read, now, now + sessions.SESSION_LIFETIME) for _ in range(2)]

    assert writes == [True, False]


def test_suspension_ends_every_session_of_the_partner_at_once(api: Api, staff: StaffTokens) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    phone_token, portal_token = session_for(partner_id), session_for(partner_id)
    other = given_partner(PartnerStatus.APPROVED, OTHER_E164)
    others_token = session_for(other)

    response = api.post(
        f"/partners/{partner_id}/status",
        json_body={"status": "suspended", "note": "Kích hoạt bất thường"},
        token=staff("director"),
    )

    assert response.status_code == 200, response.body
    assert stored_sessions(partner_id) == []
    for token in (phone_token, portal_token):
        refused = api.get("/partner/me", token=token)
        assert (refused.status_code, error_code(refused)) == (401, "partner_session_invalid")
    assert api.get("/partner/me", token=others_token).status_code == 200


def test_a_partner_no_longer_allowed_is_refused_even_before_the_sessions_go(api: Api) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    token = session_for(partner_id)
    PartnerRecord(partner_id).update(actions=[PartnerRecord.status.set("suspended")])

    refused = api.get("/partner/me", token=token)

    assert (refused.status_code, error_code(refused)) == (401, "partner_session_revoked")


def test_sign_out_ends_only_that_session(api: Api) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    leaving, staying = session_for(partner_id), session_for(partner_id)

    response = api.delete("/partner/sessions/current", token=leaving)

    assert response.status_code == 204
    assert api.get("/partner/me", token=leaving).status_code == 401
    assert api.get("/partner/me", token=staying).status_code == 200


def test_partner_routes_refuse_anything_but_a_live_session(api: Api, staff: StaffTokens) -> None:
    partner_id = given_partner(PartnerStatus.APPROVED)
    expired = session_for(partner_id, datetime.now(UTC) - timedelta(days=91))
    revoked = session_for(given_partner(PartnerStatus.REJECTED, OTHER_E164))
    live = session_for(partner_id)
    forged = "pst_" + ("A" if live[4] != "A" else "B") + live[5:]
    cases = {
        None: "authentication_required",
        staff("admin"): "partner_session_invalid",
        forged: "partner_session_invalid",
        expired: "partner_session_expired",
        revoked: "partner_session_revoked",
    }

    for method, path in (("GET", "/partner/me"), ("DELETE", "/partner/sessions/current")):
        for token, code in cases.items():
            if method == "DELETE" and code == "partner_session_revoked":
                continue  # signing out needs no approval
            response = api.request(method, path, token=token)
            assert (response.status_code, error_code(response)) == (401, code), (path, code)


def test_a_partner_reads_only_its_own_record_and_no_route_takes_a_partner_id(api: Api) -> None:
    from app import app

    mine = given_partner(PartnerStatus.APPROVED)
    theirs = given_partner(PartnerStatus.APPROVED, OTHER_E164)

    me = api.get("/partner/me", token=session_for(mine)).json_body["partner"]

    assert me["partner_id"] == mine and theirs not in str(me)
    # a case's id is one of the session's own partner's (test_partner_cases: B never reaches A's);
    # a unit's history only for a unit the partner installed (test_installer_rewards)
    assert [p for p in app.routes if p.startswith("/partner/") and "{" in p] == [
        "/partner/units/{serial}/warranty-history",
        "/partner/cases/{case_id}",
        "/partner/cases/{case_id}/notes",
        "/partner/cases/{case_id}/close",
    ]


def test_the_sign_up_forms_lists(api: Api) -> None:
    banks = api.get("/partner/banks").json_body["banks"]
    provinces = api.get("/partner/provinces").json_body

    assert {"bin": "970422", "short_name": "MB", "name": "Ngân hàng TMCP Quân đội"} in banks
    assert len(provinces["cities"]) == 6 and len(provinces["provinces"]) == 28


def test_any_page_may_read_the_lists_but_only_the_portal_may_sign_up(api: Api) -> None:
    # the console's partner form reads the bank list too: it names no one, carries no credentials
    lists = [
        api.get(path, headers={"Origin": "http://console.test"}).headers
        for path in ("/partner/banks", "/partner/provinces")
    ]
    signup = api.post("/partner/signup", body={}, headers={"Origin": "http://console.test"})

    assert [h["Access-Control-Allow-Origin"] for h in lists] == ["*", "*"]
    assert signup.headers["Access-Control-Allow-Origin"] != "*"


# -- staff -------------------------------------------------------------------------------------


def create_body(**overrides: Any) -> dict[str, Any]:
    return {
        **form(),
        "consent": True,
        "status": "approved",
        "note": "Gặp tại cửa hàng",
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "citizen_id", "account"),
    [
        ("admin", "001203004567", "0011004567890"),
        ("director", "001203004567", "0011004567890"),
        ("accountant", "001203004567", "0011004567890"),
        ("cs", "********4567", "*********7890"),
    ],
)
def test_staff_read_partners_masked_for_cs(
    api: Api, staff: StaffTokens, role: str, citizen_id: str, account: str
) -> None:
    created = api.post("/partners", json_body=create_body(), token=staff("admin"))
    assert created.status_code == 201, created.body
    partner_id = created.json_body["partner_id"]

    one = api.get(f"/partners/{partner_id}", token=staff(role))
    listed = api.get("/partners?status=approved", token=staff(role))
    by_phone = api.get("/partners?phone=0912 345 678", token=staff(role))

    assert one.status_code == listed.status_code == by_phone.status_code == 200
    for view in (one.json_body, *listed.json_body["partners"], *by_phone.json_body["partners"]):
        assert (view["citizen_id"], view["account_number"]) == (citizen_id, account)
    assert one.json_body["history"][0]["to"] == "approved"
    assert one.json_body["created_by"] == "admin"


def test_a_technician_has_no_partner_routes(api: Api, staff: StaffTokens) -> None:
    token = staff("technician")

    answers = [
        api.get("/partners", token=token),
        api.get("/partners/p_unknown", token=token),
        api.post("/partners", json_body=create_body(), token=token),
        api.post("/partners/p_x/status", json_body={"status": "approved"}, token=token),
    ]

    assert [(a.status_code, error_code(a)) for a in answers] == [(403, "role_not_allowed")] * 4


@pytest.mark.parametrize("role", ["cs", "accountant"])
def test_only_admin_and_director_create_and_change_partners(
    api: Api, staff: StaffTokens, role: str
) -> None:
    partner_id = given_partner(PartnerStatus.PENDING)

    create = api.post("/partners", json_body=create_body(phone=OTHER), token=staff(role))
    change = api.post(
        f"/partners/{partner_id}/status", json_body={"status": "approved"}, token=staff(role)
    )

    assert [create.status_code, change.status_code] == [403, 403]


def test_staff_approve_then_suspend_then_reinstate_each_audited(
    api: Api, staff: StaffTokens
) -> None:
    partner_id = given_partner(PartnerStatus.PENDING)
    token = staff("admin")
    steps = [("approved", ""), ("suspended", "Nghi ngờ gian lận"), ("approved", "Đã xác minh")]

    for status, note in steps:
        response = api.post(
            f"/partners/{partner_id}/status", json_body={"status": status, "note": note},
            token=token,
        )  # fmt: skip
        assert response.status_code == 200, response.body

    history = api.get(f"/partners/{partner_id}", token=token).json_body["history"]
    assert [(h["from"], h["to"], h["by"]) for h in history] == [
        ("suspended", "approved", "admin"),
        ("approved", "suspended", "admin"),
        ("pending", "approved", "admin"),
        (None, "pending", "admin"),
    ]
    entries = [
        (e.action, e.before, e.after, e.note)
        for e in AuditTrail("demo").for_entity("partner", partner_id)
    ]
    assert ("partner_suspended", {"status": "approved"}, {"status": "suspended"},
            "Nghi ngờ gian lận") in entries  # fmt: skip
    assert [action for action, *_ in entries] == [
        "partner_reinstated",
        "partner_suspended",
        "partner_approved",
        "partner_created",
    ]


def test_an_illegal_move_or_a_missing_note_is_refused(api: Api, staff: StaffTokens) -> None:
    partner_id = given_partner(PartnerStatus.PENDING)
    token = staff("director")

    suspend_pending = api.post(
        f"/partners/{partner_id}/status", json_body={"status": "suspended", "note": "x"},
        token=token,
    )  # fmt: skip
    reject_silently = api.post(
        f"/partners/{partner_id}/status", json_body={"status": "rejected"}, token=token
    )
    unknown = api.post("/partners/p_nobody/status", json_body={"status": "approved"}, token=token)

    assert (suspend_pending.status_code, error_code(suspend_pending)) == (
        409,
        "partner_status_not_allowed",
    )
    assert suspend_pending.json_body["error"]["status"] == "pending"
    assert (reject_silently.status_code, field_codes(reject_silently)) == (
        400,
        {"note": "note_required"},
    )
    assert (unknown.status_code, error_code(unknown)) == (404, "partner_not_found")
    too_long = api.get("/partners/p_" + "a" * 3000, token=token)  # past DynamoDB's key size
    assert (too_long.status_code, error_code(too_long)) == (404, "partner_not_found")


def test_staff_create_audits_masked_and_refuses_a_taken_phone(api: Api, staff: StaffTokens) -> None:
    token = staff("admin")

    created = api.post("/partners", json_body=create_body(), token=token)
    again = api.post("/partners", json_body=create_body(name="Ai Đó"), token=token)

    assert created.status_code == 201
    assert (again.status_code, error_code(again)) == (409, "partner_exists")
    [entry] = AuditTrail("demo").for_entity("partner", created.json_body["partner_id"])
    assert (entry.action, entry.actor, entry.note) == (
        "partner_created",
        "admin",
        "Gặp tại cửa hàng",
    )
    assert entry.after is not None
    assert (entry.after["citizen_id"], entry.after["account_number"]) == (
        "********4567",
        "*********7890",
    )


def test_the_review_queue_pages_oldest_first_with_a_signed_cursor(
    api: Api, staff: StaffTokens
) -> None:
    phones = ["+84912000001", "+84912000002", "+84912000003"]
    ids = [given_partner(PartnerStatus.PENDING, phone) for phone in phones]
    token = staff("cs")

    first = api.get("/partners?limit=2", token=token).json_body
    second = api.get(f"/partners?limit=2&cursor={first['next_cursor']}", token=token).json_body
    approved_scope = api.get(
        f"/partners?status=approved&cursor={first['next_cursor']}", token=token
    )

    assert [p["partner_id"] for p in first["partners"] + second["partners"]] == ids
    assert second["next_cursor"] is None
    assert field_codes(approved_scope) == {"cursor": "cursor_invalid"}


def test_a_phone_search_is_exact_and_alone(api: Api, staff: StaffTokens) -> None:
    given_partner(PartnerStatus.APPROVED)
    token = staff("admin")

    found = api.get("/partners?phone=%2B84912345678", token=token).json_body["partners"]
    none = api.get(f"/partners?phone={OTHER}", token=token).json_body["partners"]
    mixed = api.get("/partners?phone=0912345678&status=approved", token=token)
    bad = api.get("/partners?phone=028123", token=token)

    assert [p["phone"] for p in found] == [E164] and none == []
    assert field_codes(mixed) == {"phone": "partner_search_mode"}
    assert bad.status_code == 400 and "phone" in field_codes(bad)


def test_the_demo_has_a_partner_in_each_status_the_console_shows_first() -> None:
    from devstack.demo import seed_demo_partners

    assert seed_demo_partners() == 3
    assert seed_demo_partners() == 0  # a second start leaves them as they are

    statuses = {
        status: [r.name for r in PartnerRecord.status_index.query(status)]
        for status in ("approved", "pending", "suspended")
    }
    assert statuses == {
        "approved": ["Trần Văn Hùng"],
        "pending": ["Lê Thị Mai"],
        "suspended": ["Phạm Quốc Bảo"],
    }
    [suspended] = PartnerRecord.status_index.query("suspended")
    assert suspended.history[-1].note.startswith("Nhiều kích hoạt")


def test_the_demo_gives_the_approved_partner_a_month_of_rewardable_installations(
    aws: Emulator,
) -> None:
    from chalicelib.catalog.serials import generated_serial
    from chalicelib.catalog.unit_repository import UnitRepository
    from chalicelib.catalog.warranty import business_day
    from chalicelib.core.settings import get_settings
    from chalicelib.partners.reward_repository import RewardRuleRepository
    from devstack.demo import DEMO_REWARDS

    # Given the demo with its activations (partners and rules are seeded before them: the units
    # stream decides a reward once, from what exists when it runs)
    summary = seeded_demo(aws)
    [approved] = PartnerRecord.status_index.query("approved")
    units = UnitRepository()
    installed = [
        u.activation
        for u in (units.get(generated_serial("GAR", n)) for n in range(1, summary.units + 1))
        if u.activation is not None and u.activation.channel == "partner"
    ]

    # Then a third of the last 19 days' activations are the approved partner's, each after they
    # joined, and a rule covers each model
    assert len(installed) >= 8
    assert {a.installer.partner_id for a in installed if a.installer} == {approved.partner_id}
    assert all(a.activated_at > approved.created_at for a in installed)
    assert all(
        a.installer and a.installer.installed_on == business_day(a.activated_at) for a in installed
    )
    rules = RewardRuleRepository(get_settings().brand_id).all_versions()
    assert {(r.model_code or r.category, r.amount) for r in rules} == set(DEMO_REWARDS.items())
    assert {r.scope.value for r in rules} == {"model", "category"}


def test_a_partners_flow_logs_no_phone_code_citizen_id_account_or_token(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.integration.test_privacy import APP_LOGGER, MOBILE, what_was_logged

    caplog.set_level(logging.DEBUG, logger=APP_LOGGER)
    code = new_code(api)
    signed_up = api.post("/partner/signup", json_body={**form(), "code": code, "consent": True})
    token = signed_up.json_body["session"]["token"]
    api.get("/partner/me", token=token)
    api.delete("/partner/sessions/current", token=token)

    logged = "\n".join(
        what_was_logged(r) for r in caplog.records if r.name.split(".")[0] == APP_LOGGER
    )
    assert "one-time code sent" in logged  # the flow did log
    assert MOBILE.findall(logged) == []
    assert code not in logged and token not in logged and token[4:] not in logged
    assert "001203004567" not in logged and "0011004567890" not in logged


def test_the_audit_log_reads_a_partners_history(api: Api, staff: StaffTokens) -> None:
    partner_id = given_partner(PartnerStatus.PENDING)

    response = api.get(f"/audit?entity=partner&entity_id={partner_id}", token=staff("director"))

    assert response.status_code == 200, response.body
    assert [e["action"] for e in response.json_body["entries"]] == ["partner_created"]
