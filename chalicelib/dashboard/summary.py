"""The console's dashboard from the daily counters: activations today, in 7 and 30 days, by
day, model and channel; today's messages; today's spend against the cap; label jobs running.

Takes its ports as parameters. Every read is bounded by the days shown, never by the units:
the 30 day items (one batch read), the spend counter, the newest label jobs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from chalicelib.dashboard.counters import (
    ACTIVATIONS,
    CHANNEL_PREFIX,
    DELIVERED,
    FAILED,
    MESSAGE_OUTCOMES,
    MODEL_PREFIX,
)

DAYS = 30
WEEK = 7
LABEL_JOBS_LOOKED_AT = 20  # the newest jobs; older ones are done or stalled
_ACTIVE_JOBS = ("queued", "running")


class DailyCounters(Protocol):
    def days(self, days: Sequence[date]) -> dict[date, dict[str, int]]: ...


class LabelJobLike(Protocol):
    @property
    def job_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def done(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    def stalled(self, now: datetime) -> bool: ...


@dataclass(frozen=True)
class ActiveJob:
    job_id: str
    status: str
    done: int
    total: int
    created_at: datetime


@dataclass(frozen=True)
class Summary:
    today: date
    activations_today: int
    activations_7_days: int
    activations_30_days: int
    by_day: list[tuple[date, int]]  # the 30 days, oldest first
    by_model: list[tuple[str, int]]  # over the 30 days, most first
    by_channel: list[tuple[str, int]]
    messages_today: dict[str, int]  # delivered, failed
    messages_by_channel: dict[str, dict[str, int]]  # channel → delivered, failed
    spent_today_vnd: Decimal
    cap_vnd: Decimal | None
    label_jobs: list[ActiveJob]


def last_days(today: date, count: int = DAYS) -> list[date]:
    """``count`` days ending with ``today``, oldest first."""
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def _by_prefix(counters: Counter[str], prefix: str) -> list[tuple[str, int]]:
    found = [(name[len(prefix) :], n) for name, n in counters.items() if name.startswith(prefix)]
    return sorted((item for item in found if item[1]), key=lambda item: (-item[1], item[0]))


def _messages(day: Mapping[str, int]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    totals = {outcome: day.get(f"messages#{outcome}", 0) for outcome in MESSAGE_OUTCOMES}
    channels: dict[str, dict[str, int]] = {}
    for outcome in MESSAGE_OUTCOMES:
        prefix = f"messages#{outcome}#"
        for name, n in day.items():
            if name.startswith(prefix):
                channel = channels.setdefault(name[len(prefix) :], {DELIVERED: 0, FAILED: 0})
                channel[outcome] = n
    return totals, channels


def active_jobs(jobs: Sequence[LabelJobLike], now: datetime) -> list[ActiveJob]:
    """Queued and running jobs among ``jobs`` (newest first), a stalled run left out."""
    return [
        ActiveJob(job.job_id, str(job.status), job.done, job.total, job.created_at)
        for job in jobs
        if str(job.status) in _ACTIVE_JOBS and not job.stalled(now)
    ]


def summarize(
    today: date,
    *,
    counters: DailyCounters,
    spent_today_vnd: Decimal,
    cap_vnd: Decimal | None,
    label_jobs: list[ActiveJob],
) -> Summary:
    """The dashboard for ``today`` (the Vietnamese day) from the last 30 days' counters."""
    days = last_days(today)
    found = counters.days(days)
    per_day = [(day, found[day].get(ACTIVATIONS, 0)) for day in days]
    month: Counter[str] = Counter()
    for day in days:
        month.update(found[day])
    messages, by_channel = _messages(found[today])
    return Summary(
        today=today,
        activations_today=per_day[-1][1],
        activations_7_days=sum(n for _, n in per_day[-WEEK:]),
        activations_30_days=sum(n for _, n in per_day),
        by_day=per_day,
        by_model=_by_prefix(month, MODEL_PREFIX),
        by_channel=_by_prefix(month, CHANNEL_PREFIX),
        messages_today=messages,
        messages_by_channel=by_channel,
        spent_today_vnd=spent_today_vnd,
        cap_vnd=cap_vnd,
        label_jobs=label_jobs,
    )
