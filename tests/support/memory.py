"""In-memory adapters for the orchestrators' ports: the outbox the sender and the sweep use, the
label jobs and the uploads bucket a label job's run uses, a provider that answers what a test
scripts, the alerts queue and a provider's status API.

Each enforces the conditions its real counterpart writes with (``outbox.repository``,
``labels.job_repository``, ``platform.storage`` and S3's multipart rules), so a unit test of the
sender or of a label job's run means what it says:

- the outbox's claim is ``queued → sending`` only (else ``TAKEN``), under the spend cap (else
  ``OVER_CAP``); an outcome is written only by the lease's owner while the message is
  ``sending``; a move or a report applies only from the states it names; and every write is
  checked against :data:`~chalicelib.outbox.model.ALLOWED_TRANSITIONS`: a move the state machine
  forbids raises :class:`IllegalTransition`, since the caller asked for something no real
  delivery may do;
- a label job is claimed when ``queued`` (or ``running`` with its lease run out and attempts
  left) and only a ``running`` job takes progress, an upload, a suspension, a finish or a
  failure;
- a multipart upload completes only with the parts and ETags it was given, in order, every part
  but the last at least ``min_part_bytes``; the bytes are kept, so a test can open the PDF.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.labels.jobs import LEASE as JOB_LEASE
from chalicelib.labels.jobs import MAX_ATTEMPTS as JOB_MAX_ATTEMPTS
from chalicelib.labels.jobs import LabelJob, LabelJobStatus
from chalicelib.labels.service import MIN_PART_BYTES
from chalicelib.messaging.delivery_reports import ProviderReport
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.port import SendRequest, SendResult
from chalicelib.outbox.model import (
    ALLOWED_TRANSITIONS,
    REDRIVE_AFTER,
    ClaimOutcome,
    DeliveryState,
    MessageEvent,
    OutboundMessage,
    Outcome,
    Report,
    SpendGuard,
)
from chalicelib.outbox.repository import SCRUBBED

_S = DeliveryState
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


# --- the outbox -------------------------------------------------------------------------------


class IllegalTransition(AssertionError):
    """A write the delivery state machine forbids (``ALLOWED_TRANSITIONS``): a bug in the
    caller, raised rather than silently refused."""


@dataclass
class _Row:
    """One notification item: the message plus what the table keeps beside it."""

    message: OutboundMessage
    lease_owner: str | None = None
    due_state: DeliveryState | None = None
    due_at: datetime | None = None
    provider_ref: str | None = None


def _allowed(current: DeliveryState, new: DeliveryState) -> None:
    if new not in ALLOWED_TRANSITIONS[current]:
        raise IllegalTransition(f"{current.value} → {new.value} is not a delivery transition")


class FakeOutbox:
    """The notifications outbox and the brands' spend counters (``SenderOutbox``,
    ``SweepOutbox``, ``ReportOutbox`` and the composing services' ``add``)."""

    def __init__(self, messages: Iterable[OutboundMessage] = ()) -> None:
        self._rows: dict[str, _Row] = {}
        self._spend: dict[str, Decimal] = {}
        self._lock = threading.Lock()
        for message in messages:
            self.add(message)

    @property
    def messages(self) -> dict[str, OutboundMessage]:
        return {message_id: row.message for message_id, row in self._rows.items()}

    def add(self, message: OutboundMessage) -> bool:
        with self._lock:
            if message.message_id in self._rows:
                return False
            scheduled = message.status is _S.SCHEDULED
            queued = message.status is _S.QUEUED
            self._rows[message.message_id] = _Row(
                message,
                due_state=message.status if scheduled or queued else None,
                due_at=message.send_after
                if scheduled
                else message.created_at + REDRIVE_AFTER
                if queued
                else None,
            )
            return True

    def get(self, message_id: str) -> OutboundMessage:
        row = self._rows.get(message_id)
        if row is None:
            raise NotFound("message_not_found")
        return row.message

    def lease_owner(self, message_id: str) -> str | None:
        return self._rows[message_id].lease_owner

    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]:
        return sorted(
            (
                row.message
                for row in self._rows.values()
                if row.message.recipient_key == recipient_key
                and (row.message.expires_at is None or row.message.expires_at > now)
            ),
            key=lambda m: m.created_at,
            reverse=True,
        )

    # -- the sender --------------------------------------------------------------------------

    def claim(
        self,
        message_id: str,
        *,
        channel: str,
        provider: str,
        owner: str,
        now: datetime,
        lease: timedelta,
        spend: SpendGuard | None = None,
        new_channel: bool = False,
    ) -> ClaimOutcome:
        with self._lock:
            row = self._rows.get(message_id)
            if row is None or row.message.status is not _S.QUEUED:
                return ClaimOutcome.TAKEN
            if spend is not None and self._spend.get(spend.bucket, Decimal(0)) >= spend.cap:
                return ClaimOutcome.OVER_CAP
            _allowed(_S.QUEUED, _S.SENDING)
            m = row.message
            row.message = dataclasses.replace(
                m,
                status=_S.SENDING,
                channel=channel,
                provider=provider,
                attempts=m.attempts + 1,
                channel_attempts=1 if new_channel else m.channel_attempts + 1,
                updated_at=now,
                events=(*m.events, MessageEvent(now, "sending", channel, provider)),
            )
            row.lease_owner, row.due_state, row.due_at = owner, _S.SENDING, now + lease
            return ClaimOutcome.CLAIMED

    def settle(self, message_id: str, *, owner: str, outcome: Outcome, now: datetime) -> bool:
        with self._lock:
            row = self._rows.get(message_id)
            if row is None or row.message.status is not _S.SENDING or row.lease_owner != owner:
                return False
            state = outcome.state
            _allowed(_S.SENDING, state)
            m = row.message
            event = MessageEvent(
                now,
                state.value,
                outcome.channel,
                outcome.provider,
                outcome.reason,
                outcome.error_code or "",
            )
            changes: dict[str, object] = {
                "status": state,
                "channel": outcome.channel,
                "provider": outcome.provider,
                "reason": outcome.reason,
                "updated_at": now,
                "events": (*m.events, event),
                "error_class": outcome.error_class or None,
                "error_code": outcome.error_code or None,
            }
            row.lease_owner = None
            if state is _S.SCHEDULED and outcome.send_after is not None:
                changes["send_after"] = outcome.send_after
                row.due_state, row.due_at = _S.SCHEDULED, outcome.send_after
            elif state is _S.ACCEPTED and outcome.report_due is not None:
                row.due_state, row.due_at = _S.ACCEPTED, outcome.report_due
            elif state is _S.QUEUED:
                row.due_state, row.due_at = _S.QUEUED, now + REDRIVE_AFTER
            else:
                row.due_state, row.due_at = None, None
            if outcome.fallback:
                changes["channel_attempts"] = 0
            if outcome.scrub:
                changes.update(text=SCRUBBED, fields={})
            if outcome.provider_message_id:
                changes["provider_message_id"] = outcome.provider_message_id
                row.provider_ref = f"{outcome.provider}#{outcome.provider_message_id}"
            if state in (_S.ACCEPTED, _S.DELIVERED):
                changes["accepted_at"] = now
            if state is _S.DELIVERED:
                changes["delivered_at"] = now
            if state is _S.FAILED:
                changes["failed_at"] = now
            if outcome.cost is not None:
                changes.update(cost=outcome.cost, cost_reported=outcome.cost_reported)
            row.message = dataclasses.replace(m, **changes)  # type: ignore[arg-type]
            self._count(outcome.spend_bucket, outcome.cost)
            return True

    # -- moves without a send ----------------------------------------------------------------

    def move(
        self,
        message_id: str,
        *,
        from_states: Iterable[DeliveryState],
        to: DeliveryState,
        now: datetime,
        reason: str,
        channel: str | None = None,
        send_after: datetime | None = None,
        code: str = "",
    ) -> bool:
        with self._lock:
            row = self._rows.get(message_id)
            if row is None or row.message.status not in tuple(from_states):
                return False
            if to is _S.SCHEDULED and send_after is None:
                raise ValueError("a scheduled message needs send_after")
            m = row.message
            if not (m.status is _S.QUEUED and to is _S.QUEUED):  # a re-drive is a touch
                _allowed(m.status, to)
            changes: dict[str, object] = {
                "status": to,
                "reason": reason,
                "updated_at": now,
                "events": (*m.events, MessageEvent(now, to.value, channel or "", "", reason, code)),
            }
            if channel is not None:
                changes["channel"] = channel
            row.lease_owner = None
            if to is _S.SCHEDULED:
                changes["send_after"] = send_after
                row.due_state, row.due_at = _S.SCHEDULED, send_after
            elif to is _S.QUEUED:
                row.due_state, row.due_at = _S.QUEUED, now + REDRIVE_AFTER
            else:
                row.due_state, row.due_at = None, None
            if to is _S.FAILED:
                changes["failed_at"] = now
            if to is _S.QUEUED:
                changes["send_after"] = None
            row.message = dataclasses.replace(m, **changes)  # type: ignore[arg-type]
            return True

    def apply_report(self, message_id: str, report: Report) -> bool:
        """Forwards only, from the states that may precede ``report.state`` (never from
        ``queued`` or ``scheduled``: a report is about a send)."""
        sources = {s for s, targets in ALLOWED_TRANSITIONS.items() if report.state in targets}
        sources -= {_S.QUEUED, _S.SCHEDULED}
        with self._lock:
            row = self._rows.get(message_id)
            if row is None or row.message.status not in sources:
                return False
            m = row.message
            event = MessageEvent(
                report.at,
                report.state.value,
                provider=report.provider,
                reason=report.source,
                code=report.error_code or "",
            )
            changes: dict[str, object] = {
                "status": report.state,
                "updated_at": report.at,
                "events": (*m.events, event),
            }
            row.due_state, row.due_at = None, None
            if report.state is _S.DELIVERED:
                changes["delivered_at"] = report.at
            if report.state is _S.FAILED:
                changes["failed_at"] = report.at
                if report.error_code:
                    changes["error_code"] = report.error_code
            if report.provider_message_id:
                changes["provider_message_id"] = report.provider_message_id
                row.provider_ref = f"{report.provider}#{report.provider_message_id}"
            if report.cost is not None:
                changes.update(cost=report.cost, cost_reported=True)
            row.message = dataclasses.replace(m, **changes)  # type: ignore[arg-type]
            self._count(report.spend_bucket, report.cost_delta)
            return True

    def await_report(self, message_id: str, *, until: datetime | None) -> bool:
        with self._lock:
            row = self._rows.get(message_id)
            if row is None or row.message.status is not _S.ACCEPTED:
                return False
            row.due_state, row.due_at = (_S.ACCEPTED, until) if until else (None, None)
            return True

    def _count(self, bucket: str | None, amount: Decimal | None) -> None:
        if bucket is not None and amount:
            self._spend[bucket] = self._spend.get(bucket, Decimal(0)) + amount

    # -- reads -------------------------------------------------------------------------------

    def due(self, state: DeliveryState, now: datetime, limit: int = 100) -> list[str]:
        rows = [
            (row.due_at, message_id)
            for message_id, row in self._rows.items()
            if row.due_state is state and row.due_at is not None and row.due_at <= now
        ]
        return [message_id for _, message_id in sorted(rows)[:limit]]

    def spent(self, bucket: str) -> Decimal:
        return self._spend.get(bucket, Decimal(0))

    def find_by_provider_ref(self, provider: str, provider_message_id: str) -> str | None:
        ref = f"{provider}#{provider_message_id}"
        return next((i for i, row in self._rows.items() if row.provider_ref == ref), None)


