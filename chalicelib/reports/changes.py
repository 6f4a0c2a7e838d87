"""Which change of a unit or a service request the reports count (:mod:`chalicelib.reports.facts`
names the counters). Pure: no I/O; the stream steps and the rebuild both come here, so the
counters a stream keeps and the ones a rebuild writes are the same.

>>> from dataclasses import replace
>>> from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
>>> from datetime import UTC
>>> d, at = date(2026, 12, 1), datetime(2026, 12, 11, 3, tzinfo=UTC)
>>> shipped = Unit("SN-1", "AC-9", UnitStatus.SHIPPED, shipped_on=d, dealer_id="d_1",
...                shipment_id="s_1")
>>> sorted({b.counter.split("|")[0] for b in unit_bumps(None, shipped, today=d)})
['ship']
>>> owner = Owner("Lan", "+84912345678", province="Huế")
>>> activation = Activation(at, d, d, "activation", "web", owner)
>>> active = replace(shipped, status=UnitStatus.ACTIVATED, activation=activation)
>>> sorted(b.counter for b in unit_bumps(shipped, active, today=d) if b.item == "totals")
['field|AC-9|d_1|Huế|web']
>>> unit_bumps(active, active, today=d)
[]
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.catalog.warranty import business_day
from chalicelib.claims.model import Claim
from chalicelib.claims.states import FINISHED, ClaimState
from chalicelib.dealers import funnel
from chalicelib.maintenance.receivables import Receivable
from chalicelib.partners.rewards import EntryKind, EntryState, LedgerEntry
from chalicelib.platform.rollups import Bump
from chalicelib.reports import facts
from chalicelib.reports.facts import (
    FIXED,
    OUTCOMES,
    Dims,
    MoneyLine,
    activation_bumps,
    money_bumps,
    opened_bumps,
    reopened_bumps,
    resolved_bumps,
    shipment_bumps,
)

_UNDONE = (funnel.RETURNED, funnel.UNSHIPPED)


def unit_dims(unit: Unit) -> Dims:
    """An activated unit's dimensions (its model, dealer, owner's province, channel)."""
    activation = unit.activation
    if activation is None:
        return Dims(unit.model_code, unit.dealer_id)
    return Dims(unit.model_code, unit.dealer_id, activation.owner.province, activation.channel)


def unit_bumps(old: Unit | None, new: Unit | None, *, today: date) -> list[Bump]:
    """What one write of a unit changes in the reports: a shipment (or its undoing, in the same
    cohort: the dealer funnel's reading of the change, ``dealers.funnel``) and an activation."""
    activated_on = (
        business_day(new.activation.activated_at)
        if new is not None and new.activation is not None
        else None
    )
    bumps: list[Bump] = []
    for change in funnel.unit_changes(old, new, activated_on=activated_on, today=today):
        if change.kind == funnel.SHIPPED:
            bumps += shipment_bumps(change.model_code, change.dealer_id, change.shipped_on)
        elif change.kind in _UNDONE:
            bumps += shipment_bumps(change.model_code, change.dealer_id, change.shipped_on, -1)
    newly = old is None or old.status is not UnitStatus.ACTIVATED
    if new is not None and new.status is UnitStatus.ACTIVATED and newly and activated_on:
        shipped_on = new.shipped_on if new.dealer_id else None
        bumps += activation_bumps(unit_dims(new), activated_on=activated_on, shipped_on=shipped_on)
    return bumps


def claim_dims(claim: Claim, dealer: str) -> Dims:
    """A request's dimensions: its unit's model and dealer, the customer's province, the
    channel it came by (portal, console, zalo)."""
    return Dims(claim.model_code, dealer, claim.customer.province, claim.channel.value)


def last_work_end(claim: Claim, others: list[Claim]) -> datetime | None:
    """When the work of the unit's latest earlier request ended (returned, confirmed, closed:
    the moment it got there), for a repeat; ``None`` when no earlier request's work ended."""
    ends = [
        other.state_since
        for other in others
        if other.claim_id != claim.claim_id
        and other.created_at < claim.created_at
        and other.state in FINISHED
        and other.state is not ClaimState.QUOTE_DECLINED
    ]
    return max(ends, default=None)


def money_lines(claim: Claim, old: Claim | None) -> list[MoneyLine]:
    """The request's lines ``old`` did not have (lines are appended, never edited)."""
    known = {line.line_id for line in old.costs} if old is not None else set()
    return [
        MoneyLine(
            kind=line.kind,
            payer=line.payer,
            amount_vnd=line.amount_vnd,
            at=line.at,
            on=business_day(line.at),
            quantity=line.quantity,
            part_code=line.part_code,
        )
        for line in claim.costs
        if line.line_id not in known
    ]


def claim_bumps(
    old: Claim | None, new: Claim, *, dealer: str, work_ended: datetime | None
) -> list[Bump]:
    """What one write of a request changes in the reports: its opening (a repeat when the
    unit's previous work ended ``work_ended``, within 90 days), a reopening, the workshop's
    result, and its new money lines."""
    dims = claim_dims(new, dealer)
    bumps: list[Bump] = []
    if old is None:
        since = (new.created_at - work_ended).days if work_ended is not None else None
        bumps += opened_bumps(dims, opened_on=business_day(new.created_at), since_last_work=since)
    elif new.state is ClaimState.REOPENED and old.state is not ClaimState.REOPENED:
        bumps += reopened_bumps(
            dims,
            on=business_day(new.state_since),
            since_work=(new.state_since - old.state_since).days,
        )
    if new.state.value in OUTCOMES and (old is None or old.state is not new.state):
        hours = int((new.state_since - new.created_at).total_seconds() // 3600)
        first_fix = (
            new.state.value in FIXED
            and old is not None
            and old.state is ClaimState.DIAGNOSING
            and new.reopen_count == 0
        )
        bumps += resolved_bumps(
            dims,
            outcome=new.state.value,
            on=business_day(new.state_since),
            hours=hours,
            first_fix=first_fix,
        )
    return bumps + money_bumps(dims, money_lines(new, old))


def reward_contribution(entry: LedgerEntry) -> dict[str, int]:
    """An installer's reward entry as the reports count it: one entry (flagged or not by a fraud
    signal), and its amount unless rejected."""
    found = {facts.REWARD_VND: 0 if entry.state is EntryState.REJECTED else entry.amount}
    if entry.kind is EntryKind.REWARD:
        found[facts.REWARD_ENTRIES] = 1
        found[facts.REWARD_FLAGGED] = 1 if entry.flags else 0
    return found


def reward_side(entry: LedgerEntry | None, dims: Dims) -> tuple[str, Dims, dict[str, int]] | None:
    if entry is None:
        return None
    return (facts.day_item(facts.REWARD, entry.activation_day), dims, reward_contribution(entry))


def receivable_contribution(receivable: Receivable) -> dict[str, int]:
    """A paid visit's money as the reports count it: what it costs the customer, its parts, and
    what its holder collected and handed over."""
    holder = receivable.holder or facts.UNKNOWN
    return {
        facts.VISITS: 1,
        facts.VISIT_VND: receivable.amount_vnd,
        facts.VISIT_PARTS_VND: receivable.parts_cost_vnd,
        f"{facts.COLLECTED_BY}{holder}": receivable.collected_vnd,
        f"{facts.REMITTED_BY}{holder}": receivable.remitted_vnd or 0,
    }


def receivable_side(
    receivable: Receivable | None, dims: Dims
) -> tuple[str, Dims, dict[str, int]] | None:
    if receivable is None:
        return None
    item = facts.day_item(facts.MAINT, receivable.done_on)
    return (item, dims, receivable_contribution(receivable))
