"""Installer rewards as pure rules: which rule prices an activation (priority, specificity,
validity days at the edges, versions), the one decision per serial (each not-eligible reason,
a suspension counted from its instant), the fraud signals that hold an entry, the ledger's state
machine, and balance = approved − paid over random sequences of transitions (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core.errors import Conflict, Invalid
from chalicelib.partners.model import PartnerDetails, PartnerStatus, change_status, new_partner
from chalicelib.partners.rewards import (
    TRANSITIONS,
    EntryKind,
    EntryState,
    Flag,
    FraudThresholds,
    History,
    Installation,
    LedgerEntry,
    NotEligible,
    RewardRule,
    RuleTerms,
    Scope,
    balance,
    choose_rule,
    consecutive,
    decide,
    ended,
    move,
    new_rule,
    next_version,
    reversal,
)

AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
DAY = date(2026, 12, 1)
PHONE, CUSTOMER = "+84987654321", "+84912345678"
LIMITS = FraudThresholds()


def rule(rule_id: str = "r_a", **overrides: object) -> RewardRule:
    base = RewardRule(rule_id, 1, "AC-9", 50_000, date(2026, 1, 1), None, 0)
    return replace(base, **overrides)  # type: ignore[arg-type]


def partner(status: PartnerStatus = PartnerStatus.APPROVED, phone: str = PHONE, at: datetime = AT):
    details = PartnerDetails(
        phone, "Trần Văn Thợ", "079190001234", "Đà Nẵng", "970422", "1234567890", "TRAN VAN THO"
    )
    created = new_partner(
        details, status=PartnerStatus.APPROVED, by="admin", at=at - timedelta(days=30)
    )
    if status is PartnerStatus.SUSPENDED:
        return change_status(created, status, note="fraud", by="admin", at=at)
    return created


def installation(serial: str = "GAR00000017W", **overrides: object) -> Installation:
    base = Installation(serial, "AC-9", AT, DAY, PHONE, "", CUSTOMER, "customer-key")
    return replace(base, **overrides)  # type: ignore[arg-type]


def entry(serial: str, at: datetime, state: EntryState = EntryState.PENDING) -> LedgerEntry:
    return LedgerEntry(serial, serial, "AC-9", "p_1", state, 50_000, at, DAY, at, "k", "r_a", 1)


NOTHING = History(partner_entries=(), customer_entries=0)


# -- the rule that applies -------------------------------------------------------------------


def test_the_highest_priority_wins_whatever_the_amount() -> None:
    rules = [rule("r_a", amount=90_000, priority=1), rule("r_b", amount=10_000, priority=7)]
    assert choose_rule(rules, "AC-9", DAY).rule_id == "r_b"  # type: ignore[union-attr]


def test_among_equal_priorities_the_latest_start_then_the_smallest_id_wins() -> None:
    older, newer = rule("r_b"), rule("r_c", valid_from=date(2026, 6, 1))
    assert choose_rule([older, newer], "AC-9", DAY).rule_id == "r_c"  # type: ignore[union-attr]
    assert choose_rule([rule("r_z"), rule("r_b")], "AC-9", DAY).rule_id == "r_b"  # type: ignore[union-attr]


def test_a_rule_covers_its_first_and_last_day_and_no_other() -> None:
    window = rule(valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 31))
    assert choose_rule([window], "AC-9", date(2026, 12, 1)) == window
    assert choose_rule([window], "AC-9", date(2026, 12, 31)) == window
    assert choose_rule([window], "AC-9", date(2026, 11, 30)) is None
    assert choose_rule([window], "AC-9", date(2027, 1, 1)) is None


def test_a_rule_for_another_model_covers_nothing() -> None:
    assert choose_rule([rule(model_code="LOCK-1")], "AC-9", DAY) is None


def test_a_category_rule_covers_every_model_of_its_category_however_it_is_spelt() -> None:
    kitchen = new_rule(
        "r_k",
        RuleTerms("", 30_000, date(2026, 1, 1), None, 0, category="Đồ gia dụng nhà bếp"),
        by="a",
        at=AT,
    )
    assert kitchen.scope is Scope.CATEGORY and kitchen.model_code == ""
    assert choose_rule([kitchen], "MW-25G", DAY, "đồ gia dụng  NHÀ BẾP") == kitchen
    assert choose_rule([kitchen], "MW-25G", DAY, "Máy lạnh") is None
    assert choose_rule([kitchen], "MW-25G", DAY) is None  # a model without a category


def test_at_one_priority_the_models_rule_wins_over_its_categorys() -> None:
    category = rule("r_c", model_code="", category="Máy lạnh", scope=Scope.CATEGORY, amount=9)
    model = rule("r_m", amount=7)
    assert choose_rule([category, model], "AC-9", DAY, "Máy lạnh") == model
    higher = replace(category, priority=1)
    assert choose_rule([higher, model], "AC-9", DAY, "Máy lạnh") == higher
    entry = decide(
        installation(category="may lanh"), partner(), [category], NOTHING, LIMITS
    )  # the decision passes the model's category on
    assert (entry.rule_id, entry.amount) == ("r_c", 9)


def test_a_rule_names_a_model_or_a_category_never_both_and_keeps_it() -> None:
    for model_code, category in (("AC-9", "Máy lạnh"), ("", "")):
        with pytest.raises(Invalid) as refused:
            new_rule(
                "r_x", RuleTerms(model_code, 1, DAY, None, 0, category=category), by="a", at=AT
            )
        assert [f.code for f in refused.value.fields] == ["reward_rule_scope_invalid"]
    kitchen = new_rule("r_k", RuleTerms("", 1, DAY, None, 0, category="Bếp"), by="a", at=AT)
    assert next_version(kitchen, RuleTerms("", 2, DAY, None, 0, category="bep"), by="a", at=AT)
    with pytest.raises(Invalid):
        next_version(kitchen, RuleTerms("", 2, DAY, None, 0, category="Máy lạnh"), by="a", at=AT)


def test_only_a_rules_latest_version_counts() -> None:
    first = new_rule("r_a", RuleTerms("AC-9", 50_000, date(2026, 1, 1), None, 0), by="a", at=AT)
    second = next_version(
        first, RuleTerms("AC-9", 70_000, date(2026, 1, 1), None, 0), by="a", at=AT
    )
    assert second.version == 2
    assert choose_rule([first, second], "AC-9", DAY).amount == 70_000  # type: ignore[union-attr]
    closed = ended(second, date(2026, 11, 30), by="a", at=AT, note="")
    assert (closed.version, closed.valid_to) == (3, date(2026, 11, 30))
    assert choose_rule([first, second, closed], "AC-9", DAY) is None


def test_rule_terms_are_checked() -> None:
    with pytest.raises(Invalid) as refused:
        new_rule("r_a", RuleTerms("AC-9", 0, date(2026, 2, 1), date(2026, 1, 1), 0), by="a", at=AT)
    assert {f.code for f in refused.value.fields} == {
        "reward_amount_invalid",
        "reward_rule_dates_invalid",
    }
    with pytest.raises(Invalid):
        next_version(rule(), RuleTerms("LOCK-1", 1, DAY, None, 0), by="a", at=AT)
    with pytest.raises(Conflict):
        ended(rule(valid_to=date(2026, 3, 1)), date(2026, 5, 1), by="a", at=AT, note="")


# -- the decision ----------------------------------------------------------------------------


def test_an_approved_partner_with_a_rule_earns_the_rules_amount_pending() -> None:
    decided = decide(installation(), partner(), [rule(amount=80_000)], NOTHING, LIMITS)
    assert (decided.state, decided.amount, decided.reason) == (EntryState.PENDING, 80_000, None)
    assert (decided.rule_id, decided.rule_version, decided.period) == ("r_a", 1, "2026-12")


SUSPENDED_BEFORE = partner(PartnerStatus.SUSPENDED, at=AT - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("who", "rules", "reason"),
    [
        (None, [rule()], NotEligible.NO_PARTNER),
        (SUSPENDED_BEFORE, [rule()], NotEligible.PARTNER_NOT_APPROVED),
        (partner(phone="+84900000000"), [rule()], NotEligible.PHONE_MISMATCH),
        (partner(), [], NotEligible.NO_RULE),
        (partner(), [rule(valid_from=date(2026, 12, 2))], NotEligible.NO_RULE),
    ],
)  # fmt: skip
def test_each_reason_to_earn_nothing_is_recorded(who, rules, reason) -> None:  # type: ignore[no-untyped-def]
    decided = decide(installation(), who, rules, NOTHING, LIMITS)
    assert (decided.state, decided.amount, decided.reason) == (EntryState.NOT_ELIGIBLE, 0, reason)


def test_a_suspended_partner_earns_nothing_from_the_moment_of_suspension() -> None:
    suspended = partner(PartnerStatus.SUSPENDED, at=AT)  # suspended at AT exactly
    before = decide(
        installation(activated_at=AT - timedelta(seconds=1)), suspended, [rule()], NOTHING, LIMITS
    )
    at_once = decide(installation(activated_at=AT), suspended, [rule()], NOTHING, LIMITS)
    assert before.state is EntryState.PENDING
    assert at_once.reason is NotEligible.PARTNER_NOT_APPROVED


def test_more_than_n_activations_in_m_minutes_hold_the_entry() -> None:
    earlier = [
        entry(f"SN-{i}", AT - timedelta(minutes=i * 5)) for i in range(1, 11)
    ]  # 10 in 50 min
    burst = decide(installation("SN-X"), partner(), [rule()], History(earlier, 0), LIMITS)
    assert (burst.state, burst.flags) == (EntryState.HELD, (Flag.BURST,))
    spread = [entry(f"SN-{i}", AT - timedelta(minutes=i * 7)) for i in range(1, 11)]  # 1 outside
    assert decide(installation("SN-X"), partner(), [rule()], History(spread, 0), LIMITS).flags == ()


def test_a_run_of_consecutive_serials_holds_the_entry() -> None:
    earlier = [entry(f"GAR0000001{n}W", AT - timedelta(days=n)) for n in (4, 3, 2, 1)]
    held = decide(installation("GAR00000015X"), partner(), [rule()], History(earlier, 0), LIMITS)
    assert held.flags == (Flag.SEQUENTIAL_SERIALS,)
    gap = decide(installation("GAR00000016X"), partner(), [rule()], History(earlier, 0), LIMITS)
    assert gap.flags == ()
    assert consecutive(["A9", "A10", "A8"]) and not consecutive(["A1", "B2"])


def test_the_customer_being_the_partner_and_a_phone_on_many_units_hold_the_entry() -> None:
    own = decide(installation(customer_phone=PHONE), partner(), [rule()], NOTHING, LIMITS)
    assert own.flags == (Flag.CUSTOMER_IS_PARTNER,) and own.state is EntryState.HELD
    many = decide(installation(), partner(), [rule()], History((), 3), LIMITS)
    assert many.flags == (Flag.CUSTOMER_MANY_UNITS,)
    assert decide(installation(), partner(), [rule()], History((), 2), LIMITS).flags == ()


def test_a_unit_never_shipped_is_held_only_where_the_brand_ships_every_unit() -> None:
    unshipped = installation(shipped=False)
    assert decide(unshipped, partner(), [rule()], NOTHING, LIMITS).flags == ()
    strict = replace(LIMITS, require_shipment=True)
    held = decide(unshipped, partner(), [rule()], NOTHING, strict)
    assert (held.state, held.flags) == (EntryState.HELD, (Flag.NOT_SHIPPED,))
    assert decide(installation(shipped=True), partner(), [rule()], NOTHING, strict).flags == ()


# -- the ledger's states ---------------------------------------------------------------------


def test_the_state_machine_allows_only_its_moves_and_a_rejection_needs_a_note() -> None:
    pending = entry("S1", AT)
    with pytest.raises(Conflict):
        move(pending, EntryState.PAID, by="a", at=AT)
    with pytest.raises(Invalid):
        move(pending, EntryState.REJECTED, by="a", at=AT, note=" ")
    path = [EntryState.HELD, EntryState.APPROVED, EntryState.IN_PAYOUT, EntryState.PAYMENT_FAILED,
            EntryState.IN_PAYOUT, EntryState.PAID]  # fmt: skip
    for state in path:
        pending = move(pending, state, by="a", at=AT)
    assert pending.state is EntryState.PAID and len(pending.history) == len(path)


def test_a_paid_entry_is_reversed_by_a_new_negative_entry() -> None:
    paid = replace(entry("S1", AT), state=EntryState.PAID)
    back = reversal(paid, by="accountant", at=AT, note="lắp sai")
    assert (back.entry_id, back.amount, back.kind, back.state) == (
        "S1#reversal", -50_000, EntryKind.REVERSAL, EntryState.APPROVED
    )  # fmt: skip
    assert paid.state is EntryState.PAID  # never changed
    with pytest.raises(Conflict):
        reversal(entry("S2", AT), by="a", at=AT, note="x")


@settings(max_examples=200, deadline=None)
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=8),
    steps=st.lists(st.tuples(st.integers(0, 7), st.sampled_from(list(EntryState))), max_size=60),
)
def test_the_balance_is_everything_approved_minus_everything_paid(
    amounts: list[int], steps: list[tuple[int, EntryState]]
) -> None:
    entries = [replace(entry(f"S{i}", AT), amount=a) for i, a in enumerate(amounts)]
    approved = paid = 0
    for index, to in steps:
        index %= len(entries)
        current = entries[index]
        if to not in TRANSITIONS[current.state]:
            with pytest.raises(Conflict):
                move(current, to, by="a", at=AT, note="n")
            continue
        if current.state is EntryState.PAID or current.kind is EntryKind.REVERSAL:
            continue
        entries[index] = move(current, to, by="a", at=AT, note="n")
        approved += current.amount if to is EntryState.APPROVED else 0
        paid += current.amount if to is EntryState.PAID else 0
        if to is EntryState.PAID and index % 3 == 0:  # some payments are taken back
            entries.append(reversal(entries[index], by="a", at=AT, note="n"))
            approved -= current.amount
    assert balance(entries) == approved - paid
