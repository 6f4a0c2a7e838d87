"""Shipments, the use cases: staff open a draft for an active dealer, scan units or cartons into
it (stored server-side), confirm it in chunks (resumable, every refusal reported), cancel it
(units not yet activated come back) and take units back. Ports are parameters:
:mod:`chalicelib.dealers.shipment_repository` satisfies the store and the dealers,
:mod:`chalicelib.catalog.unit_shipping` the units (through ``catalog.wiring``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, FieldError, Invalid, NotFound
from chalicelib.dealers.model import Dealer, DealerStatus
from chalicelib.dealers.shipments import (
    DEALER_VISIBLE,
    MAX_UNITS,
    Progress,
    Refusal,
    Refused,
    Scan,
    ScannedUnit,
    Shipment,
    ShipmentDetails,
    ShipmentStatus,
    ShipmentSummary,
    check_unit,
    clean_scan_code,
    counts_by_model,
    new_shipment_id,
    refused_at_confirmation,
    require_draft,
    visible_to_dealer,
)

CHUNK = 99  # units a transaction (+ the shipment's progress: DynamoDB's 100 actions)
RETURN_MAX = 500  # serials one return request takes


class UnitLike(Protocol):
    @property
    def serial(self) -> str: ...
    @property
    def model_code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def shipment_id(self) -> str: ...
    @property
    def activated(self) -> bool: ...


class DeclinedLike(Protocol):
    @property
    def serial(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def shipment_id(self) -> str: ...


class OutcomeLike(Protocol):
    @property
    def done(self) -> tuple[str, ...]: ...
    @property
    def declined(self) -> tuple[Any, ...]: ...  # DeclinedLike


class CartonLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def units(self) -> tuple[Any, ...]: ...  # UnitLike


class Units(Protocol):
    """The catalog's units as shipping reaches them (``catalog.wiring.unit_shipping``)."""

    def find_units(self, serials: Sequence[str]) -> Mapping[str, Any]: ...
    def shipment_units(self, shipment_id: str) -> Iterable[Any]: ...
    def ship(
        self,
        shipment_id: str,
        serials: Sequence[str],
        *,
        dealer_id: str,
        shipped_on: date,
        by: str,
        at: datetime,
        progress: Any,
    ) -> OutcomeLike: ...
    def unship(
        self,
        shipment_id: str,
        serials: Sequence[str],
        *,
        event: str,
        by: str,
        at: datetime,
        progress: Any,
    ) -> OutcomeLike: ...


# A carton's units by its code (``catalog.wiring.carton_contents``); NotFound "carton_not_found".
CartonLookup = Callable[[str], CartonLike]


class Dealers(Protocol):
    def get(self, dealer_id: str) -> Dealer | None: ...
    def by_code(self, code: str) -> Dealer | None: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


class Store(Protocol):
    def create(self, shipment: Shipment) -> None: ...
    def get(self, shipment_id: str) -> Shipment | None: ...
    def page(
        self, wanted: ShipmentFilter, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[ShipmentSummary], dict[str, Any] | None]: ...
    def scans(self, shipment_id: str) -> list[Scan]: ...
    def scans_after(self, shipment_id: str, cursor: str, limit: int) -> list[Scan]: ...
    def scanned(self, shipment_id: str, serials: Sequence[str]) -> set[str]: ...
    def drafts_holding(self, serials: Sequence[str], *, besides: str) -> dict[str, str]: ...
    def add_scans(
        self, shipment_id: str, scans: Sequence[Scan]
    ) -> tuple[list[Scan], list[str]]: ...
    def remove_scan(self, shipment_id: str, serial: str, *, at: datetime) -> bool: ...
    def start_confirming(self, shipment_id: str, *, by: str, at: datetime) -> Shipment: ...
    def progress_part(self, shipment: Shipment, last_serial: str, *, at: datetime) -> Any: ...
    def finish_confirming(self, shipment_id: str, *, at: datetime) -> Shipment: ...
    def mark_cancelled(self, shipment_id: str, *, by: str, at: datetime) -> Shipment: ...
    def unship_part(self, shipment_id: str, *, status: ShipmentStatus, at: datetime) -> Any: ...
    def set_kept(self, shipment_id: str, kept: Sequence[str]) -> None: ...
    def mark_returned(self, shipment_id: str, serials: Sequence[str], *, at: datetime) -> None: ...


