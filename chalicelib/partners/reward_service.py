"""Rewards' use cases: staff's reward rules (each change a new version, audited), the one
decision per activated serial from the units stream, and the partner's and staff's reads of the
ledger. Ports are parameters (:mod:`chalicelib.partners.reward_repository` satisfies them)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, FieldError, GarantiError, Invalid, NotFound
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import OutboundMessage
from chalicelib.partners.model import Partner
from chalicelib.partners.rewards import (
    Decision,
    EntryState,
    FraudThresholds,
    History,
    Installation,
    LedgerEntry,
    PeriodTotals,
    RewardRule,
    RuleTerms,
    Scope,
    balance,
    category_key,
    choose_rule,
    decide,
    decided,
    ended,
    ineligibility,
    latest_versions,
    new_rule,
    next_version,
    period_start,
    period_totals,
)
from chalicelib.partners.service import Change, Trail

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class RuleStore(Protocol):
    def add(self, rule: RewardRule) -> None: ...
    def versions(self, rule_id: str) -> list[RewardRule]: ...
    def all_versions(self) -> list[RewardRule]: ...
    def for_model(self, model_code: str) -> list[RewardRule]: ...

    def for_category(self, category: str) -> list[RewardRule]: ...


class Ledger(Protocol):
    def record(self, entry: LedgerEntry) -> bool: ...
    def newest_of_partner(self, partner_id: str, limit: int) -> list[LedgerEntry]: ...
    def count_of_customer(self, customer_key: str, up_to: int) -> int: ...
    def page_of_partner(
        self,
        partner_id: str,
        *,
        limit: int,
        after: dict[str, Any] | None,
        period: str | None = None,
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]: ...
    def entries_of_partner(
        self, partner_id: str, period: str | None = None
    ) -> Iterator[LedgerEntry]: ...
    def page_of_period(
        self, period: str, *, state: EntryState | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]: ...


class Decisions(Protocol):
    def get(self, entry_id: str) -> LedgerEntry | None: ...
    def save_decision(
        self, before: LedgerEntry, after: LedgerEntry, message: OutboundMessage | None
    ) -> None: ...
    def entries_of_period(self, period: str) -> Iterator[LedgerEntry]: ...
    def totals_of_period(self, period: str) -> PeriodTotals: ...
    def period(self, period: str) -> Any: ...  # a PeriodLock: ``locked_at``, ``locked_by``
    def lock(self, period: str, *, by: str, at: datetime) -> None: ...


class ModelReader(Protocol):
    """Raises ``NotFound("model_not_found")`` for a model the catalog has not."""

    def get(self, code: str) -> Any: ...

    def list(self) -> Sequence[Any]: ...  # the catalogue's models (each has ``category``)


class PartnerFinder(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...
    def find_by_phone(self, phone_key: str) -> Partner | None: ...


@dataclass(frozen=True)
class RuleHistory:
    """A rule's latest version (what applies) and every version, oldest first."""

    current: RewardRule
    versions: list[RewardRule]


class PartnerNames(Protocol):
    def names_of(self, partner_ids: set[str]) -> dict[str, str]: ...


@dataclass(frozen=True)
class EntryPage:
    entries: list[LedgerEntry]
    after: dict[str, Any] | None
    partner_names: dict[str, str] = field(default_factory=dict)


def new_rule_id() -> str:
    return "r_" + "".join(secrets.choice(_CROCKFORD) for _ in range(12))


def _rule_view(rule: RewardRule) -> dict[str, Any]:
    return {
        "version": rule.version,
        "model_code": rule.model_code or None,
        "category": rule.category or None,
        "amount": rule.amount,
        "valid_from": rule.valid_from.isoformat(),
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        "priority": rule.priority,
    }


def _audit(change: Change, action: str, rule: RewardRule, before: RewardRule | None) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="reward_rule",
        entity_id=rule.rule_id,
        source=change.source,
        before=_rule_view(before) if before else None,
        after=_rule_view(rule),
        note=rule.note or None,
    )


def _current(rule_id: str, rules: RuleStore) -> RuleHistory:
    versions = rules.versions(rule_id) if rule_id.startswith("r_") else []
    if not versions:
        raise NotFound("reward_rule_not_found")
    return RuleHistory(max(versions, key=lambda r: r.version), versions)


def create_rule(
    terms: RuleTerms, change: Change, *, models: ModelReader, rules: RuleStore, trail: Trail
) -> RewardRule:
    """A new rule (version 1) for a model of the catalog (``NotFound("model_not_found")``) or
    a category one of its models has (``Invalid`` ``reward_rule_category_unknown``)."""
    rule = new_rule(new_rule_id(), terms, by=change.actor, at=change.at)
    if rule.scope is Scope.CATEGORY:
        used = {category_key(model.category) for model in models.list()}
        if category_key(rule.category) not in used:
            raise Invalid(fields=[FieldError("category", "reward_rule_category_unknown")])
    else:
        models.get(terms.model_code)
    rules.add(rule)
    trail.record(_audit(change, "reward_rule_created", rule, None))
    return rule


