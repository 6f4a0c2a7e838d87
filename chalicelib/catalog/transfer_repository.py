"""Ownership transfers (``transfer.TransferStore``): the pending transfer per unit, and the new
owner's confirmation as one transaction with the unit and the customer item."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog.model import Owner, UnitStatus
from chalicelib.catalog.tables import (
    CustomerRecord,
    HistoryEntry,
    UnitRecord,
    UnitTransferRecord,
)
from chalicelib.catalog.transfer import EVENT, PendingTransfer
from chalicelib.catalog.unit_repository import customer_actions
from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

KEPT_AFTER_EXPIRY = timedelta(days=1)  # the TTL: an expired transfer still says "expired" a day


def _domain(record: UnitTransferRecord) -> PendingTransfer:
    return PendingTransfer(
        serial=record.serial,
        from_key=record.from_key,
        to_key=record.to_key,
        to_masked=record.to_masked,
        code_hash=record.code_hash,
        language=record.language or "vi",
        issued_at=record.issued_at,
        expires_at=record.expires_at,
        attempts=int(record.attempts or 0),
    )


class TransferRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id
        self._connection = Connection(region=UnitTransferRecord.Meta.region)

    def pending(self, serial: str, now: datetime) -> PendingTransfer | None:
        try:
            record = UnitTransferRecord.get(serial, consistent_read=True)
        except DoesNotExist:
            return None
        found = _domain(record)
        return found if found.expires_at > now else None

    def start(self, transfer: PendingTransfer) -> None:
        UnitTransferRecord(
            transfer.serial,
            from_key=transfer.from_key,
            to_key=transfer.to_key,
            to_masked=transfer.to_masked,
            code_hash=transfer.code_hash,
            language=transfer.language,
            issued_at=transfer.issued_at,
            expires_at=transfer.expires_at,
            attempts=0,
            expires=transfer.expires_at + KEPT_AFTER_EXPIRY,
        ).save()

    def cancel(self, serial: str, from_key: str) -> bool:
        try:
            UnitTransferRecord(serial).delete(condition=UnitTransferRecord.from_key == from_key)
        except DeleteError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def count_attempt(self, transfer: PendingTransfer) -> bool:
        try:
            UnitTransferRecord(transfer.serial).update(
                actions=[UnitTransferRecord.attempts.add(1)],
                condition=(UnitTransferRecord.code_hash == transfer.code_hash)
                & (UnitTransferRecord.attempts == transfer.attempts),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def complete(
        self,
        transfer: PendingTransfer,
        *,
        owner: Owner,
        consents: Sequence[ConsentGrant],
        language: str,
        at: datetime,
        note: str,
    ) -> None:
        unit_actions: list[Any] = [
            UnitRecord.owner_key.set(transfer.to_key),
            UnitRecord.owner_name.set(owner.name),
            UnitRecord.owner_phone.set(owner.phone),
            UnitRecord.language.set(language),
            UnitRecord.idempotency_key.remove(),
            UnitRecord.request_digest.remove(),
            UnitRecord.history.set(
                UnitRecord.history.append(
                    [HistoryEntry(at=at, event=EVENT, by="customer", note=note)]
                )
            ),
            UnitRecord.owner_province.set(owner.province)
            if owner.province
            else UnitRecord.owner_province.remove(),
            UnitRecord.owner_address.set(owner.address)
            if owner.address
            else UnitRecord.owner_address.remove(),
        ]
        customer = customer_actions(
            owner,
            consents,
            at=at,
            channel="transfer",
            evidence=f"transfer:{transfer.serial}",
            brand_id=self._brand_id,
        )

        def build(tx: TransactWrite) -> None:
            tx.delete(
                UnitTransferRecord(transfer.serial),
                condition=(UnitTransferRecord.code_hash == transfer.code_hash)
                & (UnitTransferRecord.attempts == transfer.attempts),
            )
            tx.update(
                UnitRecord(transfer.serial),
                actions=unit_actions,
                condition=(UnitRecord.owner_key == transfer.from_key)
                & (UnitRecord.status == UnitStatus.ACTIVATED.value),
            )
            tx.update(CustomerRecord(transfer.to_key), actions=customer)

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            if any(r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons):
                raise Conflict("transfer_changed") from exc
            raise
