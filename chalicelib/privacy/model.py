"""Requests about personal data: what a customer asks (erasure), by when the law wants an
answer, and how staff handled it. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

# Decree 13/2023 set 72 hours from the request for a deletion; the PDPL's implementing decree
# (356/2025) is read the same way by the summaries we have (docs/reference: confirm with counsel).
ERASURE_DEADLINE = timedelta(hours=72)
MAX_REASON = 500


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

    def overdue(self, now: datetime) -> bool:
        return self.status is RequestStatus.OPEN and now > self.due_at
