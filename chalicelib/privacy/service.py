"""A person's data: who they are to our tables, their download, their erasure request and its
handling. Each capability that holds some of the person's data is a port
(``core.personal_data.PersonalData``); this module never reads a table.

The erasure runs every part in the order given (the units and the customer item last: they are
where the person's names and serials are learnt, so a run stopped half-way finds them again on
the next), then reads every part again: what is still there (a message a sender moved at that
instant) is erased once more, and if anything is left the request stays open and says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from chalicelib.core.errors import Conflict, FieldError, Invalid, NotFound
from chalicelib.core.ids import new_id
from chalicelib.core.observability import logger
from chalicelib.core.personal_data import DataSubject, Expiring, PersonalData
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import clean_text
from chalicelib.privacy.model import (
    ERASING_LEASE,
    ERASURE_DEADLINE,
    MAX_REASON,
    RETENTION_BOUNDS,
    RETENTION_KINDS,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    Retention,
    months_before,
)

FORMAT = "garanti-personal-data/1"
PASSES = 3  # erase, read again, erase what a concurrent writer kept


class RequestStore(Protocol):
    def open_for(self, subject_key: str) -> PrivacyRequest | None: ...
    def create(self, request: PrivacyRequest) -> PrivacyRequest:
        """Store a new open request, or return the person's open one (two taps, one request)."""
        ...

    def get(self, request_id: str) -> PrivacyRequest | None: ...
    def list(self, status: RequestStatus, limit: int) -> list[PrivacyRequest]: ...
    def hold(self, request: PrivacyRequest, *, until: datetime, now: datetime) -> PrivacyRequest:
        """Hold the open request for an erasure till ``until``; ``Conflict(
        "privacy_request_handled")`` when it is closed or another erasure holds it."""
        ...

    def remember(self, request: PrivacyRequest, names: set[str], serials: set[str]) -> None: ...

    def close(self, request: PrivacyRequest, closed: PrivacyRequest) -> None:
        """``request`` (open) becomes ``closed``; ``Conflict("privacy_request_handled")`` when
        someone closed it first (or, for a refusal, an erasure holds it)."""
        ...


class RetentionStore(Protocol):
    def retention(self) -> Retention: ...
    def save_retention(self, retention: Retention, *, before: int) -> None: ...
    def save_marks(self, marks: dict[str, str]) -> None: ...


RETENTION_BATCH = 500  # items a kind forgets in one run: a backlog drains over a few days


def set_retention(
    months: dict[str, int], *, version: int, by: str, at: datetime, store: RetentionStore
) -> Retention:
    """New retention settings, each within its bounds, saved over the ``version`` read."""
    wrong = [
        FieldError(f"{kind}_months", "retention_out_of_range")
        for kind in RETENTION_KINDS
        if not RETENTION_BOUNDS[kind][0] <= months[kind] <= RETENTION_BOUNDS[kind][1]
    ]
    if wrong:
        raise Invalid(fields=wrong)
    current = store.retention()
    if current.version != version:
        raise Conflict("retention_changed")
    saved = replace(current, months=dict(months), version=version + 1, updated_by=by, updated_at=at)
    store.save_retention(saved, before=version)
    return saved


def apply_retention(
    *, now: datetime, store: RetentionStore, parts: Sequence[Expiring], limit: int = RETENTION_BATCH
) -> dict[str, int]:
    """The daily job: in each kind, the people in items older than its period forgotten (at
    most ``limit`` items a kind a run, from where the last run stopped); how many each."""
    settings = store.retention()
    marks = dict(settings.marks)
    done: dict[str, int] = {}
    for part in parts:
        before = months_before(now, settings.months[part.kind])
        changed, marks[part.kind] = part.expire(
            before, after=marks.get(part.kind, ""), at=now, limit=limit
        )
        done[part.kind] = changed
    store.save_marks({k: v for k, v in marks.items() if v})
    logger.info("retention applied", extra={"forgotten": done})
    return done


