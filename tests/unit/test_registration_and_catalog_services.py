"""Registration (CSV import, generated ranges), the model cache and the outbox, with fakes."""

from __future__ import annotations

import pytest

from chalicelib.activation import messages as notifications
from chalicelib.catalog import registration
from chalicelib.catalog.serials import MAX_SEQUENCE, is_valid_generated
from chalicelib.catalog.service import ModelCache
from chalicelib.core.errors import Invalid, NotFound
from tests.support import factories as f
from tests.support.fakes import (
    FakeModels,
    FakeOutbox,
    FakeSequences,
    FakeUnits,
)


def test_import_reports_every_rejected_line_in_file_order() -> None:
    units = FakeUnits([f.unit("SN-EXISTS")])
    text = f.units_csv(
        [
            ["SN-1", "AC-9"],
            ["SN-EXISTS", "AC-9"],
            ["SN-2", "NO-SUCH"],
            ["bad serial", "AC-9"],
            ["SN-1", "AC-9"],
        ]
    )

    report = registration.import_units(
        text, by="admin", today=f.TODAY, units=units, models=FakeModels([f.product_model()])
    )

    assert report.imported == 1
    assert [(r.line, r.serial, r.reason) for r in report.rejected] == [
        (3, "SN-EXISTS", "serial_exists"),
        (4, "SN-2", "model_not_found"),
        (5, "bad serial", "serial_invalid"),
        (6, "SN-1", "duplicate_in_file"),
    ]
    assert set(units.units) == {"SN-EXISTS", "SN-1"}


def test_generate_registers_fresh_serials_of_the_brand_scheme() -> None:
    units, sequences = FakeUnits(), FakeSequences(next_sequence=16)

    result = registration.generate_units(
        f.product_model(), 3, brand_id="demo", prefix="GAR", batch="B1",
        manufactured_on=None, by="admin", units=units, sequences=sequences,
    )  # fmt: skip

    assert result.added == ["GAR00000017W", "GAR00000018U", "GAR00000019S"]
    assert all(is_valid_generated(s) for s in result.added)
    assert sequences.next_sequence == 19


@pytest.mark.parametrize("count", [0, -1, registration.MAX_GENERATE + 1])
def test_generate_count_out_of_range_is_refused(count: int) -> None:
    with pytest.raises(Invalid) as caught:
        registration.generate_units(
            f.product_model(), count, brand_id="demo", prefix="GAR", batch="",
            manufactured_on=None, by="admin", units=FakeUnits(), sequences=FakeSequences(),
        )  # fmt: skip
    assert caught.value.code == "generate_count_out_of_range"


def test_generate_beyond_the_last_sequence_is_refused() -> None:
    units = FakeUnits()

    with pytest.raises(Invalid) as caught:
        registration.generate_units(
            f.product_model(), 2, brand_id="demo", prefix="GAR", batch="",
            manufactured_on=None, by="admin", units=units,
            sequences=FakeSequences(next_sequence=MAX_SEQUENCE - 1),
        )  # fmt: skip

    assert caught.value.code == "serial_sequence_exhausted"
    assert units.units == {}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_model_cache_reads_the_store_once_per_minute() -> None:
    store, clock = FakeModels([f.product_model()]), Clock()
    cache = ModelCache(store, ttl_seconds=60, clock=clock)

    cache.get("AC-9")
    cache.get("AC-9")
    clock.now = 59.0
    cache.get_many(["AC-9"])
    reads_within_a_minute = store.reads
    clock.now = 61.0
    cache.get("AC-9")

    assert reads_within_a_minute == 1
    assert store.reads == 2


def test_model_cache_forgets_a_changed_model() -> None:
    store = FakeModels([f.product_model(name="Old")])
    cache = ModelCache(store, clock=Clock())
    cache.get("AC-9")
    store.models["AC-9"] = f.product_model(name="New")

    cache.forget("AC-9")

    assert cache.get("AC-9").name == "New"


def test_model_cache_reports_unknown_models() -> None:
    cache = ModelCache(FakeModels(), clock=Clock())

    assert cache.get_many(["NOPE"]) == {}
    with pytest.raises(NotFound):
        cache.get("NOPE")


def test_confirmation_is_queued_once_per_activation() -> None:
    outbox = FakeOutbox()
    context = notifications.ConfirmationContext(
        hotline="1800 6868", certificate_url="http://c", not_me_url="http://n"
    )
    unit = f.unit(activation=f.activation(language="en"))

    first = notifications.queue_activation_confirmation(
        unit, f.product_model(), context, pepper=f.PEPPER, brand_id="demo", outbox=outbox
    )
    again = notifications.queue_activation_confirmation(
        unit, f.product_model(), context, pepper=f.PEPPER, brand_id="demo", outbox=outbox
    )

    assert (first, again) == (True, False)
    [message] = outbox.messages.values()
    for part in ("GAR00000017W", "Máy lạnh Inverter AC-9", "10 Mar 2028", "1800 6868", "http://c"):
        assert part in message.text


@pytest.mark.parametrize(
    ("language", "model_name"),
    [("vi", "Máy lạnh Inverter AC-9"), ("en", "AC-9 inverter air conditioner")],
)
def test_the_confirmation_names_the_model_in_the_owner_s_language(
    language: str, model_name: str
) -> None:
    context = notifications.ConfirmationContext(
        hotline="1800 6868", certificate_url="http://c", not_me_url="http://n"
    )
    unit = f.unit(activation=f.activation(language=language))
    model = f.product_model(name_en="AC-9 inverter air conditioner")

    message = notifications.activation_confirmation(unit, model, context, f.PEPPER, "demo")

    assert message.fields["model"] == model_name
    assert message.text.startswith(model_name if language == "vi" else f"Your {model_name}")


def test_a_model_without_english_texts_reads_in_vietnamese_in_english() -> None:
    model = f.product_model(
        specs={"Công suất": "1 HP", "Gas": "R32"},
        description_en="Wall-mounted",
        spec_labels_en={"Công suất": "Capacity"},
    )

    english = model.localized("en")

    assert english.name == "Máy lạnh Inverter AC-9"
    assert english.description == "Wall-mounted"
    assert english.specs == {"Capacity": "1 HP", "Gas": "R32"}
    assert model.localized("vi").specs == {"Công suất": "1 HP", "Gas": "R32"}


@pytest.mark.parametrize(("language", "greeting"), [("vi", "Quý khách"), ("en", "Customer")])
def test_an_owner_without_a_name_is_greeted_politely(language: str, greeting: str) -> None:
    context = notifications.ConfirmationContext(
        hotline="1800 6868", certificate_url="http://c", not_me_url="http://n"
    )
    unit = f.unit(activation=f.activation(owner_=f.owner(name=""), language=language))

    message = notifications.activation_confirmation(
        unit, f.product_model(), context, f.PEPPER, "demo"
    )

    assert message.fields["customer_name"] == greeting
