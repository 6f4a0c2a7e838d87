"""Rebuilding the reports' counters from the tables themselves: a one-off (``python -m devstack
reports rebuild``, ``make report-rollups``) for counters that drifted or predate the reports,
never a Lambda's job (it reads whole tables). Pure: the units, the requests with their
histories, the reward entries and the receivables come in.

A unit counts as the streams counted it: shipped (when a dealer holds it), activated (also when
it was replaced or voided since: its activation happened). A request counts its opening (a
repeat after its unit's earlier request), each reopening and each result in its history, and
every money line. A reward entry and a visit's receivable count as they are now. Shipments
later returned count nothing (shipped, then returned: net 0). Each rebuilt item replaces the
stored one whole; an item nothing accounts for is removed; counting markers are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.catalog.warranty import business_day
from chalicelib.claims.model import Claim, HistoryEntry
from chalicelib.claims.states import ClaimState
from chalicelib.maintenance.receivables import Receivable
from chalicelib.partners.rewards import LedgerEntry
from chalicelib.platform.rollups import Bump, RebuiltItems, rewrite, tally
from chalicelib.reports.changes import (
    claim_dims,
    last_work_end,
    money_lines,
    receivable_side,
    reward_side,
    unit_bumps,
    unit_dims,
)
from chalicelib.reports.facts import (
    FIXED,
    OUTCOMES,
    Dims,
    Fact,
    activation_bumps,
    delta_bumps,
    money_bumps,
    opened_bumps,
    reopened_bumps,
    resolved_bumps,
)


@dataclass(frozen=True)
class ClaimWithHistory:
    claim: Claim
    history: tuple[HistoryEntry, ...]


def unit_facts(units: Iterable[Unit], today: date) -> list[Fact]:
    facts = []
    for unit in units:
        bumps = unit_bumps(None, unit, today=today)
        if unit.activation is not None and unit.status is not UnitStatus.ACTIVATED:
            bumps += activation_bumps(
                unit_dims(unit),
                activated_on=business_day(unit.activation.activated_at),
                shipped_on=unit.shipped_on if unit.dealer_id else None,
            )
        if bumps:
            facts.append(Fact(f"rebuild#{unit.serial}", tuple(bumps)))
    return facts


def _history_bumps(found: ClaimWithHistory, dealer: str) -> list[Bump]:
    claim, dims = found.claim, claim_dims(found.claim, dealer)
    bumps: list[Bump] = []
    reopened = False
    entries = sorted(found.history, key=lambda e: e.seq)
    for before, entry in zip([None, *entries], entries, strict=False):
        if entry.state_to is ClaimState.REOPENED and entry.state_from is not ClaimState.REOPENED:
            since = (entry.at - before.at).days if before is not None else 0
            bumps += reopened_bumps(dims, on=business_day(entry.at), since_work=since)
            reopened = True
        elif entry.state_to.value in OUTCOMES and entry.state_from is not entry.state_to:
            bumps += resolved_bumps(
                dims,
                outcome=entry.state_to.value,
                on=business_day(entry.at),
                hours=int((entry.at - claim.created_at).total_seconds() // 3600),
                first_fix=entry.state_to.value in FIXED
                and entry.state_from is ClaimState.DIAGNOSING
                and not reopened,
            )
    return bumps


def claim_facts(claims: Iterable[ClaimWithHistory], dealers: Mapping[str, str]) -> list[Fact]:
    """Each request's counters, its unit's earlier requests read from the same list."""
    found = list(claims)
    by_serial: dict[str, list[Claim]] = {}
    for item in found:
        by_serial.setdefault(item.claim.serial, []).append(item.claim)
    facts = []
    for item in found:
        claim = item.claim
        dealer = dealers.get(claim.serial, "")
        ended = last_work_end(claim, by_serial[claim.serial])
        since = (claim.created_at - ended).days if ended is not None else None
        bumps = [
            *opened_bumps(claim_dims(claim, dealer), opened_on=business_day(claim.created_at),
                          since_last_work=since),
            *_history_bumps(item, dealer),
            *money_bumps(claim_dims(claim, dealer), money_lines(claim, None)),
        ]  # fmt: skip
        facts.append(Fact(f"rebuild#{claim.claim_id}", tuple(bumps)))
    return facts


def ledger_facts(
    rewards: Iterable[LedgerEntry], receivables: Iterable[Receivable], units: Mapping[str, Unit]
) -> list[Fact]:
    """Each reward entry and each visit's receivable as it is now, under its unit's dims."""

    def dims(serial: str, fallback: Dims) -> Dims:
        unit = units.get(serial)
        return unit_dims(unit) if unit is not None else fallback

    facts = [
        Fact(f"rebuild#{e.entry_id}",
             tuple(delta_bumps(None, reward_side(e, dims(e.serial, Dims(e.model_code))))))
        for e in rewards
    ]  # fmt: skip
    facts += [
        Fact(f"rebuild#{r.month}#{r.ticket_id}",
             tuple(delta_bumps(None, receivable_side(r, dims(r.serial, Dims())))))
        for r in receivables
    ]  # fmt: skip
    return facts


def rebuild(
    units: Iterable[Unit],
    claims: Iterable[ClaimWithHistory],
    *,
    rewards: Iterable[LedgerEntry] = (),
    receivables: Iterable[Receivable] = (),
    today: date,
    store: RebuiltItems,
) -> dict[str, Counter[str]]:
    """Replace every item by what the tables say; returns the items written."""
    by_serial = {unit.serial: unit for unit in units}
    dealers = {serial: unit.dealer_id for serial, unit in by_serial.items()}
    items = tally(
        [
            *unit_facts(by_serial.values(), today),
            *claim_facts(claims, dealers),
            *ledger_facts(rewards, receivables, by_serial),
        ]
    )
    rewrite(items, store=store)
    return items
