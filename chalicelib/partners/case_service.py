"""Partners' cases, the use cases: a partner opens a case about a unit they installed or one of
their own reward entries, writes notes with photos, closes it; staff read the queue, answer
(the partner's ``partner_case_answered`` queued in the same write) and close, audited. Ports
are parameters (:mod:`chalicelib.partners.case_repository` satisfies the store).

Photos go the way of the catalog's pictures (:mod:`chalicelib.catalog.images`): a presigned PUT
of the original under ``case-uploads/<owner>/``, then one call checks it and stores a WebP
without metadata (no GPS of a customer's home) under ``case-photos/<owner>/``; a note names
those keys. ``<owner>`` is the partner's id, or ``staff``: a partner's note can only name the
partner's own photos. Photos are never public: a case's reader gets presigned links."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.catalog import images
from chalicelib.core.errors import Forbidden, Invalid, NotFound
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import OutboundMessage
from chalicelib.partners.cases import (
    Author,
    Case,
    CaseKind,
    CaseStatus,
    CaseSummary,
    NoteDraft,
    add_note,
    close,
    new_case,
    new_case_id,
)
from chalicelib.partners.model import Partner
from chalicelib.partners.service import Change, Trail

UPLOAD_PREFIX = "case-uploads/"
PHOTO_PREFIX = "case-photos/"
STAFF_OWNER = "staff"
PHOTO_BOX = (1600, 1600)  # enough to read a model plate; a phone photo shrinks to ~200 KB
PHOTO_LINK_SECONDS = 15 * 60


class CaseStore(Protocol):
    def create(self, case: Case) -> None: ...
    def get(self, case_id: str) -> Case | None: ...
    def save(self, before: Case, after: Case, message: OutboundMessage | None = None) -> None: ...
    def page_of_partner(
        self, partner_id: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[CaseSummary], dict[str, Any] | None]: ...
    def page_by_status(
        self,
        status: CaseStatus,
        *,
        kind: CaseKind | None,
        limit: int,
        after: dict[str, Any] | None,
    ) -> tuple[list[CaseSummary], dict[str, Any] | None]: ...


class UnitFinder(Protocol):
    """The catalog's units: ``None`` for a serial never registered."""

    def find(self, serial: str) -> Any: ...  # a catalog ``Unit``


class EntryFinder(Protocol):
    """The reward ledger: a serial's entry, ``None`` when it has none."""

    def get(self, entry_id: str) -> Any: ...  # a ``LedgerEntry``


