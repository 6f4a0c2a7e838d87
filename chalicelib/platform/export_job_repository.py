"""Export jobs: created whole, claimed with a conditional update and a lease, progress written
by the run that holds the lease, finished or failed once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core.errors import NotFound
from chalicelib.platform.dynamodb import is_condition_failure
from chalicelib.platform.export_jobs import (
    KEEP_FOR,
    LEASE,
    MAX_ATTEMPTS,
    ExportJob,
    ExportStatus,
)
from chalicelib.platform.tables import ExportJobRecord


def _to_domain(record: ExportJobRecord) -> ExportJob:
    return ExportJob(
        export_id=record.export_id,
        kind=record.kind,
        brand_id=record.brand_id or "",
        status=ExportStatus(record.status),
        params={str(k): str(v) for k, v in json.loads(record.params).items()},
        filename=record.filename,
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


class ExportJobRepository:
    def create(self, export: ExportJob) -> ExportJob:
        """Put the queued export (a fresh random id: never an overwrite)."""
        ExportJobRecord(
            export.export_id,
            kind=export.kind,
            brand_id=export.brand_id,
            status=export.status.value,
            params=json.dumps(export.params, sort_keys=True, separators=(",", ":")),
            filename=export.filename,
            language=export.language,
            created_by=export.created_by,
            created_at=export.created_at,
            updated_at=export.created_at,
            expires=export.created_at + KEEP_FOR,
        ).save(condition=ExportJobRecord.export_id.does_not_exist())
        return export

    def get(self, export_id: str, kind: str) -> ExportJob:
        """The job of that kind (``NotFound("<kind>_export_not_found")`` for another kind's:
        a route never shows another capability's export)."""
        code = f"{kind}_export_not_found"  # unit_export_not_found, reward_export_not_found
        missing = NotFound(code)
        if not export_id.isalnum() or len(export_id) > 64:
            raise missing
        try:
            job = _to_domain(ExportJobRecord.get(export_id))
        except DoesNotExist as exc:
            raise missing from exc
        if job.kind != kind:
            raise missing
        return job

    def claim(self, export_id: str, now: datetime) -> ExportJob | None:
        """``queued`` (or ``running`` with an expired lease, attempts left) → ``running`` with a
        fresh lease; ``None`` when another run has it or it has ended."""
        record = ExportJobRecord(export_id)
        stale = (
            (ExportJobRecord.status == ExportStatus.RUNNING.value)
            & (ExportJobRecord.lease_until < now)
            & (ExportJobRecord.attempts < MAX_ATTEMPTS)
        )
        try:
            record.update(
                actions=[
                    ExportJobRecord.status.set(ExportStatus.RUNNING.value),
                    ExportJobRecord.lease_until.set(now + LEASE),
                    ExportJobRecord.attempts.add(1),
                    ExportJobRecord.rows.set(0),
                    ExportJobRecord.started_at.set(now),
                    ExportJobRecord.updated_at.set(now),
                ],
                condition=ExportJobRecord.export_id.exists()
                & ((ExportJobRecord.status == ExportStatus.QUEUED.value) | stale),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return _to_domain(record)

    def _update_running(self, export_id: str, actions: list[Any]) -> bool:
        try:
            ExportJobRecord(export_id).update(
                actions=actions,
                condition=ExportJobRecord.status == ExportStatus.RUNNING.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def progress(self, export_id: str, *, rows: int, now: datetime) -> bool:
        return self._update_running(
            export_id, [ExportJobRecord.rows.set(rows), ExportJobRecord.updated_at.set(now)]
        )

    def finish(
        self, export_id: str, *, rows: int, output_key: str, size_bytes: int, now: datetime
    ) -> bool:
        return self._update_running(
            export_id,
            [
                ExportJobRecord.status.set(ExportStatus.DONE.value),
                ExportJobRecord.rows.set(rows),
                ExportJobRecord.output_key.set(output_key),
                ExportJobRecord.size_bytes.set(size_bytes),
                ExportJobRecord.finished_at.set(now),
                ExportJobRecord.updated_at.set(now),
            ],
        )

    def fail(self, export_id: str, *, error_code: str, now: datetime) -> bool:
        return self._update_running(
            export_id,
            [
                ExportJobRecord.status.set(ExportStatus.FAILED.value),
                ExportJobRecord.error_code.set(error_code),
                ExportJobRecord.finished_at.set(now),
                ExportJobRecord.updated_at.set(now),
            ],
        )
