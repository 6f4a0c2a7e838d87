"""Sortable ids: a prefix, then 26 Crockford base32 characters in a ULID's layout (48 bits of
milliseconds, 80 random bits), so ids sort by creation time.

>>> from datetime import UTC, datetime
>>> new_id("d_", datetime(2026, 1, 1, tzinfo=UTC))[:12]
'd_01kdvdna00'
>>> len(new_id("sc_"))
29
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
BODY = "[0-9a-hjkmnp-tv-z]{26}"  # the 26 characters after the prefix, as a pattern


def new_id(prefix: str, now: datetime | None = None) -> str:
    """``prefix`` + 26 lower-case Crockford base32 characters."""
    millis = int((now.timestamp() if now else time.time()) * 1000) & (2**48 - 1)
    value = (millis << 80) | secrets.randbits(80)
    return prefix + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def id_pattern(prefix: str) -> re.Pattern[str]:
    """What :func:`new_id` makes with ``prefix`` (checked before any read of an id)."""
    return re.compile(re.escape(prefix) + BODY)
