"""The manager's reconciliation of a month's rewards (issue 13): decisions one by one and in
bulk (conditional on the entry's state and version and on the month being open), the partner's
``reward_approved`` queued once in the same transaction, the month's lock and totals, and its
Excel export (opened with python-calamine)."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from python_calamine import CalamineWorkbook

from chalicelib.audit.tables import AuditRecord
from chalicelib.core.errors import Conflict
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.partners.repository import PartnerRepository
from chalicelib.partners.reward_export import reward_row
from chalicelib.partners.reward_repository import RewardLedgerRepository
from chalicelib.partners.rewards import (
    Decision,
    EntryState,
    Flag,
    LedgerEntry,
    NotEligible,
    StateChange,
    decided,
)
from chalicelib.platform.tables import ExportJobRecord
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

PERIOD = "2026-03"
DAY = date(2026, 3, 14)
AT = datetime(2026, 3, 14, 3, tzinfo=UTC)


@pytest.fixture
def partner_id(aws: Emulator) -> str:
    from chalicelib.audit.repository import AuditTrail
    from chalicelib.partners import service
    from tests.support import factories as f

    details = PartnerDetails(
        phone="+84987654321",
        name="Trần Văn Thợ",
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin="970422",
        account_number="1234567890",
        account_holder="TRAN VAN THO",
    )
    change = service.Change("admin", datetime.now(UTC) - timedelta(days=1), "seed-partner")
    created = service.create(
        details, PartnerStatus.APPROVED, "", change, pepper=f.PEPPER,
        partners=PartnerRepository(), trail=AuditTrail("demo"),
    )  # fmt: skip
    return created.partner_id


def entry(
    serial: str,
    partner_id: str,
    state: EntryState = EntryState.PENDING,
    *,
    at: datetime = AT,
) -> LedgerEntry:
    eligible = state is not EntryState.NOT_ELIGIBLE
    return LedgerEntry(
        entry_id=serial,
        serial=serial,
        model_code="AC-9",
        partner_id=partner_id,
        state=state,
        amount=50_000 if eligible else 0,
        activated_at=at,
        activation_day=at.date(),
        created_at=at,
        customer_key="k-" + serial,
        rule_id="r_test" if eligible else "",
        rule_version=1 if eligible else 0,
        reason=None if eligible else NotEligible.NO_RULE,
        flags=(Flag.BURST,) if state is EntryState.HELD else (),
        history=(StateChange(at, "system", None, state),),
    )


def ledger_with(*entries: LedgerEntry) -> RewardLedgerRepository:
    ledger = RewardLedgerRepository()
    for e in entries:
        assert ledger.record(e)
    return ledger


def approvals() -> list[NotificationRecord]:
    return [r for r in NotificationRecord.scan() if r.template == "reward_approved"]


def audit_of(serial: str) -> list[AuditRecord]:
    return list(AuditRecord.query(f"reward#{serial}"))


def decide(api: Api, token: str, serial: str, decision: str, note: str = "") -> Any:
    body = {"decision": decision, "note": note}
    return api.post(f"/rewards/{serial}/decision", json_body=body, token=token)


# -- decisions ------------------------------------------------------------------------------------


def test_approving_queues_reward_approved_once_and_is_audited_and_kept_in_history(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    ledger_with(entry("SN-1", partner_id))

    first = decide(api, staff("director"), "SN-1", "approve")
    again = decide(api, staff("admin"), "SN-1", "approve")

    assert first.status_code == 200, first.body
    assert first.json_body["entry"]["state"] == "approved"
    assert first.json_body["entry"]["history"][-1]["by"] == "director"
    assert (again.status_code, error_code(again)) == (409, "reward_already_decided")
    [message] = approvals()
    assert message.subject == "SN-1"
    assert "50.000 ₫" in message.text
    [audit] = audit_of("SN-1")
    assert (audit.action, audit.actor) == ("reward_approved", "director")
    assert audit.before["state"] == "pending" and audit.after["state"] == "approved"


def test_rejecting_needs_a_note_and_queues_nothing(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    ledger_with(entry("SN-1", partner_id))

    bare = decide(api, staff("admin"), "SN-1", "reject")
    noted = decide(api, staff("admin"), "SN-1", "reject", "khách không xác nhận")

    assert bare.status_code == 400, bare.body
    assert bare.json_body["error"]["fields"][0]["code"] == "note_required", bare.body
    assert noted.status_code == 200 and noted.json_body["entry"]["state"] == "rejected"
    assert approvals() == []
    assert [a.action for a in audit_of("SN-1")] == ["reward_rejected"]
    read = api.get("/audit?entity=reward&entity_id=SN-1", token=staff("director"))
    assert read.status_code == 200, read.body  # the audit log reads a reward's history
    [logged] = read.json_body["entries"]
    assert (logged["action"], logged["note"]) == ("reward_rejected", "khách không xác nhận")


def test_a_held_entry_is_approved_only_with_a_note(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    ledger_with(entry("SN-1", partner_id, EntryState.HELD))

    bare = decide(api, staff("admin"), "SN-1", "approve")
    noted = decide(api, staff("admin"), "SN-1", "approve", "đã gọi xác minh")

    assert bare.status_code == 400, bare.body
    assert bare.json_body["error"]["fields"][0]["code"] == "note_required", bare.body
    assert noted.status_code == 200
    assert noted.json_body["entry"]["history"][-1]["note"] == "đã gọi xác minh"


def test_a_not_eligible_entry_cannot_be_approved(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    ledger_with(entry("SN-1", partner_id, EntryState.NOT_ELIGIBLE))

    response = decide(api, staff("admin"), "SN-1", "approve", "vẫn trả")

    assert (response.status_code, error_code(response)) == (409, "reward_not_eligible")
    assert RewardLedgerRepository().get("SN-1").state is EntryState.NOT_ELIGIBLE  # type: ignore[union-attr]
    assert approvals() == []


def test_of_two_decisions_read_at_once_exactly_one_wins_and_one_message_is_queued(
    aws: Emulator, partner_id: str
) -> None:
    ledger = ledger_with(entry("SN-1", partner_id))
    before = ledger.get("SN-1")
    assert before is not None
    approve = decided(before, Decision.APPROVE, by="admin", at=AT, note="")
    reject = decided(before, Decision.REJECT, by="director", at=AT, note="trùng")
    from chalicelib.partners import reward_service
    from tests.support import factories as f

    partner = PartnerRepository().get(partner_id)
    assert partner is not None
    messaging = reward_service.Messaging(f.PEPPER, "demo")
    message = reward_service.approval_message(approve, partner, messaging, AT)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(after: LedgerEntry) -> None:
        barrier.wait()
        try:
            ledger.save_decision(before, after, message if after is approve else None)
            results.append(after.state.value)
        except Conflict as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(a,)) for a in (approve, reject)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results).count("reward_state_changed") == 1, results
    [won] = [r for r in results if r != "reward_state_changed"]
    stored = ledger.get("SN-1")
    assert stored is not None and stored.state.value == won and stored.version == 1
    assert len(stored.history) == 2
    assert len(approvals()) == (1 if won == "approved" else 0)
    # the loser retried with what it read loses again: nothing is written twice
    with pytest.raises(Conflict, match="reward_state_changed"):
        ledger.save_decision(before, approve, message)
    assert len(approvals()) == (1 if won == "approved" else 0)


def services() -> dict[str, Any]:
    """What the routes give the reconciliation's use cases (called from threads: the in-process
    API serves one request at a time)."""
    from chalicelib.audit.repository import AuditTrail
    from chalicelib.partners import reward_service
    from tests.support import factories as f

    return {
        "ledger": RewardLedgerRepository(),
        "partners": PartnerRepository(),
        "trail": AuditTrail("demo"),
        "messaging": reward_service.Messaging(f.PEPPER, "demo"),
    }


def in_parallel(*calls: Any) -> list[Any]:
    """Run the calls at once (a barrier lets them go together): each one's result or error."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = calls[n]()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_approvals_of_one_entry_decide_it_once(partner_id: str) -> None:
    from chalicelib.partners import reward_service
    from chalicelib.partners.service import Change

    ledger_with(entry("SN-1", partner_id))

    def approve(actor: str) -> Any:
        change = Change(actor, datetime.now(UTC), f"req-{actor}")
        return reward_service.decide_entry("SN-1", Decision.APPROVE, "", change, **services())

    results = in_parallel(*(lambda a=a: approve(a) for a in ("admin", "director", "admin2")))

    won = [r for r in results if isinstance(r, LedgerEntry)]
    lost = {r.code for r in results if isinstance(r, Conflict)}
    assert len(won) == 1, results
    assert lost <= {"reward_state_changed", "reward_already_decided"} and lost
    assert len(approvals()) == 1
    assert len(audit_of("SN-1")) == 1


