"""What the dashboard counts, as names of daily counters, and how a stream batch becomes one
``ADD`` per counter and day.

A counted event is one stream record that bumps counters: an activation (a unit moving into
``activated``) or a message reaching ``delivered`` or ``failed``. Its counters are named by
what they count, so a new dimension is a new name, not a new table:

>>> sorted(activation_counters("AC-9", "web"))
['activations', 'activations#channel#web', 'activations#model#AC-9']
>>> message_counters("failed", "sms")
('messages#failed', 'messages#failed#sms')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

ACTIVATIONS = "activations"
MODEL_PREFIX = f"{ACTIVATIONS}#model#"
CHANNEL_PREFIX = f"{ACTIVATIONS}#channel#"
DELIVERED = "delivered"
FAILED = "failed"
MESSAGE_OUTCOMES = (DELIVERED, FAILED)
NO_CHANNEL = "none"  # a message that failed before a channel was picked (expired, over the cap)


def activation_counters(model_code: str, channel: str) -> tuple[str, ...]:
    return (ACTIVATIONS, f"{MODEL_PREFIX}{model_code}", f"{CHANNEL_PREFIX}{channel}")


def message_counters(outcome: str, channel: str) -> tuple[str, ...]:
    return (f"messages#{outcome}", f"messages#{outcome}#{channel or NO_CHANNEL}")


@dataclass(frozen=True)
class CountedEvent:
    """A stream record's contribution: +1 on each of ``counters`` of ``day``, once for
    ``event_id`` (the stream record's id, the same on every redelivery)."""

    event_id: str
    day: date
    counters: tuple[str, ...]


def tally(events: Iterable[CountedEvent]) -> dict[date, Counter[str]]:
    """The batch summed in memory: one increment per counter and day.

    >>> d = date(2026, 12, 1)
    >>> tally([CountedEvent("1", d, ("a", "b")), CountedEvent("2", d, ("a",))])
    {datetime.date(2026, 12, 1): Counter({'a': 2, 'b': 1})}
    """
    days: dict[date, Counter[str]] = {}
    for event in events:
        days.setdefault(event.day, Counter()).update(event.counters)
    return days


def chunks(events: Sequence[CountedEvent], max_items: int) -> list[list[CountedEvent]]:
    """Consecutive groups whose transaction (one marker per event plus one update per day they
    touch) holds at most ``max_items`` items; order is kept, so a failed group and everything
    after it is what the stream must deliver again.

    >>> d1, d2 = date(2026, 12, 1), date(2026, 12, 2)
    >>> events = [CountedEvent(str(i), d1 if i < 3 else d2, ()) for i in range(5)]
    >>> [len(c) for c in chunks(events, 4)]
    [3, 2]
    """
    groups: list[list[CountedEvent]] = []
    current: list[CountedEvent] = []
    days: set[date] = set()
    for event in events:
        needed = len(current) + 1 + len(days | {event.day})
        if current and needed > max_items:
            groups.append(current)
            current, days = [], set()
        current.append(event)
        days.add(event.day)
    if current:
        groups.append(current)
    return groups
