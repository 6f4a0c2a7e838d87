"""Activation's table: one-time-code challenges for look-up by phone."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class OtpRecord(Model):
    """Key: ``phone_key``. The one live challenge per phone and its recent send times; the code
    is stored as an HMAC. ``expires`` is the TTL (reads also check it: TTL deletes late)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("otp")

    phone_key = UnicodeAttribute(hash_key=True)
    code_hash = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    code_expires_at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    used = BooleanAttribute(default=False)
    sends = ListAttribute[NumberAttribute](of=NumberAttribute, default=list)
    version = NumberAttribute(default=0)
    expires = TTLAttribute()
