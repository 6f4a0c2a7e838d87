"""Activation's part of a person's data (``core.personal_data``): their live one-time codes
(a hash of the code under the phone's key, gone within minutes anyway), deleted."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

from chalicelib.activation.lookup import CodePurpose, challenge_key
from chalicelib.activation.tables import OtpRecord
from chalicelib.core.personal_data import DataSubject, Found


class OtpData:
    section = "codes"

    def __init__(self, pepper: bytes) -> None:
        self._pepper = pepper

    def _keys(self, subject: DataSubject) -> list[str]:
        return [challenge_key(self._pepper, subject.phone, p) for p in get_args(CodePurpose)]

    def collect(self, subject: DataSubject) -> Found:
        """When a code was sent (the code itself is kept as a hash only)."""
        items = [
            {"issued_at": r.issued_at.isoformat()} for r in OtpRecord.batch_get(self._keys(subject))
        ]
        return Found(items)

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        found = list(OtpRecord.batch_get(self._keys(subject)))
        for record in found:
            record.delete()
        return len(found)
