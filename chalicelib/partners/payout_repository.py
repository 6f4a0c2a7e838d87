"""Payouts in DynamoDB: the withholding setting's versions (each written once), the batches and
their lines, and the ledger's moves a batch makes (entries taken, paid, failed), each
conditional on the entry's state, so no entry is ever in two batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.outbox.model import OutboundMessage
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.payout_tables import (
    PayoutBatchRecord,
    PayoutLineRecord,
    PayoutSettingRecord,
)
from chalicelib.partners.payouts import (
    BatchState,
    LineState,
    Payee,
    PayoutBatch,
    PayoutLine,
    WithholdingSetting,
)
from chalicelib.partners.reward_repository import change_map, entry_of
from chalicelib.partners.reward_tables import RewardPeriodRecord, RewardRecord
from chalicelib.partners.rewards import EntryState, LedgerEntry, StateChange
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

TRANSACTION_ITEMS = 100  # DynamoDB's limit of items in one transaction
PAGE = 500


def _setting(record: PayoutSettingRecord) -> WithholdingSetting:
    return WithholdingSetting(
        version=int(record.version),
        rate_bp=int(record.rate_bp),
        threshold=int(record.threshold),
        effective_from=date.fromisoformat(record.effective_from),
        confirmed_by=record.confirmed_by,
        confirmed_at=record.confirmed_at,
        note=record.note or "",
    )


class PayoutSettingRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def add(self, setting: WithholdingSetting) -> None:
        """Write one version, once: ``Conflict("payout_setting_changed")`` when another
        confirmation made that version first."""
        record = PayoutSettingRecord(
            self._brand_id,
            setting.version,
            rate_bp=setting.rate_bp,
            threshold=setting.threshold,
            effective_from=setting.effective_from.isoformat(),
            confirmed_by=setting.confirmed_by,
            confirmed_at=setting.confirmed_at,
            note=setting.note,
        )
        try:
            record.save(condition=PayoutSettingRecord.version.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("payout_setting_changed") from exc
            raise

    def versions(self) -> list[WithholdingSetting]:
        """Every version, oldest first (one query: versions are few)."""
        query = PayoutSettingRecord.query(self._brand_id, consistent_read=True)
        return [_setting(record) for record in query]


def _batch(record: PayoutBatchRecord) -> PayoutBatch:
    return PayoutBatch(
        batch_id=record.batch_id,
        state=BatchState(record.state),
        created_at=record.created_at,
        created_by=record.created_by,
        setting=WithholdingSetting(
            version=int(record.setting_version),
            rate_bp=int(record.rate_bp),
            threshold=int(record.threshold),
            effective_from=date.fromisoformat(record.setting_from),
            confirmed_by=record.setting_confirmed_by,
            confirmed_at=record.setting_confirmed_at,
        ),
        periods=tuple(record.periods or ()),
        lines=int(record.lines),
        entries=int(record.entries),
        gross=int(record.gross),
        tax=int(record.tax),
        net=int(record.net),
        paid=int(record.paid),
        failed=int(record.failed),
        carried=int(record.carried),
        exported_at=record.exported_at,
        exported_by=record.exported_by or "",
        closed_at=record.closed_at,
    )


def _line(record: PayoutLineRecord) -> PayoutLine:
    return PayoutLine(
        batch_id=record.batch_id,
        payee=Payee(
            partner_id=record.partner_id,
            name=record.name,
            phone=record.phone,
            bank_bin=record.bank_bin,
            account_number=record.account_number,
            account_holder=record.account_holder,
            commitment=bool(record.commitment),
        ),
        state=LineState(record.state),
        entry_ids=tuple(record.entry_ids or ()),
        gross=int(record.gross),
        tax=int(record.tax),
        net=int(record.net),
        reference=record.reference or "",
        reason=record.reason or "",
        settled_by=record.settled_by or "",
        settled_at=record.settled_at,
    )


def _line_record(line: PayoutLine) -> PayoutLineRecord:
    payee = line.payee
    return PayoutLineRecord(
        line.batch_id,
        payee.partner_id,
        state=line.state.value,
        entry_ids=list(line.entry_ids),
        gross=line.gross,
        tax=line.tax,
        net=line.net,
        name=payee.name,
        phone=payee.phone,
        bank_bin=payee.bank_bin,
        account_number=payee.account_number,
        account_holder=payee.account_holder,
        commitment=payee.commitment,
    )


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class PayoutRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id
        self._connection = Connection(region=PayoutBatchRecord.Meta.region)

    # -- what a batch pays -------------------------------------------------------------------

    def locked(self, months: Iterable[str]) -> list[str]:
        """Which of ``months`` are locked (one batch read of their lock items)."""
        keys = sorted(set(months))
        found = RewardPeriodRecord.batch_get(keys, attributes_to_get=["period", "locked_at"])
        return sorted(r.period for r in found if r.locked_at is not None)

    def payable(self, period: str) -> Iterator[LedgerEntry]:
        """The month's entries owed and in no payout: the sparse ``payable_index``."""
        for record in RewardRecord.payable_index.query(period, page_size=PAGE):
            yield entry_of(record)

    def entries(self, entry_ids: Iterable[str]) -> dict[str, LedgerEntry]:
        """The entries by id, as stored now (batch reads; a missing id is left out)."""
        ids = list(dict.fromkeys(entry_ids))
        found: dict[str, LedgerEntry] = {}
        for chunk in _chunks(ids, TRANSACTION_ITEMS):
            for record in RewardRecord.batch_get(list(chunk), consistent_read=True):
                found[record.entry_id] = entry_of(record)
        return found

    # -- batches and lines -------------------------------------------------------------------

    def get(self, batch_id: str) -> PayoutBatch | None:
        try:
            return _batch(PayoutBatchRecord.get(batch_id, consistent_read=True))
        except PayoutBatchRecord.DoesNotExist:
            return None

    def newest(self, limit: int) -> list[PayoutBatch]:
        """The brand's newest batches (one query on ``brand_index``)."""
        query = PayoutBatchRecord.brand_index.query(
            self._brand_id, scan_index_forward=False, limit=limit
        )
        return [_batch(record) for record in query]

    def lines(self, batch_id: str) -> list[PayoutLine]:
        """The batch's lines by partner id (one paginated query)."""
        query = PayoutLineRecord.query(batch_id, consistent_read=True)
        return [_line(record) for record in query]

    def line(self, batch_id: str, partner_id: str) -> PayoutLine | None:
        try:
            return _line(PayoutLineRecord.get(batch_id, partner_id, consistent_read=True))
        except PayoutLineRecord.DoesNotExist:
            return None

    def start(self, batch: PayoutBatch, lines: Sequence[PayoutLine]) -> None:
        """The batch, ``creating``, then its planned lines: before any entry is taken, the batch
        names every entry it may take, so a run cut short can be resumed."""
        setting = batch.setting
        PayoutBatchRecord(
            batch.batch_id,
            brand_id=self._brand_id,
            state=BatchState.CREATING.value,
            created_at=batch.created_at,
            created_by=batch.created_by,
            periods=list(batch.periods),
            setting_version=setting.version,
            rate_bp=setting.rate_bp,
            threshold=setting.threshold,
            setting_from=setting.effective_from.isoformat(),
            setting_confirmed_by=setting.confirmed_by,
            setting_confirmed_at=setting.confirmed_at,
            lines=len(lines),
            carried=batch.carried,
        ).save(condition=PayoutBatchRecord.batch_id.does_not_exist())
        with PayoutLineRecord.batch_write() as writer:
            for line in lines:
                writer.save(_line_record(line))

    def claim_run(self, batch_id: str, *, now: datetime, until: datetime) -> bool:
        """The lease of a ``creating`` batch's run (taking entries, finishing lines): ``False``
        while another run holds it. One run at a time, so lines are finished from one reading."""
        try:
            PayoutBatchRecord(batch_id).update(
                actions=[PayoutBatchRecord.run_until.set(until)],
                condition=(PayoutBatchRecord.state == BatchState.CREATING.value)
                & (
                    PayoutBatchRecord.run_until.does_not_exist()
                    | (PayoutBatchRecord.run_until < now)
                ),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def finish_lines(self, lines: Sequence[PayoutLine]) -> None:
        """The lines as taken (``pending`` or ``dropped``, their entries and amounts): written
        whole in batches of 25 (the run holds the lease)."""
        with PayoutLineRecord.batch_write() as writer:
            for line in lines:
                writer.save(_line_record(line))

    def take(
        self, batch_id: str, entries: Sequence[LedgerEntry], *, by: str, at: datetime
    ) -> set[str]:
        """Move each entry to ``in_payout`` in this batch, if it is still ``approved`` or
        ``payment_failed`` (a transaction of up to 100 entries; when one of them was taken or
        changed meanwhile, each of that chunk on its own). The ids taken now."""
        by_id = {e.entry_id: e for e in entries}
        taken: set[str] = set()
        for chunk in _chunks(list(by_id), TRANSACTION_ITEMS):

            def build(tx: TransactWrite, chunk: Sequence[str] = chunk) -> None:
                for entry_id in chunk:
                    tx.update(
                        RewardRecord(entry_id),
                        actions=self._take_actions(by_id[entry_id], batch_id, by, at),
                        condition=RewardRecord.entry_id.exists() & self._PAYABLE_CONDITION,
                    )

            try:
                write_transaction(self._connection, build)
                taken.update(chunk)
            except TransactWriteError:
                taken.update(i for i in chunk if self._take_one(by_id[i], batch_id, by, at))
        return taken

    @staticmethod
    def _take_actions(entry: LedgerEntry, batch_id: str, by: str, at: datetime) -> list[Any]:
        change = StateChange(at, by, entry.state, EntryState.IN_PAYOUT, batch_id)
        return [
            RewardRecord.state.set(EntryState.IN_PAYOUT.value),
            RewardRecord.payout_batch.set(batch_id),
            RewardRecord.payable.remove(),
            RewardRecord.version.add(1),
            RewardRecord.history.set(RewardRecord.history.append([change_map(change)])),
        ]

    _PAYABLE_CONDITION = RewardRecord.state.is_in(
        EntryState.APPROVED.value, EntryState.PAYMENT_FAILED.value
    )

    def _take_one(self, entry: LedgerEntry, batch_id: str, by: str, at: datetime) -> bool:
        try:
            RewardRecord(entry.entry_id).update(
                actions=self._take_actions(entry, batch_id, by, at),
                condition=RewardRecord.entry_id.exists() & self._PAYABLE_CONDITION,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False  # another batch (or a change) came first: not ours
            raise
        return True

    def open(self, batch: PayoutBatch) -> None:
        """``creating`` → ``open`` with the totals of the lines as taken."""
        PayoutBatchRecord(batch.batch_id).update(
            actions=[
                PayoutBatchRecord.state.set(BatchState.OPEN.value),
                PayoutBatchRecord.lines.set(batch.lines),
                PayoutBatchRecord.entries.set(batch.entries),
                PayoutBatchRecord.gross.set(batch.gross),
                PayoutBatchRecord.tax.set(batch.tax),
                PayoutBatchRecord.net.set(batch.net),
                PayoutBatchRecord.run_until.remove(),
            ],
            condition=PayoutBatchRecord.state == BatchState.CREATING.value,
        )

    def mark_exported(self, batch_id: str, *, by: str, at: datetime) -> None:
        """``open`` → ``exported`` (the first export's time and author are kept; exporting again
        changes nothing): ``Conflict("payout_batch_state")`` for a batch creating or closed."""
        try:
            PayoutBatchRecord(batch_id).update(
                actions=[
                    PayoutBatchRecord.state.set(BatchState.EXPORTED.value),
                    PayoutBatchRecord.exported_at.set(PayoutBatchRecord.exported_at | at),
                    PayoutBatchRecord.exported_by.set(PayoutBatchRecord.exported_by | by),
                ],
                condition=PayoutBatchRecord.state.is_in(
                    BatchState.OPEN.value, BatchState.EXPORTED.value
                ),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("payout_batch_state", state="closed") from exc
            raise

    def settle(self, after: PayoutLine, message: OutboundMessage | None) -> None:
        """One transaction: the line ``pending`` → paid or failed, the batch's count of it
        (the batch must be ``exported``), and, paid, the partner's ``reward_paid`` (a retry
        queues nothing twice). ``Conflict("payout_line_settled")`` when the line was settled
        first, ``Conflict("payout_batch_state")`` when the batch is not exported."""
        from chalicelib.outbox.repository import to_record  # the outbox: paid lines only

        counter = (
            PayoutBatchRecord.paid if after.state is LineState.PAID else (PayoutBatchRecord.failed)
        )
        line_actions: list[Action] = [
            PayoutLineRecord.state.set(after.state.value),
            PayoutLineRecord.settled_by.set(after.settled_by),
            PayoutLineRecord.settled_at.set(after.settled_at or datetime.now(UTC)),
        ]
        if after.reference:
            line_actions.append(PayoutLineRecord.reference.set(after.reference))
        if after.reason:
            line_actions.append(PayoutLineRecord.reason.set(after.reason))

        def build(tx: TransactWrite) -> None:
            tx.update(
                PayoutBatchRecord(after.batch_id),
                actions=[counter.add(1)],
                condition=PayoutBatchRecord.state == BatchState.EXPORTED.value,
            )
            tx.update(
                PayoutLineRecord(after.batch_id, after.partner_id),
                actions=line_actions,
                condition=PayoutLineRecord.state == LineState.PENDING.value,
            )
            if message is not None:
                tx.save(
                    to_record(message), condition=NotificationRecord.message_id.does_not_exist()
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            # PynamoDB sends puts before updates, and updates in the order given
            reasons = exc.cancellation_reasons or []
            failed = [r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons]
            updates = failed[-2:] if len(failed) >= 2 else failed
            if updates and updates[0]:
                raise Conflict("payout_batch_state", state="not exported") from exc
            if any(failed):
                raise Conflict("payout_line_settled") from exc
            raise

    def settle_entries(
        self, batch_id: str, entry_ids: Sequence[str], to: EntryState, *, by: str, at: datetime
    ) -> int:
        """Move the line's entries still ``in_payout`` in this batch to ``to`` (``paid``, or
        ``payment_failed``: owed again, so payable in their month); transactions of up to 100,
        each entry on its own when one of a chunk had moved already. How many moved now."""
        moved = 0
        for chunk in _chunks(list(entry_ids), TRANSACTION_ITEMS):

            def build(tx: TransactWrite, chunk: Sequence[str] = chunk) -> None:
                for entry_id in chunk:
                    tx.update(
                        RewardRecord(entry_id),
                        actions=self._settle_actions(to, batch_id, by, at),
                        condition=self._in_batch(batch_id),
                    )

            try:
                write_transaction(self._connection, build)
                moved += len(chunk)
            except TransactWriteError:
                moved += sum(1 for i in chunk if self._settle_one(i, to, batch_id, by, at))
        return moved

    @staticmethod
    def _settle_actions(to: EntryState, batch_id: str, by: str, at: datetime) -> list[Any]:
        change = StateChange(at, by, EntryState.IN_PAYOUT, to, batch_id)
        actions = [
            RewardRecord.state.set(to.value),
            RewardRecord.version.add(1),
            RewardRecord.history.set(RewardRecord.history.append([change_map(change)])),
        ]
        if to is EntryState.PAYMENT_FAILED:
            # owed again: the next batch finds it in its month ("<serial>#reversal" shares it)
            actions.append(RewardRecord.payable.set(RewardRecord.period))
        return actions

    @staticmethod
    def _in_batch(batch_id: str) -> Any:
        return (RewardRecord.state == EntryState.IN_PAYOUT.value) & (
            RewardRecord.payout_batch == batch_id
        )

    def _settle_one(
        self, entry_id: str, to: EntryState, batch_id: str, by: str, at: datetime
    ) -> bool:
        try:
            RewardRecord(entry_id).update(
                actions=self._settle_actions(to, batch_id, by, at),
                condition=self._in_batch(batch_id),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False  # moved by an earlier run of the same settlement
            raise
        return True

    def close_if_settled(self, batch_id: str, *, at: datetime) -> bool:
        """``exported`` → ``closed`` once every line is paid or failed (conditional on the
        counts read, so a line settled meanwhile is counted by the run that settled it)."""
        batch = self.get(batch_id)
        if batch is None or batch.state is not BatchState.EXPORTED:
            return False
        if batch.paid + batch.failed < batch.lines:
            return False
        try:
            PayoutBatchRecord(batch_id).update(
                actions=[
                    PayoutBatchRecord.state.set(BatchState.CLOSED.value),
                    PayoutBatchRecord.closed_at.set(at),
                ],
                condition=(PayoutBatchRecord.state == BatchState.EXPORTED.value)
                & (PayoutBatchRecord.paid == batch.paid)
                & (PayoutBatchRecord.failed == batch.failed),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
