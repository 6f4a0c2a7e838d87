"""The catalog's tables: brands, product models, units and their owners (customers)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class BrandRecord(Model):
    """Key: ``brand_id``. One item per brand: its name, serial prefix and the serial sequence
    counter (reserved in ranges with one atomic ADD, so generation never double-issues a
    serial). The hotline is in ``theme`` (``""``: the stage's ``GARANTI_HOTLINE``)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("brands")

    brand_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    serial_prefix = UnicodeAttribute()
    next_sequence = NumberAttribute(default=0)
    theme = MapAttribute[str, Any](default=dict)  # the portal's look (BrandTheme); {} = defaults
    confirm_phone = BooleanAttribute(null=True)  # a code to the phone at activation; absent = off
    updated_by = UnicodeAttribute(null=True)  # the staff member of the last save (audit's actor)


class CatalogIndex(GlobalSecondaryIndex["ProductModelRecord"]):
    """A brand's models in code order: listing the catalog is a query, never a scan."""

    class Meta:
        index_name = "catalog_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ProductModelRecord(Model):
    """Key: model ``code``. ``unit_count`` is kept by the same transactions that add units, so
    "delete only while no unit uses it" is one conditional delete, never a scan."""

    class Meta(TableMeta):
        table_name = _settings.table_name("models")

    code = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    image_url = UnicodeAttribute(default="")
    specs = MapAttribute[str, Any](default=dict)
    name_en = UnicodeAttribute(null=True)  # English texts: optional, Vietnamese when absent
    description_en = UnicodeAttribute(null=True)
    spec_labels_en = MapAttribute[str, Any](null=True)  # spec label → its English label
    spec_values_en = MapAttribute[str, Any](null=True)  # spec label → its English value
    warranty_months = NumberAttribute()
    start_basis = UnicodeAttribute()
    max_months_from_manufacture = NumberAttribute(null=True)
    activation_deadline_days = NumberAttribute(null=True)
    unit_count = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    updated_by = UnicodeAttribute(null=True)  # the staff member of the last write (audit's actor)

    catalog_index = CatalogIndex()


class HistoryEntry(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    event = UnicodeAttribute()
    by = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class OwnerIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: only activated units carry ``owner_key`` (HMAC of the owner's phone), so "my
    units" is one query and the raw phone never appears in a key."""

    class Meta:
        index_name = "owner_index"
        projection = AllProjection()

    owner_key = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class BatchIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: only units made in a named batch carry ``batch_key`` (DynamoDB keys may not be
    empty), so a batch's serials, in serial order, are one paginated query (label sheets)."""

    class Meta:
        index_name = "batch_index"
        projection = KeysOnlyProjection()

    batch_key = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class UnitRecord(Model):
    """Key: ``serial``. One item per physical unit; activation is one conditional update on it.
    Its stream drives every consequence of activation."""

    class Meta(TableMeta):
        table_name = _settings.table_name("units")
        stream_view_type = "NEW_AND_OLD_IMAGES"

    serial = UnicodeAttribute(hash_key=True)
    model_code = UnicodeAttribute()
    status = UnicodeAttribute()
    batch = UnicodeAttribute(default="")
    batch_key = UnicodeAttribute(null=True)  # = batch when it is not empty (batch_index)
    manufactured_on = UnicodeAttribute(null=True)
    shipped_on = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    activated_at = UTCDateTimeAttribute(null=True)
    warranty_start = UnicodeAttribute(null=True)
    warranty_end = UnicodeAttribute(null=True)
    warranty_reason = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    language = UnicodeAttribute(null=True)
    owner_key = UnicodeAttribute(null=True)
    owner_name = UnicodeAttribute(null=True)
    owner_phone = UnicodeAttribute(null=True)
    owner_province = UnicodeAttribute(null=True)
    owner_address = UnicodeAttribute(null=True)
    idempotency_key = UnicodeAttribute(null=True)  # the activating attempt's, for its retries
    request_digest = UnicodeAttribute(null=True)  # HMAC of that attempt's request
    disputed_at = UTCDateTimeAttribute(null=True)  # the confirmation's recipient: "not me"
    history = ListAttribute[HistoryEntry](of=HistoryEntry, default=list)

    owner_index = OwnerIndex()
    batch_index = BatchIndex()


class ConsentEntry(MapAttribute[str, Any]):
    """Evidence of one consent decision (Decree 13 / PDPL: per purpose, reproducible)."""

    granted = BooleanAttribute()
    at = UTCDateTimeAttribute()
    channel = UnicodeAttribute()
    notice_version = UnicodeAttribute()
    evidence = UnicodeAttribute()


class CustomerRecord(Model):
    """Key: ``customer_key`` = HMAC(pepper, E.164 phone). Name and one consent record per
    purpose (top-level attributes, so an upsert never needs the item to exist first)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("customers")

    customer_key = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    consent_warranty_service = ConsentEntry(null=True)
    consent_marketing = ConsentEntry(null=True)
    updated_at = UTCDateTimeAttribute()
