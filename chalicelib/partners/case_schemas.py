"""Request bodies of the partners' cases: the partner's (``/partner/cases``) and the staff's
(``/cases``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictStr

from chalicelib.catalog.serials import normalize_serial
from chalicelib.partners.cases import (
    SUBJECT_MAX,
    CaseKind,
    NoteDraft,
    clean_note,
)
from chalicelib.platform.schemas import RequestBody, domain_check, text_field

Subject = Annotated[StrictStr, text_field("case_subject", SUBJECT_MAX)]
NoteText = Annotated[StrictStr, domain_check(clean_note)]
PhotoKey = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Serial = Annotated[StrictStr, Field(min_length=1, max_length=40), domain_check(normalize_serial)]


class CaseNoteRequest(RequestBody):
    """A note: text (at most 2,000 characters, line breaks kept) and/or up to 5 photos, each
    the key ``…/photos/done`` answered."""

    text: NoteText = ""
    # more than five is the domain's ``case_note_too_many_photos`` (the body's size bounds it)
    photos: list[PhotoKey] = Field(default_factory=list)

    def draft(self) -> NoteDraft:
        return NoteDraft(self.text, tuple(self.photos))


class CaseOpenRequest(CaseNoteRequest):
    """A partner's new case: ``service`` about a unit they installed, ``complaint`` about one of
    their reward entries (both by serial), a subject and the first note."""

    kind: Literal["service", "complaint"]
    serial: Serial
    subject: Subject

    def case_kind(self) -> CaseKind:
        return CaseKind(self.kind)
