"""The claims stream (``on_claim_change``): what follows a change of a service request.

- its photos uploaded by presigned PUT are checked, resized and stripped of their metadata here,
  never in the API function;
- the customer is told of each customer-visible move and of each expected return date
  (:mod:`chalicelib.claims.notices`: one message per kind, request and version, queued in the
  outbox);
- the change goes to the audit trail (entity ``claim``).

Each step is idempotent: a redelivered record finds its photos cleaned already, its messages'
ids taken (the outbox's put is conditional) and its audit entry written (keyed by the record).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.claims import notices, service, tracking, wiring
from chalicelib.claims.model import Claim
from chalicelib.claims.repository import claim_from_image
from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.streams import process_stream

SEQUENCE_DIGITS = 40  # DynamoDB stream sequence numbers are decimal, up to 40 digits


def on_record(record: Any, context: Callable[[], notices.NoticeContext]) -> None:
    """One change of a request: INSERT and MODIFY carry its new image (MODIFY its old one
    too); REMOVE has nothing to tell."""
    raw = record.raw_event
    if raw.get("eventName") not in ("INSERT", "MODIFY"):
        return
    change = raw["dynamodb"]
    claim = claim_from_image(change["NewImage"])
    before = claim_from_image(change["OldImage"]) if "OldImage" in change else None
    _tell(before, claim, context)
    _audit(before, claim, raw)
    if any(p.state == "uploaded" for p in claim.photos):
        _clean_photos(claim)


def _tell(before: Claim | None, claim: Claim, context: Callable[[], notices.NoticeContext]) -> None:
    kinds = notices.message_kinds(before, claim)
    if not kinds:
        return
    outbox = outbox_wiring.notification_repository()
    queued = [
        m.template for m in notices.customer_messages(before, claim, context()) if outbox.add(m)
    ]
    logger.info(
        "claim customer told",
        extra={"claim_id": claim.claim_id, "version": claim.version, "kinds": kinds,
               "queued": queued},
    )  # fmt: skip


def _audit(before: Claim | None, claim: Claim, raw: dict[str, Any]) -> None:
    sequence = str(raw["dynamodb"].get("SequenceNumber", ""))
    entry = notices.audit_entry(
        before, claim, source=str(raw.get("eventID", "")), order=sequence.zfill(SEQUENCE_DIGITS)
    )
    if entry is not None:
        audit_wiring.audit_trail().record(entry)


def _clean_photos(claim: Claim) -> None:
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


def notice_context() -> notices.NoticeContext:
    """The messages' context: the pepper, the brand and its hotline, the portal's address."""
    settings = get_settings()
    pepper = platform_wiring.secrets().pepper
    try:
        hotline = (
            catalog_wiring.brand_repository().get(settings.brand_id).hotline_or(settings.hotline)
        )
    except NotFound:  # a stage whose brand is not set up yet: the stage's hotline
        hotline = settings.hotline
    return notices.NoticeContext(
        pepper=pepper,
        brand_id=settings.brand_id,
        portal_url=settings.portal_url,
        tracking_key=tracking.tracking_key(pepper),
        hotline=hotline,
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Claims stream: each record through :func:`on_record`, failures reported record by
    record; the messages' context is read once per batch, at its first message."""
    told = functools.cache(notice_context)
    return process_stream(event, context, lambda record: on_record(record, told))
