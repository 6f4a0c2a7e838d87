"""Maintenance's part of a person's data (``core.personal_data``): the visits to their units
(tickets), the notes they left when booking, and the receivables of their paid visits.

A ticket keeps the work (unit, component, slot, checklist, parts, labour, payment, photos of the
unit) and loses the person: name, phone, address, and their name and phone in its notes; one
transaction like every other (conditional on the version read, with the history item
``erased``). A receivable keeps its money and loses the name: the one change a closed month
allows, as it moves no amount."""

from __future__ import annotations

import json
from datetime import datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.personal_data import ERASED_BY, DataSubject, Found, scrub
from chalicelib.maintenance.stock_tables import ReceivableRecord
from chalicelib.maintenance.tables import (
    MaintenanceLineRecord,
    MaintenanceTicketRecord,
    TicketHistoryRecord,
)
from chalicelib.platform.dynamodb import is_condition_failure, write_transaction

ERASED_ACTION = "erased"
ATTEMPTS = 3


class MaintenanceData:
    section = "maintenance"

    def __init__(self) -> None:
        self._connection = Connection(region=MaintenanceTicketRecord.Meta.region)

    def _tickets(self, subject: DataSubject) -> list[MaintenanceTicketRecord]:
        return [
            t
            for serial in subject.serials
            for t in MaintenanceTicketRecord.serial_index.query(serial)
            if t.customer_phone == subject.phone
        ]

    def collect(self, subject: DataSubject) -> Found:
        tickets = self._tickets(subject)
        items = [
            {
                "ticket_id": t.ticket_id,
                "serial": t.serial,
                "component": t.component.code,
                "slot_day": t.slot_day,
                "status": t.status,
                "customer_name": t.customer_name,
                "customer_phone": t.customer_phone,
                "address": t.address or "",
                "province": t.province or "",
                "done_on": t.done_on or "",
                "amount_vnd": int(t.payment.amount_vnd) if t.payment else 0,
            }
            for t in tickets
        ]
        for serial in subject.serials:
            for line in MaintenanceLineRecord.query(serial):
                # a note is the booker's; only one that names the person is theirs to see
                if line.booking_note and scrub(line.booking_note, subject) != line.booking_note:
                    items.append({"serial": serial, "component": line.component,
                                  "booking_note": line.booking_note})  # fmt: skip
        return Found(items, names=frozenset(t.customer_name for t in tickets if t.customer_name))

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for ticket in self._tickets(subject):
            for _ in range(ATTEMPTS):
                if self._erase_ticket(ticket.ticket_id, subject, at):
                    changed += 1
                    break
        for serial in subject.serials:
            for line in MaintenanceLineRecord.query(serial):
                note = scrub(line.booking_note or "", subject)
                if not line.booking_note or note == line.booking_note:
                    continue
                try:  # like every change of a line: over the version read
                    line.update(
                        actions=[
                            MaintenanceLineRecord.booking_note.set(note),
                            MaintenanceLineRecord.version.set(int(line.version or 1) + 1),
                        ],
                        condition=MaintenanceLineRecord.version == line.version,
                    )
                except UpdateError as exc:
                    if not is_condition_failure(exc):
                        raise
                    continue  # moved meanwhile: the erasure's check reads it again
                changed += 1
        return changed

    def _erase_ticket(self, ticket_id: str, subject: DataSubject, at: datetime) -> bool:
        record = MaintenanceTicketRecord.get(ticket_id, consistent_read=True)
        if record.customer_phone != subject.phone:
            return True  # erased already
        version = int(record.version) + 1
        entry = TicketHistoryRecord(
            ticket_id,
            version,
            at=at,
            by=ERASED_BY,
            action=ERASED_ACTION,
            status_from=record.status,
            status_to=record.status,
            note="",
        )

        def build(tx: TransactWrite) -> None:
            tx.update(
                MaintenanceTicketRecord(ticket_id),
                actions=[
                    MaintenanceTicketRecord.customer_name.set(""),
                    MaintenanceTicketRecord.customer_phone.set(""),
                    MaintenanceTicketRecord.address.set(""),
                    MaintenanceTicketRecord.notes.set(scrub(record.notes or "", subject)),
                    MaintenanceTicketRecord.slot_note.set(scrub(record.slot_note or "", subject)),
                    MaintenanceTicketRecord.cancel_reason.set(
                        scrub(record.cancel_reason or "", subject)
                    ),
                    MaintenanceTicketRecord.confirmed_by.set(
                        scrub(record.confirmed_by or "", subject)
                    ),
                    MaintenanceTicketRecord.version.set(version),
                    MaintenanceTicketRecord.updated_at.set(at),
                ],
                condition=MaintenanceTicketRecord.version == record.version,
            )
            tx.save(entry, condition=TicketHistoryRecord.seq.does_not_exist())

        # the history and the receivable first: once the ticket has lost the phone, a run
        # stopped here could no longer find them
        for item in TicketHistoryRecord.query(ticket_id, TicketHistoryRecord.seq < version):
            note = scrub(item.note or "", subject)
            if note != (item.note or ""):
                item.update(actions=[TicketHistoryRecord.note.set(note)])
        if record.done_on:
            self._erase_receivable(record.done_on[:7], ticket_id)
        try:
            write_transaction(self._connection, build)
        except TransactWriteError:
            return False
        return True

    @staticmethod
    def _erase_receivable(month: str, ticket_id: str) -> None:
        try:
            ReceivableRecord(month, ticket_id).update(
                # a new version: a step read before cannot put the name back
                actions=[ReceivableRecord.customer_name.set(""), ReceivableRecord.version.add(1)],
                condition=ReceivableRecord.ticket_id.exists(),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise  # else no receivable: an unpaid visit


class VisitRetention:
    """Visits done or cancelled before the retention period lose their customer (name, phone,
    address, their mentions in notes); the work and the money stay. The watermark is the last
    ``slot_key`` done per status, as JSON."""

    kind = "visits"
    STATUSES = ("done", "cancelled")

    def __init__(self) -> None:
        self._data = MaintenanceData()

    def expire(self, before: datetime, *, after: str, at: datetime, limit: int) -> tuple[int, str]:
        marks: dict[str, str] = json.loads(after) if after else {}
        changed = 0
        for status in self.STATUSES:
            start = marks.get(status, "")
            end = before.date().isoformat()
            if start and start + "~" > end:
                continue  # a longer period now: nothing new is old enough yet
            condition = (
                MaintenanceTicketRecord.slot_key.between(start + "~", end)
                if start
                else MaintenanceTicketRecord.slot_key < end
            )
            query = MaintenanceTicketRecord.status_index.query(status, condition, limit=limit)
            for record in query:
                if record.customer_phone:
                    subject = DataSubject(
                        phone=record.customer_phone,
                        key="",
                        names=frozenset({record.customer_name} - {""}),
                    )
                    if not self._data._erase_ticket(record.ticket_id, subject, at):
                        break  # moved meanwhile: the next run starts with it
                    changed += 1
                marks[status] = record.slot_key
        return changed, json.dumps(marks, sort_keys=True)
