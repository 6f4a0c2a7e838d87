"""Units' maintenance lines in DynamoDB: made once (conditional puts), read by the day's timers
(the sparse ``timer_index``: one query per shard and day), and moved on by one transaction each:
the line's conditional update and, when the customer is told, the outbox message (a
deterministic id: a rerun writes nothing twice)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.maintenance.lines import (
    Booking,
    DayPart,
    PlanLine,
    Stage,
    shard_of,
    timer_key,
)
from chalicelib.maintenance.plan_repository import component_map, plan_component
from chalicelib.maintenance.tables import MaintenanceLineRecord
from chalicelib.outbox.model import OutboundMessage
from chalicelib.outbox.repository import to_record
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

JOB_KEY, JOB_SORT = "#job", "daily"


def _timer(line: PlanLine) -> str | None:
    return timer_key(line.timer, shard_of(line.serial)) if line.timer else None


def line_record(line: PlanLine, at: datetime) -> MaintenanceLineRecord:
    return MaintenanceLineRecord(
        line.serial,
        line.component.code,
        line_key=line.key,
        timer=_timer(line),
        model_code=line.model_code,
        plan_version=line.plan_version,
        plan=component_map(line.component),
        anchor=line.anchor.isoformat(),
        occurrence=line.occurrence,
        due=line.due.isoformat(),
        stage=line.stage.value,
        due_key=f"{line.due.isoformat()}#{line.key}",
        reminders=line.reminders,
        version=line.version,
        booking_day=line.booking.day.isoformat() if line.booking else None,
        booking_part=line.booking.part.value if line.booking else None,
        booking_note=(line.booking.note or None) if line.booking else None,
        updated_at=at,
    )


def line_of(record: MaintenanceLineRecord) -> PlanLine:
    assert record.plan is not None and record.anchor and record.due and record.stage
    timer = record.timer.split("#", 1)[0] if record.timer else None
    return PlanLine(
        serial=record.serial,
        component=plan_component(record.plan),
        model_code=record.model_code or "",
        plan_version=int(record.plan_version or 0),
        anchor=date.fromisoformat(record.anchor),
        occurrence=int(record.occurrence or 1),
        due=date.fromisoformat(record.due),
        stage=Stage(record.stage),
        timer=date.fromisoformat(timer) if timer else None,
        reminders=int(record.reminders or 0),
        version=int(record.version or 1),
        booking=Booking(
            date.fromisoformat(record.booking_day),
            DayPart(record.booking_part or DayPart.MORNING.value),
            record.booking_note or "",
        )
        if record.booking_day
        else None,
    )


class LineRepository:
    def __init__(self, connection: Connection | None = None) -> None:
        self._connection = connection or Connection()

    def add_new(self, lines: Iterable[PlanLine], *, at: datetime) -> int:
        """Put each line unless the unit has it already (a redelivered activation changes
        nothing, a line already moved on is never reset); how many were new."""
        added = 0
        for line in lines:
            try:
                line_record(line, at).save(
                    condition=MaintenanceLineRecord.serial.does_not_exist()
                    & MaintenanceLineRecord.component.does_not_exist()
                )
            except PutError as exc:
                if is_condition_failure(exc):
                    continue
                raise
            added += 1
        return added

    def find(self, serial: str, component: str) -> PlanLine | None:
        try:
            return line_of(MaintenanceLineRecord.get(serial, component))
        except DoesNotExist:
            return None

    def of_unit(self, serial: str) -> list[PlanLine]:
        return [line_of(r) for r in MaintenanceLineRecord.query(serial)]

    def by_stage(
        self, stage: Stage, *, due_from: date | None, due_until: date | None, limit: int
    ) -> list[PlanLine]:
        """Up to ``limit`` lines in ``stage``, by due day, within the days given (inclusive)."""
        low = due_from.isoformat() if due_from else "0"
        high = (due_until.isoformat() if due_until else "9999-12-31") + "#\uffff"
        records = MaintenanceLineRecord.stage_index.query(
            stage.value,
            MaintenanceLineRecord.due_key.between(low, high),
            limit=limit,
        )
        return [line_of(r) for r in records]

    def timers(self, day: date, shard: int) -> Iterator[PlanLine]:
        """The lines whose timer fires on ``day`` in ``shard`` (every page)."""
        for record in MaintenanceLineRecord.timer_index.query(timer_key(day, shard)):
            yield line_of(record)

    def advance(
        self,
        before: PlanLine,
        after: PlanLine,
        messages: Sequence[OutboundMessage],
        *,
        at: datetime,
    ) -> bool:
        """``before`` becomes ``after`` and ``messages`` are queued, all or nothing; ``False``
        when the line moved on since it was read (another run did it: nothing written)."""

        def build(tx: TransactWrite) -> None:
            tx.save(
                line_record(after, at),
                condition=(MaintenanceLineRecord.version == before.version)
                & (MaintenanceLineRecord.timer == _timer(before)),
            )
            for message in messages:
                tx.save(
                    to_record(message), condition=NotificationRecord.message_id.does_not_exist()
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            if reasons and reasons[0] is not None and reasons[0].code == ITEM_CONDITION_FAILED:
                return False  # the line moved on: its message, if any, was queued with it
            raise
        return True

    def watermark(self) -> date | None:
        """The last day the daily job finished (``None``: it never ran)."""
        try:
            record = MaintenanceLineRecord.get(JOB_KEY, JOB_SORT)
        except DoesNotExist:
            return None
        return date.fromisoformat(record.watermark) if record.watermark else None

    def set_watermark(self, day: date, *, after: date | None, at: datetime) -> bool:
        """Record ``day`` as done, only over ``after`` (two runs at once: one moves it)."""
        record = MaintenanceLineRecord(JOB_KEY, JOB_SORT, watermark=day.isoformat(), updated_at=at)
        condition = (
            MaintenanceLineRecord.serial.does_not_exist()
            if after is None
            else MaintenanceLineRecord.watermark == after.isoformat()
        )
        try:
            record.save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
