"""The dealer funnel's table: daily counters per dealer and model, each dealer's all-time
totals, and the markers of the stream records already counted."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class DealerRollupRecord(Model):
    """Key: ``rollup_key``. Three kinds of item (``dealers.funnel`` names the counters):

    - a day, ``<brand>#day#<yyyy-mm-dd>`` (the Vietnamese calendar day): ``shipped#<dealer>#
      <model>``, ``activated#…``, ``returned#…`` that day, and the day's shipping cohort's
      ``cohort_activated#<dealer>#<model>`` and ``cohort_returned#…`` (units shipped that day
      and activated or returned since). Only pairs with something that day are present: about
      1,500 (dealer, model) pairs busy on one day fit in DynamoDB's 400 KB item.
    - a dealer's totals, ``<brand>#totals#<dealer>``: ``shipped#<model>``, ``activated#…``,
      ``returned#…`` since the first shipment (the ageing's "over 90 days" bucket is what
      they leave after the last 91 days' cohorts).
    - a marker, ``<brand>#counted#<stream event id>``: written, conditionally, in the same
      transaction as the counters it bumped; ``expires`` (TTL) drops it after the stream's
      24-hour retention."""

    class Meta(TableMeta):
        table_name = _settings.table_name("dealer_rollups")

    rollup_key = UnicodeAttribute(hash_key=True)
    expires = TTLAttribute(null=True)
