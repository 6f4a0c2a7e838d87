"""The customer's timeline: the workshop's inner moves fold into one step, and a step already
shown is not shown again until the request is reopened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.claims.model import HistoryEntry
from chalicelib.claims.public_views import timeline
from chalicelib.claims.states import Actor, ClaimState

S = ClaimState
START = datetime(2026, 3, 1, 8, tzinfo=UTC)


def history(*moves: tuple[ClaimState, bool]) -> list[HistoryEntry]:
    entries, before = [], None
    for seq, (state, visible) in enumerate(moves, start=1):
        entries.append(
            HistoryEntry(
                claim_id="C1",
                seq=seq,
                at=START + timedelta(hours=seq),
                by="cs",
                actor=Actor.DESK,
                action="move",
                state_from=before,
                state_to=state,
                visible=visible,
            )
        )
        before = state
    return entries


def steps(*moves: tuple[ClaimState, bool]) -> list[str]:
    return [entry["step"] for entry in timeline(history(*moves))]


def test_the_workshops_inner_moves_are_one_step() -> None:
    assert steps(
        (S.NEW, True), (S.TRIAGED, True), (S.ROUTED, False), (S.ACCEPTED, True),
        (S.RECEIVED, True), (S.DIAGNOSING, False), (S.REPAIRING, False), (S.REPAIRED, False),
        (S.READY_FOR_RETURN, True), (S.RETURNED, True),
    ) == ["received", "checked", "accepted", "in_service", "ready", "returned"]  # fmt: skip


def test_routing_after_a_quote_does_not_show_checked_again() -> None:
    assert steps(
        (S.NEW, True), (S.TRIAGED, True), (S.QUOTED, True), (S.QUOTE_ACCEPTED, True),
        (S.ROUTED, True), (S.ACCEPTED, True),
    ) == ["received", "checked", "quoted", "quote_accepted", "accepted"]  # fmt: skip


def test_a_reopened_request_shows_its_steps_again() -> None:
    assert steps(
        (S.NEW, True), (S.TRIAGED, True), (S.ACCEPTED, True), (S.READY_FOR_RETURN, True),
        (S.RETURNED, True), (S.REOPENED, True), (S.ACCEPTED, True), (S.READY_FOR_RETURN, True),
    ) == [
        "received", "checked", "accepted", "ready", "returned", "reopened", "accepted", "ready",
    ]  # fmt: skip


def test_changes_the_customer_does_not_see_are_left_out() -> None:
    assert steps((S.NEW, True), (S.TRIAGED, False)) == ["received"]
