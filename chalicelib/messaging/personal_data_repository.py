"""Messaging's part of a person's data (``core.personal_data``): what they shared with the Zalo
OA (phone and name, deleted whole), and the inbound texts answered in the last 72 hours, whose
sender is kept as the number's key (the key is replaced, so nothing links the text to them)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib.core.personal_data import ERASED_KEY_PREFIX, DataSubject, Found
from chalicelib.messaging.tables import InboundMessageRecord, ZaloUserRecord
from chalicelib.platform.dynamodb import is_condition_failure


class ZaloUserData:
    section = "zalo"

    def collect(self, subject: DataSubject) -> Found:
        keys = [found.user_id for found in ZaloUserRecord.phone_index.query(subject.key)]
        users = [u for u in ZaloUserRecord.batch_get(keys) if u.phone_key == subject.key]
        items = [
            {"user_id": u.user_id, "phone": u.phone, "name": u.name or "",
             "shared_at": u.shared_at.isoformat()}
            for u in users
        ]  # fmt: skip
        return Found(items, names=frozenset(u.name for u in users if u.name))

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for found in ZaloUserRecord.phone_index.query(subject.key):
            try:
                ZaloUserRecord(found.user_id).delete(
                    condition=ZaloUserRecord.phone_key == subject.key
                )
            except DeleteError as exc:
                if not is_condition_failure(exc):
                    raise
                continue  # shared another number since (the index lags): not theirs now
            changed += 1
        return changed


class InboundData:
    """Answered inbound texts live 72 hours (their TTL). A text keeps its sender as the number's
    key, to refuse a replay from another number; an erasure replaces it (and leaves the sender
    index), so nothing links the text to the person. A text's ``reply`` never names them."""

    section = "inbound"

    def collect(self, subject: DataSubject) -> Found:
        """The texts the person sent in the last 72 hours, with the answer they were given."""
        keys = [r.inbound_id for r in InboundMessageRecord.sender_index.query(subject.key)]
        items = [
            {"inbound_id": r.inbound_id, "reply": r.reply or ""}
            for r in InboundMessageRecord.batch_get(keys)
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for found in InboundMessageRecord.sender_index.query(subject.key):
            try:
                InboundMessageRecord(found.inbound_id).update(
                    actions=[
                        InboundMessageRecord.sender.set(ERASED_KEY_PREFIX + found.inbound_id),
                        InboundMessageRecord.sender_key.remove(),
                    ],
                    condition=InboundMessageRecord.sender_key == subject.key,
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                continue  # changed already (the index lags)
            changed += 1
        return changed
