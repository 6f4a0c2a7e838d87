"""The audit trail against DynamoDB (moto server): an entry is written once, whatever the
number of times its event is recorded, and a thing's history reads newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.audit.model import AuditEntry
from chalicelib.audit.repository import AuditTrail

pytestmark = pytest.mark.usefixtures("aws")

AT = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def entry(source: str, at: datetime = AT, **changes: object) -> AuditEntry:
    return AuditEntry(
        at=at,
        actor="admin",
        action="updated",
        entity="model",
        entity_id="AC-9",
        source=source,
        before={"name": "old"},
        after={"name": "new", **changes},
    )


def test_the_same_event_recorded_twice_is_one_entry() -> None:
    trail = AuditTrail("garanti")

    first, again = trail.record(entry("evt-1")), trail.record(entry("evt-1"))

    assert (first, again) == (True, False)
    assert [e.after for e in trail.for_entity("model", "AC-9")] == [{"name": "new"}]


def test_a_things_history_reads_newest_first_with_before_and_after() -> None:
    trail = AuditTrail("garanti")
    trail.record(entry("evt-1"))
    trail.record(entry("evt-2", AT + timedelta(minutes=5), warranty_months=24))

    history = list(trail.for_entity("model", "AC-9"))

    assert [e.source for e in history] == ["evt-2", "evt-1"]
    assert [e.after for e in history] == [{"name": "new", "warranty_months": 24}, {"name": "new"}]
    assert history[0].at == AT + timedelta(minutes=5) and history[0].before == {"name": "old"}
