"""The partners' part of a person's data (``core.personal_data``): the reward entries of the
units they activated through an installer. An entry holds the customer only as their phone's
key (the fraud signal "one customer, many activations") and their masked name; both go, the
installer's reward stays as it was (no amount moves)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.core.personal_data import ERASED_KEY_PREFIX, DataSubject, Found
from chalicelib.partners.reward_tables import RewardRecord
from chalicelib.platform.dynamodb import is_condition_failure


class RewardCustomerData:
    section = "rewards"

    def collect(self, subject: DataSubject) -> Found:
        """The activations an installer was rewarded for (of the person: a key and initials)."""
        keys = [r.entry_id for r in RewardRecord.customer_index.query(subject.key)]  # keys only
        items = [
            {"serial": r.serial, "activated_at": r.activated_at.isoformat(), "state": r.state}
            for r in RewardRecord.batch_get(keys)
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for found in RewardRecord.customer_index.query(subject.key):
            try:
                RewardRecord(found.entry_id).update(
                    actions=[
                        RewardRecord.customer_key.set(ERASED_KEY_PREFIX + found.entry_id),
                        RewardRecord.customer_name_masked.remove(),
                    ],
                    condition=RewardRecord.customer_key == subject.key,
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                continue
            changed += 1
        return changed
