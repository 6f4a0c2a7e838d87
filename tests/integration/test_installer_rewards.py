"""Installer rewards against the emulator: staff's reward rules (versions, roles, audit), the one
ledger entry per serial decided from the units stream (fed its real records, redelivered and
delivered concurrently), the fraud flags of a burst, every not-eligible reason, and the reads:
a partner's own entries and balance (never another's) and the staff's month."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.client import BaseClient

from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog.model import Activation, Installer, Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.core.phone import phone_key
from chalicelib.partners import reward_events as installer_rewards
from chalicelib.partners import service, sessions
from chalicelib.partners.model import PartnerDetails, PartnerStatus
from chalicelib.partners.repository import PartnerRepository
from chalicelib.partners.reward_tables import RewardRecord
from chalicelib.partners.session_repository import PartnerSessionRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver

A_PHONE, B_PHONE = "+84987654321", "+84977777777"
KEY = sessions.signing_key(f.PEPPER)


def given_partner(phone: str = A_PHONE, name: str = "Trần Văn Thợ") -> str:
    details = PartnerDetails(
        phone=phone,
        name=name,
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin="970422",
        account_number="1234567890",
        account_holder="TRAN VAN THO",
    )
    change = service.Change("admin", datetime.now(UTC) - timedelta(days=1), f"seed-{phone}")
    created = service.create(
        details, PartnerStatus.APPROVED, "", change, pepper=f.PEPPER,
        partners=PartnerRepository(), trail=AuditTrail("demo"),
    )  # fmt: skip
    return created.partner_id


def suspend(partner_id: str) -> None:
    service.set_status(
        partner_id,
        PartnerStatus.SUSPENDED,
        "gian lận",
        service.Change("admin", datetime.now(UTC), "test"),
        partners=PartnerRepository(),
        sessions=PartnerSessionRepository(),
        trail=AuditTrail("demo"),
    )


def session_for(partner_id: str) -> str:
    store = PartnerSessionRepository()
    return sessions.open_session(partner_id, now=datetime.now(UTC), key=KEY, store=store).token


def installed(
    serial: str,
    installer_phone: str = A_PHONE,
    partner_id: str = "",
    customer: str = "+84912345678",
    at: datetime | None = None,
) -> None:
    """An installer's activation written as the activation service writes it."""
    at = at or datetime.now(UTC)
    day = business_day(at)
    UnitRepository().activate(
        serial,
        Activation(
            activated_at=at,
            warranty_start=day,
            warranty_end=day + timedelta(days=365),
            warranty_reason="activation",
            channel="partner",
            owner=Owner(name="Nguyễn Văn An", phone=customer),
            installer=Installer("Trần Văn Thợ", installer_phone, day, partner_id=partner_id),
        ),
        owner_key=phone_key(f.PEPPER, customer),
        consents=(),
    )


def entries() -> dict[str, RewardRecord]:
    return {r.entry_id: r for r in RewardRecord.scan()}


def delivered(records: list[dict[str, Any]]) -> None:
    assert deliver("on_unit_change", records) == {"batchItemFailures": []}


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    seed.model("AC-9")
    seed.model("LOCK-1")
    seed.units([f"SN-{n}" for n in range(1, 61)])
    seed.units(["LK-1"], model_code="LOCK-1")
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


@pytest.fixture
def rule(api: Api, staff: StaffTokens, units_stream: StreamReader) -> dict[str, Any]:
    body = {"model_code": "AC-9", "amount": 50_000, "valid_from": "2026-01-01", "priority": 1}
    response = api.post("/rewards/rules", json_body=body, token=staff("admin"))
    assert response.status_code == 201, response.body
    rule: dict[str, Any] = response.json_body["rule"]
    return rule


# -- rules -------------------------------------------------------------------------------------


