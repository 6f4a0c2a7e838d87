"""Label sheets: ask for a job (a batch, a serial range or a list of serials, on a template),
then the job renders outside the request and leaves a PDF in the uploads bucket.

Asking checks everything that can be checked cheaply (template, stock, range, list, that the
batch exists, that the fonts can draw the brand's words), so a job that starts has what it needs.
The run streams: serials come page by page (a batch's index, a range computed, a list read from
S3), units that are not registered are skipped and counted (a sticker for them would open "not
found"), the PDF goes to a temporary file and up to S3 in parts, and progress is written at most
once a second."""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import IO, Any, Protocol

from chalicelib.domain.label_jobs import (
    MAX_ATTEMPTS,
    SKIPPED_SAMPLE,
    BatchSelection,
    LabelJob,
    LabelJobStatus,
    ListSelection,
    RangeSelection,
    Selection,
    parse_serial_list,
    range_count,
    serial_range,
)
from chalicelib.domain.labels import LabelTemplate, template_from_dict, template_to_dict
from chalicelib.domain.qr_token import QrKeyring
from chalicelib.errors import GarantiError, Invalid, NotFound
from chalicelib.integrations.label_sheets import (
    LabelContent,
    SheetReport,
    SheetTexts,
    missing_glyphs,
)
from chalicelib.observability import logger
from chalicelib.services.activation import qr_url

EXISTENCE_CHUNK = 100  # one BatchGetItem
PDF = "application/pdf"


class Storage(Protocol):
    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def put_file(self, key: str, file: IO[bytes], *, content_type: str, filename: str) -> None: ...

    def read_text(self, key: str) -> str: ...


class Jobs(Protocol):
    def create(self, job: LabelJob) -> LabelJob: ...

    def get(self, job_id: str) -> LabelJob: ...

    def claim(self, job_id: str, now: datetime) -> LabelJob | None: ...

    def started(self, job_id: str, *, total: int, now: datetime) -> bool: ...

    def progress(
        self, job_id: str, *, done: int, skipped: int, pages: int, now: datetime
    ) -> bool: ...

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
    ) -> bool: ...

    def fail(
        self, job_id: str, *, code: str, skipped: int, skipped_sample: list[str], now: datetime
    ) -> bool: ...

    def requeue(self, job_id: str, *, now: datetime) -> bool: ...


class Units(Protocol):
    def batch_exists(self, batch: str) -> bool: ...

    def serials_in_batch(self, batch: str) -> Iterator[str]: ...

    def existing_serials(self, serials: Iterable[str]) -> set[str]: ...


Render = Callable[..., SheetReport]


@dataclass(frozen=True)
class RunContext:
    jobs: Jobs
    units: Units
    storage: Storage
    keyring: QrKeyring
    portal_url: str
    texts: SheetTexts
    render: Render
    clock: Callable[[], datetime]
    progress_every_seconds: float = 1.0
    workers: int = 1  # QR encoding processes
    # Seconds left in this run (Lambda's context); the job stops with a reason, instead of
    # being killed mid-page, when less than ``reserve_seconds`` remain for the upload.
    remaining_seconds: Callable[[], float] | None = None
    reserve_seconds: float = 60.0


@dataclass(frozen=True)
class SelectionRequest:
    """What the API was asked to print: exactly one of the three."""

    batch: str | None = None
    first: str | None = None
    last: str | None = None
    serials_text: str | None = None


def _new_job_id() -> str:
    return f"lj_{uuid.uuid4().hex}"


def serials_key(job_id: str) -> str:
    return f"label-jobs/{job_id}/serials.txt"


def output_key(brand_id: str, job_id: str) -> str:
    return f"labels/{brand_id}/{job_id}.pdf"


def create_job(
    request: SelectionRequest,
    template: LabelTemplate,
    *,
    brand_id: str,
    texts: SheetTexts,
    by: str,
    now: datetime,
    jobs: Jobs,
    units: Units,
    storage: Storage,
) -> LabelJob:
    """Check the request and queue the job; the stream starts it."""
    missing = missing_glyphs(template, texts)
    if missing:
        raise Invalid("label_text_unsupported", characters=missing)
    job_id = _new_job_id()
    selection: Selection
    total = 0
    if request.batch is not None:
        if not units.batch_exists(request.batch):
            raise NotFound("batch_not_found")
        selection = BatchSelection(request.batch)
    elif request.first is not None and request.last is not None:
        total = range_count(request.first, request.last)
        selection = RangeSelection(request.first.strip().upper(), request.last.strip().upper())
    elif request.serials_text is not None:
        serials = parse_serial_list(request.serials_text)
        key = serials_key(job_id)
        storage.put_bytes(key, "\n".join(serials).encode("ascii"), content_type="text/plain")
        total = len(serials)
        selection = ListSelection(key, total)
    else:
        raise Invalid("label_selection_required")
    job = LabelJob(
        job_id=job_id,
        brand_id=brand_id,
        status=LabelJobStatus.QUEUED,
        template=json.dumps(template_to_dict(template), ensure_ascii=False, separators=(",", ":")),
        template_name=template.name,
        selection=selection,
        created_by=by,
        created_at=now,
        total=total,
    )
    created = jobs.create(job)
    logger.info(
        "label job queued",
        extra={"job_id": job_id, "template": template.name, "selection": type(selection).__name__},
    )
    return created


