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

from chalicelib.catalog.cartons import Carton, normalize_carton_code
from chalicelib.core.errors import GarantiError, Invalid, NotFound
from chalicelib.core.observability import logger
from chalicelib.core.qr_token import UnitLinks
from chalicelib.labels.carton_labels import TEMPLATE_NAME as CARTON_TEMPLATE
from chalicelib.labels.carton_labels import CartonLabel, CartonTexts
from chalicelib.labels.jobs import (
    MAX_ATTEMPTS,
    MAX_CARTON_LABELS,
    MAX_RUNS,
    SKIPPED_SAMPLE,
    BatchSelection,
    CartonSelection,
    LabelJob,
    LabelJobStatus,
    ListSelection,
    RangeSelection,
    Selection,
    parse_serial_list,
    range_count,
    serial_range,
)
from chalicelib.labels.sheets import (
    LabelContent,
    SheetReport,
    SheetTexts,
    missing_glyphs,
)
from chalicelib.labels.template import LabelTemplate, template_from_dict, template_to_dict

EXISTENCE_CHUNK = 100  # one BatchGetItem
MIN_PART_BYTES = 5 * 1024 * 1024  # S3: every part of a multipart upload but the last
PDF = "application/pdf"


class Storage(Protocol):
    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def read_text(self, key: str) -> str: ...

    def start_upload(self, key: str, *, content_type: str, filename: str) -> str: ...

    def upload_part(self, key: str, upload_id: str, number: int, file: IO[bytes]) -> str: ...

    def complete_upload(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None: ...

    def abort_upload(self, key: str, upload_id: str) -> None: ...


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

    def set_upload(self, job_id: str, *, upload_id: str, now: datetime) -> bool: ...

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
    ) -> bool: ...


class Units(Protocol):
    def batch_exists(self, batch: str) -> bool: ...

    def serials_in_batch(self, batch: str, after: str | None = None) -> Iterator[str]: ...

    def count_in_batch(self, batch: str) -> int: ...

    def existing_serials(self, serials: Iterable[str]) -> set[str]: ...


class Cartons(Protocol):
    def get(self, code: str) -> Carton: ...


Render = Callable[..., SheetReport]


@dataclass(frozen=True)
class RunContext:
    jobs: Jobs
    units: Units
    storage: Storage
    links: UnitLinks  # each label's QR link
    texts: SheetTexts
    render: Render
    clock: Callable[[], datetime]
    progress_every_seconds: float = 1.0
    workers: int = 1  # QR encoding processes
    # Seconds left in this run (Lambda's context); the job stops with a reason, instead of
    # being killed mid-page, when less than ``reserve_seconds`` remain for the upload.
    remaining_seconds: Callable[[], float] | None = None
    reserve_seconds: float = 60.0
    min_part_bytes: int = MIN_PART_BYTES
    # Carton labels (a CartonSelection): the cartons' counts, their words and their renderer.
    cartons: Cartons | None = None
    carton_texts: CartonTexts | None = None
    render_cartons: Render | None = None


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


def create_carton_job(
    codes: Iterable[str], *, brand_id: str, by: str, now: datetime, jobs: Jobs, cartons: Cartons
) -> LabelJob:
    """Queue the labels of these cartons (each must exist: ``carton_not_found``), one page a
    carton in the order asked, repeats dropped."""
    wanted = list(dict.fromkeys(normalize_carton_code(code) for code in codes))
    if not wanted:
        raise Invalid("label_selection_required")
    if len(wanted) > MAX_CARTON_LABELS:
        raise Invalid("too_many_labels", limit=MAX_CARTON_LABELS)
    for code in wanted:
        cartons.get(code)
    job = LabelJob(
        job_id=_new_job_id(),
        brand_id=brand_id,
        status=LabelJobStatus.QUEUED,
        template=json.dumps({"name": CARTON_TEMPLATE}),  # a fixed layout (carton_labels)
        template_name=CARTON_TEMPLATE,
        selection=CartonSelection(tuple(wanted)),
        created_by=by,
        created_at=now,
        total=len(wanted),
    )
    created = jobs.create(job)
    logger.info("carton label job queued", extra={"job_id": job.job_id, "cartons": len(wanted)})
    return created


