"""Excel exports as jobs, for every capability: asked for by a request, written outside it.

A request puts a ``queued`` job (its ``kind`` says which capability writes it, ``params`` what
to write) and answers 202; the ``exports`` stream starts the run, which claims the job with a
conditional update and a lease (a stream record delivered twice writes one file), lets the
kind's writer stream rows into a temporary file (xlsxwriter in constant-memory mode: memory stays
flat from 1,000 to 100,000 rows), uploads it and marks the job done. The request's caller polls
the job and gets a short-lived download link. Pure: the table, the bucket and the writers are
ports.

>>> job = new_job("units", {"status": "activated"}, language="vi", by="cs",
...               now=datetime(2026, 12, 1, 3, 0), filename="units.xlsx")
>>> job.status.value, job.kind, job.params
('queued', 'units', {'status': 'activated'})
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import IO, Protocol

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=16)  # longer than the function's 15 minutes: a live run keeps it
MAX_ATTEMPTS = 2  # a run that died (timeout, crash) is taken over once
KEEP_FOR = timedelta(days=7)  # the job's record (TTL); the file's link only while kept
DOWNLOAD_LINK_TTL = timedelta(minutes=15)
PROGRESS_EVERY = 1000  # rows between two progress writes (100 writes for 100,000 rows)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ExportJob:
    export_id: str
    kind: str  # which capability's writer: ``units``, ``rewards``, …
    params: dict[str, str]  # what to write (the writer's own parameters, checked when asked)
    status: ExportStatus
    language: str
    created_by: str
    created_at: datetime
    filename: str  # what the download is called
    brand_id: str = ""
    rows: int = 0
    output_key: str | None = None
    size_bytes: int | None = None
    error_code: str | None = None
    attempts: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    lease_until: datetime | None = None

    def stalled(self, now: datetime) -> bool:
        """A run that died with no attempt left: it will never end by itself."""
        return (
            self.status is ExportStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < now
            and self.attempts >= MAX_ATTEMPTS
        )


class ExportJobs(Protocol):
    def create(self, job: ExportJob) -> ExportJob: ...
    def get(self, export_id: str, kind: str) -> ExportJob: ...
    def claim(self, export_id: str, now: datetime) -> ExportJob | None: ...
    def progress(self, export_id: str, *, rows: int, now: datetime) -> bool: ...
    def finish(
        self, export_id: str, *, rows: int, output_key: str, size_bytes: int, now: datetime
    ) -> bool: ...
    def fail(self, export_id: str, *, error_code: str, now: datetime) -> bool: ...


class ExportStorage(Protocol):
    def upload_from(
        self, key: str, file: IO[bytes], *, content_type: str, filename: str
    ) -> None: ...


# A kind's writer: the job, the file to write, a progress callback (rows so far) → rows written.
Writer = Callable[[ExportJob, IO[bytes], Callable[[int], object]], int]


def new_job(
    kind: str,
    params: Mapping[str, str],
    *,
    language: str,
    by: str,
    now: datetime,
    filename: str,
    brand_id: str = "",
) -> ExportJob:
    """A queued job (a fresh random id: the put never overwrites)."""
    return ExportJob(
        export_id=uuid.uuid4().hex,
        kind=kind,
        params=dict(params),
        status=ExportStatus.QUEUED,
        language=language,
        created_by=by,
        created_at=now,
        filename=filename,
        brand_id=brand_id,
    )


def run_job(
    export_id: str,
    *,
    jobs: ExportJobs,
    writers: Mapping[str, Writer],
    storage: ExportStorage,
    clock: Callable[[], datetime],
) -> bool:
    """Write the job's file once: ``False`` when another run holds it or it has ended. A
    failure (or a kind nobody writes) marks it failed (``<kind>_export_failed``) and is logged,
    never retried blindly."""
    job = jobs.claim(export_id, clock())
    if job is None:
        return False
    key = f"exports/{job.kind}/{job.export_id}.xlsx"
    try:
        write = writers[job.kind]
        with tempfile.TemporaryFile() as out:
            rows = write(job, out, lambda n: jobs.progress(export_id, rows=n, now=clock()))
            size = out.tell()
            storage.upload_from(key, out, content_type=XLSX, filename=job.filename)
    except Exception:
        logger.exception("export failed", extra={"export_id": export_id, "kind": job.kind})
        jobs.fail(export_id, error_code=f"{job.kind}_export_failed", now=clock())
        return True
    jobs.finish(export_id, rows=rows, output_key=key, size_bytes=size, now=clock())
    logger.info("export written", extra={"export_id": export_id, "kind": job.kind, "rows": rows})
    return True