def test_rules_are_versioned_never_edited_and_readable_per_role(
    api: Api, staff: StaffTokens, rule: dict[str, Any]
) -> None:
    change = {"rule_id": rule["rule_id"], "model_code": "AC-9", "amount": 70_000,
              "valid_from": "2026-01-01", "priority": 1}  # fmt: skip
    second = api.post("/rewards/rules", json_body=change, token=staff("director"))
    assert second.status_code == 201, second.body
    assert (second.json_body["rule"]["version"], second.json_body["rule"]["amount"]) == (2, 70_000)
    end = api.post(
        f"/rewards/rules/{rule['rule_id']}/end",
        json_body={"valid_to": "2026-12-31", "note": "hết chương trình"},
        token=staff("admin"),
    )
    assert end.status_code == 201, end.body

    listed = api.get("/rewards/rules", token=staff("accountant"))
    assert listed.status_code == 200
    [shown] = listed.json_body["rules"]
    assert (shown["version"], shown["amount"], shown["valid_to"]) == (3, 70_000, "2026-12-31")
    assert [v["amount"] for v in shown["versions"]] == [50_000, 70_000, 70_000]

    refused = api.post("/rewards/rules", json_body=change, token=staff("accountant"))
    assert refused.status_code == 403
    assert api.get("/rewards/rules", token=staff("cs")).status_code == 403
    unknown = {**change, "rule_id": None, "model_code": "NOPE"}
    assert error_code(api.post("/rewards/rules", json_body=unknown, token=staff("admin"))) == (
        "model_not_found"
    )
    actions = [e.action for e in AuditTrail("demo").for_entity("reward_rule", rule["rule_id"])]
    assert sorted(actions) == ["reward_rule_changed", "reward_rule_created", "reward_rule_ended"]


