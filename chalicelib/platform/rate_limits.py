"""Fixed-window counters in ``rate_limits``: one conditional ``ADD`` per hit, refused at the
limit (nothing counted then), expired by TTL after the window."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from chalicelib.platform.dynamodb import is_condition_failure
from chalicelib.platform.tables import RateLimitRecord

RETENTION = timedelta(hours=1)  # kept a little past the window, for a person looking


class RateLimits:
    def hit(self, bucket: str, *, limit: int, window_ends: datetime) -> bool:
        """Count one hit in ``bucket``; ``False`` (and nothing counted) when it is full."""
        try:
            RateLimitRecord(bucket).update(
                actions=[
                    RateLimitRecord.hits.add(1),
                    RateLimitRecord.expires.set(window_ends + RETENTION),
                ],
                condition=RateLimitRecord.hits.does_not_exist() | (RateLimitRecord.hits < limit),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
