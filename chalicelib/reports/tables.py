"""The reports' table: one brand's roll-up items and the markers of stream events counted."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class ReportRollupRecord(Model):
    """Key: ``counter_key``. Three kinds of item:

    - a family's day, ``<brand>#<family>#<yyyy-mm-dd>`` (``act``, ``ship``, ``claim``,
      ``cost``; the Vietnamese calendar day): one number attribute per counter, named by its
      measure and dimensions (``act|AC-9|d_1|Hà Nội|web``, :mod:`chalicelib.reports.facts`).
      A day holds at most one counter per measure and combination seen that day, bounded by
      that day's events, so an item stays far below DynamoDB's 400 KB at 100,000 units a year;
    - the all-time totals, ``<brand>#totals`` (the units in the field);
    - a marker, ``<brand>#counted#<stream event id>``, written with the counters it bumped;
      ``expires`` (TTL) drops it after the stream's 24-hour retention."""

    class Meta(TableMeta):
        table_name = _settings.table_name("report_rollups")

    counter_key = UnicodeAttribute(hash_key=True)
    expires = TTLAttribute(null=True)
