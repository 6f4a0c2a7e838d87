"""The warranty reports against the emulator: the units and claims streams (their real records,
as Lambda delivers them) keep the counters; a redelivered batch counts once; the reports read
them by period and filters; the Excel export writes the same figures; a rebuild from the tables
writes the counters the streams kept; bad queries get their codes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from python_calamine import CalamineWorkbook

from chalicelib.catalog.model import Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.warranty import business_day
from chalicelib.claims.repository import ClaimRepository
from chalicelib.claims.tables import ClaimRecord
from chalicelib.core.phone import phone_key
from chalicelib.reports import rebuild
from chalicelib.reports.repository import ReportCounters
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.shipping import dealer, ship
from tests.support.streams import StreamReader, deliver

D1 = "d_01north"
SHIPPED_ACTIVE, SHIPPED_IDLE, DIRECT = "GAR-RP-001", "GAR-RP-002", "GAR-RP-003"


def today() -> date:
    return business_day(datetime.now(UTC))


def this_month() -> str:
    return today().isoformat()[:7]


@pytest.fixture
def streams(aws: Emulator) -> dict[str, StreamReader]:
    """Two AC-9 units shipped to D1 forty days ago, one activated ten days ago in Huế on the
    web; a LOCK-1 never shipped, activated today by SMS in Hà Nội. Both streams read to now."""
    dealer(D1, "HN-01", "Điện máy Hà Nội")
    seed.model("AC-9")
    seed.model("LOCK-1", name="Khoá LOCK-1")
    seed.units([SHIPPED_ACTIVE, SHIPPED_IDLE])
    seed.units([DIRECT], model_code="LOCK-1")
    units = StreamReader(aws, UnitRecord.Meta.table_name)
    claims = StreamReader(aws, ClaimRecord.Meta.table_name)
    units.new_records()
    claims.new_records()
    ship([SHIPPED_ACTIVE, SHIPPED_IDLE], D1, today() - timedelta(days=40))
    now = datetime.now(UTC)
    for serial, at, province, channel in (
        (SHIPPED_ACTIVE, now - timedelta(days=10), "Huế", "web"),
        (DIRECT, now, "Hà Nội", "sms"),
    ):
        UnitRepository().activate(
            serial,
            f.activation(
                at=at, owner_=Owner("Nguyễn Thị Lan", "+84912345678", province=province),
                channel=channel,
            ),
            owner_key=phone_key(f.PEPPER, "+84912345678"),
            consents=(),
        )  # fmt: skip
    return {"units": units, "claims": claims}


def move(api: Api, token: str, claim: dict[str, Any], to: str, **extra: Any) -> dict[str, Any]:
    response = api.post(
        f"/claims/{claim['claim_id']}/moves",
        json_body={"to": to, "version": claim["version"], **extra},
        token=token,
    )
    assert response.status_code == 200, response.body
    return dict(response.json_body["claim"])


def repaired_with_costs(api: Api, cs: str) -> dict[str, Any]:
    """A request for the shipped, activated unit: triaged, routed, diagnosed and repaired
    straight away (a first-time fix), with a warranty part and a paid labour line."""
    filed = api.post(
        "/claims",
        json_body={"claim_type": "repair", "serial": SHIPPED_ACTIVE,
                   "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678",
                                "province": "Huế"},
                   "description": "Máy không lạnh"},
        token=cs,
    )  # fmt: skip
    assert filed.status_code == 201, filed.body
    claim = move(api, cs, filed.json_body["claim"], "triaged")
    routed = api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": "internal", "assignee": "technician", "version": claim["version"]},
        token=cs,
    )
    claim = routed.json_body["claim"]
    for state in ("accepted", "received", "diagnosing"):
        claim = move(api, cs, claim, state)
    for line in (
        {"kind": "part", "description": "Bo mạch", "part_code": "PCB-9", "quantity": 1,
         "amount_vnd": 800_000, "payer": "warranty"},
        {"kind": "revenue", "description": "Phí kiểm tra", "amount_vnd": 200_000,
         "payer": "customer"},
    ):  # fmt: skip
        added = api.post(
            f"/claims/{claim['claim_id']}/costs",
            json_body={"version": claim["version"], **line},
            token=cs,
        )
        assert added.status_code == 201, added.body
        claim = {**claim, "version": claim["version"] + 1}
    return move(api, cs, claim, "repaired")


def report(api: Api, token: str, kind: str, **params: str) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in {"from": this_month(), **params}.items())
    response = api.get(f"/reports/{kind}?{query}", token=token)
    assert response.status_code == 200, response.body
    return dict(response.json_body)


def table(found: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(t["rows"] for t in found["tables"] if t["name"] == name)


def stored(counters: ReportCounters, items: list[str]) -> dict[str, dict[str, int]]:
    """The items' counters that are not 0 (a change undone leaves its counter at 0)."""
    found = {
        item: {name: n for name, n in c.items() if n}
        for item, c in counters.items(items).items.items()
    }
    return {item: c for item, c in found.items() if c}


