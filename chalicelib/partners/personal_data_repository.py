"""The partners' part of a person's data (``core.personal_data``): the reward entries of the
units they activated through an installer. An entry holds the customer only as their phone's
key (the fraud signal "one customer, many activations") and their masked name; both go, the
installer's reward stays as it was (no amount moves)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.core.personal_data import ERASED_KEY_PREFIX, DataSubject, Found, scrub
from chalicelib.partners.case_tables import CaseRecord
from chalicelib.partners.reward_tables import RewardRecord
from chalicelib.platform.dynamodb import is_condition_failure


class RewardCustomerData:
    section = "rewards"

    def collect(self, subject: DataSubject) -> Found:
        """The activations an installer was rewarded for (of the person: a key and initials)."""
        keys = [r.entry_id for r in RewardRecord.customer_index.query(subject.key)]  # keys only
        items = [
            {"serial": r.serial, "activated_at": r.activated_at.isoformat()}
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


class CaseData:
    """Installers' cases about the person's units: an installer writes about the unit and may
    name its owner or give their number. The cases stay (they are the installer's), their
    subject and notes lose the person, conditional on the version read like every change. Found
    by the installer of each unit (its reward entry names them) and the installer's cases
    (partner_index, whose projection carries the serial): never a scan."""

    section = "cases"

    def _cases(self, subject: DataSubject) -> list[CaseRecord]:
        wanted = set(subject.serials)
        if not wanted:
            return []
        partners = {r.partner_id for r in RewardRecord.batch_get(sorted(wanted)) if r.partner_id}
        return [
            CaseRecord.get(found.case_id, consistent_read=True)
            for partner in sorted(partners)
            for found in CaseRecord.partner_index.query(partner)
            if found.serial in wanted
        ]

    def collect(self, subject: DataSubject) -> Found:
        """Cases about the person's units whose words name them (what an erasure changes)."""
        items = [
            {"case_id": c.case_id, "serial": c.serial, "subject": c.subject}
            for c in self._cases(subject)
            if _mentions(c, subject)
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for case in self._cases(subject):
            if not _mentions(case, subject):
                continue
            notes = list(case.notes or [])
            for note in notes:
                note.text = scrub(note.text or "", subject)
            try:
                CaseRecord(case.case_id).update(
                    actions=[
                        CaseRecord.subject.set(scrub(case.subject, subject)),
                        CaseRecord.notes.set(notes),
                        CaseRecord.version.set(int(case.version) + 1),
                    ],
                    condition=CaseRecord.version == case.version,
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                continue  # answered meanwhile: the erasure's check reads it again
            changed += 1
        return changed


def _mentions(case: CaseRecord, subject: DataSubject) -> bool:
    texts = [case.subject, *(n.text or "" for n in case.notes or [])]
    return any(scrub(t, subject) != t for t in texts)
