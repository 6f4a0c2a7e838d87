"""Rewards' use cases: staff's reward rules (each change a new version, audited), the one
decision per activated serial from the units stream, and the partner's and staff's reads of the
ledger. Ports are parameters (:mod:`chalicelib.partners.reward_repository` satisfies them)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import NotFound
from chalicelib.partners.model import Partner
from chalicelib.partners.rewards import (
    EntryState,
    FraudThresholds,
    History,
    Installation,
    LedgerEntry,
    RewardRule,
    RuleTerms,
    balance,
    choose_rule,
    decide,
    ended,
    ineligibility,
    latest_versions,
    new_rule,
    next_version,
)
from chalicelib.partners.service import Change, Trail

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class RuleStore(Protocol):
    def add(self, rule: RewardRule) -> None: ...
    def versions(self, rule_id: str) -> list[RewardRule]: ...
    def all_versions(self) -> list[RewardRule]: ...
    def for_model(self, model_code: str) -> list[RewardRule]: ...


class Ledger(Protocol):
    def record(self, entry: LedgerEntry) -> bool: ...
    def newest_of_partner(self, partner_id: str, limit: int) -> list[LedgerEntry]: ...
    def count_of_customer(self, customer_key: str, up_to: int) -> int: ...
    def page_of_partner(
        self, partner_id: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]: ...
    def entries_of_partner(self, partner_id: str) -> Iterator[LedgerEntry]: ...
    def page_of_period(
        self, period: str, *, state: EntryState | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]: ...


class ModelReader(Protocol):
    """Raises ``NotFound("model_not_found")`` for a model the catalog has not."""

    def get(self, code: str) -> Any: ...


class PartnerFinder(Protocol):
    def get(self, partner_id: str) -> Partner | None: ...
    def find_by_phone(self, phone_key: str) -> Partner | None: ...


@dataclass(frozen=True)
class RuleHistory:
    """A rule's latest version (what applies) and every version, oldest first."""

    current: RewardRule
    versions: list[RewardRule]


@dataclass(frozen=True)
class EntryPage:
    entries: list[LedgerEntry]
    after: dict[str, Any] | None


def new_rule_id() -> str:
    return "r_" + "".join(secrets.choice(_CROCKFORD) for _ in range(12))


def _rule_view(rule: RewardRule) -> dict[str, Any]:
    return {
        "version": rule.version,
        "model_code": rule.model_code,
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
    """A new rule (version 1) for a model of the catalog (``NotFound("model_not_found")``)."""
    rule = new_rule(new_rule_id(), terms, by=change.actor, at=change.at)
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
    return sorted(histories, key=lambda h: (h.current.model_code, -h.current.priority))


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
    rules_for: Callable[[str], Iterable[RewardRule]],
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
    rules = list(rules_for(installation.model_code))
    history = History(partner_entries=(), customer_entries=0)
    rule = choose_rule(rules, installation.model_code, installation.activation_day)
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
    partner_id: str, *, limit: int, after: dict[str, Any] | None, ledger: Ledger
) -> EntryPage:
    """One page of the partner's own entries, newest first."""
    found, last = ledger.page_of_partner(partner_id, limit=limit, after=after)
    return EntryPage(found, last)


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
) -> EntryPage:
    """One page of a month's entries, newest first, optionally in one state."""
    found, last = ledger.page_of_period(period, state=state, limit=limit, after=after)
    return EntryPage(found, last)
