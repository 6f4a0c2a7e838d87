"""The audit trail's store: entries are put once (a deterministic key, so recording the same
event twice leaves one entry) and read by thing, by day or by staff member."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.audit.model import AuditEntry
from chalicelib.audit.tables import AuditRecord
from chalicelib.platform.dynamodb import is_condition_failure


def _sort_key(entry: AuditEntry) -> str:
    return f"{entry.at.isoformat(timespec='milliseconds')}#{entry.entry_id}"


def _entry(record: AuditRecord) -> AuditEntry:
    def plain(value: Any) -> dict[str, Any] | None:
        return (
            None if value is None else dict(value.as_dict() if hasattr(value, "as_dict") else value)
        )

    extra = plain(record.extra) or {}
    return AuditEntry(
        at=record.at,
        actor=record.actor,
        action=record.action,
        entity=record.entity,
        entity_id=record.entity_id,
        source=record.source,
        before=plain(record.before),
        after=plain(record.after),
        note=record.note,
        extra={str(k): str(v) for k, v in extra.items()},
    )


class AuditTrail:
    """The brand's audit trail."""

    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def record(self, entry: AuditEntry) -> bool:
        """Put the entry unless it is there already; ``False`` when it was (a redelivery)."""
        record = AuditRecord(
            f"{entry.entity}#{entry.entity_id}",
            _sort_key(entry),
            brand_id=self._brand_id,
            day_key=f"{self._brand_id}#{entry.at.date().isoformat()}",
            actor_key=f"{self._brand_id}#{entry.actor}",
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            source=entry.source,
            before=entry.before,
            after=entry.after,
            note=entry.note,
            extra=entry.extra or None,
        )
        try:
            record.save(condition=AuditRecord.entity_key.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def for_entity(self, entity: str, entity_id: str, *, limit: int = 100) -> Iterator[AuditEntry]:
        """A thing's entries, newest first."""
        for record in AuditRecord.query(
            f"{entity}#{entity_id}", scan_index_forward=False, limit=limit
        ):
            yield _entry(record)
