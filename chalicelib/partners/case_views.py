"""Response shapes of the partners' cases. A photo is a short-lived presigned link, given only to
the case's partner and to staff; the partner sees staff notes signed ``staff``, not by whom."""

from __future__ import annotations

from typing import Any

from chalicelib.partners.cases import Case, CaseSummary, Note
from chalicelib.platform.views import iso_time


def case_summary_view(case: CaseSummary, *, staff: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "case_id": case.case_id,
        "kind": case.kind.value,
        "serial": case.serial,
        "subject": case.subject,
        "status": case.status.value,
        "created_at": iso_time(case.created_at),
        "updated_at": iso_time(case.updated_at),
        "note_count": case.note_count,
        "last_by": case.last_by,
    }
    if staff:
        view["partner"] = {"partner_id": case.partner_id, "name": case.partner_name}
    return view


def _note_view(note: Note, links: dict[str, str], *, staff: bool) -> dict[str, Any]:
    author: dict[str, str] = {"role": note.author.role}
    if staff and note.author.is_staff:
        author["username"] = note.author.name
    return {
        "number": note.number,
        "at": iso_time(note.at),
        "author": author,
        "text": note.text,
        "photos": [{"key": key, "url": links.get(key, "")} for key in note.photos],
    }


def _closed_by(case: Case, *, staff: bool) -> str | None:
    """Who closed it: ``partner``, a staff username for staff, ``staff`` for the partner."""
    if not case.closed_by:
        return None
    return case.closed_by if staff or case.closed_by == "partner" else "staff"


def case_view(case: Case, links: dict[str, str], *, staff: bool) -> dict[str, Any]:
    """A case with its whole thread, oldest note first."""
    view: dict[str, Any] = {
        "case_id": case.case_id,
        "kind": case.kind.value,
        "serial": case.serial,
        "subject": case.subject,
        "status": case.status.value,
        "created_at": iso_time(case.created_at),
        "updated_at": iso_time(case.updated_at),
        "notes": [_note_view(note, links, staff=staff) for note in case.notes],
        "closed_by": _closed_by(case, staff=staff),
    }
    if staff:
        view["partner"] = {"partner_id": case.partner_id, "name": case.partner_name}
    return view
