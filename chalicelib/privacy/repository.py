"""The requests' store (``service.RequestStore``) on the privacy table."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    item_failed,
    write_transaction,
)
from chalicelib.privacy.model import (
    RETENTION_DEFAULTS,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    Retention,
)
from chalicelib.privacy.tables import PrivacyRequestRecord

GUARD = "open#"
RETENTION = "retention"


def _due_key(request: PrivacyRequest) -> str:
    return f"{request.due_at.isoformat()}#{request.request_id}"


def to_record(request: PrivacyRequest) -> PrivacyRequestRecord:
    return PrivacyRequestRecord(
        request.request_id,
        kind=request.kind.value,
        status=request.status.value,
        due_key=_due_key(request),
        subject_key=request.subject_key,
        phone=request.phone,
        phone_masked=request.phone_masked,
        channel=request.channel,
        language=request.language,
        created_at=request.created_at,
        due_at=request.due_at,
        handled_by=request.handled_by,
        handled_at=request.handled_at,
        reason=request.reason,
        erased=dict(request.erased) or None,
        names=set(request.names) or None,
        serials=set(request.serials) or None,
        erasing_until=request.erasing_until,
    )


def to_domain(record: PrivacyRequestRecord) -> PrivacyRequest:
    erased = record.erased.as_dict() if record.erased is not None else {}
    return PrivacyRequest(
        request_id=record.request_id,
        kind=RequestKind(record.kind),
        status=RequestStatus(record.status),
        phone_masked=record.phone_masked or "",
        created_at=record.created_at,
        due_at=record.due_at,
        channel=record.channel or "",
        language=record.language or "vi",
        subject_key=record.subject_key,
        phone=record.phone,
        handled_by=record.handled_by,
        handled_at=record.handled_at,
        reason=record.reason,
        erased={k: int(v) for k, v in erased.items()},
        names=tuple(sorted(record.names or ())),
        serials=tuple(sorted(record.serials or ())),
        erasing_until=record.erasing_until,
    )


class PrivacyRequestRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=PrivacyRequestRecord.Meta.region)

    def get(self, request_id: str) -> PrivacyRequest | None:
        if request_id.startswith(GUARD) or request_id == RETENTION:
            return None
        try:
            record = PrivacyRequestRecord.get(request_id, consistent_read=True)
        except DoesNotExist:
            return None
        return to_domain(record) if record.status else None

    def open_for(self, subject_key: str) -> PrivacyRequest | None:
        try:
            guard = PrivacyRequestRecord.get(GUARD + subject_key, consistent_read=True)
        except DoesNotExist:
            return None
        return self.get(guard.open_request or "")

    def create(self, request: PrivacyRequest) -> PrivacyRequest:
        guard = PrivacyRequestRecord(
            GUARD + str(request.subject_key), open_request=request.request_id
        )

        def build(tx: TransactWrite) -> None:
            tx.save(guard, condition=PrivacyRequestRecord.request_id.does_not_exist())
            tx.save(to_record(request), condition=PrivacyRequestRecord.request_id.does_not_exist())

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if not item_failed(exc, 0):
                raise
            existing = self.open_for(str(request.subject_key))
            if existing is None:  # closed at that instant: ask again
                raise Conflict("privacy_request_handled") from exc
            return existing
        return request

    def list(self, status: RequestStatus, limit: int) -> list[PrivacyRequest]:
        query = PrivacyRequestRecord.status_index.query(
            status.value, limit=limit, scan_index_forward=status is RequestStatus.OPEN
        )
        return [to_domain(r) for r in query][:limit]

    def hold(self, request: PrivacyRequest, *, until: datetime, now: datetime) -> PrivacyRequest:
        """The open request held for an erasure till ``until`` (a lease: a refusal waits, and a
        second erasure too, unless the first one's lapsed); ``privacy_request_handled`` when it
        is closed or held."""
        free = PrivacyRequestRecord.erasing_until.does_not_exist() | (
            PrivacyRequestRecord.erasing_until < now
        )
        try:
            PrivacyRequestRecord(request.request_id).update(
                actions=[PrivacyRequestRecord.erasing_until.set(until)],
                condition=(PrivacyRequestRecord.status == RequestStatus.OPEN.value) & free,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("privacy_request_handled") from exc
            raise
        return replace(request, erasing_until=until)

    def remember(self, request: PrivacyRequest, names: set[str], serials: set[str]) -> None:
        """What the erasure learnt of the person, kept on the open request."""
        actions: list[Any] = []
        if names:
            actions.append(PrivacyRequestRecord.names.add(names))
        if serials:
            actions.append(PrivacyRequestRecord.serials.add(serials))
        if actions:
            PrivacyRequestRecord(request.request_id).update(
                actions=actions,
                condition=PrivacyRequestRecord.status == RequestStatus.OPEN.value,
            )

    def close(self, request: PrivacyRequest, closed: PrivacyRequest) -> None:
        """``closed`` over the open ``request``: an erasure's own (its lease) or, for a refusal,
        one no erasure holds."""
        if closed.status is RequestStatus.DONE and request.erasing_until is not None:
            held = PrivacyRequestRecord.erasing_until == request.erasing_until
        else:  # a refusal: only while no erasure holds the request
            held = PrivacyRequestRecord.erasing_until.does_not_exist() | (
                PrivacyRequestRecord.erasing_until < (closed.handled_at or datetime.now(UTC))
            )

        def build(tx: TransactWrite) -> None:
            tx.save(
                to_record(replace(closed, erasing_until=None)),
                condition=(PrivacyRequestRecord.status == RequestStatus.OPEN.value) & held,
            )
            tx.delete(PrivacyRequestRecord(GUARD + str(request.subject_key)))

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            if any(r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons):
                raise Conflict("privacy_request_handled") from exc  # the request's condition
            raise

    # -- retention -------------------------------------------------------------------------------

    def retention(self) -> Retention:
        try:
            record = PrivacyRequestRecord.get(RETENTION, consistent_read=True)
        except DoesNotExist:
            return Retention()
        months = {**RETENTION_DEFAULTS, **(record.retention.as_dict() if record.retention else {})}
        return Retention(
            months={k: int(v) for k, v in months.items()},
            version=int(record.version or 0),
            updated_by=record.updated_by or "",
            updated_at=record.updated_at,
            marks=dict(record.marks.as_dict()) if record.marks else {},
        )

    def save_retention(self, retention: Retention, *, before: int) -> None:
        """The settings, conditional on the version read (``retention_changed`` otherwise)."""
        # the job's watermarks may have made the item before anyone saved settings
        condition = (
            PrivacyRequestRecord.version == before
            if before
            else PrivacyRequestRecord.version.does_not_exist()
        )
        try:
            PrivacyRequestRecord(RETENTION).update(
                actions=[
                    PrivacyRequestRecord.retention.set(retention.months),
                    PrivacyRequestRecord.version.set(retention.version),
                    PrivacyRequestRecord.updated_by.set(retention.updated_by),
                    PrivacyRequestRecord.updated_at.set(retention.updated_at or datetime.now(UTC)),
                ],
                condition=condition,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("retention_changed") from exc
            raise

    def save_marks(self, marks: dict[str, str]) -> None:
        """Where the job stopped (only the job writes them: no condition)."""
        PrivacyRequestRecord(RETENTION).update(actions=[PrivacyRequestRecord.marks.set(marks)])
