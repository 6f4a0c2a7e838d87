"""Exports stream → the kind's writer: a job inserted ``queued`` is written once
(``export_jobs.run_job``). Handlers compose it with the capabilities' writers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.export_jobs import ExportStatus, Writer, run_job
from chalicelib.platform.streams import image_text, process_stream


def on_record(record: Any, writers: Mapping[str, Writer]) -> None:
    """An INSERT (or MODIFY) into ``queued`` runs the job; progress writes, the outcome and a
    REMOVE by TTL are not for the writer. A redelivered record finds the job claimed (or done),
    so the conditional claim writes nothing twice."""
    new = record.raw_event.get("dynamodb", {}).get("NewImage")
    export_id = image_text(new, "export_id")
    if image_text(new, "status") != ExportStatus.QUEUED.value or export_id is None:
        return
    run_job(
        export_id,
        jobs=platform_wiring.export_jobs(),
        writers=writers,
        storage=platform_wiring.storage(),
        clock=lambda: datetime.now(UTC),
    )


def handle(event: dict[str, Any], context: Any, writers: Mapping[str, Writer]) -> dict[str, Any]:
    return process_stream(event, context, lambda record: on_record(record, writers))
