"""The audit table: one item per entry, found by the thing it is about or by day."""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class AuditDayIndex(GlobalSecondaryIndex["AuditRecord"]):
    """A brand's entries of one day, newest first (``<brand>#<yyyy-mm-dd>``): the console's
    log is a query per day, never a scan."""

    class Meta:
        index_name = "day_index"
        projection = AllProjection()

    day_key = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


class AuditActorIndex(GlobalSecondaryIndex["AuditRecord"]):
    """One staff member's entries, newest first (``<brand>#<username>``)."""

    class Meta:
        index_name = "actor_index"
        projection = AllProjection()

    actor_key = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


class AuditRecord(Model):
    """Key: ``entity_key`` (``<entity>#<entity id>``) and ``sort_key`` (``<ISO time>#<entry
    id>``): a thing's history in order. Written once with a deterministic id; never updated."""

    class Meta(TableMeta):
        table_name = _settings.table_name("audit")

    entity_key = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)
    brand_id = UnicodeAttribute()
    day_key = UnicodeAttribute()
    actor_key = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    entity = UnicodeAttribute()
    entity_id = UnicodeAttribute()
    source = UnicodeAttribute()  # the stream event or request it came from
    before = MapAttribute[str, object](null=True)
    after = MapAttribute[str, object](null=True)
    note = UnicodeAttribute(null=True)
    extra = MapAttribute[str, object](null=True)

    day_index = AuditDayIndex()
    actor_index = AuditActorIndex()
