"""The customer's view of a request: the steps they see (the workshop's inner moves fold into
one "in service"), the verdict's reasons in their language, the expected return, what they
may do now. No staff names, no internal notes, no phone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.claims.model import Claim, HistoryEntry
from chalicelib.claims.states import CUSTOMER_STEP, Actor, next_states
from chalicelib.claims.views import verdict_view
from chalicelib.platform.views import iso_day, iso_time


def timeline(history: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    """The visible changes, one entry per step reached: a step already shown is not shown again
    (routing after a quote is still "checked") until the request is reopened."""
    steps: list[dict[str, Any]] = []
    shown: set[str] = set()
    for entry in history:
        step = CUSTOMER_STEP[entry.state_to]
        if not entry.visible or step in shown:
            continue
        shown = set() if step == "reopened" else shown | {step}
        steps.append({"step": step, "state": entry.state_to.value, "at": iso_time(entry.at)})
    return steps


def tracking_view(claim: Claim, history: Sequence[HistoryEntry], language: str) -> dict[str, Any]:
    return {
        "claim_id": claim.claim_id,
        "claim_type": claim.claim_type.value,
        "state": claim.state.value,
        "step": CUSTOMER_STEP[claim.state],
        "serial": claim.serial,
        "model_name": claim.model_name,
        "created_at": iso_time(claim.created_at),
        "verdict": verdict_view(claim.decided, language),
        "expected_return": iso_day(claim.expected_return),
        "appointment": iso_time(claim.appointment),
        "quote_vnd": claim.quote_vnd,
        "photos": len(claim.photos),
        "timeline": timeline(history),
        "actions": [s.value for s in next_states(claim.state, Actor.CUSTOMER)],
        "rating": claim.rating,
    }
