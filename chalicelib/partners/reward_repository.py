"""Rewards in DynamoDB: rule versions (each written once) and the ledger (one entry per serial,
a conditional put: stream redelivery and concurrent deliveries cannot write a second)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.outbox.model import OutboundMessage
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.reward_tables import (
    RewardPeriodRecord,
    RewardRecord,
    RewardRuleRecord,
    StateChangeMap,
)
from chalicelib.partners.rewards import (
    EntryKind,
    EntryState,
    Flag,
    LedgerEntry,
    NotEligible,
    PeriodTotals,
    RewardRule,
    Scope,
    StateChange,
    category_key,
    next_period,
    period_start,
    previous_period,
)
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)

PAGE = 500  # entries a page when a whole month is read (the export)
# A late entry moves on at most to the month after the current one (a month not yet begun
# cannot be locked): its activation's month, the next, the one after.
LATE_MONTHS = 3
# owed and in no payout: what a payout batch reads on ``payable_index``
OWED_UNPAID = frozenset({EntryState.APPROVED, EntryState.PAYMENT_FAILED})


def rule_key(rule_id: str, version: int) -> str:
    return f"{rule_id}#{version:06d}"


def _rule(record: RewardRuleRecord) -> RewardRule:
    return RewardRule(
        rule_id=record.rule_id,
        version=int(record.version),
        model_code=record.model_code or "",
        category=record.category or "",
        amount=int(record.amount),
        valid_from=date.fromisoformat(record.valid_from),
        valid_to=date.fromisoformat(record.valid_to) if record.valid_to else None,
        priority=int(record.priority),
        scope=Scope(record.scope or "model"),
        created_at=record.created_at,
        created_by=record.created_by,
        note=record.note or "",
    )


class RewardRuleRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def add(self, rule: RewardRule) -> None:
        """Write one version, once: ``Conflict("reward_rule_changed")`` when that version
        exists (another change of the rule came first: read it again)."""
        record = RewardRuleRecord(
            self._brand_id,
            rule_key(rule.rule_id, rule.version),
            rule_id=rule.rule_id,
            version=rule.version,
            scope=rule.scope.value,
            # absent rather than empty: each is an index key, and a rule has one of them
            model_code=rule.model_code or None,
            category=rule.category or None,
            category_key=category_key(rule.category) or None,
            amount=rule.amount,
            valid_from=rule.valid_from.isoformat(),
            valid_to=rule.valid_to.isoformat() if rule.valid_to else None,
            priority=rule.priority,
            created_at=rule.created_at,
            created_by=rule.created_by,
            note=rule.note,
        )
        try:
            record.save(condition=RewardRuleRecord.rule_key.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("reward_rule_changed", rule_id=rule.rule_id) from exc
            raise

    def versions(self, rule_id: str) -> list[RewardRule]:
        """Every version of the rule, oldest first (one query)."""
        query = RewardRuleRecord.query(
            self._brand_id, RewardRuleRecord.rule_key.startswith(f"{rule_id}#")
        )
        return [_rule(record) for record in query]

    def all_versions(self) -> list[RewardRule]:
        """Every version of every rule of the brand (one paginated query: rules are few)."""
        return [_rule(record) for record in RewardRuleRecord.query(self._brand_id)]

    def for_model(self, model_code: str) -> list[RewardRule]:
        """Every version of the rules for ``model_code`` (one query on ``model_index``)."""
        return [_rule(record) for record in RewardRuleRecord.model_index.query(model_code)]

    def for_category(self, category: str) -> list[RewardRule]:
        """Every version of the rules for ``category`` (one query on ``category_index``)."""
        key = category_key(category)
        if not key:
            return []
        return [_rule(record) for record in RewardRuleRecord.category_index.query(key)]


def _change(entry: StateChangeMap) -> StateChange:
    return StateChange(
        at=entry.at,
        by=entry.by,
        state_from=EntryState(entry.state_from) if entry.state_from else None,
        state_to=EntryState(entry.state_to),
        note=entry.note or "",
    )


def entry_of(record: RewardRecord) -> LedgerEntry:
    return LedgerEntry(
        entry_id=record.entry_id,
        serial=record.serial,
        model_code=record.model_code,
        partner_id=record.partner_id or "",
        state=EntryState(record.state),
        amount=int(record.amount),
        activated_at=record.activated_at,
        activation_day=date.fromisoformat(record.activation_day),
        created_at=record.created_at,
        customer_key=record.customer_key,
        rule_id=record.rule_id or "",
        rule_version=int(record.rule_version or 0),
        reason=NotEligible(record.reason) if record.reason else None,
        flags=tuple(Flag(flag) for flag in record.flags or []),
        kind=EntryKind(record.kind or "reward"),
        history=tuple(_change(change) for change in record.history or []),
        version=int(record.version or 0),
        customer_name_masked=record.customer_name_masked or "",
        payout_batch=record.payout_batch or "",
        period=record.period,
    )


def change_map(c: StateChange) -> StateChangeMap:
    return StateChangeMap(
        at=c.at,
        by=c.by,
        state_from=c.state_from.value if c.state_from else None,
        state_to=c.state_to.value,
        note=c.note,
    )


@dataclass(frozen=True)
class PeriodLock:
    period: str
    locked_at: datetime | None
    locked_by: str


def _record(entry: LedgerEntry) -> RewardRecord:
    return RewardRecord(
        entry.entry_id,
        serial=entry.serial,
        model_code=entry.model_code,
        partner_id=entry.partner_id or None,
        state=entry.state.value,
        kind=entry.kind.value,
        amount=entry.amount,
        activated_at=entry.activated_at,
        activation_day=entry.activation_day.isoformat(),
        created_at=entry.created_at,
        period=entry.period,
        customer_key=entry.customer_key,
        rule_id=entry.rule_id or None,
        rule_version=entry.rule_version or None,
        reason=entry.reason.value if entry.reason else None,
        flags=[flag.value for flag in entry.flags],
        history=[change_map(c) for c in entry.history],
        customer_name_masked=entry.customer_name_masked or None,
        payable=entry.period if entry.state in OWED_UNPAID else None,
    )


def _month_of_partner(period: str | None) -> dict[str, Any]:
    """A partner's month on ``partner_index``: the entries created since the month began (a
    key condition: nothing older is read), filtered to the month's (``period``; a reversal made
    later belongs to the month of the entry it takes back). A late entry is created in an
    earlier month than the one it is reconciled in (at most ``LATE_MONTHS`` - 1 earlier: a
    month can be locked only once it has begun), so the key condition reaches back that far."""
    if period is None:
        return {}
    earliest = period
    for _ in range(LATE_MONTHS - 1):
        earliest = previous_period(earliest)
    return {
        "range_key_condition": RewardRecord.created_at >= period_start(earliest),
        "filter_condition": RewardRecord.period == period,
    }


class RewardLedgerRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=RewardRecord.Meta.region)

    def record(self, entry: LedgerEntry) -> bool:
        """Write the entry unless its id exists: ``False`` when it did (a redelivery, or a
        concurrent delivery that won). An entry that earns nothing is one conditional put. An
        entry to decide is put in one transaction with a check that its month is open: when the
        month was signed off while the activation was on its way (a late entry), it goes to the
        next open month instead, so it is never stranded undecidable in a locked one."""
        if entry.state not in (EntryState.PENDING, EntryState.HELD):
            try:
                _record(entry).save(condition=RewardRecord.entry_id.does_not_exist())
            except PutError as exc:
                if is_condition_failure(exc):
                    return False
                raise
            return True
        for _ in range(LATE_MONTHS):
            try:
                self._put_in_open_month(entry)
            except TransactWriteError as exc:
                # condition checks come first in the transaction, then the put
                reasons = exc.cancellation_reasons or []
                failed = [r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons]
                if failed and failed[0]:
                    entry = replace(entry, period=next_period(entry.period))
                    continue
                if any(failed):
                    return False
                raise
            return True
        raise Conflict("period_locked", period=entry.period)

    def _put_in_open_month(self, entry: LedgerEntry) -> None:
        def build(tx: TransactWrite) -> None:
            tx.condition_check(
                RewardPeriodRecord,
                entry.period,
                condition=RewardPeriodRecord.locked_at.does_not_exist(),
            )
            tx.save(_record(entry), condition=RewardRecord.entry_id.does_not_exist())

        write_transaction(self._connection, build)

    def get(self, entry_id: str) -> LedgerEntry | None:
        try:
            return entry_of(RewardRecord.get(entry_id, consistent_read=True))
        except RewardRecord.DoesNotExist:
            return None

    def newest_of_partner(self, partner_id: str, limit: int) -> list[LedgerEntry]:
        """The partner's newest ``limit`` entries (one query, newest first)."""
        query = RewardRecord.partner_index.query(partner_id, scan_index_forward=False, limit=limit)
        return [entry_of(record) for record in query]

    def count_of_customer(self, customer_key: str, up_to: int) -> int:
        """How many entries the customer's phone has, counted up to ``up_to`` (one query)."""
        query = RewardRecord.customer_index.query(customer_key, limit=up_to)
        return sum(1 for _ in query)

    def page_of_partner(
        self,
        partner_id: str,
        *,
        limit: int,
        after: dict[str, Any] | None,
        period: str | None = None,
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]:
        """One page of the partner's entries, newest first, and where the next starts; with
        ``period``, the month's only (a filter: a page may hold fewer than ``limit`` and still
        have a next one)."""
        query = RewardRecord.partner_index.query(
            partner_id,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=after,
            **_month_of_partner(period),
        )
        found = [entry_of(record) for record in query]
        return found, query.last_evaluated_key

    def entries_of_partner(
        self, partner_id: str, period: str | None = None
    ) -> Iterator[LedgerEntry]:
        """Every entry of the partner (the balance's sum: pages of the index), or of one month
        (its totals)."""
        for record in RewardRecord.partner_index.query(partner_id, **_month_of_partner(period)):
            yield entry_of(record)

    def page_of_period(
        self,
        period: str,
        *,
        state: EntryState | None,
        limit: int,
        after: dict[str, Any] | None,
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]:
        """One page of the month's entries, newest first, optionally in one state (a filter:
        a page may hold fewer than ``limit`` and still have a next one)."""
        query = RewardRecord.period_index.query(
            period,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=after,
            filter_condition=(RewardRecord.state == state.value) if state else None,
        )
        found = [entry_of(record) for record in query]
        return found, query.last_evaluated_key

    def entries_of_period(self, period: str) -> Iterator[LedgerEntry]:
        """Every entry of the month: pages of ``PAGE`` entries of a query on ``period_index``
        (never a scan; memory holds one page, however long the month)."""
        for record in RewardRecord.period_index.query(period, page_size=PAGE):
            yield entry_of(record)

    def totals_of_period(self, period: str) -> PeriodTotals:
        """The month's counts and sums per state and its partners: a query of the month on
        ``period_index`` reading three attributes of each entry (never a scan)."""
        totals = PeriodTotals()
        query = RewardRecord.period_index.query(
            period, attributes_to_get=["entry_id", "state", "amount", "partner_id"]
        )
        for record in query:
            state = EntryState(record.state)
            totals.counts[state] = totals.counts.get(state, 0) + 1
            totals.sums[state] = totals.sums.get(state, 0) + int(record.amount)
            if record.partner_id:
                totals.partners.add(record.partner_id)
        return totals

    def save_decision(
        self, before: LedgerEntry, after: LedgerEntry, message: OutboundMessage | None
    ) -> None:
        """One transaction: the entry moves from ``before``'s state and version to ``after``'s
        (``Conflict("reward_state_changed")`` when another decision came first), the month is
        checked open (``Conflict("period_locked")``), and ``message`` (the partner's
        ``reward_approved``) is queued with it: a retry or a lost race queues nothing."""
        from chalicelib.outbox.repository import to_record  # the outbox: approvals only

        version = RewardRecord.version
        unchanged = (RewardRecord.state == before.state.value) & (
            (version == before.version) if before.version else version.does_not_exist()
        )

        actions: list[Action] = [
            RewardRecord.state.set(after.state.value),
            RewardRecord.version.set(after.version),
            RewardRecord.history.set(RewardRecord.history.append([change_map(after.history[-1])])),
        ]
        if after.state is EntryState.APPROVED:  # owed: a payout batch finds it by its month
            actions.append(RewardRecord.payable.set(after.period))

        def build(tx: TransactWrite) -> None:
            tx.update(
                RewardRecord(before.entry_id),
                actions=actions,
                condition=RewardRecord.entry_id.exists() & unchanged,
            )
            tx.condition_check(
                RewardPeriodRecord,
                before.period,
                condition=RewardPeriodRecord.locked_at.does_not_exist(),
            )
            if message is not None:
                tx.save(
                    to_record(message), condition=NotificationRecord.message_id.does_not_exist()
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            # PynamoDB sends condition checks first, then puts, then updates: the month's
            # check is the first reason, the entry's update the last
            reasons = exc.cancellation_reasons or []
            failed = [r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons]
            if failed and failed[0]:
                raise Conflict("period_locked", period=before.period) from exc
            if any(failed):
                raise Conflict("reward_state_changed") from exc
            raise

    def hold(self, before: LedgerEntry, after: LedgerEntry) -> bool:
        """Hold ``before`` as ``after`` (its state, flags, version and one more history line),
        on condition that nobody changed it since it was read: ``False`` when someone did (a
        staff decision came first; the caller reads it again)."""
        version = RewardRecord.version
        unchanged = (RewardRecord.state == before.state.value) & (
            (version == before.version) if before.version else version.does_not_exist()
        )
        actions: list[Action] = [
            RewardRecord.state.set(after.state.value),
            RewardRecord.flags.set([flag.value for flag in after.flags]),
            RewardRecord.version.set(after.version),
        ]
        if len(after.history) > len(before.history):
            actions.append(
                RewardRecord.history.set(
                    RewardRecord.history.append([change_map(after.history[-1])])
                )
            )
        try:
            RewardRecord(before.entry_id).update(
                actions=actions, condition=RewardRecord.entry_id.exists() & unchanged
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def period(self, period: str) -> PeriodLock:
        """The month's lock (``locked_at`` ``None``: open; a month never locked has no item)."""
        try:
            record = RewardPeriodRecord.get(period, consistent_read=True)
        except RewardPeriodRecord.DoesNotExist:
            return PeriodLock(period, None, "")
        return PeriodLock(period, record.locked_at, record.locked_by or "")

    def lock(self, period: str, *, by: str, at: datetime) -> None:
        """Lock the month once: ``Conflict("period_locked")`` when it is already."""
        try:
            RewardPeriodRecord(period).update(
                actions=[
                    RewardPeriodRecord.locked_at.set(at),
                    RewardPeriodRecord.locked_by.set(by),
                ],
                condition=RewardPeriodRecord.locked_at.does_not_exist(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("period_locked", period=period) from exc
            raise