def change_rule(
    rule_id: str, terms: RuleTerms, change: Change, *, rules: RuleStore, trail: Trail
) -> RewardRule:
    """The rule's next version with ``terms`` (the old one is kept); two staff members changing
    it at once: the second is ``Conflict("reward_rule_changed")``."""
    before = _current(rule_id, rules).current
    rule = next_version(before, terms, by=change.actor, at=change.at)
    rules.add(rule)
    trail.record(_audit(change, "reward_rule_changed", rule, before))
    return rule


def end_rule(
    rule_id: str, last_day: date, note: str, change: Change, *, rules: RuleStore, trail: Trail
) -> RewardRule:
    """The rule's next version ending on ``last_day``."""
    before = _current(rule_id, rules).current
    rule = ended(before, last_day, by=change.actor, at=change.at, note=note)
    rules.add(rule)
    trail.record(_audit(change, "reward_rule_ended", rule, before))
    return rule


def list_rules(*, rules: RuleStore) -> list[RuleHistory]:
    """Every rule with its versions, the latest first by model then priority."""
    every = rules.all_versions()
    grouped: dict[str, list[RewardRule]] = {}
    for rule in every:
        grouped.setdefault(rule.rule_id, []).append(rule)
    histories = [
        RuleHistory(current, sorted(grouped[current.rule_id], key=lambda r: r.version))
        for current in latest_versions(every)
    ]
    return sorted(
        histories,
        key=lambda h: (h.current.model_code, category_key(h.current.category), -h.current.priority),
    )


# -- the decision from the units stream ---------------------------------------------------------


def find_partner(
    installation: Installation, *, phone_key: Callable[[str], str], partners: PartnerFinder
) -> Partner | None:
    """The installer's partner: by id when a signed-in partner activated (one read), else by
    the installer's phone (one query on the partners' ``phone_index``)."""
    if installation.partner_id:
        return partners.get(installation.partner_id)
    return partners.find_by_phone(phone_key(installation.installer_phone))


def decide_reward(
    installation: Installation,
    *,
    limits: FraudThresholds,
    rules_for: Callable[[str, str], Iterable[RewardRule]],
    phone_key: Callable[[str], str],
    partners: PartnerFinder,
    ledger: Ledger,
) -> tuple[LedgerEntry, bool]:
    """Decide the serial's reward once and write it (a conditional put): the entry and whether
    this call wrote it (``False``: an entry for the serial existed, from a redelivery or a
    concurrent delivery; nothing is changed).

    Reads: the partner (1), the model's rules (``rules_for``: the caller caches them per batch),
    and for an eligible installation the partner's newest entries (1) and the customer's entry
    count (1)."""
    partner = find_partner(installation, phone_key=phone_key, partners=partners)
    rules = list(rules_for(installation.model_code, installation.category))
    history = History(partner_entries=(), customer_entries=0)
    rule = choose_rule(
        rules, installation.model_code, installation.activation_day, installation.category
    )
    if partner is not None and ineligibility(installation, partner, rule) is None:
        # only an eligible entry has fraud signals to look for
        newest = max(limits.burst_count, limits.sequence_run - 1)
        history = History(
            partner_entries=ledger.newest_of_partner(partner.partner_id, newest + 1),
            customer_entries=ledger.count_of_customer(
                installation.customer_key, limits.units_per_customer + 1
            ),
        )
    entry = decide(installation, partner, rules, history, limits)
    return entry, ledger.record(entry)


# -- reads -------------------------------------------------------------------------------------


def partner_page(
    partner_id: str,
    *,
    limit: int,
    after: dict[str, Any] | None,
    ledger: Ledger,
    period: str | None = None,
) -> EntryPage:
    """One page of the partner's own entries, newest first; with ``period`` (``YYYY-MM``), the
    month's only."""
    found, last = ledger.page_of_partner(partner_id, limit=limit, after=after, period=period)
    return EntryPage(found, last)


def partner_month(partner_id: str, period: str, *, ledger: Ledger) -> PeriodTotals:
    """The partner's own month: counts and sums per state (one query of the partner's entries
    created since the month began, filtered to the month)."""
    return period_totals(ledger.entries_of_partner(partner_id, period))


def partner_balance(partner_id: str, *, ledger: Ledger) -> int:
    """Approved minus paid, integer VND (a sum over the partner's entries)."""
    return balance(ledger.entries_of_partner(partner_id))


def period_page(
    period: str,
    state: EntryState | None,
    *,
    limit: int,
    after: dict[str, Any] | None,
    ledger: Ledger,
    partners: PartnerNames,
) -> EntryPage:
    """One page of a month's entries, newest first, optionally in one state, with the names of
    the page's partners (one batch read: staff reconcile by name, not by id)."""
    found, last = ledger.page_of_period(period, state=state, limit=limit, after=after)
    names = partners.names_of({e.partner_id for e in found if e.partner_id})
    return EntryPage(found, last, names)


# -- the manager's reconciliation ---------------------------------------------------------------


