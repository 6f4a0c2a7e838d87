"""Installer rewards: the rules that price an installation, the decision made once per activated
serial, the fraud signals that hold an entry for review, and the ledger's states. Pure: no I/O.

**Rules.** A rule pays ``amount`` (integer VND) for a model code, or for every model of a
category (the catalogue's ``category``, compared folded: case and diacritics ignored), from
``valid_from`` to ``valid_to`` (both days included; no end: open). A rule is never edited: a
change is a new version of it (same ``rule_id``, ``version`` + 1), the old ones kept; only a
rule's latest version counts. The rule that applies to an activation is the one covering the
model on the activation day (Vietnam's calendar) with the highest priority; among equals the
most specific, then the latest ``valid_from``, then the smallest ``rule_id`` (a stable choice).

**The ledger.** At most one entry per serial, ever. An eligible entry starts ``pending``, or
``held`` with its fraud flags; ``not_eligible`` entries record the reason and never move::

    pending → held → approved | rejected (note) → in_payout → paid | payment_failed
    pending → approved | rejected;  payment_failed → in_payout (paid again)

A reversal of a paid entry is a new entry of the negative amount (``approved``: it nets against
the partner's next payout). The balance owed to a partner is everything approved minus
everything paid: the amounts of entries in ``approved``, ``in_payout`` and ``payment_failed``.

>>> rule = RewardRule("r1", 1, "AC-9", 50_000, date(2026, 1, 1), None, 0)
>>> choose_rule([rule], "AC-9", date(2026, 1, 1)).amount
50000
>>> choose_rule([rule], "AC-9", date(2025, 12, 31)) is None
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from chalicelib.catalog.warranty import BUSINESS_TIMEZONE
from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.core.text import fold_name
from chalicelib.partners.model import Partner, PartnerStatus

NOTE_MAX = 500
PERIOD = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")  # a month, ``YYYY-MM``
AMOUNT_MAX = 100_000_000  # 100 million VND: a typo guard, not a policy


# -- rules -------------------------------------------------------------------------------------


class Scope(StrEnum):
    MODEL = "model"
    CATEGORY = "category"  # every model of a category


SPECIFICITY = {Scope.MODEL: 2, Scope.CATEGORY: 1}  # at one priority, a model's rule wins


def category_key(category: str) -> str:
    """What two spellings of one category share: ``Máy  lạnh`` and ``may lanh``.

    >>> category_key(" Máy  Lạnh "), category_key("")
    ('may lanh', '')
    """
    return fold_name(category)


@dataclass(frozen=True)
class RewardRule:
    rule_id: str
    version: int
    model_code: str
    amount: int  # VND, > 0
    valid_from: date
    valid_to: date | None  # the last day it covers; None: open-ended
    priority: int
    scope: Scope = Scope.MODEL
    created_at: datetime | None = None
    created_by: str = ""
    note: str = ""
    category: str = ""  # a category rule's (``model_code`` is then "")

    def covers(self, model_code: str, day: date, category: str = "") -> bool:
        """Whether the rule prices ``model_code`` (of ``category``) activated on ``day`` (both
        ends included)."""
        in_window = self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
        if self.scope is Scope.CATEGORY:
            key = category_key(category)
            return in_window and key != "" and key == category_key(self.category)
        return self.model_code == model_code and in_window


@dataclass(frozen=True)
class RuleTerms:
    """What staff give for a rule or a new version of one."""

    model_code: str
    amount: int
    valid_from: date
    valid_to: date | None
    priority: int
    note: str = ""
    category: str = ""  # instead of ``model_code``: a category rule

    @property
    def scope(self) -> Scope:
        return Scope.CATEGORY if self.category else Scope.MODEL


def check_terms(terms: RuleTerms) -> None:
    """``Invalid`` with a field error for each term out of bounds; a rule names a model or a
    category, never both."""
    problems = []
    if bool(terms.model_code) == bool(terms.category):
        problems.append(FieldError("model_code", "reward_rule_scope_invalid"))
    if not 0 < terms.amount <= AMOUNT_MAX:
        problems.append(FieldError("amount", "reward_amount_invalid"))
    if terms.valid_to is not None and terms.valid_to < terms.valid_from:
        problems.append(FieldError("valid_to", "reward_rule_dates_invalid"))
    if not -1000 <= terms.priority <= 1000:
        problems.append(FieldError("priority", "reward_priority_invalid"))
    if problems:
        raise Invalid(fields=problems)


def new_rule(rule_id: str, terms: RuleTerms, *, by: str, at: datetime) -> RewardRule:
    check_terms(terms)
    return RewardRule(
        rule_id=rule_id,
        version=1,
        model_code=terms.model_code,
        category=terms.category,
        scope=terms.scope,
        amount=terms.amount,
        valid_from=terms.valid_from,
        valid_to=terms.valid_to,
        priority=terms.priority,
        created_at=at,
        created_by=by,
        note=terms.note,
    )


def next_version(current: RewardRule, terms: RuleTerms, *, by: str, at: datetime) -> RewardRule:
    """The rule's next version with new terms; its model or category stays (a rule for another
    is a new rule: ``Invalid`` ``reward_rule_model_fixed``)."""
    check_terms(terms)
    if (terms.model_code, category_key(terms.category)) != (
        current.model_code,
        category_key(current.category),
    ):
        raise Invalid(fields=[FieldError("model_code", "reward_rule_model_fixed")])
    return replace(
        current,
        version=current.version + 1,
        amount=terms.amount,
        valid_from=terms.valid_from,
        valid_to=terms.valid_to,
        priority=terms.priority,
        created_at=at,
        created_by=by,
        note=terms.note,
    )


def ended(current: RewardRule, last_day: date, *, by: str, at: datetime, note: str) -> RewardRule:
    """The rule's next version ending on ``last_day`` (from then on it covers nothing):
    ``Conflict("reward_rule_ended")`` when it already ends on or before that day."""
    if current.valid_to is not None and current.valid_to <= last_day:
        raise Conflict("reward_rule_ended", valid_to=current.valid_to.isoformat())
    return replace(
        current,
        version=current.version + 1,
        valid_to=max(last_day, current.valid_from - timedelta(days=1)),
        created_at=at,
        created_by=by,
        note=note,
    )


def latest_versions(rules: Iterable[RewardRule]) -> list[RewardRule]:
    """Each rule's latest version (what counts); the older versions are history."""
    latest: dict[str, RewardRule] = {}
    for rule in rules:
        if rule.rule_id not in latest or latest[rule.rule_id].version < rule.version:
            latest[rule.rule_id] = rule
    return list(latest.values())


