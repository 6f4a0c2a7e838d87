"""A unit's maintenance lines: one per component of its model's plan, made when the unit is
activated, each knowing its next due day and the day its next timer fires. Pure: no I/O.

A line waits on a **timer**: the day something must happen to it (remind the customer, remind
them again, call it overdue). Only a line with a timer is in the table's timer index, keyed by
that day and a small shard number, so the daily job reads the lines due that day and nothing
else, however many units exist (:func:`timer_key`).

The stages of one occurrence:

    waiting ──(reminder day)──▶ reminded ──(+N days, no answer)──▶ reminded_again
        ──(+N days, no answer)──▶ overdue (no timer: the manager's digest lists it)

An answer (booked, postponed, declined) or a ticket done stops or moves the timer; done makes the
next occurrence (fixed or floating rhythm) and waits again.

>>> shard_of("GAR000000019"), shard_of("GAR000000019")
(7, 7)
>>> timer_key(date(2027, 2, 21), 7)
'2027-02-21#7'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.maintenance.model import MaintenancePlan, PlanComponent
from chalicelib.maintenance.schedule import due_on, next_due, remind_on

SHARDS = 8  # a day's timers spread over this many index keys (a hot key has a write limit)


class Stage(StrEnum):
    WAITING = "waiting"  # the next reminder is on its way (timer: the reminder day)
    REMINDED = "reminded"  # the customer was told; no answer yet (timer: the second reminder)
    REMINDED_AGAIN = "reminded_again"  # told twice; no answer (timer: overdue)
    OVERDUE = "overdue"  # no timer: the manager's digest lists it until someone acts
    BOOKED = "booked"  # the customer (or the manager) picked a slot: a ticket follows


class DayPart(StrEnum):
    MORNING = "morning"  # 8:00–12:00
    AFTERNOON = "afternoon"  # 13:30–17:30


@dataclass(frozen=True)
class Booking:
    """The slot the customer (or the manager) picked for the occurrence waited for."""

    day: date
    part: DayPart
    note: str = ""


BOOKING_DAYS = 21  # a slot is picked among the next three weeks
POSTPONE_DAYS = 90  # a service is put off by at most three months
DESK_BOOKING_DAYS = 90  # the desk books a visit up to three months ahead


@dataclass(frozen=True)
class PlanLine:
    serial: str
    component: PlanComponent
    model_code: str
    plan_version: int
    anchor: date  # the activation's (or installation's) day
    occurrence: int  # the occurrence waited for now (1: the first service)
    due: date
    stage: Stage
    timer: date | None  # when the job next looks at it (None: nothing scheduled)
    reminders: int = 0  # messages sent for this occurrence
    version: int = 1
    booking: Booking | None = None

    @property
    def key(self) -> str:
        return f"{self.serial}#{self.component.code}"


def shard_of(serial: str) -> int:
    """The line's shard in the timer index: stable for a serial, spread evenly."""
    return zlib.crc32(serial.encode()) % SHARDS


def timer_key(day: date, shard: int) -> str:
    return f"{day.isoformat()}#{shard}"


def first_lines(serial: str, plan: MaintenancePlan, anchor: date) -> list[PlanLine]:
    """The unit's lines, one per component of ``plan``, anchored on ``anchor``: each waits for
    its first occurrence, its timer on the first reminder's day."""
    lines = []
    for component in plan.components:
        due = due_on(anchor, component.first_offset, component.cycle, 1)
        lines.append(
            PlanLine(
                serial=serial,
                component=component,
                model_code=plan.model_code,
                plan_version=plan.version,
                anchor=anchor,
                occurrence=1,
                due=due,
                stage=Stage.WAITING,
                timer=remind_on(due, lead_days=component.lead_days, anchor=anchor),
            )
        )
    return lines


def after_reminder(line: PlanLine, today: date, *, again_after_days: int) -> PlanLine:
    """The line once its timer fired on ``today``: reminded (a second reminder
    ``again_after_days`` later), reminded again (overdue as many days later, never before the
    due day), or overdue (no timer)."""
    later = today + timedelta(days=again_after_days)
    if line.stage is Stage.WAITING:
        stage, timer = Stage.REMINDED, later
    elif line.stage is Stage.REMINDED:
        stage, timer = Stage.REMINDED_AGAIN, max(later, line.due + timedelta(days=1))
    else:
        stage, timer = Stage.OVERDUE, None
    reminders = line.reminders + (stage is not Stage.OVERDUE)
    return replace(line, stage=stage, timer=timer, reminders=reminders, version=line.version + 1)


