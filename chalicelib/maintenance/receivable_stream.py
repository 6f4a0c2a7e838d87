"""The maintenance receivables' stream as the maintenance capability publishes it: what other
capabilities' stream steps read (the reports' counters). A subscriber decodes a record's image
here and never touches the receivables' table itself."""

from __future__ import annotations

from typing import Any

from chalicelib.maintenance.receivable_repository import receivable_of
from chalicelib.maintenance.receivables import Receivable
from chalicelib.maintenance.stock_tables import ReceivableRecord


def receivable_from_image(image: dict[str, Any]) -> Receivable:
    """A visit's receivable from a stream image (DynamoDB JSON)."""
    return receivable_of(ReceivableRecord.from_raw_data(image))