def choose_rule(
    rules: Iterable[RewardRule], model_code: str, day: date, category: str = ""
) -> RewardRule | None:
    """The rule that prices ``model_code`` (of ``category``) activated on ``day``: highest
    priority, then the most specific (a model's rule before its category's), then the latest
    start, then the smallest id; ``None`` when none covers it.

    >>> low = RewardRule("a", 1, "AC-9", 10_000, date(2026, 1, 1), None, 0)
    >>> high = RewardRule("b", 1, "AC-9", 30_000, date(2026, 1, 1), date(2026, 1, 31), 5)
    >>> choose_rule([low, high], "AC-9", date(2026, 1, 31)).rule_id
    'b'
    >>> choose_rule([low, high], "AC-9", date(2026, 2, 1)).rule_id
    'a'
    """
    covering = [r for r in latest_versions(rules) if r.covers(model_code, day, category)]
    if not covering:
        return None
    return min(
        covering,
        key=lambda r: (-r.priority, -SPECIFICITY[r.scope], -r.valid_from.toordinal(), r.rule_id),
    )


# -- the ledger --------------------------------------------------------------------------------


class EntryState(StrEnum):
    PENDING = "pending"
    HELD = "held"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_PAYOUT = "in_payout"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    NOT_ELIGIBLE = "not_eligible"


TRANSITIONS: dict[EntryState, frozenset[EntryState]] = {
    EntryState.PENDING: frozenset({EntryState.HELD, EntryState.APPROVED, EntryState.REJECTED}),
    EntryState.HELD: frozenset({EntryState.APPROVED, EntryState.REJECTED}),
    EntryState.APPROVED: frozenset({EntryState.IN_PAYOUT}),
    EntryState.IN_PAYOUT: frozenset({EntryState.PAID, EntryState.PAYMENT_FAILED}),
    EntryState.PAYMENT_FAILED: frozenset({EntryState.IN_PAYOUT}),
    EntryState.REJECTED: frozenset(),
    EntryState.PAID: frozenset(),
    EntryState.NOT_ELIGIBLE: frozenset(),
}
OWED = frozenset({EntryState.APPROVED, EntryState.IN_PAYOUT, EntryState.PAYMENT_FAILED})


