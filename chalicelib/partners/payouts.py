"""The accountant's payouts of installer rewards: the withholding settings, a batch's lines per
partner, and the states of batches and lines. Pure: no I/O.

**Withholding.** Personal income tax on payments to individuals without a labour contract: today
10 % of a payment of 2,000,000 VND or more, withheld on the whole payment, waived for a partner
whose commitment form (Mẫu 08/CK-TNCN) is on file. The rate (basis points), the threshold (VND)
and the day they apply from are a *setting the accountant confirms*: each change is a new
version (never an edit), and a batch records the version it used. The setting that applies on a
day is the one with the latest ``effective_from`` on or before it (a later confirmation of the
same day wins).

**Rounding.** Tax is ``gross × rate_bp ÷ 10,000`` rounded *down* to the whole đồng (the partner
is never withheld more than the rate), net = gross − tax; all integer VND.

>>> s = WithholdingSetting(1, 1_000, 2_000_000, date(2026, 1, 1), "ketoan", datetime(2026, 1, 1))
>>> withheld(1_999_999, s, commitment=False), withheld(2_000_005, s, commitment=False)
(0, 200000)
>>> withheld(5_000_000, s, commitment=True)
0

**A batch** takes, per partner, the entries owed and not yet in a payout (``approved``, and
``payment_failed`` to pay again, reversals' negative amounts netting) of locked months, as one
line: gross, tax, net and the bank details as they are at that moment. A partner whose gross
(hence net) is not above zero gets no line: their entries stay as they are and are carried to
the next batch. Batches move ``creating → open → exported → closed`` (closed once every line is
paid or failed); a line ``planned → pending → paid | failed`` (``dropped`` when a concurrent
batch took all its entries first).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.partners.rewards import EntryState, LedgerEntry

RATE_MAX_BP = 5_000  # 50 %: a typo guard, not a policy
THRESHOLD_MAX = 1_000_000_000
NOTE_MAX = 500
REFERENCE_MAX = 64
PAYABLE = frozenset({EntryState.APPROVED, EntryState.PAYMENT_FAILED})
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


# -- withholding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WithholdingSetting:
    version: int
    rate_bp: int  # 1,000 = 10 %
    threshold: int  # VND: a payment of this or more is withheld on the whole of it
    effective_from: date
    confirmed_by: str
    confirmed_at: datetime
    note: str = ""


@dataclass(frozen=True)
class SettingTerms:
    rate_bp: int
    threshold: int
    effective_from: date
    note: str = ""


def check_setting(terms: SettingTerms) -> None:
    """``Invalid`` with a field error for each term out of bounds."""
    problems = []
    if not 0 <= terms.rate_bp <= RATE_MAX_BP:
        problems.append(FieldError("rate_bp", "payout_rate_invalid"))
    if not 0 <= terms.threshold <= THRESHOLD_MAX:
        problems.append(FieldError("threshold", "payout_threshold_invalid"))
    if problems:
        raise Invalid(fields=problems)


def confirmed(
    versions: Iterable[WithholdingSetting], terms: SettingTerms, *, by: str, at: datetime
) -> WithholdingSetting:
    """The next version of the setting with ``terms``, confirmed by ``by`` (older ones kept)."""
    check_setting(terms)
    latest = max((v.version for v in versions), default=0)
    return WithholdingSetting(
        latest + 1, terms.rate_bp, terms.threshold, terms.effective_from, by, at, terms.note
    )


def setting_on(versions: Iterable[WithholdingSetting], day: date) -> WithholdingSetting | None:
    """The version in effect on ``day``: the latest ``effective_from`` on or before it, then
    the latest confirmed; ``None`` when none applies yet.

    >>> at = datetime(2026, 1, 1)
    >>> a = WithholdingSetting(1, 1_000, 2_000_000, date(2026, 1, 1), "k", at)
    >>> b = WithholdingSetting(2, 500, 2_000_000, date(2026, 7, 1), "k", at)
    >>> setting_on([a, b], date(2026, 6, 30)).version, setting_on([a, b], date(2026, 7, 1)).version
    (1, 2)
    >>> setting_on([b], date(2026, 1, 5)) is None
    True
    """
    applying = [v for v in versions if v.effective_from <= day]
    return max(applying, key=lambda v: (v.effective_from, v.version), default=None)


def withheld(gross: int, setting: WithholdingSetting, *, commitment: bool) -> int:
    """Tax withheld from a payment of ``gross`` VND (rounded down to the đồng)."""
    if commitment or gross < setting.threshold or gross <= 0:
        return 0
    return gross * setting.rate_bp // 10_000


# -- batches and lines -------------------------------------------------------------------------


class BatchState(StrEnum):
    CREATING = "creating"  # lines planned, entries being taken (a re-run resumes)
    OPEN = "open"
    EXPORTED = "exported"
    CLOSED = "closed"


class LineState(StrEnum):
    PLANNED = "planned"
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    DROPPED = "dropped"  # a concurrent batch took every entry first


class Carried(StrEnum):
    """Why an owed partner has no line in a batch (their entries wait for the next one)."""

    NET_NOT_POSITIVE = "net_not_positive"
    NO_PARTNER = "no_partner"


@dataclass(frozen=True)
class Payee:
    """Who a line pays, as their record says when the batch is made."""

    partner_id: str
    name: str
    phone: str
    bank_bin: str
    account_number: str
    account_holder: str
    commitment: bool  # Mẫu 08/CK-TNCN on file: nothing withheld


@dataclass(frozen=True)
class PayoutLine:
    batch_id: str
    payee: Payee
    state: LineState
    entry_ids: tuple[str, ...]  # planned, or (once pending) taken
    gross: int
    tax: int
    net: int
    reference: str = ""  # the bank's reference of the transfer (paid)
    reason: str = ""  # why the transfer failed (failed)
    settled_by: str = ""
    settled_at: datetime | None = None

    @property
    def partner_id(self) -> str:
        return self.payee.partner_id


@dataclass(frozen=True)
class PayoutBatch:
    batch_id: str
    state: BatchState
    created_at: datetime
    created_by: str
    setting: WithholdingSetting
    periods: tuple[str, ...]
    lines: int = 0
    entries: int = 0
    gross: int = 0
    tax: int = 0
    net: int = 0
    paid: int = 0  # lines paid
    failed: int = 0  # lines failed
    carried: int = 0  # partners owed but carried to the next batch
    exported_at: datetime | None = None
    exported_by: str = ""
    closed_at: datetime | None = None


@dataclass(frozen=True)
class CarriedPartner:
    partner_id: str
    gross: int
    reason: Carried


@dataclass
class Plan:
    """What a batch would pay: one line per partner, and who is carried and why."""

    lines: list[PayoutLine] = field(default_factory=list)
    carried: list[CarriedPartner] = field(default_factory=list)

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.lines)

    @property
    def tax(self) -> int:
        return sum(line.tax for line in self.lines)

    @property
    def net(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def entries(self) -> int:
        return sum(len(line.entry_ids) for line in self.lines)


def new_batch_id(now: datetime | None = None) -> str:
    """``pb_`` + 26 Crockford base32 characters in a ULID's layout (ids sort by creation)."""
    millis = int((now.timestamp() if now else time.time()) * 1000) & (2**48 - 1)
    value = (millis << 80) | secrets.randbits(80)
    return "pb_" + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def priced(line: PayoutLine, amounts: Mapping[str, int], setting: WithholdingSetting) -> PayoutLine:
    """``line`` over the entries of ``amounts`` (id → VND): gross, tax and net."""
    gross = sum(amounts.values())
    tax = withheld(gross, setting, commitment=line.payee.commitment)
    return PayoutLine(
        line.batch_id, line.payee, line.state, tuple(amounts), gross, tax, gross - tax
    )


