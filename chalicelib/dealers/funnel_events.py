"""The funnel's step inside the units stream's handler (``on_unit_change``): shipments,
activations and returns of dealers' units counted per dealer, model and day.

Reads the whole batch, sums it in memory and writes one ``ADD`` per counter and item
(``FunnelRepository.count``). A failure never disturbs the handler's other steps: it is reported
as a batch item failure at the first record not counted, so Lambda delivers it and what follows
again, and the markers keep what was already counted from counting twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.core.observability import logger
from chalicelib.dealers import wiring as dealers_wiring
from chalicelib.dealers.funnel import FunnelEvent
from chalicelib.dealers.funnel_stream import funnel_event


def count_funnel(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: the dealer funnel's counters."""
    from chalicelib.dealers.funnel_repository import UncountedFunnelEvents

    records: list[dict[str, Any]] = event.get("Records", [])
    position = {str(r.get("eventID")): i for i, r in enumerate(records)}
    events: list[FunnelEvent] = []
    failed_at = len(records)  # the first record not counted: none
    for index, record in enumerate(records):
        try:
            found = funnel_event(record)
        except Exception:  # noqa: BLE001 - a malformed image: that record is reported
            logger.exception("funnel record unreadable", extra={"position": index})
            failed_at = index
            break
        if found is not None:
            events.append(found)
    try:
        dealers_wiring.funnel_counters().count(events, now=datetime.now(UTC))
    except UncountedFunnelEvents as exc:
        logger.exception("funnel not counted", extra={"events": len(exc.events)})
        failed_at = min(failed_at, position[exc.events[0].event_id])
    except Exception:  # noqa: BLE001 - never disturbs the handler's other steps; retried
        logger.exception("funnel step failed", extra={"records": len(records)})
        failed_at = 0
    if failed_at == len(records):
        return {"batchItemFailures": []}
    return {
        "batchItemFailures": [{"itemIdentifier": records[failed_at]["dynamodb"]["SequenceNumber"]}]
    }