def test_the_streams_count_and_the_reports_read_by_period_and_filters(
    api: Api, staff: StaffTokens, streams: dict[str, StreamReader]
) -> None:
    director = staff("director")
    units = streams["units"].new_records()
    assert deliver("on_unit_change", units) == {"batchItemFailures": []}
    repaired_with_costs(api, staff("cs"))
    claims = streams["claims"].new_records()
    first = deliver("on_claim_change", claims)
    again = deliver("on_claim_change", claims)  # redelivered: counted once
    assert first == again == {"batchItemFailures": []}

    since = (today() - timedelta(days=60)).isoformat()[:7]
    activations = report(api, director, "activations", **{"from": since})
    assert activations["totals"]["activated"] == 2
    assert activations["totals"]["shipped"] == 2
    assert activations["totals"]["shipped_activated"] == 1
    assert activations["totals"]["activation_rate"] == 0.5
    assert activations["totals"]["lag_mean_days"] == 30.0
    by_channel = {r["channel"]: r["activated"] for r in table(activations, "by_channel")}
    assert by_channel == {"web": 1, "sms": 1}
    assert {r["province"] for r in table(activations, "by_province")} == {"Huế", "Hà Nội"}
    assert {r["lag"]: r["activated"] for r in table(activations, "lag")}["lag_8_30"] == 1
    assert activations["names"]["dealers"][D1]["code"] == "HN-01"
    assert activations["names"]["models"]["LOCK-1"]["name"] == "Khoá LOCK-1"

    by_dealer = report(api, director, "activations", **{"from": since, "dealer": D1})
    assert by_dealer["totals"]["activated"] == 1
    in_hue_by_sms = report(
        api, director, "activations", **{"from": since, "province": "Huế", "channel": "sms"}
    )
    assert in_hue_by_sms["totals"]["activated"] == 0

    claims_report = report(api, director, "claims")
    totals = claims_report["totals"]
    assert (totals["opened"], totals["resolved"], totals["first_fix"]) == (1, 1, 1)
    assert (totals["warranty_vnd"], totals["cost_per_claim_vnd"]) == (800_000, 800_000)
    [ac9] = [r for r in table(claims_report, "by_model") if r["model"] == "AC-9"]
    assert (ac9["field_units"], ac9["claims_per_1000"]) == (1, 1000.0)
    assert table(claims_report, "by_dealer")[0]["dealer"] == D1  # the unit's dealer, looked up

    costs = report(api, director, "costs")["totals"]
    assert (costs["cost_vnd"], costs["revenue_vnd"], costs["profit_vnd"]) == (
        800_000, 200_000, -600_000
    )  # fmt: skip
    parts = table(report(api, director, "parts"), "by_model_part")
    assert parts == [{"model": "AC-9", "part": "PCB-9", "quantity": 1, "amount_vnd": 800_000}]

    # a rebuild from the tables writes what the streams kept
    counters = ReportCounters("demo")
    kept = counters.stored_items()
    before = stored(counters, kept)
    repository = ClaimRepository()
    rebuild.rebuild(
        UnitRepository().find_many([SHIPPED_ACTIVE, SHIPPED_IDLE, DIRECT]).values(),
        [
            rebuild.ClaimWithHistory(c, tuple(repository.history(c.claim_id)))
            for c in repository.of_serial(SHIPPED_ACTIVE)
        ],
        today=today(),
        store=counters,
    )
    assert stored(counters, counters.stored_items()) == before


