"""Units exports: created whole, claimed with a conditional update and a lease, progress written
by the run that holds the lease, finished or failed once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.catalog.export import (
    KEEP_FOR,
    LEASE,
    MAX_ATTEMPTS,
    ExportStatus,
    UnitExport,
)
from chalicelib.catalog.tables import UnitExportRecord
from chalicelib.core.errors import NotFound
from chalicelib.platform.dynamodb import is_condition_failure


def _to_domain(record: UnitExportRecord) -> UnitExport:
    return UnitExport(
        export_id=record.export_id,
        brand_id=record.brand_id,
        status=ExportStatus(record.status),
        filters={str(k): str(v) for k, v in json.loads(record.filters).items()},
        language=record.language or "vi",
        created_by=record.created_by,
        created_at=record.created_at,
        rows=int(record.rows or 0),
        output_key=record.output_key,
        size_bytes=int(record.size_bytes) if record.size_bytes is not None else None,
        error_code=record.error_code,
        attempts=int(record.attempts or 0),
        started_at=record.started_at,
        finished_at=record.finished_at,
        lease_until=record.lease_until,
    )


class UnitExportRepository:
    def create(self, export: UnitExport) -> UnitExport:
        """Put the queued export (a fresh random id: never an overwrite)."""
        UnitExportRecord(
            export.export_id,
            brand_id=export.brand_id,
            status=export.status.value,
            filters=json.dumps(export.filters, sort_keys=True, separators=(",", ":")),
            language=export.language,
            created_by=export.created_by,
            created_at=export.created_at,
            updated_at=export.created_at,
            expires=export.created_at + KEEP_FOR,
        ).save(condition=UnitExportRecord.export_id.does_not_exist())
        return export

    def get(self, export_id: str) -> UnitExport:
        try:
            return _to_domain(UnitExportRecord.get(export_id))
        except DoesNotExist as exc:
            raise NotFound("unit_export_not_found") from exc

    def claim(self, export_id: str, now: datetime) -> UnitExport | None:
        """``queued`` (or ``running`` with an expired lease, attempts left) → ``running`` with a
        fresh lease; ``None`` when another run has it or it has ended."""
        record = UnitExportRecord(export_id)
        stale = (
            (UnitExportRecord.status == ExportStatus.RUNNING.value)
            & (UnitExportRecord.lease_until < now)
            & (UnitExportRecord.attempts < MAX_ATTEMPTS)
        )
        try:
            record.update(
                actions=[
                    UnitExportRecord.status.set(ExportStatus.RUNNING.value),
                    UnitExportRecord.lease_until.set(now + LEASE),
                    UnitExportRecord.attempts.add(1),
                    UnitExportRecord.rows.set(0),
                    UnitExportRecord.started_at.set(now),
                    UnitExportRecord.updated_at.set(now),
                ],
                condition=UnitExportRecord.export_id.exists()
                & ((UnitExportRecord.status == ExportStatus.QUEUED.value) | stale),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return _to_domain(record)

    def _update_running(self, export_id: str, actions: list[Any]) -> bool:
        try:
            UnitExportRecord(export_id).update(
                actions=actions,
                condition=UnitExportRecord.status == ExportStatus.RUNNING.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def progress(self, export_id: str, *, rows: int, now: datetime) -> bool:
        return self._update_running(
            export_id, [UnitExportRecord.rows.set(rows), UnitExportRecord.updated_at.set(now)]
        )

    def finish(
        self, export_id: str, *, rows: int, output_key: str, size_bytes: int, now: datetime
    ) -> bool:
        return self._update_running(
            export_id,
            [
                UnitExportRecord.status.set(ExportStatus.DONE.value),
                UnitExportRecord.rows.set(rows),
                UnitExportRecord.output_key.set(output_key),
                UnitExportRecord.size_bytes.set(size_bytes),
                UnitExportRecord.finished_at.set(now),
                UnitExportRecord.updated_at.set(now),
            ],
        )

    def fail(self, export_id: str, *, error_code: str, now: datetime) -> bool:
        return self._update_running(
            export_id,
            [
                UnitExportRecord.status.set(ExportStatus.FAILED.value),
                UnitExportRecord.error_code.set(error_code),
                UnitExportRecord.finished_at.set(now),
                UnitExportRecord.updated_at.set(now),
            ],
        )
