"""Units: registration in conditional batches, activation in one transaction, owner lookup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pynamodb.attributes import UTCDateTimeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog.model import (
    ACTIVATABLE,
    Activation,
    AddResult,
    HistoryEvent,
    Installer,
    NewUnit,
    Owner,
    Unit,
    UnitFilter,
    UnitPage,
    UnitStatus,
)
from chalicelib.catalog.tables import (
    ConsentEntry,
    CustomerRecord,
    HistoryEntry,
    InstallerMap,
    ProductModelRecord,
    UnitRecord,
)
from chalicelib.core.errors import Conflict, Forbidden, GarantiError, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.core.text import fold_name
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

BATCH_GET_LIMIT = 100
READ_BUDGET = 500  # index items one units-list request reads at most (≈ 2 read units a 100)
EXPORT_PAGE = 1000  # index items an export reads a query page
UNITS_PER_TRANSACTION = 99  # + 1 model counter update = DynamoDB's 100-action limit


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_domain(record: UnitRecord) -> Unit:
    activation = None
    if record.activated_at is not None and record.warranty_start and record.warranty_end:
        activation = Activation(
            activated_at=record.activated_at,
            warranty_start=date.fromisoformat(record.warranty_start),
            warranty_end=date.fromisoformat(record.warranty_end),
            warranty_reason=record.warranty_reason or "",
            channel=record.channel or "",
            language=record.language or "vi",
            idempotency_key=record.idempotency_key or "",
            request_digest=record.request_digest or "",
            owner=Owner(
                name=record.owner_name or "",
                phone=record.owner_phone or "",
                province=record.owner_province or "",
                address=record.owner_address or "",
            ),
            installer=_installer(record.installer),
        )
    return Unit(
        serial=record.serial,
        model_code=record.model_code,
        status=UnitStatus(record.status),
        batch=record.batch or "",
        manufactured_on=_day(record.manufactured_on),
        shipped_on=_day(record.shipped_on),
        created_at=record.created_at,
        activation=activation,
        history=tuple(
            HistoryEvent(at=h.at, event=h.event, by=h.by, note=h.note or "")
            for h in record.history or []
        ),
        dealer_id=record.dealer_id or "",
        shipment_id=record.shipment_id or "",
        carton=record.carton or "",
        replaces=record.replaces or "",
        replaced_by=record.replaced_by or "",
        replaced_on=_day(record.replaced_on),
    )


def _installer(entry: InstallerMap | None) -> Installer | None:
    if entry is None:
        return None
    return Installer(
        name=entry.name,
        phone=entry.phone,
        installed_on=date.fromisoformat(entry.installed_on),
        partner_id=entry.partner_id or "",
        store=entry.store or "",
        notes=entry.notes or "",
    )


def _installer_map(installer: Installer) -> InstallerMap:
    return InstallerMap(
        name=installer.name,
        phone=installer.phone,
        installed_on=installer.installed_on.isoformat(),
        partner_id=installer.partner_id,
        store=installer.store,
        notes=installer.notes,
    )


class UnitRepository:
    def __init__(self, brand_id: str | None = None) -> None:
        self._connection = Connection(region=UnitRecord.Meta.region)
        # the brand of the units list's indexes and of the customer search's index
        self._brand_id = brand_id or get_settings().brand_id

    def get(self, serial: str) -> Unit:
        try:
            return to_domain(UnitRecord.get(serial))
        except DoesNotExist as exc:
            raise NotFound("unit_not_found") from exc

    def find(self, serial: str) -> Unit | None:
        try:
            return self.get(serial)
        except NotFound:
            return None

    def find_many(self, serials: Iterable[str]) -> dict[str, Unit]:
        """The units of ``serials`` that exist, by serial (BatchGetItem, 100 keys a call)."""
        return {r.serial: to_domain(r) for r in UnitRecord.batch_get(sorted(set(serials)))}

    def existing_serials(self, serials: Iterable[str]) -> set[str]:
        """Which of ``serials`` are already registered (BatchGetItem, keys only)."""
        wanted = list(dict.fromkeys(serials))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            chunk = wanted[start : start + BATCH_GET_LIMIT]
            for record in UnitRecord.batch_get(chunk, attributes_to_get=["serial"]):
                found.add(record.serial)
        return found

    def add(
        self,
        units: Sequence[NewUnit],
        *,
        event: str,
        by: str,
        note: str = "",
        at: datetime | None = None,
    ) -> AddResult:
        """Register new units; never overwrites. Each chunk of one model is one transaction
        (99 conditional puts + the model's ``unit_count``), so a row is written whole or not
        at all, a serial that appeared meanwhile is rejected, and a model deleted meanwhile
        rejects its rows. ``note`` goes into the history entry (an import job's id, so its
        retried chunk can tell its own rows from another's: :meth:`imported_by`). ``at``: when
        they were registered (now, unless the demo registers them on their day of manufacture)."""
        added: list[str] = []
        rejected: dict[str, str] = {}
        now = at or datetime.now(UTC)
        by_model: dict[str, list[NewUnit]] = {}
        for unit in units:
            by_model.setdefault(unit.model_code, []).append(unit)
        for model_code, model_units in by_model.items():
            for start in range(0, len(model_units), UNITS_PER_TRANSACTION):
                pending = model_units[start : start + UNITS_PER_TRANSACTION]
                while pending:
                    failed = self._add_chunk(model_code, pending, now, (event, by, note))
                    if failed is None:
                        added.extend(u.serial for u in pending)
                        break
                    rejected.update(failed)
                    pending = [u for u in pending if u.serial not in failed]
        return AddResult(added=added, rejected=rejected)

    def _add_chunk(
        self,
        model_code: str,
        units: Sequence[NewUnit],
        now: datetime,
        entry: tuple[str, str, str],
    ) -> dict[str, str] | None:
        event, by, note = entry
        history = [HistoryEntry(at=now, event=event, by=by, note=note)]

        def build(tx: TransactWrite) -> None:
            for unit in units:
                record = UnitRecord(
                    unit.serial,
                    brand_id=self._brand_id,
                    model_code=unit.model_code,
                    status=UnitStatus.REGISTERED.value,
                    batch=unit.batch,
                    batch_key=unit.batch or None,
                    manufactured_on=unit.manufactured_on.isoformat()
                    if unit.manufactured_on
                    else None,
                    created_at=now,
                    history=history,
                    carton=unit.carton or None,
                )
                tx.save(record, condition=UnitRecord.serial.does_not_exist())
            tx.update(
                ProductModelRecord(model_code),
                actions=[ProductModelRecord.unit_count.add(len(units))],
                condition=ProductModelRecord.code.exists(),
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons
            if not reasons or not any(r and r.code == ITEM_CONDITION_FAILED for r in reasons):
                raise
            model_reason = reasons[-1]
            if model_reason is not None and model_reason.code == ITEM_CONDITION_FAILED:
                return {u.serial: "model_not_found" for u in units}
            return {
                unit.serial: "serial_exists"
                for unit, reason in zip(units, reasons, strict=False)
                if reason is not None and reason.code == ITEM_CONDITION_FAILED
            }
        return None

    def imported_by(self, serials: Iterable[str], note: str) -> set[str]:
        """Which of ``serials`` were registered with ``note`` (an import job's id) in their
        first history entry: rows an earlier, interrupted run of that job already wrote."""
        wanted = list(dict.fromkeys(serials))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            chunk = wanted[start : start + BATCH_GET_LIMIT]
            for record in UnitRecord.batch_get(chunk, attributes_to_get=["serial", "history"]):
                history = record.history or []
                if history and history[0].note == note:
                    found.add(record.serial)
        return found

    def activate(
        self,
        serial: str,
        activation: Activation,
        *,
        owner_key: str,
        consents: Sequence[ConsentGrant],
        shipped_to: str | None = None,
    ) -> None:
        """Commit an activation once: the unit moves to ``activated`` only from an activatable
        status, and the customer's name and consents are recorded in the same transaction.
        Raises ``Conflict("already_activated", activated_at=…)`` when another activation won.
        ``shipped_to``: a dealer's activation, written only while the unit is shipped to that
        dealer (``Forbidden("unit_not_shipped_to_dealer")`` once it was returned meanwhile)."""
        unit_actions = _activation_actions(activation, owner_key)
        consent_actions = customer_actions(
            activation.owner,
            consents,
            at=activation.activated_at,
            channel=activation.channel,
            evidence=f"activation:{serial}",
            brand_id=self._brand_id,
        )
        activatable = [status.value for status in ACTIVATABLE]
        condition = UnitRecord.serial.exists() & UnitRecord.status.is_in(*activatable)
        if shipped_to is not None:
            condition &= UnitRecord.dealer_id == shipped_to

        def build(tx: TransactWrite) -> None:
            tx.update(
                UnitRecord(serial),
                actions=unit_actions,
                condition=condition,
                return_values="ALL_OLD",
            )
            tx.update(CustomerRecord(owner_key), actions=consent_actions)

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons
            unit_reason = reasons[0] if reasons else None
            if unit_reason is None or unit_reason.code != ITEM_CONDITION_FAILED:
                raise
            raise _activation_refused(unit_reason.raw_item or {}, shipped_to) from exc

    def replace(
        self, old_serial: str, new_serial: str, activation: Activation, *, owner_key: str, by: str
    ) -> None:
        """One transaction: ``old_serial`` voided naming its replacement, ``new_serial``
        (registered or shipped, never activated) activated for the same owner from the
        replacement day and naming the unit it replaces. ``Conflict("unit_void")`` when the old
        unit is void already, ``Conflict("replacement_unit_unavailable")`` when the new one is
        activated or void (another replacement or an activation won)."""
        at = activation.activated_at
        day = activation.warranty_start.isoformat()
        activatable = [status.value for status in ACTIVATABLE]

        def build(tx: TransactWrite) -> None:
            tx.update(
                UnitRecord(old_serial),
                actions=[
                    UnitRecord.status.set(UnitStatus.VOID.value),
                    UnitRecord.replaced_by.set(new_serial),
                    UnitRecord.replaced_on.set(day),
                    UnitRecord.awaiting_dealer.remove(),
                    UnitRecord.history.set(
                        UnitRecord.history.append(
                            [HistoryEntry(at=at, event="replaced", by=by, note=new_serial)]
                        )
                    ),
                ],
                condition=UnitRecord.serial.exists() & (UnitRecord.status != UnitStatus.VOID.value),
            )
            tx.update(
                UnitRecord(new_serial),
                actions=[
                    *_activation_actions(activation, owner_key),
                    UnitRecord.replaces.set(old_serial),
                    UnitRecord.replaced_on.set(day),
                ],
                condition=UnitRecord.serial.exists() & UnitRecord.status.is_in(*activatable),
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            failed = [r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons]
            if failed[:1] == [True]:
                raise Conflict("unit_void") from exc
            if failed[1:2] == [True]:
                raise Conflict("replacement_unit_unavailable") from exc
            raise

    def flag_disputed(self, serial: str, activated_at: datetime, *, at: datetime) -> bool:
        """Record once that the activation of ``activated_at`` was disowned by the recipient of
        its confirmation: ``disputed_at`` and a ``disputed`` history event. ``False`` (nothing
        written) when it was flagged before or the unit's activation is another one now."""
        try:
            UnitRecord(serial).update(
                actions=[
                    UnitRecord.disputed_at.set(at),
                    UnitRecord.history.set(
                        UnitRecord.history.append(
                            [HistoryEntry(at=at, event="disputed", by="customer", note="not_me")]
                        )
                    ),
                ],
                condition=(UnitRecord.activated_at == activated_at)
                & UnitRecord.disputed_at.does_not_exist(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def batch_exists(self, batch: str) -> bool:
        """Whether any unit carries this batch code (one key-only read of ``batch_index``)."""
        return any(True for _ in UnitRecord.batch_index.query(batch, limit=1))

    def count_in_batch(self, batch: str) -> int:
        """How many units carry this batch code (``Select=COUNT``: no keys come back)."""
        return int(UnitRecord.batch_index.count(batch))

    def serials_in_batch(self, batch: str, after: str | None = None) -> Iterator[str]:
        """A batch's serials in serial order (after ``after``, when given), page by page (keys
        only: ~30,000 a 1 MB page)."""
        condition = UnitRecord.serial > after if after is not None else None
        for record in UnitRecord.batch_index.query(batch, range_key_condition=condition):
            yield record.serial

    def list_by_owner(self, owner_key: str) -> list[Unit]:
        """The units activated with this owner's phone (one query on ``owner_index``)."""
        return [to_domain(r) for r in UnitRecord.owner_index.query(owner_key)]

    def search(
        self,
        wanted: UnitFilter,
        *,
        limit: int,
        position: dict[str, Any] | None = None,
        budget: int = READ_BUDGET,
    ) -> UnitPage:
        """Up to ``limit`` units matching ``wanted``, in the chosen index's order, reading at
        most ``budget`` index items (a query with ``Limit``, never a scan): the page may end
        before ``limit`` with a position to go on from. ``position`` is a page's own."""
        if wanted.serial is not None:
            found = self.find(wanted.serial)
            exact = [found] if found is not None and wanted.matches(found) else []
            return UnitPage(units=exact, position=None, read=1)
        if wanted.batch is not None:
            return self._search_batch(wanted, limit=limit, position=position, budget=budget)
        result = self._query(wanted, position=position, page_size=budget, limit=budget)
        units: list[Unit] = []
        read = 0
        for record in result:
            read += 1
            unit = to_domain(record)
            if wanted.matches(unit):
                units.append(unit)
                if len(units) == limit:
                    break
        return UnitPage(units=units, position=result.last_evaluated_key, read=read)

    def iterate(self, wanted: UnitFilter) -> Iterator[Unit]:
        """Every unit matching ``wanted``, query page by query page (an export's rows)."""
        position: dict[str, Any] | None = None
        while True:
            page = self.search(wanted, limit=EXPORT_PAGE, position=position, budget=EXPORT_PAGE)
            yield from page.units
            if page.position is None:
                return
            position = page.position

    def _query(
        self, wanted: UnitFilter, *, position: dict[str, Any] | None, page_size: int, limit: int
    ) -> Any:
        """The most selective index for ``wanted``: model, then activation dates, then status,
        else the brand's serial order; a serial prefix is the range condition where the
        index's range key is the serial."""
        prefix = (
            UnitRecord.serial.startswith(wanted.serial_prefix) if wanted.serial_prefix else None
        )
        common: dict[str, Any] = {
            "last_evaluated_key": position,
            "page_size": page_size,
            "limit": limit,
        }
        if wanted.model_code is not None:
            return UnitRecord.model_serial_index.query(
                wanted.model_code, range_key_condition=prefix, **common
            )
        if wanted.by_activation:
            return UnitRecord.activation_index.query(
                self._brand_id, range_key_condition=_activated_between(wanted), **common
            )
        if wanted.status is not None:
            return UnitRecord.status_serial_index.query(
                wanted.status.value, range_key_condition=prefix, **common
            )
        return UnitRecord.brand_serial_index.query(
            self._brand_id, range_key_condition=prefix, **common
        )

    def _search_batch(
        self, wanted: UnitFilter, *, limit: int, position: dict[str, Any] | None, budget: int
    ) -> UnitPage:
        """A batch's units: its serials from ``batch_index`` (keys only, at most ``budget``),
        then the units themselves, 100 a BatchGetItem, in serial order."""
        assert wanted.batch is not None
        prefix = (
            UnitRecord.serial.startswith(wanted.serial_prefix) if wanted.serial_prefix else None
        )
        keys = UnitRecord.batch_index.query(
            wanted.batch,
            range_key_condition=prefix,
            last_evaluated_key=position,
            page_size=budget,
            limit=budget,
        )
        serials = [record.serial for record in keys]
        units: list[Unit] = []
        for start in range(0, len(serials), BATCH_GET_LIMIT):
            chunk = serials[start : start + BATCH_GET_LIMIT]
            by_serial = {r.serial: r for r in UnitRecord.batch_get(chunk)}
            for offset, serial in enumerate(chunk):
                record = by_serial.get(serial)
                unit = to_domain(record) if record is not None else None
                if unit is None or not wanted.matches(unit):
                    continue
                units.append(unit)
                if len(units) == limit:
                    stop = start + offset
                    more = stop + 1 < len(serials) or keys.last_evaluated_key is not None
                    cursor = {"serial": {"S": serial}, "batch_key": {"S": wanted.batch}}
                    return UnitPage(units=units, position=cursor if more else None, read=stop + 1)
        return UnitPage(units=units, position=keys.last_evaluated_key, read=len(serials))


def _activated_between(wanted: UnitFilter) -> Any:
    start, end = wanted.activated_from, wanted.activated_until
    if start is not None and end is not None:
        return UnitRecord.activated_at.between(start, end - _ONE_MICROSECOND)
    if start is not None:
        return UnitRecord.activated_at >= start
    assert end is not None
    return UnitRecord.activated_at < end


_ONE_MICROSECOND = timedelta(microseconds=1)


def _activation_actions(activation: Activation, owner_key: str) -> list[Any]:
    """The unit's update: activated, its warranty window, its owner, the history entry."""
    owner, at = activation.owner, activation.activated_at
    actions: list[Any] = [
        UnitRecord.status.set(UnitStatus.ACTIVATED.value),
        UnitRecord.activated_at.set(at),
        UnitRecord.warranty_start.set(activation.warranty_start.isoformat()),
        UnitRecord.warranty_end.set(activation.warranty_end.isoformat()),
        UnitRecord.warranty_reason.set(activation.warranty_reason),
        UnitRecord.channel.set(activation.channel),
        UnitRecord.language.set(activation.language),
        UnitRecord.owner_key.set(owner_key),
        UnitRecord.owner_name.set(owner.name),
        UnitRecord.owner_phone.set(owner.phone),
        UnitRecord.awaiting_dealer.remove(),  # a shipped unit no longer waits at its dealer
        UnitRecord.history.set(
            UnitRecord.history.append(
                [HistoryEntry(at=at, event="activated", by=_activated_by(activation))]
            )
        ),
    ]
    if owner.province:
        actions.append(UnitRecord.owner_province.set(owner.province))
    if owner.address:
        actions.append(UnitRecord.owner_address.set(owner.address))
    if activation.idempotency_key:
        actions.append(UnitRecord.idempotency_key.set(activation.idempotency_key))
        actions.append(UnitRecord.request_digest.set(activation.request_digest))
    if activation.installer is not None:
        actions.append(UnitRecord.installer.set(_installer_map(activation.installer)))
    return actions


def customer_actions(
    owner: Owner,
    consents: Sequence[ConsentGrant],
    *,
    at: datetime,
    channel: str,
    evidence: str,
    brand_id: str,
) -> list[Any]:
    """The customer's update (an activation's, a transfer's new owner's): the phone, the name
    (and its folded form, the search's key), the brand, and one record per purpose decided;
    ``evidence`` names the act (``activation:<serial>``) unless the grant names its own."""
    actions: list[Any] = [
        CustomerRecord.phone.set(owner.phone),
        # an SMS activation has no name: keep the one a web activation recorded
        CustomerRecord.name.set(owner.name or (CustomerRecord.name | "")),
        CustomerRecord.brand_id.set(brand_id),
        CustomerRecord.updated_at.set(at),
    ]
    if fold_name(owner.name):
        actions.append(CustomerRecord.name_folded.set(fold_name(owner.name)))
    for grant in consents:
        entry = ConsentEntry(
            granted=grant.granted,
            at=at,
            channel=channel,
            notice_version=grant.notice_version,
            evidence=grant.evidence or evidence,
        )
        actions.append(getattr(CustomerRecord, f"consent_{grant.purpose}").set(entry))
    return actions


def _activation_refused(old: dict[str, Any], shipped_to: str | None = None) -> GarantiError:
    """Why the unit's condition failed, from the item as it was (``ALL_OLD``): no such unit,
    already activated (and when, never by whom), not (or no longer) shipped to the activating
    dealer, or in a status that cannot be activated."""
    if not old:
        return NotFound("unit_not_found")
    status = old.get("status", {}).get("S")
    held_by = old.get("dealer_id", {}).get("S")
    if shipped_to is not None and status != UnitStatus.ACTIVATED.value and held_by != shipped_to:
        return Forbidden("unit_not_shipped_to_dealer")
    if status == UnitStatus.ACTIVATED.value:
        stored = old.get("activated_at", {}).get("S")
        when = UTCDateTimeAttribute().deserialize(stored).isoformat() if stored else None
        return Conflict("already_activated", activated_at=when)
    return Conflict("unit_not_activatable", status=status)


def _activated_by(activation: Activation) -> str:
    """The history's actor: ``installer`` for a ``partner`` activation, ``dealer`` for a
    dealer's at its counter, else ``customer``."""
    if activation.channel == "dealer":
        return "dealer"
    return "installer" if activation.installer is not None else "customer"
