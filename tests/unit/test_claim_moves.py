"""Every (from, to, actor) of the service request's diagram: the moves ``states.MOVES`` draws
are made by the service (one write, its history item), every other one is refused and changes
nothing; a note where the diagram wants one; two moves at one version: one wins."""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from chalicelib.claims import service
from chalicelib.claims.model import Caller, ClaimDraft, ClaimType, Customer
from chalicelib.claims.sla import ClaimRules
from chalicelib.claims.states import MOVES, Actor, ClaimState, needs_note
from chalicelib.core.errors import Conflict, Invalid, NotFound
from tests.support.claims import (
    CUSTOMER,
    DESK,
    OTHER_TECH,
    SYSTEM,
    T0,
    TECH,
    MemoryClaims,
    MemoryModels,
    MemoryUnits,
    activated_unit,
    claim_in,
)

CALLERS: dict[Actor, Caller] = {
    Actor.DESK: DESK,
    Actor.ASSIGNEE: TECH,
    Actor.CUSTOMER: CUSTOMER,
    Actor.SYSTEM: SYSTEM,
}
RULES = ClaimRules()
AT = T0 + timedelta(hours=1)
EVERY_MOVE = list(itertools.product(ClaimState, ClaimState, Actor))


def _request(origin: ClaimState, target: ClaimState, note: str = "Khách gọi lại") -> service.Move:
    return service.Move(
        to=target,
        version=1,
        note=note,
        quote_vnd=350_000 if target is ClaimState.QUOTED else None,
        appointment=AT + timedelta(days=1) if target is ClaimState.SCHEDULED else None,
    )


@pytest.mark.parametrize(
    ("origin", "target", "actor"),
    EVERY_MOVE,
    ids=[f"{o.value}->{t.value}-{a.value}" for o, t, a in EVERY_MOVE],
)
def test_a_move_is_made_exactly_when_the_diagram_draws_it_for_the_actor(
    origin: ClaimState, target: ClaimState, actor: Actor
) -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(origin)
    allowed = actor in MOVES.get((origin, target), frozenset())

    if not allowed:
        with pytest.raises(Conflict) as refused:
            service.move(
                "SR-7K3M9Q2X", _request(origin, target), CALLERS[actor],
                at=AT, store=store, rules=RULES,
            )  # fmt: skip
        assert refused.value.code == "claim_move_not_allowed"
        assert store.claims["SR-7K3M9Q2X"] == claim_in(origin)
        assert store.history("SR-7K3M9Q2X") == []
        return

    moved = service.move(
        "SR-7K3M9Q2X", _request(origin, target), CALLERS[actor], at=AT, store=store, rules=RULES
    )

    assert (moved.state, moved.version, moved.state_since) == (target, 2, AT)
    assert store.claims["SR-7K3M9Q2X"] == moved
    (entry,) = store.history("SR-7K3M9Q2X")
    assert (entry.seq, entry.state_from, entry.state_to, entry.actor) == (2, origin, target, actor)
    assert entry.by == CALLERS[actor].name
    assert ("state", origin.value, target.value) in [
        (c.field, c.before, c.after) for c in entry.changes
    ]


NOTED = [(o, t) for (o, t) in MOVES if needs_note(o, t)]


@pytest.mark.parametrize(("origin", "target"), NOTED, ids=[f"{o}->{t}" for o, t in NOTED])
def test_a_move_that_must_say_why_is_refused_without_a_note(
    origin: ClaimState, target: ClaimState
) -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(origin)
    actor = next(a for a in (Actor.DESK, Actor.CUSTOMER) if a in MOVES[(origin, target)])

    with pytest.raises(Invalid) as refused:
        service.move(
            "SR-7K3M9Q2X", _request(origin, target, note="   "), CALLERS[actor],
            at=AT, store=store, rules=RULES,
        )  # fmt: skip

    assert refused.value.code == "claim_note_required"
    assert store.claims["SR-7K3M9Q2X"].version == 1


def test_a_technician_it_is_not_assigned_to_can_neither_read_nor_move_it() -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(ClaimState.ROUTED)

    with pytest.raises(NotFound):
        service.get("SR-7K3M9Q2X", OTHER_TECH, store=store)
    with pytest.raises(NotFound):
        service.move(
            "SR-7K3M9Q2X", _request(ClaimState.ROUTED, ClaimState.ACCEPTED), OTHER_TECH,
            at=AT, store=store, rules=RULES,
        )  # fmt: skip


def test_a_move_at_an_old_version_is_claim_changed() -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(ClaimState.NEW, version=3)

    with pytest.raises(Conflict) as refused:
        service.move(
            "SR-7K3M9Q2X", _request(ClaimState.NEW, ClaimState.TRIAGED), DESK,
            at=AT, store=store, rules=RULES,
        )  # fmt: skip

    assert (refused.value.code, refused.value.details["version"]) == ("claim_changed", 3)