@dataclass
class _Tally:
    skipped: int = 0
    sample: list[str] = field(default_factory=list)

    def skip(self, serials: Iterable[str]) -> None:
        for serial in serials:
            self.skipped += 1
            if len(self.sample) < SKIPPED_SAMPLE:
                self.sample.append(serial)


def _registered(serials: Iterator[str], units: Units, tally: _Tally) -> Iterator[str]:
    """The serials that are registered units, in order; the others are tallied as skipped."""
    while chunk := list(islice(serials, EXISTENCE_CHUNK)):
        found = units.existing_serials(chunk)
        tally.skip(s for s in chunk if s not in found)
        yield from (s for s in chunk if s in found)


def _serials(selection: Selection, context: RunContext, tally: _Tally) -> tuple[Iterator[str], int]:
    if isinstance(selection, BatchSelection):
        total = sum(1 for _ in context.units.serials_in_batch(selection.batch))
        return context.units.serials_in_batch(selection.batch), total
    if isinstance(selection, RangeSelection):
        source: Iterator[str] = serial_range(selection.first, selection.last)
        return _registered(source, context.units, tally), range_count(
            selection.first, selection.last
        )
    text = context.storage.read_text(selection.key)
    lines = (line.strip() for line in io.StringIO(text))
    return _registered((s for s in lines if s), context.units, tally), selection.count


def download_name(job: LabelJob) -> str:
    selection = job.selection
    if isinstance(selection, BatchSelection):
        what = selection.batch
    elif isinstance(selection, RangeSelection):
        what = f"{selection.first}-{selection.last}"
    else:
        what = f"{selection.count}-serials"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in what)[:60]
    return f"labels-{safe}-{job.template_name}.pdf"


def run_job(job_id: str, *, context: RunContext) -> LabelJob | None:
    """Claim the job and render it; ``None`` when it is not for this run (already claimed,
    ended, or gone). A named error fails the job with its code; anything else puts it back in
    the queue while attempts are left (the stream starts it again), then fails it."""
    clock = context.clock
    job = context.jobs.claim(job_id, clock())
    if job is None:
        logger.info("label job not claimed", extra={"job_id": job_id})
        return None
    tally = _Tally()
    log = {"job_id": job_id, "attempt": job.attempts}
    logger.info("label job started", extra=log)
    try:
        template = template_from_dict(json.loads(job.template))
        serials, total = _serials(job.selection, context, tally)
        context.jobs.started(job_id, total=total, now=clock())
        last = [clock()]

        def progress(pages: int, labels: int) -> None:
            remaining = context.remaining_seconds
            if remaining is not None and remaining() < context.reserve_seconds:
                raise Invalid("label_job_too_large")
            now = clock()
            if (now - last[0]).total_seconds() >= context.progress_every_seconds:
                last[0] = now
                context.jobs.progress(
                    job_id, done=labels, skipped=tally.skipped, pages=pages, now=now
                )

        labels = (
            LabelContent(serial, qr_url(context.portal_url, context.keyring.issue(serial)))
            for serial in serials
        )
        with tempfile.TemporaryFile() as file:
            report = context.render(
                template,
                labels,
                file,
                texts=context.texts,
                title=f"{context.texts.brand} · {download_name(job)}",
                on_page=progress,
                workers=context.workers,
            )
            if report.labels == 0:
                raise NotFound("label_job_empty")
            key = output_key(job.brand_id, job_id)
            context.storage.put_file(key, file, content_type=PDF, filename=download_name(job))
        context.jobs.finish(
            job_id,
            done=report.labels,
            skipped=tally.skipped,
            skipped_sample=tally.sample,
            pages=report.pages,
            output_key=key,
            size_bytes=report.bytes,
            now=clock(),
        )
        logger.info(
            "label job done",
            extra={**log, "labels": report.labels, "pages": report.pages, "bytes": report.bytes},
        )
    except GarantiError as exc:
        logger.warning("label job failed", extra={**log, "code": exc.code})
        context.jobs.fail(
            job_id, code=exc.code, skipped=tally.skipped, skipped_sample=tally.sample, now=clock()
        )
    except Exception:  # noqa: BLE001 - a job must end in a state a person can read
        logger.exception("label job crashed", extra=log)
        if job.attempts < MAX_ATTEMPTS:
            context.jobs.requeue(job_id, now=clock())
        else:
            context.jobs.fail(
                job_id,
                code="label_job_failed",
                skipped=tally.skipped,
                skipped_sample=tally.sample,
                now=clock(),
            )
    return context.jobs.get(job_id)


def selection_view(selection: Selection) -> dict[str, Any]:
    if isinstance(selection, BatchSelection):
        return {"batch": selection.batch}
    if isinstance(selection, RangeSelection):
        return {"from_serial": selection.first, "to_serial": selection.last}
    return {"serials": selection.count}
