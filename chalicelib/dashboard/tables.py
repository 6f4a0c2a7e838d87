"""The dashboard's table: one item per brand and day holding that day's counters, plus the
markers of the stream events already counted."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class RollupRecord(Model):
    """Key: ``counter_key``. Two kinds of item:

    - a day, ``<brand>#day#<yyyy-mm-dd>`` (the Vietnamese calendar day): one number attribute per
      counter, named by what it counts (``activations``, ``activations#model#AC-9``,
      ``activations#channel#web``, ``messages#delivered#zns``…), each bumped by one ``ADD`` per
      stream batch. The summary reads 30 of them with one ``BatchGetItem``: its cost does not
      grow with the units, and the counters a day can hold are bounded by the brand's models
      and channels.
    - a marker, ``<brand>#counted#<stream event id>``: written, conditionally, in the same
      transaction as the counters it bumped, so a redelivered record is seen and not counted
      twice. ``expires`` (TTL) drops it after the stream's 24-hour retention has passed."""

    class Meta(TableMeta):
        table_name = _settings.table_name("rollups")

    counter_key = UnicodeAttribute(hash_key=True)
    expires = TTLAttribute(null=True)