@dataclass(frozen=True)
class Change:
    """Who acts (a staff username), when, and the request it came from (the audit's source)."""

    actor: str
    at: datetime
    source: str


@dataclass(frozen=True)
class ShipmentFilter:
    dealer_id: str | None = None
    status: ShipmentStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    dealer_visible: bool = False  # only what its dealer may see (shipments.visible_to_dealer)


@dataclass(frozen=True)
class ScanResult:
    code: str
    kind: str  # unit | carton | unknown
    added: tuple[str, ...]
    duplicates: tuple[str, ...]
    refused: tuple[Refused, ...]
    shipment: Shipment

    @property
    def duplicate(self) -> bool:
        """Nothing new and something already in the draft: a repeated scan, a no-op."""
        return not self.added and bool(self.duplicates) and not self.refused


@dataclass(frozen=True)
class ConfirmReport:
    shipment: Shipment
    finished: bool  # False: stopped by the time budget; confirm again to continue
    chunks: int  # transactions committed by this run


@dataclass(frozen=True)
class CancelReport:
    shipment: Shipment
    unshipped: int
    kept: tuple[str, ...]


@dataclass(frozen=True)
class ReturnReport:
    shipment: Shipment
    returned: tuple[str, ...]
    refused: tuple[Refused, ...]


@dataclass(frozen=True)
class ShipmentUnit:
    serial: str
    model_code: str
    status: str  # scanned (a draft's) | shipped | activated | returned | cancelled
    activated: bool = False
    carton: str = ""  # the carton it was scanned in, if it was


def _audit(change: Change, action: str, shipment: Shipment, **after: Any) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="shipment",
        entity_id=shipment.shipment_id,
        source=change.source,
        after={"status": shipment.status.value, **after},
        extra={"dealer_id": shipment.details.dealer_id},
    )


def _active_dealer(dealer: Dealer | None) -> Dealer:
    if dealer is None:
        raise NotFound("dealer_not_found")
    if dealer.status is not DealerStatus.ACTIVE:
        raise Conflict("dealer_not_active", status=dealer.status.value)
    return dealer


def create(
    dealer_code: str,
    ship_date: date,
    document_number: str,
    change: Change,
    *,
    store: Store,
    dealers: Dealers,
    trail: Trail,
) -> Shipment:
    """A new draft for an active dealer (``dealer_not_found`` 404, ``dealer_not_active`` 409).
    Audited (``shipment_created``)."""
    dealer = _active_dealer(dealers.by_code(dealer_code))
    shipment = Shipment(
        shipment_id=new_shipment_id(change.at),
        details=ShipmentDetails(dealer.dealer_id, ship_date, document_number),
        dealer_code=dealer.details.code,
        dealer_name=dealer.name,
        status=ShipmentStatus.DRAFT,
        created_at=change.at,
        created_by=change.actor,
        updated_at=change.at,
    )
    store.create(shipment)
    trail.record(_audit(change, "shipment_created", shipment, document_number=document_number))
    return shipment


def get(shipment_id: str, *, store: Store) -> Shipment:
    shipment = store.get(shipment_id) if shipment_id.startswith("s_") else None
    if shipment is None:
        raise NotFound("shipment_not_found")
    return shipment


def page(
    wanted: ShipmentFilter, *, limit: int, after: dict[str, Any] | None, store: Store
) -> tuple[list[ShipmentSummary], dict[str, Any] | None]:
    """One page of shipments, the latest day first."""
    return store.page(wanted, limit=limit, after=after)


def units_of(shipment: Shipment, *, store: Store, units: Units) -> list[ShipmentUnit]:
    """A draft's scans; else every unit the shipment shipped (its scans less those refused at
    confirmation) with its state now: still ``shipped`` or ``activated`` with the dealer,
    ``returned`` by the dealer, ``cancelled`` with the shipment (back in stock), or ``scanned``
    (a confirmation not yet reached it)."""
    scans = store.scans(shipment.shipment_id)
    if shipment.status is ShipmentStatus.DRAFT:
        return [ShipmentUnit(s.serial, s.model_code, "scanned", carton=s.carton) for s in scans]
    refused = {r.serial for r in shipment.progress.refused}
    scans = [s for s in scans if s.serial not in refused]
    now = units.find_units([s.serial for s in scans])
    return [_unit_now(shipment, scan, now.get(scan.serial)) for scan in scans]


