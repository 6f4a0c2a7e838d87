"""Spare parts' use cases: the catalogue saved (versioned), places added, stock moved (receipt,
transfer, adjustment by the stock keepers; issue and return through a ticket), and what is on
hand where, with its value and what is short. Pure: the store comes as a port."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.ids import new_id
from chalicelib.maintenance.parts import (
    Location,
    LocationKind,
    Movement,
    MovementKind,
    Part,
    StockLine,
    check_movement,
    is_short,
)

KEEPERS = frozenset({"admin", "cs", "accountant"})  # the catalogue, places and movements


class StockStore(Protocol):
    def part(self, code: str) -> Part | None: ...
    def parts(self) -> list[Part]: ...
    def save_part(self, part: Part, *, expected_version: int) -> None: ...
    def location(self, location_id: str) -> Location | None: ...
    def locations(self) -> list[Location]: ...
    def add_location(self, location: Location, *, by: str, at: datetime) -> None: ...
    def stock_of(self, locations: list[str]) -> list[StockLine]: ...
    def record(self, movement: Movement, *, at: datetime) -> None: ...


def save_part(
    part: Part, *, expected_version: int, by: str, at: datetime, store: StockStore
) -> Part:
    saved = replace(part, version=expected_version + 1, updated_by=by, updated_at=at)
    store.save_part(saved, expected_version=expected_version)
    return saved


def existing_part(code: str, store: StockStore) -> Part:
    part = store.part(code)
    if part is None:
        raise NotFound("part_not_found")
    return part


def existing_location(location_id: str, store: StockStore, *, field: str) -> Location:
    location = store.location(location_id)
    if location is None:
        raise Invalid(fields=[FieldError(field, "stock_location_unknown")])
    return location


@dataclass(frozen=True)
class MoveRequest:
    kind: MovementKind
    part_code: str
    qty: int
    source: str | None
    target: str | None
    reason: str
    unit_cost_vnd: int | None  # a receipt's cost (none: the catalogue's)


def move(request: MoveRequest, *, by: str, at: datetime, store: StockStore) -> Movement:
    """A receipt, transfer or adjustment, checked and recorded (issues and returns go through
    a ticket)."""
    if request.kind in (MovementKind.ISSUE, MovementKind.RETURN):
        raise Invalid(fields=[FieldError("kind", "stock_kind_through_ticket")])
    part = existing_part(request.part_code, store)
    for place, field in ((request.source, "from"), (request.target, "to")):
        if place is not None:
            existing_location(place, store, field=field)
    movement = check_movement(
        Movement(
            movement_id=new_id("mv_", at),
            kind=request.kind,
            part_code=part.code,
            qty=request.qty,
            source=request.source,
            target=request.target,
            at=at,
            by=by,
            reason=request.reason,
            unit_cost_vnd=part.cost_vnd if request.unit_cost_vnd is None else request.unit_cost_vnd,
        )
    )
    store.record(movement, at=at)
    return movement


def may_take_from(place: Location, assignee_key: str | None) -> bool:
    """An assignee's places (a ticket's, a service request's): their own (a van, a company's
    place); a technician also takes from the brand's warehouses, a partner company never."""
    if place.holder is not None:
        return place.holder == assignee_key
    return bool(assignee_key and assignee_key.startswith("tech#"))


def part_for(
    part_code: str, model_code: str, location_id: str, *, assignee_key: str | None,
    store: StockStore,
) -> tuple[Part, Location]:  # fmt: skip
    """The part a visit or a repair takes, and its place: the part must be active and fit the
    unit's model (when the catalogue names models); an assignee (``assignee_key``; the desk
    passes ``None``) takes from their own places only."""
    part = existing_part(part_code, store)
    if not part.active:
        raise Invalid(fields=[FieldError("part_code", "part_inactive")])
    if part.models and model_code not in part.models:
        raise Invalid(fields=[FieldError("part_code", "part_not_for_model")])
    place = existing_location(location_id, store, field="location")
    if assignee_key is not None and not may_take_from(place, assignee_key):
        raise Invalid(fields=[FieldError("location", "stock_location_not_yours")])
    return part, place


@dataclass(frozen=True)
class OnHand:
    line: StockLine
    part: Part | None
    short: bool

    @property
    def value_vnd(self) -> int:
        return self.line.on_hand * (self.part.cost_vnd if self.part else 0)


def on_hand(locations: list[Location], *, store: StockStore) -> list[OnHand]:
    """Each part's quantity in ``locations``, with its value at cost and whether it is short. A
    warehouse lists every active part it should keep (a minimum above 0) even with none of it
    left: that is the shortage to see first."""
    parts = {p.code: p for p in store.parts()}
    lines = store.stock_of([x.location_id for x in locations])
    held = {(x.location_id, x.part_code) for x in lines}
    lines += [
        StockLine(place.location_id, part.code, 0)
        for place in locations
        if place.kind is LocationKind.WAREHOUSE
        for part in parts.values()
        if part.active and part.min_stock > 0 and (place.location_id, part.code) not in held
    ]
    out = []
    for line in lines:
        part = parts.get(line.part_code)
        out.append(OnHand(line, part, part is not None and is_short(line, part)))
    return sorted(out, key=lambda x: (x.line.location_id, x.line.part_code))
