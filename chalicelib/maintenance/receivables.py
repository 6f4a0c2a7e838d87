"""Maintenance revenue and its receivables: each completed visit that costs something becomes a
receivable held by whoever collected it (the technician, or the partner company), in the month
of the visit. Pure: no I/O, no clock.

    open ──collect──▶ collected ──remit──▶ remitted ──reconcile──▶ reconciled
                          └──(paid by transfer to the company)──reconcile──┘

Money is whole VND and never edited: each step records its own amount once (what was collected,
what was handed over), and the difference between them is shown, not corrected. At month end
the accountant reconciles every line and closes the month; a closed month refuses every change.

>>> r = Receivable("2027-02", "MT-2KJY2THT", "GAR1", "An", date(2027, 2, 20), 130_000, 0,
...                parts_cost_vnd=35_000, status=ReceivableStatus.OPEN)
>>> r = collect(r, 130_000, "cash", "tech#an", "an")
>>> r = remit(r, 120_000, date(2027, 2, 21), "ketoan")
>>> (r.status.value, r.difference_vnd)
('remitted', 10000)
>>> remit(collect(replace(r, status=ReceivableStatus.OPEN, collected_vnd=0, remitted_vnd=None),
...               100_000, "cash", "tech#an", "an"), 100_000, date(2027, 2, 21), "x").difference_vnd
30000
>>> month_of(date(2027, 2, 20))
'2027-02'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid

_MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])")


class ReceivableStatus(StrEnum):
    OPEN = "open"  # owed, nothing collected yet
    COLLECTED = "collected"  # the holder has it
    REMITTED = "remitted"  # the holder handed it over
    RECONCILED = "reconciled"  # the accountant checked it: final


@dataclass(frozen=True)
class Receivable:
    month: str  # YYYY-MM of the visit
    ticket_id: str
    serial: str
    customer_name: str
    done_on: date
    amount_vnd: int  # what the visit costs the customer
    collected_vnd: int  # what was collected on site (0: nothing yet)
    method: str = ""  # cash | transfer
    holder: str = ""  # tech#<username> | company#<id>: who holds what was collected
    holder_name: str = ""
    parts_cost_vnd: int = 0  # what the parts used cost us (the month's margin)
    remitted_vnd: int | None = None
    remitted_on: date | None = None
    reconciled_by: str = ""
    status: ReceivableStatus = ReceivableStatus.OPEN
    version: int = 1

    @property
    def difference_vnd(self) -> int:
        """What the visit costs and the company does not have: not collected from the customer
        (an underpayment, or nothing yet), and, once handed over, what the holder kept."""
        return self.amount_vnd - (
            self.remitted_vnd if self.remitted_vnd is not None else self.collected_vnd
        )


@dataclass(frozen=True)
class Collector:
    """A holder's month: what their visits cost, what they collected, handed over, and the
    difference still with them (or short)."""

    holder: str
    holder_name: str
    lines: int
    amount_vnd: int
    collected_vnd: int
    remitted_vnd: int
    outstanding_vnd: int  # collected, not handed over yet
    difference_vnd: int  # collected less handed over, on the lines handed over


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(raw: str) -> str:
    if not _MONTH.fullmatch(raw):
        raise Invalid(fields=[FieldError("month", "receivables_month_invalid")])
    return raw


def _bump(r: Receivable, **changes: object) -> Receivable:
    return replace(r, **changes, version=r.version + 1)  # type: ignore[arg-type]


def _check_amount(amount: int, field: str) -> None:
    if amount < 0:
        raise Invalid(fields=[FieldError(field, "receivables_amount_invalid")])


def collect(r: Receivable, amount: int, method: str, holder: str, holder_name: str) -> Receivable:
    if r.status is not ReceivableStatus.OPEN:
        raise Conflict("receivables_wrong_status", status=r.status.value)
    if not 0 < amount <= r.amount_vnd:
        raise Invalid(fields=[FieldError("amount_vnd", "receivables_amount_invalid")])
    return _bump(r, collected_vnd=amount, method=method, holder=holder,
                 holder_name=holder_name, status=ReceivableStatus.COLLECTED)  # fmt: skip


def remit(r: Receivable, amount: int, on: date, by: str) -> Receivable:
    """What the holder handed over (at most what they collected)."""
    if r.status is not ReceivableStatus.COLLECTED:
        raise Conflict("receivables_wrong_status", status=r.status.value)
    _check_amount(amount, "amount_vnd")
    if amount > r.collected_vnd:
        raise Invalid(fields=[FieldError("amount_vnd", "receivables_remit_too_much")])
    return _bump(r, remitted_vnd=amount, remitted_on=on, status=ReceivableStatus.REMITTED)


def reconcile(r: Receivable, by: str, on: date) -> Receivable:
    """Checked by the accountant: a remitted line, or one the company holds itself (paid by
    transfer, or collected at the office: its remittance is what was collected, that day)."""
    if r.status is ReceivableStatus.COLLECTED and (r.method == "transfer" or not r.holder):
        r = replace(r, remitted_vnd=r.collected_vnd, remitted_on=on)
    elif r.status is not ReceivableStatus.REMITTED:
        raise Conflict("receivables_wrong_status", status=r.status.value)
    return _bump(r, reconciled_by=by, status=ReceivableStatus.RECONCILED)


def collectors(lines: Iterable[Receivable]) -> list[Collector]:
    """Per holder (lines not collected yet under ``""``), by holder."""
    by: dict[str, list[Receivable]] = {}
    for line in lines:
        by.setdefault(line.holder, []).append(line)
    out = []
    for holder, own in sorted(by.items()):
        handed = [x for x in own if x.remitted_vnd is not None]
        out.append(
            Collector(
                holder=holder,
                holder_name=next((x.holder_name for x in own if x.holder_name), holder),
                lines=len(own),
                amount_vnd=sum(x.amount_vnd for x in own),
                collected_vnd=sum(x.collected_vnd for x in own),
                remitted_vnd=sum(x.remitted_vnd or 0 for x in handed),
                outstanding_vnd=sum(
                    x.collected_vnd for x in own if x.status is ReceivableStatus.COLLECTED
                ),
                difference_vnd=sum(x.collected_vnd - (x.remitted_vnd or 0) for x in handed),
            )
        )
    return out


def check_closable(month: str, lines: list[Receivable], today: date) -> None:
    """A past month whose every line is reconciled (409 ``receivables_not_reconciled`` with
    how many are not; ``receivables_month_not_over`` for this month or a later one)."""
    if month >= month_of(today):
        raise Conflict("receivables_month_not_over")
    waiting = sum(line.status is not ReceivableStatus.RECONCILED for line in lines)
    if waiting:
        raise Conflict("receivables_not_reconciled", count=waiting)
