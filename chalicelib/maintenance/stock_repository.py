"""Spare parts and stock in DynamoDB. A movement is one transaction: each place's ``ADD`` (a
decrease conditional on the quantity being there: stock never goes negative, whoever else is
taking the same part at the same moment) and the movement's own item. A ticket's part is the
same writes inside the ticket's transaction (:func:`stock_writes`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.catalog.warranty import BUSINESS_TIMEZONE
from chalicelib.core.errors import Conflict
from chalicelib.maintenance.parts import (
    Location,
    LocationKind,
    Movement,
    MovementKind,
    Part,
    StockLine,
    deltas,
)
from chalicelib.maintenance.stock_tables import (
    LocationRecord,
    MovementRecord,
    PartRecord,
    StockRecord,
)
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)


def _part(record: PartRecord) -> Part:
    return Part(
        code=record.code,
        name=record.name,
        name_en=record.name_en,
        unit=record.unit,
        cost_vnd=int(record.cost_vnd),
        price_vnd=int(record.price_vnd),
        models=tuple(record.models or ()),
        min_stock=int(record.min_stock),
        active=bool(record.active),
        version=int(record.version),
        updated_by=record.updated_by,
        updated_at=record.updated_at,
    )


def _location(record: LocationRecord) -> Location:
    return Location(record.location_id, record.name, LocationKind(record.kind), record.holder)


def _movement(record: MovementRecord) -> Movement:
    return Movement(
        movement_id=record.movement_id,
        kind=MovementKind(record.kind),
        part_code=record.part_code,
        qty=int(record.qty),
        source=record.source,
        target=record.target,
        at=record.at,
        by=record.by,
        reason=record.reason,
        ticket_id=record.ticket_id,
        unit_cost_vnd=int(record.unit_cost_vnd),
        claim_id=record.claim_id,
    )


def stock_writes(tx: TransactWrite, movement: Movement, at: datetime) -> None:
    """The movement's writes: each place's quantity (a decrease only when covered) and the
    movement itself. (PynamoDB sends a transaction's puts before its updates, whatever the order
    they were added in.)"""
    for place, part, change in deltas(movement):
        record = StockRecord(place, part)
        actions: list[Action] = [StockRecord.on_hand.add(change), StockRecord.updated_at.set(at)]
        if change < 0:
            tx.update(record, actions=actions, condition=StockRecord.on_hand >= -change)
        else:
            tx.update(record, actions=actions)
    tx.save(
        MovementRecord(
            movement.part_code,
            f"{at.isoformat()}#{movement.movement_id}",
            movement_id=movement.movement_id,
            kind=movement.kind.value,
            qty=movement.qty,
            source=movement.source,
            target=movement.target,
            at=at,
            by=movement.by,
            reason=movement.reason,
            ticket_id=movement.ticket_id,
            unit_cost_vnd=movement.unit_cost_vnd,
            claim_id=movement.claim_id,
        ),
        condition=MovementRecord.part_code.does_not_exist(),
    )


class StockRepository:
    def __init__(self, brand_id: str, connection: Connection | None = None) -> None:
        self._brand_id = brand_id
        self._connection = connection or Connection()

    # -- the catalogue ---------------------------------------------------------------------

    def part(self, code: str) -> Part | None:
        try:
            return _part(PartRecord.get(self._brand_id, code))
        except DoesNotExist:
            return None

    def parts(self) -> list[Part]:
        return [_part(r) for r in PartRecord.query(self._brand_id)]

    def save_part(self, part: Part, *, expected_version: int) -> None:
        """Saved over ``expected_version`` (0: a new code); 409 ``part_changed`` otherwise."""
        record = PartRecord(
            self._brand_id,
            part.code,
            name=part.name,
            name_en=part.name_en,
            unit=part.unit,
            cost_vnd=part.cost_vnd,
            price_vnd=part.price_vnd,
            models=list(part.models),
            min_stock=part.min_stock,
            active=part.active,
            version=part.version,
            updated_by=part.updated_by,
            updated_at=part.updated_at,
        )
        condition = (
            PartRecord.code.does_not_exist()
            if expected_version == 0
            else PartRecord.version == expected_version
        )
        try:
            record.save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("part_changed") from exc
            raise

    # -- places ----------------------------------------------------------------------------

    def location(self, location_id: str) -> Location | None:
        try:
            return _location(LocationRecord.get(self._brand_id, location_id))
        except DoesNotExist:
            return None

    def locations(self) -> list[Location]:
        return [_location(r) for r in LocationRecord.query(self._brand_id)]

    def add_location(self, location: Location, *, by: str, at: datetime) -> None:
        record = LocationRecord(
            self._brand_id,
            location.location_id,
            name=location.name,
            kind=location.kind.value,
            holder=location.holder,
            created_by=by,
            created_at=at,
        )
        try:
            record.save(condition=LocationRecord.location_id.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("stock_location_exists") from exc
            raise

    # -- stock -----------------------------------------------------------------------------

    def stock_at(self, location_id: str) -> list[StockLine]:
        return [
            StockLine(r.location_id, r.part_code, int(r.on_hand))
            for r in StockRecord.query(location_id)
        ]

    def stock_of(self, locations: Iterable[str]) -> list[StockLine]:
        return [line for place in locations for line in self.stock_at(place)]

    def record(self, movement: Movement, *, at: datetime) -> None:
        """The movement, all or nothing: 409 ``stock_not_enough`` when a place has less than
        it takes."""

        def build(tx: TransactWrite) -> None:
            stock_writes(tx, movement, at)

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            # PynamoDB sends the puts before the updates: the refusal is a place's quantity
            # (the movement's own put is a new id)
            if any(r is not None and r.code == ITEM_CONDITION_FAILED
                   for r in exc.cancellation_reasons or []):  # fmt: skip
                raise Conflict("stock_not_enough") from exc
            raise

    def movements(self, part_code: str, *, limit: int) -> list[Movement]:
        records = MovementRecord.query(part_code, scan_index_forward=False, limit=limit)
        return [_movement(r) for r in records]

    def movements_between(self, part_code: str, first: date, last: date) -> list[Movement]:
        """A part's movements from ``first`` to ``last`` (days in Vietnam, where the business
        is: a movement at 06:00 on the 1st is that month's), oldest first: one query on its
        key, every page."""
        low, high = (
            datetime.combine(day, time(), BUSINESS_TIMEZONE).astimezone(UTC).isoformat()
            for day in (first, last + timedelta(days=1))
        )
        records = MovementRecord.query(part_code, MovementRecord.moved.between(low, high))
        return [_movement(r) for r in records if r.moved < high]
