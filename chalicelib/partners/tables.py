"""Partners' tables: the partners (with their one-per-phone claims) and their sessions."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class PhoneIndex(GlobalSecondaryIndex["PartnerRecord"]):
    """The partner with a phone (its key: an HMAC, never the number): sign-in, staff look-up."""

    class Meta:
        index_name = "phone_index"
        projection = AllProjection()

    phone_key = UnicodeAttribute(hash_key=True)


class StatusIndex(GlobalSecondaryIndex["PartnerRecord"]):
    """Partners in one status, oldest first (the staff's review queue), cursor-paged."""

    class Meta:
        index_name = "status_index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class StatusChangeMap(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    status_from = UnicodeAttribute(null=True)
    status_to = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class PartnerRecord(Model):
    """Key: ``partner_id`` (``p_…``). The same table holds each phone's claim,
    ``phone#<phone key>`` (:class:`PhoneClaimRecord`), written in the partner's own transaction
    with ``attribute_not_exists``: two sign-ups with one phone cannot both commit. Claims carry
    neither ``phone_key`` nor ``status``, so no index sees them."""

    class Meta(TableMeta):
        table_name = _settings.table_name("partners")

    partner_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    phone_key = UnicodeAttribute()
    name = UnicodeAttribute()
    citizen_id = UnicodeAttribute()
    province = UnicodeAttribute()
    bank_bin = UnicodeAttribute()
    account_number = UnicodeAttribute()
    account_holder = UnicodeAttribute()
    tax_code = UnicodeAttribute(null=True)
    consent_given_at = UTCDateTimeAttribute()
    consent_version = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    updated_by = UnicodeAttribute(null=True)
    history = ListAttribute[StatusChangeMap](of=StatusChangeMap, default=list)
    # the commitment form (Mẫu 08/CK-TNCN): absent until the accountant records it
    commitment_on_file = BooleanAttribute(null=True)
    commitment_by = UnicodeAttribute(null=True)
    commitment_at = UTCDateTimeAttribute(null=True)
    commitment_note = UnicodeAttribute(null=True)

    phone_index = PhoneIndex()
    status_index = StatusIndex()


class PhoneClaimRecord(Model):
    """Key: ``phone#<phone key>`` in the partners table: the phone is taken by ``owner_id``."""

    class Meta(TableMeta):
        table_name = _settings.table_name("partners")

    partner_id = UnicodeAttribute(hash_key=True)
    owner_id = UnicodeAttribute()


class SessionsByPartnerIndex(GlobalSecondaryIndex["PartnerSessionRecord"]):
    """A partner's sessions (keys only): suspension ends them all."""

    class Meta:
        index_name = "partner_index"
        projection = KeysOnlyProjection()

    partner_id = UnicodeAttribute(hash_key=True)


class PartnerSessionRecord(Model):
    """Key: ``session_key`` = HMAC of the session token (the token itself is never stored).
    ``expires`` is the TTL; reads check it too (TTL deletes late)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("partner_sessions")

    session_key = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_used_at = UTCDateTimeAttribute()
    expires = TTLAttribute()

    partner_index = SessionsByPartnerIndex()
