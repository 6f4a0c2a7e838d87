"""Stream records → counted events: which changes of a unit or a message the dashboard counts,
on which day. Reads the images through their owners' decoders (``catalog.unit_stream``, the
outbox's ``message_from_image``); writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.catalog.model import UnitStatus
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.dashboard.counters import (
    MESSAGE_OUTCOMES,
    CountedEvent,
    activation_counters,
    message_counters,
)
from chalicelib.platform.streams import image_text

_ACTIVATED = UnitStatus.ACTIVATED.value


def _change(record: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    change = record.get("dynamodb", {})
    return change.get("OldImage"), change.get("NewImage")


def activation_event(record: dict[str, Any]) -> CountedEvent | None:
    """A unit moving into ``activated`` (from any other status, or written activated): counted
    on the Vietnamese day of its activation, by model and channel. Anything else: ``None``."""
    old, new = _change(record)
    if new is None or image_text(new, "status") != _ACTIVATED:
        return None
    if image_text(old, "status") == _ACTIVATED:
        return None
    unit = unit_from_image(new)
    if unit.activation is None:
        return None
    return CountedEvent(
        event_id=str(record["eventID"]),
        day=business_day(unit.activation.activated_at),
        counters=activation_counters(unit.model_code, unit.activation.channel),
    )


def message_event(record: dict[str, Any]) -> CountedEvent | None:
    """A message reaching ``delivered`` or ``failed``: counted on the Vietnamese day it got
    there, by outcome and channel. Anything else (sends, reports that change nothing, TTL
    removals): ``None``."""
    from chalicelib.outbox.repository import message_from_image  # with the first record

    old, new = _change(record)
    outcome = image_text(new, "status")
    if new is None or outcome not in MESSAGE_OUTCOMES or image_text(old, "status") == outcome:
        return None
    message = message_from_image(new)
    at = message.delivered_at or message.failed_at or message.updated_at or datetime.now(UTC)
    return CountedEvent(
        event_id=str(record["eventID"]),
        day=business_day(at),
        counters=message_counters(outcome, message.channel),
    )