def test_the_export_writes_the_reports_tables(
    api: Api, staff: StaffTokens, streams: dict[str, StreamReader]
) -> None:
    deliver("on_unit_change", streams["units"].new_records())
    since = (today() - timedelta(days=60)).isoformat()[:7]

    response = api.post(
        f"/reports/activations/export?from={since}&until={this_month()}",
        token=staff("director"),
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 200, response.body
    assert response.json_body["filename"] == f"activations-{since}-{this_month()}.xlsx"
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(requests.get(response.json_body["url"], timeout=10).content)
    )
    assert book.sheet_names[:3] == ["Totals", "By month", "By model"]
    totals = book.get_sheet_by_name("Totals").to_python()
    assert totals[0][0] == "Warranty activations"
    assert ["Activations", 2.0] in [row[:2] for row in totals]
    by_model = book.get_sheet_by_name("By model").to_python()
    assert by_model[0] == ["Model", "Activations", "Share"]
    assert sorted(row[0] for row in by_model[1:]) == [
        "AC-9 · Máy lạnh Inverter AC-9",
        "LOCK-1 · Khoá LOCK-1",
    ]


def test_bad_queries_get_their_codes_and_other_roles_are_refused(
    api: Api, staff: StaffTokens, aws: Emulator
) -> None:
    director = staff("director")
    month = this_month()
    cases = {
        "claims?from=2026-13": ("from", "report_month_invalid"),
        f"claims?from={month}&until=2020-01": ("until", "report_period_invalid"),
        "claims?from=2020-01&until=2020-01": ("from", "report_period_too_old"),
        f"activations?from=2020-01&until={month}": ("until", "report_period_too_long"),
        "activations?province=Hanoi": ("province", "report_province_invalid"),
        "activations?channel=fax": ("channel", "report_channel_invalid"),
        "activations?dealer=HN-01": ("dealer", "report_dealer_invalid"),
        "activations?serial=1": ("serial", "unknown_field"),
    }
    for path, expected in cases.items():
        response = api.get(f"/reports/{path}", token=director)
        assert response.status_code == 400, path
        assert field_codes(response) == dict([expected]), path

    unknown = api.get("/reports/sales", token=director)
    technician = api.get("/reports/activations", token=staff("technician"))
    assert (unknown.status_code, error_code(unknown)) == (404, "report_not_found")
    assert (technician.status_code, error_code(technician)) == (403, "role_not_allowed")
    default = api.get("/reports/activations", token=staff("accountant")).json_body
    assert len(default["months"]) == 12 and default["months"][-1] == month


