"""Importing a units file as a job: ask for an upload link, start the job once the file is in
the bucket, and the run that registers every line (or rejects it with its reason) and leaves a
per-line report (Excel) in the bucket.

The run streams: the file is downloaded to a temporary file and read one line at a time (only
the set of serials seen is held, for ``duplicate_in_file``); lines are checked and written in
chunks through the units' conditional adds (a line is written whole or not at all), and each
line's outcome goes to a results file, uploaded when the run ends. A run near Lambda's time limit
stops after a chunk, keeps its place (``next_line``) and re-queues the job; the next run goes on
from there. A chunk retried after a crash finds its rows already registered with this job's id
in their history and counts them imported, never twice, never as ``serial_exists``."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Protocol

from chalicelib.catalog.import_jobs import (
    CONTENT_TYPES,
    MAX_ATTEMPTS,
    MAX_FILENAME,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MAX_RUNS,
    REJECTED_SAMPLE,
    ImportStatus,
    LineResult,
    UnitImport,
    file_records,
    import_kind,
    is_blank,
    is_header,
    new_import_id,
    report_key,
    results_key,
    source_key,
)
from chalicelib.catalog.model import AddResult, NewUnit, ProductModel
from chalicelib.catalog.unit_import import parse_unit_line
from chalicelib.core.errors import GarantiError, Invalid
from chalicelib.core.observability import logger

CHUNK_ROWS = 500  # lines checked and written together (5 BatchGetItem, ~5 transactions)
XLSX = CONTENT_TYPES["xlsx"]


class ImportJobs(Protocol):
    def create(self, job: UnitImport) -> UnitImport: ...

    def get(self, import_id: str) -> UnitImport: ...

    def queue(self, import_id: str, *, now: datetime) -> bool: ...

    def claim(self, import_id: str, now: datetime) -> UnitImport | None: ...

    def started(self, import_id: str, *, total: int, now: datetime) -> bool: ...

    def progress(
        self, import_id: str, *, done: int, imported: int, rejected: int, now: datetime
    ) -> bool: ...

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
    ) -> bool: ...

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
    ) -> bool: ...

    def requeue(self, import_id: str, *, now: datetime) -> bool: ...

    def fail(
        self, import_id: str, *, code: str, details: dict[str, Any] | None = None, now: datetime
    ) -> bool: ...


class ImportStorage(Protocol):
    def upload_url(self, key: str, *, content_type: str, expires_seconds: int) -> str: ...

    def size_of(self, key: str) -> int | None: ...

    def download_to(self, key: str, file: IO[bytes]) -> None: ...

    def upload_from(
        self, key: str, file: IO[bytes], *, content_type: str, filename: str
    ) -> None: ...

    def delete(self, key: str) -> None: ...


class ImportUnits(Protocol):
    def existing_serials(self, serials: Iterable[str]) -> set[str]: ...

    def imported_by(self, serials: Iterable[str], note: str) -> set[str]: ...

    def add(
        self, units: Sequence[NewUnit], *, event: str, by: str, note: str = ""
    ) -> AddResult: ...


class ImportModels(Protocol):
    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]: ...


class ImportCartons(Protocol):
    def count_imported(self, counts: Mapping[str, Mapping[str, int]], *, by: str) -> None: ...


WriteReport = Callable[[Iterable[LineResult], IO[bytes], str], None]


@dataclass(frozen=True)
class ImportContext:
    jobs: ImportJobs
    units: ImportUnits
    models: ImportModels
    storage: ImportStorage
    write_report: WriteReport
    clock: Callable[[], datetime]
    today: Callable[[], date]
    # Seconds left in this run (Lambda's context): the run stops after a chunk, keeping its
    # place, once fewer than ``reserve_seconds`` remain (for the results and the report).
    remaining_seconds: Callable[[], float] | None = None
    reserve_seconds: float = 90.0
    progress_every_seconds: float = 1.0
    chunk_rows: int = CHUNK_ROWS
    # The cartons named in the file's carton column: their counts raised by the units written.
    cartons: ImportCartons | None = None


@dataclass(frozen=True)
class UploadLink:
    job: UnitImport
    url: str
    content_type: str


def create_import(
    filename: str,
    size_bytes: int,
    *,
    brand_id: str,
    language: str,
    by: str,
    now: datetime,
    expires_seconds: int,
    jobs: ImportJobs,
    storage: ImportStorage,
) -> UploadLink:
    """Check the file's name and announced size, record the job (``uploading``) and sign the
    PUT that sends the file straight to the bucket."""
    name = filename.strip()
    kind = import_kind(name)
    if kind is None or len(name) > MAX_FILENAME:
        raise Invalid("unit_import_file_type")
    if size_bytes > MAX_IMPORT_BYTES:
        raise Invalid("unit_import_too_large", max_mb=MAX_IMPORT_BYTES // (1024 * 1024))
    if size_bytes <= 0:
        raise Invalid("import_empty")
    job = jobs.create(
        UnitImport(
            import_id=new_import_id(),
            brand_id=brand_id,
            filename=name,
            kind=kind,
            size_bytes=size_bytes,
            status=ImportStatus.UPLOADING,
            language=language,
            created_by=by,
            created_at=now,
        )
    )
    content_type = CONTENT_TYPES[kind]
    url = storage.upload_url(
        source_key(job.import_id, kind), content_type=content_type, expires_seconds=expires_seconds
    )
    return UploadLink(job, url, content_type)


def start_import(
    job: UnitImport, *, now: datetime, jobs: ImportJobs, storage: ImportStorage
) -> UnitImport:
    """Queue an uploaded file once (the stream starts the run). The size is checked again
    now that the file is there: the link cannot hold the browser to the size it announced."""
    if job.status is not ImportStatus.UPLOADING:
        return job  # started before: the same answer, nothing queued twice
    key = source_key(job.import_id, job.kind)
    size = storage.size_of(key)
    if size is None:
        raise Invalid("unit_import_not_uploaded")
    if size > MAX_IMPORT_BYTES:
        storage.delete(key)
        raise Invalid("unit_import_too_large", max_mb=MAX_IMPORT_BYTES // (1024 * 1024))
    jobs.queue(job.import_id, now=now)
    logger.info("unit import queued", extra={"import_id": job.import_id, "bytes": size})
    return jobs.get(job.import_id)


def run_import(import_id: str, *, context: ImportContext) -> UnitImport | None:
    """Claim the job and import its file; ``None`` when it is not for this run (claimed by
    another, ended, or gone). A named error fails the job with its code; anything else puts it
    back in the queue while attempts are left (the stream starts it again), then fails it."""
    job = context.jobs.claim(import_id, context.clock())
    if job is None:
        logger.info("unit import not claimed", extra={"import_id": import_id})
        return None
    log = {"import_id": import_id, "attempt": job.attempts, "run": job.runs + 1}
    logger.info("unit import started", extra=log)
    try:
        _Run(job, context).execute()
    except GarantiError as exc:
        logger.warning("unit import failed", extra={**log, "code": exc.code})
        context.jobs.fail(import_id, code=exc.code, details=exc.details, now=context.clock())
    except Exception:  # noqa: BLE001 - a job must end in a state a person can read
        logger.exception("unit import crashed", extra=log)
        if job.attempts < MAX_ATTEMPTS:
            context.jobs.requeue(import_id, now=context.clock())
        else:
            context.jobs.fail(import_id, code="unit_import_failed", now=context.clock())
    return context.jobs.get(import_id)


def data_lines(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The lines that hold a unit: blank lines and a first line naming the columns skipped."""
    first = True
    for number, fields in records:
        if is_blank(fields):
            continue
        if first:
            first = False
            if is_header(fields):
                continue
        yield number, fields


