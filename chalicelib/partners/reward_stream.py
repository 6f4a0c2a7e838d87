"""The rewards ledger's stream as the partners capability publishes it: what other
capabilities' stream steps read (the reports' counters). A subscriber decodes a record's image
here and never touches the ledger's table itself."""

from __future__ import annotations

from typing import Any

from chalicelib.partners.reward_repository import entry_of
from chalicelib.partners.reward_tables import RewardRecord
from chalicelib.partners.rewards import LedgerEntry


def entry_from_image(image: dict[str, Any]) -> LedgerEntry:
    """A ledger entry from a stream image (DynamoDB JSON)."""
    return entry_of(RewardRecord.from_raw_data(image))