def test_a_category_rule_rewards_the_models_of_its_category_read_from_the_catalogue(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    seed.model("LOCK-2", category="Khoá cửa", category_en="Door lock")
    seed.model("LOCK-3", category="khoa cua")  # the same category, spelt without diacritics
    seed.units(["LK-2"], model_code="LOCK-2")
    seed.units(["LK-3"], model_code="LOCK-3")
    units_stream.new_records()
    body = {"category": "Khoá  cửa", "amount": 80_000, "valid_from": "2026-01-01"}
    made = api.post("/rewards/rules", json_body=body, token=staff("admin"))
    assert made.status_code == 201, made.body
    created = made.json_body["rule"]
    assert (created["scope"], created["category"], created["model_code"]) == (
        "category", "Khoá cửa", None,
    )  # fmt: skip
    for wrong, code in (
        ({**body, "category": "Tủ lạnh"}, "reward_rule_category_unknown"),
        ({**body, "model_code": "LOCK-2"}, "reward_rule_scope_invalid"),
    ):
        refused = api.post("/rewards/rules", json_body=wrong, token=staff("admin"))
        assert refused.status_code == 400, refused.body
        assert set(field_codes(refused).values()) == {code}

    partner_id = given_partner()
    installed("LK-2", partner_id=partner_id, customer="+84911000031")
    installed("LK-3", partner_id=partner_id, customer="+84911000032")
    installed("LK-1", partner_id=partner_id, customer="+84911000033")  # LOCK-1: no category
    delivered(units_stream.new_records())
    found = entries()
    assert {s: (found[s].state, int(found[s].amount)) for s in ("LK-2", "LK-3", "LK-1")} == {
        "LK-2": ("pending", 80_000),
        "LK-3": ("pending", 80_000),
        "LK-1": ("not_eligible", 0),
    }
    assert found["LK-2"].rule_id == created["rule_id"]


# -- the ledger from the units stream ------------------------------------------------------------


def test_one_entry_per_serial_under_redelivery_and_concurrent_delivery(
    api: Api, units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    partner_id = given_partner()
    today = business_day(datetime.now(UTC)).isoformat()
    body = {**f.activation_body("x", installer={"installed_on": today}), "serial": "SN-1"}
    del body["token"]
    response = api.post("/partner/activations", json_body=body, token=session_for(partner_id))
    assert response.status_code == 201, response.body
    records = units_stream.new_records()

    delivered(records)
    delivered(records)  # redelivery
    threads = [threading.Thread(target=delivered, args=(records,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    found = entries()
    assert list(found) == ["SN-1"]
    entry = found["SN-1"]
    assert (entry.state, int(entry.amount), entry.partner_id) == ("pending", 50_000, partner_id)
    assert (entry.rule_id, int(entry.rule_version or 0)) == (rule["rule_id"], 1)
    assert entry.period == business_day(datetime.now(UTC)).strftime("%Y-%m")


def test_twenty_concurrent_activations_by_one_partner_hold_those_past_the_burst(
    units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    partner_id = given_partner()
    serials = [f"SN-{2 * n}" for n in range(1, 21)]  # not consecutive: only the burst shows
    customers = [f"+8491234{n:04d}" for n in range(20)]
    threads = [
        threading.Thread(target=installed, args=(s, A_PHONE, partner_id, c))
        for s, c in zip(serials, customers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    delivered(units_stream.new_records())

    found = entries()
    assert sorted(found) == sorted(serials)
    held = [e for e in found.values() if e.state == "held"]
    pending = [e for e in found.values() if e.state == "pending"]
    assert (len(pending), len(held)) == (10, 10)  # the 11th and later within the hour
    assert all(list(e.flags) == ["burst"] for e in held)


def test_each_reason_to_earn_nothing_is_recorded(
    units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    approved, suspended = given_partner(A_PHONE), given_partner(B_PHONE)
    suspend(suspended)
    installed("SN-5", "+84933333333", customer="+84911000005")  # nobody's phone
    installed("SN-6", B_PHONE, customer="+84911000006")  # a suspended partner's
    installed("LK-1", A_PHONE, approved, customer="+84911000007")  # no rule for LOCK-1
    delivered(units_stream.new_records())
    found = entries()
    decided = {s: (found[s].state, int(found[s].amount), found[s].reason, found[s].partner_id)
               for s in ("SN-5", "SN-6", "LK-1")}  # fmt: skip
    assert decided == {
        "SN-5": ("not_eligible", 0, "no_partner", None),
        "SN-6": ("not_eligible", 0, "partner_not_approved", suspended),
        "LK-1": ("not_eligible", 0, "no_rule", approved),
    }


def test_a_suspended_partner_earns_nothing_from_the_moment_of_suspension(
    units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    partner_id = given_partner()
    installed("SN-7", partner_id=partner_id)  # approved at that moment
    suspend(partner_id)
    installed("SN-8")  # after: the public form, the partner's phone typed in
    delivered(units_stream.new_records())  # both decided after the suspension
    found = entries()
    assert found["SN-7"].state == "pending"
    assert (found["SN-8"].state, found["SN-8"].reason) == ("not_eligible", "partner_not_approved")


def test_where_every_unit_is_shipped_an_unshipped_one_is_held_for_review(
    units_stream: StreamReader, rule: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("GARANTI_REWARD_REQUIRE_SHIPMENT", "1")
    get_settings.cache_clear()
    try:
        partner_id = given_partner()
        UnitRecord("SN-21").update(actions=[UnitRecord.dealer_id.set("d_demo")])  # shipped
        installed("SN-21", partner_id=partner_id, customer="+84911000021")
        installed("SN-22", partner_id=partner_id, customer="+84911000022")  # never shipped
        delivered(units_stream.new_records())
    finally:
        monkeypatch.delenv("GARANTI_REWARD_REQUIRE_SHIPMENT")
        get_settings.cache_clear()
    found = entries()
    assert (found["SN-21"].state, list(found["SN-21"].flags or [])) == ("pending", [])
    assert (found["SN-22"].state, found["SN-22"].flags) == ("held", ["activated_before_shipment"])


# -- reads -------------------------------------------------------------------------------------


def test_a_partner_reads_only_their_own_entries_and_balance(
    api: Api, staff: StaffTokens, units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    a, b = given_partner(A_PHONE), given_partner(B_PHONE, "Lê Thị Thợ")
    installed("SN-11", A_PHONE, a, "+84911000001")
    installed("SN-13", A_PHONE, a, "+84911000002")
    installed("SN-15", B_PHONE, b, "+84911000003")
    delivered(units_stream.new_records())

    first = api.get("/partner/rewards?limit=1", token=session_for(a))
    assert first.status_code == 200, first.body
    assert [e["serial"] for e in first.json_body["entries"]] == ["SN-13"]  # newest first
    assert first.json_body["balance"] == 0  # nothing approved yet
    cursor = first.json_body["next_cursor"]
    second = api.get(f"/partner/rewards?limit=1&cursor={cursor}", token=session_for(a))
    assert [e["serial"] for e in second.json_body["entries"]] == ["SN-11"]
    entry = second.json_body["entries"][0]
    assert (entry["state"], entry["amount"], entry["reason"], entry["flags"]) == (
        "pending", 50_000, None, []
    )  # fmt: skip
    assert "partner_id" not in entry and "customer_key" not in entry

    of_b = api.get("/partner/rewards", token=session_for(b))
    assert [e["serial"] for e in of_b.json_body["entries"]] == ["SN-15"]
    stolen = api.get(f"/partner/rewards?cursor={cursor}", token=session_for(b))
    assert stolen.status_code == 400  # A's cursor opens nothing of B's list

    period = business_day(datetime.now(UTC)).strftime("%Y-%m")
    month = api.get(f"/rewards?period={period}&state=pending", token=staff("cs"))
    assert month.status_code == 200, month.body
    assert sorted(e["serial"] for e in month.json_body["entries"]) == ["SN-11", "SN-13", "SN-15"]
    named = {(e["partner_id"], e["partner_name"]) for e in month.json_body["entries"]}
    assert named == {(a, "Trần Văn Thợ"), (b, "Lê Thị Thợ")}  # staff reconcile by name
    assert "partner_name" not in first.json_body["entries"][0]
    assert api.get(f"/rewards?period={period}", token=staff("technician")).status_code == 403
    assert error_code(api.get("/rewards?period=2026-13", token=staff("admin"))) == "invalid_input"


def test_an_installer_reads_the_warranty_history_of_their_units_only(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    a, b = given_partner(A_PHONE), given_partner(B_PHONE, "Lê Thị Thợ")
    installed("SN-31", A_PHONE, a, "+84911000031")
    installed("SN-33", B_PHONE, b, "+84911000033")
    request = {
        "claim_type": "repair",
        "serial": "SN-31",
        "customer": {"name": "Nguyễn Văn An", "phone": "0911000031", "province": "Hà Nội"},
        "description": "Máy không lạnh",
    }
    filed = api.post("/claims", json_body=request, token=staff("cs"))
    assert filed.status_code == 201, filed.body

    path = "/partner/units/{}/warranty-history"
    own = api.get(path.format("sn-31"), token=session_for(a))
    assert own.status_code == 200, own.body
    body = own.json_body
    assert body["customer"] == {"name": "N***** V** A*", "phone": "+84 91* *** *31"}
    assert (body["installer"]["name"], body["installer"]["phone"]) == (
        "Trần Văn Thợ", "+84 98* *** *21"
    )  # fmt: skip
    assert [(c["claim_id"], c["state"], c["outcome"]) for c in body["claims"]] == [
        (filed.json_body["claim"]["claim_id"], "new", None)
    ]
    # another installer's unit, a unit nobody installed and one that does not exist: the same 404
    for serial, token in (("SN-33", a), ("SN-31", b), ("SN-35", a), ("NOPE-1", a)):
        refused = api.get(path.format(serial), token=session_for(token))
        assert (refused.status_code, error_code(refused)) == (404, "unit_not_found"), serial
    anonymous = api.get(path.format("SN-31"))
    assert anonymous.status_code == 401
    assert api.get(path.format("SN-31"), token=staff("cs")).status_code == 401


def test_a_partner_reads_one_month_of_their_entries_with_its_totals(
    api: Api, staff: StaffTokens, units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    a, b = given_partner(A_PHONE), given_partner(B_PHONE)
    now = datetime.now(UTC)
    earlier = now - timedelta(days=business_day(now).day + 3)  # last month, before approval
    installed("SN-31", A_PHONE, a, "+84911000031", at=earlier)
    installed("SN-33", A_PHONE, a, "+84911000033", at=now - timedelta(seconds=2))
    installed("SN-35", A_PHONE, a, "+84911000035", at=now - timedelta(seconds=1))
    installed("SN-37", B_PHONE, b, "+84911000037")
    delivered(units_stream.new_records())
    rejected = api.post(
        "/rewards/SN-35/decision",
        json_body={"decision": "reject", "note": "khách không xác nhận"},
        token=staff("admin"),
    )
    assert rejected.status_code == 200, rejected.body
    token = session_for(a)
    this_month = business_day(now).strftime("%Y-%m")
    last_month = business_day(earlier).strftime("%Y-%m")

    def month(period: str) -> tuple[list[str], dict[str, Any]]:
        serials, cursor, totals = [], None, {}
        while True:
            query = f"/partner/rewards?period={period}&limit=1" + (
                f"&cursor={cursor}" if cursor else ""
            )
            page = api.get(query, token=token)
            assert page.status_code == 200, page.body
            serials += [e["serial"] for e in page.json_body["entries"]]
            totals, cursor = page.json_body["period"], page.json_body["next_cursor"]
            if cursor is None:
                return serials, totals

    serials, totals = month(this_month)
    assert serials == ["SN-35", "SN-33"]  # newest first, B's never
    assert (totals["period"], totals["entries"], totals["earned"]) == (this_month, 2, 50_000)
    assert totals["states"]["pending"] == {"count": 1, "amount": 50_000}
    assert totals["states"]["rejected"] == {"count": 1, "amount": 50_000}
    assert sum(s["count"] for s in totals["states"].values()) == 2

    serials, totals = month(last_month)
    assert serials == ["SN-31"]
    assert (totals["entries"], totals["earned"]) == (1, 0)
    old = api.get(f"/partner/rewards?period={last_month}", token=token).json_body["entries"][0]
    assert (old["state"], old["reason"]) == ("not_eligible", "partner_not_approved")
    assert old["customer_name_masked"] == "N***** V** A*"  # as the staff's unit page masks it

    everything = api.get("/partner/rewards", token=token).json_body
    assert "period" not in everything and len(everything["entries"]) == 3
    first = api.get(f"/partner/rewards?period={this_month}&limit=1", token=token).json_body
    other = api.get(
        f"/partner/rewards?period={last_month}&cursor={first['next_cursor']}", token=token
    )
    assert field_codes(other) == {"cursor": "cursor_invalid"}  # a month's cursor is its own
    for wrong in ("2026-13", "2026-1", "11-2026"):
        refused = api.get(f"/partner/rewards?period={wrong}", token=token)
        assert field_codes(refused) == {"period": "reward_period_invalid"}


# -- cost --------------------------------------------------------------------------------------


@contextmanager
def dynamodb_calls() -> Iterator[Counter[str]]:
    """Every DynamoDB API call this process makes, by operation (boto3 and PynamoDB alike,
    transactions included)."""
    calls: Counter[str] = Counter()
    original = BaseClient._make_api_call

    def counted(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            calls[operation] += 1
        return original(self, operation, params)

    BaseClient._make_api_call = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def warm_model_cache() -> None:
    """The model's category comes from the catalogue's model cache (once per container and
    minute), which the units stream's activation step, run before the rewards' in
    ``on_unit_change``, has filled for the batch's models: the step itself reads no model."""
    from chalicelib.catalog import wiring as catalog_wiring

    catalog_wiring.model_cache().get("AC-9")


def test_a_rewarded_activation_costs_one_transaction_and_four_reads(
    units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    partner_id = given_partner()
    installed("SN-21", A_PHONE, partner_id, "+84911000021")
    installed("SN-23", A_PHONE, "", "+84911000023")  # the public form: found by phone
    records = [r for r in units_stream.new_records() if r["eventName"] == "MODIFY"]
    warm_model_cache()
    for record in records:
        with dynamodb_calls() as calls:
            assert installer_rewards.earn_rewards({"Records": [record]}) == {
                "batchItemFailures": []
            }
        # the partner (GetItem by id, or a Query on phone_index), the model's rules (a Query:
        # once per model and batch), the partner's newest entries and the customer's count
        # (two Queries), then the serial's entry: a conditional put with the check that its
        # month is open, in one transaction
        assert calls["TransactWriteItems"] == 1
        assert calls["Query"] + calls["GetItem"] == 4
        assert sum(calls.values()) == 5
    assert {e.state for e in entries().values()} == {"pending"}


def test_a_decision_to_pay_nothing_reads_no_ledger(
    units_stream: StreamReader, rule: dict[str, Any]
) -> None:
    installed("SN-25", "+84933333333", customer="+84911000025")  # nobody's phone
    [record] = [r for r in units_stream.new_records() if r["eventName"] == "MODIFY"]
    warm_model_cache()
    with dynamodb_calls() as calls:
        assert installer_rewards.earn_rewards({"Records": [record]}) == {"batchItemFailures": []}
    # phone_index and the model's rules (two Queries), then the conditional PutItem
    assert dict(calls) == {"Query": 2, "PutItem": 1}
    assert entries()["SN-25"].reason == "no_partner"
