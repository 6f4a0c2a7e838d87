"""The status of a registry entry staff keep (a dealer, a service centre): ``active`` when
created; suspended (refused at once, reinstated later) or closed for good, each with a note,
every move kept in the entry's history. Pure: no I/O.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 3, 2, tzinfo=UTC)
>>> move(Lifecycle.ACTIVE, Lifecycle.SUSPENDED, note=" late ", by="admin", at=at,
...      refused="dealer_status_not_allowed").note
'late'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid


class Lifecycle(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


ALLOWED_MOVES: dict[Lifecycle, frozenset[Lifecycle]] = {
    Lifecycle.ACTIVE: frozenset({Lifecycle.SUSPENDED, Lifecycle.CLOSED}),
    Lifecycle.SUSPENDED: frozenset({Lifecycle.ACTIVE, Lifecycle.CLOSED}),
    Lifecycle.CLOSED: frozenset(),  # for good: its code stays claimed, its history kept
}
NOTE_REQUIRED = frozenset({Lifecycle.SUSPENDED, Lifecycle.CLOSED})


@dataclass(frozen=True)
class StatusChange:
    """One entry of the status history: ``status_from`` is ``None`` for the creation."""

    at: datetime
    by: str
    status_from: Lifecycle | None
    status_to: Lifecycle
    note: str


def created(*, by: str, at: datetime, note: str = "") -> StatusChange:
    """The history's first entry: the creation, ``active``."""
    return StatusChange(at, by, None, Lifecycle.ACTIVE, note.strip())


def move(
    current: Lifecycle, to: Lifecycle, *, note: str, by: str, at: datetime, refused: str
) -> StatusChange:
    """The history entry of the move from ``current`` to ``to``: ``Conflict(refused)`` for a
    move the machine has not; ``Invalid`` (``note_required``) to suspend or close without a
    note."""
    if to not in ALLOWED_MOVES[current]:
        raise Conflict(refused, status=current.value, to=to.value)
    if to in NOTE_REQUIRED and not note.strip():
        raise Invalid(fields=[FieldError("note", "note_required")])
    return StatusChange(at, by, current, to, note.strip())
