"""The payouts' tables: the withholding setting's versions, the batches and their lines."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class PayoutSettingRecord(Model):
    """Key: ``brand_id`` + ``version``. A version is written once (``attribute_not_exists``) and
    never changed: the settings are one query, and two accountants confirming at once cannot
    both make version n + 1."""

    class Meta(TableMeta):
        table_name = _settings.table_name("payout_settings")

    brand_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)
    rate_bp = NumberAttribute()
    threshold = NumberAttribute()
    effective_from = UnicodeAttribute()  # ISO day
    confirmed_by = UnicodeAttribute()
    confirmed_at = UTCDateTimeAttribute()
    note = UnicodeAttribute(default="")


class BatchesByBrandIndex(GlobalSecondaryIndex["PayoutBatchRecord"]):
    """The brand's batches, newest first (the accountant's list)."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class PayoutBatchRecord(Model):
    """Key: ``batch_id`` (``pb_`` + a ULID). Created ``creating`` before any entry is taken, with
    the withholding version it uses; its lines are in ``payout_lines``. The counters (``paid``,
    ``failed``) move in each line's transaction, conditional on the batch's state."""

    class Meta(TableMeta):
        table_name = _settings.table_name("payout_batches")

    batch_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    state = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    periods = ListAttribute[str](default=list)
    setting_version = NumberAttribute()
    rate_bp = NumberAttribute()
    threshold = NumberAttribute()
    setting_from = UnicodeAttribute()
    setting_confirmed_by = UnicodeAttribute()
    setting_confirmed_at = UTCDateTimeAttribute()
    lines = NumberAttribute(default=0)
    entries = NumberAttribute(default=0)
    gross = NumberAttribute(default=0)
    tax = NumberAttribute(default=0)
    net = NumberAttribute(default=0)
    paid = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)
    carried = NumberAttribute(default=0)
    exported_at = UTCDateTimeAttribute(null=True)
    exported_by = UnicodeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    run_until = UTCDateTimeAttribute(null=True)  # a creating run's lease (one run at a time)

    brand_index = BatchesByBrandIndex()


class PayoutLineRecord(Model):
    """Key: ``batch_id`` + ``partner_id``: one line per partner and batch; a batch's lines are
    one query. ``entry_ids`` are the planned entries, then (from ``pending``) those taken. The
    bank details are a copy as they were when the batch was made."""

    class Meta(TableMeta):
        table_name = _settings.table_name("payout_lines")

    batch_id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute(range_key=True)
    state = UnicodeAttribute()
    entry_ids = ListAttribute[str](default=list)
    gross = NumberAttribute()
    tax = NumberAttribute()
    net = NumberAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    bank_bin = UnicodeAttribute()
    account_number = UnicodeAttribute()
    account_holder = UnicodeAttribute()
    commitment = BooleanAttribute(default=False)
    reference = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    settled_by = UnicodeAttribute(null=True)
    settled_at = UTCDateTimeAttribute(null=True)
