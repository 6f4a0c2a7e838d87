"""Maintenance reports over a span of months: revenue by month (the visits done, what they cost
the customers, what was collected, what the parts cost us), spare parts' usage (issued to
tickets and claims, less what came back, at the cost recorded on each movement) and the services
by product (done visits per model and component). Pure: the figures come from lists the route
reads (each month's receivables, the done tickets, each part's movements in the span).

>>> months_between("2026-11", "2027-02")
['2026-11', '2026-12', '2027-01', '2027-02']
>>> span_of("2027-01", "2027-02")
(datetime.date(2027, 1, 1), datetime.date(2027, 2, 28))
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.maintenance.parts import Movement, MovementKind, Part
from chalicelib.maintenance.receivables import Receivable, month_of
from chalicelib.maintenance.tickets import Ticket, TicketStatus

MAX_MONTHS = 12


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), at most twelve."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not months or len(months) > MAX_MONTHS:
        raise Invalid(fields=[FieldError("until", "maintenance_report_span")], limit=MAX_MONTHS)
    return months


def span_of(first: str, last: str) -> tuple[date, date]:
    """The first day of ``first`` and the last day of ``last``."""
    year, month = int(last[:4]), int(last[5:])
    return date.fromisoformat(f"{first}-01"), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class MonthFigures:
    month: str
    visits: int  # visits done in the month (free ones too)
    paid_visits: int  # those that cost the customer something (each a receivable)
    amount_vnd: int  # what the paid visits cost the customers
    collected_vnd: int
    parts_cost_vnd: int  # what the parts used on them cost us
    closed: bool

    @property
    def margin_vnd(self) -> int:
        return self.amount_vnd - self.parts_cost_vnd


@dataclass(frozen=True)
class PartFigures:
    code: str
    name: str
    name_en: str
    unit: str
    issued: int  # issued to tickets and claims
    returned: int  # taken back off them
    cost_vnd: int  # the used quantity at the cost recorded on each movement
    tickets: int  # distinct tickets it went to
    claims: int  # distinct claims it went to

    @property
    def used(self) -> int:
        return self.issued - self.returned


@dataclass(frozen=True)
class ProductFigures:
    model_code: str
    component_code: str
    component_name: str
    component_name_en: str
    visits: int
    amount_vnd: int  # what those visits cost the customers
    parts: int  # parts used on them (pieces)


def by_month(
    months: list[str],
    done: Iterable[Ticket],
    receivables: Mapping[str, list[Receivable]],
    closed: Mapping[str, bool],
) -> list[MonthFigures]:
    visits: dict[str, int] = {}
    for ticket in done:
        if ticket.done_on is not None:
            visits[month_of(ticket.done_on)] = visits.get(month_of(ticket.done_on), 0) + 1
    return [
        MonthFigures(
            month=month,
            visits=visits.get(month, 0),
            paid_visits=len(receivables.get(month, [])),
            amount_vnd=sum(r.amount_vnd for r in receivables.get(month, [])),
            collected_vnd=sum(r.collected_vnd for r in receivables.get(month, [])),
            parts_cost_vnd=sum(r.parts_cost_vnd for r in receivables.get(month, [])),
            closed=closed.get(month, False),
        )
        for month in months
    ]


def by_part(parts: Iterable[Part], movements: Iterable[Movement]) -> list[PartFigures]:
    """Each part that went to a ticket or a claim in the span, the most used first."""
    names = {p.code: p for p in parts}
    issued: dict[str, int] = {}
    returned: dict[str, int] = {}
    cost: dict[str, int] = {}
    tickets: dict[str, set[str]] = {}
    claims: dict[str, set[str]] = {}
    for m in movements:
        if m.kind not in (MovementKind.ISSUE, MovementKind.RETURN):
            continue
        sign = 1 if m.kind is MovementKind.ISSUE else -1
        into = issued if sign == 1 else returned
        into[m.part_code] = into.get(m.part_code, 0) + m.qty
        cost[m.part_code] = cost.get(m.part_code, 0) + sign * m.qty * m.unit_cost_vnd
        if m.ticket_id and sign == 1:
            tickets.setdefault(m.part_code, set()).add(m.ticket_id)
        if m.claim_id and sign == 1:
            claims.setdefault(m.part_code, set()).add(m.claim_id)
    figures = []
    for code in sorted(issued.keys() | returned.keys()):
        part = names.get(code)
        figures.append(
            PartFigures(
                code=code,
                name=part.name if part else code,
                name_en=part.name_en if part else "",
                unit=part.unit if part else "",
                issued=issued.get(code, 0),
                returned=returned.get(code, 0),
                cost_vnd=cost.get(code, 0),
                tickets=len(tickets.get(code, ())),
                claims=len(claims.get(code, ())),
            )
        )
    return sorted(figures, key=lambda f: (-f.cost_vnd, -f.used, f.code))


def by_product(done: Iterable[Ticket]) -> list[ProductFigures]:
    """Done visits per model and component, the most visited first."""
    groups: dict[tuple[str, str], list[Ticket]] = {}
    for ticket in done:
        if ticket.status is TicketStatus.DONE:
            groups.setdefault((ticket.model_code, ticket.component.code), []).append(ticket)
    figures = [
        ProductFigures(
            model_code=model,
            component_code=code,
            component_name=visits[-1].component.name,
            component_name_en=visits[-1].component.name_en,
            visits=len(visits),
            amount_vnd=sum(t.amount_vnd for t in visits),
            parts=sum(u.qty for t in visits for u in t.parts),
        )
        for (model, code), visits in groups.items()
    ]
    return sorted(figures, key=lambda f: (-f.visits, f.model_code, f.component_code))


def done_within(tickets: Iterable[Ticket], first: date, last: date) -> list[Ticket]:
    """The tickets done between ``first`` and ``last`` (a visit's slot and its completion may
    fall in different months: the completion counts)."""
    return [
        t
        for t in tickets
        if t.status is TicketStatus.DONE and t.done_on is not None and first <= t.done_on <= last
    ]
