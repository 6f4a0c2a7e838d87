"""The devstack's schedule expressions, ticker and ``schedule run`` against a small Chalice app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.app import Chalice, CloudWatchEvent, Cron, Rate

from devstack.schedules import (
    ScheduleExpressionError,
    ScheduleTicker,
    describe_schedules,
    parse_schedule,
    run_schedule,
)

REGION = "ap-southeast-1"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(5 minutes)", 300),
        ("rate(1 minute)", 60),
        ("rate(1 hour)", 3600),
        ("rate(2 days)", 172800),
        (Rate(15, unit=Rate.MINUTES), 900),
        (Rate(1, unit=Rate.HOURS), 3600),
    ],
)
def test_rate_expressions_parse_to_their_interval(expression: Any, seconds: int) -> None:
    schedule = parse_schedule(expression)
    start = at("2026-05-01T10:00:00")
    assert schedule.next_after(start) == start + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("cron(0 1 * * ? *)", "2026-05-01T00:30", "2026-05-01T01:00"),
        ("cron(0 1 * * ? *)", "2026-05-01T01:00", "2026-05-02T01:00"),
        ("cron(0/15 * * * ? *)", "2026-05-01T10:07", "2026-05-01T10:15"),
        ("cron(*/20 8-9 * * ? *)", "2026-05-01T09:45", "2026-05-02T08:00"),
        ("cron(0 9 ? * MON-FRI *)", "2026-05-02T12:00", "2026-05-04T09:00"),  # Sat → Mon
        ("cron(30 7 ? * 2,4 *)", "2026-05-04T08:00", "2026-05-06T07:30"),  # Mon → Wed
        ("cron(0 8 L * ? *)", "2026-02-10T00:00", "2026-02-28T08:00"),
        ("cron(0 10 ? * 2#1 *)", "2026-05-05T00:00", "2026-06-01T10:00"),  # first Monday
        ("cron(0 10 ? * 6L *)", "2026-05-01T00:00", "2026-05-29T10:00"),  # last Friday
        ("cron(0 12 15W * ? *)", "2026-08-01T00:00", "2026-08-14T12:00"),  # 15th is Sat
        ("cron(0 0 1 JAN ? 2027)", "2026-05-01T00:00", "2027-01-01T00:00"),
        ("cron(0 22 ? * FRI-MON *)", "2026-05-05T00:00", "2026-05-08T22:00"),  # wraps
    ],
)
def test_cron_expressions_find_the_next_run_in_utc(
    expression: str, after: str, expected: str
) -> None:
    assert parse_schedule(expression).next_after(at(after)) == at(expected)


def test_a_chalice_cron_object_parses_like_its_string() -> None:
    schedule = parse_schedule(Cron(0, 1, "*", "*", "?", "*"))
    assert schedule.expression == "cron(0 1 * * ? *)"
    assert schedule.next_after(at("2026-05-01T02:00")) == at("2026-05-02T01:00")


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(0 minutes)",
        "rate(2 weeks)",
        "cron(0 1 * * * *)",  # neither day field is '?'
        "cron(0 1 ? * ? *)",  # both are
        "cron(0 1 * * ?)",  # five fields
        "cron(61 1 * * ? *)",
        "cron(0 1 * FOO ? *)",
        "every day",
    ],
)
def test_expressions_eventbridge_rejects_are_rejected(expression: str) -> None:
    with pytest.raises(ScheduleExpressionError):
        parse_schedule(expression)


def make_app(received: list[tuple[CloudWatchEvent, Any]]) -> Chalice:
    app = Chalice(app_name="devstack-test")

    @app.schedule("rate(1 minute)", description="every minute")
    def send_reminders(event: CloudWatchEvent) -> dict[str, int]:
        received.append((event, event.context))
        return {"sent": 3}

    @app.schedule(Cron(0, 1, "*", "*", "?", "*"))
    def roll_up_reports(event: CloudWatchEvent) -> None:
        received.append((event, event.context))

    return app


def test_the_ticker_runs_a_schedule_when_due_with_an_eventbridge_event() -> None:
    received: list[tuple[CloudWatchEvent, Any]] = []
    started = at("2026-05-01T10:00:00")
    ticker = ScheduleTicker(make_app(received), region=REGION, started_at=started)

    assert ticker.tick(started + timedelta(seconds=30)) == []
    assert ticker.tick(started + timedelta(seconds=60)) == ["send_reminders"]
    assert ticker.tick(started + timedelta(seconds=61)) == []
    assert ticker.tick(started + timedelta(seconds=121)) == ["send_reminders"]

    event, context = received[0]
    assert event.detail_type == "Scheduled Event"
    assert event.source == "aws.events"
    assert event.region == REGION
    assert event.time == "2026-05-01T10:01:00Z"
    assert event.resources == [
        f"arn:aws:events:{REGION}:123456789012:rule/devstack-test-local-send_reminders"
    ]
    assert event.detail == {}
    assert event.to_dict()["version"] == "0"
    assert context.function_name == "devstack-test-local-send_reminders"


def test_an_overdue_schedule_runs_once_and_does_not_replay_missed_runs() -> None:
    received: list[tuple[CloudWatchEvent, Any]] = []
    started = at("2026-05-01T10:00:00")
    ticker = ScheduleTicker(make_app(received), region=REGION, started_at=started)

    assert ticker.tick(started + timedelta(minutes=10, seconds=5)) == ["send_reminders"]
    assert ticker.tick(started + timedelta(minutes=10, seconds=6)) == []
    (planned,) = [p for p in ticker.planned if p.name == "send_reminders"]
    assert planned.next_at == started + timedelta(minutes=11, seconds=5)


def test_the_ticker_keeps_going_when_a_schedule_raises() -> None:
    app = Chalice(app_name="devstack-test")

    @app.schedule("rate(1 minute)")
    def broken(event: CloudWatchEvent) -> None:
        raise RuntimeError("boom")

    started = at("2026-05-01T10:00:00")
    ticker = ScheduleTicker(app, region=REGION, started_at=started)
    assert ticker.tick(started + timedelta(minutes=1)) == ["broken"]
    assert ticker.tick(started + timedelta(minutes=2)) == ["broken"]


def test_schedule_run_calls_the_named_schedule_now() -> None:
    received: list[tuple[CloudWatchEvent, Any]] = []
    app = make_app(received)

    result = run_schedule(app, "send_reminders", region=REGION, now=at("2026-05-01T10:00:07"))

    assert result == {"sent": 3}
    ((event, _),) = received
    assert event.time == "2026-05-01T10:00:07Z"


def test_schedule_run_of_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="roll_up_reports, send_reminders"):
        run_schedule(make_app([]), "nope", region=REGION)


def test_schedule_list_describes_each_schedule_with_its_next_run() -> None:
    rows = describe_schedules(make_app([]), now=at("2026-05-01T10:00:00"))
    assert rows == [
        {
            "name": "send_reminders",
            "expression": "rate(1 minute)",
            "description": "every minute",
            "next_run": "2026-05-01 10:01 UTC",
        },
        {
            "name": "roll_up_reports",
            "expression": "cron(0 1 * * ? *)",
            "description": "",
            "next_run": "2026-05-02 01:00 UTC",
        },
    ]


def test_a_ticker_for_an_app_without_schedules_does_nothing() -> None:
    ticker = ScheduleTicker(Chalice(app_name="empty"), region=REGION)
    assert ticker.planned == []
    assert ticker.tick() == []
