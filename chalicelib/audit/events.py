"""The brands and models streams into the audit trail (one entry per change, written once
whatever the number of deliveries). The units stream's steps are :func:`record_unit_changes`
(a whole batch) and :func:`record_unit_change` (one record, when the batch's write failed),
called by the units stream's one handler (``activation.events``): a stream has at most two
consumers in AWS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.audit import wiring as audit_wiring
from chalicelib.audit.feed import BRAND, MODEL, UNIT, StreamChange, Watched, entries_for
from chalicelib.platform.streams import process_stream


def _record(raw_event: Mapping[str, Any], watched: Watched) -> int:
    """Record the entries of one stream record; how many were new."""
    trail = audit_wiring.audit_trail()
    return sum(trail.record(e) for e in entries_for(StreamChange.of(raw_event), watched))


def record_unit_change(raw_event: Mapping[str, Any]) -> int:
    return _record(raw_event, UNIT)


def record_unit_changes(raw_events: Sequence[Mapping[str, Any]]) -> int:
    """Every entry of a batch of units stream records in one go (25 to a ``BatchWriteItem``):
    a devstack's 200 demo registrations cost 8 calls, not 200. Returns how many entries."""
    entries = [e for raw in raw_events for e in entries_for(StreamChange.of(raw), UNIT)]
    audit_wiring.audit_trail().record_all(entries)
    return len(entries)


def on_brand_record(record: Any) -> None:
    _record(record.raw_event, BRAND)


def on_model_record(record: Any) -> None:
    _record(record.raw_event, MODEL)


def handle_brand_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_brand_record)


def handle_model_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_model_record)