def book(line: PlanLine, booking: Booking, today: date, *, desk: bool = False) -> PlanLine:
    """The occurrence booked for a slot within :data:`BOOKING_DAYS` from ``today`` (tomorrow at
    the earliest; the desk may book today and as far as :data:`DESK_BOOKING_DAYS`): no timer any
    more (the ticket follows)."""
    earliest = today if desk else today + timedelta(days=1)
    latest = today + timedelta(days=DESK_BOOKING_DAYS if desk else BOOKING_DAYS)
    if not earliest <= booking.day <= latest:
        code = "maintenance_desk_slot_out_of_range" if desk else "maintenance_slot_out_of_range"
        raise Invalid(fields=[FieldError("day", code)])
    _answerable(line)
    return replace(line, stage=Stage.BOOKED, timer=None, booking=booking, version=line.version + 1)


def postpone(line: PlanLine, until: date, today: date) -> PlanLine:
    """The occurrence put off to ``until`` (after today, within :data:`POSTPONE_DAYS`): it is
    due that day and its reminders start again before it."""
    if not today < until <= today + timedelta(days=POSTPONE_DAYS):
        raise Invalid(fields=[FieldError("until", "maintenance_postpone_out_of_range")])
    _answerable(line)
    timer = max(until - timedelta(days=line.component.lead_days), today + timedelta(days=1))
    return replace(
        line, due=until, stage=Stage.WAITING, timer=timer, reminders=0, booking=None,
        version=line.version + 1,
    )  # fmt: skip


def decline(line: PlanLine, today: date) -> PlanLine:
    """This occurrence declined: the line waits for the next one (the anchor's rhythm, or one
    cycle from today for a floating line)."""
    _answerable(line)
    component = line.component
    due = next_due(
        component.rhythm, line.anchor, component.first_offset, component.cycle,
        line.occurrence, done_on=today,
    )  # fmt: skip
    return _next(line, due, today)


def visited(line: PlanLine, occurrence: int, done_on: date, today: date) -> PlanLine | None:
    """The line once the visit for ``occurrence`` was done on ``done_on``: it waits for the next
    occurrence (a floating line one cycle from the visit). ``None`` when the line is past that
    occurrence already (the ticket's completion seen twice: nothing to move)."""
    if line.occurrence != occurrence:
        return None
    component = line.component
    due = next_due(
        component.rhythm, line.anchor, component.first_offset, component.cycle,
        line.occurrence, done_on=done_on,
    )  # fmt: skip
    return _next(line, due, today)


def reopened(line: PlanLine, occurrence: int, today: date) -> PlanLine | None:
    """The line once the ticket booked for ``occurrence`` was cancelled: the visit is open
    again, overdue when its day is past (the digest lists it), else waiting for its reminder
    (tomorrow at the earliest). ``None`` when the line no longer waits for that booking."""
    if line.occurrence != occurrence or line.stage is not Stage.BOOKED:
        return None
    if line.due <= today:
        return replace(
            line, stage=Stage.OVERDUE, timer=None, booking=None, version=line.version + 1
        )
    timer = max(line.due - timedelta(days=line.component.lead_days), today + timedelta(days=1))
    return replace(
        line, stage=Stage.WAITING, timer=timer, reminders=0, booking=None, version=line.version + 1
    )


def rebooked(line: PlanLine, occurrence: int, booking: Booking) -> PlanLine | None:
    """The line once the ticket booked for ``occurrence`` moved to another slot (``None`` when
    the line no longer waits for that booking)."""
    if line.occurrence != occurrence or line.stage is not Stage.BOOKED:
        return None
    return replace(line, booking=booking, version=line.version + 1)


def _next(line: PlanLine, due: date, today: date) -> PlanLine:
    """The next occurrence, due on ``due``; its reminder's timer tomorrow at the earliest (the
    daily job never reads a day it has done)."""
    timer = max(
        remind_on(due, lead_days=line.component.lead_days, anchor=line.anchor),
        today + timedelta(days=1),
    )
    return replace(
        line, occurrence=line.occurrence + 1, due=due, stage=Stage.WAITING, timer=timer,
        reminders=0, booking=None, version=line.version + 1,
    )  # fmt: skip


def _answerable(line: PlanLine) -> None:
    if line.stage is Stage.BOOKED:
        raise Conflict("maintenance_already_booked")


def message_kind(stage: Stage) -> str | None:
    """The customer's message when a line moves into ``stage`` (``None``: no message)."""
    return {
        Stage.REMINDED: "maintenance_due",
        Stage.REMINDED_AGAIN: "maintenance_due_again",
    }.get(stage)
