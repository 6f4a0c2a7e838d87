"""The dashboard's steps inside the units and notifications streams' handlers (a stream has at
most two consumers in AWS, so the dashboard subscribes inside ``on_unit_change`` and
``on_notification_change`` rather than beside them).

Each step reads the whole batch, sums it in memory and writes one ``ADD`` per counter and day
(``RollupRepository.count``). A failure never disturbs the handler's other step: it is reported
as a batch item failure at the first record not counted, so Lambda delivers it and what follows
again, and the markers keep what was already counted from counting twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.observability import logger
from chalicelib.dashboard import wiring as dashboard_wiring
from chalicelib.dashboard.counters import CountedEvent
from chalicelib.dashboard.stream_counts import activation_event, message_event

Reader = Callable[[dict[str, Any]], CountedEvent | None]


def count_activations(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: activations per day, model and channel."""
    return _count(event, activation_event)


def count_messages(event: dict[str, Any]) -> dict[str, Any]:
    """Notifications stream: messages delivered and failed per day and channel."""
    return _count(event, message_event)


def _count(event: dict[str, Any], read: Reader) -> dict[str, Any]:
    """Count what ``read`` finds in the batch's records, in order. A record that cannot be read
    stops the reading there: what came before it is counted and it is reported (Lambda goes on
    from it, as for the handler's other step). A chunk that cannot be written is reported from
    its first record; a store that fails before any chunk, from the batch's first."""
    from chalicelib.dashboard.rollup_repository import UncountedEvents

    records: list[dict[str, Any]] = event.get("Records", [])
    position = {str(r.get("eventID")): i for i, r in enumerate(records)}
    events: list[CountedEvent] = []
    failed_at = len(records)  # the first record not counted: none
    for index, record in enumerate(records):
        try:
            found = read(record)
        except Exception:  # noqa: BLE001 - a malformed image: that record is reported
            logger.exception("roll-up record unreadable", extra={"position": index})
            failed_at = index
            break
        if found is not None:
            events.append(found)
    try:
        dashboard_wiring.rollups().count(events, now=datetime.now(UTC))
    except UncountedEvents as exc:
        logger.exception("roll-ups not counted", extra={"events": len(exc.events)})
        failed_at = min(failed_at, position[exc.events[0].event_id])
    except Exception:  # noqa: BLE001 - never disturbs the handler's other step; retried
        logger.exception("roll-up step failed", extra={"records": len(records)})
        failed_at = 0
    if failed_at == len(records):
        return {"batchItemFailures": []}
    return {
        "batchItemFailures": [{"itemIdentifier": records[failed_at]["dynamodb"]["SequenceNumber"]}]
    }
