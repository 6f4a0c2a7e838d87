"""The audit trail fed by the streams (the emulator's real records, delivered to the app's real
handlers) and read by ``GET /audit``: who changed what, with before and after of only what
changed, secrets dropped, a customer's phone masked, one entry per change however often its
record is delivered."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from chalicelib.audit.log import ZONE
from chalicelib.audit.model import AuditEntry
from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog.tables import BrandRecord, ProductModelRecord, UnitRecord
from chalicelib.core.settings import get_settings
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers


def trail() -> AuditTrail:
    return AuditTrail(get_settings().brand_id)


def history(entity: str, entity_id: str) -> list[AuditEntry]:
    return list(trail().for_entity(entity, entity_id))


@pytest.fixture
def models_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, ProductModelRecord.Meta.table_name)


@pytest.fixture
def brands_stream(aws: Emulator) -> StreamReader:
    reader = StreamReader(aws, BrandRecord.Meta.table_name)
    reader.new_records()  # the fixture's brand
    return reader


def test_a_model_created_and_edited_by_an_admin_is_two_entries_with_only_the_changes(
    api: Api, staff: StaffTokens, models_stream: StreamReader
) -> None:
    created = api.post("/models", json_body=f.model_body("AC-9"), token=staff("admin"))
    assert created.status_code == 201, created.body
    body = {k: v for k, v in f.model_body("AC-9", name="Điều hòa mới").items() if k != "code"}
    assert api.put("/models/AC-9", json_body=body, token=staff("admin")).status_code == 200

    result = deliver("on_model_change", models_stream.new_records())

    assert failed_sequence_numbers(result) == []
    edit, creation = history("model", "AC-9")
    assert (creation.action, creation.actor, creation.before) == ("created", "admin", None)
    assert creation.after and creation.after["name"] == f.model_body()["name"]
    assert "unit_count" not in creation.after and "updated_by" not in creation.after
    assert (edit.action, edit.actor) == ("updated", "admin")
    assert edit.before == {"name": f.model_body()["name"]}
    assert edit.after == {"name": "Điều hòa mới"}


def test_a_record_delivered_twice_is_one_entry(
    api: Api, staff: StaffTokens, models_stream: StreamReader
) -> None:
    api.post("/models", json_body=f.model_body("AC-9"), token=staff("admin"))
    records = models_stream.new_records()

    deliver("on_model_change", records)
    deliver("on_model_change", records)

    assert [e.action for e in history("model", "AC-9")] == ["created"]


def test_units_added_to_a_model_change_only_its_counter_and_make_no_model_entry(
    aws: Emulator, models_stream: StreamReader
) -> None:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])

    deliver("on_model_change", models_stream.new_records())

    assert [(e.action, e.actor) for e in history("model", "AC-9")] == [("created", "system")]


def test_a_deleted_model_is_an_entry(
    api: Api, staff: StaffTokens, models_stream: StreamReader
) -> None:
    api.post("/models", json_body=f.model_body("AC-9"), token=staff("admin"))
    api.delete("/models/AC-9", token=staff("admin"))

    deliver("on_model_change", models_stream.new_records())

    deleted = history("model", "AC-9")[0]
    assert deleted.action == "deleted" and deleted.after is None
    assert deleted.before and deleted.before["name"] == f.model_body()["name"]


def test_the_brand_and_its_label_templates_are_entries_of_their_own(
    api: Api, staff: StaffTokens, brands_stream: StreamReader
) -> None:
    renamed = api.put(
        "/brand", json_body={"name": "Garanti Việt", "serial_prefix": "GAR"}, token=staff("admin")
    )
    assert renamed.status_code == 200
    template = {
        "label": {"width_mm": 40, "height_mm": 20, "qr": {"x_mm": 0, "y_mm": 0, "size_mm": 20}}
    }
    saved = api.put("/labels/templates/tem-kho", json_body=template, token=staff("admin"))
    assert saved.status_code == 200, saved.body

    deliver("on_brand_change", brands_stream.new_records())

    [brand] = history("brand", "demo")
    assert (brand.action, brand.actor) == ("updated", "admin")
    assert (brand.before, brand.after) == ({"name": "Garanti Demo"}, {"name": "Garanti Việt"})
    [created] = history("label_template", "tem-kho")
    assert (created.action, created.actor, created.before) == ("created", "admin", None)
    assert created.after and created.after["label"]["width_mm"] == 40


def test_generating_serials_moves_only_the_brands_counter_and_makes_no_brand_entry(
    api: Api, staff: StaffTokens, brands_stream: StreamReader
) -> None:
    api.post("/models", json_body=f.model_body("AC-9"), token=staff("admin"))
    generated = api.post(
        "/units/generate", json_body={"model_code": "AC-9", "count": 2}, token=staff("admin")
    )
    assert generated.status_code == 201

    deliver("on_brand_change", brands_stream.new_records())

    assert history("brand", "demo") == []


def test_unit_registration_and_activation_are_entries_with_the_phone_masked_and_no_secrets(
    api: Api, aws: Emulator
) -> None:
    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    seed.model("AC-9")
    seed.units(["SN-1"])
    activated = api.post("/public/activations", json_body=f.activation_body(seed.token("SN-1")))
    assert activated.status_code == 201, activated.body
    records = reader.new_records()

    deliver("on_unit_change", records)
    deliver("on_unit_change", records)  # redelivered: nothing new

    activation, registration = history("unit", "SN-1")
    assert registration.action == "registered" and registration.after
    assert registration.after["status"] == "registered"
    assert (activation.action, activation.actor) == ("activated", "customer")
    assert activation.before and activation.before["status"] == "registered"
    after = activation.after or {}
    assert after["status"] == "activated"
    assert after["owner_phone"] == "+84 91* *** *78"
    assert after["owner_name"] == "N***** V** A*"
    secrets = {"owner_key", "idempotency_key", "request_digest", "history"}
    assert not secrets & set(after), after


def test_a_batch_of_registrations_is_written_25_entries_to_a_call_once_each(aws: Emulator) -> None:
    from chalicelib.activation import events as unit_changes
    from tests.integration.test_installer_rewards import dynamodb_calls

    reader = StreamReader(aws, UnitRecord.Meta.table_name)
    seed.model("AC-9")
    serials = [f"SN-{n:03d}" for n in range(60)]
    seed.units(serials)
    records = reader.new_records()

    with dynamodb_calls() as calls:
        assert unit_changes.handle({"Records": records}, None) == {"batchItemFailures": []}
    assert (calls["BatchWriteItem"], calls["PutItem"]) == (3, 0)  # 60 entries: 25 + 25 + 10
    deliver("on_unit_change", records)  # redelivered: the same items again

    for serial in (serials[0], serials[-1]):
        [registered] = history("unit", serial)
        assert (registered.action, registered.actor) == ("registered", "test")


# -- GET /audit ------------------------------------------------------------------------------


def recent() -> datetime:
    """Now, when the test runs (not when it was collected: a suite collected before midnight in
    Vietnam runs after it), at least three minutes into the Vietnamese day, so a few entries a
    minute apart all fall on the day the log reads by default."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.astimezone(ZONE).date(), time(), ZONE)
    return max(now, (midnight + timedelta(minutes=3)).astimezone(UTC))