@dataclass
class _Tally:
    done: int = 0
    imported: int = 0
    rejected: int = 0
    sample: list[LineResult] = field(default_factory=list)

    def count(self, results: list[LineResult]) -> None:
        for result in results:
            self.done += 1
            if result.imported:
                self.imported += 1
            else:
                self.rejected += 1
                if len(self.sample) < REJECTED_SAMPLE:
                    self.sample.append(result)


class _Run:
    """One run of a claimed job: read the file from where the last run stopped, write chunk by
    chunk, upload this run's results, then finish (the report) or hand over to the next run."""

    def __init__(self, job: UnitImport, context: ImportContext) -> None:
        self.job, self.context = job, context
        # from the last hand-over: a crashed attempt's progress writes are not counted twice
        self.tally = _Tally(*job.counted, list(job.rejected_sample))
        self.seen: set[str] = set()
        self.today = context.today()
        self._last_progress = context.clock()

    def execute(self) -> None:
        job = self.job
        source_file = tempfile.NamedTemporaryFile(suffix=f".{job.kind}")  # noqa: SIM115
        with source_file as source, tempfile.TemporaryFile() as results:
            self.context.storage.download_to(source_key(job.import_id, job.kind), source)
            if job.runs == 0:
                self._count(source)
            stopped_at = self._import(source, results)
            part = job.parts + 1
            self.context.storage.upload_from(
                results_key(job.import_id, part),
                results,
                content_type="application/jsonl",
                filename=f"results-{part}.jsonl",
            )
        if stopped_at is None:
            self._finish(part)
        else:
            self._suspend(stopped_at, part)

    def _count(self, source: IO[bytes]) -> None:
        total = 0
        for _ in data_lines(file_records(source, self.job.kind)):
            total += 1
            if total > MAX_IMPORT_ROWS:
                raise Invalid("unit_import_too_many_rows", max_rows=MAX_IMPORT_ROWS)
        if total == 0:
            raise Invalid("import_empty")
        self.context.jobs.started(self.job.import_id, total=total, now=self.context.clock())

    def _import(self, source: IO[bytes], results: IO[bytes]) -> int | None:
        """Import the lines after ``next_line``; the last line done when the run stops early,
        ``None`` at the end of the file."""
        chunk: list[tuple[int, list[str]]] = []
        for number, fields in data_lines(file_records(source, self.job.kind)):
            if number <= self.job.next_line:
                self._remember(fields)  # a resumed run: the serials the earlier runs saw
                continue
            chunk.append((number, fields))
            if len(chunk) >= self.context.chunk_rows:
                self._write(chunk, results)
                chunk = []
                if self._should_stop():
                    return number
        if chunk:
            self._write(chunk, results)
        return None

    def _remember(self, fields: list[str]) -> None:
        try:
            self.seen.add(parse_unit_line(fields, self.today).serial)
        except Invalid:
            return

    def _check(
        self, chunk: list[tuple[int, list[str]]]
    ) -> tuple[list[LineResult], list[tuple[int, NewUnit]]]:
        """Each line's own rules and duplicates in the file: rejections, and units to write."""
        rejected: list[LineResult] = []
        candidates: list[tuple[int, NewUnit]] = []
        for number, fields in chunk:
            raw_model = fields[1].strip()[:40] if len(fields) > 1 else ""
            try:
                unit = parse_unit_line(fields, self.today)
            except Invalid as exc:
                rejected.append(LineResult(number, fields[0].strip()[:40], raw_model, exc.code))
                continue
            if unit.serial in self.seen:
                rejected.append(
                    LineResult(number, unit.serial, unit.model_code, "duplicate_in_file")
                )
                continue
            self.seen.add(unit.serial)
            candidates.append((number, unit))
        known = self.context.models.get_many({unit.model_code for _, unit in candidates})
        units: list[tuple[int, NewUnit]] = []
        for number, unit in candidates:
            if unit.model_code not in known:
                rejected.append(LineResult(number, unit.serial, unit.model_code, "model_not_found"))
            else:
                units.append((number, unit))
        return rejected, units

    def _write(self, chunk: list[tuple[int, list[str]]], results: IO[bytes]) -> None:
        rejected, numbered = self._check(chunk)
        units = [unit for _, unit in numbered]
        existing = self.context.units.existing_serials(u.serial for u in units)
        ours = self.context.units.imported_by(existing, self.job.import_id) if existing else set()
        to_add = [u for u in units if u.serial not in existing]
        result = self.context.units.add(
            to_add, event="imported", by=self.job.created_by, note=self.job.import_id
        )
        self._count_cartons(to_add, result.added)
        lost = result.rejected
        if lost:  # a race with another writer between the check and the write
            ours |= self.context.units.imported_by(lost, self.job.import_id)
        outcome: list[LineResult] = list(rejected)
        for number, unit in numbered:
            reason = ""
            if unit.serial in existing and unit.serial not in ours:
                reason = "serial_exists"
            elif unit.serial in lost and unit.serial not in ours:
                reason = lost[unit.serial]
            outcome.append(LineResult(number, unit.serial, unit.model_code, reason))
        outcome.sort(key=lambda r: r.line)
        for line in outcome:
            row = [line.line, line.serial, line.model_code, line.reason]
            results.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        self.tally.count(outcome)
        self._progress()

    def _count_cartons(self, units: list[NewUnit], added: list[str]) -> None:
        """The cartons of the units this chunk wrote. A chunk retried after a crash writes
        only what its first attempt did not, so no unit is counted twice."""
        if self.context.cartons is None:
            return
        written = set(added)
        counts: dict[str, dict[str, int]] = {}
        for unit in units:
            if unit.carton and unit.serial in written:
                models = counts.setdefault(unit.carton, {})
                models[unit.model_code] = models.get(unit.model_code, 0) + 1
        if counts:
            self.context.cartons.count_imported(counts, by=self.job.created_by)

    def _progress(self) -> None:
        """Written at most once every ``progress_every_seconds``."""
        now = self.context.clock()
        if (now - self._last_progress).total_seconds() < self.context.progress_every_seconds:
            return
        self._last_progress = now
        self.context.jobs.progress(
            self.job.import_id,
            done=self.tally.done,
            imported=self.tally.imported,
            rejected=self.tally.rejected,
            now=now,
        )

    def _should_stop(self) -> bool:
        remaining = self.context.remaining_seconds
        if remaining is None:
            return False
        left = remaining()
        if left >= self.context.reserve_seconds:
            return False
        if self.job.runs + 1 < MAX_RUNS:
            return True
        raise Invalid("unit_import_too_large_for_runs")

    def _suspend(self, next_line: int, part: int) -> None:
        tally = self.tally
        self.context.jobs.suspend(
            self.job.import_id,
            next_line=next_line,
            parts=part,
            done=tally.done,
            imported=tally.imported,
            rejected=tally.rejected,
            sample=tally.sample,
            now=self.context.clock(),
        )
        logger.info(
            "unit import continues in another run",
            extra={"import_id": self.job.import_id, "line": next_line, "done": tally.done},
        )

    def _finish(self, parts: int) -> None:
        job, context, tally = self.job, self.context, self.tally
        key = report_key(job.import_id)
        with tempfile.TemporaryFile() as report:
            context.write_report(self._all_results(parts), report, job.language)
            context.storage.upload_from(key, report, content_type=XLSX, filename=report_name(job))
        context.jobs.finish(
            job.import_id,
            done=tally.done,
            imported=tally.imported,
            rejected=tally.rejected,
            sample=tally.sample,
            report_key=key,
            now=context.clock(),
        )
        logger.info(
            "unit import done",
            extra={
                "import_id": job.import_id,
                "imported": tally.imported,
                "rejected": tally.rejected,
            },
        )

    def _all_results(self, parts: int) -> Iterator[LineResult]:
        """Every run's results, in line order, one part on disk at a time."""
        for part in range(1, parts + 1):
            with tempfile.TemporaryFile() as file:
                self.context.storage.download_to(results_key(self.job.import_id, part), file)
                file.seek(0)
                for raw in file:
                    line, serial, model, reason = json.loads(raw)
                    yield LineResult(int(line), str(serial), str(model), str(reason))


def report_name(job: UnitImport) -> str:
    stem = job.filename.rsplit(".", 1)[0]
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:60] or "units"
    return f"import-report-{safe}.xlsx"
