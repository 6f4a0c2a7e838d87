"""What the warranty reports count: which change of a unit or a service request bumps which
counters of which roll-up item. Pure: no I/O (the platform's roll-ups make a stream batch one
``ADD`` per counter and item).

Every counter names its measure and the four dimensions a report filters by, so any combination
of filters is a sum over one item's counters, never a read of the units:
``act|AC-9|d_1|Hà Nội|web`` (an activation of an AC-9 shipped to dealer ``d_1``, owned in Hà Nội,
activated on the web). An unknown dimension is ``-``.

Items are one per family and Vietnamese day (``act#2026-12-01``, ``ship#…``, ``claim#…``,
``cost#…``, ``reward#…``, ``maint#…``), so a day's counters are split six ways and each report
reads only the families it shows, plus one ``totals`` item of all-time counters (the units in
the field).

>>> dims = Dims("AC-9", "d_1", "Hà Nội", "web")
>>> counter(ACTIVATED, dims)
'act|AC-9|d_1|Hà Nội|web'
>>> parse('act|AC-9|d_1|Hà Nội|web') == (ACTIVATED, dims)
True
>>> parse('act|AC-9|-|-|web') == (ACTIVATED, Dims("AC-9", "", "", "web"))
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from chalicelib.platform.rollups import Bump

SEP = "|"
UNKNOWN = "-"
TOTALS = "totals"

# families: one item per family and day
ACT, SHIP, CLAIM, COST, REWARD, MAINT = "act", "ship", "claim", "cost", "reward", "maint"
FAMILIES = (ACT, SHIP, CLAIM, COST, REWARD, MAINT)

# measures of the ``act`` family (a unit's activation, on its day)
ACTIVATED = "act"
LAG_COUNT = "lag_n"  # activations of shipped units (the lag's count)
LAG_DAYS = "lag_days"  # their days from shipment to activation, summed
LAG_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (7, "lag_0_7"),
    (30, "lag_8_30"),
    (90, "lag_31_90"),
    (None, "lag_over_90"),
)
# ``ship``: on the day a unit was shipped (its cohort): net shipped, and of them activated since
SHIPPED = "ship"
SHIPPED_ACTIVATED = "ship_act"
# ``totals``: all-time activations (the units in the field)
FIELD = "field"
# ``claim``: service requests
OPENED = "opened"
REPEAT_30 = "repeat_30"  # a unit back within 30 days of its last request's work (or a reopen)
REPEAT_90 = "repeat_90"
REOPENED = "reopened"
RESOLVED = "resolved"  # the workshop's result reached: repaired, replaced, no fault, rejected
RESOLVED_AS = "resolved:"  # + the outcome
REPAIR_HOURS = "repair_hours"  # from the request to its result, summed over ``resolved``
FIRST_FIX = "first_fix"
# ``cost``: money of service requests, on the day each line was added
COST_BY = "cost:"  # + the payer: warranty | customer | supplier
REVENUE = "revenue"
PART_QUANTITY = "part_qty:"  # + the part's code
PART_VND = "part_vnd:"

# ``reward``: installers' reward entries, on their activation's day (what each entry is now:
# a change moves its contribution, :func:`delta_bumps`)
REWARD_ENTRIES = "reward_entries"
REWARD_FLAGGED = "reward_flagged"  # entries a fraud signal flagged (held for review)
REWARD_VND = "reward_vnd"  # what the entries not rejected cost (a reversal's amount is < 0)
# ``maint``: paid maintenance visits' receivables, on the visit's day
VISITS = "m_visits"
VISIT_VND = "m_amount"
VISIT_PARTS_VND = "m_parts"
COLLECTED_BY = "m_collected:"  # + the holder (tech#<user>, company#<id>)
REMITTED_BY = "m_remitted:"

OUTCOMES = ("repaired", "replaced", "no_fault_found", "rejected")
FIXED = ("repaired", "replaced")
PAYERS = ("warranty", "customer", "supplier")


def _clean(value: str) -> str:
    return value.replace(SEP, "/").strip() or UNKNOWN


@dataclass(frozen=True)
class Dims:
    """What a report filters by: the product model, the dealer the unit was shipped to, the
    customer's province and the channel (of the activation, or of the service request)."""

    model: str = ""
    dealer: str = ""
    province: str = ""
    channel: str = ""

    def matches(self, wanted: Dims) -> bool:
        """Whether these dims pass ``wanted``'s filters (an empty filter passes all)."""
        return all(
            not want or want == have
            for want, have in (
                (wanted.model, self.model),
                (wanted.dealer, self.dealer),
                (wanted.province, self.province),
                (wanted.channel, self.channel),
            )
        )


