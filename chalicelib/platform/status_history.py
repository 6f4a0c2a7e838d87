"""A registry entry's status history (:mod:`chalicelib.core.lifecycle`) as DynamoDB keeps it:
a list of maps on the entry's own item, appended by each status write."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.core.lifecycle import Lifecycle, StatusChange


class StatusChangeMap(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    status_from = UnicodeAttribute(null=True)
    status_to = UnicodeAttribute()
    note = UnicodeAttribute(default="")


def change_of(entry: StatusChangeMap) -> StatusChange:
    return StatusChange(
        at=entry.at,
        by=entry.by,
        status_from=Lifecycle(entry.status_from) if entry.status_from else None,
        status_to=Lifecycle(entry.status_to),
        note=entry.note or "",
    )


def change_map(change: StatusChange) -> StatusChangeMap:
    return StatusChangeMap(
        at=change.at,
        by=change.by,
        status_from=change.status_from.value if change.status_from else None,
        status_to=change.status_to.value,
        note=change.note,
    )
