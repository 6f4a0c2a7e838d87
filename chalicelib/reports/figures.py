"""The warranty reports from the roll-up items: sums over days × dimensions, grouped by month or
by one dimension, never a read of a unit or a request. Pure: the items come in as a mapping.

A report is tables of rows (a key, then figures) and its totals; every figure is an integer
(counts, VND, days, hours) or a rate (``None`` when its denominator is 0). The Excel export and
the console show the same tables.

>>> items = {"act#2026-11-03": {"act|AC-9|d_1|Huế|web": 2, "act|AC-1|-|-|sms": 1}}
>>> q = ReportQuery("2026-11", "2026-11", Dims(model="AC-9"))
>>> activations(q, items).totals["activated"]
2
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.reports import facts
from chalicelib.reports.facts import Dims, day_item, parse

MAX_MONTHS = 24  # a report spans at most two years
HISTORY_MONTHS = 36  # and starts at most three years back (the field's reads follow it)
KINDS = ("activations", "claims", "costs", "parts", "maintenance")
DIMENSIONS = ("model", "dealer", "province", "channel")

Items = Mapping[str, Mapping[str, int]]
Figure = int | float | None
Key = Callable[[date, Dims], str]


@dataclass(frozen=True)
class ReportQuery:
    first: str  # YYYY-MM
    last: str
    wanted: Dims = field(default_factory=Dims)

    @property
    def months(self) -> list[str]:
        return months_between(self.first, self.last)

    @property
    def days(self) -> list[date]:
        return days_between(*span_of(self.first, self.last))


@dataclass(frozen=True)
class Table:
    name: str  # by_month | by_model | by_dealer | by_province | by_channel | lag | by_part …
    keys: tuple[str, ...]  # the row's key columns: ("month",), ("model", "part")…
    columns: tuple[str, ...]  # its figures, in order
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Report:
    kind: str
    months: list[str]
    totals: dict[str, Figure]
    tables: list[Table]


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:]) - 1


def _month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_before(month: str, months: int) -> str:
    """The month ``months`` before ``month``.

    >>> month_before("2026-03", 11)
    '2025-04'
    """
    return _month_at(_month_index(month) - months)


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``.

    >>> months_between("2025-11", "2026-02")
    ['2025-11', '2025-12', '2026-01', '2026-02']
    """
    return [_month_at(i) for i in range(_month_index(first), _month_index(last) + 1)]


def span_of(first: str, last: str) -> tuple[date, date]:
    year, month = int(last[:4]), int(last[5:])
    return date.fromisoformat(f"{first}-01"), date(year, month, calendar.monthrange(year, month)[1])


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def check_period(first: str, last: str, today: date) -> None:
    """``first``–``last`` (months) is a report's period: in order, at most :data:`MAX_MONTHS`,
    not after this month nor before :data:`HISTORY_MONTHS` ago."""
    now = _month_index(today.isoformat()[:7])
    start, end = _month_index(first), _month_index(last)
    if end < start or end > now:
        raise Invalid(fields=[FieldError("until", "report_period_invalid")])
    if end - start + 1 > MAX_MONTHS:
        raise Invalid(fields=[FieldError("until", "report_period_too_long")], limit=MAX_MONTHS)
    if now - start >= HISTORY_MONTHS:
        raise Invalid(fields=[FieldError("from", "report_period_too_old")], limit=HISTORY_MONTHS)


def items_to_read(kind: str, query: ReportQuery, today: date) -> list[str]:
    """The items a report reads: its families' days of the period (and, for the claims, the
    totals and the activations after the period, which the units in the field at its end
    subtract from the totals)."""
    families = {
        "activations": (facts.ACT, facts.SHIP, facts.REWARD),
        "claims": (facts.CLAIM, facts.COST),
        "costs": (facts.COST, facts.CLAIM),
        "parts": (facts.COST,),
        "maintenance": (facts.MAINT,),
    }[kind]
    items = [day_item(f, day) for f in families for day in query.days]
    if kind == "claims":
        end = span_of(query.first, query.last)[1]
        after = days_between(end + timedelta(days=1), today) if today > end else []
        items += [facts.TOTALS, *(day_item(facts.ACT, day) for day in after)]
    return items


