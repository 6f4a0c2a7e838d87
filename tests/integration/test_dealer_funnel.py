"""The dealer funnel: counters kept by the units stream (fed the emulator's real stream
records, as Lambda delivers them) for shipments, activations and returns, counted once under
redelivery, and rebuilt from the units."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from python_calamine import CalamineWorkbook

from chalicelib.catalog.model import Activation, Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers import wiring
from chalicelib.dealers.funnel_rebuild import rebuild
from chalicelib.dealers.funnel_repository import FunnelRepository
from chalicelib.dealers.funnel_tables import DealerRollupRecord
from chalicelib.dealers.tables import DealerRecord
from infra.openapi.shapes import FunnelResponse
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator, seeded_demo
from tests.support.dealers import dealer_user_token, given_dealer
from tests.support.shipping import dealer, ship, unship
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers

NOW = datetime.now(UTC)
TODAY = business_day(NOW)
D1, D2 = "d_01north", "d_02south"


@pytest.fixture(autouse=True)
def _the_present() -> None:
    global NOW, TODAY
    NOW = datetime.now(UTC)
    TODAY = business_day(NOW)


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


@pytest.fixture
def units_stream(aws: Emulator) -> StreamReader:
    """Dealers D1 and D2; AC-9 units SN-1…SN-8 and LOCK-1 units LK-1…LK-3, registered."""
    dealer(D1, "HN-01", "Điện máy Hà Nội")
    dealer(D2, "SG-01", "Điện máy Sài Gòn")
    seed.model("AC-9")
    seed.model("LOCK-1", name="Khoá thông minh LOCK-1")
    seed.units([f"SN-{n}" for n in range(1, 9)])
    seed.units(["LK-1", "LK-2", "LK-3"], model_code="LOCK-1")
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    reader.new_records()
    return reader


def activate(serial: str, days_ago: int = 0) -> None:
    at = NOW - timedelta(days=days_ago)
    UnitRepository().activate(
        serial,
        Activation(
            activated_at=at,
            warranty_start=at.date(),
            warranty_end=at.date() + timedelta(days=365),
            warranty_reason="activation",
            channel="web",
            owner=Owner(name="Nguyễn Văn An", phone="+84912345678"),
        ),
        owner_key=f"owner-{serial}",
        consents=(),
    )


def counters(days: list[date], dealers: list[str] = [D1, D2]) -> tuple[dict, dict]:  # noqa: B006
    found = FunnelRepository("demo").read(days, dealers)
    return found.days, found.totals


def test_shipments_activations_and_returns_are_counted_by_dealer_model_and_day(
    units_stream: StreamReader,
) -> None:
    # Given 4 AC-9 and 1 LOCK-1 shipped to D1 40 days ago, 2 AC-9 to D2 today
    ship(["SN-1", "SN-2", "SN-3", "SN-4", "LK-1"], D1, day(40))
    ship(["SN-5", "SN-6"], D2, day(0), shipment="s_2")
    # and two of D1's activated (10 days ago and today), one of D1's returned today
    activate("SN-1", days_ago=10)
    activate("LK-1")
    unship("SN-4")
    records = units_stream.new_records()

    # When the units stream delivers the batch
    result = deliver("on_unit_change", records)

    # Then every step succeeds and the counters say what happened, on which day
    assert result == {"batchItemFailures": []}
    days, totals = counters([day(40), day(10), day(0)])
    assert days[day(40)] == {
        "shipped#d_01north#AC-9": 4,
        "shipped#d_01north#LOCK-1": 1,
        "cohort_activated#d_01north#AC-9": 1,
        "cohort_activated#d_01north#LOCK-1": 1,
        "cohort_returned#d_01north#AC-9": 1,
    }
    assert days[day(10)] == {"activated#d_01north#AC-9": 1}
    assert days[day(0)] == {
        "shipped#d_02south#AC-9": 2,
        "activated#d_01north#LOCK-1": 1,
        "returned#d_01north#AC-9": 1,
    }
    assert totals[D1] == {
        "shipped#AC-9": 4,
        "shipped#LOCK-1": 1,
        "activated#AC-9": 1,
        "activated#LOCK-1": 1,
        "returned#AC-9": 1,
    }
    assert totals[D2] == {"shipped#AC-9": 2}


def test_a_redelivered_batch_counts_once(units_stream: StreamReader) -> None:
    ship(["SN-1", "SN-2"], D1, day(3))
    activate("SN-1")
    records = units_stream.new_records()

    # When part of the batch is delivered, then the whole batch twice (Lambda's retries)
    first = deliver("on_unit_change", records[:1])
    again = [deliver("on_unit_change", records) for _ in range(2)]

    assert first == again[0] == again[1] == {"batchItemFailures": []}
    days, totals = counters([day(3), day(0)])
    assert days[day(3)]["shipped#d_01north#AC-9"] == 2
    assert days[day(0)] == {"activated#d_01north#AC-9": 1}
    assert totals[D1] == {"shipped#AC-9": 2, "activated#AC-9": 1}


def test_writes_that_move_nothing_in_the_funnel_count_nothing(units_stream: StreamReader) -> None:
    # an activation of a unit never shipped, an edit of a shipped unit, a new registration
    activate("SN-7")
    ship(["SN-1"], D1, day(1))
    deliver("on_unit_change", units_stream.new_records())
    UnitRecord("SN-1").update(actions=[UnitRecord.batch.set("B-2")])
    seed.units(["SN-9"])

    result = deliver("on_unit_change", units_stream.new_records())

    assert result == {"batchItemFailures": []}
    days, totals = counters([day(1), day(0)])
    assert days == {day(1): {"shipped#d_01north#AC-9": 1}, day(0): {}}
    assert totals[D1] == {"shipped#AC-9": 1}


def test_a_failed_funnel_step_is_reported_and_retried_without_disturbing_the_others(
    units_stream: StreamReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    ship(["SN-1"], D1, day(2))
    activate("SN-1")
    records = units_stream.new_records()

    def unavailable(self: FunnelRepository, events: object, *, now: datetime) -> int:
        raise RuntimeError("dealer_rollups unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(FunnelRepository, "count", unavailable)
        failed = deliver("on_unit_change", records)

    assert failed_sequence_numbers(failed) == [records[0]["dynamodb"]["SequenceNumber"]]
    assert deliver("on_unit_change", records) == {"batchItemFailures": []}
    _, totals = counters([day(0)])
    assert totals[D1] == {"shipped#AC-9": 1, "activated#AC-9": 1}


def test_the_rebuild_recomputes_the_counters_from_the_units(units_stream: StreamReader) -> None:
    # Given counted shipments, an activation, a return and a cancelled shipment, then counters
    # that drifted
    ship(["SN-1", "SN-2", "SN-3"], D1, day(35))
    ship(["SN-4"], D1, day(20), shipment="s_2")
    activate("SN-2", days_ago=5)
    unship("SN-3")
    unship("SN-4", event="unshipped")
    deliver("on_unit_change", units_stream.new_records())
    counted_days, counted_totals = counters([day(35), day(20), day(5), day(0)])
    repository = FunnelRepository("demo")
    repository.replace_items({"day#2020-01-01": Counter({"shipped#d_x#AC-9": 7})})

    # When the funnel is rebuilt from the units and their shipments
    units = [unit_from_image(r.serialize()) for r in UnitRecord.scan()]
    shipments = {"s_1": (D1, day(35)), "s_2": (D1, day(20))}
    rebuild(units, shipment_of=shipments.get, store=repository)

    # Then it says what the stream counted: the return a return, the cancellation nothing
    days, totals = counters([day(35), day(20), day(5), day(0)])
    assert days[day(35)] == {
        "shipped#d_01north#AC-9": 3,
        "cohort_activated#d_01north#AC-9": 1,
        "cohort_returned#d_01north#AC-9": 1,
    }
    assert totals[D1] == {"shipped#AC-9": 3, "activated#AC-9": 1, "returned#AC-9": 1}
    nonzero = {d: {k: n for k, n in c.items() if n} for d, c in counted_days.items()}
    assert days == nonzero
    assert totals[D1] == {k: n for k, n in counted_totals[D1].items() if n}
    # and an item no unit accounts for is gone
    assert DealerRollupRecord.count("demo#day#2020-01-01") == 0


def test_a_cancelled_shipment_is_no_shipment_and_a_return_stays_a_return(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    # Given 3 units kept by D1, and a shipment of 2 of which one is returned, then cancelled
    ship(["SN-1", "SN-2", "SN-3"], D1, day(10), shipment="s_1")
    ship(["SN-4", "SN-5"], D1, day(3), shipment="s_2")
    activate("SN-1", days_ago=1)
    unship("SN-4")
    unship("SN-5", event="unshipped")

    # When the units stream delivers it
    assert deliver("on_unit_change", units_stream.new_records()) == {"batchItemFailures": []}

    # Then the cancelled unit came off shipped (its day, the dealer's totals), not onto returned
    days, totals = counters([day(3), day(0)])
    assert days[day(3)]["shipped#d_01north#AC-9"] == 1
    assert days[day(3)]["cohort_returned#d_01north#AC-9"] == 1
    assert days[day(0)] == {"returned#d_01north#AC-9": 1}
    assert totals[D1]["shipped#AC-9"] == 4
    assert totals[D1]["returned#AC-9"] == 1
    # and the funnel's shipped, returns and rate agree: 3 net shipped, 1 returned apart, 1 of 3
    total = funnel(api, staff("cs"))["total"]
    assert (total["shipped"], total["returned_of_shipped"], total["net_shipped"]) == (4, 1, 3)
    assert total["activated_of_shipped"] == 1
    assert total["activation_rate"] == round(1 / 3, 4)


def test_shipping_two_returning_one_and_cancelling_through_the_api_leaves_one_return(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    # Given a shipment of SN-1 and SN-2 to D1 confirmed, SN-1 returned, then the shipment cancelled
    DealerRecord("code#HN-01", owner_id=D1).save()  # the code's claim, as the registry writes it
    token = staff("admin")
    details = {"dealer_code": "HN-01", "ship_date": day(3).isoformat(), "document_number": "PX 1"}
    created = api.post("/shipments", json_body=details, token=token)
    assert created.status_code == 201, created.json_body
    shipment_id = created.json_body["shipment"]["shipment_id"]
    for serial in ("SN-1", "SN-2"):
        scanned = api.post(
            f"/shipments/{shipment_id}/scans", json_body={"code": serial}, token=token
        )
        assert scanned.status_code == 200, scanned.json_body
    assert api.post(f"/shipments/{shipment_id}/confirm", token=token).json_body["finished"]
    returns = {"serials": ["SN-1"]}
    returned = api.post(f"/shipments/{shipment_id}/returns", json_body=returns, token=token)
    assert returned.json_body["returned"] == ["SN-1"]
    assert api.post(f"/shipments/{shipment_id}/cancel", token=token).json_body["unshipped"] == 1

    # When the units stream delivers it
    assert deliver("on_unit_change", units_stream.new_records()) == {"batchItemFailures": []}

    # Then one unit shipped and returned shows, the cancelled one not at all, nothing net
    total = funnel(api, staff("cs"))["total"]
    assert (total["shipped"], total["returned"], total["net_shipped"]) == (1, 1, 0)
    assert total["activation_rate"] is None
    # and the rebuild, reading the shipment for the return, says the same
    counted_days, counted_totals = counters([day(3), day(0)])
    found = wiring.shipment_repository().get(shipment_id)
    assert found is not None
    shipments = {shipment_id: (found.details.dealer_id, found.details.ship_date)}
    units = [unit_from_image(r.serialize()) for r in UnitRecord.scan()]
    rebuild(units, shipment_of=shipments.get, store=FunnelRepository("demo"))
    days, totals = counters([day(3), day(0)])
    assert days == {d: {k: n for k, n in c.items() if n} for d, c in counted_days.items()}
    assert totals[D1] == {"shipped#AC-9": 1, "returned#AC-9": 1}
    assert totals[D1] == {k: n for k, n in counted_totals[D1].items() if n}


# -- GET /funnel and its export


def month(days_ago: int) -> str:
    return day(days_ago).strftime("%Y-%m")


def funnel(api: Api, token: str, query: str = "") -> dict[str, Any]:
    response = api.get(f"/funnel{query}", token=token)
    assert response.status_code == 200, response.body
    body: dict[str, Any] = response.json_body
    return body


@pytest.fixture
def shipped_and_activated(units_stream: StreamReader) -> StreamReader:
    """D1: 4 AC-9 shipped 100 days ago (1 activated), 2 AC-9 + 1 LOCK-1 shipped 40 days ago (the
    LOCK-1 activated), 1 AC-9 shipped 5 days ago, returned; D2: 2 AC-9 shipped today."""
    ship(["SN-1", "SN-2", "SN-3", "SN-4"], D1, day(100), shipment="s_1")
    ship(["SN-5", "SN-6", "LK-1"], D1, day(40), shipment="s_2")
    ship(["SN-7"], D1, day(5), shipment="s_3")
    ship(["SN-8", "LK-2"], D2, day(0), shipment="s_4")
    activate("SN-1", days_ago=60)
    activate("LK-1", days_ago=1)
    unship("SN-7")
    assert deliver("on_unit_change", units_stream.new_records()) == {"batchItemFailures": []}
    return units_stream


def test_the_funnel_shows_shipped_vs_activated_rates_and_ageing(
    api: Api, staff: StaffTokens, shipped_and_activated: StreamReader
) -> None:
    body = funnel(api, staff("director"), "?months=6")

    FunnelResponse.model_validate(body)  # the documented shape (docs/openapi.json), exactly
    assert body["today"] == TODAY.isoformat()
    assert len(body["months"]) == 6 and body["months"][-1] == month(0)
    total = body["total"]
    assert (total["shipped"], total["activated"], total["returned"]) == (10, 2, 1)
    # of the 9 units kept, 2 were activated
    assert total["activation_rate"] == round(2 / 9, 4)
    by_dealer = {d["dealer_code"]: d for d in body["dealers"]}
    north, south = by_dealer["HN-01"], by_dealer["SG-01"]
    assert north["dealer_name"] == "Điện máy Hà Nội"
    assert (north["shipped"], north["activated"], north["returned"]) == (8, 2, 1)
    assert north["activation_rate"] == round(2 / 7, 4)
    # awaiting: SN-5, SN-6 (40 days); SN-2, SN-3, SN-4 (100 days); D2's two (today)
    assert north["ageing"] == {"days_0_30": 0, "days_31_90": 2, "over_90": 3}
    assert south["ageing"] == {"days_0_30": 2, "days_31_90": 0, "over_90": 0}
    assert body["ageing"] == {"days_0_30": 2, "days_31_90": 2, "over_90": 3}
    months = {m["month"]: m for m in body["by_month"]}
    assert months[month(100)]["shipped"] >= 4
    assert sum(m["shipped"] for m in body["by_month"]) == 10
    rows = {(r["month"], r["dealer_code"], r["model_code"]): r for r in body["rows"]}
    lock = rows[(month(40), "HN-01", "LOCK-1")]
    assert (lock["shipped"], lock["activated_of_shipped"], lock["activation_rate"]) == (1, 1, 1.0)
    assert lock["model_name"] == "Khoá thông minh LOCK-1"
    assert [o["dealer_code"] for o in body["dealer_options"]] == ["HN-01", "SG-01"]


def test_the_funnel_filters_by_dealer_model_and_period(
    api: Api, staff: StaffTokens, shipped_and_activated: StreamReader
) -> None:
    token = staff("accountant")

    north = funnel(api, token, f"?dealer={D1}&model=AC-9&months=6")
    recent = funnel(api, token, "?months=1")

    assert {r["dealer_code"] for r in north["rows"]} == {"HN-01"}
    assert {r["model_code"] for r in north["rows"]} == {"AC-9"}
    assert (north["total"]["shipped"], north["total"]["activated"]) == (7, 1)
    assert north["ageing"] == {"days_0_30": 0, "days_31_90": 2, "over_90": 3}
    # this month only: whatever happened since its first day, the ageing is still all of it
    assert recent["months"] == [month(0)]
    assert {r["month"] for r in recent["rows"]} == {month(0)}
    assert recent["ageing"] == {"days_0_30": 2, "days_31_90": 2, "over_90": 3}


def test_the_funnel_reads_do_not_grow_with_the_units(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    token = staff("admin")
    ship(["SN-1"], D1, day(3))
    deliver("on_unit_change", units_stream.new_records())
    few = funnel(api, token, "?months=12")
    seed.units([f"MORE-{n}" for n in range(60)])
    ship([f"MORE-{n}" for n in range(60)], D2, day(2))
    deliver("on_unit_change", units_stream.new_records())

    many = funnel(api, token, "?months=12")

    assert many["total"]["shipped"] == 61
    # 12 months ≈ 366 days + 2 dealers' totals: 4 batch reads, however many units
    assert few["reads"] == many["reads"] == 4


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("?months=0", "months", "funnel_months"),
        ("?months=25", "months", "funnel_months"),
        ("?dealer=DROP", "dealer", "funnel_dealer_invalid"),
        ("?model=a%23b", "model", "funnel_model_invalid"),
        ("?colour=red", "colour", "unknown_field"),
    ],
)
def test_a_bad_filter_is_refused_with_its_field(
    api: Api, staff: StaffTokens, aws: Emulator, query: str, field: str, code: str
) -> None:
    response = api.get(f"/funnel{query}", token=staff("admin"))

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json_body["error"]["fields"]] == [
        (field, code)
    ]


def test_an_unknown_dealer_is_not_found(api: Api, staff: StaffTokens, aws: Emulator) -> None:
    response = api.get("/funnel?dealer=d_nobody", token=staff("admin"))

    assert (response.status_code, error_code(response)) == (404, "dealer_not_found")


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("cs", 200), ("director", 200), ("accountant", 200), ("technician", 403)],
)
def test_who_reads_the_funnel(
    api: Api, staff: StaffTokens, aws: Emulator, username: str, status: int
) -> None:
    assert api.get("/funnel", token=staff(username)).status_code == status
    assert api.post("/funnel/export", token=staff(username)).status_code == status


def test_the_funnel_export_is_a_workbook_of_rows_and_ageing_with_formulas_neutralised(
    api: Api, staff: StaffTokens, shipped_and_activated: StreamReader
) -> None:
    DealerRecord(D2).update(actions=[DealerRecord.name.set('=HYPERLINK("x")')])

    response = api.post(
        "/funnel/export?months=6", token=staff("cs"), headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200, response.body
    body = response.json_body
    assert body["filename"] == f"funnel-{funnel(api, staff('cs'))['months'][0]}-{month(0)}.xlsx"
    content = requests.get(body["url"], timeout=10).content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["Funnel", "Ageing"]
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["Month", "Dealer code", "Dealer"]
    assert len(rows) - 1 == body["rows"] == len(funnel(api, staff("cs"), "?months=6")["rows"])
    south = [row for row in rows[1:] if row[1] == "SG-01"]
    assert south and all(row[2] == "'" + '=HYPERLINK("x")' for row in south)
    assert rows[0][5:10] == [
        "Shipped",
        "Returned (of shipped)",
        "Net shipped",
        "Activated (of net shipped)",
        "Activation rate",
    ]
    assert sum(row[5] for row in rows[1:]) == 10
    assert sum(row[6] for row in rows[1:]) == 1  # SN-7, returned
    assert all(row[7] == row[5] - row[6] for row in rows[1:])
    ageing = {row[0]: row[2:5] for row in workbook.get_sheet_by_index(1).to_python()[1:]}
    assert ageing == {"HN-01": [0, 2, 3], "SG-01": [2, 0, 0]}
    with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
        assert "<f>" not in xlsx.read("xl/worksheets/sheet1.xml").decode()


# -- a dealer user's own funnel (GET /dealer/funnel)


def test_a_dealer_user_sees_its_own_funnel_only(
    api: Api, staff: StaffTokens, units_stream: StreamReader
) -> None:
    admin = staff("admin")
    mine, other = given_dealer(api, admin, "HP-01"), given_dealer(api, admin, "HP-02")
    ship(["SN-1", "SN-2", "SN-3"], mine, day(40), shipment="s_mine")
    ship(["SN-4", "SN-5"], other, day(10), shipment="s_other")
    activate("SN-1", days_ago=3)
    deliver("on_unit_change", units_stream.new_records())
    token = dealer_user_token(api, admin, mine, "hp.user")

    own = api.get("/dealer/funnel?months=3", token=token)
    asking_for_another = api.get(f"/dealer/funnel?dealer={other}", token=token)

    assert own.status_code == 200, own.body
    body = own.json_body
    FunnelResponse.model_validate(body)
    assert [d["dealer_id"] for d in body["dealers"]] == [mine]
    assert [o["dealer_code"] for o in body["dealer_options"]] == ["HP-01"]
    assert (body["total"]["shipped"], body["total"]["activated"]) == (3, 1)
    assert body["ageing"] == {"days_0_30": 0, "days_31_90": 2, "over_90": 0}
    assert (asking_for_another.status_code, error_code(asking_for_another)) == (
        400,
        "invalid_input",
    )
    # and the staff's funnel is not a dealer's
    assert api.get("/funnel", token=token).status_code == 403


def test_the_demo_ships_through_the_shipments_service_and_fills_every_ageing_bucket(
    aws: Emulator, api: Api, staff: StaffTokens
) -> None:
    from devstack.demo import DEMO_ACTIVATIONS
    from devstack.demo_funnel import DEMO_SHIPMENTS, seed_demo_funnel

    # Given the demo with its activations, its units stream delivered as the stack does
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    summary = seeded_demo(aws)
    assert deliver("on_unit_change", reader.new_records()) == {"batchItemFailures": []}
    admin = staff("admin")

    # Then its shipments are listed, confirmed, dated as planned, to the demo dealers
    listed = api.get("/shipments?limit=100", token=admin).json_body["shipments"]
    assert summary.shipments == len(listed) == len(DEMO_SHIPMENTS)
    assert {s["status"] for s in listed} == {"confirmed"}
    assert sorted((s["dealer"]["code"], s["ship_date"]) for s in listed) == sorted(
        (d.dealer_code, day(d.days_ago).isoformat()) for d in DEMO_SHIPMENTS
    )
    # and every unit a shipment lists points back to it (one of them returned since)
    held = {}
    for shipment in listed:
        units = api.get(f"/shipments/{shipment['shipment_id']}", token=admin).json_body["units"]
        held[shipment["shipment_id"]] = units
        assert {u["status"] for u in units} <= {"shipped", "activated", "returned"}
    # a shipment lists every unit it shipped, the returned one with its state now
    assert sum(s["shipped"] for s in listed) == sum(len(u) for u in held.values())
    assert [u["status"] for units in held.values() for u in units].count("returned") == 1
    activated = sum(u["activated"] for units in held.values() for u in units)
    assert activated == (sum(DEMO_ACTIVATIONS.values()) + 1) // 2

    # and the closed carton went out with the latest shipment; the open one holds two units
    cartons = api.get("/cartons", token=admin).json_body["cartons"]
    by_status = {c["status"]: c for c in cartons}
    assert sorted(by_status) == ["closed", "open"] and len(cartons) == 2
    assert by_status["open"]["units"] == 2
    closed = api.get(f"/cartons/{by_status['closed']['code']}", token=admin).json_body
    latest = max(listed, key=lambda s: s["ship_date"])["shipment_id"]
    packed = {u["serial"]: u["shipment_id"] for u in closed["unit_list"]}
    assert len(packed) == by_status["closed"]["units"] > 0
    assert set(packed.values()) == {latest}
    assert set(packed) <= {u["serial"] for u in held[latest]}

    # and the funnel, counted by the units stream, has units awaiting in every ageing bucket
    funnel = api.get("/funnel?months=6", token=admin).json_body
    assert all(n > 0 for n in funnel["ageing"].values()), funnel["ageing"]
    total = funnel["total"]
    assert (total["shipped"], total["activated"], total["returned"]) == (
        sum(s["shipped"] for s in listed),
        activated,
        1,
    )
    assert len(funnel["dealers"]) == len({d.dealer_code for d in DEMO_SHIPMENTS})

    # and a second start adds nothing
    assert seed_demo_funnel(["GAR000000001"], ["GAR000000002"], []).shipments == 0
    assert len(api.get("/shipments", token=admin).json_body["shipments"]) == len(listed)
