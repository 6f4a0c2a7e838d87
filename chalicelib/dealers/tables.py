"""Dealers' tables: the registry (with each code's claim) and the users of each dealer."""

from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta
from chalicelib.platform.status_history import StatusChangeMap

_settings = get_settings()


class ParentIndex(GlobalSecondaryIndex["DealerRecord"]):
    """Sparse: the dealers a distributor supplies, in code order (only dealers with a parent)."""

    class Meta:
        index_name = "parent_index"
        projection = AllProjection()

    parent_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ListIndex(GlobalSecondaryIndex["DealerRecord"]):
    """Every dealer in code order (``listed`` is a constant on dealers, absent on code claims):
    the console's list and its code-prefix search are one query, never a scan."""

    class Meta:
        index_name = "list_index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class DealerRecord(Model):
    """Key: ``dealer_id`` (``d_…``). The same table holds each code's claim, ``code#<CODE>``,
    written in the dealer's own transaction with ``attribute_not_exists`` (one code, one
    dealer, under any concurrency); claims carry no index attribute."""

    class Meta(TableMeta):
        table_name = _settings.table_name("dealers")
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the audit trail

    dealer_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(null=True)
    listed = UnicodeAttribute(null=True)  # "dealer" on dealers (list_index)
    name = UnicodeAttribute(null=True)
    tax_code = UnicodeAttribute(null=True)
    province = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    contact_phone = UnicodeAttribute(null=True)
    parent_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(null=True)  # +1 on every write: edits are conditional on it
    history = ListAttribute[StatusChangeMap](of=StatusChangeMap, null=True)
    owner_id = UnicodeAttribute(null=True)  # on a code's claim: the dealer holding the code

    parent_index = ParentIndex()
    list_index = ListIndex()


class DealerUsersIndex(GlobalSecondaryIndex["DealerUserRecord"]):
    """A dealer's users (its page lists them)."""

    class Meta:
        index_name = "dealer_index"
        projection = AllProjection()

    dealer_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class DealerUserRecord(Model):
    """Key: the Cognito ``username`` of a user in the ``dealer`` group: which dealer it acts
    for. Read on every dealer request, so removing it (or suspending the dealer) ends access at
    once, whatever tokens are still valid."""

    class Meta(TableMeta):
        table_name = _settings.table_name("dealer_users")

    username = UnicodeAttribute(hash_key=True)
    dealer_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()

    dealer_index = DealerUsersIndex()