def counter(measure: str, dims: Dims) -> str:
    parts = (dims.model, dims.dealer, dims.province, dims.channel)
    return SEP.join((measure, *(_clean(p) for p in parts)))


@lru_cache(maxsize=1 << 16)  # a report reads the same names day after day
def parse(name: str) -> tuple[str, Dims] | None:
    """``(measure, dims)`` of a counter's name; ``None`` for anything else."""
    parts = name.split(SEP)
    if len(parts) != 5:
        return None
    model, dealer, province, channel = ("" if p == UNKNOWN else p for p in parts[1:])
    return parts[0], Dims(model, dealer, province, channel)


def day_item(family: str, day: date) -> str:
    return f"{family}#{day.isoformat()}"


def lag_bucket(days: int) -> str:
    """The lag's bucket of ``days`` from shipment to activation.

    >>> [lag_bucket(d) for d in (0, 7, 8, 31, 400)]
    ['lag_0_7', 'lag_0_7', 'lag_8_30', 'lag_31_90', 'lag_over_90']
    """
    return next(name for limit, name in LAG_BUCKETS if limit is None or days <= limit)


@dataclass(frozen=True)
class Fact:
    """One stream record's (or one rebuilt row's) contribution, counted once for ``event_id``."""

    event_id: str
    counted: tuple[Bump, ...]

    def bumps(self) -> tuple[Bump, ...]:
        return self.counted


def activation_bumps(dims: Dims, *, activated_on: date, shipped_on: date | None) -> list[Bump]:
    """An activation: on its day (with its lag from shipment when the unit was shipped), in
    its shipment's cohort, and in the field.

    >>> d = Dims("AC-9", "d_1", "Huế", "web")
    >>> [(b.item, b.counter.split("|")[0], b.n) for b in activation_bumps(
    ...     d, activated_on=date(2026, 12, 11), shipped_on=date(2026, 12, 1))]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('act#2026-12-11', 'act', 1), ('totals', 'field', 1), ('act#2026-12-11', 'lag_n', 1),
     ('act#2026-12-11', 'lag_days', 10), ('act#2026-12-11', 'lag_8_30', 1),
     ('ship#2026-12-01', 'ship_act', 1)]
    """
    item = day_item(ACT, activated_on)
    bumps = [Bump(item, counter(ACTIVATED, dims)), Bump(TOTALS, counter(FIELD, dims))]
    if shipped_on is not None and dims.dealer:
        lag = max(0, (activated_on - shipped_on).days)
        bumps += [
            Bump(item, counter(LAG_COUNT, dims)),
            Bump(item, counter(LAG_DAYS, dims), lag),
            Bump(item, counter(lag_bucket(lag), dims)),
            Bump(day_item(SHIP, shipped_on), counter(SHIPPED_ACTIVATED, dims)),
        ]
    return bumps


def shipment_bumps(model: str, dealer: str, shipped_on: date, n: int = 1) -> list[Bump]:
    """A unit shipped to ``dealer`` (``n=-1``: returned or its shipment cancelled), in its
    cohort's day: a shipment has no customer yet, so no province or channel."""
    return [Bump(day_item(SHIP, shipped_on), counter(SHIPPED, Dims(model, dealer)), n)]


