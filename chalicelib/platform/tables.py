"""Shared tables: rate-limit and spend counters, bumped in the limited action's own transaction."""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class RateLimitRecord(Model):
    """Key: ``bucket`` (what is counted, HMAC'd, plus the clock hour). Fixed-window counters,
    bumped inside the transaction of the action they limit; ``expires`` is the TTL."""

    class Meta(TableMeta):
        table_name = _settings.table_name("rate_limits")

    bucket = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires = TTLAttribute()