def learn(
    subject: DataSubject, parts: Sequence[PersonalData]
) -> tuple[DataSubject, dict[str, Any]]:
    """The person with every name and serial the parts know, and each part's items."""
    sections: dict[str, Any] = {}
    for part in parts:
        found = part.collect(subject)
        subject = subject.knowing(found.names, found.serials)
        sections[part.section] = found.items
    # a second look with what was learnt (tickets are found by the units' serials)
    for part in parts:
        found = part.collect(subject)
        subject = subject.knowing(found.names, found.serials)
        sections[part.section] = found.items
    return subject, sections


def export(subject: DataSubject, parts: Sequence[PersonalData], *, at: datetime) -> dict[str, Any]:
    """The person's download: every part's items, and who they are to us."""
    learnt, sections = learn(subject, parts)
    return {
        "format": FORMAT,
        "generated_at": at.isoformat(),
        "phone": learnt.phone,
        "names": sorted(learnt.names),
        "serials": list(learnt.serials),
        "sections": sections,
    }


def request_erasure(
    subject: DataSubject, *, language: str, channel: str, at: datetime, store: RequestStore
) -> PrivacyRequest:
    """An open erasure request for the person (their open one if they asked already), due
    72 hours from now."""
    request = PrivacyRequest(
        request_id=new_id("PDR"),
        kind=RequestKind.ERASURE,
        status=RequestStatus.OPEN,
        phone_masked=mask_phone(subject.phone),
        created_at=at,
        due_at=at + ERASURE_DEADLINE,
        channel=channel,
        language=language,
        subject_key=subject.key,
        phone=subject.phone,
    )
    stored = store.create(request)
    if stored.request_id == request.request_id:
        logger.info("erasure requested", extra={"request_id": stored.request_id})
    return stored


def _open(request_id: str, store: RequestStore) -> PrivacyRequest:
    request = store.get(request_id)
    if request is None:
        raise NotFound("privacy_request_not_found")
    if request.status is not RequestStatus.OPEN or not request.phone or not request.subject_key:
        raise Conflict("privacy_request_handled", status=request.status.value)
    return request


def erase(
    request_id: str,
    *,
    by: str,
    at: datetime,
    store: RequestStore,
    parts: Sequence[PersonalData],
) -> PrivacyRequest:
    """Carry out an open request: every part erased, read again until nothing is left (at most
    :data:`PASSES` times), then the request closed without the phone. A part that still holds
    the person after the last pass leaves the request open (``privacy_erasure_incomplete``,
    naming it): staff run it again."""
    request = store.hold(_open(request_id, store), until=at + ERASING_LEASE, now=at)
    subject = DataSubject(
        phone=str(request.phone),
        key=str(request.subject_key),
        names=frozenset(request.names),
        serials=request.serials,
    )
    counts: dict[str, int] = {}
    left: list[str] = []
    for _ in range(PASSES):
        subject, _ = learn(subject, parts)
        store.remember(request, set(subject.names), set(subject.serials))
        for part in parts:
            changed = part.erase(subject, at=at)
            counts[part.section] = counts.get(part.section, 0) + changed
        _, sections = learn(subject, parts)
        left = [name for name, items in sections.items() if items]
        if not left:
            break
    if left:
        logger.warning("erasure incomplete", extra={"request_id": request_id, "left": left})
        raise Conflict("privacy_erasure_incomplete", sections=", ".join(left))
    closed = request.closed(RequestStatus.DONE, by=by, at=at, erased=counts)
    store.close(request, closed)
    logger.info("personal data erased", extra={"request_id": request_id, "erased": counts})
    return closed


def refuse(
    request_id: str, reason: str, *, by: str, at: datetime, store: RequestStore
) -> PrivacyRequest:
    """Close an open request without erasing, with the reason the law allows (an obligation to
    keep the data, a request not made by the person)."""
    request = _open(request_id, store)
    try:
        text = clean_text(reason, max_length=MAX_REASON, code_prefix="refusal_reason")
    except Invalid as exc:
        raise Invalid(fields=[FieldError("refusal_reason", exc.code)]) from None
    closed = request.closed(RequestStatus.REFUSED, by=by, at=at, reason=text)
    store.close(request, closed)
    return closed
