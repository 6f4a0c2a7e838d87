"""Shipments in DynamoDB: the shipment item, its scans (one item per serial, written in one
transaction with the shipment's counts), the confirmation's progress as an item of each
chunk's transaction, and the dealers a shipment may go to (read from the dealers' table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import MapAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.dealers.shipment_service import ShipmentFilter
from chalicelib.dealers.shipment_tables import (
    RefusedMap,
    ShipmentClaimRecord,
    ShipmentRecord,
    ShipmentScanRecord,
)
from chalicelib.dealers.shipments import (
    Progress,
    Refused,
    Scan,
    Shipment,
    ShipmentDetails,
    ShipmentStatus,
    ShipmentSummary,
    refused_at_confirmation,
    summary,
)
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

SCANS_PER_TRANSACTION = 49  # a scan and its claim each, + the shipment's counts
BATCH_GET_LIMIT = 100
LISTED = "shipment"


def _shipment(record: ShipmentRecord) -> Shipment:
    from datetime import date

    return Shipment(
        shipment_id=record.shipment_id,
        details=ShipmentDetails(
            record.dealer_id, date.fromisoformat(record.ship_date), record.document_number
        ),
        dealer_code=record.dealer_code,
        dealer_name=record.dealer_name,
        status=ShipmentStatus(record.status),
        created_at=record.created_at,
        created_by=record.created_by,
        updated_at=record.updated_at,
        counts=_counts(record),
        progress=Progress(
            cursor=record.cursor or "",
            shipped=int(record.shipped or 0),
            refused=tuple(
                Refused(r.serial, r.reason, r.detail or "") for r in record.refused or []
            ),
            chunks=int(record.chunks or 0),
        ),
        confirmed_by=record.confirmed_by or "",
        confirmed_at=record.confirmed_at,
        cancelled_by=record.cancelled_by or "",
        cancelled_at=record.cancelled_at,
        kept=tuple(record.kept or ()),
        returned=int(record.returned or 0),
    )


def _counts(record: ShipmentRecord) -> dict[str, int]:
    raw = record.counts
    found = raw.as_dict() if isinstance(raw, MapAttribute) else dict(raw or {})
    return {k: int(v) for k, v in sorted(found.items()) if int(v) > 0}


def _scan(record: ShipmentScanRecord) -> Scan:
    return Scan(
        serial=record.serial,
        model_code=record.model_code,
        scanned_at=record.scanned_at,
        scanned_by=record.scanned_by,
        carton=record.carton or "",
        returned=record.returned_at is not None,
    )


class ConfirmProgress:
    """A chunk's progress on the shipment, committed in the chunk's own transaction:
    conditional on the shipment still ``confirming`` at the cursor this chunk continues from."""

    def __init__(self, shipment: Shipment, last_serial: str, at: datetime) -> None:
        self._shipment, self._last, self._at = shipment, last_serial, at

    def add_to(self, tx: TransactWrite, done: Sequence[str], declined: Sequence[Any]) -> None:
        cursor = self._shipment.progress.cursor
        refused = [refused_at_confirmation(d.serial, d.status, d.shipment_id) for d in declined]
        actions: list[Any] = [
            ShipmentRecord.cursor.set(self._last),
            ShipmentRecord.shipped.add(len(done)),
            ShipmentRecord.chunks.add(1),
            ShipmentRecord.updated_at.set(self._at),
        ]
        if refused:
            maps = [RefusedMap(serial=r.serial, reason=r.reason, detail=r.detail) for r in refused]
            actions.append(ShipmentRecord.refused.set(ShipmentRecord.refused.append(maps)))
        at_cursor = (
            ShipmentRecord.cursor == cursor if cursor else ShipmentRecord.cursor.does_not_exist()
        )
        tx.update(
            ShipmentRecord(self._shipment.shipment_id),
            actions=actions,
            condition=(ShipmentRecord.status == ShipmentStatus.CONFIRMING.value) & at_cursor,
        )


class UnshipProgress:
    """A cancellation's or a return's chunk on the shipment: conditional on its status (a
    return counts the units back)."""

    def __init__(self, shipment_id: str, status: ShipmentStatus, at: datetime) -> None:
        self._id, self._status, self._at = shipment_id, status, at

    def add_to(self, tx: TransactWrite, done: Sequence[str], declined: Sequence[Any]) -> None:
        actions: list[Any] = [ShipmentRecord.updated_at.set(self._at)]
        if self._status is ShipmentStatus.CONFIRMED:
            actions.append(ShipmentRecord.returned.add(len(done)))
        tx.update(
            ShipmentRecord(self._id),
            actions=actions,
            condition=ShipmentRecord.status == self._status.value,
        )


class ShipmentRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=ShipmentRecord.Meta.region)

    def create(self, shipment: Shipment) -> None:
        """Write a new draft (``attribute_not_exists``: an id is never reused)."""
        record = ShipmentRecord(
            shipment.shipment_id,
            listed=LISTED,
            dealer_id=shipment.details.dealer_id,
            dealer_code=shipment.dealer_code,
            dealer_name=shipment.dealer_name,
            ship_date=shipment.details.ship_date.isoformat(),
            document_number=shipment.details.document_number,
            status=shipment.status.value,
            created_at=shipment.created_at,
            created_by=shipment.created_by,
            updated_at=shipment.updated_at,
            counts={},
        )
        record.save(condition=ShipmentRecord.shipment_id.does_not_exist())

    def get(self, shipment_id: str) -> Shipment | None:
        try:
            return _shipment(ShipmentRecord.get(shipment_id, consistent_read=True))
        except DoesNotExist:
            return None

    def document_number_of(self, shipment_id: str) -> str | None:
        """The delivery note's number alone (one eventually consistent read of one attribute;
        ``None`` for an unknown shipment)."""
        try:
            record = ShipmentRecord.get(shipment_id, attributes_to_get=["document_number"])
        except DoesNotExist:
            return None
        return record.document_number or None

    def page(
        self, wanted: ShipmentFilter, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[ShipmentSummary], dict[str, Any] | None]:
        """Shipments, latest day first, from the most selective index for ``wanted``."""
        days: Any = None
        start = wanted.date_from.isoformat() if wanted.date_from else None
        end = wanted.date_to.isoformat() if wanted.date_to else None
        if start and end:
            days = ShipmentRecord.ship_date.between(start, end)
        elif start:
            days = ShipmentRecord.ship_date >= start
        elif end:
            days = ShipmentRecord.ship_date <= end
        common: dict[str, Any] = {
            "range_key_condition": days,
            "scan_index_forward": False,
            "limit": limit,
            "last_evaluated_key": after,
        }
        if wanted.dealer_id:
            result = ShipmentRecord.dealer_index.query(
                wanted.dealer_id, filter_condition=_status_filter(wanted), **common
            )
        elif wanted.status:
            result = ShipmentRecord.status_index.query(wanted.status.value, **common)
        else:
            result = ShipmentRecord.list_index.query(
                LISTED, filter_condition=_status_filter(wanted), **common
            )
        found = [summary(_shipment(r)) for r in result]
        return found, result.last_evaluated_key

    # -- scans -----------------------------------------------------------------------------------

    def scans(self, shipment_id: str) -> list[Scan]:
        """The draft's scans in serial order (a query on the key)."""
        return [_scan(r) for r in ShipmentScanRecord.query(shipment_id, consistent_read=True)]

    def scans_after(self, shipment_id: str, cursor: str, limit: int) -> list[Scan]:
        """Up to ``limit`` scans after ``cursor`` in serial order (a confirmation's next chunk)."""
        condition = ShipmentScanRecord.serial > cursor if cursor else None
        return [
            _scan(r)
            for r in ShipmentScanRecord.query(
                shipment_id,
                range_key_condition=condition,
                limit=limit,
                page_size=limit,
                consistent_read=True,
            )
        ]

    def scanned(self, shipment_id: str, serials: Sequence[str]) -> set[str]:
        """Which of ``serials`` the draft already holds (BatchGetItem, keys only)."""
        wanted = list(dict.fromkeys(serials))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            keys = [(shipment_id, s) for s in wanted[start : start + BATCH_GET_LIMIT]]
            for record in ShipmentScanRecord.batch_get(keys, attributes_to_get=["serial"]):
                found.add(record.serial)
        return found

    def drafts_holding(self, serials: Sequence[str], *, besides: str) -> dict[str, str]:
        """Serial → another draft that holds it: the serials' claims (BatchGetItem, 100 a call),
        then the statuses of the shipments they name (only drafts count)."""
        wanted = list(dict.fromkeys(serials))
        holders: dict[str, str] = {}
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            for claim in ShipmentClaimRecord.batch_get(wanted[start : start + BATCH_GET_LIMIT]):
                if claim.shipment_id != besides:
                    holders[claim.serial] = claim.shipment_id
        if not holders:
            return {}
        ids = sorted(set(holders.values()))
        drafts = {
            r.shipment_id
            for r in ShipmentRecord.batch_get(ids, attributes_to_get=["shipment_id", "status"])
            if r.status == ShipmentStatus.DRAFT.value
        }
        return {serial: held for serial, held in holders.items() if held in drafts}

    def add_scans(self, shipment_id: str, scans: Sequence[Scan]) -> tuple[list[Scan], list[str]]:
        """Add scans, 49 a transaction with their claims and the shipment's counts (conditional on
        the draft):
        returns those added and the serials another scan added first (duplicates)."""
        added: list[Scan] = []
        duplicates: list[str] = []
        for start in range(0, len(scans), SCANS_PER_TRANSACTION):
            pending = list(scans[start : start + SCANS_PER_TRANSACTION])
            while pending:
                failed = self._add_chunk(shipment_id, pending)
                if failed is None:
                    added.extend(pending)
                    break
                duplicates.extend(failed)
                pending = [s for s in pending if s.serial not in failed]
        return added, duplicates

    def _add_chunk(self, shipment_id: str, scans: list[Scan]) -> list[str] | None:
        counts: dict[str, int] = {}
        for scan in scans:
            counts[scan.model_code] = counts.get(scan.model_code, 0) + 1
        at = max(s.scanned_at for s in scans)

        def build(tx: TransactWrite) -> None:
            for scan in scans:
                tx.save(
                    ShipmentScanRecord(
                        shipment_id,
                        scan.serial,
                        model_code=scan.model_code,
                        scanned_at=scan.scanned_at,
                        scanned_by=scan.scanned_by,
                        carton=scan.carton or None,
                    ),
                    condition=ShipmentScanRecord.serial.does_not_exist(),
                )
                tx.save(ShipmentClaimRecord(scan.serial, shipment_id=shipment_id))
            tx.update(
                ShipmentRecord(shipment_id),
                actions=[_count(model, n) for model, n in counts.items()]
                + [ShipmentRecord.updated_at.set(at)],
                condition=ShipmentRecord.status == ShipmentStatus.DRAFT.value,
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            if len(reasons) != 2 * len(scans) + 1:
                raise
            last = reasons[-1]
            if last is not None and last.code == ITEM_CONDITION_FAILED:
                raise Conflict("shipment_not_draft") from exc
            failed = [
                scan.serial
                for scan, reason in zip(scans, reasons[0::2], strict=False)
                if reason is not None and reason.code == ITEM_CONDITION_FAILED
            ]
            if not failed:
                raise
            return failed
        return None

    def remove_scan(self, shipment_id: str, serial: str, *, at: datetime) -> bool:
        """Delete one scan and count it out, in one transaction (``False``: not in the draft)."""
        try:
            found = ShipmentScanRecord.get(shipment_id, serial, consistent_read=True)
        except DoesNotExist:
            return False

        def build(tx: TransactWrite) -> None:
            tx.delete(found, condition=ShipmentScanRecord.serial.exists())
            tx.update(
                ShipmentRecord(shipment_id),
                actions=[_count(found.model_code, -1), ShipmentRecord.updated_at.set(at)],
                condition=ShipmentRecord.status == ShipmentStatus.DRAFT.value,
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            if (
                len(reasons) == 2
                and reasons[1] is not None
                and reasons[1].code == ITEM_CONDITION_FAILED
            ):
                raise Conflict("shipment_not_draft") from exc
            if reasons and reasons[0] is not None and reasons[0].code == ITEM_CONDITION_FAILED:
                return False
            raise
        try:  # its claim, unless another draft scanned it since
            ShipmentClaimRecord(serial).delete(
                condition=ShipmentClaimRecord.shipment_id == shipment_id
            )
        except DeleteError as exc:
            if not is_condition_failure(exc):
                raise
        return True

    # -- status ----------------------------------------------------------------------------------

    def _move(
        self, shipment_id: str, actions: list[Any], allowed: Sequence[ShipmentStatus]
    ) -> Shipment:
        try:
            ShipmentRecord(shipment_id).update(
                actions=actions,
                condition=ShipmentRecord.status.is_in(*(s.value for s in allowed)),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            current = self.get(shipment_id)
            if current is None:
                raise NotFound("shipment_not_found") from exc
            raise Conflict("shipment_status_changed", status=current.status.value) from exc
        found = self.get(shipment_id)
        if found is None:
            raise NotFound("shipment_not_found")
        return found

    def start_confirming(self, shipment_id: str, *, by: str, at: datetime) -> Shipment:
        """``draft`` → ``confirming`` (who confirms is recorded now: a resumed run keeps it)."""
        return self._move(
            shipment_id,
            [
                ShipmentRecord.status.set(ShipmentStatus.CONFIRMING.value),
                ShipmentRecord.confirmed_by.set(by),
                ShipmentRecord.updated_at.set(at),
            ],
            (ShipmentStatus.DRAFT,),
        )

    def progress_part(self, shipment: Shipment, last_serial: str, *, at: datetime) -> Any:
        return ConfirmProgress(shipment, last_serial, at)

    def finish_confirming(self, shipment_id: str, *, at: datetime) -> Shipment:
        """``confirming`` → ``confirmed`` (once every scan has been through a chunk)."""
        return self._move(
            shipment_id,
            [
                ShipmentRecord.status.set(ShipmentStatus.CONFIRMED.value),
                ShipmentRecord.confirmed_at.set(at),
                ShipmentRecord.updated_at.set(at),
            ],
            (ShipmentStatus.CONFIRMING,),
        )

    def mark_cancelled(self, shipment_id: str, *, by: str, at: datetime) -> Shipment:
        return self._move(
            shipment_id,
            [
                ShipmentRecord.status.set(ShipmentStatus.CANCELLED.value),
                ShipmentRecord.cancelled_by.set(by),
                ShipmentRecord.cancelled_at.set(at),
                ShipmentRecord.updated_at.set(at),
            ],
            (ShipmentStatus.DRAFT, ShipmentStatus.CONFIRMING, ShipmentStatus.CONFIRMED),
        )

    def unship_part(self, shipment_id: str, *, status: ShipmentStatus, at: datetime) -> Any:
        return UnshipProgress(shipment_id, status, at)

    def mark_returned(self, shipment_id: str, serials: Sequence[str], *, at: datetime) -> None:
        """The scans of units the dealer gave back (so the shipment still lists them, as
        returned, after a later cancellation); an update each, idempotent."""
        for serial in serials:
            ShipmentScanRecord(shipment_id, serial).update(
                actions=[ShipmentScanRecord.returned_at.set(at)],
                condition=ShipmentScanRecord.serial.exists(),
            )

    def set_kept(self, shipment_id: str, kept: Sequence[str]) -> None:
        ShipmentRecord(shipment_id).update(actions=[ShipmentRecord.kept.set(list(kept))])


def _status_filter(wanted: ShipmentFilter) -> Any:
    """The status condition of a query on another key (a filter: a page may come back shorter
    than its limit, the cursor goes on). ``dealer_visible`` is
    :func:`~chalicelib.dealers.shipments.visible_to_dealer` in DynamoDB's words: confirmed, or
    cancelled after it shipped units."""
    one = ShipmentRecord.status == wanted.status.value if wanted.status else None
    if not wanted.dealer_visible:
        return one
    visible = (ShipmentRecord.status == ShipmentStatus.CONFIRMED.value) | (
        (ShipmentRecord.status == ShipmentStatus.CANCELLED.value) & (ShipmentRecord.shipped > 0)
    )
    return visible if one is None else one & visible


def _count(model_code: str, delta: int) -> Any:
    """``counts.<model> = if_not_exists(counts.<model>, 0) + delta``."""
    path = ShipmentRecord.counts[model_code]
    return path.set((path | 0) + delta)