def test_bulk_decisions_answer_every_serial(api: Api, staff: StaffTokens, partner_id: str) -> None:
    ledger_with(
        entry("SN-1", partner_id),
        entry("SN-2", partner_id, EntryState.HELD),
        entry("SN-3", partner_id, EntryState.NOT_ELIGIBLE),
        entry("SN-4", partner_id, EntryState.APPROVED),
        entry("SN-5", partner_id),
    )
    serials = ["SN-1", "SN-2", "SN-3", "SN-4", "SN-404", "SN-5", "SN-1"]

    response = api.post(
        "/rewards/decisions",
        json_body={"serials": serials, "decision": "approve"},
        token=staff("admin"),
    )

    assert response.status_code == 200, response.body
    outcomes = {o["serial"]: o for o in response.json_body["outcomes"]}
    assert list(outcomes) == ["SN-1", "SN-2", "SN-3", "SN-4", "SN-404", "SN-5"]
    assert {s: o.get("code") or o["state"] for s, o in outcomes.items()} == {
        "SN-1": "approved",
        "SN-2": "note_required",
        "SN-3": "reward_not_eligible",
        "SN-4": "reward_already_decided",
        "SN-404": "reward_not_found",
        "SN-5": "approved",
    }
    assert (response.json_body["decided"], response.json_body["refused"]) == (2, 4)
    assert sorted(m.subject for m in approvals()) == ["SN-1", "SN-5"]


