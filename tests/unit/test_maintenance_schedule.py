"""Maintenance due days as tables: calendar months over month ends and leap years (28, 29, 30,
31 days), day cycles, a first service offset from the anchor, fixed rhythms that never drift
and floating ones that follow the service actually done, and the reminder's day."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.maintenance.schedule import (
    Cycle,
    Rhythm,
    due_on,
    next_due,
    parse_cycle,
    remind_on,
)

MONTHLY, QUARTERLY, YEARLY = Cycle(months=1), Cycle(months=3), Cycle(months=12)


@pytest.mark.parametrize(
    ("anchor", "cycle", "expected"),
    [
        # the 31st: clamped to each shorter month, back to the 31st when the month has one
        (date(2027, 1, 31), MONTHLY, ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]),
        # a leap year's February has a 29th
        (date(2028, 1, 31), MONTHLY, ["2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"]),
        (date(2028, 1, 29), MONTHLY, ["2028-02-29", "2028-03-29", "2028-04-29", "2028-05-29"]),
        (date(2027, 1, 29), MONTHLY, ["2027-02-28", "2027-03-29", "2027-04-29", "2027-05-29"]),
        # the 30th over February
        (date(2027, 1, 30), MONTHLY, ["2027-02-28", "2027-03-30", "2027-04-30", "2027-05-30"]),
        # over a year's end
        (date(2026, 11, 30), MONTHLY, ["2026-12-30", "2027-01-30", "2027-02-28", "2027-03-30"]),
        # quarterly from the 31st of a month followed by shorter quarters
        (date(2026, 8, 31), QUARTERLY, ["2026-11-30", "2027-02-28", "2027-05-31", "2027-08-31"]),
        # yearly from a leap day: 28 February in common years, 29 in the next leap year
        (date(2028, 2, 29), YEARLY, ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]),
        # days are days: 90 of them, whatever the months
        (
            date(2027, 1, 31),
            Cycle(days=90),
            ["2027-05-01", "2027-07-30", "2027-10-28", "2028-01-26"],
        ),
    ],
)
def test_a_fixed_rhythm_counts_every_due_day_from_the_anchor(
    anchor: date, cycle: Cycle, expected: list[str]
) -> None:
    days = [due_on(anchor, cycle, cycle, n).isoformat() for n in range(1, len(expected) + 1)]

    assert days == expected


@pytest.mark.parametrize(
    ("anchor", "first_offset", "cycle", "expected"),
    [
        # first service one week after installation, then monthly from that day
        (date(2027, 1, 24), Cycle(days=7), MONTHLY, ["2027-01-31", "2027-02-28", "2027-03-31"]),
        # first service after 6 months, then every 3
        (date(2026, 8, 31), Cycle(months=6), QUARTERLY, ["2027-02-28", "2027-05-31", "2027-08-31"]),
        # first after 2 months, then yearly
        (date(2027, 12, 31), Cycle(months=2), YEARLY, ["2028-02-29", "2029-02-28", "2030-02-28"]),
    ],
)
def test_the_first_service_can_fall_at_its_own_offset(
    anchor: date, first_offset: Cycle, cycle: Cycle, expected: list[str]
) -> None:
    days = [due_on(anchor, first_offset, cycle, n).isoformat() for n in range(1, 4)]

    assert days == expected


@pytest.mark.parametrize(
    ("rhythm", "done_on", "expected"),
    [
        # done late (5 March for the 28 February service): fixed stays on the 31st's rhythm
        (Rhythm.FIXED, date(2027, 3, 5), date(2027, 3, 31)),
        (Rhythm.FLOATING, date(2027, 3, 5), date(2027, 4, 5)),
        # done early (20 February): fixed still 31 March; floating one month after the service
        (Rhythm.FIXED, date(2027, 2, 20), date(2027, 3, 31)),
        (Rhythm.FLOATING, date(2027, 2, 20), date(2027, 3, 20)),
        # a floating service on 31 March: next on 30 April (clamped), not 1 May
        (Rhythm.FLOATING, date(2027, 3, 31), date(2027, 4, 30)),
    ],
)
def test_fixed_keeps_the_anchor_s_rhythm_and_floating_follows_the_service(
    rhythm: Rhythm, done_on: date, expected: date
) -> None:
    # the first service of a monthly plan anchored on 31 January was due on 28 February
    assert next_due(rhythm, date(2027, 1, 31), MONTHLY, MONTHLY, 1, done_on=done_on) == expected


@pytest.mark.parametrize(
    ("due", "lead_days", "anchor", "expected"),
    [
        (date(2027, 3, 1), 7, date(2027, 1, 1), date(2027, 2, 22)),  # over February's end
        (date(2028, 3, 1), 7, date(2028, 1, 1), date(2028, 2, 23)),  # a leap year's February
        (date(2027, 1, 8), 14, date(2027, 1, 1), date(2027, 1, 1)),  # never before the anchor
        (date(2027, 1, 8), 0, date(2027, 1, 1), date(2027, 1, 8)),  # on the day itself
    ],
)
def test_the_reminder_goes_its_lead_days_before_the_due_day(
    due: date, lead_days: int, anchor: date, expected: date
) -> None:
    assert remind_on(due, lead_days=lead_days, anchor=anchor) == expected


@pytest.mark.parametrize(
    ("months", "days"),
    [(0, 0), (1, 30), (None, None), (-1, 0), (0, -5), (121, 0), (0, 3661)],
)
def test_a_cycle_is_months_or_days_within_bounds(months: int | None, days: int | None) -> None:
    with pytest.raises(Invalid) as refused:
        parse_cycle(months, days, field="components.0.cycle")

    assert [(e.field, e.code) for e in refused.value.fields] == [
        ("components.0.cycle", "maintenance_cycle_invalid")
    ]


def test_a_cycle_reads_as_it_was_given() -> None:
    assert (str(parse_cycle(3, None, field="c")), str(parse_cycle(None, 45, field="c"))) == (
        "3m",
        "45d",
    )
    with pytest.raises(ValueError):
        due_on(date(2027, 1, 1), MONTHLY, MONTHLY, 0)
