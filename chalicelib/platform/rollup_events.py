"""The roll-up step a capability runs inside a stream's handler (a stream has at most two
consumers in AWS, so counters subscribe inside the handlers rather than beside them).

The step reads the whole batch, sums it in memory and writes one ``ADD`` per counter and item
(``CounterStore.count``). A failure never disturbs the handler's other steps: it is reported as
a batch item failure at the first record not counted, so Lambda delivers it and what follows
again, and the markers keep what was already counted from counting twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from chalicelib.core.observability import logger
from chalicelib.platform.rollups import Counted, UncountedEvents

Reader = Callable[[dict[str, Any]], Counted | None]


class Counting(Protocol):
    def count(self, events: Sequence[Counted], *, now: datetime) -> int: ...


def count_batch(
    event: dict[str, Any], read: Reader, store: Callable[[], Counting], *, rollup: str
) -> dict[str, Any]:
    """Count what ``read`` finds in the batch's records, in order, into ``store()`` (built inside
    the step: a store that cannot be built fails the step, not the handler). A record that
    cannot be read stops the reading there: what came before it is counted and it is reported
    (Lambda goes on from it, as for the handler's other steps). A chunk that cannot be written
    is reported from its first record; a store that fails before any chunk, from the batch's
    first. ``rollup`` names the counters in the logs."""
    records: list[dict[str, Any]] = event.get("Records", [])
    position = {str(r.get("eventID")): i for i, r in enumerate(records)}
    events: list[Counted] = []
    failed_at = len(records)  # the first record not counted: none
    for index, record in enumerate(records):
        try:
            found = read(record)
        except Exception:  # noqa: BLE001 - a malformed image: that record is reported
            logger.exception(
                "roll-up record unreadable", extra={"rollup": rollup, "position": index}
            )
            failed_at = index
            break
        if found is not None:
            events.append(found)
    try:
        store().count(events, now=datetime.now(UTC))
    except UncountedEvents as exc:
        logger.exception(
            "roll-ups not counted", extra={"rollup": rollup, "events": len(exc.events)}
        )
        failed_at = min(failed_at, position[exc.events[0].event_id])
    except Exception:  # noqa: BLE001 - never disturbs the handler's other steps; retried
        logger.exception("roll-up step failed", extra={"rollup": rollup, "records": len(records)})
        failed_at = 0
    if failed_at == len(records):
        return {"batchItemFailures": []}
    return {
        "batchItemFailures": [{"itemIdentifier": records[failed_at]["dynamodb"]["SequenceNumber"]}]
    }
