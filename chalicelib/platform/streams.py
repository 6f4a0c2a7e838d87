"""Partial batch processing shared by the stream handlers (Powertools BatchProcessor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def image_text(image: dict[str, Any] | None, name: str) -> str | None:
    """A string attribute of a stream record's image (``{"status": {"S": "queued"}}``)."""
    value = (image or {}).get(name, {}).get("S")
    return value if isinstance(value, str) else None


def process_stream(
    event: dict[str, Any], context: Any, record_handler: Callable[[Any], None]
) -> dict[str, Any]:
    """Run ``record_handler`` on every record; failed ones are reported by sequence number so
    only they (and what follows them on the shard) are retried."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)


def combined(*responses: dict[str, Any]) -> dict[str, Any]:
    """The answer of a handler that runs several steps on one batch: every step's failed
    records (Lambda goes on from the earliest of them, so each step sees them again and must
    be idempotent).

    >>> combined({"batchItemFailures": [{"itemIdentifier": "2"}]},
    ...          {"batchItemFailures": [{"itemIdentifier": "1"}, {"itemIdentifier": "2"}]})
    {'batchItemFailures': [{'itemIdentifier': '2'}, {'itemIdentifier': '1'}]}
    """
    seen: dict[str, dict[str, Any]] = {}
    for response in responses:
        for failure in response.get("batchItemFailures", []):
            seen.setdefault(str(failure["itemIdentifier"]), failure)
    return {"batchItemFailures": list(seen.values())}
