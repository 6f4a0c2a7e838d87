"""The dealer funnel: counters kept by the units stream (fed the emulator's real stream
records, as Lambda delivers them) for shipments, activations and returns, counted once under
redelivery, and rebuilt from the units."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.catalog.model import Activation, Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.funnel_rebuild import rebuild
from chalicelib.dealers.funnel_repository import FunnelRepository
from chalicelib.dealers.funnel_tables import DealerRollupRecord
from tests.support import seed
from tests.support.aws import Emulator
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
    seed.model("LOCK-1")
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
    # Given counted shipments, an activation and a return, then counters that drifted
    ship(["SN-1", "SN-2", "SN-3"], D1, day(35))
    activate("SN-2", days_ago=5)
    unship("SN-3")
    deliver("on_unit_change", units_stream.new_records())
    counted_days, counted_totals = counters([day(35), day(5)])
    repository = FunnelRepository("demo")
    repository.replace_items({"day#2020-01-01": Counter({"shipped#d_x#AC-9": 7})})

    # When the funnel is rebuilt from the units
    units = [unit_from_image(r.serialize()) for r in UnitRecord.scan()]
    rebuild(units, store=repository)

    # Then shipped is the net of the return and the rest is as counted
    days, totals = counters([day(35), day(5)])
    assert days[day(35)] == {"shipped#d_01north#AC-9": 2, "cohort_activated#d_01north#AC-9": 1}
    assert days[day(5)] == counted_days[day(5)]
    assert totals[D1] == {"shipped#AC-9": 2, "activated#AC-9": 1}
    assert counted_totals[D1]["shipped#AC-9"] - counted_totals[D1]["returned#AC-9"] == 2
    # and an item no unit accounts for is gone
    assert DealerRollupRecord.count("demo#day#2020-01-01") == 0
