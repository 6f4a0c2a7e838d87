"""The catalog's tables: brands, product models, units and their owners (customers)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    IncludeProjection,
    KeysOnlyProjection,
)
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
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the audit trail (audit.events)

    brand_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    serial_prefix = UnicodeAttribute()
    next_sequence = NumberAttribute(default=0)
    theme = MapAttribute[str, Any](default=dict)  # the portal's look (BrandTheme); {} = defaults
    confirm_phone = BooleanAttribute(null=True)  # a code to the phone at activation; absent = off
    updated_by = UnicodeAttribute(null=True)  # the staff member of the last change (audit trail)


class CatalogIndex(GlobalSecondaryIndex["ProductModelRecord"]):
    """A brand's models in code order: listing the catalog is a query, never a scan."""

    class Meta:
        index_name = "catalog_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ComponentTermMap(MapAttribute[str, Any]):
    """A part's own warranty (``catalog.warranty.ComponentTerm``)."""

    code = UnicodeAttribute()
    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    months = NumberAttribute()
    activated_within_months = NumberAttribute(null=True)


class ProductModelRecord(Model):
    """Key: model ``code``. ``unit_count`` is kept by the same transactions that add units, so
    "delete only while no unit uses it" is one conditional delete, never a scan."""

    class Meta(TableMeta):
        table_name = _settings.table_name("models")
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the audit trail (audit.events)

    code = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    image_url = UnicodeAttribute(default="")
    specs = MapAttribute[str, Any](default=dict)
    name_en = UnicodeAttribute(null=True)  # English texts: optional, Vietnamese when absent
    description_en = UnicodeAttribute(null=True)
    category = UnicodeAttribute(null=True)  # Vietnamese; absent: no category
    category_en = UnicodeAttribute(null=True)
    spec_labels_en = MapAttribute[str, Any](null=True)  # spec label → its English label
    spec_values_en = MapAttribute[str, Any](null=True)  # spec label → its English value
    warranty_months = NumberAttribute()
    start_basis = UnicodeAttribute()
    max_months_from_manufacture = NumberAttribute(null=True)
    activation_deadline_days = NumberAttribute(null=True)
    components = ListAttribute(of=ComponentTermMap, null=True)  # absent: no part has its own
    unit_count = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    updated_by = UnicodeAttribute(null=True)  # the staff member of the last change (audit trail)

    catalog_index = CatalogIndex()


