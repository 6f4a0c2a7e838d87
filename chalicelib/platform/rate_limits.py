"""Counters in ``rate_limits``, each hit one conditional ``ADD`` (refused at the limit, nothing
counted then), expired by TTL.

- :meth:`RateLimits.hit`: a fixed window (the bucket names it), for limits counted inside
  another transaction (OTP sends: per hour).
- :meth:`RateLimits.hit_sliding`: a sliding window, estimated from two fixed buckets weighted
  by how much of the previous one still overlaps the last ``window``: at 15 s into a minute,
  ``estimate = previous × 45/60 + current``. A fixed minute lets 2 × limit through across a
  boundary (30 at 10:00:59.5, 30 more at 10:01:00.5); the weighted window does not. The
  previous bucket is closed, so reading it races with nothing; the hit itself is one conditional
  write on the client's own bucket (no hot item shared by clients, no scan).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.platform.dynamodb import is_condition_failure
from chalicelib.platform.tables import RateLimitRecord

RETENTION = timedelta(hours=1)  # kept a little past the window, for a person looking
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


class RateLimits:
    def hit(self, bucket: str, *, limit: int, window_ends: datetime) -> bool:
        """Count one hit in ``bucket``; ``False`` (and nothing counted) when it is full."""
        return self._add(bucket, below=limit, expires=window_ends + RETENTION)

    def hit_sliding(self, key: str, *, limit: int, window: timedelta, now: datetime) -> int | None:
        """Count one hit for ``key`` if fewer than ``limit`` fall in the ``window`` before
        ``now`` (the weighted estimate, see the module doc): ``None``. Else nothing is counted
        and the answer is the seconds to wait, rounded up, after which one hit passes if the
        client sent nothing more (``Retry-After``)."""
        size = window // _MS
        at = (now - _EPOCH) // _MS
        index, elapsed = divmod(at, size)
        previous = self._count(f"{key}#{index - 1}")
        allowance = (limit * size - previous * (size - elapsed)) // size
        current_bucket = f"{key}#{index}"
        ends = _EPOCH + (index + 2) * window  # read as "previous" through the next window
        if allowance > 0 and self._add(current_bucket, below=allowance, expires=ends + RETENTION):
            return None
        current = self._count(current_bucket)
        wait = sliding_wait(limit, size, elapsed, previous, current)
        return max(1, -(-wait // 1000))

    def _add(self, bucket: str, *, below: int, expires: datetime) -> bool:
        try:
            RateLimitRecord(bucket).update(
                actions=[RateLimitRecord.hits.add(1), RateLimitRecord.expires.set(expires)],
                condition=RateLimitRecord.hits.does_not_exist() | (RateLimitRecord.hits < below),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    @staticmethod
    def _count(bucket: str) -> int:
        try:
            return int(RateLimitRecord.get(bucket, consistent_read=True).hits)
        except DoesNotExist:
            return 0


def sliding_wait(limit: int, size: int, elapsed: int, previous: int, current: int) -> int:
    """Milliseconds from ``elapsed`` (into a window of ``size`` ms) until one more hit fits,
    given the hits of the previous and the current window and none after.

    >>> sliding_wait(30, 60_000, 30_500, 0, 30)  # 30 at :30.5 → the next minute, at :60 + 2 s
    31500
    >>> sliding_wait(30, 60_000, 500, 30, 0)  # 30 just before the boundary → at :02
    1500
    """
    room = limit - current - 1
    if room >= 0:
        if previous == 0:
            return 0
        fits_at = max(size - (room * size) // previous, elapsed)
        if fits_at < size:
            return fits_at - elapsed
    room = limit - 1  # the next window: the current becomes the previous
    fits_at = max(size - (room * size) // current, 0) if current else 0
    return size - elapsed + fits_at