class PartnerFinder(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...


class PhotoStorage(images.ImageStorage, Protocol):
    def download_url(self, key: str, *, expires_seconds: int) -> str: ...


@dataclass(frozen=True)
class Messaging:
    """What the partner's ``partner_case_answered`` needs: the pepper of phone keys, the brand."""

    pepper: bytes
    brand_id: str


@dataclass(frozen=True)
class CasePage:
    cases: list[CaseSummary]
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CaseRequest:
    kind: CaseKind
    serial: str
    subject: str
    first: NoteDraft


# -- photos ------------------------------------------------------------------------------------


def start_photo_upload(
    owner: str, content_type: str, size: int, *, storage: PhotoStorage
) -> images.ImageUpload:
    """A presigned PUT for a photo (JPEG, PNG or WebP, at most 5 MB) of ``owner`` (a partner
    id, or ``staff``)."""
    return images.start_image_upload(
        f"{UPLOAD_PREFIX}{owner}/", content_type, size, storage=storage
    )


def finish_photo_upload(owner: str, key: str, *, storage: PhotoStorage) -> str:
    """The uploaded photo checked (size, real format, pixels), stored as a WebP without metadata
    at most 1600 px a side; returns its key for a note. Another owner's upload is
    ``image_upload_unknown``."""
    return images.finish_image_upload(
        f"{UPLOAD_PREFIX}{owner}/",
        key,
        f"{PHOTO_PREFIX}{owner}/",
        storage=storage,
        box=PHOTO_BOX,
    )


def _checked_photos(owner: str, photos: Iterable[str], storage: PhotoStorage) -> None:
    """Every photo named is one of ``owner``'s stored photos (a HEAD each, at most five)."""
    folder = f"{PHOTO_PREFIX}{owner}/"
    for key in photos:
        name = key.removeprefix(folder)
        if not key.startswith(folder) or "/" in name or ".." in name or not name:
            raise Invalid("case_photo_unknown")
        if storage.size_of(key) is None:
            raise NotFound("case_photo_missing")


def photo_links(case: Case, *, storage: PhotoStorage) -> dict[str, str]:
    """A presigned GET for each photo of the case's thread (for its partner or staff only)."""
    return {
        key: storage.download_url(key, expires_seconds=PHOTO_LINK_SECONDS)
        for note in case.notes
        for key in note.photos
    }


# -- the partner's side ------------------------------------------------------------------------


def _installed_by(unit: Any, partner: Partner) -> bool:
    """The unit's activation recorded the partner as installer: by id when the partner was
    signed in, else by the installer phone typed on the public form."""
    activation = getattr(unit, "activation", None)
    installer = getattr(activation, "installer", None)
    if installer is None:
        return False
    if installer.partner_id:
        return bool(installer.partner_id == partner.partner_id)
    return bool(installer.phone == partner.phone)


def _check_subject(
    request: CaseRequest, partner: Partner, units: UnitFinder, ledger: EntryFinder
) -> None:
    if request.kind is CaseKind.SERVICE:
        unit = units.find(request.serial)
        if unit is None:
            raise NotFound("unit_not_found")
        if not _installed_by(unit, partner):
            raise Forbidden("case_unit_not_installed")
        return
    entry = ledger.get(request.serial)
    if entry is None or entry.partner_id != partner.partner_id:
        raise NotFound("case_entry_not_found")


def open_case(
    partner: Partner,
    request: CaseRequest,
    *,
    at: datetime,
    cases: CaseStore,
    units: UnitFinder,
    ledger: EntryFinder,
    storage: PhotoStorage,
) -> Case:
    """A new open case of the partner with its first note: ``service`` for a unit whose
    activation recorded the partner as installer (``unit_not_found`` 404,
    ``case_unit_not_installed`` 403), ``complaint`` for one of the partner's own ledger entries
    (``case_entry_not_found`` 404, also for another partner's)."""
    _check_subject(request, partner, units, ledger)
    case = new_case(
        new_case_id(at),
        partner.partner_id,
        partner.details.name,
        request.kind,
        request.serial,
        request.subject,
        request.first,
        at=at,
    )
    _checked_photos(partner.partner_id, request.first.photos, storage)
    cases.create(case)
    return case


def partner_case(partner_id: str, case_id: str, *, cases: CaseStore) -> Case:
    """The partner's own case; another partner's is ``case_not_found`` like a missing one."""
    case = cases.get(case_id) if case_id.startswith("c_") else None
    if case is None or case.partner_id != partner_id:
        raise NotFound("case_not_found")
    return case


def partner_page(
    partner_id: str, *, limit: int, after: dict[str, Any] | None, cases: CaseStore
) -> CasePage:
    """One page of the partner's own cases, the latest activity first."""
    found, last = cases.page_of_partner(partner_id, limit=limit, after=after)
    return CasePage(found, last)


def add_partner_note(
    partner_id: str,
    case_id: str,
    draft: NoteDraft,
    *,
    at: datetime,
    cases: CaseStore,
    storage: PhotoStorage,
) -> Case:
    """The partner's note: the case is open again (also a closed one: reopened)."""
    before = partner_case(partner_id, case_id, cases=cases)
    after = add_note(before, Author.PARTNER_SELF, draft, at=at)
    _checked_photos(partner_id, draft.photos, storage)
    cases.save(before, after)
    return after


def close_by_partner(partner_id: str, case_id: str, *, at: datetime, cases: CaseStore) -> Case:
    before = partner_case(partner_id, case_id, cases=cases)
    after = close(before, Author.PARTNER_SELF, at=at)
    cases.save(before, after)
    return after


# -- the staff's side --------------------------------------------------------------------------


def staff_case(case_id: str, kinds: Collection[CaseKind], *, cases: CaseStore) -> Case:
    """A case for a staff member who may see ``kinds`` (another kind: ``role_not_allowed``)."""
    case = cases.get(case_id) if case_id.startswith("c_") else None
    if case is None:
        raise NotFound("case_not_found")
    if case.kind not in kinds:
        raise Forbidden("role_not_allowed")
    return case


def queue_page(
    status: CaseStatus,
    kind: CaseKind | None,
    *,
    limit: int,
    after: dict[str, Any] | None,
    cases: CaseStore,
) -> CasePage:
    """One page of the cases in ``status`` (open: the longest waiting first)."""
    found, last = cases.page_by_status(status, kind=kind, limit=limit, after=after)
    return CasePage(found, last)


def answered_message(
    case: Case, partner: Partner, messaging: Messaging, at: datetime
) -> OutboundMessage:
    """The partner's ``partner_case_answered``; its id is the answer's (the case and the note's
    place in the thread, which the write's version condition makes unique)."""
    return new_message(
        "partner_case_answered",
        business_key=(case.case_id, str(case.last_note.number)),
        brand_id=messaging.brand_id,
        phone=partner.phone,
        language="vi",
        fields={
            "partner_name": partner.details.name,
            "subject": case.subject,
            "serial": case.serial,
        },
        subject=case.serial,
        now=at,
        pepper=messaging.pepper,
    )


def _audit(change: Change, action: str, before: Case, after: Case) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="partner_case",
        entity_id=after.case_id,
        source=change.source,
        before={"status": before.status.value, "notes": len(before.notes)},
        after={"status": after.status.value, "notes": len(after.notes)},
        extra={"kind": after.kind.value, "serial": after.serial},
    )


def answer(
    case_id: str,
    draft: NoteDraft,
    change: Change,
    kinds: Collection[CaseKind],
    *,
    cases: CaseStore,
    partners: PartnerFinder,
    storage: PhotoStorage,
    trail: Trail,
    messaging: Messaging,
) -> Case:
    """A staff member's note: the case is ``answered`` and its partner told
    (``partner_case_answered`` in the same write). Audited (``case_answered``)."""
    before = staff_case(case_id, kinds, cases=cases)
    after = add_note(before, Author.staff(change.actor), draft, at=change.at)
    _checked_photos(STAFF_OWNER, draft.photos, storage)
    partner = partners.get(after.partner_id)
    message = answered_message(after, partner, messaging, change.at) if partner else None
    cases.save(before, after, message)
    trail.record(_audit(change, "case_answered", before, after))
    return after


def close_by_staff(
    case_id: str,
    change: Change,
    kinds: Collection[CaseKind],
    *,
    cases: CaseStore,
    trail: Trail,
) -> Case:
    """A staff member closes the case (the partner may reopen it by writing). Audited."""
    before = staff_case(case_id, kinds, cases=cases)
    after = close(before, Author.staff(change.actor), at=change.at)
    cases.save(before, after)
    trail.record(_audit(change, "case_closed", before, after))
    return after