@dataclass(frozen=True)
class Messaging:
    """What the partner's ``reward_approved`` needs: the pepper of phone keys and the brand."""

    pepper: bytes
    brand_id: str


@dataclass(frozen=True)
class Outcome:
    """One serial of a bulk decision: the entry as decided, or the refusal's code."""

    serial: str
    entry: LedgerEntry | None = None
    code: str = ""


def vnd(amount: int) -> str:
    """``50000`` → ``50.000 ₫`` (Vietnam's grouping)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def approval_message(
    entry: LedgerEntry, partner: Partner, messaging: Messaging, at: datetime
) -> OutboundMessage:
    """The partner's ``reward_approved``; its id is the serial's (a second approval of the
    same serial cannot exist, and a retried one writes the same id)."""
    return new_message(
        "reward_approved",
        business_key=(entry.entry_id,),
        brand_id=messaging.brand_id,
        phone=partner.phone,
        language="vi",
        fields={
            "partner_name": partner.details.name,
            "serial": entry.serial,
            "amount": vnd(entry.amount),
        },
        subject=entry.serial,
        now=at,
        pepper=messaging.pepper,
    )


def _decision_audit(change: Change, before: LedgerEntry, after: LedgerEntry) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=f"reward_{after.state.value}",
        entity="reward",
        entity_id=after.entry_id,
        source=change.source,
        before={"state": before.state.value, "version": before.version},
        after={"state": after.state.value, "version": after.version, "amount": after.amount},
        note=after.history[-1].note or None,
    )


def decide_entry(
    serial: str,
    decision: Decision,
    note: str,
    change: Change,
    *,
    ledger: Decisions,
    partners: PartnerFinder,
    trail: Trail,
    messaging: Messaging,
) -> LedgerEntry:
    """A manager approves or rejects one entry: one transaction conditional on the entry's
    state and version and on its month being open, with the partner's ``reward_approved``
    queued in it when approving. Audited (``entity`` ``reward``)."""
    before = ledger.get(serial)
    if before is None:
        raise NotFound("reward_not_found")
    if ledger.period(before.period).locked_at is not None:
        raise Conflict("period_locked", period=before.period)
    after = decided(before, decision, by=change.actor, at=change.at, note=note)
    message = None
    if after.state is EntryState.APPROVED and after.partner_id:
        partner = partners.get(after.partner_id)
        message = approval_message(after, partner, messaging, change.at) if partner else None
    ledger.save_decision(before, after, message)
    trail.record(_decision_audit(change, before, after))
    return after


def decide_entries(
    serials: Iterable[str],
    decision: Decision,
    note: str,
    change: Change,
    *,
    ledger: Decisions,
    partners: PartnerFinder,
    trail: Trail,
    messaging: Messaging,
) -> list[Outcome]:
    """Each serial decided on its own (one transaction each): every serial gets its outcome,
    the decided entry or the refusal's code; none is skipped silently."""
    outcomes = []
    for serial in dict.fromkeys(serials):
        try:
            entry = decide_entry(
                serial, decision, note, change,
                ledger=ledger, partners=partners, trail=trail, messaging=messaging,
            )  # fmt: skip
        except GarantiError as exc:
            outcomes.append(Outcome(serial, code=_refusal(exc)))
        else:
            outcomes.append(Outcome(serial, entry=entry))
    return outcomes


def _refusal(exc: GarantiError) -> str:
    fields = getattr(exc, "fields", None)
    return str(fields[0].code) if fields else exc.code


@dataclass(frozen=True)
class PeriodReport:
    period: str
    totals: PeriodTotals
    locked_at: datetime | None
    locked_by: str


def period_report(period: str, *, ledger: Decisions) -> PeriodReport:
    """The month's counts and sums per state and its partners (a query of the month on
    ``period_index``, never a scan), and its lock."""
    lock = ledger.period(period)
    totals = ledger.totals_of_period(period)
    return PeriodReport(period, totals, lock.locked_at, lock.locked_by)


def lock_period(period: str, change: Change, *, ledger: Decisions, trail: Trail) -> PeriodReport:
    """Sign the month off: ``Conflict("period_not_started")`` before it begins (an entry of a
    locked month written late goes to the next open one: see the ledger's ``record``),
    ``Conflict("period_has_undecided", count=…)`` while any entry is
    pending or held, ``Conflict("period_locked")`` once locked. A decision racing the lock
    loses in its own transaction (it checks the month is open)."""
    if period_start(period) > change.at:
        raise Conflict("period_not_started", period=period)
    report = period_report(period, ledger=ledger)
    if report.locked_at is not None:
        raise Conflict("period_locked", period=period)
    if report.totals.undecided:
        raise Conflict("period_has_undecided", count=report.totals.undecided)
    ledger.lock(period, by=change.actor, at=change.at)
    trail.record(
        AuditEntry(
            at=change.at,
            actor=change.actor,
            action="reward_period_locked",
            entity="reward_period",
            entity_id=period,
            source=change.source,
            before={"locked": False},
            after={"locked": True, "entries": sum(report.totals.counts.values())},
        )
    )
    return PeriodReport(period, report.totals, change.at, change.actor)
