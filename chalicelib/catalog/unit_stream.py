"""The units stream as the catalog publishes it: what other capabilities' stream handlers read.

The units table is the catalog's; its stream is its published event. A subscriber (activation's
``on_unit_change`` today, rewards and maintenance later) decodes a record's image here and never
touches the table's model itself.
"""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.model import Unit
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import to_domain


def unit_from_image(image: dict[str, Any]) -> Unit:
    """A unit from a stream image (DynamoDB JSON): the one decoder stream handlers use."""
    return to_domain(UnitRecord.from_raw_data(image))
