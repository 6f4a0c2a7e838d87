"""Response shapes of the reward rules and the ledger (amounts are integer VND)."""

from __future__ import annotations

from typing import Any

from chalicelib.partners.reward_service import Outcome, PeriodReport, RuleHistory
from chalicelib.partners.rewards import EntryState, LedgerEntry, PeriodTotals, RewardRule
from chalicelib.platform.views import iso_day, iso_time


def rule_version_view(rule: RewardRule) -> dict[str, Any]:
    return {
        "rule_id": rule.rule_id,
        "version": rule.version,
        "scope": rule.scope.value,
        "model_code": rule.model_code or None,
        "category": rule.category or None,
        "amount": rule.amount,
        "valid_from": iso_day(rule.valid_from),
        "valid_to": iso_day(rule.valid_to),
        "priority": rule.priority,
        "created_at": iso_time(rule.created_at),
        "created_by": rule.created_by,
        "note": rule.note,
    }


def rule_view(history: RuleHistory) -> dict[str, Any]:
    """The rule's latest version, with every version (oldest first) under ``versions``."""
    return {
        **rule_version_view(history.current),
        "versions": [rule_version_view(v) for v in history.versions],
    }


def entry_view(entry: LedgerEntry, *, staff: bool) -> dict[str, Any]:
    """One ledger entry: the partner sees their own (no partner id, no customer key)."""
    view: dict[str, Any] = {
        "serial": entry.serial,
        "kind": entry.kind.value,
        "model_code": entry.model_code,
        "customer_name_masked": entry.customer_name_masked or None,
        "state": entry.state.value,
        "amount": entry.amount,
        "reason": entry.reason.value if entry.reason else None,
        "flags": [flag.value for flag in entry.flags],
        "rule": {"rule_id": entry.rule_id, "version": entry.rule_version}
        if entry.rule_id
        else None,
        "activated_at": iso_time(entry.activated_at),
        "activation_day": iso_day(entry.activation_day),
        "period": entry.period,
        "history": [
            {
                "at": iso_time(c.at),
                "by": c.by,
                "from": c.state_from.value if c.state_from else None,
                "to": c.state_to.value,
                "note": c.note,
            }
            for c in entry.history
        ],
    }
    if staff:
        view["partner_id"] = entry.partner_id or None
    return view


def outcome_view(outcome: Outcome) -> dict[str, Any]:
    """One serial of a bulk decision: ``decided`` with its new state, or ``refused`` and why."""
    if outcome.entry is not None:
        return {"serial": outcome.serial, "outcome": "decided", "state": outcome.entry.state.value}
    return {"serial": outcome.serial, "outcome": "refused", "code": outcome.code}


def _states(totals: PeriodTotals) -> dict[str, dict[str, int]]:
    return {
        state.value: {"count": totals.counts.get(state, 0), "amount": totals.sums.get(state, 0)}
        for state in EntryState
    }


def partner_month_view(period: str, totals: PeriodTotals) -> dict[str, Any]:
    """A partner's own month: its entries' count, what it earns (every amount but the rejected
    ones, VND) and per state its count and sum (every state present)."""
    return {
        "period": period,
        "entries": sum(totals.counts.values()),
        "earned": totals.earned,
        "states": _states(totals),
    }


def period_view(report: PeriodReport) -> dict[str, Any]:
    """A month: per state its count and sum (VND; every state present), its partners, its lock."""
    totals = report.totals
    return {
        "period": report.period,
        "status": "locked" if report.locked_at else "open",
        "locked_at": iso_time(report.locked_at),
        "locked_by": report.locked_by or None,
        "entries": sum(totals.counts.values()),
        "undecided": totals.undecided,
        "states": _states(totals),
        "partners": sorted(totals.partners),
    }