def test_bulk_decisions_take_at_most_a_hundred_serials(api: Api, staff: StaffTokens) -> None:
    serials = [f"SN-{n}" for n in range(101)]

    response = api.post(
        "/rewards/decisions",
        json_body={"serials": serials, "decision": "approve"},
        token=staff("admin"),
    )

    assert response.status_code == 400


# -- periods --------------------------------------------------------------------------------------


def test_a_month_locks_only_once_nothing_waits_and_then_refuses_decisions(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    ledger_with(
        entry("SN-1", partner_id),
        entry("SN-2", partner_id, EntryState.HELD),
        entry("SN-3", partner_id, EntryState.NOT_ELIGIBLE),
        entry("SN-9", partner_id, at=AT + timedelta(days=30)),  # April's
    )
    admin = staff("admin")

    refused = api.post(f"/rewards/periods/{PERIOD}/lock", token=admin)
    decide(api, admin, "SN-1", "approve")
    decide(api, admin, "SN-2", "reject", "trùng lặp")
    locked = api.post(f"/rewards/periods/{PERIOD}/lock", token=staff("director"))
    again = api.post(f"/rewards/periods/{PERIOD}/lock", token=admin)
    report = api.get(f"/rewards/periods/{PERIOD}", token=staff("accountant")).json_body["period"]

    assert (refused.status_code, error_code(refused)) == (409, "period_has_undecided")
    assert refused.json_body["error"]["count"] == 2
    assert locked.status_code == 200, locked.body
    assert (again.status_code, error_code(again)) == (409, "period_locked")
    assert report["status"] == "locked" and report["locked_by"] == "director"
    assert report["entries"] == 3 and report["undecided"] == 0
    assert report["states"]["approved"] == {"count": 1, "amount": 50_000}
    assert report["states"]["rejected"] == {"count": 1, "amount": 50_000}
    assert report["states"]["not_eligible"] == {"count": 1, "amount": 0}
    assert report["partners"] == [partner_id]
    assert [a.action for a in AuditRecord.query(f"reward_period#{PERIOD}")] == [
        "reward_period_locked"
    ]


def test_a_locked_month_refuses_decisions_even_one_read_before_the_lock(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    # The lock counts the month on its index (eventually consistent): an entry written just
    # before may be missed. Its decision, read while the month was open, still loses.
    ledger = ledger_with(entry("SN-1", partner_id), entry("SN-2", partner_id))
    before = ledger.get("SN-1")
    assert before is not None
    ledger.lock(PERIOD, by="director", at=AT)

    with pytest.raises(Conflict, match="period_locked"):
        ledger.save_decision(
            before, decided(before, Decision.APPROVE, by="a", at=AT, note=""), None
        )
    response = decide(api, staff("admin"), "SN-2", "approve")
    bulk = api.post(
        "/rewards/decisions",
        json_body={"serials": ["SN-2"], "decision": "approve"},
        token=staff("admin"),
    )

    assert (response.status_code, error_code(response)) == (409, "period_locked")
    assert bulk.json_body["outcomes"] == [
        {"serial": "SN-2", "outcome": "refused", "code": "period_locked"}
    ]
    assert {e.state for e in ledger.entries_of_period(PERIOD)} == {EntryState.PENDING}
    assert approvals() == []


def test_an_entry_written_after_its_month_was_locked_goes_to_the_next_open_month(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    # March is signed off; an activation of 31 March reaches the ledger after (the units
    # stream was behind), and April is locked too: the entry lands in May, still decidable,
    # and the partner finds it in May's view.
    ledger = RewardLedgerRepository()
    ledger.lock(PERIOD, by="director", at=AT)
    ledger.lock("2026-04", by="director", at=AT)
    late_at = datetime(2026, 3, 31, 16, tzinfo=UTC)  # 23:00 in Vietnam: still March
    assert ledger.record(entry("SN-LATE", partner_id, at=late_at))
    assert not ledger.record(entry("SN-LATE", partner_id, at=late_at))  # a redelivery

    written = ledger.get("SN-LATE")
    assert written is not None
    assert (written.activation_day, written.period) == (date(2026, 3, 31), "2026-05")
    assert [e.serial for e in ledger.entries_of_period("2026-05")] == ["SN-LATE"]
    assert list(ledger.entries_of_period(PERIOD)) == []
    assert [e.serial for e in ledger.entries_of_partner(partner_id, "2026-05")] == ["SN-LATE"]
    approved = decide(api, staff("admin"), "SN-LATE", "approve")
    assert approved.status_code == 200, approved.body
    assert approved.json_body["entry"]["period"] == "2026-05"


def test_a_month_that_has_not_begun_cannot_be_locked(api: Api, staff: StaffTokens) -> None:
    future = (datetime.now(UTC) + timedelta(days=40)).strftime("%Y-%m")

    refused = api.post(f"/rewards/periods/{future}/lock", token=staff("admin"))

    assert (refused.status_code, error_code(refused)) == (409, "period_not_started")
    assert "chưa bắt đầu" in refused.json_body["error"]["message"]


def test_lock_and_decisions_racing_never_leave_a_decision_after_the_lock(
    partner_id: str,
) -> None:
    from chalicelib.partners import reward_service
    from chalicelib.partners.service import Change

    ledger = ledger_with(*(entry(f"SN-{n}", partner_id) for n in range(1, 4)))
    ledger.save_decision(  # SN-3 rejected first: the lock only waits on SN-1 and SN-2
        ledger.get("SN-3"),  # type: ignore[arg-type]
        decided(ledger.get("SN-3"), Decision.REJECT, by="a", at=AT, note="x"),  # type: ignore[arg-type]
        None,
    )

    def change(actor: str) -> Change:
        return Change(actor, datetime.now(UTC), f"req-{actor}")

    for _ in range(3):  # lock attempts while the two decisions go through
        calls = [
            lambda: reward_service.lock_period(
                PERIOD, change("director"), ledger=ledger, trail=services()["trail"]
            ),
            *(
                lambda s=s: reward_service.decide_entry(
                    s, Decision.APPROVE, "", change("admin"), **services()
                )
                for s in ("SN-1", "SN-2")
            ),
        ]
        results = in_parallel(*calls)
        lock = ledger.period(PERIOD)
        stored = [ledger.get(f"SN-{n}") for n in (1, 2)]
        for e in stored:
            assert e is not None
            if lock.locked_at is not None and e.state is EntryState.APPROVED:
                assert e.history[-1].at <= lock.locked_at  # decided before the lock, never after
        if lock.locked_at is not None:
            assert all(e and e.state is EntryState.APPROVED for e in stored), results
            break
        assert isinstance(results[0], Conflict), results
    assert ledger.period(PERIOD).locked_at is not None or all(
        e and e.state is EntryState.APPROVED for e in stored
    )


def test_period_routes_check_the_month(api: Api, staff: StaffTokens) -> None:
    response = api.get("/rewards/periods/2026-13", token=staff("admin"))

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["code"] == "reward_period_invalid"


@pytest.mark.parametrize("username", ["cs", "technician", "accountant"])
def test_only_admins_and_directors_decide_and_lock(
    api: Api, staff: StaffTokens, username: str, partner_id: str
) -> None:
    ledger_with(entry("SN-1", partner_id))
    token = staff(username)

    answers = {
        error_code(r)
        for r in (
            decide(api, token, "SN-1", "approve"),
            api.post(
                "/rewards/decisions",
                json_body={"serials": ["SN-1"], "decision": "approve"},
                token=token,
            ),
            api.post(f"/rewards/periods/{PERIOD}/lock", token=token),
        )
    }

    assert answers == {"role_not_allowed"}
    assert RewardLedgerRepository().get("SN-1").state is EntryState.PENDING  # type: ignore[union-attr]


@pytest.mark.parametrize("username", ["cs", "technician"])
def test_only_reconcilers_read_and_export_a_month(
    api: Api, staff: StaffTokens, username: str
) -> None:
    token = staff(username)

    read = api.get(f"/rewards/periods/{PERIOD}", token=token)
    export = api.post(f"/rewards/periods/{PERIOD}/export", token=token)

    assert {error_code(read), error_code(export)} == {"role_not_allowed"}


# -- the export -----------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x.test","Bấm")'


@pytest.fixture
def exports_stream(aws: Emulator) -> StreamReader:
    reader = StreamReader(aws, ExportJobRecord.Meta.table_name)
    reader.new_records()
    return reader


def exported(api: Api, token: str, stream: StreamReader, **kwargs: Any) -> dict[str, Any]:
    """Ask for the month's export (202, a job), run the exports stream as Lambda would, and
    read the finished job."""
    started = api.post(f"/rewards/periods/{PERIOD}/export", token=token, **kwargs)
    assert started.status_code == 202, started.body
    assert started.json_body["status"] == "queued" and started.json_body["download"] is None
    for record in stream.new_records():
        assert deliver("on_export_change", [record]) == {"batchItemFailures": []}
    done = api.get(f"/rewards/exports/{started.json_body['export_id']}", token=token)
    assert done.status_code == 200, done.body
    job: dict[str, Any] = done.json_body
    return job


def test_the_export_lists_the_month_with_formulas_neutralised(
    api: Api, staff: StaffTokens, partner_id: str, exports_stream: StreamReader
) -> None:
    ledger_with(
        entry("SN-1", partner_id, EntryState.HELD),
        entry("SN-2", partner_id, EntryState.NOT_ELIGIBLE),
        entry("SN-9", partner_id, at=AT + timedelta(days=30)),  # April's: not in the file
    )
    decide(api, staff("director"), "SN-1", "approve", FORMULA)

    job = exported(api, staff("accountant"), exports_stream, headers={"Accept-Language": "en"})

    assert (job["status"], job["rows"]) == ("done", 2)
    assert job["download"]["filename"] == f"rewards-{PERIOD}.xlsx"
    content = requests.get(job["download"]["url"], timeout=10).content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["Serial", "Model", "Activation day"]
    by_serial = {row[0]: row for row in rows[1:]}
    assert set(by_serial) == {"SN-1", "SN-2"}
    held = by_serial["SN-1"]
    assert held[3:5] == ["Trần Văn Thợ", "0987654321"]  # an accountant sees the phone
    assert held[5:10] == ["r_test v1", 50_000, "Approved", "Many activations in a short time", ""]
    assert held[10] == "director"
    assert held[12] == "'" + FORMULA  # shown as typed, never run
    assert by_serial["SN-2"][9] == "No reward rule for the model"
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
        assert "<f>" not in xlsx.read("xl/worksheets/sheet1.xml").decode()
    [audit] = AuditRecord.query(f"reward_period#{PERIOD}")
    assert (audit.action, audit.actor) == ("reward_period_exported", "accountant")
    read = api.get(f"/audit?entity=reward_period&entity_id={PERIOD}", token=staff("admin"))
    assert [e["action"] for e in read.json_body["entries"]] == ["reward_period_exported"]


def test_a_row_masks_the_partner_phone_for_whoever_may_not_see_it(partner_id: str) -> None:
    partner = PartnerRepository().get(partner_id)
    row = reward_row(entry("SN-1", partner_id), partner, reveal_phone=False, language="vi")

    assert row[3:5] == ["Trần Văn Thợ", "098* *** *21"]
    assert row[7] == "Chờ duyệt"  # the state in words of the export's language
    assert replace(entry("SN-1", partner_id)).period == PERIOD


def test_a_long_month_is_written_by_the_job_with_its_progress_and_only_for_reconcilers(
    api: Api,
    staff: StaffTokens,
    partner_id: str,
    exports_stream: StreamReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.partners import reward_export

    monkeypatch.setattr(reward_export, "PROGRESS_EVERY", 2)  # progress every two rows
    ledger_with(*(entry(f"SN-{n}", partner_id) for n in range(1, 6)))
    job = exported(api, staff("admin"), exports_stream)
    assert (job["status"], job["rows"], job["error"]) == ("done", 5, None)
    content = requests.get(job["download"]["url"], timeout=10).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sorted(row[0] for row in rows[1:]) == [f"SN-{n}" for n in range(1, 6)]
    assert rows[1][4] == "0987654321"  # an admin's export shows the partner's phone

    path = f"/rewards/exports/{job['export_id']}"
    assert error_code(api.get(path, token=staff("cs"))) == "role_not_allowed"
    units = api.post("/units/exports", json_body={}, token=staff("admin"))
    assert units.status_code == 202, units.body
    other = api.get(f"/rewards/exports/{units.json_body['export_id']}", token=staff("admin"))
    assert (other.status_code, error_code(other)) == (404, "reward_export_not_found")
    assert api.get(f"/units/exports/{job['export_id']}", token=staff("admin")).status_code == 404


# -- a confirmation the customer never received -------------------------------------------------


def confirmation_change(serial: str, old: str, new: str, event_id: str = "ev-1") -> dict[str, Any]:
    """The notifications stream's record of the serial's confirmation going ``old`` → ``new``."""

    def image(status: str) -> dict[str, Any]:
        return {
            "message_id": {"S": f"m-{serial}"},
            "template": {"S": "activation_confirmed"},
            "subject": {"S": serial},
            "status": {"S": status},
        }

    return {
        "eventID": event_id,
        "eventName": "MODIFY",
        "dynamodb": {"SequenceNumber": "1", "OldImage": image(old), "NewImage": image(new)},
    }


def test_a_confirmation_that_never_arrived_holds_the_pending_reward_once(
    api: Api, staff: StaffTokens, partner_id: str
) -> None:
    from chalicelib.partners.reward_events import hold_undelivered

    ledger = ledger_with(entry("SN-1", partner_id), entry("SN-2", partner_id))
    assert decide(api, staff("admin"), "SN-2", "approve").status_code == 200
    failed = [confirmation_change("SN-1", "sending", "failed")]

    assert hold_undelivered({"Records": failed}) == {"batchItemFailures": []}
    assert hold_undelivered({"Records": failed}) == {"batchItemFailures": []}  # redelivered
    hold_undelivered({"Records": [confirmation_change("SN-2", "sending", "failed")]})
    hold_undelivered({"Records": [confirmation_change("SN-3", "sending", "failed")]})  # no entry

    held = ledger.get("SN-1")
    assert held is not None
    assert held.state is EntryState.HELD
    assert held.flags == (Flag.CONFIRMATION_UNDELIVERED,)
    assert [(c.by, c.state_to) for c in held.history][-1] == ("system", EntryState.HELD)
    assert len(held.history) == 2  # held once, not twice
    approved = ledger.get("SN-2")
    assert approved is not None and approved.state is EntryState.APPROVED  # decided: left alone
    # a held entry is the manager's to decide, with a note
    bare = decide(api, staff("admin"), "SN-1", "approve")
    assert (bare.status_code, error_code(bare)) == (400, "invalid_input")
    noted = decide(api, staff("admin"), "SN-1", "approve", "đã gọi xác nhận khách")
    assert noted.status_code == 200, noted.body


def test_a_delivered_or_retried_confirmation_holds_nothing(partner_id: str) -> None:
    from chalicelib.partners.reward_events import hold_undelivered

    ledger = ledger_with(entry("SN-1", partner_id))
    hold_undelivered(
        {
            "Records": [
                confirmation_change("SN-1", "sending", "delivered"),
                confirmation_change("SN-1", "sending", "queued", "ev-2"),  # SMS after ZNS
                confirmation_change("SN-1", "failed", "failed", "ev-3"),  # a report, no news
            ]
        }
    )

    still = ledger.get("SN-1")
    assert still is not None and still.state is EntryState.PENDING and still.flags == ()
