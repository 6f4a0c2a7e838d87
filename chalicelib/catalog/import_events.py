"""Unit imports stream → the import run: a job that becomes ``queued`` is imported once.

The spreadsheet reader and the report writer load with the first record, not at import, so
the API's cold start does not pay for them."""

from __future__ import annotations

from typing import Any

from chalicelib.platform.streams import image_text, process_stream

_QUEUED = "queued"  # ImportStatus.QUEUED (a test keeps them equal)


def on_record(record: Any, context: Any = None) -> None:
    """An INSERT or MODIFY into ``queued`` runs the job; ``uploading``, progress writes, the
    outcome and a REMOVE by TTL are not for the runner. A redelivered record finds the job
    claimed (or done), so the conditional claim imports nothing twice."""
    change = record.raw_event.get("dynamodb", {})
    new = change.get("NewImage")
    if image_text(new, "status") != _QUEUED:
        return
    import_id = image_text(new, "import_id")
    if import_id is None:
        return
    from chalicelib.catalog import import_runner
    from chalicelib.catalog import wiring as catalog_wiring

    remaining = getattr(context, "get_remaining_time_in_millis", None)
    seconds_left = (lambda: remaining() / 1000) if callable(remaining) else None
    import_runner.run_import(
        import_id, context=catalog_wiring.import_context(remaining_seconds=seconds_left)
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, lambda record: on_record(record, context))
