"""Unit import jobs: created whole, started once uploaded, claimed with a conditional update and
a lease, progress written by the run that holds the lease, finished or failed once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.catalog.import_jobs import (
    KEEP_FOR,
    LEASE,
    MAX_ATTEMPTS,
    ImportStatus,
    LineResult,
    UnitImport,
)
from chalicelib.catalog.tables import UnitImportRecord
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.platform.dynamodb import is_condition_failure


def _sample_to_json(sample: list[LineResult]) -> str:
    rows = [[r.line, r.serial, r.model_code, r.reason] for r in sample]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _sample_from_json(text: str | None) -> tuple[LineResult, ...]:
    return tuple(
        LineResult(int(line), str(serial), str(model), str(reason))
        for line, serial, model, reason in json.loads(text or "[]")
    )


def _counted(text: str | None) -> tuple[int, int, int]:
    done, imported, rejected = json.loads(text or "[0,0,0]")
    return int(done), int(imported), int(rejected)


def _to_domain(record: UnitImportRecord) -> UnitImport:
    return UnitImport(
        import_id=record.import_id,
        brand_id=record.brand_id,
        filename=record.filename,
        kind=record.kind,
        size_bytes=int(record.size_bytes),
        status=ImportStatus(record.status),
        language=record.language or "vi",
        created_by=record.created_by,
        created_at=record.created_at,
        total=int(record.total or 0),
        done=int(record.done or 0),
        imported=int(record.imported or 0),
        rejected=int(record.rejected or 0),
        rejected_sample=_sample_from_json(record.rejected_sample),
        next_line=int(record.next_line or 0),
        counted=_counted(record.counted),
        parts=int(record.parts or 0),
        report_key=record.report_key,
        error_code=record.error_code,
        error_details=json.loads(record.error_details or "{}"),
        attempts=int(record.attempts or 0),
        runs=int(record.runs or 0),
        lease_until=record.lease_until,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


class UnitImportRepository:
    def create(self, job: UnitImport) -> UnitImport:
        record = UnitImportRecord(
            job.import_id,
            brand_id=job.brand_id,
            filename=job.filename,
            kind=job.kind,
            size_bytes=job.size_bytes,
            status=job.status.value,
            language=job.language,
            created_by=job.created_by,
            created_at=job.created_at,
            updated_at=job.created_at,
            expires=job.created_at + KEEP_FOR,
        )
        try:
            record.save(condition=UnitImportRecord.import_id.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("unit_import_exists") from exc
            raise
        return job

    def get(self, import_id: str) -> UnitImport:
        try:
            return _to_domain(UnitImportRecord.get(import_id, consistent_read=True))
        except DoesNotExist as exc:
            raise NotFound("unit_import_not_found") from exc

    def list_for_brand(
        self, brand_id: str, *, limit: int, cursor: dict[str, Any] | None = None
    ) -> tuple[list[UnitImport], dict[str, Any] | None]:
        """A brand's imports, newest first, one page."""
        result = UnitImportRecord.brand_index.query(
            brand_id, scan_index_forward=False, limit=limit, last_evaluated_key=cursor
        )
        jobs = [_to_domain(record) for record in result]
        return jobs, result.last_evaluated_key

    def queue(self, import_id: str, *, now: datetime) -> bool:
        """``uploading`` → ``queued`` once (the stream starts it); ``False`` when it was
        started before."""
        try:
            UnitImportRecord(import_id).update(
                actions=[
                    UnitImportRecord.status.set(ImportStatus.QUEUED.value),
                    UnitImportRecord.updated_at.set(now),
                ],
                condition=UnitImportRecord.status == ImportStatus.UPLOADING.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def claim(self, import_id: str, now: datetime) -> UnitImport | None:
        """``queued`` (or ``running`` with an expired lease, attempts left) → ``running`` with
        a fresh lease; ``None`` when another run has it or it has ended."""
        record = UnitImportRecord(import_id)
        stale = (
            (UnitImportRecord.status == ImportStatus.RUNNING.value)
            & (UnitImportRecord.lease_until < now)
            & (UnitImportRecord.attempts < MAX_ATTEMPTS)
        )
        try:
            record.update(
                actions=[
                    UnitImportRecord.status.set(ImportStatus.RUNNING.value),
                    UnitImportRecord.lease_until.set(now + LEASE),
                    UnitImportRecord.attempts.add(1),
                    UnitImportRecord.started_at.set(UnitImportRecord.started_at | now),
                    UnitImportRecord.updated_at.set(now),
                ],
                condition=UnitImportRecord.import_id.exists()
                & ((UnitImportRecord.status == ImportStatus.QUEUED.value) | stale),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return _to_domain(record)

    def _update_running(self, import_id: str, actions: list[Any]) -> bool:
        try:
            UnitImportRecord(import_id).update(
                actions=actions,
                condition=UnitImportRecord.status == ImportStatus.RUNNING.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def started(self, import_id: str, *, total: int, now: datetime) -> bool:
        return self._update_running(
            import_id, [UnitImportRecord.total.set(total), UnitImportRecord.updated_at.set(now)]
        )

    def progress(
        self, import_id: str, *, done: int, imported: int, rejected: int, now: datetime
    ) -> bool:
        return self._update_running(
            import_id,
            [
                UnitImportRecord.done.set(done),
                UnitImportRecord.imported.set(imported),
                UnitImportRecord.rejected.set(rejected),
                UnitImportRecord.updated_at.set(now),
            ],
        )

    def suspend(
        self,
        import_id: str,
        *,
        next_line: int,
        parts: int,
        done: int,
        imported: int,
        rejected: int,
        sample: list[LineResult],
        now: datetime,
    ) -> bool:
        """The run stopped between chunks with its results uploaded: back to ``queued`` for
        the next run (the stream starts it), which goes on from ``next_line``."""
        return self._update_running(
            import_id,
            [
                UnitImportRecord.status.set(ImportStatus.QUEUED.value),
                UnitImportRecord.next_line.set(next_line),
                UnitImportRecord.counted.set(json.dumps([done, imported, rejected])),
                UnitImportRecord.parts.set(parts),
                UnitImportRecord.done.set(done),
                UnitImportRecord.imported.set(imported),
                UnitImportRecord.rejected.set(rejected),
                UnitImportRecord.rejected_sample.set(_sample_to_json(sample)),
                UnitImportRecord.attempts.set(0),
                UnitImportRecord.runs.add(1),
                UnitImportRecord.updated_at.set(now),
                UnitImportRecord.lease_until.remove(),
            ],
        )

    def finish(
        self,
        import_id: str,
        *,
        done: int,
        imported: int,
        rejected: int,
        sample: list[LineResult],
        report_key: str,
        now: datetime,
    ) -> bool:
        return self._update_running(
            import_id,
            [
                UnitImportRecord.status.set(ImportStatus.DONE.value),
                UnitImportRecord.total.set(done),
                UnitImportRecord.done.set(done),
                UnitImportRecord.imported.set(imported),
                UnitImportRecord.rejected.set(rejected),
                UnitImportRecord.rejected_sample.set(_sample_to_json(sample)),
                UnitImportRecord.report_key.set(report_key),
                UnitImportRecord.finished_at.set(now),
                UnitImportRecord.updated_at.set(now),
                UnitImportRecord.lease_until.remove(),
            ],
        )

    def requeue(self, import_id: str, *, now: datetime) -> bool:
        """Back to ``queued`` after a crash (attempts left): the stream starts it again."""
        return self._update_running(
            import_id,
            [
                UnitImportRecord.status.set(ImportStatus.QUEUED.value),
                UnitImportRecord.updated_at.set(now),
                UnitImportRecord.lease_until.remove(),
            ],
        )

    def fail(
        self, import_id: str, *, code: str, details: dict[str, Any] | None = None, now: datetime
    ) -> bool:
        return self._update_running(
            import_id,
            [
                UnitImportRecord.status.set(ImportStatus.FAILED.value),
                UnitImportRecord.error_code.set(code),
                UnitImportRecord.error_details.set(json.dumps(details or {}, default=str)),
                UnitImportRecord.finished_at.set(now),
                UnitImportRecord.updated_at.set(now),
                UnitImportRecord.lease_until.remove(),
            ],
        )
