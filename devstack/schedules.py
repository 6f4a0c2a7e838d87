"""The app's ``@app.schedule`` handlers, ticked locally as EventBridge would (UTC).

Schedule expressions are EventBridge's:

- ``rate(VALUE UNIT)``: UNIT is ``minute``/``minutes``, ``hour``/``hours``, ``day``/``days``,
  singular exactly when VALUE is 1 (EventBridge rejects ``rate(1 minutes)``, so do we);
- ``cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR)``: six fields, UTC; ``*``, lists,
  ranges, ``/`` steps, month names ``JAN``-``DEC``, day names ``SUN``-``SAT`` (1 = Sunday);
  exactly one of day-of-month and day-of-week is ``?``; ``L`` and ``W`` in day-of-month
  (``L``, ``LW``, ``15W``), ``L`` and ``#`` in day-of-week (``6L`` last Friday, ``2#1`` first
  Monday).

>>> parse_schedule("cron(0 1 * * ? *)").next_after(datetime(2026, 5, 1, 1, 0, tzinfo=UTC))
datetime.datetime(2026, 5, 2, 1, 0, tzinfo=datetime.timezone.utc)
>>> parse_schedule("rate(5 minutes)").interval
datetime.timedelta(seconds=300)

A rate schedule first fires one interval after the ticker starts. A tick that finds a schedule
overdue (the process slept) runs it once, then plans the next run after now: missed runs are
not replayed.
"""

from __future__ import annotations

import calendar
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from chalice.app import Chalice, ScheduledEventConfig, ScheduleExpression

from devstack.config import ACCOUNT_ID, STAGE
from devstack.lambda_context import LambdaContext

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
_SEARCH_DAYS = 366 * 8  # cron(… 2029) from 2026 is found; a year long gone is an error

_RATE = re.compile(r"^rate\(\s*(\d+)\s+([a-z]+)\s*\)$", re.IGNORECASE)
_CRON = re.compile(r"^cron\((.*)\)$", re.IGNORECASE)
_RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


class ScheduleExpressionError(ValueError):
    """The expression is not one EventBridge would accept (or one this parser supports)."""


class Schedule(Protocol):
    @property
    def expression(self) -> str: ...

    def next_after(self, moment: datetime) -> datetime:
        """The first run strictly after ``moment`` (UTC)."""
        ...


@dataclass(frozen=True)
class RateSchedule:
    expression: str
    interval: timedelta

    def next_after(self, moment: datetime) -> datetime:
        return moment + self.interval


def _parse_rate(expression: str, value: str, unit: str) -> RateSchedule:
    amount = int(value)
    unit = unit.lower()
    singular = unit.rstrip("s") if unit.endswith("s") else unit
    if singular not in _RATE_UNITS or amount <= 0:
        raise ScheduleExpressionError(
            f"{expression!r}: expected rate(N minutes|hours|days) with N ≥ 1"
        )
    if (amount == 1) != (unit == singular):
        raise ScheduleExpressionError(
            f"{expression!r}: the unit is singular exactly when the value is 1 "
            f"(rate(1 {singular}), rate({max(amount, 2)} {singular}s))"
        )
    return RateSchedule(expression, timedelta(seconds=amount * _RATE_UNITS[singular]))


def _number(token: str, names: dict[str, int], low: int, high: int, what: str) -> int:
    upper = token.upper()
    if upper in names:
        return names[upper]
    if not token.isdigit():
        raise ScheduleExpressionError(f"{what}: {token!r} is not a number or a name")
    number = int(token)
    if not low <= number <= high:
        raise ScheduleExpressionError(f"{what}: {number} is outside {low}-{high}")
    return number


def _values(
    spec: str, low: int, high: int, what: str, names: dict[str, int] | None = None
) -> frozenset[int]:
    """``*``, ``5``, ``1-5``, ``*/15``, ``10/5``, ``FRI-MON`` (wraps), lists of these."""
    names = names or {}
    result: set[int] = set()
    for part in spec.split(","):
        if not part:
            raise ScheduleExpressionError(f"{what}: empty item in {spec!r}")
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ScheduleExpressionError(f"{what}: bad step in {part!r}")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start = _number(first, names, low, high, what)
            end = _number(last, names, low, high, what)
        else:
            start = _number(base, names, low, high, what)
            end = high if slash else start
        span = (end - start) % (high - low + 1)
        result.update(
            low + (start - low + offset) % (high - low + 1) for offset in range(0, span + 1, step)
        )
    return frozenset(result)


