"""The brands and models streams into the audit trail (one entry per change, written once
whatever the number of deliveries). The units stream's step is :func:`record_unit_change`,
called by the units stream's one handler (``activation.events``): a stream has at most two
consumers in AWS."""

from __future__ import annotations

from collections.abc import Mapping
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


def on_brand_record(record: Any) -> None:
    _record(record.raw_event, BRAND)


def on_model_record(record: Any) -> None:
    _record(record.raw_event, MODEL)


def handle_brand_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_brand_record)


def handle_model_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_model_record)