def opened_bumps(dims: Dims, *, opened_on: date, since_last_work: int | None) -> list[Bump]:
    """A new service request; a repeat when the unit's previous request's work ended
    ``since_last_work`` days before (``None``: none did)."""
    item = day_item(CLAIM, opened_on)
    return [Bump(item, counter(OPENED, dims)), *_repeats(item, dims, since_last_work)]


def _repeats(item: str, dims: Dims, days: int | None) -> list[Bump]:
    if days is None or days > 90:
        return []
    found = [Bump(item, counter(REPEAT_90, dims))]
    if days <= 30:
        found.append(Bump(item, counter(REPEAT_30, dims)))
    return found


def reopened_bumps(dims: Dims, *, on: date, since_work: int) -> list[Bump]:
    """A request reopened ``since_work`` days after its work ended: a repeat repair."""
    item = day_item(CLAIM, on)
    return [Bump(item, counter(REOPENED, dims)), *_repeats(item, dims, since_work)]


def resolved_bumps(
    dims: Dims, *, outcome: str, on: date, hours: int, first_fix: bool
) -> list[Bump]:
    """The workshop's result: the request counts as resolved on ``on``, with its hours from
    the request and whether it was fixed straight from the diagnosis (``first_fix``)."""
    item = day_item(CLAIM, on)
    bumps = [
        Bump(item, counter(RESOLVED, dims)),
        Bump(item, counter(f"{RESOLVED_AS}{outcome}", dims)),
        Bump(item, counter(REPAIR_HOURS, dims), max(0, hours)),
    ]
    if first_fix:
        bumps.append(Bump(item, counter(FIRST_FIX, dims)))
    return bumps


@dataclass(frozen=True)
class MoneyLine:
    """A request's cost or revenue line as the reports see it."""

    kind: str  # part | labour | travel | revenue
    payer: str
    amount_vnd: int
    at: datetime
    on: date  # the Vietnamese day of ``at``
    quantity: int = 1
    part_code: str = ""


def money_bumps(dims: Dims, lines: Iterable[MoneyLine]) -> list[Bump]:
    """Each new line on its day: revenue, or a cost by its payer (and a part's quantity and
    amount by its code)."""
    bumps: list[Bump] = []
    for line in lines:
        item = day_item(COST, line.on)
        if line.kind == "revenue":
            bumps.append(Bump(item, counter(REVENUE, dims), line.amount_vnd))
            continue
        bumps.append(Bump(item, counter(f"{COST_BY}{line.payer}", dims), line.amount_vnd))
        if line.part_code:
            code = _clean(line.part_code)
            bumps.append(Bump(item, counter(f"{PART_QUANTITY}{code}", dims), line.quantity))
            bumps.append(Bump(item, counter(f"{PART_VND}{code}", dims), line.amount_vnd))
    return bumps


def delta_bumps(
    old: tuple[str, Dims, dict[str, int]] | None, new: tuple[str, Dims, dict[str, int]] | None
) -> list[Bump]:
    """What a record's change moves: its new contribution (item, dims, counters) less its old
    one, so a state change, a correction or a later field is one ``ADD`` each way and the
    counters always say what the records are now.

    >>> d = Dims("AC-9")
    >>> [(b.counter.split("|")[0], b.n) for b in delta_bumps(
    ...     ("maint#2026-12-01", d, {"m_amount": 250_000, "m_collected:-": 0}),
    ...     ("maint#2026-12-01", d, {"m_amount": 250_000, "m_collected:tech#an": 250_000}))]
    [('m_collected:tech#an', 250000)]
    """
    moved: dict[tuple[str, str], int] = {}
    for side, sign in ((old, -1), (new, 1)):
        if side is None:
            continue
        item, dims, counters = side
        for measure, n in counters.items():
            key = (item, counter(measure, dims))
            moved[key] = moved.get(key, 0) + sign * n
    return [Bump(item, name, n) for (item, name), n in moved.items() if n]
