"""The units' writer of the exports stream (``platform.export_events``): a job of kind
``units`` is written here. The writer (xlsxwriter) and the units' adapters load with the first
job, not at import, so the API's cold start does not pay for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from chalicelib.platform.export_jobs import ExportJob


def write(job: ExportJob, out: IO[bytes], on_progress: Callable[[int], object]) -> int:
    from datetime import UTC, datetime

    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.export import write_units
    from chalicelib.catalog.warranty import business_day

    return write_units(
        job,
        out,
        on_progress,
        units=catalog_wiring.unit_repository(),
        today=business_day(datetime.now(UTC)),
    )
