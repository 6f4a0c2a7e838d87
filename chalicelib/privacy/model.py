"""Requests about personal data: what a customer asks (erasure), by when the law wants an
answer, and how staff handled it. Pure: no I/O."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

# Decree 13/2023 set 72 hours from the request for a deletion; the PDPL's implementing decree
# (356/2025) is read the same way by the summaries we have (docs/reference: confirm with counsel).
ERASURE_DEADLINE = timedelta(hours=72)
MAX_REASON = 500
ERASING_LEASE = timedelta(minutes=5)  # an erasure holds its request this long (refusals wait)


class RequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    REFUSED = "refused"


class RequestKind(StrEnum):
    ERASURE = "erasure"


@dataclass(frozen=True)
class PrivacyRequest:
    request_id: str
    kind: RequestKind
    status: RequestStatus
    phone_masked: str
    created_at: datetime
    due_at: datetime
    channel: str
    language: str
    subject_key: str | None = None  # while open
    phone: str | None = None  # while open
    handled_by: str | None = None
    handled_at: datetime | None = None
    reason: str | None = None
    erased: dict[str, int] = field(default_factory=dict)
    # while open, what an erasure learnt (so a run stopped half-way finds the person again)
    names: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()
    erasing_until: datetime | None = None  # an erasure under way holds the request till then

    def overdue(self, now: datetime) -> bool:
        return self.status is RequestStatus.OPEN and now > self.due_at

    def closed(
        self, status: RequestStatus, *, by: str, at: datetime, **outcome: Any
    ) -> PrivacyRequest:
        """The request handled: who, when, ``outcome`` (the counts erased, a refusal's reason),
        and nothing more of the person than the masked phone."""
        return replace(
            self, status=status, phone=None, subject_key=None, handled_by=by, handled_at=at,
            names=(), serials=(), **outcome,
        )  # fmt: skip


# What each kind of item is kept for, in months, and the bounds a setting may take: messages
# (delivery records: the dashboard's counters keep their figures), closed or cancelled service
# requests and done or cancelled maintenance visits (their customer; the warranty facts stay).
RETENTION_KINDS = ("messages", "claims", "visits")
RETENTION_DEFAULTS = MappingProxyType({"messages": 24, "claims": 60, "visits": 60})
RETENTION_BOUNDS = MappingProxyType(
    {"messages": (3, 120), "claims": (12, 240), "visits": (12, 240)}
)


@dataclass(frozen=True)
class Retention:
    """The retention settings (months per kind), their version, and where the daily job
    stopped in each kind (its watermarks)."""

    months: dict[str, int] = field(default_factory=lambda: dict(RETENTION_DEFAULTS))
    version: int = 0
    updated_by: str = ""
    updated_at: datetime | None = None
    marks: dict[str, str] = field(default_factory=dict)


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant ``months`` calendar months earlier (the day clamped to the month).

    >>> from datetime import UTC
    >>> months_before(datetime(2026, 3, 31, 8, tzinfo=UTC), 1).isoformat()
    '2026-02-28T08:00:00+00:00'
    >>> months_before(datetime(2026, 12, 4, tzinfo=UTC), 24).date().isoformat()
    '2024-12-04'
    """
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
