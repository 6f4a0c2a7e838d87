"""Receivables in DynamoDB: a month's lines (one query), each change a transaction of the line's
conditional put (on its version) and a check that its month is not closed; the month's close
is one conditional put (never twice). A completed ticket's receivable is put in the ticket's
own transaction (:func:`receivable_record`)."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.maintenance.receivables import Receivable, ReceivableStatus
from chalicelib.maintenance.stock_tables import ReceivableMonthRecord, ReceivableRecord
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)


def receivable_record(r: Receivable, *, by: str, at: datetime) -> ReceivableRecord:
    return ReceivableRecord(
        r.month,
        r.ticket_id,
        serial=r.serial,
        customer_name=r.customer_name,
        done_on=r.done_on.isoformat(),
        amount_vnd=r.amount_vnd,
        collected_vnd=r.collected_vnd,
        method=r.method,
        holder=r.holder,
        holder_name=r.holder_name,
        parts_cost_vnd=r.parts_cost_vnd,
        remitted_vnd=r.remitted_vnd,
        remitted_on=r.remitted_on.isoformat() if r.remitted_on else None,
        reconciled_by=r.reconciled_by,
        status=r.status.value,
        version=r.version,
        updated_by=by,
        updated_at=at,
    )


def receivable_of(record: ReceivableRecord) -> Receivable:
    return Receivable(
        month=record.month,
        ticket_id=record.ticket_id,
        serial=record.serial,
        customer_name=record.customer_name,
        done_on=date.fromisoformat(record.done_on),
        amount_vnd=int(record.amount_vnd),
        collected_vnd=int(record.collected_vnd),
        method=record.method,
        holder=record.holder,
        holder_name=record.holder_name,
        parts_cost_vnd=int(record.parts_cost_vnd),
        remitted_vnd=None if record.remitted_vnd is None else int(record.remitted_vnd),
        remitted_on=date.fromisoformat(record.remitted_on) if record.remitted_on else None,
        reconciled_by=record.reconciled_by,
        status=ReceivableStatus(record.status),
        version=int(record.version),
    )


class MonthState:
    def __init__(self, month: str, record: ReceivableMonthRecord | None) -> None:
        self.month = month
        self.closed_at = record.closed_at if record else None
        self.closed_by = record.closed_by if record else None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class ReceivableRepository:
    def __init__(self, connection: Connection | None = None) -> None:
        self._connection = connection or Connection()

    def of_month(self, month: str) -> list[Receivable]:
        return [receivable_of(r) for r in ReceivableRecord.query(month)]

    def get(self, month: str, ticket_id: str) -> Receivable | None:
        try:
            return receivable_of(ReceivableRecord.get(month, ticket_id))
        except DoesNotExist:
            return None

    def month(self, month: str) -> MonthState:
        try:
            return MonthState(month, ReceivableMonthRecord.get(month))
        except DoesNotExist:
            return MonthState(month, None)

    def save(self, after: Receivable, *, before: Receivable, by: str, at: datetime) -> None:
        """``before`` becomes ``after`` unless someone changed it (409
        ``receivables_changed``) or its month is closed (409 ``receivables_month_closed``)."""

        def build(tx: TransactWrite) -> None:
            tx.condition_check(
                ReceivableMonthRecord,
                after.month,
                condition=ReceivableMonthRecord.closed_at.does_not_exist(),
            )
            tx.save(
                receivable_record(after, by=by, at=at),
                condition=ReceivableRecord.version == before.version,
            )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            # PynamoDB sends the condition checks first, then the puts
            if reasons and reasons[0] is not None and reasons[0].code == ITEM_CONDITION_FAILED:
                raise Conflict("receivables_month_closed") from exc
            if any(r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons):
                raise Conflict("receivables_changed") from exc
            raise

    def close(self, month: str, lines: list[Receivable], *, by: str, at: datetime) -> None:
        """The month closed with its totals, once (409 ``receivables_month_closed``)."""
        record = ReceivableMonthRecord(
            month,
            closed_at=at,
            closed_by=by,
            lines=len(lines),
            amount_vnd=sum(x.amount_vnd for x in lines),
            collected_vnd=sum(x.collected_vnd for x in lines),
            remitted_vnd=sum(x.remitted_vnd or 0 for x in lines),
        )
        try:
            record.save(condition=ReceivableMonthRecord.closed_at.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("receivables_month_closed") from exc
            raise
