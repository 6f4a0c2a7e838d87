"""What the dashboard counts, as names of daily counters on day items (``day#<yyyy-mm-dd>``);
the platform's roll-ups (``platform.rollups``) make a stream batch one ``ADD`` per counter and day.

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from chalicelib.platform.rollups import Bump

ACTIVATIONS = "activations"
MODEL_PREFIX = f"{ACTIVATIONS}#model#"
CHANNEL_PREFIX = f"{ACTIVATIONS}#channel#"
DELIVERED = "delivered"
FAILED = "failed"
MESSAGE_OUTCOMES = (DELIVERED, FAILED)
NO_CHANNEL = "none"  # a message that failed before a channel was picked (expired, over the cap)


def day_item(day: date) -> str:
    """The item of ``day``'s counters: ``day#2026-12-01``."""
    return f"day#{day.isoformat()}"


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

    def bumps(self) -> tuple[Bump, ...]:
        item = day_item(self.day)
        return tuple(Bump(item, counter) for counter in self.counters)


def tally(events: Iterable[CountedEvent]) -> dict[date, Counter[str]]:
    """The batch summed in memory by day: one increment per counter and day (what the store
    writes, keyed by the day rather than its item).

    >>> d = date(2026, 12, 1)
    >>> tally([CountedEvent("1", d, ("a", "b")), CountedEvent("2", d, ("a",))])
    {datetime.date(2026, 12, 1): Counter({'a': 2, 'b': 1})}
    """
    days: dict[date, Counter[str]] = {}
    for event in events:
        days.setdefault(event.day, Counter()).update(event.counters)
    return days
