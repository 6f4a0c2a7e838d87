"""A per-provider circuit breaker (docs/reference/figures.md: 5 consecutive failures → open for 60 s
→ fall back ZNS → SMS). Pure: the caller passes the time. One per container: a Lambda that keeps
timing out on ZNS stops queueing customers behind it, without coordinating with the others.

>>> from datetime import datetime, timedelta, timezone
>>> t = datetime(2026, 11, 23, tzinfo=timezone.utc)
>>> breaker = CircuitBreaker(threshold=2, open_for=timedelta(seconds=60))
>>> breaker.record_failure(t); breaker.is_open(t)
False
>>> breaker.record_failure(t); breaker.is_open(t), breaker.is_open(t + timedelta(seconds=61))
(True, False)
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

THRESHOLD = 5
OPEN_FOR = timedelta(seconds=60)


class CircuitBreaker:
    def __init__(self, *, threshold: int = THRESHOLD, open_for: timedelta = OPEN_FOR) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self._threshold = threshold
        self._open_for = open_for
        self._failures = 0
        self._open_until: datetime | None = None
        self._lock = threading.Lock()

    def is_open(self, now: datetime) -> bool:
        """Open: the provider failed ``threshold`` times in a row less than ``open_for`` ago.
        Once the time is up the next send is a trial: a failure opens it again at once."""
        with self._lock:
            return self._open_until is not None and now < self._open_until

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = None

    def record_failure(self, now: datetime) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self._threshold:
                self._open_until = now + self._open_for