class HistoryEntry(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    event = UnicodeAttribute()
    by = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class InstallerMap(MapAttribute[str, Any]):
    """The installer of a ``partner`` activation (``catalog.model.Installer``)."""

    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    installed_on = UnicodeAttribute()  # ISO day
    partner_id = UnicodeAttribute(default="")
    store = UnicodeAttribute(default="")
    notes = UnicodeAttribute(default="")


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


# What the console's units list shows: the list indexes project these, never the history.
LISTED = [
    "model_code",
    "status",
    "batch",
    "manufactured_on",
    "created_at",
    "activated_at",
    "warranty_start",
    "warranty_end",
    "owner_name",
    "owner_phone",
]


class BrandSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Every unit of the brand in serial order: the units list and its serial prefix search
    (``begins_with`` on the range key) are queries, never a scan."""

    class Meta:
        index_name = "brand_serial_index"
        projection = IncludeProjection(LISTED)

    brand_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class ModelSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """A model's units in serial order (the list filtered by model, with or without a prefix)."""

    class Meta:
        index_name = "model_serial_index"
        projection = IncludeProjection(LISTED)

    model_code = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class StatusSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """The units in one status, in serial order (the list filtered by status)."""

    class Meta:
        index_name = "status_serial_index"
        projection = IncludeProjection(LISTED)

    status = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class ActivationIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: only activated units carry ``activated_at``; the brand's activations in time
    order, so an activation date range is one ``BETWEEN``."""

    class Meta:
        index_name = "activation_index"
        projection = IncludeProjection(LISTED)

    brand_id = UnicodeAttribute(hash_key=True)
    activated_at = UTCDateTimeAttribute(range_key=True)


# What a dealer's, a shipment's and a carton's unit lists show (their indexes project these).
SHIPPING = [
    "model_code",
    "status",
    "shipped_on",
    "activated_at",
    "dealer_id",
    "shipment_id",
    "carton",
]


class DealerSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: the units shipped to a dealer, in serial order (only shipped units carry
    ``dealer_id``): the dealer's own units list and the console's per-dealer list."""

    class Meta:
        index_name = "dealer_serial_index"
        projection = IncludeProjection(SHIPPING)

    dealer_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class ShipmentSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: a shipment's units (its detail page, its cancellation, its Excel export)."""

    class Meta:
        index_name = "shipment_serial_index"
        projection = IncludeProjection(SHIPPING)

    shipment_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class CartonSerialIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: a carton's units: a scanned carton code is one query for its serials."""

    class Meta:
        index_name = "carton_serial_index"
        projection = IncludeProjection(SHIPPING)

    carton = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class AwaitingIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: units shipped to a dealer and not yet activated (``awaiting_dealer`` = the
    dealer's id from shipment to activation, removed by the activation and by a return or a
    cancelled shipment), oldest shipment first: the weekly "still not activated" message reads
    only these."""

    class Meta:
        index_name = "awaiting_index"
        projection = IncludeProjection(SHIPPING)

    awaiting_dealer = UnicodeAttribute(hash_key=True)
    shipped_on = UnicodeAttribute(range_key=True)


class UnitRecord(Model):
    """Key: ``serial``. One item per physical unit; activation is one conditional update on it.
    Its stream drives every consequence of activation."""

    class Meta(TableMeta):
        table_name = _settings.table_name("units")
        stream_view_type = "NEW_AND_OLD_IMAGES"

    serial = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute(null=True)  # brand_serial_index, activation_index
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
    installer = InstallerMap(null=True)  # a ``partner`` activation's installer
    dealer_id = UnicodeAttribute(null=True)  # the dealer it was shipped to (dealer_serial_index)
    shipment_id = UnicodeAttribute(null=True)  # the shipment that took it (shipment_serial_index)
    carton = UnicodeAttribute(null=True)  # the carton it is packed in (carton_serial_index)
    awaiting_dealer = UnicodeAttribute(null=True)  # shipped, not yet activated (awaiting_index)
    replaces = UnicodeAttribute(null=True)  # the serial this unit replaced under warranty
    replaced_by = UnicodeAttribute(null=True)  # a voided unit's replacement
    replaced_on = UnicodeAttribute(null=True)  # ISO day of the replacement (its warranty start)
    history = ListAttribute[HistoryEntry](of=HistoryEntry, default=list)

    owner_index = OwnerIndex()
    batch_index = BatchIndex()
    brand_serial_index = BrandSerialIndex()
    model_serial_index = ModelSerialIndex()
    status_serial_index = StatusSerialIndex()
    activation_index = ActivationIndex()
    dealer_serial_index = DealerSerialIndex()
    shipment_serial_index = ShipmentSerialIndex()
    carton_serial_index = CartonSerialIndex()
    awaiting_index = AwaitingIndex()


class ConsentEntry(MapAttribute[str, Any]):
    """Evidence of one consent decision (Decree 13 / PDPL: per purpose, reproducible)."""

    granted = BooleanAttribute()
    at = UTCDateTimeAttribute()
    channel = UnicodeAttribute()
    notice_version = UnicodeAttribute()
    evidence = UnicodeAttribute()


class CustomerNameIndex(GlobalSecondaryIndex["CustomerRecord"]):
    """A brand's customers by their folded name (``tran thi binh``): staff find "Trần Thị…" with
    one ``begins_with`` query, never a scan. Sparse: a customer known only by an SMS activation
    has no name and no ``name_folded`` (an index key may not be empty)."""

    class Meta:
        index_name = "name_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    name_folded = UnicodeAttribute(range_key=True)


class CustomerRecord(Model):
    """Key: ``customer_key`` = HMAC(pepper, E.164 phone). Name and one consent record per
    purpose (top-level attributes, so an upsert never needs the item to exist first).
    ``brand_id`` and ``name_folded`` are written by every activation (items saved before the
    customer search get them from a backfill: devstack ``migrations.py``)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("customers")

    customer_key = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    brand_id = UnicodeAttribute(null=True)
    name_folded = UnicodeAttribute(null=True)  # core.text.fold_name(name) when name is not ""
    consent_warranty_service = ConsentEntry(null=True)
    consent_marketing = ConsentEntry(null=True)
    updated_at = UTCDateTimeAttribute()

    name_index = CustomerNameIndex()


class UnitImportsByBrandIndex(GlobalSecondaryIndex["UnitImportRecord"]):
    """A brand's unit imports, newest first (the console's list)."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class UnitImportRecord(Model):
    """Key: ``import_id``. One import of a units file (CSV or .xlsx) uploaded to the uploads
    bucket: its counts, the first rejected lines, where the runs stopped (``next_line``) and the
    report they left. Its stream starts the job outside the request (``on_unit_import_change``);
    the run claims it with a conditional update and a lease, so a stream record delivered twice
    imports once. ``expires`` (TTL) drops it after 30 days."""

    class Meta(TableMeta):
        table_name = _settings.table_name("unit_imports")
        stream_view_type = "NEW_IMAGE"

    import_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    filename = UnicodeAttribute()
    kind = UnicodeAttribute()  # csv | xlsx
    size_bytes = NumberAttribute()
    status = UnicodeAttribute()
    language = UnicodeAttribute(default="vi")  # the report's
    total = NumberAttribute(default=0)
    done = NumberAttribute(default=0)
    imported = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    rejected_sample = UnicodeAttribute(default="[]")  # JSON [[line, serial, model, reason], …]
    next_line = NumberAttribute(default=0)
    counted = UnicodeAttribute(default="[0,0,0]")  # JSON: the earlier runs' counts at next_line
    parts = NumberAttribute(default=0)
    report_key = UnicodeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    error_details = UnicodeAttribute(null=True)  # JSON: what fills the error's message
    attempts = NumberAttribute(default=0)
    runs = NumberAttribute(default=0)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()

    brand_index = UnitImportsByBrandIndex()


class CartonListIndex(GlobalSecondaryIndex["CartonRecord"]):
    """A brand's cartons, newest first (the console's list). Sparse: the sequence counter's
    item carries no ``brand_id``."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class CartonRecord(Model):
    """Key: the carton ``code`` (an SSCC's 18 digits or the manufacturer's own code). Its units
    carry the code (``UnitRecord.carton``, ``carton_serial_index``); ``units`` and ``models``
    (model code → units) are kept by the same transactions that pack and unpack, so the list
    reads no unit. One more item, ``#sequence``, is the counter of generated SSCCs (one atomic
    ADD a carton)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("cartons")

    code = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute(null=True)  # absent on the counter's item
    status = UnicodeAttribute(null=True)  # open | closed
    source = UnicodeAttribute(null=True)  # packed (the packing screen) | imported
    units = NumberAttribute(default=0)
    models = MapAttribute[str, Any](default=dict)
    next_sequence = NumberAttribute(null=True)  # the counter's item only
    created_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    closed_by = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)

    brand_index = CartonListIndex()


class UnitTransferRecord(Model):
    """Key: ``serial``. A unit's one pending ownership transfer: started by its owner on "my
    products" (``from_key``), waiting for the new owner (``to_key``: their phone's HMAC) to
    confirm with the code sent to them (kept as an HMAC). A new start replaces it; the new
    owner's confirmation deletes it in the unit's own transaction. ``expires`` (TTL) drops it
    after its 48 hours; reads check ``expires_at`` too (TTL deletes late)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("unit_transfers")

    serial = UnicodeAttribute(hash_key=True)
    from_key = UnicodeAttribute()
    to_key = UnicodeAttribute()
    to_masked = UnicodeAttribute()
    code_hash = UnicodeAttribute()
    language = UnicodeAttribute(default="vi")
    issued_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    expires = TTLAttribute()