class NotEligible(StrEnum):
    NO_PARTNER = "no_partner"
    PARTNER_NOT_APPROVED = "partner_not_approved"
    PHONE_MISMATCH = "phone_mismatch"
    NO_RULE = "no_rule"


class Flag(StrEnum):
    BURST = "burst"
    SEQUENTIAL_SERIALS = "sequential_serials"
    CUSTOMER_IS_PARTNER = "customer_is_partner"
    CUSTOMER_MANY_UNITS = "customer_many_units"
    # the customer's confirmation finally failed on every channel: the phone may not be theirs
    CONFIRMATION_UNDELIVERED = "confirmation_undelivered"
    # activated before it was ever shipped to a dealer (``require_shipment`` brands only)
    NOT_SHIPPED = "activated_before_shipment"


class EntryKind(StrEnum):
    REWARD = "reward"
    REVERSAL = "reversal"


@dataclass(frozen=True)
class StateChange:
    at: datetime
    by: str
    state_from: EntryState | None
    state_to: EntryState
    note: str = ""


@dataclass(frozen=True)
class LedgerEntry:
    """One serial's reward decision (``entry_id`` = the serial), or a reversal
    (``entry_id`` = ``<serial>#reversal``)."""

    entry_id: str
    serial: str
    model_code: str
    partner_id: str  # "" when no partner has the installer's phone
    state: EntryState
    amount: int  # VND; 0 when not eligible; negative for a reversal
    activated_at: datetime
    activation_day: date  # Vietnam's calendar: the rule's day and the period's month
    created_at: datetime  # = the activation's instant: a redelivery writes the same item
    customer_key: str  # HMAC of the customer's phone (the "many units" signal's key)
    rule_id: str = ""
    rule_version: int = 0
    reason: NotEligible | None = None
    flags: tuple[Flag, ...] = ()
    kind: EntryKind = EntryKind.REWARD
    history: tuple[StateChange, ...] = ()
    version: int = 0  # + 1 per staff decision: the decision's conditional update checks it
    customer_name_masked: str = ""  # ``N***** V** A*``: the installer recognises the job
    payout_batch: str = ""  # the payout batch that took it last (in_payout, paid, failed)

    # ``YYYY-MM``, the month it is reconciled in: its activation day's, or, for an entry written
    # when that month was already signed off (a late entry), the first open month after it
    period: str = ""

    def __post_init__(self) -> None:
        if not self.period:
            object.__setattr__(self, "period", self.activation_day.strftime("%Y-%m"))


