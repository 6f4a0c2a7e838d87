"""The claims stream (``on_claim_change``): what follows a change of a service request.

- its photos uploaded by presigned PUT are checked, resized and stripped of their metadata here,
  never in the API function;

Each step is idempotent: a redelivered record finds its photos cleaned already.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.claims import service, wiring
from chalicelib.claims.repository import claim_from_image
from chalicelib.core.observability import logger
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.streams import process_stream


def on_record(record: Any) -> None:
    """One change of a request: INSERT and MODIFY carry its new image; REMOVE has none."""
    raw = record.raw_event
    if raw.get("eventName") not in ("INSERT", "MODIFY"):
        return
    claim = claim_from_image(raw["dynamodb"]["NewImage"])
    if any(p.state == "uploaded" for p in claim.photos):
        done = service.process_photos(
            claim.claim_id,
            at=datetime.now(UTC),
            store=wiring.claim_repository(),
            storage=platform_wiring.storage(),
            rules=wiring.rules(),
        )
        if done is not None:
            states = [p.state for p in done.photos]
            logger.info(
                "claim photos cleaned",
                extra={"claim_id": claim.claim_id, "ready": states.count("ready"),
                       "refused": states.count("refused")},
            )  # fmt: skip


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Claims stream: each record through :func:`on_record`, failures reported record by
    record."""
    return process_stream(event, context, on_record)