# --- providers, alerts, status APIs -----------------------------------------------------------


class ScriptedSender:
    """A provider (``MessageSender``) that answers with the results a test scripts, in order,
    then accepts everything; it keeps every request it got. Like the adapters, it refuses a
    number that is not E.164 with ``ValueError`` before "sending". ``during_send`` runs inside
    the call (a slow provider: what else happens while it is on the wire)."""

    def __init__(
        self,
        name: str,
        *results: SendResult,
        during_send: Callable[[SendRequest], None] | None = None,
    ) -> None:
        self.name = name
        self.requests: list[SendRequest] = []
        self.during_send = during_send
        self._script: deque[SendResult] = deque(results)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def answer_next(self, *results: SendResult) -> None:
        self._script.extend(results)

    def fail_next(
        self, error_class: ErrorClass, code: str = "", *, ambiguous: bool = False
    ) -> None:
        result = SendResult(self.name, error_class, error_code=code or None, ambiguous=ambiguous)
        self._script.append(result)

    def send(self, request: SendRequest) -> SendResult:
        if not _E164.fullmatch(request.to_e164):
            raise ValueError("to_e164 must be E.164, e.g. +84912345678")
        with self._lock:
            self.requests.append(request)
            scripted = self._script.popleft() if self._script else None
            number = next(self._ids)
        if self.during_send is not None:
            self.during_send(request)
        if scripted is not None:
            return scripted
        return SendResult(self.name, ErrorClass.OK, provider_message_id=f"{self.name}-{number}")