def _unit_now(shipment: Shipment, scan: Scan, unit: Any) -> ShipmentUnit:
    """One shipped scan's unit as it is now (``unit`` a UnitLike, or ``None`` if gone)."""
    activated = bool(unit and unit.activated)
    if unit is not None and unit.shipment_id == shipment.shipment_id:
        status = "activated" if activated else unit.status
    elif scan.returned:
        status = "returned"
    elif shipment.status is ShipmentStatus.CANCELLED:
        status = "cancelled"
    elif shipment.status is ShipmentStatus.CONFIRMED or scan.serial <= shipment.progress.cursor:
        status = "returned"
    else:
        status = "scanned"  # a confirmation cut short has not reached it yet
    return ShipmentUnit(scan.serial, scan.model_code, status, activated, scan.carton)


# -- what a dealer's user sees ---------------------------------------------------------------------


def dealer_page(
    dealer_id: str,
    wanted: ShipmentFilter,
    *,
    limit: int,
    after: dict[str, Any] | None,
    store: Store,
) -> tuple[list[ShipmentSummary], dict[str, Any] | None]:
    """One page of the dealer's own shipments, confirmed or cancelled after shipping, the latest
    day first (``wanted``'s status and days; its dealer is replaced by ``dealer_id``). A status
    a dealer never sees (a draft, a confirmation under way) is ``shipment_status_invalid``."""
    if wanted.status is not None and wanted.status not in DEALER_VISIBLE:
        raise Invalid(fields=[FieldError("status", "shipment_status_invalid")])
    own = replace(wanted, dealer_id=dealer_id, dealer_visible=True)
    return store.page(own, limit=limit, after=after)


def get_for_dealer(shipment_id: str, dealer_id: str, *, store: Store) -> Shipment:
    """The dealer's own shipment, confirmed or cancelled after shipping. Another dealer's, a
    draft (cancelled or not) or one being confirmed is ``shipment_not_found`` (404, not 403:
    whether it exists is not the dealer's to know)."""
    shipment = get(shipment_id, store=store)
    if not visible_to_dealer(shipment, dealer_id):
        raise NotFound("shipment_not_found")
    return shipment


def units_for_dealer(shipment: Shipment, *, store: Store, units: Units) -> list[ShipmentUnit]:
    """:func:`units_of` as its dealer may see them: ``activated`` only for a unit activated
    while it is this shipment's (one given back, then sold through another dealer, is
    ``returned`` and nothing more)."""
    return [
        replace(u, activated=u.status == "activated")
        for u in units_of(shipment, store=store, units=units)
    ]


# -- scanning ------------------------------------------------------------------------------------


def _candidates(code: str, units: Units, cartons: CartonLookup) -> tuple[str, str, list[Any]]:
    """The units a scanned code stands for: one unit, a carton's, or none (``unknown``)."""
    found = units.find_units([code])
    if code in found:
        return "unit", "", [found[code]]
    try:
        carton = cartons(code)
    except (NotFound, Invalid):  # no such carton, or not even a carton code's shape
        return "unknown", "", []
    return "carton", carton.code, list(carton.units)