def plan(
    batch_id: str,
    entries: Iterable[LedgerEntry],
    payees: Mapping[str, Payee | None],
    setting: WithholdingSetting,
) -> Plan:
    """Group the payable entries per partner into planned lines (partners by id; a line's
    entries positive first, then the reversals): a partner whose gross is not above zero, or
    who has no record, is carried.

    >>> at, day = datetime(2026, 1, 2), date(2026, 1, 2)
    >>> def e(serial, amount):
    ...     state = EntryState.APPROVED
    ...     return LedgerEntry(serial, serial, "M", "p1", state, amount, at, day, at, "k")
    >>> s = WithholdingSetting(1, 1_000, 2_000_000, day, "k", at)
    >>> payee = Payee("p1", "An", "+84900000001", "970436", "0123456", "AN", False)
    >>> done = plan("pb_1", [e("S1", 1_500_000), e("S2", 700_000), e("S1#reversal", -100_000)],
    ...             {"p1": payee}, s)
    >>> [(line.entry_ids, line.gross, line.tax, line.net) for line in done.lines]
    [(('S1', 'S2', 'S1#reversal'), 2100000, 210000, 1890000)]
    """
    grouped: dict[str, dict[str, int]] = {}
    for entry in entries:
        if entry.state in PAYABLE and entry.partner_id:
            grouped.setdefault(entry.partner_id, {})[entry.entry_id] = entry.amount
    result = Plan()
    for partner_id in sorted(grouped):
        amounts = grouped[partner_id]
        ordered = dict(sorted(amounts.items(), key=lambda item: (item[1] < 0, item[0])))
        payee = payees.get(partner_id)
        gross = sum(amounts.values())
        if payee is None:
            result.carried.append(CarriedPartner(partner_id, gross, Carried.NO_PARTNER))
        elif gross <= 0:
            result.carried.append(CarriedPartner(partner_id, gross, Carried.NET_NOT_POSITIVE))
        else:
            empty = PayoutLine(batch_id, payee, LineState.PLANNED, (), 0, 0, 0)
            result.lines.append(priced(empty, ordered, setting))
    return result


def takeable_reversals(taken_gross: int, reversals: Iterable[tuple[str, int]]) -> list[str]:
    """Which negative entries a line may take once its positive ones are taken: each only
    while the line's gross stays above zero (the others wait for a later batch).

    >>> takeable_reversals(100_000, [("a", -60_000), ("b", -50_000), ("c", -30_000)])
    ['a', 'c']
    """
    chosen = []
    for entry_id, amount in reversals:
        if taken_gross + amount > 0:
            taken_gross += amount
            chosen.append(entry_id)
    return chosen


SETTLED = frozenset({LineState.PAID, LineState.FAILED})


def settled(
    line: PayoutLine, to: LineState, *, by: str, at: datetime, reference: str, reason: str
) -> PayoutLine:
    """The line paid (a bank reference required) or failed (a reason required);
    ``Conflict("payout_line_settled")`` for one already settled otherwise."""
    if line.state is not LineState.PENDING:
        raise Conflict("payout_line_settled", state=line.state.value)
    if to is LineState.PAID and not reference.strip():
        raise Invalid(fields=[FieldError("reference", "payout_reference_required")])
    if to is LineState.FAILED and not reason.strip():
        raise Invalid(fields=[FieldError("reason", "payout_reason_required")])
    return PayoutLine(
        line.batch_id, line.payee, to, line.entry_ids, line.gross, line.tax, line.net,
        reference=reference.strip() if to is LineState.PAID else "",
        reason=reason.strip() if to is LineState.FAILED else "",
        settled_by=by,
        settled_at=at,
    )  # fmt: skip
