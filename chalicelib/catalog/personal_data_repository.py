"""The catalog's part of a person's data (``core.personal_data``): the units they own (their name,
phone and address as the owner) and their customer item (name, phone, consents).

A unit keeps its warranty facts (model, status, the warranty window, the activation's day and
channel, the province, which the reports count by) and loses its owner: name, phone, address,
the phone's key (so the owner index no longer finds it) and the activating request's digests.
The history gains an ``personal_data_erased`` entry and its notes lose the person's name and
phone. The customer item is deleted whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError
from pynamodb.expressions.condition import size

from chalicelib.catalog.tables import (
    CustomerRecord,
    HistoryEntry,
    UnitRecord,
    UnitTransferRecord,
)
from chalicelib.core.personal_data import ERASED_BY, DataSubject, Found, scrub
from chalicelib.platform.dynamodb import is_condition_failure

ERASED_EVENT = "personal_data_erased"


def _day(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class UnitOwnerData:
    section = "units"

    def collect(self, subject: DataSubject) -> Found:
        records = list(UnitRecord.owner_index.query(subject.key))
        items = [
            {
                "serial": r.serial,
                "model_code": r.model_code,
                "status": r.status,
                "activated_at": _day(r.activated_at),
                "warranty_start": r.warranty_start,
                "warranty_end": r.warranty_end,
                "channel": r.channel,
                "owner_name": r.owner_name or "",
                "owner_phone": r.owner_phone or "",
                "owner_province": r.owner_province or "",
                "owner_address": r.owner_address or "",
            }
            for r in records
        ]
        return Found(
            items,
            names=frozenset(r.owner_name for r in records if r.owner_name),
            serials=tuple(sorted(r.serial for r in records)),
        )

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for serial in subject.serials:  # a transfer they started: its code stops working
            try:
                UnitTransferRecord(serial).delete(
                    condition=UnitTransferRecord.from_key == subject.key
                )
            except DeleteError as exc:
                if not is_condition_failure(exc):
                    raise
        for found in UnitRecord.owner_index.query(subject.key):
            record = UnitRecord.get(found.serial, consistent_read=True)
            if record.owner_key != subject.key:
                continue  # transferred meanwhile: the new owner's
            history = [
                HistoryEntry(at=e.at, event=e.event, by=e.by, note=scrub(e.note or "", subject))
                for e in record.history or []
            ]
            history.append(HistoryEntry(at=at, event=ERASED_EVENT, by=ERASED_BY))
            installer = record.installer
            if installer is not None and installer.notes:  # the installer's words may name them
                installer.notes = scrub(installer.notes, subject)
            try:
                record.update(
                    actions=[
                        *([UnitRecord.installer.set(installer)] if installer is not None else []),
                        UnitRecord.owner_key.remove(),
                        UnitRecord.owner_name.remove(),
                        UnitRecord.owner_phone.remove(),
                        UnitRecord.owner_address.remove(),
                        UnitRecord.idempotency_key.remove(),
                        UnitRecord.request_digest.remove(),
                        UnitRecord.history.set(history),
                    ],
                    # nothing appended meanwhile (a replacement, a shipment): else read it again
                    condition=(UnitRecord.owner_key == subject.key)
                    & (size(UnitRecord.history) == len(record.history or [])),
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                continue
            changed += 1
        return changed


class CustomerData:
    section = "customer"

    def collect(self, subject: DataSubject) -> Found:
        try:
            record = CustomerRecord.get(subject.key, consistent_read=True)
        except DoesNotExist:
            return Found([])
        consents: list[dict[str, Any]] = []
        for purpose in ("warranty_service", "marketing"):
            entry = getattr(record, f"consent_{purpose}")
            if entry is not None:
                consents.append(
                    {
                        "purpose": purpose,
                        "granted": bool(entry.granted),
                        "at": entry.at.isoformat(),
                        "channel": entry.channel,
                        "notice_version": entry.notice_version,
                    }
                )
        item = {"name": record.name, "phone": record.phone, "consents": consents}
        return Found([item], names=frozenset({record.name} if record.name else set()))

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        try:
            record = CustomerRecord.get(subject.key, consistent_read=True)
        except DoesNotExist:
            return 0
        record.delete()
        return 1
