"""What every response shape shares: dates and times as ISO 8601 text."""

from __future__ import annotations

from datetime import date, datetime


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
