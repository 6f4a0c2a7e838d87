"""The maintenance tables: a model's plan (one item per model, versioned) and each unit's
plan lines (one per component, with the sparse timer index the daily job reads)."""

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


class ComponentMap(MapAttribute[str, Any]):
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    cycle_months = NumberAttribute(default=0)
    cycle_days = NumberAttribute(default=0)
    first_months = NumberAttribute(default=0)
    first_days = NumberAttribute(default=0)
    lead_days = NumberAttribute()
    rhythm = UnicodeAttribute()
    price_vnd = NumberAttribute(default=0)
    checklist = ListAttribute[str](default=list)


class MaintenancePlanRecord(Model):
    """Key: the model's ``code``. ``version`` counts its saves; each save is conditional on the
    version it was read at (two editors: one wins, the other is told)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance_plans")

    model_code = UnicodeAttribute(hash_key=True)
    components = ListAttribute(of=ComponentMap, default=list)
    version = NumberAttribute()
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class LineTimerIndex(GlobalSecondaryIndex["MaintenanceLineRecord"]):
    """Sparse: only a line waiting for something has a ``timer`` (``<day>#<shard>``), so the
    daily job reads one key per shard and day: the lines due that day, whatever the total."""

    class Meta:
        index_name = "timer_index"
        projection = AllProjection()

    timer = UnicodeAttribute(hash_key=True)
    line_key = UnicodeAttribute(range_key=True)


class MaintenanceLineRecord(Model):
    """Key: the unit's ``serial`` and the plan component's ``component`` code: one line per
    component of a unit's plan. Each change is conditional on ``version``. The daily job's
    watermark is the item (``#job``, ``daily``): no serial starts with ``#``."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance")

    serial = UnicodeAttribute(hash_key=True)
    component = UnicodeAttribute(range_key=True)
    line_key = UnicodeAttribute(null=True)  # serial#component: the timer index's sort key
    timer = UnicodeAttribute(null=True)  # <day>#<shard> while a timer waits, else absent
    model_code = UnicodeAttribute(null=True)
    plan_version = NumberAttribute(null=True)
    plan = ComponentMap(null=True)  # the component as the plan said when the line was made
    anchor = UnicodeAttribute(null=True)  # ISO day
    occurrence = NumberAttribute(null=True)
    due = UnicodeAttribute(null=True)  # ISO day
    stage = UnicodeAttribute(null=True)
    reminders = NumberAttribute(default=0)
    version = NumberAttribute(default=1)
    booking_day = UnicodeAttribute(null=True)  # ISO day of the slot picked
    booking_part = UnicodeAttribute(null=True)  # morning | afternoon
    booking_note = UnicodeAttribute(null=True)
    watermark = UnicodeAttribute(null=True)  # the job's item: the last day fully done
    updated_at = UTCDateTimeAttribute(null=True)

    timer_index = LineTimerIndex()
