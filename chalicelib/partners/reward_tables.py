"""The rewards' tables: the reward rules (every version kept) and the ledger (one entry per
serial, ever)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
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


class RulesByModelIndex(GlobalSecondaryIndex["RewardRuleRecord"]):
    """Every version of the rules for one model: the units stream's one query per model."""

    class Meta:
        index_name = "model_index"
        projection = AllProjection()

    model_code = UnicodeAttribute(hash_key=True)
    rule_key = UnicodeAttribute(range_key=True)


class RulesByCategoryIndex(GlobalSecondaryIndex["RewardRuleRecord"]):
    """Sparse: every version of the rules for one category (``category_key``, folded), the
    stream's second query per model's category."""

    class Meta:
        index_name = "category_index"
        projection = AllProjection()

    category_key = UnicodeAttribute(hash_key=True)
    rule_key = UnicodeAttribute(range_key=True)


class RewardRuleRecord(Model):
    """Key: ``brand_id`` + ``rule_key`` = ``<rule_id>#<version, 6 digits>``. A version is
    written once (``attribute_not_exists``) and never changed: the brand's rules are one query,
    a rule's versions one ``begins_with``, and two staff members saving a version of the same
    rule at once cannot both win."""

    class Meta(TableMeta):
        table_name = _settings.table_name("reward_rules")

    brand_id = UnicodeAttribute(hash_key=True)
    rule_key = UnicodeAttribute(range_key=True)
    rule_id = UnicodeAttribute()
    version = NumberAttribute()
    scope = UnicodeAttribute(default="model")
    model_code = UnicodeAttribute(null=True)  # a model's rule (model_index)
    category = UnicodeAttribute(null=True)  # a category's rule, as typed
    category_key = UnicodeAttribute(null=True)  # … folded (category_index)
    amount = NumberAttribute()
    valid_from = UnicodeAttribute()  # ISO day
    valid_to = UnicodeAttribute(null=True)  # ISO day, the last one covered; absent: open
    priority = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    note = UnicodeAttribute(default="")

    model_index = RulesByModelIndex()
    category_index = RulesByCategoryIndex()


class EntriesByPartnerIndex(GlobalSecondaryIndex["RewardRecord"]):
    """A partner's entries, newest first (their own list; the burst and serial-run signals
    read the newest few). Sparse: an entry with no partner has no ``partner_id``."""

    class Meta:
        index_name = "partner_index"
        projection = AllProjection()

    partner_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EntriesByPeriodIndex(GlobalSecondaryIndex["RewardRecord"]):
    """A month's entries (``YYYY-MM`` of the activation day): the staff's list, reconciliation."""

    class Meta:
        index_name = "period_index"
        projection = AllProjection()

    period = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EntriesByCustomerIndex(GlobalSecondaryIndex["RewardRecord"]):
    """Keys only: how many entries one customer phone has (its HMAC, never the number)."""

    class Meta:
        index_name = "customer_index"
        projection = KeysOnlyProjection()

    customer_key = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class PayableEntriesIndex(GlobalSecondaryIndex["RewardRecord"]):
    """A month's entries owed and in no payout (``approved`` or ``payment_failed``): sparse,
    ``payable`` is the month while the entry waits for a payout and removed when a batch takes
    it, so a batch reads what it pays and nothing else."""

    class Meta:
        index_name = "payable_index"
        projection = AllProjection()

    payable = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class StateChangeMap(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    state_from = UnicodeAttribute(null=True)
    state_to = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class RewardRecord(Model):
    """Key: ``entry_id``: the serial (its one reward decision, written with
    ``attribute_not_exists``: redelivery and concurrency cannot make two), or
    ``<serial>#reversal``. ``created_at`` is the activation's instant, so a redelivered record
    would write the very same item."""

    class Meta(TableMeta):
        table_name = _settings.table_name("rewards")
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the reports' counters (reports.events)

    entry_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute()
    model_code = UnicodeAttribute()
    partner_id = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    kind = UnicodeAttribute(default="reward")
    amount = NumberAttribute()
    activated_at = UTCDateTimeAttribute()
    activation_day = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    period = UnicodeAttribute()
    customer_key = UnicodeAttribute()
    rule_id = UnicodeAttribute(null=True)
    rule_version = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    flags = ListAttribute[str](default=list)
    history = ListAttribute[StateChangeMap](of=StateChangeMap, default=list)
    version = NumberAttribute(null=True)  # absent (0) until staff decide; + 1 per decision
    customer_name_masked = UnicodeAttribute(null=True)  # ``N***** V** A*``, never the name
    payable = UnicodeAttribute(null=True)  # the month, while approved or payment_failed
    payout_batch = UnicodeAttribute(null=True)  # the batch that took it last

    partner_index = EntriesByPartnerIndex()
    period_index = EntriesByPeriodIndex()
    customer_index = EntriesByCustomerIndex()
    payable_index = PayableEntriesIndex()


class RewardPeriodRecord(Model):
    """Key: ``period`` (``YYYY-MM``). Absent or without ``locked_at``: the month is open; the
    lock sets ``locked_at`` once (``attribute_not_exists``). Every staff decision on an entry of
    the month checks in its transaction that ``locked_at`` does not exist, so a decision and the
    lock cannot both win."""

    class Meta(TableMeta):
        table_name = _settings.table_name("reward_periods")

    period = UnicodeAttribute(hash_key=True)
    locked_at = UTCDateTimeAttribute(null=True)
    locked_by = UnicodeAttribute(null=True)
