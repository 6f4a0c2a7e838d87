"""The accountant's payouts (issue 13): the withholding setting's versions, a batch from the
locked months (tax, netting reversals, carrying a partner owed nothing), no entry in two batches
even when two are made at once, a run cut short resumed, the Excel export (neutral sheet,
bank sheet, VietQR codes) and lines paid (``reward_paid`` once) or failed (paid by a later
batch), the batch closing with its last line."""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from python_calamine import CalamineWorkbook

from chalicelib.audit.tables import AuditRecord
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.partners.payout_repository import PayoutRepository, PayoutSettingRepository
from chalicelib.partners.payouts import SettingTerms
from chalicelib.partners.repository import PartnerRepository
from chalicelib.partners.reward_repository import RewardLedgerRepository
from chalicelib.partners.rewards import EntryKind, EntryState, LedgerEntry, StateChange
from chalicelib.partners.vietqr import crc16_ccitt_false
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

PERIOD = "2026-03"
AT = datetime(2026, 3, 14, 3, tzinfo=UTC)
SETTING = {"rate_bp": 1000, "threshold": 2_000_000, "effective_from": "2026-01-01"}


def make_partner(phone: str, name: str, *, bank_bin: str = "970422") -> str:
    from chalicelib.audit.repository import AuditTrail
    from chalicelib.partners import service
    from tests.support import factories as f

    details = PartnerDetails(
        phone=phone,
        name=name,
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin=bank_bin,
        account_number="0123456789",
        account_holder="TRAN VAN THO",
    )
    change = service.Change("admin", datetime.now(UTC) - timedelta(days=1), f"seed-{phone}")
    created = service.create(
        details, PartnerStatus.APPROVED, "", change, pepper=f.PEPPER,
        partners=PartnerRepository(), trail=AuditTrail("demo"),
    )  # fmt: skip
    return created.partner_id


@pytest.fixture
def partners(aws: Emulator) -> dict[str, str]:
    return {
        "an": make_partner("+84987654321", "Trần Văn An"),
        "binh": make_partner("+84987654322", "Lê Thị Bình", bank_bin="970436"),
        "cuong": make_partner("+84987654323", "Phạm Cường"),
    }


def entry(
    serial: str,
    partner_id: str,
    amount: int,
    state: EntryState = EntryState.APPROVED,
    *,
    at: datetime = AT,
) -> LedgerEntry:
    return LedgerEntry(
        entry_id=serial,
        serial=serial,
        model_code="AC-9",
        partner_id=partner_id,
        state=state,
        amount=amount,
        activated_at=at,
        activation_day=at.date(),
        created_at=at,
        customer_key="k-" + serial,
        rule_id="r_test",
        rule_version=1,
        history=(StateChange(at, "system", None, state),),
    )


def reversal_of(serial: str, partner_id: str, amount: int) -> LedgerEntry:
    e = entry(serial, partner_id, -amount)
    return replace(e, entry_id=f"{serial}#reversal", kind=EntryKind.REVERSAL)


def seed(*entries: LedgerEntry, lock: tuple[str, ...] = (PERIOD,)) -> RewardLedgerRepository:
    ledger = RewardLedgerRepository()
    for e in entries:
        assert ledger.record(e)
    for period in lock:
        ledger.lock(period, by="director", at=AT + timedelta(days=20))
    return ledger


def confirm(api: Api, token: str, **changes: Any) -> Any:
    return api.post("/payouts/settings", json_body={**SETTING, **changes}, token=token)


def states(ledger: RewardLedgerRepository, *ids: str) -> dict[str, str]:
    return {i: ledger.get(i).state.value for i in ids}  # type: ignore[union-attr]


def paid_messages() -> list[NotificationRecord]:
    return [r for r in NotificationRecord.scan() if r.template == "reward_paid"]


# -- the withholding setting ---------------------------------------------------------------------


