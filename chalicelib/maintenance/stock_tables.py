"""Spare parts' tables: the catalogue and the places stock is kept (both keyed by brand, so a
list is one query), each place's quantity of each part, and the movements (never edited)."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class PartRecord(Model):
    """Key: ``brand_id`` + the part's ``code``. Each save is conditional on ``version``."""

    class Meta(TableMeta):
        table_name = _settings.table_name("parts")

    brand_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    unit = UnicodeAttribute()
    cost_vnd = NumberAttribute()
    price_vnd = NumberAttribute()
    models = ListAttribute[str](default=list)
    min_stock = NumberAttribute(default=0)
    active = BooleanAttribute(default=True)
    version = NumberAttribute()
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class LocationRecord(Model):
    """Key: ``brand_id`` + the place's ``location_id`` (``KHO-HCM``, ``VAN-AN``)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("stock_locations")

    brand_id = UnicodeAttribute(hash_key=True)
    location_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # warehouse | van | company
    holder = UnicodeAttribute(null=True)  # tech#<username> | company#<id>
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


class StockRecord(Model):
    """Key: ``location_id`` + ``part_code``: the quantity there. Only ever changed by ``ADD``
    in a movement's transaction; a decrease is conditional on ``on_hand`` covering it."""

    class Meta(TableMeta):
        table_name = _settings.table_name("stock")

    location_id = UnicodeAttribute(hash_key=True)
    part_code = UnicodeAttribute(range_key=True)
    on_hand = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)


class MovementRecord(Model):
    """Key: ``part_code`` + ``moved`` (``<ISO instant>#<movement_id>``): a part's movements in
    order, never edited."""

    class Meta(TableMeta):
        table_name = _settings.table_name("stock_movements")

    part_code = UnicodeAttribute(hash_key=True)
    moved = UnicodeAttribute(range_key=True)
    movement_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    qty = NumberAttribute()
    source = UnicodeAttribute(null=True)
    target = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    reason = UnicodeAttribute(default="")
    ticket_id = UnicodeAttribute(null=True)
    unit_cost_vnd = NumberAttribute(default=0)
    claim_id = UnicodeAttribute(null=True)


class ReceivableRecord(Model):
    """Key: the visit's ``month`` (``YYYY-MM``) + its ``ticket_id``: a month's lines are one
    query. Each change is conditional on ``version`` and on the month not being closed."""

    class Meta(TableMeta):
        table_name = _settings.table_name("receivables")
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the reports' counters (reports.events)

    month = UnicodeAttribute(hash_key=True)
    ticket_id = UnicodeAttribute(range_key=True)
    serial = UnicodeAttribute()
    customer_name = UnicodeAttribute()
    done_on = UnicodeAttribute()  # ISO day
    amount_vnd = NumberAttribute()
    collected_vnd = NumberAttribute(default=0)
    method = UnicodeAttribute(default="")
    holder = UnicodeAttribute(default="")
    holder_name = UnicodeAttribute(default="")
    parts_cost_vnd = NumberAttribute(default=0)
    remitted_vnd = NumberAttribute(null=True)
    remitted_on = UnicodeAttribute(null=True)
    reconciled_by = UnicodeAttribute(default="")
    status = UnicodeAttribute()
    version = NumberAttribute()
    updated_by = UnicodeAttribute(default="")
    updated_at = UTCDateTimeAttribute(null=True)


class ReceivableMonthRecord(Model):
    """Key: ``month``. Absent, or without ``closed_at``: open. Closed once, with its totals."""

    class Meta(TableMeta):
        table_name = _settings.table_name("receivable_months")

    month = UnicodeAttribute(hash_key=True)
    closed_at = UTCDateTimeAttribute(null=True)
    closed_by = UnicodeAttribute(null=True)
    lines = NumberAttribute(default=0)
    amount_vnd = NumberAttribute(default=0)
    collected_vnd = NumberAttribute(default=0)
    remitted_vnd = NumberAttribute(default=0)