@dataclass(frozen=True)
class Alert:
    message_id: str
    reason: str
    state: str


@dataclass
class RecordingAlerts:
    """The delivery-failures queue (``Alerts``): what a person would be paged about."""

    sent: list[Alert] = field(default_factory=list)

    def alert(self, message_id: str, reason: str, state: str) -> None:
        self.sent.append(Alert(message_id, reason, state))

    @property
    def reasons(self) -> list[str]:
        return [a.reason for a in self.sent]


class FakeStatusChecker:
    """A provider's status API (``StatusChecker``): what it knows of each provider message id
    (``None``: not final yet); every question is kept."""

    def __init__(self, providers: Iterable[str] = ("esms",)) -> None:
        self.providers = frozenset(providers)
        self.known: dict[str, tuple[DeliveryState, Decimal | None, str | None] | None] = {}
        self.asked: list[str] = []

    def knows(
        self,
        provider_message_id: str,
        state: DeliveryState | None,
        *,
        cost: Decimal | None = None,
        error_code: str | None = None,
    ) -> None:
        self.known[provider_message_id] = None if state is None else (state, cost, error_code)

    def check(self, message: OutboundMessage, now: datetime) -> ProviderReport | None:
        if not message.provider_message_id or message.provider not in self.providers:
            return None
        self.asked.append(message.provider_message_id)
        said = self.known.get(message.provider_message_id)
        if said is None:
            return None
        state, cost, code = said
        provider = message.provider
        return ProviderReport(state, provider, message.provider_message_id, code, cost, now)


