"""Maintenance tickets in DynamoDB. Each write is one transaction: the ticket's conditional put
(new, or on the version it was read at), its history item, and the unit's plan line when the
ticket moves it (booked with the ticket; the next occurrence when done; open again when
cancelled), conditional on the line's version. A retried write finds its work done and writes
nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.maintenance.line_repository import line_record
from chalicelib.maintenance.lines import DESK_BOOKING_DAYS, Booking, DayPart, PlanLine
from chalicelib.maintenance.parts import Movement
from chalicelib.maintenance.plan_repository import component_map, plan_component
from chalicelib.maintenance.receivable_repository import receivable_record
from chalicelib.maintenance.receivables import Receivable
from chalicelib.maintenance.reports import done_within
from chalicelib.maintenance.stock_repository import stock_writes
from chalicelib.maintenance.stock_tables import ReceivableRecord
from chalicelib.maintenance.tables import (
    CheckMap,
    MaintenanceLineRecord,
    MaintenanceTicketRecord,
    PartUseMap,
    PaymentMap,
    TicketHistoryRecord,
)
from chalicelib.maintenance.tickets import (
    Change,
    Check,
    Customer,
    PartUse,
    Payment,
    PaymentMethod,
    Source,
    Ticket,
    TicketStatus,
)
from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction

LineMove = tuple[PlanLine, PlanLine]  # the line as read, the line after
LATE_DONE_DAYS = 62


def _record(ticket: Ticket, at: datetime) -> MaintenanceTicketRecord:
    slot, customer, payment = ticket.slot, ticket.customer, ticket.payment
    return MaintenanceTicketRecord(
        ticket.ticket_id,
        serial=ticket.serial,
        model_code=ticket.model_code,
        component=component_map(ticket.component),
        occurrence=ticket.occurrence,
        source=ticket.source.value,
        customer_name=customer.name,
        customer_phone=customer.phone,
        province=customer.province,
        address=customer.address,
        slot_day=slot.day.isoformat(),
        slot_part=slot.part.value,
        slot_note=slot.note,
        slot_key=f"{slot.day.isoformat()}#{ticket.ticket_id}",
        status=ticket.status.value,
        checklist=[CheckMap(text=c.text, done=c.done) for c in ticket.checklist],
        assignee_key=ticket.assignee_key,
        assignee_name=ticket.assignee_name,
        notes=ticket.notes,
        labour_vnd=ticket.labour_vnd,
        payment=PaymentMap(
            amount_vnd=payment.amount_vnd,
            method=payment.method.value,
            collected_by=payment.collected_by,
        )
        if payment
        else None,
        confirmed_by=ticket.confirmed_by,
        done_on=ticket.done_on.isoformat() if ticket.done_on else None,
        cancel_reason=ticket.cancel_reason,
        parts=[
            PartUseMap(
                code=u.code,
                name=u.name,
                unit=u.unit,
                qty=u.qty,
                price_vnd=u.price_vnd,
                cost_vnd=u.cost_vnd,
                location_id=u.location_id,
            )
            for u in ticket.parts
        ],
        photos=list(ticket.photos),
        claim_id=ticket.claim_id,
        created_at=ticket.created_at,
        created_by=ticket.created_by,
        updated_at=at,
        version=ticket.version,
    )


def ticket_of(record: MaintenanceTicketRecord) -> Ticket:
    payment = record.payment
    return Ticket(
        ticket_id=record.ticket_id,
        serial=record.serial,
        model_code=record.model_code,
        component=plan_component(record.component),
        occurrence=int(record.occurrence),
        source=Source(record.source),
        customer=Customer(
            record.customer_name, record.customer_phone, record.province, record.address
        ),
        slot=Booking(
            date.fromisoformat(record.slot_day), DayPart(record.slot_part), record.slot_note
        ),
        status=TicketStatus(record.status),
        created_at=record.created_at,
        created_by=record.created_by,
        checklist=tuple(Check(c.text, bool(c.done)) for c in record.checklist or []),
        assignee_key=record.assignee_key,
        assignee_name=record.assignee_name,
        notes=record.notes,
        labour_vnd=int(record.labour_vnd),
        payment=Payment(
            int(payment.amount_vnd), PaymentMethod(payment.method), payment.collected_by
        )
        if payment
        else None,
        confirmed_by=record.confirmed_by,
        done_on=date.fromisoformat(record.done_on) if record.done_on else None,
        cancel_reason=record.cancel_reason,
        parts=tuple(
            PartUse(
                u.code, u.name, u.unit, int(u.qty), int(u.price_vnd), int(u.cost_vnd), u.location_id
            )
            for u in record.parts or []
        ),
        photos=tuple(str(key) for key in record.photos or ()),
        claim_id=record.claim_id,
        version=int(record.version),
    )


def _change_record(change: Change) -> TicketHistoryRecord:
    return TicketHistoryRecord(
        change.ticket_id,
        change.seq,
        at=change.at,
        by=change.by,
        action=change.action,
        status_from=change.status_from.value if change.status_from else None,
        status_to=change.status_to.value,
        note=change.note,
    )


def _change_of(record: TicketHistoryRecord) -> Change:
    return Change(
        record.ticket_id,
        int(record.seq),
        record.at,
        record.by,
        record.action,
        TicketStatus(record.status_from) if record.status_from else None,
        TicketStatus(record.status_to),
        record.note,
    )


class TicketRepository:
    def __init__(self, connection: Connection | None = None) -> None:
        self._connection = connection or Connection()

    def get(self, ticket_id: str) -> Ticket | None:
        try:
            return ticket_of(MaintenanceTicketRecord.get(ticket_id))
        except DoesNotExist:
            return None

    def history(self, ticket_id: str) -> list[Change]:
        return [_change_of(r) for r in TicketHistoryRecord.query(ticket_id)]

    def create(self, ticket: Ticket, change: Change, *, line: LineMove, at: datetime) -> None:
        """The new ticket with its first history item and its line booked, all or nothing
        (``maintenance_changed`` 409 when the line moved since it was read)."""
        self._write(
            ticket,
            change,
            condition=MaintenanceTicketRecord.ticket_id.does_not_exist(),
            line=line,
            at=at,
        )

    def save(
        self,
        ticket: Ticket,
        change: Change,
        *,
        before: Ticket,
        line: LineMove | None = None,
        movement: Movement | None = None,
        receivable: Receivable | None = None,
        at: datetime,
    ) -> None:
        """``before`` becomes ``ticket`` (409 ``maintenance_ticket_changed`` when someone saved
        it since it was read), with its history item, the line's move and a part's stock
        movement if any (409 ``stock_not_enough`` when its place has less)."""
        self._write(
            ticket,
            change,
            condition=MaintenanceTicketRecord.version == before.version,
            line=line,
            movement=movement,
            receivable=receivable,
            at=at,
        )

    def _write(
        self, ticket: Ticket, change: Change, *, condition: Condition, line: LineMove | None,
        at: datetime, movement: Movement | None = None, receivable: Receivable | None = None,
    ) -> None:  # fmt: skip
        def build(tx: TransactWrite) -> None:
            tx.save(_record(ticket, at), condition=condition)
            tx.save(
                _change_record(change),
                condition=TicketHistoryRecord.ticket_id.does_not_exist(),
            )
            if line is not None:
                read, after = line
                tx.save(
                    line_record(after, at),
                    condition=MaintenanceLineRecord.version == read.version,
                )
            if movement is not None:
                stock_writes(tx, movement, at)
            if receivable is not None:  # the done visit's: once (the ticket's version guards it)
                tx.save(
                    receivable_record(receivable, by=change.by, at=at),
                    condition=ReceivableRecord.ticket_id.does_not_exist(),
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            codes = [r.code if r is not None else None for r in reasons]
            if codes and codes[0] == ITEM_CONDITION_FAILED:
                raise Conflict("maintenance_ticket_changed") from exc
            # the puts come first (the ticket, its history item, the line), then the updates (a
            # part's stock)
            if line is not None and len(codes) > 2 and codes[2] == ITEM_CONDITION_FAILED:
                raise Conflict("maintenance_changed") from exc
            if movement is not None and ITEM_CONDITION_FAILED in codes:
                raise Conflict("stock_not_enough") from exc
            raise

    def by_status(
        self, status: TicketStatus, *, day_from: date | None, day_until: date | None, limit: int
    ) -> list[Ticket]:
        """A status's tickets by slot day: the open ones the soonest first, the closed ones the
        latest first (the board's ``limit`` keeps what matters now)."""
        newest_first = status in (TicketStatus.DONE, TicketStatus.CANCELLED)
        return self._slots(MaintenanceTicketRecord.status_index, status.value, day_from,
                           day_until, limit, newest_first=newest_first)  # fmt: skip

    def of_assignee(
        self, key: str, *, day_from: date | None, day_until: date | None, limit: int
    ) -> list[Ticket]:
        return self._slots(MaintenanceTicketRecord.assignee_index, key, day_from, day_until,
                           limit)  # fmt: skip

    def done_between(self, first: date, last: date) -> list[Ticket]:
        """The tickets done from ``first`` to ``last``: the done ones whose slot falls in the
        span, up to two months before it (a visit completed late) or up to the desk's booking
        range after it (a visit done before its slot), every page."""
        low = (first - timedelta(days=LATE_DONE_DAYS)).isoformat()
        high = (last + timedelta(days=DESK_BOOKING_DAYS)).isoformat() + "#\uffff"
        records = MaintenanceTicketRecord.status_index.query(
            TicketStatus.DONE.value, MaintenanceTicketRecord.slot_key.between(low, high)
        )
        return done_within((ticket_of(r) for r in records), first, last)

    def of_serial(self, serial: str) -> Iterator[Ticket]:
        for record in MaintenanceTicketRecord.serial_index.query(serial):
            yield ticket_of(record)

    @staticmethod
    def _slots(
        index: object, key: str, day_from: date | None, day_until: date | None, limit: int,
        *, newest_first: bool = False,
    ) -> list[Ticket]:  # fmt: skip
        low = day_from.isoformat() if day_from else "0"
        high = (day_until.isoformat() if day_until else "9999-12-31") + "#\uffff"
        records = index.query(  # type: ignore[attr-defined]
            key,
            MaintenanceTicketRecord.slot_key.between(low, high),
            limit=limit,
            scan_index_forward=not newest_first,
        )
        return [ticket_of(r) for r in records]
