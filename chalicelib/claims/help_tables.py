"""The self-help table: a model's manual and its common faults with their fixes."""

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


class FaultMap(MapAttribute[str, Any]):
    title = UnicodeAttribute()
    title_en = UnicodeAttribute(default="")
    fix = UnicodeAttribute()
    fix_en = UnicodeAttribute(default="")


class ModelHelpRecord(Model):
    """Key: the model's ``code``. One item per model; ``version`` counts its saves and each save
    is conditional on the version it was read at (two editors: one wins, the other is told)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("model_help")

    model_code = UnicodeAttribute(hash_key=True)
    manual_url = UnicodeAttribute(default="")  # a link (https://…)
    manual_key = UnicodeAttribute(default="")  # or an uploaded PDF (media/manuals/<code>/….pdf)
    faults = ListAttribute(of=FaultMap, default=list)
    version = NumberAttribute()
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
