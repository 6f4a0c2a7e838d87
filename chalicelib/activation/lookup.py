"""Lookup by phone: a one-time code to the phone, then a short-lived lookup token that lists
that phone's units. No phone-only lookup without the code (OWASP API1)."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from chalicelib.activation import otp
from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.core.errors import Conflict, Forbidden, TooManyRequests, Unauthorized
from chalicelib.core.observability import logger
from chalicelib.core.phone import log_safe, phone_key

if TYPE_CHECKING:
    from chalicelib.outbox.model import OutboundMessage

LOOKUP_TOKEN_LIFETIME = timedelta(minutes=15)
_TOKEN_AUDIENCE = "garanti:lookup"

# What a code proves: look-up opens "my products"; activation proves the phone it names (a
# brand's setting); partner signs an installer partner up or in (chalicelib/partners). Each has
# its own challenge per phone, so no code opens another purpose.
CodePurpose = Literal["lookup", "activation", "partner"]
_CODE_KINDS: dict[str, str] = {
    "lookup": "lookup_code",
    "activation": "activation_code",
    "partner": "partner_code",
}
# an activation's refusal: 403 with the reason (the look-up's are 401: no token is at stake)
_PHONE_CODE_REFUSALS = {
    "otp_invalid": "phone_code_invalid",
    "otp_expired": "phone_code_expired",
    "otp_attempts_exhausted": "phone_code_attempts_exhausted",
    "otp_wrong_code": "phone_code_wrong",
}


class OtpStore(Protocol):
    def get(self, phone_key: str, now: datetime) -> otp.OtpState | None: ...
    def issue(
        self,
        state: otp.OtpState,
        previous_version: int | None,
        message: OutboundMessage,
        quotas: Sequence[otp.SendQuota] = (),
    ) -> None: ...
    def record_failed_attempt(self, state: otp.OtpState, max_attempts: int) -> None: ...
    def consume(self, state: otp.OtpState, code_hash: str, max_attempts: int) -> bool: ...


class OwnerUnits(Protocol):
    def list_by_owner(self, owner_key: str) -> list[Unit]: ...


class ModelBatch(Protocol):
    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]: ...


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    resend_after: int


@dataclass(frozen=True)
class LookupToken:
    token: str
    expires_in: int


def request_code(
    phone: str,
    *,
    client_ip: str,
    language: str,
    now: datetime,
    pepper: bytes,
    store: OtpStore,
    brand_id: str = "",
    purpose: CodePurpose = "lookup",
) -> OtpSent:
    """Send a new code to ``phone`` (replacing any earlier one of the same ``purpose``), within
    the send limits: per phone and purpose (resend delay, 3 per 15 minutes), per client IP and
    per number prefix (per hour, shared by every purpose)."""
    key = challenge_key(pepper, phone, purpose)
    previous = store.get(key, now)
    refusal = otp.send_refusal(previous, now)
    if refusal is not None:
        code, retry_after = refusal
        raise TooManyRequests(code, retry_after=retry_after)
    code = otp.new_code()
    state = otp.OtpState(
        phone_key=key,
        code_hash=otp.hash_code(pepper, key, code),
        issued_at=now,
        expires_at=now + otp.CODE_TTL,
        attempts=0,
        used=False,
        sends=(*otp.recent_sends(previous, now), now),
        version=(previous.version + 1) if previous else 1,
    )
    from chalicelib.activation.messages import otp_message

    message = otp_message(phone, code, language, now, pepper, brand_id, kind=_CODE_KINDS[purpose])
    try:
        store.issue(
            state,
            previous.version if previous else None,
            message,
            otp.send_quotas(phone, client_ip, now, pepper),
        )
    except Conflict as exc:  # a parallel request for the same phone won
        raise TooManyRequests("otp_resend_too_soon", retry_after=60) from exc
    logger.info("one-time code sent", extra={"to": log_safe(phone), "purpose": purpose})
    return OtpSent(
        expires_in=int(otp.CODE_TTL.total_seconds()),
        resend_after=int(otp.RESEND_AFTER.total_seconds()),
    )


def challenge_key(pepper: bytes, phone: str, purpose: CodePurpose) -> str:
    """The key of ``phone``'s challenge for ``purpose`` (the look-up's is the phone key)."""
    key = phone_key(pepper, phone)
    return key if purpose == "lookup" else f"{purpose}#{key}"


def verify_code(
    phone: str, code: str, *, now: datetime, pepper: bytes, token_key: bytes, store: OtpStore
) -> LookupToken:
    """Exchange a correct, live code for a lookup token. Wrong codes count; the sixth attempt
    is refused even when correct; a used code is refused; parallel correct submissions yield
    exactly one token."""
    key = _use_code(phone, code, "lookup", now=now, pepper=pepper, store=store)
    return issue_lookup_token(key, now=now, token_key=token_key)


def confirm_phone(phone: str, code: str, *, now: datetime, pepper: bytes, store: OtpStore) -> None:
    """Check and use up an activation code sent to ``phone``: the same rules as the look-up's
    (5 minutes, 5 attempts, single use), refused with ``Forbidden("phone_code_…")``."""
    try:
        _use_code(phone, code, "activation", now=now, pepper=pepper, store=store)
    except Unauthorized as exc:
        raise Forbidden(_PHONE_CODE_REFUSALS[exc.code], **exc.details) from exc


def prove_partner_phone(
    phone: str, code: str, *, now: datetime, pepper: bytes, store: OtpStore
) -> None:
    """Check and use up a partner's sign-up or sign-in code: the look-up's rules and refusals
    (``Unauthorized("otp_…")``: no partner, session or account is at stake before it passes)."""
    _use_code(phone, code, "partner", now=now, pepper=pepper, store=store)


def _use_code(
    phone: str, code: str, purpose: CodePurpose, *, now: datetime, pepper: bytes, store: OtpStore
) -> str:
    """Use up a correct, live code; its challenge key. ``Unauthorized("otp_…")`` otherwise."""
    key = challenge_key(pepper, phone, purpose)
    state = store.get(key, now)
    refusal = otp.verification_refusal(state, now)
    if refusal is not None or state is None:
        raise Unauthorized(refusal or "otp_invalid")
    submitted = otp.hash_code(pepper, key, code)
    if not hmac.compare_digest(submitted, state.code_hash):
        try:
            store.record_failed_attempt(state, otp.MAX_ATTEMPTS)
        except Conflict as exc:  # parallel attempts used up the last ones meanwhile
            raise Unauthorized("otp_attempts_exhausted") from exc
        remaining = otp.MAX_ATTEMPTS - state.attempts - 1
        raise Unauthorized("otp_wrong_code", attempts_left=max(remaining, 0))
    if not store.consume(state, submitted, otp.MAX_ATTEMPTS):
        raise Unauthorized("otp_invalid")
    return key


def issue_lookup_token(owner_key: str, *, now: datetime, token_key: bytes) -> LookupToken:
    import jwt  # PyJWT, imported by the routes that need it only

    expires = now + LOOKUP_TOKEN_LIFETIME
    claims = {"sub": owner_key, "aud": _TOKEN_AUDIENCE, "iat": now, "exp": expires}
    token = jwt.encode(claims, token_key, algorithm="HS256")
    return LookupToken(token=token, expires_in=int(LOOKUP_TOKEN_LIFETIME.total_seconds()))


def owner_from_token(token: str, *, token_key: bytes) -> str:
    """The owner key a lookup token was issued for; ``Unauthorized`` if forged or expired."""
    import jwt

    try:
        claims = jwt.decode(
            token,
            token_key,
            algorithms=["HS256"],
            audience=_TOKEN_AUDIENCE,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("lookup_token_expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("lookup_token_invalid") from exc
    return str(claims["sub"])


def viewer_key(token: str | None, *, token_key: bytes) -> str | None:
    """The owner key of an optional lookup token; ``None`` when there is none or it is forged
    or expired (a page that merely shows more to an owner does not refuse anyone)."""
    if not token:
        return None
    try:
        return owner_from_token(token, token_key=token_key)
    except Unauthorized:
        return None


@dataclass(frozen=True)
class OwnedUnit:
    unit: Unit
    model: ProductModel | None


def my_units(
    token: str, *, token_key: bytes, units: OwnerUnits, models: ModelBatch
) -> list[OwnedUnit]:
    """The units activated with the token's phone: one query, models from the cache."""
    owner_key = owner_from_token(token, token_key=token_key)
    owned = units.list_by_owner(owner_key)
    found = models.get_many({u.model_code for u in owned})
    owned.sort(key=lambda u: u.activation.activated_at.timestamp() if u.activation else 0.0)
    return [OwnedUnit(unit=u, model=found.get(u.model_code)) for u in reversed(owned)]
