"""Service centres' tables: the registry (with each code's claim) and the users of each partner
company."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta
from chalicelib.platform.status_history import StatusChangeMap

_settings = get_settings()


class CenterListIndex(GlobalSecondaryIndex["ServiceCenterRecord"]):
    """Every centre in code order (``listed`` is a constant on centres, absent on code claims):
    the console's list, its code-prefix search and the public service points are one query,
    never a scan (a registry of tens to a few hundred centres)."""

    class Meta:
        index_name = "list_index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ServiceCenterRecord(Model):
    """Key: ``center_id`` (``sc_…``). The same table holds each code's claim, ``code#<CODE>``,
    written in the centre's own transaction with ``attribute_not_exists`` (one code, one centre,
    under any concurrency); claims carry no index attribute."""

    class Meta(TableMeta):
        table_name = _settings.table_name("service_centers")

    center_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(null=True)
    listed = UnicodeAttribute(null=True)  # "center" on centres (list_index)
    name = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)  # internal | partner
    tax_code = UnicodeAttribute(null=True)
    provinces = UnicodeSetAttribute(null=True)
    address = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    hours = UnicodeAttribute(null=True)
    public = BooleanAttribute(null=True)  # shown on the portal's service points
    status = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(null=True)  # +1 on every write: edits are conditional on it
    history = ListAttribute[StatusChangeMap](of=StatusChangeMap, null=True)
    owner_id = UnicodeAttribute(null=True)  # on a code's claim: the centre holding the code

    list_index = CenterListIndex()


class CenterUsersIndex(GlobalSecondaryIndex["ServiceCenterUserRecord"]):
    """A centre's users (its page lists them)."""

    class Meta:
        index_name = "center_index"
        projection = AllProjection()

    center_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class ServiceCenterUserRecord(Model):
    """Key: the Cognito ``username`` of a user in the ``service`` group: which centre it acts
    for. Read on every request of such a user, so removing it (or suspending the centre) ends
    access at once, whatever tokens are still valid."""

    class Meta(TableMeta):
        table_name = _settings.table_name("service_center_users")

    username = UnicodeAttribute(hash_key=True)
    center_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()

    center_index = CenterUsersIndex()
