"""A label job's run on in-memory jobs, units and bucket, with the real renderer: it renders
once, tallies what it skips, fails with a reason, retries a crash once, and a job longer than
one run goes on in the next and still makes one PDF (docs/architecture.md "QR stickers and
label sheets"). The same over DynamoDB and S3, every code scanned: tests/integration/test_labels.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pypdfium2 as pdfium
import pytest

from chalicelib.core.qr_token import UnitLinks
from chalicelib.labels import service as labels
from chalicelib.labels.jobs import LabelJob, LabelJobStatus
from chalicelib.labels.service import RunContext, SelectionRequest
from chalicelib.labels.sheets import SheetTexts, render_sheets
from chalicelib.labels.template import BUILTIN_TEMPLATES
from tests.support import factories as f
from tests.support.fakes import FakeUnits
from tests.support.memory import FakeLabelJobs, FakeStorage, ticking_clock

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ROLL = BUILTIN_TEMPLATES["1x2cm-roll"]  # one label a page: pages count labels
TEXTS = SheetTexts(
    brand="Garanti",
    instruction={"vi": "Quét để kích hoạt bảo hành", "en": "Scan to activate the warranty"},
)
PART = 4 * 1024  # the rig's S3 part minimum (5 MiB in S3), so a few labels make a part


def serials(first: int, count: int) -> list[str]:
    return [f"LOT-{n:04d}" for n in range(first, first + count)]


@dataclass
class Rig:
    jobs: FakeLabelJobs = field(default_factory=FakeLabelJobs)
    units: FakeUnits = field(default_factory=FakeUnits)
    storage: FakeStorage = field(default_factory=lambda: FakeStorage(min_part_bytes=PART))

    def register(self, numbers: list[str], batch: str = "") -> None:
        for serial in numbers:
            self.units.units[serial] = f.unit(serial, batch=batch)

    def ask(self, request: SelectionRequest) -> str:
        job = labels.create_job(
            request,
            ROLL,
            brand_id="demo",
            texts=TEXTS,
            by="admin",
            now=NOW,
            jobs=self.jobs,
            units=self.units,
            storage=self.storage,
        )
        return job.job_id

    def context(self, remaining: Callable[[], float] | None = None) -> RunContext:
        return RunContext(
            jobs=self.jobs,
            units=self.units,
            storage=self.storage,
            links=UnitLinks("http://portal.test", f.keyring()),
            texts=TEXTS,
            render=render_sheets,
            clock=ticking_clock(NOW, timedelta(milliseconds=300)),
            workers=1,
            remaining_seconds=remaining,
            min_part_bytes=PART,
        )

    def run(self, job_id: str, remaining: Callable[[], float] | None = None) -> LabelJob | None:
        return labels.run_job(job_id, context=self.context(remaining))

    def pdf(self, job: LabelJob) -> bytes:
        assert job.output_key is not None
        return self.storage.read_bytes(job.output_key)


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def time_for(pages: int) -> Callable[[], float]:
    """A run with ``pages`` pages' worth of time, then 10 seconds left."""
    left: Iterator[float] = iter([900.0] * pages)
    return lambda: next(left, 10.0)


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_a_job_renders_once_into_one_pdf_even_when_its_record_comes_twice(rig: Rig) -> None:
    rig.register(serials(1, 3), batch="LOT-A")
    job_id = rig.ask(SelectionRequest(batch="LOT-A"))

    job = rig.run(job_id)
    again = rig.run(job_id)

    assert again is None
    assert job is not None and job.status is LabelJobStatus.DONE
    assert (job.done, job.skipped, job.total, job.pages, job.attempts) == (3, 0, 3, 3, 1)
    assert rig.jobs.claims == 1 and len(rig.storage.started) == 1
    pdf = rig.pdf(job)
    assert job.output_key == f"labels/demo/{job_id}.pdf"
    assert (len(pdf), rig.storage.objects[job.output_key].content_type) == (
        job.size_bytes,
        "application/pdf",
    )
    assert [text.split()[0] for text in page_texts(pdf)] == ["Garanti"] * 3
    assert ["LOT-0001" in t for t in page_texts(pdf)] == [True, False, False]
    assert rig.storage.uploads == {}  # completed: nothing left open


