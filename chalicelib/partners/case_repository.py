"""Partners' cases in DynamoDB: a case is one item, its thread appended to, every change
conditional on the version it read; a staff answer and the partner's message in one
transaction."""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.outbox.model import OutboundMessage
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.case_tables import CaseRecord, NoteMap
from chalicelib.partners.cases import (
    Author,
    Case,
    CaseKind,
    CaseStatus,
    CaseSummary,
    Note,
    summary,
)
from chalicelib.platform.dynamodb import is_condition_failure, write_transaction


def _note(entry: NoteMap) -> Note:
    return Note(
        number=int(entry.number),
        at=entry.at,
        author=Author(entry.author, entry.by or ""),
        text=entry.text or "",
        photos=tuple(entry.photos or ()),
    )


def _note_map(note: Note) -> NoteMap:
    return NoteMap(
        number=note.number,
        at=note.at,
        author=note.author.role,
        by=note.author.name,
        text=note.text,
        photos=list(note.photos),
    )


def _case(record: CaseRecord) -> Case:
    return Case(
        case_id=record.case_id,
        partner_id=record.partner_id,
        partner_name=record.partner_name,
        kind=CaseKind(record.kind),
        serial=record.serial,
        subject=record.subject,
        status=CaseStatus(record.status),
        created_at=record.created_at,
        updated_at=record.updated_at,
        notes=tuple(_note(n) for n in record.notes or []),
        version=int(record.version),
        closed_by=record.closed_by or "",
    )


def _summary(record: CaseRecord) -> CaseSummary:
    return CaseSummary(
        case_id=record.case_id,
        partner_id=record.partner_id,
        partner_name=record.partner_name,
        kind=CaseKind(record.kind),
        serial=record.serial,
        subject=record.subject,
        status=CaseStatus(record.status),
        created_at=record.created_at,
        updated_at=record.updated_at,
        note_count=int(record.note_count),
        last_by=record.last_by,
    )


def _changes(after: Case, *, appended: bool) -> list[Action]:
    found = summary(after)
    actions: list[Action] = [
        CaseRecord.status.set(after.status.value),
        CaseRecord.updated_at.set(after.updated_at),
        CaseRecord.version.set(after.version),
        CaseRecord.note_count.set(found.note_count),
        CaseRecord.last_by.set(found.last_by),
        (
            CaseRecord.closed_by.set(after.closed_by)
            if after.closed_by
            else CaseRecord.closed_by.remove()
        ),
    ]
    if appended:
        actions.append(CaseRecord.notes.set(CaseRecord.notes.append([_note_map(after.last_note)])))
    return actions


def _unchanged(before: Case) -> Condition:
    condition: Condition = CaseRecord.case_id.exists() & (CaseRecord.version == before.version)
    return condition


class CaseRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=CaseRecord.Meta.region)

    def create(self, case: Case) -> None:
        """Write a new case (``attribute_not_exists``: an id is never reused)."""
        found = summary(case)
        record = CaseRecord(
            case.case_id,
            partner_id=case.partner_id,
            partner_name=case.partner_name,
            kind=case.kind.value,
            serial=case.serial,
            subject=case.subject,
            status=case.status.value,
            created_at=case.created_at,
            updated_at=case.updated_at,
            notes=[_note_map(n) for n in case.notes],
            note_count=found.note_count,
            last_by=found.last_by,
            version=case.version,
        )
        try:
            record.save(condition=CaseRecord.case_id.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("case_changed") from exc
            raise

    def get(self, case_id: str) -> Case | None:
        try:
            return _case(CaseRecord.get(case_id, consistent_read=True))
        except CaseRecord.DoesNotExist:
            return None

    def save(self, before: Case, after: Case, message: OutboundMessage | None = None) -> None:
        """``after`` (a note appended, or closed) over ``before``: conditional on ``before``'s
        version (``Conflict("case_changed")`` when another change came first). ``message`` is
        queued in the same transaction: a lost race or a retry queues nothing more."""
        appended = len(after.notes) > len(before.notes)
        if message is None:
            try:
                CaseRecord(before.case_id).update(
                    actions=_changes(after, appended=appended), condition=_unchanged(before)
                )
            except UpdateError as exc:
                if is_condition_failure(exc):
                    raise Conflict("case_changed") from exc
                raise
            return
        from chalicelib.outbox.repository import to_record  # the outbox: staff answers only

        def build(tx: TransactWrite) -> None:
            tx.update(
                CaseRecord(before.case_id),
                actions=_changes(after, appended=appended),
                condition=_unchanged(before),
            )
            tx.save(to_record(message), condition=NotificationRecord.message_id.does_not_exist())

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if any(
                r is not None and r.code == "ConditionalCheckFailed"
                for r in exc.cancellation_reasons or []
            ):
                raise Conflict("case_changed") from exc
            raise

    def page_of_partner(
        self, partner_id: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[CaseSummary], dict[str, Any] | None]:
        """One page of the partner's cases, the latest activity first (one query)."""
        query = CaseRecord.partner_index.query(
            partner_id, scan_index_forward=False, limit=limit, last_evaluated_key=after
        )
        found = [_summary(record) for record in query]
        return found, query.last_evaluated_key

    def page_by_status(
        self,
        status: CaseStatus,
        *,
        kind: CaseKind | None,
        limit: int,
        after: dict[str, Any] | None,
    ) -> tuple[list[CaseSummary], dict[str, Any] | None]:
        """One page of the cases in ``status``: open ones the longest waiting first, the others
        the latest first (one query; the kind is a filter, so a page may hold fewer than
        ``limit`` and still have a next one)."""
        query = CaseRecord.status_index.query(
            status.value,
            scan_index_forward=status is CaseStatus.OPEN,
            limit=limit,
            last_evaluated_key=after,
            filter_condition=(CaseRecord.kind == kind.value) if kind else None,
        )
        found = [_summary(record) for record in query]
        return found, query.last_evaluated_key
