"""What a stream record becomes in the audit trail (no I/O): only the changed attributes, noise
and secrets dropped, a customer masked, the actor and the action named, label templates as
entries of their own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.audit.feed import BRAND, MODEL, UNIT, StreamChange, entries_for

AT = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def change(kind: str, old: dict[str, Any], new: dict[str, Any], seq: str = "7") -> StreamChange:
    return StreamChange(kind=kind, event_id="evt-1", at=AT, old=old, new=new, sequence=seq)


def test_a_change_of_only_noise_is_no_entry() -> None:
    old = {"code": "AC-9", "name": "A", "unit_count": 1, "updated_at": "x"}
    new = {"code": "AC-9", "name": "A", "unit_count": 9, "updated_at": "y"}

    assert entries_for(change("MODIFY", old, new), MODEL) == []


def test_a_model_edit_names_its_actor_and_only_what_changed() -> None:
    old = {"code": "AC-9", "name": "A", "warranty_months": 12, "updated_by": "lan"}
    new = {"code": "AC-9", "name": "B", "warranty_months": 12, "updated_by": "admin"}

    [entry] = entries_for(change("MODIFY", old, new), MODEL)

    assert (entry.action, entry.actor, entry.entity_id) == ("updated", "admin", "AC-9")
    assert (entry.before, entry.after) == ({"name": "A"}, {"name": "B"})
    assert entry.source == "evt-1" and entry.order == "7"


def test_an_activation_masks_the_owner_and_drops_secrets_the_actor_is_the_history_s() -> None:
    old = {"serial": "SN-1", "status": "registered", "history": [{"by": "admin"}]}
    new = {
        "serial": "SN-1",
        "status": "activated",
        "owner_phone": "+84912345678",
        "owner_name": "Nguyễn Văn An",
        "owner_address": "12 Lê Lợi",
        "owner_key": "hmac",
        "idempotency_key": "k",
        "request_digest": "d",
        "history": [{"by": "admin"}, {"by": "customer"}],
    }

    [entry] = entries_for(change("MODIFY", old, new), UNIT)

    assert (entry.action, entry.actor) == ("activated", "customer")
    assert entry.after == {
        "status": "activated",
        "owner_phone": "+84 91* *** *78",
        "owner_name": "N***** V** A*",
        "owner_address": "***",
    }
    assert entry.before == {"status": "registered"}


def test_a_registration_keeps_what_matters_and_a_void_is_named() -> None:
    registered = {
        "serial": "SN-1", "status": "registered", "model_code": "AC-9", "batch": "B1",
        "created_at": "2026-12-02", "history": [{"by": "admin"}],
    }  # fmt: skip

    [created] = entries_for(change("INSERT", {}, registered), UNIT)
    [voided] = entries_for(
        change("MODIFY", registered, {**registered, "status": "void", "updated_by": "cs"}), UNIT
    )

    assert (created.action, created.actor) == ("registered", "admin")
    assert created.after == {"status": "registered", "model_code": "AC-9", "batch": "B1"}
    assert (voided.action, voided.actor) == ("voided", "cs")


def test_label_templates_on_the_brand_item_are_entries_of_their_own() -> None:
    old = {
        "brand_id": "demo", "name": "Garanti", "next_sequence": 10,
        "label_templates": json.dumps({"a": {"cols": 2}, "b": {"cols": 3}}),
    }  # fmt: skip
    new = {
        "brand_id": "demo", "name": "Garanti", "next_sequence": 10, "updated_by": "admin",
        "label_templates": json.dumps({"a": {"cols": 4}, "c": {"cols": 1}}),
    }  # fmt: skip

    entries = entries_for(change("MODIFY", old, new), BRAND)

    assert [(e.entity, e.entity_id, e.action, e.before, e.after) for e in entries] == [
        ("label_template", "a", "updated", {"cols": 2}, {"cols": 4}),
        ("label_template", "b", "deleted", {"cols": 3}, None),
        ("label_template", "c", "created", None, {"cols": 1}),
    ]
    assert {e.actor for e in entries} == {"admin"}


def test_a_stream_record_is_read_with_its_time_and_sequence() -> None:
    record = {
        "eventName": "REMOVE",
        "eventID": "abc",
        "dynamodb": {
            "ApproximateCreationDateTime": 1796200000,
            "SequenceNumber": "123",
            "OldImage": {"code": {"S": "AC-9"}, "warranty_months": {"N": "24"}},
        },
    }

    parsed = StreamChange.of(record)
    [entry] = entries_for(parsed, MODEL)

    assert parsed.at == datetime.fromtimestamp(1796200000, UTC)
    assert parsed.sequence == "123".zfill(40)
    assert (entry.action, entry.actor, entry.before) == (
        "deleted",
        "system",
        {"code": "AC-9", "warranty_months": 24},
    )
