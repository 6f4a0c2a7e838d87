"""The partners' cases table: one item per case, its thread inside it."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()
# What a list shows of a case: never the thread (a list page stays small however long the
# conversations are).
LISTED = ["partner_name", "kind", "serial", "subject", "created_at", "note_count", "last_by"]


class CasesByPartnerIndex(GlobalSecondaryIndex["CaseRecord"]):
    """A partner's cases, the latest activity first: their own list is one query."""

    class Meta:
        index_name = "partner_index"
        projection = IncludeProjection([*LISTED, "status"])

    partner_id = UnicodeAttribute(hash_key=True)
    updated_at = UTCDateTimeAttribute(range_key=True)


class CasesByStatusIndex(GlobalSecondaryIndex["CaseRecord"]):
    """Cases in one status by their latest activity: the staff's queue is one query (the kind a
    filter on it)."""

    class Meta:
        index_name = "status_index"
        projection = IncludeProjection([*LISTED, "partner_id"])

    status = UnicodeAttribute(hash_key=True)
    updated_at = UTCDateTimeAttribute(range_key=True)


class NoteMap(MapAttribute[str, Any]):
    number = NumberAttribute()
    at = UTCDateTimeAttribute()
    author = UnicodeAttribute()  # "partner" | "staff"
    by = UnicodeAttribute(default="")  # the staff username
    text = UnicodeAttribute(default="")
    photos = ListAttribute[str](default=list)


class CaseRecord(Model):
    """Key: ``case_id`` (``c_`` + 26 base32, a ULID's layout). The thread is a list in the item,
    only ever appended to (``list_append``), each write conditional on the ``version`` it read:
    two writers at once cannot lose a note or a status. ``note_count`` and ``last_by`` are what
    the lists show of the thread."""

    class Meta(TableMeta):
        table_name = _settings.table_name("partner_cases")

    case_id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    partner_name = UnicodeAttribute()
    kind = UnicodeAttribute()
    serial = UnicodeAttribute()
    subject = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    notes = ListAttribute[NoteMap](of=NoteMap, default=list)
    note_count = NumberAttribute()
    last_by = UnicodeAttribute()  # "partner" | "staff": who wrote last
    version = NumberAttribute()
    closed_by = UnicodeAttribute(null=True)

    partner_index = CasesByPartnerIndex()
    status_index = CasesByStatusIndex()
