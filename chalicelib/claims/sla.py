"""How long a request may stay in each state (its SLA), from a setting such as
``GARANTI_CLAIM_SLA_HOURS="new=4,triaged=24"``; the states not named keep their default, and a
state with no deadline (waiting for the customer, finished) has none. Pure: no I/O.

>>> hours = parse_sla_hours("new=2, repairing=96")
>>> hours[ClaimState.NEW], hours[ClaimState.REPAIRING], hours[ClaimState.TRIAGED]
(2, 96, 24)
>>> due_at(ClaimState.NEW, datetime(2026, 3, 1, 8, 0), hours)
datetime.datetime(2026, 3, 1, 10, 0)
>>> due_at(ClaimState.CLOSED, datetime(2026, 3, 1, 8, 0), hours) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from chalicelib.claims.states import ClaimState

S = ClaimState
# Working hours a state may last before the request is late (a day is 24: the board shows
# calendar time, the customer waits in calendar time).
DEFAULT_SLA_HOURS: Mapping[ClaimState, int] = MappingProxyType(
    {
        S.NEW: 4,
        S.TRIAGED: 24,
        S.QUOTE_ACCEPTED: 24,
        S.ROUTED: 24,
        S.ACCEPTED: 48,
        S.SCHEDULED: 72,
        S.RECEIVED: 24,
        S.DIAGNOSING: 48,
        S.WAITING_PARTS: 240,
        S.REPAIRING: 72,
        S.REPAIRED: 24,
        S.REPLACED: 24,
        S.NO_FAULT_FOUND: 24,
        S.REJECTED: 24,
        S.READY_FOR_RETURN: 72,
        S.REOPENED: 4,
    }
)
MAX_SLA_HOURS = 24 * 90
DEFAULT_REOPEN_DAYS = 30


class SlaSettingError(ValueError):
    """The setting names an unknown state or a number out of range."""


def parse_sla_hours(raw: str) -> dict[ClaimState, int]:
    """The defaults overridden by ``state=hours`` pairs (``0`` removes a state's deadline)."""
    hours = dict(DEFAULT_SLA_HOURS)
    for part in raw.split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        try:
            state = ClaimState(name.strip())
        except ValueError:
            raise SlaSettingError(f"unknown claim state {name.strip()!r}") from None
        value = value.strip()
        if not (value.isascii() and value.isdigit() and int(value) <= MAX_SLA_HOURS):
            raise SlaSettingError(f"hours for {state.value} must be 0 to {MAX_SLA_HOURS}")
        if int(value) == 0:
            hours.pop(state, None)
        else:
            hours[state] = int(value)
    return hours


def due_at(state: ClaimState, since: datetime, hours: Mapping[ClaimState, int]) -> datetime | None:
    """When a request that entered ``state`` at ``since`` is late; ``None``: no deadline."""
    limit = hours.get(state)
    return since + timedelta(hours=limit) if limit else None


@dataclass(frozen=True)
class ClaimRules:
    """The stage's settings the use cases apply."""

    sla_hours: Mapping[ClaimState, int] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    reopen_days: int = DEFAULT_REOPEN_DAYS