def entry(
    entity_id: str, at: datetime, actor: str = "admin", entity: str = "model", **kw: Any
) -> AuditEntry:
    return AuditEntry(
        at=at,
        actor=actor,
        action=kw.get("action", "updated"),
        entity=entity,
        entity_id=entity_id,
        source=kw.get("source", f"{entity_id}-{at.isoformat()}"),
        before={"name": "old"},
        after={"name": "new", "months": 24},
    )


def test_the_log_reads_a_days_entries_newest_first_for_admin_and_director(
    api: Api, staff: StaffTokens
) -> None:
    now = recent()
    trail().record(entry("AC-1", now - timedelta(minutes=2)))
    trail().record(entry("AC-2", now - timedelta(minutes=1), actor="cs", entity="unit"))

    for role in ("admin", "director"):
        response = api.get("/audit", token=staff(role))
        assert response.status_code == 200
        body = response.json_body
        assert [e["entity_id"] for e in body["entries"]] == ["AC-2", "AC-1"]
        assert body["entries"][1]["before"] == {"name": "old"}
        assert body["entries"][1]["after"] == {"name": "new", "months": 24}
        assert body["next_cursor"] is None


@pytest.mark.parametrize("role", ["cs", "technician", "accountant"])
def test_other_roles_may_not_read_the_log(api: Api, staff: StaffTokens, role: str) -> None:
    response = api.get("/audit", token=staff(role))

    assert (response.status_code, error_code(response)) == (403, "role_not_allowed")


def test_the_log_filters_by_thing_by_actor_and_by_kind(api: Api, staff: StaffTokens) -> None:
    now = recent()
    trail().record(entry("AC-1", now - timedelta(minutes=3)))
    trail().record(entry("AC-1", now - timedelta(minutes=2), actor="director"))
    trail().record(entry("SN-1", now - timedelta(minutes=1), actor="cs", entity="unit"))
    token = staff("admin")

    def ids(query: str) -> list[tuple[str, str]]:
        response = api.get(f"/audit?{query}", token=token)
        assert response.status_code == 200, response.body
        return [(e["entity_id"], e["actor"]) for e in response.json_body["entries"]]

    assert ids("entity=model&entity_id=AC-1") == [("AC-1", "director"), ("AC-1", "admin")]
    assert ids("actor=cs") == [("SN-1", "cs")]
    assert ids("entity=unit") == [("SN-1", "cs")]
    assert ids("actor=admin&entity=unit") == []


def test_a_day_range_pages_through_days_with_a_signed_cursor(api: Api, staff: StaffTokens) -> None:
    today = datetime.now(UTC).replace(hour=5, minute=0, second=0, microsecond=0)
    for days_ago in range(4):
        trail().record(entry(f"AC-{days_ago}", today - timedelta(days=days_ago)))
    first_day = (today - timedelta(days=3)).date().isoformat()
    last_day = today.date().isoformat()
    token = staff("admin")

    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        query = f"from={first_day}&to={last_day}&limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(f"/audit?{query}", token=token).json_body
        seen += [e["entity_id"] for e in body["entries"]]
        cursor = body["next_cursor"] or ""
        if not cursor:
            break

    assert seen == ["AC-0", "AC-1", "AC-2", "AC-3"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("from=2026-12-05&to=2026-12-01", {"from": "date_range_backwards"}),
        ("from=2026-01-01&to=2026-12-01", {"from": "date_range_too_long"}),
        ("from=20261201", {"from": "date_invalid"}),
        ("entity=invoice", {"entity": "audit_entity_unknown"}),
        ("entity_id=AC-1", {"entity": "required"}),
        ("cursor=abc.def", {"cursor": "cursor_invalid"}),
        ("sort=asc", {"sort": "unknown_field"}),
    ],
)
def test_bad_queries_are_field_errors(
    api: Api, staff: StaffTokens, query: str, fields: dict[str, str]
) -> None:
    response = api.get(f"/audit?{query}", token=staff("admin"))

    assert response.status_code == 400
    assert field_codes(response) == fields
