"""Units stream records → funnel events: reads the images through the catalog's decoder
(``catalog.unit_stream``); writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.dealers.funnel import FunnelEvent, unit_changes

# attributes whose absence on both images means the write cannot concern the funnel
_SHIPPING = ("dealer_id", "shipped_on")


def funnel_event(record: dict[str, Any]) -> FunnelEvent | None:
    """The funnel's changes in one record, or ``None`` when it changes nothing (a unit that
    was never shipped, or a write that moves nothing the funnel counts)."""
    change = record.get("dynamodb", {})
    old_image, new_image = change.get("OldImage"), change.get("NewImage")
    if not any(name in (image or {}) for image in (old_image, new_image) for name in _SHIPPING):
        return None
    old = unit_from_image(old_image) if old_image else None
    new = unit_from_image(new_image) if new_image else None
    at = change.get("ApproximateCreationDateTime")
    when = datetime.fromtimestamp(float(at), UTC) if at else datetime.now(UTC)
    activated_on = (
        business_day(new.activation.activated_at)
        if new is not None and new.activation is not None
        else None
    )
    found = unit_changes(old, new, activated_on=activated_on, today=business_day(when))
    if not found:
        return None
    return FunnelEvent(event_id=str(record["eventID"]), changes=tuple(found))
