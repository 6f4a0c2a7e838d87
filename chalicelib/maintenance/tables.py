"""The maintenance tables: a model's plan (one item per model, versioned)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
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
