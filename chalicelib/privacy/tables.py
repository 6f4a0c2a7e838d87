"""The privacy capability's table: the requests customers make about their personal data."""

from __future__ import annotations

from pynamodb.attributes import (
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class RequestStatusIndex(GlobalSecondaryIndex["PrivacyRequestRecord"]):
    """A status's requests by their deadline, soonest first (``<due ISO>#<request_id>``): the
    console's list is one query, never a scan. Guards carry no ``status`` and stay out."""

    class Meta:
        index_name = "status_index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class PrivacyRequestRecord(Model):
    """Key: ``request_id``. A customer's request to erase their data, with its legal deadline,
    and how staff handled it. ``phone`` (the E.164 number the erasure needs to find the person's
    service requests) is kept only while the request is open; a handled request keeps the
    masked number alone. While a person's request is open, the item ``open#<subject_key>``
    names it (written with ``attribute_not_exists`` in the request's own transaction), so two
    taps make one request. The item ``retention`` holds the retention settings (months per
    kind, ``version``) and the daily job's watermarks."""

    class Meta(TableMeta):
        table_name = _settings.table_name("privacy_requests")

    request_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute(null=True)  # erasure
    status = UnicodeAttribute(null=True)  # open | done | refused
    due_key = UnicodeAttribute(null=True)
    subject_key = UnicodeAttribute(null=True)  # HMAC of the phone while open, then absent
    phone = UnicodeAttribute(null=True)  # while open only
    phone_masked = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)  # portal | console
    language = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    handled_by = UnicodeAttribute(null=True)
    handled_at = UTCDateTimeAttribute(null=True)
    reason = UnicodeAttribute(null=True)  # a refusal's, as staff wrote it
    erased = MapAttribute[str, int](null=True)  # section → items changed
    open_request = UnicodeAttribute(null=True)  # on a guard: the open request's id
    names = UnicodeSetAttribute(null=True)  # while open: the names an erasure learnt
    serials = UnicodeSetAttribute(null=True)  # while open: the serials an erasure learnt
    erasing_until = UTCDateTimeAttribute(null=True)  # while an erasure runs (its lease)
    retention = MapAttribute[str, int](null=True)  # on ``retention``: months per kind
    marks = MapAttribute[str, str](null=True)  # on ``retention``: where the job stopped
    version = NumberAttribute(null=True)  # on ``retention``
    updated_by = UnicodeAttribute(null=True)  # on ``retention``
    updated_at = UTCDateTimeAttribute(null=True)  # on ``retention``

    status_index = RequestStatusIndex()