def test_serials_that_are_not_registered_units_are_skipped_and_sampled(rig: Rig) -> None:
    wanted = serials(1, 6)
    rig.register([s for s in wanted if s not in ("LOT-0002", "LOT-0005")])
    job_id = rig.ask(SelectionRequest(first=wanted[0], last=wanted[-1]))

    job = rig.run(job_id)

    assert job is not None and job.status is LabelJobStatus.DONE
    assert (job.done, job.skipped, job.total, job.pages) == (4, 2, 6, 4)
    assert job.skipped_sample == ("LOT-0002", "LOT-0005")
    texts = page_texts(rig.pdf(job))
    assert [next(s for s in wanted if s in t) for t in texts] == [
        "LOT-0001",
        "LOT-0003",
        "LOT-0004",
        "LOT-0006",
    ]


def test_a_selection_with_nothing_to_print_fails_with_a_reason(rig: Rig) -> None:
    job_id = rig.ask(SelectionRequest(first="LOT-0001", last="LOT-0003"))  # none registered

    job = rig.run(job_id)

    assert job is not None and job.status is LabelJobStatus.FAILED
    assert (job.error_code, job.skipped, job.skipped_sample) == (
        "label_job_empty",
        3,
        ("LOT-0001", "LOT-0002", "LOT-0003"),
    )
    assert rig.storage.aborted == rig.storage.started  # the upload it opened is not left behind
    assert rig.storage.uploads == {}


def test_a_crash_is_retried_once_then_fails_and_aborts_the_upload(rig: Rig) -> None:
    rig.register(serials(1, 3), batch="LOT-A")
    job_id = rig.ask(SelectionRequest(batch="LOT-A"))
    rig.storage.refuse_parts = True  # the bucket refuses the PDF's part

    retrying = rig.run(job_id)
    failed = rig.run(job_id)
    nothing = rig.run(job_id)

    assert retrying is not None and failed is not None
    assert (retrying.status, retrying.attempts) == (LabelJobStatus.QUEUED, 1)
    assert (failed.status, failed.attempts, failed.error_code) == (
        LabelJobStatus.FAILED,
        2,
        "label_job_failed",
    )
    assert len(rig.storage.started) == 1  # the retry went on with the same upload…
    assert rig.storage.aborted == rig.storage.started  # …and the failure aborted it
    assert nothing is None and rig.jobs.claims == 2
    assert failed.output_key is None and rig.storage.uploads == {}


def test_a_crash_with_a_retry_left_does_not_abort_the_upload(rig: Rig) -> None:
    rig.register(serials(1, 2), batch="LOT-A")
    job_id = rig.ask(SelectionRequest(batch="LOT-A"))
    rig.storage.refuse_parts = True

    retrying = rig.run(job_id)
    rig.storage.refuse_parts = False
    done = rig.run(job_id)

    assert retrying is not None and retrying.status is LabelJobStatus.QUEUED
    assert rig.storage.aborted == []
    assert done is not None and (done.status, done.done, done.attempts) == (
        LabelJobStatus.DONE,
        2,
        2,
    )
    assert len(rig.storage.started) == 1


