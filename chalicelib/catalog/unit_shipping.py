"""Units shipped to dealers and brought back: the catalog's side of a shipment (issue 14).

Every unit write is a conditional update in a ``TransactWriteItems`` of at most 100 actions:
99 units and the caller's own progress item (a shipment's cursor and counts), so the units of a
chunk and the record of what was done commit together or not at all. A unit whose condition
fails is set aside with what it was (``ALL_OLD`` in the cancellation reasons) and the rest of
the chunk is committed again without it.

- ship: ``registered`` → ``shipped`` with ``dealer_id``, ``shipment_id``, ``shipped_on``,
  ``awaiting_dealer`` and a ``shipped`` history event; a unit already shipped by this very
  shipment passes the condition (a retried chunk changes nothing a second time).
- unship (a cancelled shipment) and return: ``shipped`` by this shipment → ``registered``, those
  four removed, an ``unshipped`` / ``returned`` history event; an activated unit stays.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.catalog.model import UnitStatus
from chalicelib.catalog.tables import HistoryEntry, UnitRecord
from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction

BATCH_GET_LIMIT = 100
UNITS_PER_CHUNK = 99  # + the caller's progress item = DynamoDB's 100 actions


@dataclass(frozen=True)
class ShippingUnit:
    """A unit as shipping sees it."""

    serial: str
    model_code: str
    status: str
    shipment_id: str = ""
    dealer_id: str = ""
    activated: bool = False


@dataclass(frozen=True)
class Declined:
    """A unit whose condition failed, as it was then (``status`` ``None``: no such unit)."""

    serial: str
    status: str | None
    shipment_id: str = ""


@dataclass(frozen=True)
class ChunkOutcome:
    done: tuple[str, ...]
    declined: tuple[Declined, ...]
    transactions: int


class ProgressPart(Protocol):
    """The caller's item in each chunk's transaction (e.g. a shipment's progress): told what
    the chunk commits; its condition failing is ``Conflict("shipment_changed")``."""

    def add_to(
        self, tx: TransactWrite, done: Sequence[str], declined: Sequence[Declined]
    ) -> None: ...


def _shipping_unit(record: UnitRecord) -> ShippingUnit:
    return ShippingUnit(
        serial=record.serial,
        model_code=record.model_code,
        status=record.status,
        shipment_id=record.shipment_id or "",
        dealer_id=record.dealer_id or "",
        activated=record.activated_at is not None,
    )


def _declined(serial: str, old: dict[str, Any]) -> Declined:
    if not old:
        return Declined(serial, None)
    return Declined(
        serial,
        old.get("status", {}).get("S"),
        old.get("shipment_id", {}).get("S", ""),
    )


class UnitShipping:
    def __init__(self) -> None:
        self._connection = Connection(region=UnitRecord.Meta.region)

    # -- reads ---------------------------------------------------------------------------------

    def find_units(self, serials: Sequence[str]) -> dict[str, ShippingUnit]:
        """The units among ``serials`` (BatchGetItem, 100 a call); a missing serial is absent."""
        wanted = list(dict.fromkeys(serials))
        found: dict[str, ShippingUnit] = {}
        attributes = ["serial", "model_code", "status", "shipment_id", "dealer_id", "activated_at"]
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            chunk = wanted[start : start + BATCH_GET_LIMIT]
            for record in UnitRecord.batch_get(chunk, attributes_to_get=attributes):
                found[record.serial] = _shipping_unit(record)
        return found

    def shipment_units(self, shipment_id: str) -> Iterator[ShippingUnit]:
        """The units that carry ``shipment_id`` (shipped, or activated since), in serial order."""
        for record in UnitRecord.shipment_serial_index.query(shipment_id):
            yield _shipping_unit(record)

    # -- writes --------------------------------------------------------------------------------

    def ship(
        self,
        shipment_id: str,
        serials: Sequence[str],
        *,
        dealer_id: str,
        shipped_on: date,
        by: str,
        at: datetime,
        progress: ProgressPart,
    ) -> ChunkOutcome:
        """Ship up to 99 units to ``dealer_id`` in one transaction with ``progress``; units
        that are not ``registered`` (nor already shipped by this shipment) are declined and the
        others committed without them."""
        history = HistoryEntry(at=at, event="shipped", by=by, note=shipment_id)
        actions = [
            UnitRecord.status.set(UnitStatus.SHIPPED.value),
            UnitRecord.dealer_id.set(dealer_id),
            UnitRecord.shipment_id.set(shipment_id),
            UnitRecord.shipped_on.set(shipped_on.isoformat()),
            UnitRecord.awaiting_dealer.set(dealer_id),
            UnitRecord.history.set(UnitRecord.history.append([history])),
        ]
        condition = UnitRecord.serial.exists() & (
            (UnitRecord.status == UnitStatus.REGISTERED.value)
            | (
                (UnitRecord.shipment_id == shipment_id)
                & (UnitRecord.status == UnitStatus.SHIPPED.value)
            )
        )
        return self._chunk(serials, actions, condition, progress)

    def unship(
        self,
        shipment_id: str,
        serials: Sequence[str],
        *,
        event: str,
        by: str,
        at: datetime,
        progress: ProgressPart,
    ) -> ChunkOutcome:
        """Bring up to 99 units shipped by ``shipment_id`` back to ``registered`` (``event``:
        ``unshipped`` for a cancelled shipment, ``returned`` for a return); a unit activated
        meanwhile, or not shipped by it, is declined and stays as it is."""
        history = HistoryEntry(at=at, event=event, by=by, note=shipment_id)
        actions = [
            UnitRecord.status.set(UnitStatus.REGISTERED.value),
            UnitRecord.dealer_id.remove(),
            UnitRecord.shipment_id.remove(),
            UnitRecord.shipped_on.remove(),
            UnitRecord.awaiting_dealer.remove(),
            UnitRecord.history.set(UnitRecord.history.append([history])),
        ]
        condition = (UnitRecord.shipment_id == shipment_id) & (
            UnitRecord.status == UnitStatus.SHIPPED.value
        )
        return self._chunk(serials, actions, condition, progress)

    def _chunk(
        self,
        serials: Sequence[str],
        actions: list[Any],
        condition: Condition,
        progress: ProgressPart,
    ) -> ChunkOutcome:
        if len(serials) > UNITS_PER_CHUNK:
            raise ValueError("at most 99 units a chunk")
        pending = list(dict.fromkeys(serials))
        declined: list[Declined] = []
        transactions = 0
        while True:
            transactions += 1
            failed = self._try(pending, actions, condition, progress, declined)
            if failed is None:
                return ChunkOutcome(tuple(pending), tuple(declined), transactions)
            declined.extend(failed)
            refused = {d.serial for d in failed}
            pending = [serial for serial in pending if serial not in refused]

    def _try(
        self,
        pending: list[str],
        actions: list[Any],
        condition: Condition,
        progress: ProgressPart,
        declined: list[Declined],
    ) -> list[Declined] | None:
        """One attempt: ``None`` when committed, else the units whose condition failed."""

        def build(tx: TransactWrite) -> None:
            for serial in pending:
                tx.update(
                    UnitRecord(serial),
                    actions=actions,
                    condition=condition,
                    return_values="ALL_OLD",
                )
            progress.add_to(tx, pending, declined)

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            if len(reasons) != len(pending) + 1:
                raise
            last = reasons[-1]
            if last is not None and last.code == ITEM_CONDITION_FAILED:
                raise Conflict("shipment_changed") from exc
            failed = [
                _declined(serial, reason.raw_item or {})
                for serial, reason in zip(pending, reasons, strict=False)
                if reason is not None and reason.code == ITEM_CONDITION_FAILED
            ]
            if not failed:
                raise
            return failed
        return None