def _carton_label(carton: Carton) -> CartonLabel:
    return CartonLabel(carton.code, carton.units, dict(carton.models))


@dataclass
class _Tally:
    """Serials skipped (not registered units) in this run, with a sample and its positions."""

    skipped: int = 0
    sample: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, entries: Iterable[tuple[int, str]]) -> None:
        for position, serial in entries:
            self.skipped += 1
            if len(self.sample) < SKIPPED_SAMPLE:
                self.sample.append((position, serial))


def _registered(
    entries: Iterator[tuple[int, str]], units: Units, tally: _Tally
) -> Iterator[tuple[int, str]]:
    """The entries whose serial is a registered unit, in order; the others are tallied."""
    while chunk := list(islice(entries, EXISTENCE_CHUNK)):
        found = units.existing_serials(serial for _, serial in chunk)
        tally.skip(entry for entry in chunk if entry[1] not in found)
        yield from (entry for entry in chunk if entry[1] in found)


def _source(
    selection: Selection, context: RunContext, tally: _Tally, after: tuple[int, str] | None
) -> Iterator[tuple[int, str]]:
    """(position, serial) of the selection, from the one after ``after`` (a resumed run)."""
    start = after[0] + 1 if after else 0
    if isinstance(selection, BatchSelection):
        serials = context.units.serials_in_batch(selection.batch, after=after[1] if after else None)
        return enumerate(serials, start=start)
    if isinstance(selection, RangeSelection):
        numbered = enumerate(serial_range(selection.first, selection.last))
    elif isinstance(selection, CartonSelection):  # drawn by _Run._execute_cartons
        raise Invalid("label_selection_required")
    else:
        text = context.storage.read_text(selection.key)
        lines = (line.strip() for line in io.StringIO(text))
        numbered = enumerate(s for s in lines if s)
    return _registered(islice(numbered, start, None), context.units, tally)


def _total(selection: Selection, context: RunContext) -> int:
    if isinstance(selection, CartonSelection):
        return len(selection.codes)
    if isinstance(selection, BatchSelection):
        return context.units.count_in_batch(selection.batch)
    if isinstance(selection, RangeSelection):
        return range_count(selection.first, selection.last)
    return selection.count


def download_name(job: LabelJob) -> str:
    selection = job.selection
    if isinstance(selection, BatchSelection):
        what = selection.batch
    elif isinstance(selection, RangeSelection):
        what = f"{selection.first}-{selection.last}"
    elif isinstance(selection, CartonSelection):
        first, count = selection.codes[0], len(selection.codes)
        what = first if count == 1 else f"{first}-{count}-cartons"
    else:
        what = f"{selection.count}-serials"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in what)[:60]
    return f"labels-{safe}-{job.template_name}.pdf"


def run_job(job_id: str, *, context: RunContext) -> LabelJob | None:
    """Claim the job and render it; ``None`` when it is not for this run (already claimed,
    ended, or gone). A named error fails the job with its code; anything else puts it back in
    the queue while attempts are left (the stream starts it again), then fails it.

    A job that needs more time than one run has (Lambda stops a function at 15 minutes) stops
    between pages once its run is near the end and has written at least a part's worth (S3's
    5 MiB minimum): the run's bytes go up as one part of the PDF's multipart upload, the
    writer's state and the position in the serials go to S3, and the job goes back to the
    queue; the next run appends the next part. The last run completes the upload."""
    job = context.jobs.claim(job_id, context.clock())
    if job is None:
        logger.info("label job not claimed", extra={"job_id": job_id})
        return None
    run = _Run(job, context)
    logger.info("label job started", extra=run.log)
    try:
        run.execute()
    except GarantiError as exc:
        logger.warning("label job failed", extra={**run.log, "code": exc.code})
        run.fail(exc.code)
    except Exception:  # noqa: BLE001 - a job must end in a state a person can read
        logger.exception("label job crashed", extra=run.log)
        if job.attempts < MAX_ATTEMPTS:
            context.jobs.requeue(job_id, now=context.clock())
        else:
            run.fail("label_job_failed")
    return context.jobs.get(job_id)


