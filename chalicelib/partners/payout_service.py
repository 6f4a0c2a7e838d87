"""The accountant's payouts: the withholding setting (versions confirmed by the accountant), a
batch from what locked months owe (made so a run cut short resumes), its export, and each line
paid or failed. Ports are parameters (:mod:`chalicelib.partners.payout_repository` satisfies
them); every step is an audit entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.outbox.compose import format_day, new_message
from chalicelib.outbox.model import OutboundMessage
from chalicelib.partners.model import Partner
from chalicelib.partners.payouts import (
    PAYABLE,
    BatchState,
    LineState,
    Payee,
    PayoutBatch,
    PayoutLine,
    Plan,
    SettingTerms,
    WithholdingSetting,
    confirmed,
    new_batch_id,
    plan,
    priced,
    setting_on,
    settled,
    takeable_reversals,
)
from chalicelib.partners.reward_service import Messaging, vnd
from chalicelib.partners.rewards import EntryState, LedgerEntry
from chalicelib.partners.service import Change, Trail

MONTHS_BACK = 12  # a batch without named months looks at this month and the 12 before
RUN_LEASE = timedelta(minutes=5)  # a creating run longer than the API's 10 s has died
RESUMABLE = 5  # the newest batches looked at for one still creating


class SettingStore(Protocol):
    def add(self, setting: WithholdingSetting) -> None: ...
    def versions(self) -> list[WithholdingSetting]: ...


class PayoutStore(Protocol):
    def locked(self, months: Iterable[str]) -> list[str]: ...
    def payable(self, period: str) -> Iterator[LedgerEntry]: ...
    def entries(self, entry_ids: Iterable[str]) -> dict[str, LedgerEntry]: ...
    def get(self, batch_id: str) -> PayoutBatch | None: ...
    def newest(self, limit: int) -> list[PayoutBatch]: ...
    def lines(self, batch_id: str) -> list[PayoutLine]: ...
    def line(self, batch_id: str, partner_id: str) -> PayoutLine | None: ...
    def start(self, batch: PayoutBatch, lines: Sequence[PayoutLine]) -> None: ...
    def claim_run(self, batch_id: str, *, now: datetime, until: datetime) -> bool: ...
    def take(
        self, batch_id: str, entries: Sequence[LedgerEntry], *, by: str, at: datetime
    ) -> set[str]: ...
    def finish_lines(self, lines: Sequence[PayoutLine]) -> None: ...
    def open(self, batch: PayoutBatch) -> None: ...
    def mark_exported(self, batch_id: str, *, by: str, at: datetime) -> None: ...
    def settle(self, after: PayoutLine, message: OutboundMessage | None) -> None: ...
    def settle_entries(
        self, batch_id: str, entry_ids: Sequence[str], to: EntryState, *, by: str, at: datetime
    ) -> int: ...
    def close_if_settled(self, batch_id: str, *, at: datetime) -> bool: ...


class PartnerReader(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...


@dataclass(frozen=True)
class Settings:
    """The version in effect today (``None``: no batch can be made) and every version."""

    current: WithholdingSetting | None
    versions: list[WithholdingSetting]


@dataclass(frozen=True)
class Draft:
    """What a batch made now would pay: the setting it would use, the locked months it reads."""

    setting: WithholdingSetting
    periods: list[str]
    plan: Plan


@dataclass(frozen=True)
class BatchDetail:
    batch: PayoutBatch
    lines: list[PayoutLine]


def _audit(change: Change, action: str, entity: str, entity_id: str, **sides: object) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        source=change.source,
        before=sides.get("before"),  # type: ignore[arg-type]
        after=sides.get("after"),  # type: ignore[arg-type]
        note=str(sides.get("note") or "") or None,
    )


# -- the withholding setting --------------------------------------------------------------------


def read_settings(day: date, *, settings: SettingStore) -> Settings:
    versions = settings.versions()
    return Settings(setting_on(versions, day), sorted(versions, key=lambda v: v.version))


def confirm_setting(
    terms: SettingTerms, change: Change, *, settings: SettingStore, trail: Trail
) -> WithholdingSetting:
    """The setting's next version, confirmed by the acting accountant (the old ones kept; two
    confirmations at once: the second is ``Conflict("payout_setting_changed")``)."""
    setting = confirmed(settings.versions(), terms, by=change.actor, at=change.at)
    settings.add(setting)
    view = {
        "version": setting.version,
        "rate_bp": setting.rate_bp,
        "threshold": setting.threshold,
        "effective_from": setting.effective_from.isoformat(),
    }
    trail.record(
        _audit(change, "payout_setting_confirmed", "payout_setting", str(setting.version),
               after=view, note=setting.note)
    )  # fmt: skip
    return setting


# -- a batch ------------------------------------------------------------------------------------


def months_up_to(day: date, back: int = MONTHS_BACK) -> list[str]:
    """``YYYY-MM`` of ``day``'s month and the ``back`` months before it, oldest first.

    >>> months_up_to(date(2026, 2, 10), 2)
    ['2025-12', '2026-01', '2026-02']
    """
    months = []
    year, month = day.year, day.month
    for _ in range(back + 1):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def payee_of(partner: Partner | None) -> Payee | None:
    if partner is None:
        return None
    details = partner.details
    return Payee(
        partner_id=partner.partner_id,
        name=details.name,
        phone=details.phone,
        bank_bin=details.bank_bin,
        account_number=details.account_number,
        account_holder=details.account_holder,
        commitment=bool(partner.commitment and partner.commitment.on_file),
    )


def draft(
    periods: Sequence[str] | None,
    day: date,
    *,
    batch_id: str = "",
    settings: SettingStore,
    payouts: PayoutStore,
    partners: PartnerReader,
) -> Draft:
    """What a batch made on ``day`` would pay (nothing is written): the payable entries of the
    locked months among ``periods`` (default: this month and the 12 before), one line per
    partner. ``Conflict("payout_setting_missing")`` until a withholding setting applies."""
    setting = setting_on(settings.versions(), day)
    if setting is None:
        raise Conflict("payout_setting_missing")
    locked = payouts.locked(periods or months_up_to(day))
    entries = [entry for month in locked for entry in payouts.payable(month)]
    owed = {entry.partner_id for entry in entries if entry.partner_id}
    payees = {partner_id: payee_of(partners.get(partner_id)) for partner_id in sorted(owed)}
    return Draft(setting, locked, plan(batch_id, entries, payees, setting))


def create_batch(
    periods: Sequence[str] | None,
    change: Change,
    *,
    day: date,
    settings: SettingStore,
    payouts: PayoutStore,
    partners: PartnerReader,
    trail: Trail,
    limit: int | None = None,
) -> BatchDetail:
    """A batch of what locked months owe. A batch still ``creating`` (a run cut short) is
    resumed instead of making another. ``Conflict("payout_nothing_to_pay")`` when no partner
    has a positive amount owed; ``Conflict("payout_batch_too_large")`` for more than ``limit``
    entries (what one caller can take within its time: name fewer months)."""
    for batch in payouts.newest(RESUMABLE):
        if batch.state is BatchState.CREATING:
            return resume_batch(batch.batch_id, change, payouts=payouts, trail=trail)
    batch_id = new_batch_id(change.at)
    found = draft(
        periods, day, batch_id=batch_id, settings=settings, payouts=payouts, partners=partners
    )
    if not found.plan.lines:
        raise Conflict("payout_nothing_to_pay", carried=len(found.plan.carried))
    if limit is not None and found.plan.entries > limit:
        raise Conflict("payout_batch_too_large", count=found.plan.entries, limit=limit)
    batch = PayoutBatch(
        batch_id=batch_id,
        state=BatchState.CREATING,
        created_at=change.at,
        created_by=change.actor,
        setting=found.setting,
        periods=tuple(found.periods),
        lines=len(found.plan.lines),
        carried=len(found.plan.carried),
    )
    payouts.start(batch, found.plan.lines)
    return resume_batch(batch_id, change, payouts=payouts, trail=trail)


def _taken_lines(
    batch: PayoutBatch, planned: list[PayoutLine], payouts: PayoutStore, change: Change
) -> list[PayoutLine]:
    """Take the planned entries still payable (positive amounts first, then each reversal
    while its line stays above zero), then price each line from the entries the ledger says
    this batch holds (read again after the takes: the one truth, whatever a run before did)."""
    wanted = [entry_id for line in planned for entry_id in line.entry_ids]
    current = payouts.entries(wanted)
    positive = [
        current[i] for i in wanted if i in current and current[i].amount > 0 and (
            current[i].state in PAYABLE
        )
    ]  # fmt: skip
    payouts.take(batch.batch_id, positive, by=change.actor, at=change.at)
    held = payouts.entries(wanted)
    reversals: list[LedgerEntry] = []
    for line in planned:
        mine = sum(held[i].amount for i in line.entry_ids if _in_batch(held.get(i), batch))
        negative = [(i, held[i].amount) for i in line.entry_ids if i in held and (
            held[i].amount < 0 and held[i].state in PAYABLE
        )]  # fmt: skip
        reversals += [held[i] for i in takeable_reversals(mine, negative)]
    if reversals:
        payouts.take(batch.batch_id, reversals, by=change.actor, at=change.at)
        held.update(payouts.entries(e.entry_id for e in reversals))
    lines = []
    for line in planned:
        amounts = {i: held[i].amount for i in line.entry_ids if _in_batch(held.get(i), batch)}
        taken = priced(replace(line, state=LineState.PENDING), amounts, batch.setting)
        lines.append(taken if taken.gross > 0 else replace(taken, state=LineState.DROPPED))
    return lines


def _in_batch(entry: LedgerEntry | None, batch: PayoutBatch) -> bool:
    return (
        entry is not None
        and entry.state is EntryState.IN_PAYOUT
        and entry.payout_batch == batch.batch_id
    )


def resume_batch(
    batch_id: str, change: Change, *, payouts: PayoutStore, trail: Trail
) -> BatchDetail:
    """Take the entries of a ``creating`` batch's planned lines, finish its lines and open it
    (``Conflict("payout_batch_busy")`` while another run holds its lease). Each entry is taken
    by a conditional update: an entry another batch took first stays there, a line left with
    nothing is ``dropped``."""
    batch = payouts.get(batch_id)
    if batch is None:
        raise NotFound("payout_batch_not_found")
    if batch.state is not BatchState.CREATING:
        return BatchDetail(batch, payouts.lines(batch_id))
    if not payouts.claim_run(batch_id, now=change.at, until=change.at + RUN_LEASE):
        raise Conflict("payout_batch_busy")
    stored = payouts.lines(batch_id)
    planned = [line for line in stored if line.state is LineState.PLANNED]
    lines = [line for line in stored if line.state is not LineState.PLANNED]
    lines += _taken_lines(batch, planned, payouts, change)
    payouts.finish_lines(lines)
    paying = [line for line in lines if line.state is LineState.PENDING]
    opened = replace(
        batch,
        state=BatchState.OPEN,
        lines=len(paying),
        entries=sum(len(line.entry_ids) for line in paying),
        gross=sum(line.gross for line in paying),
        tax=sum(line.tax for line in paying),
        net=sum(line.net for line in paying),
    )
    payouts.open(opened)
    trail.record(
        _audit(
            change, "payout_batch_created", "payout_batch", batch_id,
            after={
                "lines": opened.lines, "entries": opened.entries, "gross": opened.gross,
                "tax": opened.tax, "net": opened.net, "carried": opened.carried,
                "dropped": len(lines) - len(paying), "setting_version": batch.setting.version,
                "periods": list(batch.periods),
            },
        )
    )  # fmt: skip
    return BatchDetail(opened, sorted(lines, key=lambda line: line.partner_id))


def get_batch(batch_id: str, *, payouts: PayoutStore) -> BatchDetail:
    batch = payouts.get(batch_id) if batch_id.startswith("pb_") else None
    if batch is None:
        raise NotFound("payout_batch_not_found")
    return BatchDetail(batch, payouts.lines(batch_id))


def exportable(batch_id: str, *, payouts: PayoutStore) -> BatchDetail:
    """The batch and its lines to pay, for the export (``open`` or ``exported``)."""
    detail = get_batch(batch_id, payouts=payouts)
    if detail.batch.state not in (BatchState.OPEN, BatchState.EXPORTED):
        raise Conflict("payout_batch_state", state=detail.batch.state.value)
    paying = [line for line in detail.lines if line.state is not LineState.DROPPED]
    return BatchDetail(detail.batch, paying)


def exported(
    batch_id: str, rows: int, change: Change, *, payouts: PayoutStore, trail: Trail
) -> None:
    """The batch ``exported`` (marking its lines needs it) and the export audited: a list of
    names and bank accounts left the system."""
    payouts.mark_exported(batch_id, by=change.actor, at=change.at)
    trail.record(_audit(change, "payout_batch_exported", "payout_batch", batch_id,
                        after={"rows": rows}))  # fmt: skip


# -- lines paid or failed ------------------------------------------------------------------------


def paid_message(
    line: PayoutLine, messaging: Messaging, day: date, at: datetime
) -> OutboundMessage:
    """The partner's ``reward_paid`` (the net amount); its id is the batch's and partner's, so
    a retried settlement writes the same message."""
    return new_message(
        "reward_paid",
        business_key=(line.batch_id, line.partner_id),
        brand_id=messaging.brand_id,
        phone=line.payee.phone,
        language="vi",
        fields={
            "partner_name": line.payee.name,
            "amount": vnd(line.net),
            "paid_on": format_day(day, "vi"),
        },
        subject=line.batch_id,
        now=at,
        pepper=messaging.pepper,
    )


def settle_line(
    batch_id: str,
    partner_id: str,
    to: LineState,
    text: str,
    change: Change,
    *,
    day: date,
    payouts: PayoutStore,
    trail: Trail,
    messaging: Messaging,
) -> BatchDetail:
    """Mark a line of an exported batch paid (``text``: the bank's reference) or failed
    (``text``: why). Paid: its entries → ``paid`` and the partner's ``reward_paid`` queued in
    the line's transaction; failed: → ``payment_failed``, owed again (a later batch pays them).
    The same request again resumes the entries' moves; the batch closes with its last line."""
    detail = get_batch(batch_id, payouts=payouts)
    line = payouts.line(batch_id, partner_id)
    if line is None or line.state in (LineState.PLANNED, LineState.DROPPED):
        raise NotFound("payout_line_not_found")
    if line.state is not to:
        if detail.batch.state is not BatchState.EXPORTED:
            raise Conflict("payout_batch_state", state=detail.batch.state.value)
        paid = to is LineState.PAID
        line = settled(line, to, by=change.actor, at=change.at,
                       reference=text if paid else "", reason="" if paid else text)  # fmt: skip
        payouts.settle(line, paid_message(line, messaging, day, change.at) if paid else None)
        trail.record(
            _audit(
                change, f"payout_line_{to.value}", "payout_line", f"{batch_id}/{partner_id}",
                before={"state": LineState.PENDING.value},
                after={"state": to.value, "net": line.net, "reference": line.reference},
                note=line.reason,
            )
        )  # fmt: skip
    target = EntryState.PAID if to is LineState.PAID else EntryState.PAYMENT_FAILED
    payouts.settle_entries(batch_id, line.entry_ids, target, by=change.actor, at=change.at)
    if payouts.close_if_settled(batch_id, at=change.at):
        trail.record(_audit(change, "payout_batch_closed", "payout_batch", batch_id,
                            after={"state": BatchState.CLOSED.value}))  # fmt: skip
    return get_batch(batch_id, payouts=payouts)


def list_batches(limit: int, *, payouts: PayoutStore) -> list[PayoutBatch]:
    return payouts.newest(limit)
