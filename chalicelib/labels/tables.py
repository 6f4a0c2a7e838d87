"""Labels' table: label-sheet jobs."""

from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class LabelJobsByBrandIndex(GlobalSecondaryIndex["LabelJobRecord"]):
    """A brand's label jobs, newest first (the console's list)."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class LabelJobRecord(Model):
    """Key: ``job_id``. One label-sheet job: what to print (``selection``), the template it was
    asked with (a snapshot, so a later edit of the template changes no running job), progress,
    and the PDF it wrote to the uploads bucket. Its stream starts the job outside the request
    (``on_label_job_change``); the run claims it with a conditional update and a lease, so a
    stream record delivered twice renders once. ``expires`` (TTL) drops it after 30 days."""

    class Meta(TableMeta):
        table_name = _settings.table_name("label_jobs")
        stream_view_type = "NEW_IMAGE"

    job_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    status = UnicodeAttribute()
    template = UnicodeAttribute()  # JSON: the resolved LabelTemplate
    selection = UnicodeAttribute()  # JSON: batch / range / list (a list's serials are in S3)
    language = UnicodeAttribute(default="vi")
    total = NumberAttribute(default=0)
    done = NumberAttribute(default=0)
    skipped = NumberAttribute(default=0)
    skipped_sample = ListAttribute[str](default=list)
    pages = NumberAttribute(default=0)
    output_key = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)  # claims of the current run (a crash is retried once)
    runs = NumberAttribute(default=0)  # runs that went on where the previous one stopped
    upload_id = UnicodeAttribute(null=True)  # the PDF's multipart upload, part by run
    parts = UnicodeAttribute(null=True)  # JSON [[number, etag], …] of the parts uploaded
    state_key = UnicodeAttribute(null=True)  # the suspended writer's state and position (S3)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()

    brand_index = LabelJobsByBrandIndex()


class BrandLabelTemplatesRecord(Model):
    """Key: ``brand_id``, on the catalog's ``brands`` table. Labels own two attributes of the
    brand's item: its label templates, one JSON document keyed by name, and
    ``label_templates_version``, which guards a read-modify-write against a concurrent edit. The
    catalog writes its attributes with updates, never a whole put, so neither erases the other's."""

    class Meta(TableMeta):
        table_name = _settings.table_name("brands")

    brand_id = UnicodeAttribute(hash_key=True)
    label_templates = UnicodeAttribute(null=True)
    label_templates_version = NumberAttribute(default=0)
    updated_by = UnicodeAttribute(null=True)  # the staff member of the last change (audit trail)
