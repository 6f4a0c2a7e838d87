"""The public routes' limit per client: at most ``limit`` requests of one kind per client IP in
any minute (a sliding window: not twice that across a clock minute). The IP is kept only as an
HMAC under the pepper. ``Retry-After`` is rounded up: a client that waits that long gets
through."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from chalice.app import Request

from chalicelib.core.errors import TooManyRequests
from chalicelib.platform.rate_limits import RateLimits

MINUTE = timedelta(minutes=1)
LOOKUPS_PER_MINUTE = 30  # per client IP (docs/reference/figures.md: 30 serial/QR look-ups a minute)


def throttle(
    request: Request,
    kind: str,
    *,
    pepper: bytes,
    limits: RateLimits,
    refusal: str = "lookup_rate_limited",
    limit: int = LOOKUPS_PER_MINUTE,
) -> None:
    """One hit of ``kind`` for the request's client; ``TooManyRequests(refusal)`` past the
    limit."""
    identity = (request.context or {}).get("identity") or {}
    client = hmac.new(
        pepper,
        str(identity.get("sourceIp") or "unknown").encode(),
        "sha256",
    ).hexdigest()[:32]
    retry_after = limits.hit_sliding(
        f"{kind}#{client}", limit=limit, window=MINUTE, now=datetime.now(UTC)
    )
    if retry_after is not None:
        raise TooManyRequests(refusal, retry_after=retry_after)