class _ReadTogether(MemoryClaims):
    """Two callers both read the request before either writes (a barrier after each read)."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(2, timeout=5)

    def get(self, claim_id: str):  # type: ignore[no-untyped-def]
        found = super().get(claim_id)
        self.barrier.wait()
        return found


def test_two_moves_at_the_same_version_one_wins_the_other_is_told() -> None:
    store = _ReadTogether()
    store.claims["SR-7K3M9Q2X"] = claim_in(ClaimState.NEW)
    outcomes: list[str] = []

    def attempt(target: ClaimState) -> None:
        try:
            service.move(
                "SR-7K3M9Q2X", _request(ClaimState.NEW, target), DESK,
                at=AT, store=store, rules=RULES,
            )  # fmt: skip
            outcomes.append("moved")
        except Conflict as exc:
            outcomes.append(exc.code)

    threads = [
        threading.Thread(target=attempt, args=(t,))
        for t in (ClaimState.TRIAGED, ClaimState.CANCELLED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["claim_changed", "moved"]
    assert store.claims["SR-7K3M9Q2X"].version == 2
    assert len(store.history("SR-7K3M9Q2X")) == 1


def test_a_reopen_counts_a_repeat_repair_within_the_window_and_is_refused_after() -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(ClaimState.RETURNED)

    reopened = service.move(
        "SR-7K3M9Q2X", _request(ClaimState.RETURNED, ClaimState.REOPENED), CUSTOMER,
        at=AT, store=store, rules=RULES,
    )  # fmt: skip
    store.claims["SR-7K3M9Q2Y"] = claim_in(ClaimState.CLOSED, claim_id="SR-7K3M9Q2Y")
    late = T0 + timedelta(days=RULES.reopen_days + 1)

    assert (reopened.reopen_count, reopened.reopened_from) == (1, ClaimState.RETURNED)
    with pytest.raises(Conflict) as refused:
        service.move(
            "SR-7K3M9Q2Y", _request(ClaimState.CLOSED, ClaimState.REOPENED), CUSTOMER,
            at=late, store=store, rules=RULES,
        )  # fmt: skip
    assert refused.value.code == "claim_reopen_too_late"


def test_routing_needs_a_known_assignee_and_the_desk() -> None:
    store = MemoryClaims()
    store.claims["SR-7K3M9Q2X"] = claim_in(ClaimState.TRIAGED, assignee_key=None)
    names = {"tech#an": "An", "company#sc1": "Điện lạnh Bắc Hà"}.get

    with pytest.raises(Invalid):
        service.route(
            "SR-7K3M9Q2X", "tech#nobody", 1, DESK, at=AT, store=store, names=names, rules=RULES
        )
    with pytest.raises(NotFound):  # not theirs: they cannot even see it
        service.route(
            "SR-7K3M9Q2X", "company#sc1", 1, TECH, at=AT, store=store, names=names, rules=RULES
        )
    routed = service.route(
        "SR-7K3M9Q2X", "company#sc1", 1, DESK, at=AT, store=store, names=names, rules=RULES
    )

    assert (routed.state, routed.routing, routed.assignee_name) == (
        ClaimState.ROUTED,
        "outsourced",
        "Điện lạnh Bắc Hà",
    )
    assert routed.due_at == AT + timedelta(hours=RULES.sla_hours[ClaimState.ROUTED])


def test_a_new_request_is_decided_at_once_with_its_reasons() -> None:
    store = MemoryClaims()
    units = MemoryUnits(activated_unit(), activated_unit("GAR00000002A", date(2026, 1, 31)))
    draft = ClaimDraft(ClaimType.REPAIR, "GAR000000019", Customer("Lan", "+84912345678"), "Ồn")

    covered = service.create(
        draft, CUSTOMER, channel=service.Channel.PORTAL, at=AT, store=store, units=units,
        models=MemoryModels(), rules=RULES,
    )  # fmt: skip
    ended = service.create(
        replace(draft, serial="GAR00000002A"), DESK, channel=service.Channel.CONSOLE, at=AT,
        store=store, units=units, models=MemoryModels(), rules=RULES,
    )  # fmt: skip

    assert covered.decided is not None and covered.decided.status.value == "in_warranty"
    assert ended.decided is not None and ended.decided.status.value == "out_of_warranty"
    assert ended.decided.verdict.reasons[0].code == "warranty_ended"
    assert dict(ended.decided.verdict.reasons[0].params) == {"day": "2026-01-31"}
    assert covered.claim_id != ended.claim_id
    assert [e.action for e in store.history(covered.claim_id)] == ["create"]
    assert covered.due_at == AT + timedelta(hours=RULES.sla_hours[ClaimState.NEW])
    assert isinstance(covered.created_at, datetime)
