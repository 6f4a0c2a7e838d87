"""The weekly nudge: each active dealer with a contact phone is told which units it received
more than N days ago and still has not activated, one message a dealer a week. Pure: the
dealers, the units awaiting and the outbox come as ports.

Idempotent: the message's id is the dealer's and the ISO week's (``message_id_for``), and the
outbox's put is conditional, so a retried or repeated run in the same week queues nothing more.

>>> iso_week(date(2026, 12, 31)), iso_week(date(2027, 1, 1))
('2026-W53', '2026-W53')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.dealers.model import Dealer, DealerStatus
from chalicelib.outbox.compose import format_day, new_message
from chalicelib.outbox.model import OutboundMessage

KIND = "dealer_unactivated"
SERIALS_LISTED = 5  # the oldest few by serial; the count says how many in all
DEFAULT_DAYS = 30


class AwaitingUnitLike(Protocol):
    @property
    def serial(self) -> str: ...
    @property
    def shipped_on(self) -> date: ...


class AwaitingLike(Protocol):
    @property
    def units(self) -> Sequence[AwaitingUnitLike]: ...
    @property
    def count(self) -> int: ...


class AwaitingUnitsPort(Protocol):
    def shipped_before(self, dealer_id: str, before: date, *, limit: int) -> AwaitingLike: ...


class OutboxPort(Protocol):
    def add(self, message: OutboundMessage) -> bool: ...


@dataclass(frozen=True)
class Messaging:
    """What the message needs: the pepper of phone keys, the brand, the console's address."""

    pepper: bytes
    brand_id: str
    console_url: str


@dataclass
class NudgeReport:
    dealers: int = 0  # active dealers with a phone, looked at
    queued: int = 0  # messages queued now
    already: int = 0  # queued earlier this week
    nothing_awaiting: int = 0
    queued_dealers: list[str] = field(default_factory=list)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def serial_list(serials: Sequence[str], count: int) -> str:
    """``"GAR1, GAR2 (+3)"``: the serials listed and how many more.

    >>> serial_list(["A1", "A2"], 5), serial_list(["A1"], 1)
    ('A1, A2 (+3)', 'A1')
    """
    listed = ", ".join(serials)
    return f"{listed} (+{count - len(serials)})" if count > len(serials) else listed


def nudge_message(
    dealer: Dealer, awaiting: AwaitingLike, *, days: int, today: date, now: datetime, m: Messaging
) -> OutboundMessage:
    assert dealer.details.contact_phone  # only dealers with a phone are nudged
    oldest = min(unit.shipped_on for unit in awaiting.units)
    return new_message(
        KIND,
        business_key=(dealer.dealer_id, iso_week(today)),
        brand_id=m.brand_id,
        phone=dealer.details.contact_phone,
        language="vi",
        fields={
            "dealer_name": dealer.name,
            "count": str(awaiting.count),
            "days": str(days),
            "oldest": format_day(oldest, "vi"),
            "serials": serial_list([u.serial for u in awaiting.units], awaiting.count),
            "url": m.console_url,
        },
        subject=dealer.dealer_id,
        now=now,
        pepper=m.pepper,
    )


def nudge_dealers(
    today: date,
    now: datetime,
    *,
    days: int,
    dealers: Iterable[Dealer],
    units: AwaitingUnitsPort,
    outbox: OutboxPort,
    messaging: Messaging,
) -> NudgeReport:
    """Queue this week's message to every active dealer with a phone and units shipped more
    than ``days`` days before ``today`` (the Vietnamese day) still awaiting activation."""
    report = NudgeReport()
    before = today - timedelta(days=days)  # shipped_on < before: more than ``days`` days ago
    for dealer in dealers:
        if dealer.status is not DealerStatus.ACTIVE or not dealer.details.contact_phone:
            continue
        report.dealers += 1
        awaiting = units.shipped_before(dealer.dealer_id, before, limit=SERIALS_LISTED)
        if not awaiting.count or not awaiting.units:
            report.nothing_awaiting += 1
            continue
        message = nudge_message(dealer, awaiting, days=days, today=today, now=now, m=messaging)
        if outbox.add(message):
            report.queued += 1
            report.queued_dealers.append(dealer.dealer_id)
        else:
            report.already += 1
    return report