def test_reward_entries_and_visit_receivables_count_what_they_are_now(
    api: Api, staff: StaffTokens, streams: dict[str, StreamReader], aws: Emulator
) -> None:
    """A held reward later rejected leaves its entry counted and costs nothing; a visit's
    receivable collected, then handed over, moves its money from held to handed over."""
    from chalicelib.maintenance.receivable_repository import receivable_record
    from chalicelib.maintenance.receivables import Receivable, ReceivableStatus
    from chalicelib.maintenance.stock_tables import ReceivableRecord
    from chalicelib.partners.reward_repository import RewardLedgerRepository
    from chalicelib.partners.reward_tables import RewardRecord
    from chalicelib.partners.rewards import Decision, EntryState, Flag, LedgerEntry, decided

    rewards = StreamReader(aws, RewardRecord.Meta.table_name)
    visits = StreamReader(aws, ReceivableRecord.Meta.table_name)
    deliver("on_unit_change", streams["units"].new_records())
    now, day = datetime.now(UTC), today()
    ledger = RewardLedgerRepository()
    held = LedgerEntry(SHIPPED_ACTIVE, SHIPPED_ACTIVE, "AC-9", "p_1", EntryState.HELD, 50_000,
                       now, day, now, "k1", flags=(Flag.BURST,))  # fmt: skip
    paid = LedgerEntry(DIRECT, DIRECT, "LOCK-1", "p_1", EntryState.PENDING, 30_000, now, day,
                       now, "k2")  # fmt: skip
    assert ledger.record(held) and ledger.record(paid)
    assert deliver("on_reward_change", rewards.new_records()) == {"batchItemFailures": []}
    rejected = decided(held, Decision.REJECT, by="admin", at=now, note="Trùng khách")
    ledger.save_decision(held, rejected, None)
    records = rewards.new_records()
    assert deliver("on_reward_change", records) == deliver("on_reward_change", records)

    owed = Receivable(f"{day:%Y-%m}", "MT-2KJY2THT", SHIPPED_ACTIVE, "Lan", day, 250_000, 0,
                      parts_cost_vnd=40_000)  # fmt: skip
    receivable_record(owed, by="cs", at=now).save()
    collected = replace(owed, collected_vnd=250_000, method="cash", holder="tech#technician",
                        status=ReceivableStatus.COLLECTED, version=2)  # fmt: skip
    receivable_record(collected, by="technician", at=now).save()
    assert deliver("on_receivable_change", visits.new_records()) == {"batchItemFailures": []}
    remitted = replace(collected, remitted_vnd=250_000, remitted_on=day,
                       status=ReceivableStatus.REMITTED, version=3)  # fmt: skip
    receivable_record(remitted, by="accountant", at=now).save()
    assert deliver("on_receivable_change", visits.new_records()) == {"batchItemFailures": []}

    director = staff("director")
    activations = report(api, director, "activations")["totals"]
    assert (activations["reward_entries"], activations["reward_flagged"]) == (2, 1)
    assert (activations["flagged_share"], activations["reward_vnd"]) == (0.5, 30_000)
    # every activation of the period, an installer's or not
    assert activations["reward_per_activation_vnd"] == round(30_000 / activations["activated"])
    hue = report(api, director, "activations", province="Huế")["totals"]
    assert (hue["reward_entries"], hue["reward_vnd"]) == (1, 0)  # the unit's owner's province

    maintenance = report(api, director, "maintenance")
    totals = maintenance["totals"]
    assert (totals["visits"], totals["amount_vnd"], totals["margin_vnd"]) == (
        1, 250_000, 210_000
    )  # fmt: skip
    assert (totals["collected_vnd"], totals["remitted_vnd"], totals["held_vnd"]) == (
        250_000, 250_000, 0
    )  # fmt: skip
    assert table(maintenance, "by_collector") == [
        {"collector": "tech#technician", "collected_vnd": 250_000, "remitted_vnd": 250_000,
         "held_vnd": 0}
    ]  # fmt: skip
    assert maintenance["names"]["collectors"] == {"tech#technician": "technician"}
    assert table(maintenance, "by_model")[0]["model"] == "AC-9"

    # a rebuild from the tables writes what the streams kept
    counters = ReportCounters("demo")
    before = stored(counters, counters.stored_items())
    rebuild.rebuild(
        UnitRepository().find_many([SHIPPED_ACTIVE, SHIPPED_IDLE, DIRECT]).values(),
        [],
        rewards=[e for e in (ledger.get(SHIPPED_ACTIVE), ledger.get(DIRECT)) if e is not None],
        receivables=[remitted],
        today=today(),
        store=counters,
    )
    assert stored(counters, counters.stored_items()) == before