def _aws_weekday(day: date) -> int:
    """1 = Sunday … 7 = Saturday."""
    return (day.weekday() + 1) % 7 + 1


def _nearest_weekday(year: int, month: int, wanted: int) -> int:
    last = calendar.monthrange(year, month)[1]
    day = min(wanted, last)
    weekday = date(year, month, day).weekday()
    if weekday == 5:  # Saturday → Friday, unless that leaves the month
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday → Monday, unless that leaves the month
        return day + 1 if day < last else day - 2
    return day


DayRule = Callable[[date], bool]


def _day_of_month_rule(spec: str) -> DayRule:
    what = "day-of-month"
    upper = spec.upper()
    if upper == "L":
        return lambda d: d.day == calendar.monthrange(d.year, d.month)[1]
    if upper == "LW":
        return lambda d: (
            d.day == _nearest_weekday(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        )
    if upper.endswith("W"):
        wanted = _number(upper[:-1], {}, 1, 31, what)
        return lambda d: d.day == _nearest_weekday(d.year, d.month, wanted)
    days = _values(spec, 1, 31, what)
    return lambda d: d.day in days


def _day_of_week_rule(spec: str) -> DayRule:
    what = "day-of-week"
    upper = spec.upper()
    if "#" in upper:
        day_text, _, nth_text = upper.partition("#")
        weekday = _number(day_text, _DAYS, 1, 7, what)
        nth = _number(nth_text, {}, 1, 5, what)
        return lambda d: _aws_weekday(d) == weekday and (d.day - 1) // 7 + 1 == nth
    if upper == "L":
        upper = "7L"
    if upper.endswith("L"):
        weekday = _number(upper[:-1], _DAYS, 1, 7, what)
        return lambda d: (
            _aws_weekday(d) == weekday and d.day + 7 > calendar.monthrange(d.year, d.month)[1]
        )
    days = _values(spec, 1, 7, what, _DAYS)
    return lambda d: _aws_weekday(d) in days


@dataclass(frozen=True)
class CronSchedule:
    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int]
    day_rule: DayRule = field(compare=False)

    def next_after(self, moment: datetime) -> datetime:
        moment = moment.astimezone(UTC)
        start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.date()
        for _ in range(_SEARCH_DAYS):
            if day.year in self.years and day.month in self.months and self.day_rule(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
                        if candidate >= start:
                            return candidate
            day += timedelta(days=1)
        raise ScheduleExpressionError(f"{self.expression!r} never runs after {moment:%Y-%m-%d}")


def _parse_cron(expression: str, body: str) -> CronSchedule:
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleExpressionError(
            f"{expression!r}: cron needs 6 fields (minutes hours day-of-month month "
            f"day-of-week year), got {len(fields)}"
        )
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ScheduleExpressionError(
            f"{expression!r}: exactly one of day-of-month and day-of-week must be '?'"
        )
    try:
        day_rule = (
            _day_of_week_rule(day_of_week)
            if day_of_month == "?"
            else _day_of_month_rule(day_of_month)
        )
        return CronSchedule(
            expression=expression,
            minutes=_values(minutes, 0, 59, "minutes"),
            hours=_values(hours, 0, 23, "hours"),
            months=_values(month, 1, 12, "month", _MONTHS),
            years=_values(year, 1970, 2199, "year"),
            day_rule=day_rule,
        )
    except ScheduleExpressionError as exc:
        raise ScheduleExpressionError(f"{expression!r}: {exc}") from None


def parse_schedule(expression: str | ScheduleExpression) -> Schedule:
    """A ``rate(...)``/``cron(...)`` string, or a Chalice ``Rate``/``Cron``, as a schedule."""
    text = expression if isinstance(expression, str) else expression.to_string()
    text = text.strip()
    rate = _RATE.match(text)
    if rate:
        return _parse_rate(text, rate.group(1), rate.group(2))
    cron = _CRON.match(text)
    if cron:
        return _parse_cron(text, cron.group(1))
    raise ScheduleExpressionError(f"{text!r}: expected rate(...) or cron(...)")


def _expression_text(expression: str | ScheduleExpression) -> str:
    return expression if isinstance(expression, str) else expression.to_string()


def scheduled_event(
    *, rule_name: str, moment: datetime, region: str, account_id: str = ACCOUNT_ID
) -> dict[str, Any]:
    """The event EventBridge sends a target for a scheduled rule firing at ``moment``."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account_id}:rule/{rule_name}"],
        "detail": {},
    }


def schedule_sources(app: Chalice) -> list[ScheduledEventConfig]:
    return [source for source in app.event_sources if isinstance(source, ScheduledEventConfig)]


def invoke_schedule(
    app: Chalice,
    source: ScheduledEventConfig,
    moment: datetime,
    *,
    region: str,
    timeout_seconds: int = 60,
    memory_mb: int = 128,
) -> Any:
    """Call the schedule's handler with its EventBridge event; the handler's errors propagate."""
    rule_name = f"{app.app_name}-{STAGE}-{source.name}"
    event = scheduled_event(rule_name=rule_name, moment=moment, region=region)
    context = LambdaContext(
        app_name=app.app_name,
        handler_name=source.name,
        region=region,
        timeout_seconds=timeout_seconds,
        memory_limit_in_mb=memory_mb,
    )
    return app.handler_map[source.name](event, context)


def run_schedule(
    app: Chalice, name: str, *, region: str, now: datetime | None = None, **limits: int
) -> Any:
    """Run schedule ``name`` now (``python -m devstack schedule run NAME``)."""
    sources = {source.name: source for source in schedule_sources(app)}
    if name not in sources:
        known = ", ".join(sorted(sources)) or "none"
        raise KeyError(f"no schedule named {name!r} (the app has: {known})")
    return invoke_schedule(app, sources[name], now or datetime.now(UTC), region=region, **limits)


@dataclass
class PlannedRun:
    source: ScheduledEventConfig
    schedule: Schedule
    next_at: datetime

    @property
    def name(self) -> str:
        return self.source.name


class ScheduleTicker:
    """Runs each schedule of ``app`` when due; :meth:`tick` is one check, :meth:`run` loops."""

    def __init__(
        self,
        app: Chalice,
        *,
        region: str,
        started_at: datetime | None = None,
        timeout_seconds: int = 60,
        memory_mb: int = 128,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.app = app
        self.region = region
        self.timeout_seconds = timeout_seconds
        self.memory_mb = memory_mb
        self._clock = clock
        start = started_at or clock()
        self.planned = [
            PlannedRun(source, schedule, schedule.next_after(start))
            for source in schedule_sources(app)
            for schedule in [parse_schedule(source.schedule_expression)]
        ]

    def tick(self, now: datetime | None = None) -> list[str]:
        """Run every schedule due at ``now``; returns the names run. Errors are logged."""
        moment = now or self._clock()
        ran = []
        for planned in self.planned:
            if moment < planned.next_at:
                continue
            due = planned.next_at
            following = planned.schedule.next_after(due)
            if following <= moment:  # overdue by more than one period: do not replay the misses
                following = planned.schedule.next_after(moment)
            planned.next_at = following
            ran.append(planned.name)
            logger.info("schedule due", extra={"schedule": planned.name, "at": f"{due:%H:%M:%S}"})
            try:
                invoke_schedule(
                    self.app,
                    planned.source,
                    due,
                    region=self.region,
                    timeout_seconds=self.timeout_seconds,
                    memory_mb=self.memory_mb,
                )
            except Exception:
                logger.exception("schedule failed", extra={"schedule": planned.name})
        return ran

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception:
                logger.exception("schedule ticker error")


def describe_schedules(app: Chalice, now: datetime | None = None) -> list[dict[str, str]]:
    """Name, expression, description and next run (UTC) of every schedule, for ``schedule list``."""
    moment = now or datetime.now(UTC)
    rows = []
    for source in schedule_sources(app):
        text = _expression_text(source.schedule_expression)
        try:
            next_run = f"{parse_schedule(text).next_after(moment):%Y-%m-%d %H:%M} UTC"
        except ScheduleExpressionError as exc:
            next_run = f"invalid: {exc}"
        rows.append(
            {
                "name": source.name,
                "expression": text,
                "description": source.description,
                "next_run": next_run,
            }
        )
    return rows
