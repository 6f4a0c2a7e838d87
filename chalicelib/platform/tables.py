"""Shared tables: rate-limit and spend counters, bumped in the limited action's own transaction;
the Excel export jobs of every capability."""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class RateLimitRecord(Model):
    """Key: ``bucket`` (what is counted, HMAC'd, plus the clock hour). Fixed-window counters,
    bumped inside the transaction of the action they limit; ``expires`` is the TTL."""

    class Meta(TableMeta):
        table_name = _settings.table_name("rate_limits")

    bucket = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires = TTLAttribute()


class ExportJobRecord(Model):
    """Key: ``export_id``. One Excel export (``platform.export_jobs``): its ``kind`` (which
    capability writes it), its parameters, progress, and the file it wrote to the uploads
    bucket. Its stream starts the run outside the request (``on_export_change``); the run claims
    it with a conditional update and a lease, so a record delivered twice writes one file.
    ``expires`` (TTL) drops it after 7 days."""

    class Meta(TableMeta):
        table_name = _settings.table_name("exports")
        stream_view_type = "NEW_IMAGE"

    export_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    brand_id = UnicodeAttribute(default="")
    status = UnicodeAttribute()
    params = UnicodeAttribute()  # JSON object of strings: what the kind's writer writes
    filename = UnicodeAttribute()
    language = UnicodeAttribute(default="vi")
    rows = NumberAttribute(default=0)
    output_key = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()