def scan(
    shipment_id: str,
    raw_code: str,
    change: Change,
    *,
    store: Store,
    units: Units,
    cartons: CartonLookup,
    dealers: Dealers,
) -> ScanResult:
    """A scanned serial or carton code into the draft: each unit that exists, is ``registered``
    and is in no other draft is added; one already in this draft is a duplicate (a no-op);
    the others are refused with their reason. Only a draft takes scans (``shipment_not_draft``),
    and only while its dealer is active (``dealer_not_active``: a dealer suspended after the
    draft was opened gets nothing more loaded for it)."""
    shipment = get(shipment_id, store=store)
    require_draft(shipment)
    _active_dealer(dealers.get(shipment.details.dealer_id))
    code = clean_scan_code(raw_code)
    kind, carton, candidates = _candidates(code, units, cartons)
    if kind == "unknown":
        unknown = (Refused(code, Refusal.UNKNOWN_CODE.value),)
        return ScanResult(code, kind, (), (), unknown, shipment)
    serials = [u.serial for u in candidates]
    already = store.scanned(shipment_id, serials)
    fresh = [u for u in candidates if u.serial not in already]
    others = store.drafts_holding(
        [u.serial for u in fresh if u.status == "registered"], besides=shipment_id
    )
    refused: list[Refused] = []
    wanted: list[Scan] = []
    for unit in fresh:
        view = ScannedUnit(unit.serial, unit.model_code, unit.status, unit.shipment_id)
        refusal = check_unit(view, other_draft=others.get(unit.serial))
        if refusal is not None:
            refused.append(refusal)
        else:
            wanted.append(Scan(unit.serial, unit.model_code, change.at, change.actor, carton))
    if shipment.total + len(wanted) > MAX_UNITS:
        raise Conflict("shipment_full", limit=MAX_UNITS)
    added, raced = store.add_scans(shipment_id, wanted) if wanted else ([], [])
    if added:  # the counts the scans' transaction wrote (no second read)
        counts = dict(shipment.counts)
        for model_code, count in counts_by_model(added).items():
            counts[model_code] = counts.get(model_code, 0) + count
        shipment = replace(shipment, counts=dict(sorted(counts.items())), updated_at=change.at)
    duplicates = tuple(sorted(already)) + tuple(raced)
    return ScanResult(  # a carton's code as the carton knows it (an SSCC without its AI)
        carton or code, kind, tuple(s.serial for s in added), duplicates, tuple(refused), shipment
    )


def remove_scan(shipment_id: str, serial: str, change: Change, *, store: Store) -> Shipment:
    """Take a scanned serial out of the draft (``scan_not_found`` when it is not in it)."""
    shipment = get(shipment_id, store=store)
    require_draft(shipment)
    if not store.remove_scan(shipment_id, serial.strip().upper(), at=change.at):
        raise NotFound("scan_not_found")
    return get(shipment_id, store=store)


# -- confirmation --------------------------------------------------------------------------------


def _continue_from(shipment: Shipment, outcome: OutcomeLike, last: str) -> Shipment:
    refused = tuple(
        refused_at_confirmation(d.serial, d.status, d.shipment_id) for d in outcome.declined
    )
    progress = shipment.progress
    return shipment.with_progress(
        Progress(
            cursor=last,
            shipped=progress.shipped + len(outcome.done),
            refused=progress.refused + refused,
            chunks=progress.chunks + 1,
        )
    )


def _started(shipment: Shipment, change: Change, store: Store, dealers: Dealers) -> Shipment:
    if shipment.status is ShipmentStatus.CANCELLED:
        raise Conflict("shipment_cancelled")
    if shipment.status is ShipmentStatus.DRAFT:
        _active_dealer(dealers.get(shipment.details.dealer_id))
        if shipment.total == 0:
            raise Invalid("shipment_empty")
        return store.start_confirming(shipment.shipment_id, by=change.actor, at=change.at)
    return shipment


def confirm(
    shipment_id: str,
    change: Change,
    *,
    store: Store,
    units: Units,
    dealers: Dealers,
    trail: Trail,
    time_left: Callable[[], bool] = lambda: True,
) -> ConfirmReport:
    """Ship the draft's units, 99 a transaction with the shipment's progress: a unit activated,
    shipped elsewhere or voided meanwhile is set aside with its reason and the rest committed.
    Resumable: a run cut short (``time_left`` false after a chunk, a crash) leaves the shipment
    ``confirming`` at its last committed chunk and the next run continues from there; a run
    racing another continues after whichever chunk won. Audited once (``shipment_confirmed``)."""
    shipment = _started(get(shipment_id, store=store), change, store, dealers)
    chunks = 0
    while shipment.status is ShipmentStatus.CONFIRMING:
        scans = store.scans_after(shipment_id, shipment.progress.cursor, CHUNK)
        if not scans:
            try:
                shipment = store.finish_confirming(shipment_id, at=change.at)
            except Conflict:
                shipment = get(shipment_id, store=store)  # a racing run finished it (audited)
                break
            trail.record(
                _audit(
                    change,
                    "shipment_confirmed",
                    shipment,
                    shipped=shipment.progress.shipped,
                    refused=len(shipment.progress.refused),
                )
            )
            break
        last = scans[-1].serial
        try:
            outcome = units.ship(
                shipment_id,
                [s.serial for s in scans],
                dealer_id=shipment.details.dealer_id,
                shipped_on=shipment.details.ship_date,
                by=shipment.confirmed_by or change.actor,
                at=change.at,
                progress=store.progress_part(shipment, last, at=change.at),
            )
        except Conflict as exc:
            if exc.code != "shipment_changed":
                raise
            shipment = get(shipment_id, store=store)  # another run moved on: continue after it
            continue
        shipment = _continue_from(shipment, outcome, last)
        chunks += 1
        if not time_left():
            return ConfirmReport(shipment, finished=False, chunks=chunks)
    return ConfirmReport(
        shipment, finished=shipment.status is ShipmentStatus.CONFIRMED, chunks=chunks
    )


