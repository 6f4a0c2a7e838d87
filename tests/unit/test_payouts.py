"""The payouts' rules (issue 13): withholding and its versions, a batch's plan per partner, and
the property that the balance stays approved − paid over any sequence of decisions, batches,
lines paid or failed and reversals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core.errors import Conflict, Invalid
from chalicelib.partners.payouts import (
    Carried,
    LineState,
    Payee,
    SettingTerms,
    WithholdingSetting,
    check_setting,
    confirmed,
    plan,
    setting_on,
    settled,
    takeable_reversals,
    withheld,
)
from chalicelib.partners.rewards import (
    EntryKind,
    EntryState,
    LedgerEntry,
    balance,
    move,
    reversal,
)

AT = datetime(2026, 3, 14, 3, tzinfo=UTC)
DAY = date(2026, 3, 14)
TEN_PERCENT = WithholdingSetting(1, 1_000, 2_000_000, date(2026, 1, 1), "ketoan", AT)


def entry(serial: str, partner: str, amount: int, state: EntryState) -> LedgerEntry:
    return LedgerEntry(serial, serial, "AC-9", partner, state, amount, AT, DAY, AT, "k")


def payee(partner: str, *, commitment: bool = False) -> Payee:
    return Payee(partner, partner.upper(), "+84900000001", "970436", "0123456", "AN", commitment)


def test_tax_is_withheld_on_the_whole_payment_from_the_threshold_rounded_down() -> None:
    assert withheld(1_999_999, TEN_PERCENT, commitment=False) == 0
    assert withheld(2_000_000, TEN_PERCENT, commitment=False) == 200_000
    assert withheld(2_000_009, TEN_PERCENT, commitment=False) == 200_000  # never more
    assert withheld(9_000_000, TEN_PERCENT, commitment=True) == 0


def test_a_setting_is_a_new_version_and_the_one_in_effect_is_the_latest_started() -> None:
    first = confirmed([], SettingTerms(1000, 2_000_000, date(2026, 1, 1)), by="k", at=AT)
    second = confirmed([first], SettingTerms(500, 0, date(2026, 7, 1)), by="k", at=AT)

    assert (first.version, second.version) == (1, 2)
    assert setting_on([first, second], date(2026, 6, 30)) == first
    assert setting_on([first, second], date(2026, 7, 1)) == second
    assert setting_on([second], date(2026, 6, 30)) is None
    with pytest.raises(Invalid):
        check_setting(SettingTerms(5001, 0, DAY))


def test_a_plan_nets_reversals_and_carries_who_is_owed_nothing_or_unknown() -> None:
    entries = [
        entry("A1", "a", 2_500_000, EntryState.APPROVED),
        entry("A0#reversal", "a", -100_000, EntryState.APPROVED),
        entry("B1", "b", 50_000, EntryState.APPROVED),
        entry("B0#reversal", "b", -60_000, EntryState.APPROVED),
        entry("C1", "c", 90_000, EntryState.PAYMENT_FAILED),
        entry("D1", "d", 70_000, EntryState.APPROVED),
        entry("E1", "e", 70_000, EntryState.IN_PAYOUT),  # in a batch already
    ]

    found = plan("pb_1", entries, {p: payee(p) for p in "abce"}, TEN_PERCENT)

    assert [(line.partner_id, line.gross, line.tax, line.net) for line in found.lines] == [
        ("a", 2_400_000, 240_000, 2_160_000),
        ("c", 90_000, 0, 90_000),
    ]
    assert found.lines[0].entry_ids == ("A1", "A0#reversal")  # positives first
    assert {(c.partner_id, c.reason) for c in found.carried} == {
        ("b", Carried.NET_NOT_POSITIVE),
        ("d", Carried.NO_PARTNER),
    }


def test_a_reversal_is_taken_only_while_the_line_stays_above_zero() -> None:
    assert takeable_reversals(50_000, [("r1", -50_000)]) == []
    assert takeable_reversals(50_001, [("r1", -50_000)]) == ["r1"]


def test_a_line_is_settled_once_with_its_reference_or_reason() -> None:
    [line] = plan("pb_1", [entry("A1", "a", 10, EntryState.APPROVED)], {"a": payee("a")},
                  TEN_PERCENT).lines  # fmt: skip
    pending = replace(line, state=LineState.PENDING)
    with pytest.raises(Invalid):
        settled(pending, LineState.PAID, by="k", at=AT, reference=" ", reason="")
    with pytest.raises(Invalid):
        settled(pending, LineState.FAILED, by="k", at=AT, reference="", reason="")
    paid = settled(pending, LineState.PAID, by="k", at=AT, reference=" FT1 ", reason="")
    assert (paid.state, paid.reference) == (LineState.PAID, "FT1")
    with pytest.raises(Conflict):
        settled(paid, LineState.FAILED, by="k", at=AT, reference="", reason="x")


# -- the property: balance = approved − paid ------------------------------------------------------

PARTNERS = ("a", "b", "c")
OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["decide", "batch", "pay", "fail", "reverse"]), st.integers(0, 99)),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(
    amounts=st.lists(st.integers(1, 3_000_000), min_size=1, max_size=12),
    operations=OPERATIONS,
)
def test_the_balance_is_approved_minus_paid_over_any_sequence_of_payouts(
    amounts: list[int], operations: list[tuple[str, int]]
) -> None:
    entries = {
        f"S{n}": entry(f"S{n}", PARTNERS[n % 3], amount, EntryState.PENDING)
        for n, amount in enumerate(amounts)
    }
    payees = {p: payee(p, commitment=p == "c") for p in PARTNERS}
    approved = paid = 0
    # (batch, partner) → the entries of a pending line: a partner may have lines in two open
    # batches (entries approved after the first was made), never one entry in both
    lines: dict[tuple[int, str], tuple[str, ...]] = {}
    batches = 0

    def moved(entry_id: str, to: EntryState) -> None:
        entries[entry_id] = move(entries[entry_id], to, by="k", at=AT)

    for operation, pick in operations:
        ids = sorted(entries)
        chosen = entries[ids[pick % len(ids)]]
        if operation == "decide" and chosen.state is EntryState.PENDING:
            moved(chosen.entry_id, EntryState.APPROVED)
            approved += chosen.amount
        elif operation == "batch":
            batches += 1
            found = plan(f"pb_{batches}", entries.values(), payees, TEN_PERCENT)
            for line in found.lines:
                assert line.net == line.gross - line.tax and line.gross > 0
                for entry_id in line.entry_ids:
                    moved(entry_id, EntryState.IN_PAYOUT)  # only a payable entry may move
                lines[(batches, line.partner_id)] = line.entry_ids
            for carried in found.carried:
                assert carried.gross <= 0  # every payee is known here
        elif operation in ("pay", "fail") and lines:
            key = sorted(lines)[pick % len(lines)]
            for entry_id in lines.pop(key):
                if operation == "pay":
                    moved(entry_id, EntryState.PAID)
                    paid += entries[entry_id].amount
                else:
                    moved(entry_id, EntryState.PAYMENT_FAILED)
        elif (
            operation == "reverse"
            and chosen.state is EntryState.PAID
            and (chosen.kind is EntryKind.REWARD and f"{chosen.serial}#reversal" not in entries)
        ):
            back = reversal(chosen, by="k", at=AT, note="lắp sai")
            entries[back.entry_id] = back
            approved += back.amount
        assert balance(entries.values()) == approved - paid
    in_lines = [entry_id for ids in lines.values() for entry_id in ids]
    assert len(in_lines) == len(set(in_lines))
    assert {e.entry_id for e in entries.values() if e.state is EntryState.IN_PAYOUT} == set(
        in_lines
    )
