"""Reading the audit trail for the console: one thing's history, one staff member's entries, or
the brand's entries of a range of days, newest first, a bounded amount of work per request.

Days are Vietnam's calendar days (the console's users); the table's day index is by UTC day, so
a local day is read from the (at most two) UTC days it spans, bounded by its local midnights.

>>> [t.isoformat() for t in span_of(date(2026, 12, 2), date(2026, 12, 2))]
['2026-12-01T17:00:00+00:00', '2026-12-02T17:00:00+00:00']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from chalicelib.audit.model import AuditEntry, AuditPage
from chalicelib.core.errors import FieldError, Invalid

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ENTITIES = frozenset(
    {
        "unit", "model", "brand", "label_template", "user", "customer", "partner",
        "reward_rule", "reward", "reward_period", "payout_setting", "payout_batch", "payout_line",
        "carton", "claim",
    }
)  # fmt: skip
MAX_RANGE_DAYS = 92  # a quarter: a longer look is an export, not a screen
MAX_DAY_QUERIES = 31  # per request; the cursor carries on from the next day
EARLIEST = date(2020, 1, 1)


class Pages(Protocol):
    def entity_page(
        self,
        entity: str,
        entity_id: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
    ) -> AuditPage: ...

    def actor_page(
        self,
        actor: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
        entity: str | None = None,
    ) -> AuditPage: ...

    def day_page(
        self,
        day: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
        entity: str | None = None,
    ) -> AuditPage: ...


@dataclass(frozen=True)
class AuditQuery:
    """What the console asks: by thing (``entity`` + ``entity_id``), by ``actor``, or by days
    (``first_day``..``last_day``, today when absent); ``entity`` alone narrows the other two."""

    entity: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    limit: int = 50

    @property
    def mode(self) -> str:
        return "entity" if self.entity_id else "actor" if self.actor else "days"


def span_of(first: date, last: date) -> tuple[datetime, datetime]:
    """From the local midnight that starts ``first`` to the one that ends ``last``, in UTC."""
    start = datetime.combine(first, time(0), ZONE).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), ZONE).astimezone(UTC)
    return start, end


def check(query: AuditQuery, today: date) -> tuple[date, date]:
    """The query's days (``Invalid`` on a bad combination or range)."""
    problems = []
    if query.entity is not None and query.entity not in ENTITIES:
        problems.append(FieldError("entity", "audit_entity_unknown"))
    if query.entity_id and not query.entity:
        problems.append(FieldError("entity", "required"))
    first = query.first_day or (EARLIEST if query.mode != "days" else query.last_day or today)
    last = query.last_day or today
    if first > last:
        problems.append(FieldError("from", "date_range_backwards"))
    elif query.mode == "days" and (last - first).days >= MAX_RANGE_DAYS:
        problems.append(FieldError("from", "date_range_too_long"))
    if problems:
        raise Invalid(fields=problems)
    return first, last


def search(
    query: AuditQuery, cursor: dict[str, Any] | None, *, trail: Pages, today: date
) -> tuple[list[AuditEntry], dict[str, Any] | None]:
    """Entries newest first and the position to carry on from (``None``: nothing more)."""
    first, last = check(query, today)
    dated = query.first_day is not None or query.last_day is not None
    span = span_of(first, last)
    if query.mode == "entity":
        assert query.entity and query.entity_id
        page = trail.entity_page(
            query.entity,
            query.entity_id,
            limit=query.limit,
            start=cursor,
            span=span if dated else None,
        )
        return page.entries, page.last_key
    if query.mode == "actor":
        assert query.actor
        page = trail.actor_page(
            query.actor,
            limit=query.limit,
            start=cursor,
            span=span if dated else None,
            entity=query.entity,
        )
        return page.entries, page.last_key
    return _days(query, span, cursor, trail)


def _days(
    query: AuditQuery,
    span: tuple[datetime, datetime],
    cursor: dict[str, Any] | None,
    trail: Pages,
) -> tuple[list[AuditEntry], dict[str, Any] | None]:
    oldest = span[0].date()
    position = dict(cursor or {})
    day_text = position.pop("day", {}).get("S")
    day = date.fromisoformat(day_text) if day_text else (span[1] - timedelta(microseconds=1)).date()
    start: dict[str, Any] | None = position or None
    entries: list[AuditEntry] = []
    for _ in range(MAX_DAY_QUERIES):
        if day < oldest or len(entries) >= query.limit:
            break
        page = trail.day_page(
            day.isoformat(),
            limit=query.limit - len(entries),
            start=start,
            span=span,
            entity=query.entity,
        )
        entries.extend(page.entries)
        if page.last_key:  # the day has more (or a filter thinned this page)
            start = page.last_key
            continue
        day, start = day - timedelta(days=1), None
    if day < oldest:
        return entries, None
    return entries, {"day": {"S": day.isoformat()}, **(start or {})}
