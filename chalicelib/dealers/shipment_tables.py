"""Shipments' tables: one item per shipment (its dealer, status, counts and confirmation
progress) and one item per scanned serial of a draft."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class ShipmentListIndex(GlobalSecondaryIndex["ShipmentRecord"]):
    """Every shipment by its day (``listed`` is the constant ``shipment``): the console's list
    and its date range are one query."""

    class Meta:
        index_name = "list_index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    ship_date = UnicodeAttribute(range_key=True)


class ShipmentDealerIndex(GlobalSecondaryIndex["ShipmentRecord"]):
    """A dealer's shipments by day (the list filtered by dealer)."""

    class Meta:
        index_name = "dealer_index"
        projection = AllProjection()

    dealer_id = UnicodeAttribute(hash_key=True)
    ship_date = UnicodeAttribute(range_key=True)


class ShipmentStatusIndex(GlobalSecondaryIndex["ShipmentRecord"]):
    """The shipments in one status by day (the drafts still open, the list by status)."""

    class Meta:
        index_name = "status_index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    ship_date = UnicodeAttribute(range_key=True)


class RefusedMap(MapAttribute[str, Any]):
    serial = UnicodeAttribute()
    reason = UnicodeAttribute()
    detail = UnicodeAttribute(default="")


class ShipmentRecord(Model):
    """Key: ``shipment_id`` (``s_`` + 26 base32). The scans are items of their own
    (:class:`ShipmentScanRecord`); this item holds what they add up to (``counts``: model →
    units, kept by the scans' own transactions) and the confirmation's progress (``cursor``:
    the last serial committed, ``shipped``, ``refused``), each chunk's update conditional on the
    cursor it continues from, so two runs cannot both commit a chunk. ``refused`` holds at most
    the shipment's units (5,000 × ~60 bytes)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("shipments")

    shipment_id = UnicodeAttribute(hash_key=True)
    listed = UnicodeAttribute(default="shipment")
    dealer_id = UnicodeAttribute()
    dealer_code = UnicodeAttribute()
    dealer_name = UnicodeAttribute()
    ship_date = UnicodeAttribute()  # ISO day
    document_number = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    counts = MapAttribute[str, Any](default=dict)  # model code → units scanned
    cursor = UnicodeAttribute(null=True)
    shipped = NumberAttribute(default=0)
    chunks = NumberAttribute(default=0)
    refused = ListAttribute[RefusedMap](of=RefusedMap, default=list)
    confirmed_by = UnicodeAttribute(null=True)
    confirmed_at = UTCDateTimeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)
    kept = ListAttribute[str](default=list)  # activated units a cancellation left shipped
    returned = NumberAttribute(default=0)

    list_index = ShipmentListIndex()
    dealer_index = ShipmentDealerIndex()
    status_index = ShipmentStatusIndex()


class ShipmentScanRecord(Model):
    """Key: (``shipment_id``, ``serial``): one scanned unit of a shipment, written with
    ``attribute_not_exists`` in a transaction with its shipment's counts (a repeated scan is a
    no-op, the counts never drift)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("shipment_scans")

    shipment_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)
    model_code = UnicodeAttribute()
    scanned_at = UTCDateTimeAttribute()
    scanned_by = UnicodeAttribute()
    carton = UnicodeAttribute(null=True)
    returned_at = UTCDateTimeAttribute(null=True)  # the dealer gave it back (a confirmed one)


class ShipmentClaimRecord(Model):
    """Key: ``serial``: the draft that scanned it last (written with the scan, in its
    transaction; removed with it). "Is it in another draft?" for a carton of 100 is one
    BatchGetItem, then the statuses of the shipments named (a claim of a shipment confirmed or
    cancelled since does not count). Two drafts scanning one unit at the same moment both keep
    it: the first confirmation ships it, the second reports it refused (already shipped)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("shipment_claims")

    serial = UnicodeAttribute(hash_key=True)
    shipment_id = UnicodeAttribute()