# --- label jobs -------------------------------------------------------------------------------


class FakeLabelJobs:
    """Label jobs (``labels.service.Jobs``) with the repository's conditions."""

    def __init__(self) -> None:
        self.jobs: dict[str, LabelJob] = {}
        self.claims = 0  # successful claims: one per run
        self._lock = threading.Lock()

    def create(self, job: LabelJob) -> LabelJob:
        with self._lock:
            if job.job_id in self.jobs:
                raise Conflict("label_job_exists")
            self.jobs[job.job_id] = job
            return job

    def get(self, job_id: str) -> LabelJob:
        job = self.jobs.get(job_id)
        if job is None:
            raise NotFound("label_job_not_found")
        return job

    def claim(self, job_id: str, now: datetime) -> LabelJob | None:
        """``queued`` (or ``running`` with its lease run out and attempts left) → ``running``."""
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            stale = (
                job.status is LabelJobStatus.RUNNING
                and job.lease_until is not None
                and job.lease_until < now
                and job.attempts < JOB_MAX_ATTEMPTS
            )
            if job.status is not LabelJobStatus.QUEUED and not stale:
                return None
            claimed = dataclasses.replace(
                job,
                status=LabelJobStatus.RUNNING,
                lease_until=now + JOB_LEASE,
                attempts=job.attempts + 1,
                started_at=job.started_at or now,
            )
            self.jobs[job_id] = claimed
            self.claims += 1
            return claimed

    def _update_running(self, job_id: str, **changes: object) -> bool:
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None or job.status is not LabelJobStatus.RUNNING:
                return False
            self.jobs[job_id] = dataclasses.replace(job, **changes)  # type: ignore[arg-type]
            return True

    def started(self, job_id: str, *, total: int, now: datetime) -> bool:
        return self._update_running(job_id, total=total)

    def progress(self, job_id: str, *, done: int, skipped: int, pages: int, now: datetime) -> bool:
        return self._update_running(job_id, done=done, skipped=skipped, pages=pages)

    def set_upload(self, job_id: str, *, upload_id: str, now: datetime) -> bool:
        return self._update_running(job_id, upload_id=upload_id)

    def finish(
        self,
        job_id: str,
        *,
        done: int,
        skipped: int,
        skipped_sample: list[str],
        pages: int,
        output_key: str,
        size_bytes: int,
        now: datetime,
    ) -> bool:
        return self._update_running(
            job_id,
            status=LabelJobStatus.DONE,
            done=done,
            total=done + skipped,
            skipped=skipped,
            skipped_sample=tuple(skipped_sample),
            pages=pages,
            output_key=output_key,
            size_bytes=size_bytes,
            finished_at=now,
            lease_until=None,
        )

    def suspend(
        self,
        job_id: str,
        *,
        parts: list[tuple[int, str]],
        state_key: str,
        done: int,
        skipped: int,
        pages: int,
        now: datetime,
    ) -> bool:
        runs = self.jobs[job_id].runs if job_id in self.jobs else 0
        return self._update_running(
            job_id,
            status=LabelJobStatus.QUEUED,
            parts=tuple(parts),
            state_key=state_key,
            done=done,
            skipped=skipped,
            pages=pages,
            attempts=0,
            runs=runs + 1,
            lease_until=None,
        )

    def requeue(self, job_id: str, *, now: datetime) -> bool:
        return self._update_running(job_id, status=LabelJobStatus.QUEUED, lease_until=None)

    def fail(
        self, job_id: str, *, code: str, skipped: int, skipped_sample: list[str], now: datetime
    ) -> bool:
        return self._update_running(
            job_id,
            status=LabelJobStatus.FAILED,
            error_code=code,
            skipped=skipped,
            skipped_sample=tuple(skipped_sample),
            finished_at=now,
            lease_until=None,
        )