def test_no_batch_until_the_accountant_confirms_a_setting_and_versions_are_kept(
    api: Api, staff: StaffTokens, partners: dict[str, str]
) -> None:
    seed(entry("SN-1", partners["an"], 50_000))
    accountant = staff("accountant")

    before = api.post("/payouts", json_body={}, token=accountant)
    by_director = confirm(api, staff("director"))
    first = confirm(api, accountant, note="Thông tư 111")
    second = confirm(api, staff("admin"), rate_bp=500, effective_from="2099-01-01")
    read = api.get("/payouts/settings", token=staff("director")).json_body

    assert (before.status_code, error_code(before)) == (409, "payout_setting_missing")
    assert (by_director.status_code, error_code(by_director)) == (403, "role_not_allowed")
    assert first.status_code == 201, first.body
    assert first.json_body["setting"]["confirmed_by"] == "accountant"
    assert second.json_body["setting"]["version"] == 2
    assert read["current"]["version"] == 1  # version 2 applies only from 2099
    assert [v["version"] for v in read["versions"]] == [2, 1]
    assert [a.action for a in AuditRecord.query("payout_setting#1")] == ["payout_setting_confirmed"]


def test_a_setting_out_of_bounds_is_refused_per_field(api: Api, staff: StaffTokens) -> None:
    response = confirm(api, staff("accountant"), rate_bp=9000, threshold=-1)

    assert response.status_code == 400
    fields = {f["field"]: f["code"] for f in response.json_body["error"]["fields"]}
    assert fields == {"rate_bp": "payout_rate_invalid", "threshold": "payout_threshold_invalid"}


# -- a batch --------------------------------------------------------------------------------------


def test_a_batch_pays_each_partner_once_withholding_tax_and_netting_reversals(
    api: Api, staff: StaffTokens, partners: dict[str, str]
) -> None:
    an, binh, cuong = partners["an"], partners["binh"], partners["cuong"]
    ledger = seed(
        entry("SN-1", an, 1_500_000),
        entry("SN-2", an, 700_000),
        reversal_of("SN-0", an, 100_000),  # nets: 2,100,000 ≥ threshold → 10 %
        entry("SN-3", binh, 300_000, EntryState.PAYMENT_FAILED),  # paid again, under threshold
        entry("SN-4", binh, 50_000, EntryState.PENDING),  # not approved: not paid
        entry("SN-5", cuong, 80_000),
        reversal_of("SN-6", cuong, 90_000),  # net ≤ 0: carried
        entry("SN-9", an, 40_000, at=AT + timedelta(days=31)),  # April: not locked
    )
    # the commitment form waives Bình's tax (under the threshold anyway here)
    token = staff("accountant")
    confirm(api, token)
    api.post(f"/partners/{binh}/commitment", json_body={"on_file": True}, token=token)

    preview = api.post("/payouts/preview", json_body={}, token=token)
    created = api.post("/payouts", json_body={}, token=token)

    assert preview.status_code == 200, preview.body
    assert preview.json_body["totals"] == {
        "lines": 2, "entries": 4, "gross": 2_400_000, "tax": 210_000, "net": 2_190_000
    }  # fmt: skip
    assert preview.json_body["carried"] == [
        {"partner_id": cuong, "gross": -10_000, "reason": "net_not_positive"}
    ]
    assert created.status_code == 201, created.body
    batch = created.json_body["batch"]
    assert (batch["state"], batch["lines"], batch["entries"]) == ("open", 2, 4)
    assert (batch["gross"], batch["tax"], batch["net"], batch["carried"]) == (
        2_400_000, 210_000, 2_190_000, 1
    )  # fmt: skip
    assert batch["setting"]["version"] == 1 and batch["periods"] == [PERIOD]
    lines = {line["partner_id"]: line for line in created.json_body["lines"]}
    assert (lines[an]["gross"], lines[an]["tax"], lines[an]["net"]) == (
        2_100_000, 210_000, 1_890_000
    )  # fmt: skip
    assert (lines[binh]["tax"], lines[binh]["commitment"]) == (0, True)
    assert lines[binh]["bank"] == {"bin": "970436", "short_name": "Vietcombank"}
    assert states(ledger, "SN-1", "SN-2", "SN-0#reversal", "SN-3") == dict.fromkeys(
        ("SN-1", "SN-2", "SN-0#reversal", "SN-3"), "in_payout"
    )
    assert states(ledger, "SN-4", "SN-5", "SN-6#reversal", "SN-9") == {
        "SN-4": "pending", "SN-5": "approved", "SN-6#reversal": "approved", "SN-9": "approved"
    }  # fmt: skip
    again = api.post("/payouts", json_body={}, token=token)
    assert (again.status_code, error_code(again)) == (409, "payout_nothing_to_pay")
    [audit] = AuditRecord.query(f"payout_batch#{batch['batch_id']}")
    assert (audit.action, audit.actor) == ("payout_batch_created", "accountant")
    listed = api.get("/payouts", token=staff("director")).json_body["batches"]
    assert [b["batch_id"] for b in listed] == [batch["batch_id"]]


