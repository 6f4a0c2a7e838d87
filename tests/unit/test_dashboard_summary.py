"""The dashboard's summary and counting rules, with in-memory counters (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from chalicelib.dashboard.counters import (
    CountedEvent,
    activation_counters,
    message_counters,
    tally,
)
from chalicelib.dashboard.summary import active_jobs, last_days, summarize
from chalicelib.platform.rollups import chunks

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


class InMemoryCounters:
    def __init__(self, events: Sequence[CountedEvent]) -> None:
        self._days = tally(events)
        self.asked: list[list[date]] = []

    def days(self, days: Sequence[date]) -> dict[date, dict[str, int]]:
        self.asked.append(list(days))
        return {day: dict(self._days.get(day, {})) for day in days}


def activation(n: int, days_ago: int, model: str = "AC-9", channel: str = "web") -> CountedEvent:
    return CountedEvent(
        f"a{n}", TODAY - timedelta(days=days_ago), activation_counters(model, channel)
    )


def test_the_summary_adds_today_the_week_and_the_month_from_30_day_items() -> None:
    counters = InMemoryCounters(
        [
            activation(1, 0, "AC-9", "web"),
            activation(2, 0, "LOCK-1", "sms"),
            activation(3, 6, "LOCK-1", "zalo"),
            activation(4, 7, "LOCK-1", "web"),
            activation(5, 29, "MW-2", "web"),
            activation(6, 30, "MW-2", "web"),  # a day too old: not read, not counted
            CountedEvent("m1", TODAY, message_counters("delivered", "zns")),
            CountedEvent("m2", TODAY, message_counters("failed", "")),
            CountedEvent("m3", TODAY - timedelta(days=1), message_counters("failed", "sms")),
        ]
    )

    summary = summarize(
        TODAY, counters=counters, spent_today_vnd=Decimal(900), cap_vnd=None, label_jobs=[]
    )

    assert counters.asked == [last_days(TODAY)]
    assert len(counters.asked[0]) == 30 and counters.asked[0][-1] == TODAY
    assert (summary.activations_today, summary.activations_7_days) == (2, 3)
    assert summary.activations_30_days == 5
    assert summary.by_day[-1] == (TODAY, 2) and summary.by_day[0] == (TODAY - timedelta(29), 1)
    assert summary.by_model == [("LOCK-1", 3), ("AC-9", 1), ("MW-2", 1)]
    assert summary.by_channel == [("web", 3), ("sms", 1), ("zalo", 1)]
    assert summary.messages_today == {"delivered": 1, "failed": 1}
    assert summary.messages_by_channel == {
        "zns": {"delivered": 1, "failed": 0},
        "none": {"delivered": 0, "failed": 1},
    }


@dataclass(frozen=True)
class Job:
    job_id: str
    status: str
    total: int = 10
    done: int = 0
    created_at: datetime = NOW
    is_stalled: bool = False

    def stalled(self, now: datetime) -> bool:
        return self.is_stalled


def test_label_jobs_running_are_the_queued_and_running_ones_not_a_stalled_run() -> None:
    jobs = [
        Job("j1", "running", done=4),
        Job("j2", "queued"),
        Job("j3", "done", done=10),
        Job("j4", "failed"),
        Job("j5", "running", is_stalled=True),
    ]

    assert [(j.job_id, j.status, j.done) for j in active_jobs(jobs, NOW)] == [
        ("j1", "running", 4),
        ("j2", "queued", 0),
    ]


def test_a_batch_is_one_increment_per_counter_and_day_in_transactions_of_at_most_100_items() -> (
    None
):
    events = [activation(n, n % 4) for n in range(300)]

    groups = chunks(events, 100)

    assert [e for g in groups for e in g] == events  # in order, none lost
    assert all(len(g) + len({e.day for e in g}) <= 100 for g in groups)
    assert tally(events)[TODAY]["activations"] == 75
