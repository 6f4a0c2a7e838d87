"""The audit trail's part of a person's data (``core.personal_data``). Entries hold a customer
only masked, but a staff member's reveal of a customer is an entry about ``customer#<their
phone's key>``; those entries move to an id nothing derives from the person (the trail keeps
who revealed a customer, and when)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from chalicelib.audit.tables import AuditRecord
from chalicelib.core.personal_data import ERASED_KEY_PREFIX, DataSubject, Found

ENTITY = "customer"


class AuditCustomerData:
    section = "audit"

    def collect(self, subject: DataSubject) -> Found:
        """Who revealed the person's name and phone, and when."""
        items = [
            {"at": r.at.isoformat(), "actor": r.actor, "action": r.action}
            for r in AuditRecord.query(f"{ENTITY}#{subject.key}")
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for record in AuditRecord.query(f"{ENTITY}#{subject.key}"):
            # an id of the entry alone: the same on a second run, and no link to the person
            digest = hashlib.sha256(f"{record.sort_key}|{record.source}".encode()).hexdigest()
            erased_id = ERASED_KEY_PREFIX + digest[:24]
            values = dict(record.attribute_values)
            # a new entry id too: the old one is a digest of the entity's key
            sort_key = f"{record.at.isoformat()}#{digest[24:48]}"
            values.update(
                entity_key=f"{ENTITY}#{erased_id}", entity_id=erased_id, sort_key=sort_key
            )
            AuditRecord(**values).save()
            record.delete()
            changed += 1
        return changed