# -- cancellation and returns --------------------------------------------------------------------


def _unship_all(
    shipment: Shipment,
    serials: Sequence[str],
    event: str,
    change: Change,
    store: Store,
    units: Units,
) -> tuple[list[str], list[Any]]:
    done: list[str] = []
    declined: list[Any] = []
    for start in range(0, len(serials), CHUNK):
        outcome = units.unship(
            shipment.shipment_id,
            serials[start : start + CHUNK],
            event=event,
            by=change.actor,
            at=change.at,
            progress=store.unship_part(shipment.shipment_id, status=shipment.status, at=change.at),
        )
        done.extend(outcome.done)
        declined.extend(outcome.declined)
    return done, declined


def cancel(
    shipment_id: str, change: Change, *, store: Store, units: Units, trail: Trail
) -> CancelReport:
    """Cancel a shipment: a draft simply; a confirmed (or confirming) one brings its units not
    yet activated back to ``registered`` (chunks conditional on the shipment), activated ones
    listed as kept. Cancelling again finishes a cancellation cut short. Audited."""
    shipment = get(shipment_id, store=store)
    if shipment.status is not ShipmentStatus.CANCELLED:
        shipment = store.mark_cancelled(shipment_id, by=change.actor, at=change.at)
    held = list(units.shipment_units(shipment_id))
    kept = sorted(u.serial for u in held if u.status != "shipped")
    shipped = [u.serial for u in held if u.status == "shipped"]
    done, declined = _unship_all(shipment, shipped, "unshipped", change, store, units)
    kept = sorted({*kept, *(d.serial for d in declined), *shipment.kept})
    store.set_kept(shipment_id, kept)
    shipment = replace(shipment, kept=tuple(kept))
    trail.record(
        _audit(change, "shipment_cancelled", shipment, unshipped=len(done), kept=len(kept))
    )
    return CancelReport(shipment, len(done), tuple(kept))


def return_units(
    shipment_id: str,
    raw_serials: Sequence[str],
    change: Change,
    *,
    store: Store,
    units: Units,
    trail: Trail,
) -> ReturnReport:
    """Units of a confirmed shipment scanned back: each one shipped by it and not activated goes
    back to ``registered`` (``returned`` in its history); the others are refused with their
    reason. Audited (``shipment_units_returned``)."""
    shipment = get(shipment_id, store=store)
    if shipment.status is not ShipmentStatus.CONFIRMED:
        raise Conflict("shipment_not_confirmed", status=shipment.status.value)
    serials = list(dict.fromkeys(s.strip().upper() for s in raw_serials if s.strip()))
    if not serials or len(serials) > RETURN_MAX:
        raise Invalid("return_serials_count", limit=RETURN_MAX)
    done, declined = _unship_all(shipment, serials, "returned", change, store, units)
    store.mark_returned(shipment_id, done, at=change.at)
    refused = tuple(
        Refused(
            d.serial,
            Refusal.ACTIVATED.value if d.status == "activated" else "unit_not_in_shipment",
        )
        for d in declined
    )
    shipment = get(shipment_id, store=store)
    trail.record(
        _audit(
            change, "shipment_units_returned", shipment, returned=len(done), refused=len(refused)
        )
    )
    return ReturnReport(shipment, tuple(done), refused)