def next_period(period: str) -> str:
    """The month after ``period``: where a late entry of a signed-off month goes.

    >>> next_period("2026-11"), next_period("2026-12")
    ('2026-12', '2027-01')
    """
    year, month = (int(part) for part in period.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def previous_period(period: str) -> str:
    """The month before ``period``.

    >>> previous_period("2027-01"), previous_period("2026-12")
    ('2026-12', '2026-11')
    """
    year, month = (int(part) for part in period.split("-"))
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def period_start(period: str) -> datetime:
    """The month's first instant (Vietnam's calendar): every entry of the month was created then
    or later (a reward at its activation, a reversal after the entry it takes back).

    >>> period_start("2026-11").isoformat()
    '2026-10-31T17:00:00+00:00'
    """
    year, month = (int(part) for part in period.split("-"))
    return datetime(year, month, 1, tzinfo=BUSINESS_TIMEZONE).astimezone(UTC)


def move(
    entry: LedgerEntry, to: EntryState, *, by: str, at: datetime, note: str = ""
) -> LedgerEntry:
    """The entry in state ``to``; ``Conflict("reward_state_not_allowed")`` for a move the
    machine has not, ``Invalid`` (``note_required``) to reject without a note."""
    if to not in TRANSITIONS[entry.state]:
        raise Conflict("reward_state_not_allowed", state=entry.state.value, to=to.value)
    if to is EntryState.REJECTED and not note.strip():
        raise Invalid(fields=[FieldError("note", "note_required")])
    change = StateChange(at, by, entry.state, to, note.strip())
    return replace(entry, state=to, history=(*entry.history, change))


def held_for(entry: LedgerEntry, flag: Flag, *, at: datetime) -> LedgerEntry | None:
    """A pending entry held for review with ``flag`` (a signal learnt after the decision: the
    customer's confirmation never arrived), or ``None`` when there is nothing to do (the entry
    is decided already, or held with that flag). A held entry gains the flag and stays held.

    >>> t = datetime(2026, 3, 1, tzinfo=UTC)
    >>> e = LedgerEntry("S1", "S1", "M", "p", EntryState.PENDING, 1, t, t.date(), t, "k")
    >>> held = held_for(e, Flag.CONFIRMATION_UNDELIVERED, at=t)
    >>> held.state.value, held.flags, held.version, held.history[-1].by
    ('held', (<Flag.CONFIRMATION_UNDELIVERED: 'confirmation_undelivered'>,), 1, 'system')
    >>> held_for(held, Flag.CONFIRMATION_UNDELIVERED, at=t) is None
    True
    """
    if entry.state not in (EntryState.PENDING, EntryState.HELD) or flag in entry.flags:
        return None
    moved = (
        entry
        if entry.state is EntryState.HELD
        else move(entry, EntryState.HELD, by="system", at=at)
    )
    return replace(moved, flags=(*entry.flags, flag), version=entry.version + 1)


def reversal(entry: LedgerEntry, *, by: str, at: datetime, note: str) -> LedgerEntry:
    """A paid entry taken back: a new entry of the negative amount, ``approved`` (it nets
    against the next payout); the paid entry itself is never changed."""
    if entry.state is not EntryState.PAID or entry.kind is not EntryKind.REWARD:
        raise Conflict("reward_not_reversible", state=entry.state.value)
    if not note.strip():
        raise Invalid(fields=[FieldError("note", "note_required")])
    return replace(
        entry,
        entry_id=f"{entry.serial}#reversal",
        state=EntryState.APPROVED,
        amount=-entry.amount,
        kind=EntryKind.REVERSAL,
        created_at=at,
        history=(StateChange(at, by, None, EntryState.APPROVED, note.strip()),),
    )


def balance(entries: Iterable[LedgerEntry]) -> int:
    """What the partner is owed: approved and not yet paid (integer VND).

    >>> day, at = date(2026, 1, 2), datetime(2026, 1, 2, 3)
    >>> e = LedgerEntry("S1", "S1", "AC-9", "p", EntryState.APPROVED, 50_000, at, day, at, "k")
    >>> balance([e, replace(e, state=EntryState.PAID), replace(e, state=EntryState.PENDING)])
    50000
    """
    return sum(e.amount for e in entries if e.state in OWED)


# -- staff's decisions and the month's reconciliation ---------------------------------------------


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


UNDECIDED = frozenset({EntryState.PENDING, EntryState.HELD})


def decided(
    entry: LedgerEntry, decision: Decision, *, by: str, at: datetime, note: str
) -> LedgerEntry:
    """The entry after a manager's decision (``version`` + 1): ``Conflict("reward_not_eligible")``
    to approve an entry that earns nothing, ``Conflict("reward_already_decided")`` for one no
    longer pending or held, ``Invalid`` (``note_required``) to reject, or to approve a held
    entry, without a note.

    >>> day, t = date(2026, 1, 2), datetime(2026, 1, 2, 3)
    >>> e = LedgerEntry("S1", "S1", "AC-9", "p", EntryState.HELD, 50_000, t, day, t, "k")
    >>> after = decided(e, Decision.APPROVE, by="admin", at=t, note="đã gọi khách")
    >>> after.state.value, after.version, after.history[-1].note
    ('approved', 1, 'đã gọi khách')
    """
    if entry.state is EntryState.NOT_ELIGIBLE:
        raise Conflict("reward_not_eligible", reason=entry.reason.value if entry.reason else "")
    if entry.state not in UNDECIDED:
        raise Conflict("reward_already_decided", state=entry.state.value)
    if decision is Decision.APPROVE and entry.state is EntryState.HELD and not note.strip():
        raise Invalid(fields=[FieldError("note", "note_required")])
    to = EntryState.APPROVED if decision is Decision.APPROVE else EntryState.REJECTED
    return replace(move(entry, to, by=by, at=at, note=note), version=entry.version + 1)


@dataclass
class PeriodTotals:
    """A month's entries counted and summed per state (integer VND), and its partners."""

    counts: dict[EntryState, int] = field(default_factory=dict)
    sums: dict[EntryState, int] = field(default_factory=dict)
    partners: set[str] = field(default_factory=set)

    def add(self, entry: LedgerEntry) -> None:
        self.counts[entry.state] = self.counts.get(entry.state, 0) + 1
        self.sums[entry.state] = self.sums.get(entry.state, 0) + entry.amount
        if entry.partner_id:
            self.partners.add(entry.partner_id)

    @property
    def undecided(self) -> int:
        """Entries still ``pending`` or ``held``: the month cannot be locked while any are."""
        return sum(self.counts.get(state, 0) for state in UNDECIDED)

    @property
    def earned(self) -> int:
        """What the month earns or may still earn: every amount but the rejected ones (an entry
        not eligible is 0; a reversal nets)."""
        return sum(
            amount for state, amount in self.sums.items() if state is not EntryState.REJECTED
        )


def period_totals(entries: Iterable[LedgerEntry]) -> PeriodTotals:
    """>>> day, t = date(2026, 1, 2), datetime(2026, 1, 2, 3)
    >>> e = LedgerEntry("S1", "S1", "AC-9", "p", EntryState.HELD, 50_000, t, day, t, "k")
    >>> totals = period_totals([e, replace(e, partner_id="q")])
    >>> totals.undecided, totals.sums[EntryState.HELD], sorted(totals.partners)
    (2, 100000, ['p', 'q'])
    """
    totals = PeriodTotals()
    for entry in entries:
        totals.add(entry)
    return totals


# -- the decision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FraudThresholds:
    burst_count: int = 10  # more than this many activations by one partner …
    burst_minutes: int = 60  # … within this many minutes
    sequence_run: int = 5  # the last this-many entries of a partner on consecutive serials
    units_per_customer: int = 3  # one customer phone on more than this many units
    require_shipment: bool = False  # a unit never shipped to a dealer is held


@dataclass(frozen=True)
class Installation:
    """What the units stream says about an activation by an installer."""

    serial: str
    model_code: str
    activated_at: datetime
    activation_day: date
    installer_phone: str
    partner_id: str  # the signed-in partner's, or ""
    customer_phone: str
    customer_key: str
    customer_name_masked: str = ""
    category: str = ""  # the model's category in the catalogue ("" = none)
    shipped: bool = True  # shipped to a dealer before it was activated (issue 14's shipments)


@dataclass(frozen=True)
class History:
    """What the ledger already knows, read before the decision: the partner's newest entries
    (newest first, at most ``max(burst_count, sequence_run - 1)``) and how many entries the
    customer's phone has (counted up to ``units_per_customer + 1``)."""

    partner_entries: Sequence[LedgerEntry]
    customer_entries: int


def status_at(partner: Partner, at: datetime) -> PartnerStatus | None:
    """The partner's status at instant ``at`` (their status history), ``None`` before they
    existed: a partner suspended before the activation earns nothing, one suspended after it
    keeps what they earned."""
    current: PartnerStatus | None = None
    for change in partner.history:
        if change.at > at:
            break
        current = change.status_to
    return current


def ineligibility(
    installation: Installation, partner: Partner | None, rule: RewardRule | None
) -> NotEligible | None:
    """Why the installation earns nothing, or ``None`` when it is eligible."""
    if partner is None:
        return NotEligible.NO_PARTNER
    if status_at(partner, installation.activated_at) is not PartnerStatus.APPROVED:
        return NotEligible.PARTNER_NOT_APPROVED
    if partner.phone != installation.installer_phone:
        return NotEligible.PHONE_MISMATCH
    if rule is None:
        return NotEligible.NO_RULE
    return None


_NUMBERED = re.compile(r"^(.*?)(\d+)(\D*)$")


def serial_number(serial: str) -> tuple[str, int] | None:
    """A serial's prefix and number (the last run of digits; a check letter after it is not
    part of either): ``GAR00000017W`` → ``("GAR", 17)``.

    >>> serial_number("GAR00000017W"), serial_number("LOCK")
    (('GAR', 17), None)
    """
    match = _NUMBERED.match(serial)
    return (match.group(1), int(match.group(2))) if match else None


def consecutive(serials: Sequence[str]) -> bool:
    """Whether the serials share a prefix and their numbers make one run without gaps."""
    numbered = [serial_number(s) for s in serials]
    if any(n is None for n in numbered) or len({n[0] for n in numbered if n}) != 1:
        return False
    numbers = sorted(n[1] for n in numbered if n)
    return all(b - a == 1 for a, b in itertools.pairwise(numbers))


def busiest_window(others: Sequence[datetime], at: datetime, width: timedelta) -> int:
    """The most activations in any ``width``-long window that holds ``at`` (``at`` counted).
    The stream may decide a partner's concurrent activations in another order than their
    instants, so later ones count too: of 20 at once with N = 10, exactly 10 are held.

    >>> t, m = datetime(2026, 1, 1), timedelta(minutes=1)
    >>> busiest_window([t - 50 * m, t + 30 * m], t, 60 * m)
    2
    """
    times = sorted([*(o for o in others if abs(o - at) <= width), at])
    best = 0
    for start in (t for t in times if at - width <= t <= at):
        best = max(best, sum(1 for t in times if start <= t <= start + width))
    return best


def fraud_flags(
    installation: Installation, partner: Partner, history: History, limits: FraudThresholds
) -> tuple[Flag, ...]:
    """The signals that hold an eligible entry for review (never a silent rejection)."""
    flags: list[Flag] = []
    earlier = [
        e
        for e in history.partner_entries
        if e.serial != installation.serial and e.kind is EntryKind.REWARD
    ]
    window = timedelta(minutes=limits.burst_minutes)
    if busiest_window([e.activated_at for e in earlier], installation.activated_at, window) > (
        limits.burst_count
    ):
        flags.append(Flag.BURST)
    run = [installation.serial, *(e.serial for e in earlier[: limits.sequence_run - 1])]
    if len(run) >= limits.sequence_run and consecutive(run):
        flags.append(Flag.SEQUENTIAL_SERIALS)
    if installation.customer_phone == partner.phone:
        flags.append(Flag.CUSTOMER_IS_PARTNER)
    if history.customer_entries + 1 > limits.units_per_customer:
        flags.append(Flag.CUSTOMER_MANY_UNITS)
    if limits.require_shipment and not installation.shipped:
        flags.append(Flag.NOT_SHIPPED)
    return tuple(flags)


def decide(
    installation: Installation,
    partner: Partner | None,
    rules: Iterable[RewardRule],
    history: History,
    limits: FraudThresholds,
) -> LedgerEntry:
    """The serial's one ledger entry: ``not_eligible`` with the reason, else the rule's amount,
    ``pending`` or ``held`` with its flags."""
    rule = choose_rule(
        rules, installation.model_code, installation.activation_day, installation.category
    )
    reason = ineligibility(installation, partner, rule)
    at = installation.activated_at
    entry = LedgerEntry(
        entry_id=installation.serial,
        serial=installation.serial,
        model_code=installation.model_code,
        partner_id=partner.partner_id if partner else "",
        state=EntryState.NOT_ELIGIBLE,
        amount=0,
        activated_at=at,
        activation_day=installation.activation_day,
        created_at=at,
        customer_key=installation.customer_key,
        reason=reason,
        customer_name_masked=installation.customer_name_masked,
    )
    if reason is not None or partner is None or rule is None:
        return replace(entry, history=(StateChange(at, "system", None, entry.state),))
    flags = fraud_flags(installation, partner, history, limits)
    state = EntryState.HELD if flags else EntryState.PENDING
    return replace(
        entry,
        state=state,
        amount=rule.amount,
        rule_id=rule.rule_id,
        rule_version=rule.version,
        flags=flags,
        history=(StateChange(at, "system", None, state),),
    )