def _month(day: date, _: Dims) -> str:
    return day.isoformat()[:7]


def _by(name: str) -> Key:
    return lambda _, dims: getattr(dims, name)


def gather(
    items: Items, family: str, days: Iterable[date], wanted: Dims, key: Key
) -> dict[str, Counter[str]]:
    """The counters of ``family``'s days passing ``wanted``, summed by measure per ``key``."""
    found: dict[str, Counter[str]] = {}
    for day in days:
        for name, n in items.get(day_item(family, day), {}).items():
            parsed = parse(name)
            if parsed is None or not parsed[1].matches(wanted):
                continue
            found.setdefault(key(day, parsed[1]), Counter())[parsed[0]] += n
    return found


def _total(groups: Mapping[str, Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for counters in groups.values():
        total.update(counters)
    return total


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole``, to four places; ``None`` of nothing.

    >>> rate(1, 4), rate(1, 0)
    (0.25, None)
    """
    return round(part / whole, 4) if whole else None


def mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


def _ranked(groups: Mapping[str, Counter[str]], by: str) -> list[str]:
    return sorted(groups, key=lambda k: (-groups[k][by], k))


# -- activations: by month and dimension, the rate against shipped, the lag from shipment


def _activation_figures(act: Counter[str], ship: Counter[str]) -> dict[str, Figure]:
    lag_n = act[facts.LAG_COUNT]
    return {
        "activated": act[facts.ACTIVATED],
        "shipped": ship[facts.SHIPPED],
        "shipped_activated": ship[facts.SHIPPED_ACTIVATED],
        "activation_rate": rate(ship[facts.SHIPPED_ACTIVATED], ship[facts.SHIPPED]),
        "lag_mean_days": mean(act[facts.LAG_DAYS], lag_n),
    }


ACTIVATION_COLUMNS = ("activated", "shipped", "shipped_activated", "activation_rate",
                      "lag_mean_days")  # fmt: skip
SHARE_COLUMNS = ("activated", "share")


def activations(query: ReportQuery, items: Items) -> Report:
    """Activations by month, model, dealer, province and channel; the rate against shipped (of
    the units shipped in the period, how many are activated: the model and dealer filters
    apply, a shipment has no province or channel); the lag from shipment to activation."""
    days, wanted = query.days, query.wanted
    shipped_wanted = Dims(model=wanted.model, dealer=wanted.dealer)
    act = gather(items, facts.ACT, days, wanted, _month)
    ship = gather(items, facts.SHIP, days, shipped_wanted, _month)
    by_month = [
        {"month": m, **_activation_figures(act.get(m, Counter()), ship.get(m, Counter()))}
        for m in query.months
    ]
    all_act = _total(act)
    tables = [Table("by_month", ("month",), ACTIVATION_COLUMNS, by_month)]
    for dimension in DIMENSIONS:
        groups = gather(items, facts.ACT, days, wanted, _by(dimension))
        rows = [
            {dimension: key, "activated": groups[key][facts.ACTIVATED],
             "share": rate(groups[key][facts.ACTIVATED], all_act[facts.ACTIVATED])}
            for key in _ranked(groups, facts.ACTIVATED)
            if groups[key][facts.ACTIVATED]
        ]  # fmt: skip
        tables.append(Table(f"by_{dimension}", (dimension,), SHARE_COLUMNS, rows))
    lag = [
        {"lag": name, "activated": all_act[name], "share": rate(all_act[name],
                                                                all_act[facts.LAG_COUNT])}
        for _, name in facts.LAG_BUCKETS
    ]  # fmt: skip
    tables.append(Table("lag", ("lag",), SHARE_COLUMNS, lag))
    rewards = gather(items, facts.REWARD, days, wanted, _month)
    tables.append(
        Table("rewards_by_month", ("month",), REWARD_COLUMNS, [
            {"month": m, **_reward_figures(rewards.get(m, Counter()), act.get(m, Counter()))}
            for m in query.months
        ])
    )  # fmt: skip
    totals = {**_activation_figures(all_act, _total(ship)),
              **_reward_figures(_total(rewards), all_act)}  # fmt: skip
    return Report("activations", query.months, totals, tables)


REWARD_COLUMNS = ("reward_entries", "reward_flagged", "flagged_share", "reward_vnd",
                  "reward_per_activation_vnd")  # fmt: skip


def _reward_figures(reward: Counter[str], act: Counter[str]) -> dict[str, Figure]:
    """Installers' rewards: entries, the share a fraud signal flagged, what they cost in all
    and per activation (every activation of the period, an installer's or not)."""
    activated = act[facts.ACTIVATED]
    return {
        "reward_entries": reward[facts.REWARD_ENTRIES],
        "reward_flagged": reward[facts.REWARD_FLAGGED],
        "flagged_share": rate(reward[facts.REWARD_FLAGGED], reward[facts.REWARD_ENTRIES]),
        "reward_vnd": reward[facts.REWARD_VND],
        "reward_per_activation_vnd": round(reward[facts.REWARD_VND] / activated)
        if activated
        else None,
    }


# -- claims: counts, per 1,000 units in the field, cost per claim, repair time, first-time fix,
#    repeats, no fault found


CLAIM_COLUMNS = (
    "opened", "resolved", "first_fix_rate", "no_fault_found_rate", "repeat_30", "repeat_90",
    "mean_repair_hours", "warranty_vnd", "cost_per_claim_vnd",
)  # fmt: skip
MODEL_CLAIM_COLUMNS = ("field_units", "claims_per_1000", *CLAIM_COLUMNS)


def _claim_figures(claim: Counter[str], cost: Counter[str]) -> dict[str, Figure]:
    resolved = claim[facts.RESOLVED]
    fixed = sum(claim[f"{facts.RESOLVED_AS}{outcome}"] for outcome in facts.FIXED)
    warranty = cost[f"{facts.COST_BY}warranty"]
    return {
        "opened": claim[facts.OPENED],
        "resolved": resolved,
        "first_fix": claim[facts.FIRST_FIX],
        "first_fix_rate": rate(claim[facts.FIRST_FIX], fixed),
        "no_fault_found": claim[f"{facts.RESOLVED_AS}no_fault_found"],
        "no_fault_found_rate": rate(claim[f"{facts.RESOLVED_AS}no_fault_found"], resolved),
        "repeat_30": claim[facts.REPEAT_30],
        "repeat_90": claim[facts.REPEAT_90],
        "reopened": claim[facts.REOPENED],
        "mean_repair_hours": mean(claim[facts.REPAIR_HOURS], resolved),
        "warranty_vnd": warranty,
        "cost_per_claim_vnd": round(warranty / resolved) if resolved else None,
    }


def field_units(query: ReportQuery, items: Items, today: date) -> dict[str, int]:
    """Units in the field at the period's end, by model: every activation so far (the totals)
    less those after the period."""
    wanted = query.wanted
    totals: Counter[str] = Counter()
    for name, n in items.get(facts.TOTALS, {}).items():
        parsed = parse(name)
        if parsed and parsed[0] == facts.FIELD and parsed[1].matches(wanted):
            totals[parsed[1].model] += n
    end = span_of(query.first, query.last)[1]
    after = days_between(end + timedelta(days=1), today) if today > end else []
    for model, counters in gather(items, facts.ACT, after, wanted, _by("model")).items():
        totals[model] -= counters[facts.ACTIVATED]
    return {model: max(0, n) for model, n in totals.items()}


def claims(query: ReportQuery, items: Items, today: date) -> Report:
    days, wanted = query.days, query.wanted
    claim = gather(items, facts.CLAIM, days, wanted, _month)
    cost = gather(items, facts.COST, days, wanted, _month)
    by_month = [
        {"month": m, **_claim_figures(claim.get(m, Counter()), cost.get(m, Counter()))}
        for m in query.months
    ]
    tables = [Table("by_month", ("month",), CLAIM_COLUMNS, by_month)]
    field_now = field_units(query, items, today)
    for dimension in DIMENSIONS:
        groups = gather(items, facts.CLAIM, days, wanted, _by(dimension))
        money = gather(items, facts.COST, days, wanted, _by(dimension))
        keys = sorted(set(groups) | set(money), key=lambda k: (-groups.get(k, Counter())[
            facts.OPENED], k))  # fmt: skip
        rows = []
        for key in keys:
            row = {
                dimension: key,
                **_claim_figures(groups.get(key, Counter()), money.get(key, Counter())),
            }
            if dimension == "model":
                units = field_now.get(key, 0)
                row["field_units"] = units
                row["claims_per_1000"] = mean(1000 * int(row["opened"] or 0), units)
            rows.append(row)  # fmt: skip
        columns = MODEL_CLAIM_COLUMNS if dimension == "model" else CLAIM_COLUMNS
        tables.append(Table(f"by_{dimension}", (dimension,), columns, rows))
    totals = _claim_figures(_total(claim), _total(cost))
    in_field = sum(field_now.values())
    totals["field_units"] = in_field
    totals["claims_per_1000"] = mean(1000 * int(totals["opened"] or 0), in_field)
    return Report("claims", query.months, totals, tables)


# -- costs and profit of warranty and repair work


COST_COLUMNS = ("warranty_vnd", "customer_vnd", "supplier_vnd", "cost_vnd", "revenue_vnd",
                "profit_vnd", "resolved")  # fmt: skip


def _cost_figures(cost: Counter[str], claim: Counter[str]) -> dict[str, Figure]:
    by_payer = {payer: cost[f"{facts.COST_BY}{payer}"] for payer in facts.PAYERS}
    spent = sum(by_payer.values())
    revenue = cost[facts.REVENUE]
    return {
        **{f"{payer}_vnd": amount for payer, amount in by_payer.items()},
        "cost_vnd": spent,
        "revenue_vnd": revenue,
        "profit_vnd": revenue - spent,
        "resolved": claim[facts.RESOLVED],
    }


def costs(query: ReportQuery, items: Items) -> Report:
    """What the service requests cost, by payer, what customers paid, and the profit (revenue
    less every cost), by month and model."""
    days, wanted = query.days, query.wanted
    cost = gather(items, facts.COST, days, wanted, _month)
    claim = gather(items, facts.CLAIM, days, wanted, _month)
    by_month = [
        {"month": m, **_cost_figures(cost.get(m, Counter()), claim.get(m, Counter()))}
        for m in query.months
    ]
    by_model_cost = gather(items, facts.COST, days, wanted, _by("model"))
    by_model_claim = gather(items, facts.CLAIM, days, wanted, _by("model"))
    models = sorted(set(by_model_cost) | set(by_model_claim))
    by_model = [
        {"model": m, **_cost_figures(by_model_cost.get(m, Counter()),
                                     by_model_claim.get(m, Counter()))}
        for m in models
    ]  # fmt: skip
    by_model.sort(key=lambda row: (-int(row["cost_vnd"] or 0), row["model"]))
    return Report(
        "costs",
        query.months,
        _cost_figures(_total(cost), _total(claim)),
        [
            Table("by_month", ("month",), COST_COLUMNS, by_month),
            Table("by_model", ("model",), COST_COLUMNS, by_model),
        ],
    )


# -- parts used on service requests, by part and by model


PART_COLUMNS = ("quantity", "amount_vnd")


def _part_rows(groups: Mapping[str, Counter[str]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, counters in groups.items():
        for measure, n in counters.items():
            if not measure.startswith(facts.PART_QUANTITY):
                continue
            code = measure[len(facts.PART_QUANTITY) :]
            values = (code,) if len(keys) == 1 else (key, code)
            row: dict[str, Any] = dict(zip(keys, values, strict=True))
            row.update(quantity=n, amount_vnd=counters[f"{facts.PART_VND}{code}"])
            rows.append(row)
    return sorted(rows, key=lambda r: (-r["quantity"], *(r[k] for k in keys)))


def parts(query: ReportQuery, items: Items) -> Report:
    """Parts put on service requests (less those given back), by part and by model and part,
    at the cost each line recorded."""
    days, wanted = query.days, query.wanted
    by_part = gather(items, facts.COST, days, wanted, lambda *_: "")
    by_model = gather(items, facts.COST, days, wanted, _by("model"))
    part_rows = _part_rows(by_part, ("part",))
    return Report(
        "parts",
        query.months,
        {"quantity": sum(r["quantity"] for r in part_rows),
         "amount_vnd": sum(r["amount_vnd"] for r in part_rows)},
        [
            Table("by_part", ("part",), PART_COLUMNS, part_rows),
            Table("by_model_part", ("model", "part"), PART_COLUMNS,
                  _part_rows(by_model, ("model", "part"))),
        ],
    )  # fmt: skip


# -- maintenance: paid visits' revenue, and what each collector collected and handed over


MAINTENANCE_COLUMNS = ("visits", "amount_vnd", "parts_vnd", "margin_vnd", "collected_vnd",
                       "remitted_vnd", "held_vnd", "uncollected_vnd")  # fmt: skip
COLLECTOR_COLUMNS = ("collected_vnd", "remitted_vnd", "held_vnd")


def _by_holder(counters: Counter[str]) -> dict[str, tuple[int, int]]:
    """Each holder's (collected, handed over)."""
    holders: dict[str, tuple[int, int]] = {}
    for measure, n in counters.items():
        for prefix, index in ((facts.COLLECTED_BY, 0), (facts.REMITTED_BY, 1)):
            if measure.startswith(prefix):
                holder = measure[len(prefix) :]
                pair = list(holders.get(holder, (0, 0)))
                pair[index] += n
                holders[holder] = (pair[0], pair[1])
    return holders


def _maintenance_figures(counters: Counter[str]) -> dict[str, Figure]:
    holders = _by_holder(counters)
    collected = sum(c for c, _ in holders.values())
    remitted = sum(r for _, r in holders.values())
    amount, parts_vnd = counters[facts.VISIT_VND], counters[facts.VISIT_PARTS_VND]
    return {
        "visits": counters[facts.VISITS],
        "amount_vnd": amount,
        "parts_vnd": parts_vnd,
        "margin_vnd": amount - parts_vnd,
        "collected_vnd": collected,
        "remitted_vnd": remitted,
        "held_vnd": collected - remitted,
        "uncollected_vnd": amount - collected,
    }


def maintenance(query: ReportQuery, items: Items) -> Report:
    """Paid maintenance visits by the month they were done: what they cost the customers, their
    parts, the margin, what was collected, handed over, still held by a collector and not yet
    collected; each collector's share; visits by model."""
    days, wanted = query.days, query.wanted
    by_month = gather(items, facts.MAINT, days, wanted, _month)
    all_of = _total(by_month)
    holders = _by_holder(all_of)
    collectors = [
        {"collector": holder, "collected_vnd": c, "remitted_vnd": r, "held_vnd": c - r}
        for holder, (c, r) in sorted(holders.items(), key=lambda h: (-h[1][0], h[0]))
        if holder != facts.UNKNOWN or c or r
    ]
    by_model = gather(items, facts.MAINT, days, wanted, _by("model"))
    return Report(
        "maintenance",
        query.months,
        _maintenance_figures(all_of),
        [
            Table("by_month", ("month",), MAINTENANCE_COLUMNS, [
                {"month": m, **_maintenance_figures(by_month.get(m, Counter()))}
                for m in query.months
            ]),
            Table("by_collector", ("collector",), COLLECTOR_COLUMNS, collectors),
            Table("by_model", ("model",), MAINTENANCE_COLUMNS, [
                {"model": m, **_maintenance_figures(by_model[m])}
                for m in _ranked(by_model, facts.VISIT_VND)
            ]),
        ],
    )  # fmt: skip


def build(kind: str, query: ReportQuery, items: Items, today: date) -> Report:
    if kind == "activations":
        return activations(query, items)
    if kind == "claims":
        return claims(query, items, today)
    if kind == "costs":
        return costs(query, items)
    if kind == "maintenance":
        return maintenance(query, items)
    return parts(query, items)