def test_two_batches_made_at_once_never_share_an_entry(partners: dict[str, str]) -> None:
    from chalicelib.audit.repository import AuditTrail
    from chalicelib.partners import payout_service
    from chalicelib.partners.service import Change

    entries = [entry(f"SN-{p}-{n}", partners[p], 100_000 + n) for p in partners for n in range(30)]
    ledger = seed(*entries)
    PayoutSettingRepository("demo").add(
        payout_service.confirmed([], SettingTerms(1000, 2_000_000, date(2026, 1, 1)), by="k", at=AT)
    )
    results: list[Any] = [None, None]
    barrier = threading.Barrier(2)

    def make(n: int) -> None:
        payouts = PayoutRepository("demo")
        barrier.wait()
        # each run a batch of its own: the "resume the one creating" shortcut is skipped
        batch_id = f"pb_race{n}"
        try:
            found = payout_service.draft(
                None, date(2026, 4, 10), batch_id=batch_id,
                settings=PayoutSettingRepository("demo"), payouts=payouts,
                partners=PartnerRepository(),
            )  # fmt: skip
            from chalicelib.partners.payouts import BatchState, PayoutBatch

            payouts.start(
                PayoutBatch(batch_id, BatchState.CREATING, AT, f"k{n}", found.setting,
                            tuple(found.periods), lines=len(found.plan.lines)),
                found.plan.lines,
            )  # fmt: skip
            results[n] = payout_service.resume_batch(
                batch_id, Change(f"k{n}", datetime.now(UTC), f"req-{n}"),
                payouts=payouts, trail=AuditTrail("demo"),
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - the outcome is the result
            results[n] = exc

    threads = [threading.Thread(target=make, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    details = [r for r in results if not isinstance(r, Exception)]
    assert len(details) == 2, results
    held: dict[str, str] = {}
    for detail in details:
        for line in detail.lines:
            for entry_id in line.entry_ids:
                assert entry_id not in held, (entry_id, held.get(entry_id))
                held[entry_id] = detail.batch.batch_id
    assert sorted(held) == sorted(e.entry_id for e in entries)  # every entry, in one batch
    for entry_id, batch_id in held.items():
        stored = ledger.get(entry_id)
        assert stored is not None and stored.payout_batch == batch_id
    assert sum(d.batch.gross for d in details) == sum(e.amount for e in entries)


def test_a_run_cut_short_is_resumed_by_the_next_request(
    api: Api, staff: StaffTokens, partners: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seed(entry("SN-1", partners["an"], 100_000), entry("SN-2", partners["binh"], 90_000))
    token = staff("accountant")
    confirm(api, token)

    def dies(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the function timed out")

    monkeypatch.setattr(PayoutRepository, "finish_lines", dies)
    cut = api.post("/payouts", json_body={}, token=token)
    monkeypatch.undo()
    assert cut.status_code == 500
    [stuck] = PayoutRepository("demo").newest(5)
    assert stuck.state.value == "creating"
    assert states(ledger, "SN-1", "SN-2") == {"SN-1": "in_payout", "SN-2": "in_payout"}
    # the lease of the run that died has not expired: a new run waits ...
    busy = api.post("/payouts", json_body={}, token=token)
    assert (busy.status_code, error_code(busy)) == (409, "payout_batch_busy")
    # ... and takes over once it has
    from chalicelib.partners.payout_tables import PayoutBatchRecord

    PayoutBatchRecord(stuck.batch_id).update(
        actions=[PayoutBatchRecord.run_until.set(datetime.now(UTC) - timedelta(seconds=1))]
    )
    resumed = api.post("/payouts", json_body={}, token=token)

    assert resumed.status_code == 201, resumed.body
    assert resumed.json_body["batch"]["batch_id"] == stuck.batch_id
    assert (resumed.json_body["batch"]["state"], resumed.json_body["batch"]["gross"]) == (
        "open", 190_000
    )  # fmt: skip


# -- the export and the lines ----------------------------------------------------------------------


def make_batch(api: Api, token: str) -> dict[str, Any]:
    confirm(api, token)
    response = api.post("/payouts", json_body={}, token=token)
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def test_the_export_has_the_neutral_and_bank_sheets_and_a_vietqr_code_per_line(
    api: Api, staff: StaffTokens, partners: dict[str, str]
) -> None:
    from chalicelib.partners.tables import PartnerRecord

    PartnerRecord(partners["an"]).update(actions=[PartnerRecord.name.set('=HYPERLINK("x")')])
    seed(entry("SN-1", partners["an"], 2_500_000), entry("SN-2", partners["binh"], 90_000))
    token = staff("accountant")
    batch = make_batch(api, token)["batch"]

    response = api.post(
        f"/payouts/{batch['batch_id']}/export", token=token, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200, response.body
    assert response.json_body["rows"] == 2
    content = requests.get(response.json_body["url"], timeout=10).content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["Payouts", "Bulk transfer"]
    neutral = workbook.get_sheet_by_index(0).to_python()
    assert neutral[0][:4] == ["Partner", "Phone", "Bank", "Bank BIN"]
    rows = {row[1]: row for row in neutral[1:]}
    an = rows["0987654321"]
    assert an[0] == "'" + '=HYPERLINK("x")'  # shown as typed, never run
    assert an[2:6] == ["MB", "970422", "0123456789", "TRAN VAN THO"]
    assert an[7:10] == [2_500_000, 250_000, 2_250_000]
    assert an[13] == "Awaiting transfer"  # the line's state in words
    code = an[12]
    assert "0010A000000727" in code and "0006970422" in code and "5407" + "2250000" in code
    assert code[-4:] == f"{crc16_ccitt_false(code[:-4].encode()):04X}"
    bulk = workbook.get_sheet_by_index(1).to_python()
    assert bulk[0][:3] == ["STT", "Số tài khoản người hưởng", "Tên người hưởng"]  # the bank's
    assert sorted(row[5] for row in bulk[1:]) == [90_000, 2_250_000]
    with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
        assert "<f>" not in xlsx.read("xl/worksheets/sheet1.xml").decode()
    read = api.get(f"/payouts/{batch['batch_id']}", token=staff("director")).json_body
    assert (read["batch"]["state"], read["batch"]["exported_by"]) == ("exported", "accountant")


def test_lines_are_marked_paid_or_failed_and_the_batch_closes_with_the_last(
    api: Api, staff: StaffTokens, partners: dict[str, str]
) -> None:
    an, binh = partners["an"], partners["binh"]
    ledger = seed(entry("SN-1", an, 2_500_000), entry("SN-2", an, 10_000),
                  entry("SN-3", binh, 90_000))  # fmt: skip
    token = staff("accountant")
    batch_id = make_batch(api, token)["batch"]["batch_id"]
    paid_path = f"/payouts/{batch_id}/lines/{an}/paid"
    failed_path = f"/payouts/{batch_id}/lines/{binh}/failed"

    early = api.post(paid_path, json_body={"reference": "FT1"}, token=token)
    api.post(f"/payouts/{batch_id}/export", token=token)
    bare = api.post(paid_path, json_body={"reference": " "}, token=token)
    by_director = api.post(paid_path, json_body={"reference": "FT1"}, token=staff("director"))
    paid = api.post(paid_path, json_body={"reference": "FT26336001"}, token=token)
    retried = api.post(paid_path, json_body={"reference": "FT26336001"}, token=token)
    flipped = api.post(f"/payouts/{batch_id}/lines/{an}/failed", json_body={"reason": "x"},
                       token=token)  # fmt: skip
    failed = api.post(failed_path, json_body={"reason": "Sai số tài khoản"}, token=token)

    assert (early.status_code, error_code(early)) == (409, "payout_batch_state")
    assert bare.status_code == 400
    assert (by_director.status_code, error_code(by_director)) == (403, "role_not_allowed")
    assert paid.status_code == 200, paid.body
    assert retried.status_code == 200
    assert (flipped.status_code, error_code(flipped)) == (409, "payout_line_settled")
    assert failed.status_code == 200, failed.body
    lines = {line["partner_id"]: line for line in failed.json_body["lines"]}
    assert (lines[an]["state"], lines[an]["reference"]) == ("paid", "FT26336001")
    assert (lines[binh]["state"], lines[binh]["reason"]) == ("failed", "Sai số tài khoản")
    assert failed.json_body["batch"]["state"] == "closed"
    assert (failed.json_body["batch"]["paid"], failed.json_body["batch"]["failed"]) == (1, 1)
    assert states(ledger, "SN-1", "SN-2", "SN-3") == {
        "SN-1": "paid", "SN-2": "paid", "SN-3": "payment_failed"
    }  # fmt: skip
    [message] = paid_messages()  # once, though the request came twice
    assert "2.259.000 ₫" in message.text  # the net: 2,510,000 − 251,000
    actions = sorted(a.action for a in AuditRecord.scan() if a.entity.startswith("payout"))
    assert actions == [
        "payout_batch_closed", "payout_batch_created", "payout_batch_exported",
        "payout_line_failed", "payout_line_paid", "payout_setting_confirmed",
    ]  # fmt: skip
    # the failed line's entries are owed again: the next batch pays them
    nxt = api.post("/payouts", json_body={}, token=token)
    assert nxt.status_code == 201, nxt.body
    assert [(line["partner_id"], line["gross"]) for line in nxt.json_body["lines"]] == [
        (binh, 90_000)
    ]
    balance = api.get("/partner/rewards", token=None)
    assert balance.status_code == 401  # (the partner's own view is test_partners' subject)


@pytest.mark.parametrize("username", ["cs", "technician"])
def test_only_accountants_admins_and_directors_see_payouts(
    api: Api, staff: StaffTokens, username: str
) -> None:
    token = staff(username)

    answers = {
        error_code(r)
        for r in (
            api.get("/payouts", token=token),
            api.get("/payouts/settings", token=token),
            api.post("/payouts/preview", json_body={}, token=token),
        )
    }

    assert answers == {"role_not_allowed"}


def test_the_commitment_form_is_recorded_on_the_partner_and_audited(
    api: Api, staff: StaffTokens, partners: dict[str, str]
) -> None:
    an = partners["an"]

    by_cs = api.post(f"/partners/{an}/commitment", json_body={"on_file": True}, token=staff("cs"))
    recorded = api.post(
        f"/partners/{an}/commitment",
        json_body={"on_file": True, "note": "Bản gốc lưu hồ sơ"},
        token=staff("accountant"),
    )
    unknown = api.post(
        "/partners/p_unknown/commitment", json_body={"on_file": True}, token=staff("admin")
    )

    assert (by_cs.status_code, error_code(by_cs)) == (403, "role_not_allowed")
    assert recorded.status_code == 200, recorded.body
    assert recorded.json_body["commitment"]["on_file"] is True
    assert recorded.json_body["commitment"]["by"] == "accountant"
    assert recorded.json_body["commitment"]["note"] == "Bản gốc lưu hồ sơ"
    assert (unknown.status_code, error_code(unknown)) == (404, "partner_not_found")
    actions = [a.action for a in AuditRecord.query(f"partner#{an}")]
    assert "partner_commitment_recorded" in actions


def test_the_demo_has_a_confirmed_setting_so_a_batch_can_be_made(aws: Emulator) -> None:
    from devstack.demo import seed_demo_withholding

    assert seed_demo_withholding() == 1
    assert seed_demo_withholding() == 0  # a second start leaves it as it is
    [setting] = PayoutSettingRepository("demo").versions()
    assert (setting.rate_bp, setting.threshold) == (1000, 2_000_000)


def test_a_batch_too_large_to_take_at_once_is_refused_not_timed_out(
    api: Api, staff: StaffTokens, partners: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.partners import payout_routes

    monkeypatch.setattr(payout_routes, "BATCH_SYNC_LIMIT", 1)
    ledger = seed(entry("SN-1", partners["an"], 100_000), entry("SN-2", partners["an"], 90_000))
    token = staff("accountant")
    confirm(api, token)

    response = api.post("/payouts", json_body={}, token=token)

    assert (response.status_code, error_code(response)) == (409, "payout_batch_too_large")
    assert (response.json_body["error"]["count"], response.json_body["error"]["limit"]) == (2, 1)
    assert states(ledger, "SN-1", "SN-2") == {"SN-1": "approved", "SN-2": "approved"}
    assert PayoutRepository("demo").newest(5) == []
