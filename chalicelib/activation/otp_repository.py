"""One-time-code challenges: every change is conditional on the stored version, so parallel
sends or verifications cannot both succeed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.activation.otp import OtpState, SendQuota
from chalicelib.activation.tables import OtpRecord
from chalicelib.core.errors import Conflict, TooManyRequests
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)
from chalicelib.platform.tables import RateLimitRecord

if TYPE_CHECKING:
    from chalicelib.outbox.model import OutboundMessage

RETENTION = timedelta(hours=1)  # TTL: keeps the send history for the rate limit window


def _to_domain(record: OtpRecord) -> OtpState:
    return OtpState(
        phone_key=record.phone_key,
        code_hash=record.code_hash,
        issued_at=record.issued_at,
        expires_at=record.code_expires_at,
        attempts=int(record.attempts),
        used=bool(record.used),
        sends=tuple(datetime.fromtimestamp(float(str(s)), UTC) for s in record.sends or []),
        version=int(record.version),
    )


class OtpRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=OtpRecord.Meta.region)

    def get(self, phone_key: str, now: datetime) -> OtpState | None:
        """The stored challenge, or ``None`` (also when its TTL passed but DynamoDB has not
        deleted it yet)."""
        try:
            record = OtpRecord.get(phone_key, consistent_read=True)
        except DoesNotExist:
            return None
        if record.expires is not None and record.expires <= now:
            return None
        return _to_domain(record)

    def issue(
        self,
        state: OtpState,
        previous_version: int | None,
        message: OutboundMessage,
        quotas: Sequence[SendQuota] = (),
    ) -> None:
        """Store a new challenge, queue its message and count the send in each quota window,
        in one transaction. ``TooManyRequests`` (the quota's code) if a window is full;
        ``Conflict`` if another request replaced the challenge since ``previous_version``."""
        record = OtpRecord(
            state.phone_key,
            code_hash=state.code_hash,
            issued_at=state.issued_at,
            code_expires_at=state.expires_at,
            attempts=state.attempts,
            used=state.used,
            sends=[s.timestamp() for s in state.sends],
            version=state.version,
            expires=state.issued_at + RETENTION,
        )
        # No live challenge was read: the item is absent, or expired but not yet deleted by TTL.
        condition = (
            OtpRecord.phone_key.does_not_exist() | (OtpRecord.expires <= state.issued_at)
            if previous_version is None
            else OtpRecord.version == previous_version
        )

        from chalicelib.outbox.repository import to_record  # the outbox: OTP path only

        def build(tx: TransactWrite) -> None:
            tx.save(record, condition=condition)
            tx.save(to_record(message), condition=NotificationRecord.message_id.does_not_exist())
            for quota in quotas:
                tx.update(
                    RateLimitRecord(quota.bucket),
                    actions=[
                        RateLimitRecord.hits.add(1),
                        RateLimitRecord.expires.set(quota.window_ends + RETENTION),
                    ],
                    condition=RateLimitRecord.hits.does_not_exist()
                    | (RateLimitRecord.hits < quota.limit),
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            reasons = exc.cancellation_reasons
            for quota, reason in zip(quotas, reasons[2:], strict=False):
                if reason is not None and reason.code == ITEM_CONDITION_FAILED:
                    wait = int((quota.window_ends - state.issued_at).total_seconds()) + 1
                    raise TooManyRequests(quota.refusal, retry_after=max(wait, 1)) from exc
            raise Conflict("otp_resend_too_soon") from exc

    def record_failed_attempt(self, state: OtpState, max_attempts: int) -> None:
        """Count a wrong code; ``Conflict`` if the challenge changed or ran out meanwhile."""
        try:
            OtpRecord(state.phone_key).update(
                actions=[OtpRecord.attempts.add(1)],
                condition=(OtpRecord.code_hash == state.code_hash)
                & (OtpRecord.attempts < max_attempts),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("otp_attempts_exhausted") from exc
            raise

    def consume(self, state: OtpState, code_hash: str, max_attempts: int) -> bool:
        """Mark the challenge used if ``code_hash`` matches and it is still live: exactly one
        of many parallel correct submissions gets ``True``."""
        try:
            OtpRecord(state.phone_key).update(
                actions=[OtpRecord.used.set(True), OtpRecord.attempts.add(1)],
                condition=(OtpRecord.code_hash == code_hash)
                & (OtpRecord.used == False)  # noqa: E712 - a DynamoDB condition, not a test
                & (OtpRecord.attempts < max_attempts),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
