"""The audit trail's store: entries are put once (a deterministic key, so recording the same
event twice leaves one entry) and read by thing, by day or by staff member."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.audit.model import AuditEntry, AuditPage
from chalicelib.audit.tables import AuditRecord
from chalicelib.platform.dynamodb import is_condition_failure


def _sort_key(entry: AuditEntry) -> str:
    """``<ISO time>#[<order>#]<entry id>``: time first, then (stream entries of one second)
    the record's sequence number, so a thing's quick successive changes read in order."""
    order = f"{entry.order}#" if entry.order else ""
    return f"{entry.at.isoformat(timespec='milliseconds')}#{order}{entry.entry_id}"


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
        record = self._record_of(entry)
        try:
            record.save(condition=AuditRecord.entity_key.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def record_all(self, entries: Sequence[AuditEntry]) -> None:
        """Put every entry, 25 to a ``BatchWriteItem`` (PynamoDB sends the unprocessed ones
        again). No condition: a stream entry's key and content come from its stream record
        alone, so a redelivered record puts the same item again, changing nothing."""
        with AuditRecord.batch_write() as batch:
            for entry in entries:
                batch.save(self._record_of(entry))

    def _record_of(self, entry: AuditEntry) -> AuditRecord:
        return AuditRecord(
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

    def for_entity(self, entity: str, entity_id: str, *, limit: int = 100) -> Iterator[AuditEntry]:
        """A thing's entries, newest first."""
        for record in AuditRecord.query(
            f"{entity}#{entity_id}", scan_index_forward=False, limit=limit
        ):
            yield _entry(record)

    def _page(
        self, query: Any, hash_key: str, span: tuple[datetime, datetime] | None, **kwargs: Any
    ) -> AuditPage:
        condition = None
        if span is not None:  # [start, end): a sort key is "<ISO time>#<id>"
            low, high = (t.isoformat(timespec="milliseconds") for t in span)
            condition = AuditRecord.sort_key.between(low, high)
        entity = kwargs.pop("entity", None)
        results = query(
            hash_key,
            range_key_condition=condition,
            filter_condition=(AuditRecord.entity == entity) if entity else None,
            scan_index_forward=False,
            limit=kwargs.pop("limit"),
            last_evaluated_key=kwargs.pop("start", None),
        )
        entries = [_entry(record) for record in results]
        return AuditPage(entries, results.last_evaluated_key)

    def entity_page(
        self,
        entity: str,
        entity_id: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
    ) -> AuditPage:
        """One thing's entries, newest first, within ``span`` if given; ``last_key`` resumes."""
        return self._page(
            AuditRecord.query, f"{entity}#{entity_id}", span, limit=limit, start=start
        )

    def actor_page(
        self,
        actor: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
        entity: str | None = None,
    ) -> AuditPage:
        """One staff member's entries (``actor_index``), newest first."""
        return self._page(
            AuditRecord.actor_index.query,
            f"{self._brand_id}#{actor}",
            span,
            limit=limit,
            start=start,
            entity=entity,
        )

    def day_page(
        self,
        day: str,
        *,
        limit: int,
        start: dict[str, Any] | None = None,
        span: tuple[datetime, datetime] | None = None,
        entity: str | None = None,
    ) -> AuditPage:
        """The brand's entries of one UTC day (``day_index``, ``YYYY-MM-DD``), newest first."""
        return self._page(
            AuditRecord.day_index.query,
            f"{self._brand_id}#{day}",
            span,
            limit=limit,
            start=start,
            entity=entity,
        )
