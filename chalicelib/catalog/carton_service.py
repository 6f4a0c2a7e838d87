"""Packing units into cartons: create a carton (a generated SSCC or a typed code), pack a unit
by its scanned serial, take one out, close the carton, list and read cartons.

A pack or unpack is the unit's own change (the units stream records it in the audit trail with
the packer as its actor); a carton's creation and closing are entries of their own (entity
``carton``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.catalog.cartons import (
    Carton,
    CartonContents,
    CartonSource,
    CartonStatus,
    CartonUnit,
    PackResult,
    generate_sscc,
    normalize_carton_code,
)
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import Invalid


class CartonStore(Protocol):
    def reserve_sequence(self) -> int: ...
    def create(self, carton: Carton) -> Carton: ...
    def get(self, code: str) -> Carton: ...
    def page(
        self, *, limit: int, after: dict[str, Any] | None, status: CartonStatus | None
    ) -> tuple[list[Carton], dict[str, Any] | None]: ...
    def units_of(self, code: str) -> list[CartonUnit]: ...
    def pack(self, code: str, serial: str, *, by: str, now: datetime) -> PackResult: ...
    def unpack(self, code: str, serial: str, *, by: str, now: datetime) -> Carton: ...
    def close(self, code: str, *, by: str, now: datetime) -> Carton: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


@dataclass(frozen=True)
class Change:
    """Who acts (a staff username), when, and the request it came from."""

    actor: str
    at: datetime
    source: str


@dataclass(frozen=True)
class CartonPage:
    cartons: list[Carton]
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CartonDetail:
    carton: Carton
    contents: CartonContents


MAX_GENERATE_ATTEMPTS = 3  # a generated SSCC already typed by hand for another carton


def _entry(change: Change, action: str, carton: Carton, **after: Any) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="carton",
        entity_id=carton.code,
        source=change.source,
        after=after or None,
    )


def create(
    raw_code: str | None,
    change: Change,
    *,
    company_prefix: str,
    cartons: CartonStore,
    trail: Trail,
) -> Carton:
    """An open carton: under the typed code (an SSCC or the manufacturer's own), or, without
    one, under the next SSCC of the brand's GS1 company prefix (``carton_prefix_missing``
    when the stage has none)."""
    if raw_code is not None:
        code = normalize_carton_code(raw_code)
        carton = cartons.create(_new(code, change))
    else:
        if not company_prefix:
            raise Invalid("carton_prefix_missing")
        carton = _create_generated(change, company_prefix, cartons)
    trail.record(
        _entry(change, "carton_created", carton, status=carton.status.value, sscc=carton.sscc)
    )
    return carton


def _new(code: str, change: Change) -> Carton:
    return Carton(code, CartonStatus.OPEN, CartonSource.PACKED, change.at, change.actor)


def _create_generated(change: Change, company_prefix: str, cartons: CartonStore) -> Carton:
    from chalicelib.core.errors import Conflict

    for attempt in range(MAX_GENERATE_ATTEMPTS):
        code = generate_sscc(company_prefix, cartons.reserve_sequence())
        try:
            return cartons.create(_new(code, change))
        except Conflict:
            if attempt == MAX_GENERATE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def get(raw_code: str, *, cartons: CartonStore) -> CartonDetail:
    code = normalize_carton_code(raw_code)
    carton = cartons.get(code)
    return CartonDetail(carton, CartonContents(code, tuple(cartons.units_of(code))))


def page(
    *, limit: int, after: dict[str, Any] | None, status: CartonStatus | None, cartons: CartonStore
) -> CartonPage:
    found, last = cartons.page(limit=limit, after=after, status=status)
    return CartonPage(found, last)


def pack(raw_code: str, raw_serial: str, change: Change, *, cartons: CartonStore) -> PackResult:
    """The scanned serial into the open carton (``unit_not_found``, ``carton_closed``,
    ``carton_unit_in_other_carton``, ``carton_unit_shipped`` | ``_activated`` | ``_void``,
    ``carton_full``); the same serial again answers ``already``."""
    code = normalize_carton_code(raw_code)
    serial = normalize_serial(raw_serial)
    return cartons.pack(code, serial, by=change.actor, now=change.at)


def unpack(raw_code: str, raw_serial: str, change: Change, *, cartons: CartonStore) -> Carton:
    code = normalize_carton_code(raw_code)
    serial = normalize_serial(raw_serial)
    return cartons.unpack(code, serial, by=change.actor, now=change.at)


def close(raw_code: str, change: Change, *, cartons: CartonStore, trail: Trail) -> Carton:
    """Seal the carton (``carton_empty`` while it holds nothing); closing it again is a no-op."""
    code = normalize_carton_code(raw_code)
    before = cartons.get(code)
    carton = cartons.close(code, by=change.actor, now=change.at)
    if before.status is CartonStatus.OPEN:
        trail.record(
            _entry(change, "carton_closed", carton, units=carton.units, models=carton.models)
        )
    return carton
