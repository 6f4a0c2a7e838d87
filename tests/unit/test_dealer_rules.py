"""Dealers' rules without storage: the status machine and its notes, edits, the distributor's
checks, who a dealer request comes from, and which units a dealer may activate for a buyer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
from chalicelib.core.errors import Conflict, Forbidden, Invalid
from chalicelib.dealers import assisted
from chalicelib.dealers.access import dealer_principal
from chalicelib.dealers.model import (
    ALLOWED_MOVES,
    Dealer,
    DealerDetails,
    DealerStatus,
    change_status,
    check_parent,
    edit,
    new_dealer,
)
from chalicelib.dealers.users import DealerUser
from chalicelib.platform.auth import Principal

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
S = DealerStatus


def dealer(code: str = "HN-01", *, dealer_id: str = "d_a", parent_id: str | None = None) -> Dealer:
    details = DealerDetails(
        code=code, name=f"Đại lý {code}", province="Hà Nội", parent_id=parent_id
    )
    return new_dealer(details, by="admin", at=NOW, dealer_id=dealer_id)


@pytest.mark.parametrize(("start", "to"), [(a, b) for a in S for b in S if b in ALLOWED_MOVES[a]])
def test_every_allowed_move_is_kept_in_the_history_with_its_note(start: S, to: S) -> None:
    before = replace(dealer(), status=start)

    after = change_status(before, to, note=" Lý do ", by="admin", at=NOW)

    assert (after.status, after.version) == (to, before.version + 1)
    last = after.history[-1]
    assert (last.status_from, last.status_to, last.note, last.by) == (start, to, "Lý do", "admin")


@pytest.mark.parametrize(
    ("start", "to"), [(a, b) for a in S for b in S if b not in ALLOWED_MOVES[a]]
)
def test_any_other_move_is_a_conflict(start: S, to: S) -> None:
    with pytest.raises(Conflict) as refused:
        change_status(replace(dealer(), status=start), to, note="x", by="admin", at=NOW)

    assert refused.value.code == "dealer_status_not_allowed"


@pytest.mark.parametrize("to", [S.SUSPENDED, S.CLOSED])
def test_suspending_or_closing_needs_a_note(to: S) -> None:
    with pytest.raises(Invalid) as refused:
        change_status(dealer(), to, note="  ", by="admin", at=NOW)

    assert [f.code for f in refused.value.fields] == ["note_required"]


def test_a_new_dealer_is_active_at_version_one_with_its_creation_in_the_history() -> None:
    created = dealer()

    assert (created.status, created.version, len(created.history)) == (S.ACTIVE, 1, 1)
    assert created.history[0].status_from is None


def test_an_edit_keeps_the_code_and_a_closed_dealer_is_not_edited() -> None:
    before = dealer()
    renamed = replace(before.details, name="Minh Phát 2")

    after = edit(before, renamed, at=NOW)

    assert (after.name, after.version) == ("Minh Phát 2", 2)
    with pytest.raises(Invalid):
        edit(before, replace(renamed, code="HN-02"), at=NOW)
    with pytest.raises(Conflict):
        edit(replace(before, status=S.CLOSED), renamed, at=NOW)


@pytest.mark.parametrize(
    ("parent", "parent_id", "code"),
    [
        (None, "d_a", "dealer_parent_self"),
        (None, "d_x", "dealer_parent_not_found"),
        (dealer("NPP", dealer_id="d_p", parent_id="d_a"), "d_p", "dealer_parent_cycle"),
        (replace(dealer("NPP", dealer_id="d_p"), status=S.CLOSED), "d_p", "dealer_parent_closed"),
    ],
)
def test_a_distributor_must_exist_be_another_dealer_not_buy_from_it_nor_be_closed(
    parent: Dealer | None, parent_id: str, code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        check_parent("d_a", parent, parent_id)

    assert [(f.field, f.code) for f in refused.value.fields] == [("parent_id", code)]


def test_a_fitting_distributor_and_none_at_all_pass() -> None:
    check_parent("d_a", dealer("NPP", dealer_id="d_p"), "d_p")
    check_parent("d_a", None, None)


class Store:
    def __init__(self, *items: DealerUser | Dealer) -> None:
        self.items = {getattr(i, "username", None) or getattr(i, "dealer_id", ""): i for i in items}

    def get(self, key: str) -> object:
        return self.items.get(key)


def principal(*roles: str, username: str = "dealer1") -> Principal:
    return Principal(username=username, subject="s", roles=frozenset(roles))


def test_a_dealer_request_comes_from_a_mapped_user_of_an_active_dealer() -> None:
    users = Store(DealerUser("dealer1", "d_a", NOW, "admin"))
    dealers = Store(dealer())

    found = dealer_principal(principal("dealer"), users=users, dealers=dealers)

    assert (found.username, found.dealer_id, found.dealer_name) == (
        "dealer1",
        "d_a",
        "Đại lý HN-01",
    )


@pytest.mark.parametrize(
    ("who", "users", "dealers", "code"),
    [
        (
            principal("admin"),
            Store(DealerUser("dealer1", "d_a", NOW, "a")),
            Store(dealer()),
            "role_not_allowed",
        ),
        (principal("dealer"), Store(), Store(dealer()), "dealer_access_revoked"),
        (
            principal("dealer"),
            Store(DealerUser("dealer1", "d_a", NOW, "a")),
            Store(replace(dealer(), status=S.SUSPENDED)),
            "dealer_not_active",
        ),
    ],
)
def test_anyone_else_is_refused_with_the_reason(
    who: Principal, users: Store, dealers: Store, code: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        dealer_principal(who, users=users, dealers=dealers)

    assert refused.value.code == code


def unit(status: UnitStatus = UnitStatus.SHIPPED, dealer_id: str = "d_a", **more: object) -> Unit:
    return Unit("GAR001", "AC-9", status, dealer_id=dealer_id, **more)


ACTIVATED = Activation(
    activated_at=NOW,
    warranty_start=date(2026, 12, 2),
    warranty_end=date(2028, 12, 2),
    warranty_reason="activation",
    channel="web",
    owner=Owner("An", "+84912345678"),
)


@pytest.mark.parametrize(
    ("found", "error", "code"),
    [
        (unit(dealer_id="d_b"), Forbidden, "unit_not_shipped_to_dealer"),
        (unit(UnitStatus.REGISTERED, dealer_id=""), Forbidden, "unit_not_shipped_to_dealer"),
        (unit(UnitStatus.ACTIVATED, activation=ACTIVATED), Conflict, "already_activated"),
        (unit(UnitStatus.VOID), Conflict, "unit_not_activatable"),
    ],
)
def test_a_dealer_activates_only_its_shipped_units(
    found: Unit, error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as refused:
        assisted.check_unit(found, "d_a")

    assert getattr(refused.value, "code", None) == code


def test_the_buyer_s_code_is_proved_last_and_the_dealer_recorded() -> None:
    calls: list[str] = []

    class Units:
        def get(self, serial: str) -> Unit:
            return unit()

    def activate(serial: str, owner: Owner, evidence: str, before_write: object) -> Activation:
        calls.append(f"activate {serial} {evidence}")
        before_write()
        return ACTIVATED

    assisted.confirm(
        "GAR001",
        Owner("Bình", "+84987654321"),
        "123456",
        assisted.Counter("d_a", "dealer1"),
        units=Units(),
        prove_phone=lambda phone, code: calls.append(f"prove {phone} {code}"),
        activate=activate,
    )

    assert calls == ["activate GAR001 dealer:d_a:dealer1", "prove +84987654321 123456"]
