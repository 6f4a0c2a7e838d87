"""Label-sheet jobs: what to print (a batch, a serial range, a list of serials) and the job's
life: ``queued → running → done | failed``.

A job runs outside the request that asks for it (the label_jobs stream starts it), because
100,000 labels take minutes. The run claims the job with a lease; a run that died (a Lambda
timeout) leaves the lease to expire, and the stream's retry may claim it again, up to
:data:`MAX_ATTEMPTS` runs in all.

>>> list(serial_range("GAR00000017W", "GAR00000019S"))
['GAR00000017W', 'GAR00000018U', 'GAR00000019S']
>>> list(serial_range("LOT-0098", "LOT-0101"))
['LOT-0098', 'LOT-0099', 'LOT-0100', 'LOT-0101']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.catalog.serials import generated_serial, is_valid_generated, normalize_serial
from chalicelib.core.errors import Invalid

MAX_LABELS = 100_000
MAX_ATTEMPTS = 2
MAX_RUNS = 8  # 8 × 15 minutes: far beyond 100,000 labels at the slowest rate measured
LEASE = timedelta(minutes=16)  # past Lambda's 15-minute ceiling: a live run never loses it
KEEP_FOR = timedelta(days=30)  # the job's record
FILE_KEPT_FOR = timedelta(days=7)  # its PDF (the uploads bucket's lifecycle rule on labels/)
DOWNLOAD_LINK_TTL = timedelta(minutes=15)
RETRY_GRACE = timedelta(minutes=5)  # a stream retry comes within seconds of a dead run
SKIPPED_SAMPLE = 20
_NUMBERED = re.compile(r"(.*?)(\d+)")


class LabelJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class BatchSelection:
    """Every unit registered with this batch code, in serial order."""

    batch: str


@dataclass(frozen=True)
class RangeSelection:
    """``first`` to ``last`` inclusive: generated serials (prefix + sequence + check
    character) by sequence, other serials by their trailing number, at fixed width."""

    first: str
    last: str


@dataclass(frozen=True)
class ListSelection:
    """Serials from a CSV, in the file's order, duplicates dropped; the list is kept in the
    uploads bucket under ``key`` (a job item holds at most 400 KB)."""

    key: str
    count: int


@dataclass(frozen=True)
class CartonSelection:
    """Carton labels (``labels.carton_labels``): one page a carton, in the order asked."""

    codes: tuple[str, ...]


Selection = BatchSelection | RangeSelection | ListSelection | CartonSelection
MAX_CARTON_LABELS = 100  # cartons in one job (a pallet's worth)


@dataclass(frozen=True)
class LabelJob:
    job_id: str
    brand_id: str
    status: LabelJobStatus
    template: str  # JSON snapshot (domain.labels.template_to_dict)
    template_name: str
    selection: Selection
    created_by: str
    created_at: datetime
    total: int = 0
    done: int = 0
    skipped: int = 0
    skipped_sample: tuple[str, ...] = ()
    pages: int = 0
    output_key: str | None = None
    size_bytes: int | None = None
    error_code: str | None = None
    attempts: int = 0
    runs: int = 0
    upload_id: str | None = None
    parts: tuple[tuple[int, str], ...] = ()
    state_key: str | None = None
    lease_until: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def stalled(self, now: datetime) -> bool:
        """A run that died and will not be claimed again (no attempt left, or no retry came
        within :data:`RETRY_GRACE` of its lease ending): shown as failed."""
        return (
            self.status is LabelJobStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < now
            and (self.attempts >= MAX_ATTEMPTS or self.lease_until < now - RETRY_GRACE)
        )


def _split(serial: str) -> tuple[str, int, int, str]:
    """(prefix, number, digits, suffix) of a serial that ends in a number (or a generated one)."""
    if is_valid_generated(serial):
        return serial[:-9], int(serial[-9:-1]), 8, "check"
    match = _NUMBERED.fullmatch(serial)
    if match is None:
        raise Invalid("serial_range_not_numbered")
    return match.group(1), int(match.group(2)), len(match.group(2)), ""


def range_count(first: str, last: str) -> int:
    """How many serials ``first..last`` spans; :class:`Invalid` unless both share the scheme
    and prefix, run forwards, and span at most :data:`MAX_LABELS`."""
    first, last = normalize_serial(first), normalize_serial(last)
    a_prefix, a_number, a_digits, a_kind = _split(first)
    b_prefix, b_number, b_digits, b_kind = _split(last)
    if (a_prefix, a_digits, a_kind) != (b_prefix, b_digits, b_kind):
        raise Invalid("serial_range_mismatch")
    if b_number < a_number:
        raise Invalid("serial_range_backwards")
    count = b_number - a_number + 1
    if count > MAX_LABELS:
        raise Invalid("too_many_labels", limit=MAX_LABELS)
    return count


def serial_range(first: str, last: str) -> Iterator[str]:
    """The serials of ``first..last`` in order, lazily (a range may hold 100,000)."""
    range_count(first, last)
    prefix, start, digits, kind = _split(normalize_serial(first))
    _, end, _, _ = _split(normalize_serial(last))
    for number in range(start, end + 1):
        yield generated_serial(prefix, number) if kind else f"{prefix}{number:0{digits}d}"


def parse_serial_list(text: str) -> list[str]:
    """A CSV or plain list of serials: the first column of each line; a header line, blank
    lines and repeats are skipped. Raises :class:`Invalid` naming the first bad lines."""
    serials: dict[str, None] = {}
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cell = line.split(",", 1)[0].split(";", 1)[0].strip().strip('"').strip()
        if not cell or (number == 1 and cell.lower() in ("serial", "serials", "số serial", "sn")):
            continue
        try:
            serials.setdefault(normalize_serial(cell), None)
        except Invalid:
            bad.append(number)
    if bad:
        raise Invalid("serial_list_invalid", lines=bad[:20], bad_lines=len(bad))
    if not serials:
        raise Invalid("serial_list_empty")
    if len(serials) > MAX_LABELS:
        raise Invalid("too_many_labels", limit=MAX_LABELS)
    return list(serials)
