"""Label jobs: created whole, claimed with a conditional update and a lease, progress written
by the run that holds the lease, finished or failed once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.labels.jobs import (
    KEEP_FOR,
    LEASE,
    MAX_ATTEMPTS,
    BatchSelection,
    CartonSelection,
    LabelJob,
    LabelJobStatus,
    ListSelection,
    RangeSelection,
    Selection,
)
from chalicelib.labels.tables import LabelJobRecord
from chalicelib.platform.dynamodb import is_condition_failure


def selection_to_dict(selection: Selection) -> dict[str, Any]:
    if isinstance(selection, BatchSelection):
        return {"kind": "batch", "batch": selection.batch}
    if isinstance(selection, RangeSelection):
        return {"kind": "range", "first": selection.first, "last": selection.last}
    if isinstance(selection, CartonSelection):
        return {"kind": "cartons", "codes": list(selection.codes)}
    return {"kind": "list", "key": selection.key, "count": selection.count}


def selection_from_dict(doc: dict[str, Any]) -> Selection:
    kind = doc.get("kind")
    if kind == "batch":
        return BatchSelection(str(doc["batch"]))
    if kind == "range":
        return RangeSelection(str(doc["first"]), str(doc["last"]))
    if kind == "cartons":
        return CartonSelection(tuple(str(code) for code in doc["codes"]))
    return ListSelection(str(doc["key"]), int(doc["count"]))


def _to_domain(record: LabelJobRecord) -> LabelJob:
    template = json.loads(record.template)
    return LabelJob(
        job_id=record.job_id,
        brand_id=record.brand_id,
        status=LabelJobStatus(record.status),
        template=record.template,
        template_name=str(template.get("name", "")),
        selection=selection_from_dict(json.loads(record.selection)),
        created_by=record.created_by,
        created_at=record.created_at,
        total=int(record.total or 0),
        done=int(record.done or 0),
        skipped=int(record.skipped or 0),
        skipped_sample=tuple(record.skipped_sample or ()),
        pages=int(record.pages or 0),
        output_key=record.output_key,
        size_bytes=int(record.size_bytes) if record.size_bytes is not None else None,
        error_code=record.error_code,
        attempts=int(record.attempts or 0),
        runs=int(record.runs or 0),
        upload_id=record.upload_id,
        parts=tuple((int(n), str(etag)) for n, etag in json.loads(record.parts or "[]")),
        state_key=record.state_key,
        lease_until=record.lease_until,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


class LabelJobRepository:
    def create(self, job: LabelJob) -> LabelJob:
        record = LabelJobRecord(
            job.job_id,
            brand_id=job.brand_id,
            status=job.status.value,
            template=job.template,
            selection=json.dumps(selection_to_dict(job.selection), separators=(",", ":")),
            total=job.total,
            created_by=job.created_by,
            created_at=job.created_at,
            updated_at=job.created_at,
            expires=job.created_at + KEEP_FOR,
        )
        try:
            record.save(condition=LabelJobRecord.job_id.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("label_job_exists") from exc
            raise
        return job

    def get(self, job_id: str) -> LabelJob:
        try:
            return _to_domain(LabelJobRecord.get(job_id))
        except DoesNotExist as exc:
            raise NotFound("label_job_not_found") from exc

    def list_for_brand(
        self, brand_id: str, *, limit: int, cursor: dict[str, Any] | None = None
    ) -> tuple[list[LabelJob], dict[str, Any] | None]:
        """A brand's jobs, newest first, one page."""
        result = LabelJobRecord.brand_index.query(
            brand_id, scan_index_forward=False, limit=limit, last_evaluated_key=cursor
        )
        jobs = [_to_domain(record) for record in result]
        return jobs, result.last_evaluated_key

    def claim(self, job_id: str, now: datetime) -> LabelJob | None:
        """``queued`` (or ``running`` with an expired lease, attempts left) → ``running`` with a
        fresh lease; ``None`` when another run has it or it has ended."""
        record = LabelJobRecord(job_id)
        stale = (
            (LabelJobRecord.status == LabelJobStatus.RUNNING.value)
            & (LabelJobRecord.lease_until < now)
            & (LabelJobRecord.attempts < MAX_ATTEMPTS)
        )
        try:
            record.update(
                actions=[
                    LabelJobRecord.status.set(LabelJobStatus.RUNNING.value),
                    LabelJobRecord.lease_until.set(now + LEASE),
                    LabelJobRecord.attempts.add(1),
                    LabelJobRecord.started_at.set(
                        LabelJobRecord.started_at | now  # the first run's start
                    ),
                    LabelJobRecord.updated_at.set(now),
                ],
                condition=LabelJobRecord.job_id.exists()
                & ((LabelJobRecord.status == LabelJobStatus.QUEUED.value) | stale),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return _to_domain(record)

    def _update_running(self, job_id: str, actions: list[Any]) -> bool:
        try:
            LabelJobRecord(job_id).update(
                actions=actions,
                condition=LabelJobRecord.status == LabelJobStatus.RUNNING.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def started(self, job_id: str, *, total: int, now: datetime) -> bool:
        return self._update_running(
            job_id, [LabelJobRecord.total.set(total), LabelJobRecord.updated_at.set(now)]
        )

    def progress(self, job_id: str, *, done: int, skipped: int, pages: int, now: datetime) -> bool:
        return self._update_running(
            job_id,
            [
                LabelJobRecord.done.set(done),
                LabelJobRecord.skipped.set(skipped),
                LabelJobRecord.pages.set(pages),
                LabelJobRecord.updated_at.set(now),
            ],
        )

    def finish(
        self,
        job_id: str,
        *,
        done: int,
        skipped: int,
        skipped_sample: list[str],
        pages: int,
        output_key: str,
        size_bytes: int,
        now: datetime,
    ) -> bool:
        return self._update_running(
            job_id,
            [
                LabelJobRecord.status.set(LabelJobStatus.DONE.value),
                LabelJobRecord.done.set(done),
                LabelJobRecord.total.set(done + skipped),
                LabelJobRecord.skipped.set(skipped),
                LabelJobRecord.skipped_sample.set(skipped_sample),
                LabelJobRecord.pages.set(pages),
                LabelJobRecord.output_key.set(output_key),
                LabelJobRecord.size_bytes.set(size_bytes),
                LabelJobRecord.finished_at.set(now),
                LabelJobRecord.updated_at.set(now),
                LabelJobRecord.lease_until.remove(),
            ],
        )

    def set_upload(self, job_id: str, *, upload_id: str, now: datetime) -> bool:
        return self._update_running(
            job_id, [LabelJobRecord.upload_id.set(upload_id), LabelJobRecord.updated_at.set(now)]
        )

    def suspend(
        self,
        job_id: str,
        *,
        parts: list[tuple[int, str]],
        state_key: str,
        done: int,
        skipped: int,
        pages: int,
        now: datetime,
    ) -> bool:
        """The run stopped between pages with its part uploaded: back to ``queued`` for the
        next run (the stream starts it), which goes on from ``state_key``."""
        return self._update_running(
            job_id,
            [
                LabelJobRecord.status.set(LabelJobStatus.QUEUED.value),
                LabelJobRecord.parts.set(json.dumps(parts)),
                LabelJobRecord.state_key.set(state_key),
                LabelJobRecord.done.set(done),
                LabelJobRecord.skipped.set(skipped),
                LabelJobRecord.pages.set(pages),
                LabelJobRecord.attempts.set(0),
                LabelJobRecord.runs.add(1),
                LabelJobRecord.updated_at.set(now),
                LabelJobRecord.lease_until.remove(),
            ],
        )

    def requeue(self, job_id: str, *, now: datetime) -> bool:
        """Back to ``queued`` after a crash (attempts left): the stream starts it again."""
        return self._update_running(
            job_id,
            [
                LabelJobRecord.status.set(LabelJobStatus.QUEUED.value),
                LabelJobRecord.updated_at.set(now),
                LabelJobRecord.lease_until.remove(),
            ],
        )

    def fail(
        self, job_id: str, *, code: str, skipped: int, skipped_sample: list[str], now: datetime
    ) -> bool:
        return self._update_running(
            job_id,
            [
                LabelJobRecord.status.set(LabelJobStatus.FAILED.value),
                LabelJobRecord.error_code.set(code),
                LabelJobRecord.skipped.set(skipped),
                LabelJobRecord.skipped_sample.set(skipped_sample),
                LabelJobRecord.finished_at.set(now),
                LabelJobRecord.updated_at.set(now),
                LabelJobRecord.lease_until.remove(),
            ],
        )
