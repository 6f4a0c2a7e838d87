"""The daily maintenance job: every line whose timer fires today is moved on (reminded,
reminded again, overdue) and its customer told, one transaction per line. It reads only the
timers of the days it runs for, a query per shard and day, whatever the number of units.

A **watermark** keeps the last day done: a run catches up the days it missed (at most
:data:`MAX_CATCH_UP_DAYS`; the first run looks that far back) before today, and a rerun of a
day finds its lines moved on already: each line's write is conditional on the version and timer
it was read with, and its message's id is deterministic, so nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.maintenance.lines import SHARDS, PlanLine, after_reminder, message_kind
from chalicelib.outbox.model import OutboundMessage

MAX_CATCH_UP_DAYS = 31


class LineStore(Protocol):
    def timers(self, day: date, shard: int) -> Iterator[PlanLine]: ...
    def advance(
        self,
        before: PlanLine,
        after: PlanLine,
        messages: Sequence[OutboundMessage],
        *,
        at: datetime,
    ) -> bool: ...
    def watermark(self) -> date | None: ...
    def set_watermark(self, day: date, *, after: date | None, at: datetime) -> bool: ...


class UnitReader(Protocol):
    def find_many(self, serials: Iterable[str]) -> dict[str, Unit]: ...


# the customer's message for a line moved into a stage that tells them (``kind``), for its unit
Compose = Callable[[str, PlanLine, Unit], OutboundMessage]


@dataclass
class DailyReport:
    days: list[str] = field(default_factory=list)  # the days run, oldest first
    due: int = 0  # timers read
    reminded: int = 0  # customers told
    overdue: int = 0
    already: int = 0  # moved on by another run since they were read
    no_owner: int = 0  # a unit without an owner any more (voided, disowned, erased): no message


def days_to_run(today: date, watermark: date | None) -> list[date]:
    """The days after ``watermark`` up to ``today``, at most :data:`MAX_CATCH_UP_DAYS` of them
    (the first run, with no watermark, looks that far back too: a line whose reminder day came
    before the job ever ran is still told).

    >>> [d.day for d in days_to_run(date(2027, 3, 2), date(2027, 2, 27))]
    [28, 1, 2]
    >>> days_to_run(date(2027, 3, 2), date(2027, 3, 2))
    []
    >>> len(days_to_run(date(2027, 3, 2), None))
    31
    """
    earliest = today - timedelta(days=MAX_CATCH_UP_DAYS - 1)
    first = earliest if watermark is None else max(watermark + timedelta(days=1), earliest)
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def run_daily(
    today: date,
    *,
    lines: LineStore,
    units: UnitReader,
    compose: Compose,
    again_after_days: int,
    at: datetime,
) -> DailyReport:
    """Run the days since the watermark up to ``today``, then move the watermark."""
    report = DailyReport()
    watermark = lines.watermark()
    for day in days_to_run(today, watermark):
        for shard in range(SHARDS):
            _run_timers(
                list(lines.timers(day, shard)), day, lines, units, compose, again_after_days, at,
                report,
            )  # fmt: skip
        lines.set_watermark(day, after=watermark, at=at)
        watermark = day
        report.days.append(day.isoformat())
    return report


def _run_timers(
    due: list[PlanLine],
    day: date,
    lines: LineStore,
    units: UnitReader,
    compose: Compose,
    again_after_days: int,
    at: datetime,
    report: DailyReport,
) -> None:
    if not due:
        return
    report.due += len(due)
    owned = units.find_many(line.serial for line in due)
    for line in due:
        after = after_reminder(line, day, again_after_days=again_after_days)
        kind = message_kind(after.stage)
        unit = owned.get(line.serial)
        messages = []
        if (
            kind
            and unit is not None
            and unit.activation is not None
            and unit.activation.owner.phone  # "": the owner's data was erased
            and unit.status is not UnitStatus.VOID
        ):
            messages.append(compose(kind, after, unit))
        elif kind:
            report.no_owner += 1
        if not lines.advance(line, after, messages, at=at):
            report.already += 1
        elif messages:
            report.reminded += 1
        elif kind is None:
            report.overdue += 1
