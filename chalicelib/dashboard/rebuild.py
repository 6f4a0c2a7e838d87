"""Rebuilding the roll-ups from the tables themselves: a one-off (``python -m devstack rollups
rebuild``) for counters that drifted or predate the dashboard, never a Lambda's job (it reads
whole tables).

Activations come from the units (every unit with an activation, on its day); messages delivered
and failed from the outbox as it is now (messages the outbox's TTL removed are gone, so their
days keep nothing). Each rebuilt day replaces its item whole; a day item no unit or message
accounts for is removed. Counting markers are left alone: a record redelivered later still
finds its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from chalicelib.catalog.model import Unit
from chalicelib.catalog.warranty import business_day
from chalicelib.dashboard.counters import (
    MESSAGE_OUTCOMES,
    CountedEvent,
    activation_counters,
    day_item,
    message_counters,
    tally,
)
from chalicelib.outbox.model import OutboundMessage
from chalicelib.platform.rollups import RebuiltItems, rewrite


def unit_events(units: Iterable[Unit]) -> list[CountedEvent]:
    return [
        CountedEvent(
            f"rebuild#{unit.serial}",
            business_day(unit.activation.activated_at),
            activation_counters(unit.model_code, unit.activation.channel),
        )
        for unit in units
        if unit.activation is not None
    ]


def message_events(messages: Iterable[OutboundMessage]) -> list[CountedEvent]:
    events = []
    for message in messages:
        at = message.delivered_at or message.failed_at or message.updated_at
        if message.status.value not in MESSAGE_OUTCOMES or at is None:
            continue
        events.append(
            CountedEvent(
                f"rebuild#{message.message_id}",
                business_day(at),
                message_counters(message.status.value, message.channel),
            )
        )
    return events


def rebuild(
    units: Iterable[Unit], messages: Iterable[OutboundMessage], *, store: RebuiltItems
) -> dict[date, Counter[str]]:
    """Replace every day's counters by what the tables say; returns the days written."""
    days = tally([*unit_events(units), *message_events(messages)])
    rewrite({day_item(day): counters for day, counters in days.items()}, store=store)
    return days
