"""One-time codes for lookup by phone: rules only, storage lives in a repository.

Figures (docs/reference/figures.md): 6 digits from a CSPRNG, valid 5 minutes, 5 verification
attempts, resend after 60 s, at most 3 codes per phone per 15 minutes; against SMS pumping, at most
10 codes per client IP and 20 per number prefix (the number without its last 4 digits) per clock
hour. Codes are stored as an HMAC under a pepper, never in clear, and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
SEND_WINDOW = timedelta(minutes=15)
MAX_SENDS_PER_WINDOW = 3
SENDS_PER_IP_PER_HOUR = 10
SENDS_PER_PREFIX_PER_HOUR = 20


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(pepper: bytes, phone_key: str, code: str) -> str:
    return hmac.new(pepper, f"otp|{phone_key}|{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class OtpState:
    """The one stored challenge for a phone, plus its recent send times."""

    phone_key: str
    code_hash: str
    issued_at: datetime
    expires_at: datetime
    attempts: int
    used: bool
    sends: tuple[datetime, ...]
    version: int


def recent_sends(state: OtpState | None, now: datetime) -> tuple[datetime, ...]:
    if state is None:
        return ()
    return tuple(sent for sent in state.sends if now - sent < SEND_WINDOW)


def send_refusal(state: OtpState | None, now: datetime) -> tuple[str, int] | None:
    """``(code, retry_after_seconds)`` when a new code may not be sent now, else ``None``."""
    sends = recent_sends(state, now)
    if state is not None and now - state.issued_at < RESEND_AFTER:
        wait = RESEND_AFTER - (now - state.issued_at)
        return "otp_resend_too_soon", max(int(wait.total_seconds()) + 1, 1)
    if len(sends) >= MAX_SENDS_PER_WINDOW:
        wait = SEND_WINDOW - (now - min(sends))
        return "otp_send_limit", max(int(wait.total_seconds()) + 1, 1)
    return None


def verification_refusal(state: OtpState | None, now: datetime) -> str | None:
    """Why a submitted code cannot be checked at all (before comparing it)."""
    if state is None or state.used:
        return "otp_invalid"
    if now >= state.expires_at:
        return "otp_expired"
    if state.attempts >= MAX_ATTEMPTS:
        return "otp_attempts_exhausted"
    return None


@dataclass(frozen=True)
class SendQuota:
    """One fixed-window counter a code send must fit in: ``bucket`` names counter and hour."""

    bucket: str
    limit: int
    refusal: str  # the error code when the window is full
    window_ends: datetime


def send_quotas(phone: str, client_ip: str, now: datetime, pepper: bytes) -> tuple[SendQuota, ...]:
    """The per-IP and per-prefix windows of a send (keys are HMACs: no IP or number in them).

    >>> [q.refusal for q in send_quotas("+84912345678", "203.0.113.9", datetime(2026, 1, 1), b"p")]
    ['otp_ip_limit', 'otp_prefix_limit']
    """
    hour = now.replace(minute=0, second=0, microsecond=0)
    ends = hour + timedelta(hours=1)
    tag = f"{hour:%Y%m%d%H}"

    def key(kind: str, value: str) -> str:
        digest = hmac.new(pepper, f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()
        return f"otp-{kind}#{digest[:32]}#{tag}"

    return (
        SendQuota(key("ip", client_ip), SENDS_PER_IP_PER_HOUR, "otp_ip_limit", ends),
        SendQuota(key("prefix", phone[:-4]), SENDS_PER_PREFIX_PER_HOUR, "otp_prefix_limit", ends),
    )