def test_a_job_longer_than_one_run_goes_on_in_the_next_and_makes_one_whole_pdf(
    rig: Rig,
) -> None:
    wanted = serials(1, 40)
    rig.register([s for i, s in enumerate(wanted) if i % 10 != 3])  # 4 never registered
    job_id = rig.ask(SelectionRequest(first=wanted[0], last=wanted[-1]))
    runs = []

    for _ in range(6):
        job = rig.run(job_id, remaining=time_for(14))
        assert job is not None
        runs.append((job.status, job.done, job.skipped, len(job.parts)))
        if job.status is not LabelJobStatus.QUEUED:
            break

    # a run stops after the page on which its time ran short (15 drawn a run) and has skipped
    # the unregistered serials before its last drawn one; each run keeps one part, and the
    # last one completes the upload with them (the job keeps the parts of suspended runs)
    assert runs == [
        (LabelJobStatus.QUEUED, 15, 2, 1),
        (LabelJobStatus.QUEUED, 30, 3, 2),
        (LabelJobStatus.DONE, 36, 4, 2),
    ]
    job = rig.jobs.get(job_id)
    printed = [s for i, s in enumerate(wanted) if i % 10 != 3]
    assert (job.done, job.skipped, job.pages, job.total) == (36, 4, 36, 40)
    assert job.skipped_sample == ("LOT-0004", "LOT-0014", "LOT-0024", "LOT-0034")
    pdf = rig.pdf(job)
    assert len(pdf) == job.size_bytes
    texts = page_texts(pdf)
    assert [next(s for s in printed if s in t) for t in texts] == printed
    assert len(pdfium.PdfDocument(pdf)) == 36


def test_a_job_that_fails_in_a_later_run_counts_the_serials_every_run_skipped(rig: Rig) -> None:
    """Given a job whose first run skipped two unregistered serials and then suspended, when every
    later run crashes (the bucket refuses its part), then the failed job still counts and samples
    the serials the first run skipped, not only the last run's."""
    wanted = serials(1, 40)
    rig.register([s for i, s in enumerate(wanted) if i % 10 != 3])  # 4 never registered
    job_id = rig.ask(SelectionRequest(first=wanted[0], last=wanted[-1]))
    first = rig.run(job_id, remaining=time_for(14))
    assert first is not None and (first.status, first.skipped) == (LabelJobStatus.QUEUED, 2)
    rig.storage.refuse_parts = True

    for _ in range(3):
        job = rig.run(job_id, remaining=time_for(14))
        assert job is not None
        if job.status is LabelJobStatus.FAILED:
            break

    assert (job.status, job.error_code) == (LabelJobStatus.FAILED, "label_job_failed")
    assert job.skipped == 4
    assert job.skipped_sample == ("LOT-0004", "LOT-0014", "LOT-0024", "LOT-0034")


def test_a_batch_job_resumes_after_the_last_serial_it_drew(rig: Rig) -> None:
    lot = serials(1, 25)
    rig.register(lot, batch="LOT-R")
    job_id = rig.ask(SelectionRequest(batch="LOT-R"))
    statuses = []

    for _ in range(5):
        job = rig.run(job_id, remaining=time_for(9))
        assert job is not None
        statuses.append((job.status.value, job.done))
        if job.status is not LabelJobStatus.QUEUED:
            break

    assert statuses == [("queued", 10), ("queued", 20), ("done", 25)]
    job = rig.jobs.get(job_id)
    texts = page_texts(rig.pdf(job))
    assert [next(s for s in lot if s in t) for t in texts] == lot


def test_a_run_that_cannot_keep_a_part_stops_with_a_reason_instead_of_being_killed(
    rig: Rig,
) -> None:
    rig.register(serials(1, 30), batch="LOT-A")
    job_id = rig.ask(SelectionRequest(batch="LOT-A"))
    left = iter([900.0, 600.0] + [20.0] * 100)  # near the end before a part's worth is written

    job = labels.run_job(
        job_id, context=replace(rig.context(lambda: next(left)), min_part_bytes=1024 * 1024)
    )

    assert job is not None
    assert (job.status, job.error_code, job.output_key) == (
        LabelJobStatus.FAILED,
        "label_job_too_large",
        None,
    )
    assert rig.storage.aborted == rig.storage.started
