"""The request forms' table: every version of every model's or category's form, kept."""

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
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class FormOptionMap(MapAttribute[str, Any]):
    value = UnicodeAttribute()
    label = UnicodeAttribute()
    label_en = UnicodeAttribute(default="")


class FormFieldMap(MapAttribute[str, Any]):
    key = UnicodeAttribute()
    type = UnicodeAttribute()  # text | textarea | number | select | date | checkbox
    label = UnicodeAttribute()
    label_en = UnicodeAttribute(default="")
    required = BooleanAttribute(default=False)
    options = ListAttribute(of=FormOptionMap, default=list)


class ClaimFormRecord(Model):
    """Key: ``brand_id`` + ``form_key`` = ``<scope key>#<version, 6 digits>`` (``model#AC-9#
    000003``, ``category#may lanh#000001``). A version is written once (``attribute_not_exists``):
    two staff members saving the same form at once cannot both win; the brand's forms are one
    query, a form's versions one ``begins_with``, newest first."""

    class Meta(TableMeta):
        table_name = _settings.table_name("claim_forms")

    brand_id = UnicodeAttribute(hash_key=True)
    form_key = UnicodeAttribute(range_key=True)
    scope = UnicodeAttribute()  # model | category
    target = UnicodeAttribute()  # the model code, or the category as typed
    version = NumberAttribute()
    fields = ListAttribute(of=FormFieldMap, default=list)  # empty: the scope inherits
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
