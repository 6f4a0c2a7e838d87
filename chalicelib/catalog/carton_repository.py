"""Cartons: the cartons table (one item a carton with its counts, and the SSCC counter) and the
units' ``carton`` attribute, written together.

Packing is one transaction: the unit's conditional update (registered, in no carton) and the
carton's counts (open, not full); unpacking the reverse. When a condition fails the unit and
the carton are read again and the refusal named (:func:`~chalicelib.catalog.cartons.pack_refusal`),
so a race between two packers ends with one unit in one carton and the other told why."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.catalog.cartons import (
    MAX_CARTON_UNITS,
    Carton,
    CartonContents,
    CartonSource,
    CartonStatus,
    CartonUnit,
    PackResult,
    pack_refusal,
)
from chalicelib.catalog.model import UnitStatus
from chalicelib.catalog.tables import CartonRecord, HistoryEntry, UnitRecord
from chalicelib.core.errors import Conflict, GarantiError, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

PACK_ATTEMPTS = 3
SEQUENCE_KEY = "#sequence"  # the counter's item: "#" is in no carton code


def _to_domain(record: CartonRecord) -> Carton:
    models = record.models.as_dict() if record.models is not None else {}
    return Carton(
        code=record.code,
        status=CartonStatus(record.status or CartonStatus.OPEN.value),
        source=CartonSource(record.source or CartonSource.PACKED.value),
        created_at=record.created_at or datetime.now(UTC),
        created_by=record.created_by or "",
        units=int(record.units or 0),
        models={k: int(v) for k, v in sorted(models.items()) if int(v) > 0},
        closed_at=record.closed_at,
        closed_by=record.closed_by or "",
    )


def _unit(record: UnitRecord) -> CartonUnit:
    return CartonUnit(
        serial=record.serial,
        model_code=record.model_code,
        status=record.status,
        dealer_id=record.dealer_id or "",
        shipment_id=record.shipment_id or "",
    )


class CartonRepository:
    def __init__(self, brand_id: str | None = None) -> None:
        self._connection = Connection(region=CartonRecord.Meta.region)
        self._brand_id = brand_id or get_settings().brand_id

    def reserve_sequence(self) -> int:
        """The next number of the generated SSCCs (one atomic ADD: never issued twice)."""
        record = CartonRecord(SEQUENCE_KEY)
        record.update(actions=[CartonRecord.next_sequence.add(1)])
        return int(record.next_sequence or 0)

    def create(self, carton: Carton) -> Carton:
        record = CartonRecord(
            carton.code,
            brand_id=self._brand_id,
            status=carton.status.value,
            source=carton.source.value,
            units=0,
            models={},
            created_at=carton.created_at,
            created_by=carton.created_by,
            updated_at=carton.created_at,
        )
        try:
            record.save(condition=CartonRecord.code.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("carton_exists") from exc
            raise
        return _to_domain(record)

    def get(self, code: str) -> Carton:
        try:
            record = CartonRecord.get(code)
        except DoesNotExist as exc:
            raise NotFound("carton_not_found") from exc
        if record.brand_id is None:
            raise NotFound("carton_not_found")
        return _to_domain(record)

    def page(
        self, *, limit: int, after: dict[str, Any] | None, status: CartonStatus | None
    ) -> tuple[list[Carton], dict[str, Any] | None]:
        """The brand's cartons, newest first, one page (``status`` filters the page)."""
        result = CartonRecord.brand_index.query(
            self._brand_id,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=after,
            filter_condition=(CartonRecord.status == status.value) if status else None,
        )
        cartons = [_to_domain(record) for record in result]
        return cartons, result.last_evaluated_key

    def units_of(self, code: str) -> list[CartonUnit]:
        """The carton's units in serial order (one query of ``carton_serial_index``)."""
        return [_unit(record) for record in UnitRecord.carton_serial_index.query(code)]

    def contents(self, code: str) -> CartonContents:
        """``carton_not_found`` when the code names no carton and no unit carries it."""
        units = tuple(self.units_of(code))
        if not units:
            self.get(code)
        return CartonContents(code, units)

    def pack(self, code: str, serial: str, *, by: str, now: datetime) -> PackResult:
        """Put a registered unit that is in no carton into the open carton ``code``; the same
        unit again is a no-op (``already``). A write that lost a race is read again: refused
        with the reason that now holds, or tried once more."""
        for _ in range(PACK_ATTEMPTS):
            carton = self.get(code)
            unit = self._unit_or_none(serial)
            if unit is None:
                raise NotFound("unit_not_found")
            if unit.carton == code:
                return PackResult(carton, _unit(unit), already=True)
            self._raise_if_refused(unit, carton, code)
            try:
                write_transaction(self._connection, self._packing(code, unit, by, now))
            except TransactWriteError as exc:
                if not _condition_failed(exc):
                    raise
                continue
            unit.carton = code  # as the transaction's conditions left it: no read needed
            return PackResult(self.get(code), _unit(unit))
        raise Conflict("carton_busy")

    def _packing(
        self, code: str, unit: UnitRecord, by: str, now: datetime
    ) -> Callable[[TransactWrite], None]:
        entry = HistoryEntry(at=now, event="packed", by=by, note=code)

        def build(tx: TransactWrite) -> None:
            tx.update(
                UnitRecord(unit.serial),
                actions=[
                    UnitRecord.carton.set(code),
                    UnitRecord.history.set(UnitRecord.history.append([entry])),
                ],
                condition=UnitRecord.serial.exists()
                & (UnitRecord.status == UnitStatus.REGISTERED.value)
                & UnitRecord.carton.does_not_exist(),
            )
            tx.update(
                CartonRecord(code),
                actions=[
                    CartonRecord.units.add(1),
                    _model_count(unit.model_code, 1),
                    CartonRecord.updated_at.set(now),
                ],
                condition=(CartonRecord.status == CartonStatus.OPEN.value)
                & (CartonRecord.units < MAX_CARTON_UNITS),
            )

        return build

    def _raise_if_refused(self, unit: UnitRecord, carton: Carton, code: str) -> None:
        refusal: GarantiError | None = pack_refusal(
            unit_status=unit.status, unit_carton=unit.carton or "", carton=carton, code=code
        )
        if refusal is not None:
            raise refusal

    def _unit_or_none(self, serial: str) -> UnitRecord | None:
        try:
            return UnitRecord.get(serial, consistent_read=True)
        except DoesNotExist:
            return None

    def unpack(self, code: str, serial: str, *, by: str, now: datetime) -> Carton:
        """Take a unit out of the open carton ``code``."""
        carton = self.get(code)
        unit = self._unit_or_none(serial)
        if unit is None or unit.carton != code:
            raise Conflict("carton_unit_not_in_carton")
        if carton.status is not CartonStatus.OPEN:
            raise Conflict("carton_closed")
        entry = HistoryEntry(at=now, event="unpacked", by=by, note=code)

        def build(tx: TransactWrite) -> None:
            tx.update(
                UnitRecord(serial),
                actions=[
                    UnitRecord.carton.remove(),
                    UnitRecord.history.set(UnitRecord.history.append([entry])),
                ],
                condition=UnitRecord.carton == code,
            )
            tx.update(
                CartonRecord(code),
                actions=[
                    CartonRecord.units.add(-1),
                    _model_count(unit.model_code, -1),
                    CartonRecord.updated_at.set(now),
                ],
                condition=CartonRecord.status == CartonStatus.OPEN.value,
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if not _condition_failed(exc):
                raise
            current = self.get(code)
            if current.status is not CartonStatus.OPEN:
                raise Conflict("carton_closed") from exc
            raise Conflict("carton_unit_not_in_carton") from exc
        return self.get(code)

    def close(self, code: str, *, by: str, now: datetime) -> Carton:
        """Seal an open carton that holds units; closing a closed one answers it as it is."""
        carton = self.get(code)
        if carton.status is CartonStatus.CLOSED:
            return carton
        record = CartonRecord(code)
        try:
            record.update(
                actions=[
                    CartonRecord.status.set(CartonStatus.CLOSED.value),
                    CartonRecord.closed_at.set(now),
                    CartonRecord.closed_by.set(by),
                    CartonRecord.updated_at.set(now),
                ],
                condition=(CartonRecord.status == CartonStatus.OPEN.value)
                & (CartonRecord.units > 0),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            current = self.get(code)
            if current.status is CartonStatus.CLOSED:
                return current
            raise Conflict("carton_empty") from exc
        return _to_domain(record)

    def count_imported(self, counts: Mapping[str, Mapping[str, int]], *, by: str) -> None:
        """Cartons named by an import's rows: created (closed: packed at the factory) when new,
        their counts raised by the units the import registered in them."""
        now = datetime.now(UTC)
        for code, models in counts.items():
            record = CartonRecord(code)
            record.update(
                actions=[
                    CartonRecord.brand_id.set(self._brand_id),
                    CartonRecord.status.set(
                        CartonRecord.status | CartonStatus.CLOSED.value  # if_not_exists
                    ),
                    CartonRecord.source.set(CartonRecord.source | CartonSource.IMPORTED.value),
                    CartonRecord.models.set(CartonRecord.models | {}),
                    CartonRecord.created_at.set(CartonRecord.created_at | now),
                    CartonRecord.created_by.set(CartonRecord.created_by | by),
                    CartonRecord.closed_at.set(CartonRecord.closed_at | now),
                    CartonRecord.closed_by.set(CartonRecord.closed_by | by),
                ]
            )
            record.update(
                actions=[
                    CartonRecord.units.add(sum(models.values())),
                    *(_model_count(model, n) for model, n in models.items()),
                    CartonRecord.updated_at.set(now),
                ]
            )


def _model_count(model_code: str, delta: int) -> Any:
    """``SET models.<model> = if_not_exists(models.<model>, 0) + delta``: one atomic step."""
    count = CartonRecord.models[model_code]
    return count.set((count | 0) + delta)


def _condition_failed(exc: TransactWriteError) -> bool:
    return any(r is not None and r.code == ITEM_CONDITION_FAILED for r in exc.cancellation_reasons)
