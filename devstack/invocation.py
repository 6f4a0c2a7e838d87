"""Calling a Chalice event handler the way Lambda does, and reading its answer.

A stream handler is ``app.handler_map[name](event, context)``; it answers with
``{"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}]}`` (Lambda's
``ReportBatchItemFailures``). Lambda's reading of that answer, reproduced by
:func:`interpret_stream_result`:

- ``None``, ``{}`` or an empty ``batchItemFailures``: the whole batch succeeded.
- failures naming sequence numbers of the batch: the records before the lowest one are done;
  that one and everything after it are delivered again.
- a failure with an empty, missing or unknown ``itemIdentifier``, or an exception: the whole
  batch failed.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chalice.app import Chalice

from devstack.lambda_context import LambdaContext

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class BatchOutcome:
    """What Lambda concludes from one invocation on a batch of stream records.

    ``done`` records (a prefix of the batch) are finished. ``failed_index`` is the index of the
    first record to deliver again, or ``None`` when nothing failed. ``whole_batch`` says the
    handler did not single out a record (an exception or an unusable answer).
    """

    done: int
    failed_index: int | None
    whole_batch: bool
    error: str
    traceback: str = ""

    @property
    def succeeded(self) -> bool:
        return self.failed_index is None


def _sequence_number(record: Mapping[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


def interpret_stream_result(result: Any, records: Sequence[Mapping[str, Any]]) -> BatchOutcome:
    """Lambda's reading of a stream handler's return value for ``records`` (see module doc)."""
    failures = result.get("batchItemFailures") if isinstance(result, Mapping) else None
    if not failures:
        return BatchOutcome(done=len(records), failed_index=None, whole_batch=False, error="")
    positions = {_sequence_number(record): index for index, record in enumerate(records)}
    indexes: list[int] = []
    for failure in failures if isinstance(failures, list) else [failures]:
        identifier = failure.get("itemIdentifier") if isinstance(failure, Mapping) else None
        if not identifier or str(identifier) not in positions:
            return BatchOutcome(
                done=0,
                failed_index=0,
                whole_batch=True,
                error=f"batchItemFailures names no record of the batch: {json.dumps(failure)}",
            )
        indexes.append(positions[str(identifier)])
    first = min(indexes)
    return BatchOutcome(
        done=first,
        failed_index=first,
        whole_batch=False,
        error="the handler reported the record as failed (batchItemFailures)",
    )


def handler_for(app: Chalice, name: str) -> Handler:
    try:
        handler: Handler = app.handler_map[name]
    except KeyError:
        raise KeyError(f"the app has no handler named {name!r}") from None
    return handler


def invoke_stream_handler(
    app: Chalice,
    name: str,
    records: Sequence[Mapping[str, Any]],
    *,
    region: str,
    timeout_seconds: int,
    memory_mb: int,
) -> BatchOutcome:
    """Deliver ``{"Records": records}`` to handler ``name``; never raises for a handler error."""
    context = LambdaContext(
        app_name=app.app_name,
        handler_name=name,
        region=region,
        timeout_seconds=timeout_seconds,
        memory_limit_in_mb=memory_mb,
    )
    event = {"Records": [dict(record) for record in records]}
    try:
        result = handler_for(app, name)(event, context)
    except Exception as exc:  # noqa: BLE001 - any handler error is Lambda's "function error"
        return BatchOutcome(
            done=0,
            failed_index=0,
            whole_batch=True,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
    return interpret_stream_result(result, records)
