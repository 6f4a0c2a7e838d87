"""A partner's case: a conversation with staff about one unit the partner installed (``service``)
or about one of the partner's own reward entries (``complaint``). Not a warranty claim (those are
the customer's, issue 15): a case decides nothing and moves no money.

A case is a subject and a thread of notes, each by the partner or a staff member, never edited
(a note is only ever appended). Its status::

    open ──staff note──▶ answered ──partner note──▶ open
      │                     │
      └──staff or partner close──▶ closed ──partner note──▶ open (reopened)

A staff note on a closed case is refused (``case_closed``): the partner reopens it by writing.
Pure: no I/O.

>>> case = new_case("c_1", "p_1", "Thợ A", CaseKind.SERVICE, "GAR1", "Máy kêu to",
...                 NoteDraft("Khách báo máy kêu", ()), at=_T0)
>>> case.status.value, len(case.notes)
('open', 1)
>>> answered = add_note(case, Author.staff("cs"), NoteDraft("Đã gọi khách", ()), at=_T0)
>>> answered.status.value, answered.version
('answered', 2)
>>> add_note(close(answered, Author.PARTNER_SELF, at=_T0), Author.PARTNER_SELF,
...          NoteDraft("Vẫn kêu", ()), at=_T0).status.value
'open'
"""

from __future__ import annotations

import re
import secrets
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from chalicelib.core.errors import Conflict, Invalid

SUBJECT_MAX = 120
NOTE_TEXT_MAX = 2000
PHOTOS_PER_NOTE = 5
# A case is one item with its thread in it: 60 notes of 2,000 Vietnamese characters (up to
# 3 bytes each in UTF-8) stay well under DynamoDB's 400 KB item. A longer conversation is a new
# case.
NOTES_PER_CASE = 60
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_T0 = datetime(2026, 3, 1, tzinfo=UTC)


class CaseKind(StrEnum):
    SERVICE = "service"  # a unit the partner installed
    COMPLAINT = "complaint"  # one of the partner's own ledger entries


class CaseStatus(StrEnum):
    OPEN = "open"  # waits for staff
    ANSWERED = "answered"  # staff replied last
    CLOSED = "closed"


@dataclass(frozen=True)
class Author:
    """``partner`` (the case's own partner) or a staff member (``staff`` + username)."""

    role: str  # "partner" | "staff"
    name: str = ""  # the staff username; "" for the partner

    PARTNER_SELF: ClassVar[Author]

    @staticmethod
    def staff(username: str) -> Author:
        return Author("staff", username)

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"

    @property
    def actor(self) -> str:
        """The audit trail's actor: the staff username, or ``partner``."""
        return self.name if self.is_staff else "partner"


Author.PARTNER_SELF = Author("partner")


@dataclass(frozen=True)
class NoteDraft:
    """What a note says: ``photos`` are the keys of photos already checked and stored."""

    text: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    number: int  # 1-based, its place in the thread
    at: datetime
    author: Author
    text: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    case_id: str
    partner_id: str
    partner_name: str  # as it was when the case was opened: the staff's queue shows it
    kind: CaseKind
    serial: str
    subject: str
    status: CaseStatus
    created_at: datetime
    updated_at: datetime
    notes: tuple[Note, ...]
    version: int  # + 1 per change: every write is conditional on the one it read
    closed_by: str = ""

    @property
    def last_note(self) -> Note:
        return self.notes[-1]


def new_case_id(now: datetime | None = None) -> str:
    """``c_`` + 26 Crockford base32 characters (a ULID's layout: ids sort by creation)."""
    millis = int((now.timestamp() if now else time.time()) * 1000) & (2**48 - 1)
    value = (millis << 80) | secrets.randbits(80)
    return "c_" + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


_FORBIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_note(value: str) -> str:
    r"""A note's text as typed, with its line breaks (unlike a name's one line): NFC, no control
    or bidi characters, runs of spaces and of blank lines folded, at most 2,000 characters.

    >>> clean_note("  Máy kêu \r\n\r\n\n\n  to quá  ")
    'Máy kêu\n\nto quá'
    """
    if len(value) > 2 * NOTE_TEXT_MAX:
        raise Invalid("case_note_too_long", max_length=NOTE_TEXT_MAX)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if any(unicodedata.category(ch) in _FORBIDDEN for ch in text if ch not in "\t\n"):
        raise Invalid("case_note_bad_characters")
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > NOTE_TEXT_MAX:
        raise Invalid("case_note_too_long", max_length=NOTE_TEXT_MAX)
    return text


def _check_draft(draft: NoteDraft) -> None:
    if not draft.text and not draft.photos:
        raise Invalid("case_note_empty")
    if len(draft.text) > NOTE_TEXT_MAX:
        raise Invalid("case_note_too_long", max_length=NOTE_TEXT_MAX)
    if len(draft.photos) > PHOTOS_PER_NOTE:
        raise Invalid("case_note_too_many_photos", max_photos=PHOTOS_PER_NOTE)
    if len(set(draft.photos)) != len(draft.photos):
        raise Invalid("case_photo_repeated")


def new_case(
    case_id: str,
    partner_id: str,
    partner_name: str,
    kind: CaseKind,
    serial: str,
    subject: str,
    first: NoteDraft,
    *,
    at: datetime,
) -> Case:
    """An open case with the partner's first note."""
    if not subject:
        raise Invalid("case_subject_required")
    _check_draft(first)
    note = Note(1, at, Author.PARTNER_SELF, first.text, first.photos)
    return Case(
        case_id=case_id,
        partner_id=partner_id,
        partner_name=partner_name,
        kind=kind,
        serial=serial,
        subject=subject,
        status=CaseStatus.OPEN,
        created_at=at,
        updated_at=at,
        notes=(note,),
        version=1,
    )


def add_note(case: Case, author: Author, draft: NoteDraft, *, at: datetime) -> Case:
    """The case with ``draft`` appended: a staff note answers it, a partner's (re)opens it."""
    _check_draft(draft)
    if author.is_staff and case.status is CaseStatus.CLOSED:
        raise Conflict("case_closed")
    if len(case.notes) >= NOTES_PER_CASE:
        raise Conflict("case_thread_full", max_notes=NOTES_PER_CASE)
    note = Note(len(case.notes) + 1, at, author, draft.text, draft.photos)
    return replace(
        case,
        notes=(*case.notes, note),
        status=CaseStatus.ANSWERED if author.is_staff else CaseStatus.OPEN,
        updated_at=at,
        version=case.version + 1,
        closed_by="",
    )


def close(case: Case, by: Author, *, at: datetime) -> Case:
    """The case closed by staff or its partner; ``case_closed`` when it already is."""
    if case.status is CaseStatus.CLOSED:
        raise Conflict("case_closed")
    return replace(
        case,
        status=CaseStatus.CLOSED,
        updated_at=at,
        version=case.version + 1,
        closed_by=by.actor,
    )


@dataclass(frozen=True)
class CaseSummary:
    """A case as a list shows it: no thread, its length and who wrote last."""

    case_id: str
    partner_id: str
    partner_name: str
    kind: CaseKind
    serial: str
    subject: str
    status: CaseStatus
    created_at: datetime
    updated_at: datetime
    note_count: int
    last_by: str  # "partner" | "staff"


def summary(case: Case) -> CaseSummary:
    return CaseSummary(
        case_id=case.case_id,
        partner_id=case.partner_id,
        partner_name=case.partner_name,
        kind=case.kind,
        serial=case.serial,
        subject=case.subject,
        status=case.status,
        created_at=case.created_at,
        updated_at=case.updated_at,
        note_count=len(case.notes),
        last_by=case.last_note.author.role,
    )