class _Run:
    """One run of a claimed job: resume where the previous run stopped (its saved state), draw
    pages into a temporary file, upload it as the next part, then finish or suspend the job."""

    def __init__(self, job: LabelJob, context: RunContext) -> None:
        self.job, self.context = job, context
        self.tally = _Tally()
        self.log = {"job_id": job.job_id, "attempt": job.attempts, "run": job.runs + 1}
        self.key = output_key(job.brand_id, job.job_id)
        self.upload_id = job.upload_id
        self.saved: dict[str, Any] = {}
        self.after: tuple[int, str] | None = None  # the last serial drawn by the previous run
        self._last_progress = context.clock()
        self._file: IO[bytes] | None = None

    def fail(self, code: str) -> None:
        """The job ends ``failed`` with ``code``, its skipped serials counted over every run, and
        the PDF's upload aborted."""
        job_id, context = self.job.job_id, self.context
        sample = [serial for _, serial in self._sample_before() + self.tally.sample]
        context.jobs.fail(
            job_id,
            code=code,
            skipped=self.skipped_before + self.tally.skipped,
            skipped_sample=sample[:SKIPPED_SAMPLE],
            now=context.clock(),
        )
        if self.upload_id is not None:
            try:
                context.storage.abort_upload(self.key, self.upload_id)
            except Exception:  # noqa: BLE001 - the bucket's lifecycle rule aborts it after a day
                logger.warning("label job upload not aborted", extra={"job_id": job_id})

    def _sample_before(self) -> list[tuple[int, str]]:
        return [(int(p), str(s)) for p, s in self.saved.get("sample", [])]

    @property
    def done_before(self) -> int:
        return int(self.saved.get("done", 0))

    @property
    def skipped_before(self) -> int:
        return int(self.saved.get("skipped", 0))

    def execute(self) -> None:
        if isinstance(self.job.selection, CartonSelection):
            self._execute_cartons(self.job.selection)
            return
        template = template_from_dict(json.loads(self.job.template))
        self._resume()
        entries = _source(self.job.selection, self.context, self.tally, self.after)
        labels = (
            LabelContent(serial, self.context.links.qr(serial), pos) for pos, serial in entries
        )
        with tempfile.TemporaryFile() as file:
            self._file = file
            report = self.context.render(
                template,
                labels,
                file,
                texts=self.context.texts,
                title=f"{self.context.texts.brand} · {download_name(self.job)}",
                on_page=self._progress,
                workers=self.context.workers,
                resume=self.saved.get("writer"),
                should_stop=self._should_stop,
            )
            if report.finished and self.done_before + report.labels == 0:
                raise NotFound("label_job_empty")
            parts = [*self.job.parts, self._upload_part(len(self.job.parts) + 1, file)]
        if report.finished:
            self._finish(report, parts)
        else:
            self._suspend(report, parts)

    def _execute_cartons(self, selection: CartonSelection) -> None:
        """Carton labels: a few pages, drawn in one run; a carton gone since the job was asked
        is skipped and counted."""
        context = self.context
        if context.cartons is None or context.carton_texts is None or not context.render_cartons:
            raise Invalid("label_job_failed")
        self._resume()
        labels: list[CartonLabel] = []
        for position, code in enumerate(selection.codes):
            try:
                labels.append(_carton_label(context.cartons.get(code)))
            except NotFound:
                self.tally.skip([(position, code)])
        with tempfile.TemporaryFile() as file:
            report = context.render_cartons(
                labels,
                file,
                texts=context.carton_texts,
                title=f"{context.carton_texts.brand} · {download_name(self.job)}",
            )
            if report.labels == 0:
                raise NotFound("label_job_empty")
            parts = [*self.job.parts, self._upload_part(len(self.job.parts) + 1, file)]
        self._finish(report, parts)

    def _resume(self) -> None:
        """Read the previous run's state, or start the job; make sure the upload exists."""
        job, context = self.job, self.context
        if job.state_key:
            self.saved = json.loads(context.storage.read_text(job.state_key))
            self.after = (int(self.saved["position"]), str(self.saved["last_serial"]))
        else:
            context.jobs.started(
                job.job_id, total=_total(job.selection, context), now=context.clock()
            )
        if self.upload_id is None:
            self.upload_id = context.storage.start_upload(
                self.key, content_type=PDF, filename=download_name(job)
            )
            context.jobs.set_upload(job.job_id, upload_id=self.upload_id, now=context.clock())

    def _upload_part(self, number: int, file: IO[bytes]) -> tuple[int, str]:
        assert self.upload_id is not None
        return (number, self.context.storage.upload_part(self.key, self.upload_id, number, file))

    def _progress(self, pages: int, labels: int) -> None:
        """Written at most once every ``progress_every_seconds``."""
        now = self.context.clock()
        if (now - self._last_progress).total_seconds() < self.context.progress_every_seconds:
            return
        self._last_progress = now
        self.context.jobs.progress(
            self.job.job_id,
            done=self.done_before + labels,
            skipped=self.skipped_before + self.tally.skipped,
            pages=pages,
            now=now,
        )

    def _should_stop(self) -> bool:
        """Stop between pages near the run's end once a part's worth is written; a run that
        cannot keep a part fails with a reason instead of being killed mid-page."""
        remaining = self.context.remaining_seconds
        if remaining is None:
            return False
        left = remaining()
        if left >= self.context.reserve_seconds:
            return False
        assert self._file is not None
        if self._file.tell() >= self.context.min_part_bytes and self.job.runs + 1 < MAX_RUNS:
            return True
        if left < self.context.reserve_seconds / 2:
            raise Invalid("label_job_too_large")
        return False

    def _finish(self, report: SheetReport, parts: list[tuple[int, str]]) -> None:
        assert self.upload_id is not None
        context, done = self.context, self.done_before + report.labels
        sample_before = self._sample_before()
        context.storage.complete_upload(self.key, self.upload_id, parts)
        context.jobs.finish(
            self.job.job_id,
            done=done,
            skipped=self.skipped_before + self.tally.skipped,
            skipped_sample=[s for _, s in (sample_before + self.tally.sample)[:SKIPPED_SAMPLE]],
            pages=report.pages,
            output_key=self.key,
            size_bytes=report.bytes,
            now=context.clock(),
        )
        logger.info(
            "label job done",
            extra={**self.log, "labels": done, "pages": report.pages, "bytes": report.bytes},
        )

    def _suspend(self, report: SheetReport, parts: list[tuple[int, str]]) -> None:
        assert report.last is not None and report.state is not None
        job_id, done = self.job.job_id, self.done_before + report.labels
        position = report.last.position
        start = self.after[0] + 1 if self.after else 0
        # every serial up to the last one drawn was either drawn or skipped
        skipped = self.skipped_before + (position + 1 - start) - report.labels
        sample = [e for e in self._sample_before() + self.tally.sample if e[0] <= position]
        number = len(parts)
        state_key = f"label-jobs/{job_id}/state-{number}.json"
        state = {
            "writer": report.state,
            "position": position,
            "last_serial": report.last.serial,
            "done": done,
            "skipped": skipped,
            "sample": sample[:SKIPPED_SAMPLE],
        }
        self.context.storage.put_bytes(
            state_key, json.dumps(state).encode("utf-8"), content_type="application/json"
        )
        self.context.jobs.suspend(
            job_id,
            parts=parts,
            state_key=state_key,
            done=done,
            skipped=skipped,
            pages=report.pages,
            now=self.context.clock(),
        )
        logger.info(
            "label job continues in another run",
            extra={**self.log, "labels": done, "pages": report.pages, "part": number},
        )


def selection_view(selection: Selection) -> dict[str, Any]:
    if isinstance(selection, BatchSelection):
        return {"batch": selection.batch}
    if isinstance(selection, RangeSelection):
        return {"from_serial": selection.first, "to_serial": selection.last}
    if isinstance(selection, CartonSelection):
        return {"cartons": list(selection.codes)}
    return {"serials": selection.count}
