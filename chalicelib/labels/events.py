"""Label jobs stream → the label renderer: a job that becomes ``queued`` is rendered once.

The renderer (QR encoder, PDF writer, S3) loads with the first record, not at import, so the
API's cold start does not pay for it."""

from __future__ import annotations

from typing import Any

from chalicelib.platform.streams import image_text, process_stream

_QUEUED = "queued"  # LabelJobStatus.QUEUED (a test keeps them equal)


def on_record(record: Any, context: Any = None) -> None:
    """An INSERT or MODIFY into ``queued`` runs the job; progress writes, the outcome and a
    REMOVE by TTL are not for the renderer. A redelivered record finds the job claimed (or
    done), so the conditional claim renders nothing twice."""
    change = record.raw_event.get("dynamodb", {})
    new = change.get("NewImage")
    if image_text(new, "status") != _QUEUED:
        return
    job_id = image_text(new, "job_id")
    if job_id is None:
        return
    from chalicelib.labels import service as labels
    from chalicelib.labels import wiring as labels_wiring

    remaining = getattr(context, "get_remaining_time_in_millis", None)
    seconds_left = (lambda: remaining() / 1000) if callable(remaining) else None
    labels.run_job(job_id, context=labels_wiring.label_job_context(remaining_seconds=seconds_left))


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_stream(event, context, lambda record: on_record(record, context))