# --- the uploads bucket -----------------------------------------------------------------------


class StorageError(RuntimeError):
    """What S3 would answer with an error (``code``: S3's, e.g. ``NoSuchUpload``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str
    filename: str | None = None


@dataclass
class _Upload:
    key: str
    content_type: str
    filename: str
    parts: dict[int, tuple[str, bytes]] = field(default_factory=dict)


class FakeStorage:
    """The uploads bucket (``labels.service.Storage``) with S3's multipart rules.
    ``refuse_parts``: every part upload fails (the bucket went away mid-job)."""

    def __init__(self, *, min_part_bytes: int = MIN_PART_BYTES) -> None:
        self.min_part_bytes = min_part_bytes
        self.objects: dict[str, StoredObject] = {}
        self.uploads: dict[str, _Upload] = {}  # open ones
        self.started: list[str] = []
        self.aborted: list[str] = []
        self.refuse_parts = False
        self._ids = itertools.count(1)

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        self.objects[key] = StoredObject(bytes(data), content_type)

    def read_text(self, key: str) -> str:
        stored = self.objects.get(key)
        if stored is None:
            raise StorageError("NoSuchKey")
        return stored.data.decode("utf-8")

    def read_bytes(self, key: str) -> bytes:
        return self.objects[key].data

    def start_upload(self, key: str, *, content_type: str, filename: str) -> str:
        upload_id = f"upload-{next(self._ids)}"
        self.uploads[upload_id] = _Upload(key, content_type, filename)
        self.started.append(upload_id)
        return upload_id

    def upload_part(self, key: str, upload_id: str, number: int, file: IO[bytes]) -> str:
        upload = self._open(key, upload_id)
        if self.refuse_parts:
            raise StorageError("NoSuchBucket")
        if not 1 <= number <= 10_000:
            raise StorageError("InvalidArgument")
        file.seek(0)
        data = file.read()
        etag = f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"'
        upload.parts[number] = (etag, data)
        return etag

    def complete_upload(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        upload = self._open(key, upload_id)
        numbers = [n for n, _ in parts]
        if not parts or numbers != sorted(set(numbers)):
            raise StorageError("InvalidPartOrder")
        chunks = []
        for index, (number, etag) in enumerate(parts):
            uploaded = upload.parts.get(number)
            if uploaded is None or uploaded[0] != etag:
                raise StorageError("InvalidPart")
            if index < len(parts) - 1 and len(uploaded[1]) < self.min_part_bytes:
                raise StorageError("EntityTooSmall")
            chunks.append(uploaded[1])
        del self.uploads[upload_id]
        self.objects[key] = StoredObject(b"".join(chunks), upload.content_type, upload.filename)

    def abort_upload(self, key: str, upload_id: str) -> None:
        self._open(key, upload_id)
        del self.uploads[upload_id]
        self.aborted.append(upload_id)

    def _open(self, key: str, upload_id: str) -> _Upload:
        upload = self.uploads.get(upload_id)
        if upload is None or upload.key != key:
            raise StorageError("NoSuchUpload")
        return upload


def ticking_clock(start: datetime, step: timedelta) -> Callable[[], datetime]:
    """A clock that moves ``step`` on every reading."""
    readings: Iterator[int] = itertools.count()
    return lambda: start + step * next(readings)
