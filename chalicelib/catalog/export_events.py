"""Unit exports stream → the Excel writer: an export inserted ``queued`` is written once.

The writer (xlsxwriter, S3) loads with the first record, not at import, so the API's cold
start does not pay for it."""

from __future__ import annotations

from typing import Any

from chalicelib.platform.streams import image_text, process_stream

_QUEUED = "queued"  # ExportStatus.QUEUED


def on_record(record: Any) -> None:
    """An INSERT (or MODIFY) into ``queued`` runs the export; progress writes, the outcome and
    a REMOVE by TTL are not for the writer. A redelivered record finds the export claimed (or
    done), so the conditional claim writes nothing twice."""
    new = record.raw_event.get("dynamodb", {}).get("NewImage")
    export_id = image_text(new, "export_id")
    if image_text(new, "status") != _QUEUED or export_id is None:
        return
    from datetime import UTC, datetime

    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.catalog.export import run_export
    from chalicelib.catalog.warranty import business_day
    from chalicelib.platform import wiring as platform_wiring

    run_export(
        export_id,
        jobs=catalog_wiring.unit_exports(),
        units=catalog_wiring.unit_repository(),
        storage=platform_wiring.storage(),
        clock=lambda: datetime.now(UTC),
        today=business_day(datetime.now(UTC)),
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, on_record)
