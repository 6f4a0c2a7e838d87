"""The privacy capability's schedule: the daily retention job."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.privacy import service
from chalicelib.privacy import wiring as privacy_wiring


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Each kind's items past their retention period: their people forgotten."""
    return service.apply_retention(
        now=now or datetime.now(UTC),
        store=privacy_wiring.request_repository(),
        parts=privacy_wiring.expiring(),
    )
