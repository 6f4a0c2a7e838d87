"""The manager's daily digest of maintenance: today's booked visits, the tickets nobody has been
assigned yet, the customers reminded who have not answered, the visits overdue and the parts
short of their minimum. The daily job sends it, after the reminders, to every desk account
(admin, customer service) with a phone, one message a person a day (its id is theirs and the
day's: a rerun queues nothing more); the console's maintenance board shows the same figures.
Pure: the tickets, the lines and the stock come as ports.

>>> figure(12), figure(500), figure(501)
('12', '500', '500+')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.maintenance.lines import PlanLine, Stage
from chalicelib.maintenance.parts import Location
from chalicelib.maintenance.stock_service import StockStore, on_hand
from chalicelib.maintenance.tickets import OPEN_STATUSES, Ticket, TicketStatus
from chalicelib.outbox.compose import format_day, new_message
from chalicelib.outbox.model import OutboundMessage

KIND = "maintenance_digest"
CAP = 500  # each figure reads at most this many items; more shows as "500+"
AWAITING = (Stage.REMINDED, Stage.REMINDED_AGAIN)


class TicketsPort(Protocol):
    def by_status(
        self, status: TicketStatus, *, day_from: date | None, day_until: date | None, limit: int
    ) -> list[Ticket]: ...


class LinesPort(Protocol):
    def by_stage(
        self, stage: Stage, *, due_from: date | None, due_until: date | None, limit: int
    ) -> list[PlanLine]: ...


class PlacesPort(StockStore, Protocol):
    def locations(self) -> list[Location]: ...


@dataclass(frozen=True)
class Digest:
    day: date
    visits_today: int  # open tickets whose slot is today
    unassigned: int  # tickets nobody is assigned to yet (any day)
    awaiting: int  # customers reminded who have not answered
    overdue: int
    short_parts: int  # a part at or under its minimum somewhere

    @property
    def quiet(self) -> bool:
        """Nothing to tell: no message goes out on such a day."""
        return not (self.visits_today or self.unassigned or self.awaiting or self.overdue
                    or self.short_parts)  # fmt: skip


def figure(count: int) -> str:
    return f"{CAP}+" if count > CAP else str(count)


def gather(today: date, *, tickets: TicketsPort, lines: LinesPort, stock: PlacesPort) -> Digest:
    """Today's figures: one query per open status and stage (each at most ``CAP`` + 1 items)
    and the stock's places."""
    visits = sum(
        len(tickets.by_status(status, day_from=today, day_until=today, limit=CAP + 1))
        for status in OPEN_STATUSES
    )
    unassigned = len(tickets.by_status(TicketStatus.NEW, day_from=None, day_until=None,
                                       limit=CAP + 1))  # fmt: skip
    awaiting = sum(
        len(lines.by_stage(stage, due_from=None, due_until=None, limit=CAP + 1))
        for stage in AWAITING
    )
    overdue = len(lines.by_stage(Stage.OVERDUE, due_from=None, due_until=None, limit=CAP + 1))
    short = {x.line.part_code for x in on_hand(stock.locations(), store=stock) if x.short}
    return Digest(today, min(visits, CAP + 1), unassigned, min(awaiting, CAP + 1), overdue,
                  len(short))  # fmt: skip


def messages(
    digest: Digest,
    recipients: Mapping[str, str],
    *,
    brand_id: str,
    console_url: str,
    pepper: bytes,
    now: datetime,
) -> list[OutboundMessage]:
    """One message to each recipient (username → phone), keyed by them and the day; none on a
    quiet day."""
    if digest.quiet:
        return []
    fields = {
        "day": format_day(digest.day, "vi"),
        "visits": figure(digest.visits_today),
        "unassigned": figure(digest.unassigned),
        "awaiting": figure(digest.awaiting),
        "overdue": figure(digest.overdue),
        "short": figure(digest.short_parts),
        "url": f"{console_url.rstrip('/')}/maintenance",
    }
    return [
        new_message(
            KIND,
            business_key=(username, digest.day.isoformat()),
            brand_id=brand_id,
            phone=phone,
            language="vi",
            fields=fields,
            subject=f"digest#{digest.day.isoformat()}",
            now=now,
            pepper=pepper,
        )
        for username, phone in sorted(recipients.items())
    ]
