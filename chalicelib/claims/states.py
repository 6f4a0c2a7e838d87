"""A service request's states and the moves between them: who may make each move, which moves
the customer is told about. Pure: no I/O.

The diagram (``docs/claims.md`` draws it)::

    new ─▶ triaged ─┬─▶ quoted ─┬─▶ quote_accepted ─▶ routed
                    │           └─▶ quote_declined ─▶ closed
                    └─▶ routed ─▶ accepted ─┬─▶ scheduled ─┬─▶ received ─▶ diagnosing
                                            └─▶ received   └─▶ diagnosing (on site)
    diagnosing ─▶ waiting_parts ⇄ repairing ─▶ repaired | replaced
    diagnosing ─▶ repaired | replaced | no_fault_found | rejected | quoted (found not covered)
    repaired | replaced | no_fault_found | rejected ─▶ ready_for_return ─▶ returned
    returned ─▶ confirmed ─▶ closed;   returned ─▶ closed (after N days, by the schedule)
    returned | confirmed | closed ─▶ reopened (within N days: a repeat repair) ─▶ triaged
    new | triaged | routed | accepted | scheduled | reopened ─▶ cancelled

The assignee (the technician, or the partner service company's user) makes the workshop's
moves; the desk (admin, customer service, director) makes the office's and may make any
assignee move on the assignee's behalf; the customer accepts or declines a quote, confirms the
return, reopens, and cancels before the work starts; the schedule closes what the customer never
confirmed.

>>> can_move(ClaimState.NEW, ClaimState.TRIAGED, Actor.DESK)
True
>>> can_move(ClaimState.NEW, ClaimState.REPAIRED, Actor.DESK)
False
>>> can_move(ClaimState.ROUTED, ClaimState.ACCEPTED, Actor.CUSTOMER)
False
>>> sorted(s.value for s in next_states(ClaimState.REPAIRING, Actor.ASSIGNEE))
['repaired', 'replaced', 'waiting_parts']
"""

from __future__ import annotations

from enum import StrEnum


class ClaimState(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    QUOTED = "quoted"
    QUOTE_ACCEPTED = "quote_accepted"
    QUOTE_DECLINED = "quote_declined"
    ROUTED = "routed"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    RECEIVED = "received"
    DIAGNOSING = "diagnosing"
    WAITING_PARTS = "waiting_parts"
    REPAIRING = "repairing"
    REPAIRED = "repaired"
    REPLACED = "replaced"
    NO_FAULT_FOUND = "no_fault_found"
    REJECTED = "rejected"
    READY_FOR_RETURN = "ready_for_return"
    RETURNED = "returned"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


class Actor(StrEnum):
    DESK = "desk"  # admin, customer service, director
    ASSIGNEE = "assignee"  # the assigned technician or the service company's user
    CUSTOMER = "customer"  # signed in by code, or through the tracking link
    SYSTEM = "system"  # the schedule


S = ClaimState
DESK, ASSIGNEE, CUSTOMER, SYSTEM = Actor.DESK, Actor.ASSIGNEE, Actor.CUSTOMER, Actor.SYSTEM
_WORKSHOP = frozenset({ASSIGNEE, DESK})
_OFFICE = frozenset({DESK})
_CUSTOMER_OR_DESK = frozenset({CUSTOMER, DESK})
_EARLY_CANCEL = frozenset({DESK, CUSTOMER})

# (from, to) → who may make the move. Anything absent is refused (``claim_move_not_allowed``).
MOVES: dict[tuple[ClaimState, ClaimState], frozenset[Actor]] = {
    (S.NEW, S.TRIAGED): _OFFICE,
    (S.NEW, S.CANCELLED): _EARLY_CANCEL,
    (S.TRIAGED, S.QUOTED): _OFFICE,
    (S.TRIAGED, S.ROUTED): _OFFICE,
    (S.TRIAGED, S.CANCELLED): _EARLY_CANCEL,
    (S.QUOTED, S.QUOTE_ACCEPTED): _CUSTOMER_OR_DESK,
    (S.QUOTED, S.QUOTE_DECLINED): _CUSTOMER_OR_DESK,
    (S.QUOTE_ACCEPTED, S.ROUTED): _OFFICE,
    (S.QUOTE_DECLINED, S.CLOSED): frozenset({DESK, SYSTEM}),
    (S.ROUTED, S.ACCEPTED): _WORKSHOP,
    (S.ROUTED, S.TRIAGED): _WORKSHOP,  # the assignee hands it back (or the desk re-routes)
    (S.ROUTED, S.CANCELLED): _EARLY_CANCEL,
    (S.ACCEPTED, S.SCHEDULED): _WORKSHOP,
    (S.ACCEPTED, S.RECEIVED): _WORKSHOP,
    (S.ACCEPTED, S.CANCELLED): _EARLY_CANCEL,
    (S.SCHEDULED, S.RECEIVED): _WORKSHOP,
    (S.SCHEDULED, S.DIAGNOSING): _WORKSHOP,
    (S.SCHEDULED, S.CANCELLED): _EARLY_CANCEL,
    (S.RECEIVED, S.DIAGNOSING): _WORKSHOP,
    (S.DIAGNOSING, S.WAITING_PARTS): _WORKSHOP,
    (S.DIAGNOSING, S.REPAIRING): _WORKSHOP,
    (S.DIAGNOSING, S.REPAIRED): _WORKSHOP,
    (S.DIAGNOSING, S.REPLACED): _WORKSHOP,
    (S.DIAGNOSING, S.NO_FAULT_FOUND): _WORKSHOP,
    (S.DIAGNOSING, S.REJECTED): _WORKSHOP,
    (S.DIAGNOSING, S.QUOTED): _WORKSHOP,
    (S.WAITING_PARTS, S.REPAIRING): _WORKSHOP,
    (S.REPAIRING, S.WAITING_PARTS): _WORKSHOP,
    (S.REPAIRING, S.REPAIRED): _WORKSHOP,
    (S.REPAIRING, S.REPLACED): _WORKSHOP,
    (S.REPAIRED, S.READY_FOR_RETURN): _WORKSHOP,
    (S.REPLACED, S.READY_FOR_RETURN): _WORKSHOP,
    (S.NO_FAULT_FOUND, S.READY_FOR_RETURN): _WORKSHOP,
    (S.REJECTED, S.READY_FOR_RETURN): _WORKSHOP,
    (S.READY_FOR_RETURN, S.RETURNED): _WORKSHOP,
    (S.RETURNED, S.CONFIRMED): _CUSTOMER_OR_DESK,
    (S.RETURNED, S.CLOSED): frozenset({DESK, SYSTEM}),
    (S.RETURNED, S.REOPENED): _CUSTOMER_OR_DESK,
    (S.CONFIRMED, S.CLOSED): frozenset({DESK, SYSTEM}),
    (S.CONFIRMED, S.REOPENED): _CUSTOMER_OR_DESK,
    (S.CLOSED, S.REOPENED): _CUSTOMER_OR_DESK,
    (S.REOPENED, S.TRIAGED): _OFFICE,
    (S.REOPENED, S.CANCELLED): _OFFICE,
}

TERMINAL = frozenset({S.CANCELLED})
# Where the work is over: a reopen from here counts as a repeat repair.
FINISHED = frozenset({S.RETURNED, S.CONFIRMED, S.CLOSED, S.QUOTE_DECLINED})
# Where a request's outcome is set (the warranty history shows it): the workshop's result, or
# how the request ended without one.
OUTCOMES = frozenset(
    {S.REPAIRED, S.REPLACED, S.NO_FAULT_FOUND, S.REJECTED, S.QUOTE_DECLINED, S.CANCELLED}
)
# A note is required for these moves (the history says why).
NOTE_REQUIRED = frozenset(
    {
        (S.ROUTED, S.TRIAGED),
        (S.DIAGNOSING, S.REJECTED),
        (S.DIAGNOSING, S.QUOTED),
        (S.RETURNED, S.REOPENED),
        (S.CONFIRMED, S.REOPENED),
        (S.CLOSED, S.REOPENED),
    }
    | {(origin, S.CANCELLED) for origin, target in MOVES if target is S.CANCELLED}
)

# The customer is told of these arrivals, one message each (the message kind's key).
CUSTOMER_MESSAGES: dict[ClaimState, str] = {
    S.NEW: "claim_received",
    S.QUOTED: "claim_quoted",
    S.ACCEPTED: "claim_accepted",
    S.READY_FOR_RETURN: "claim_ready",
    S.RETURNED: "claim_returned",
    S.CANCELLED: "claim_cancelled",
}
# Setting or moving the expected return date is told too (``claim_return_date``).
RETURN_DATE_MESSAGE = "claim_return_date"

# What the customer's timeline shows of each state (the workshop's inner steps fold into one).
CUSTOMER_STEP: dict[ClaimState, str] = {
    S.NEW: "received",
    S.TRIAGED: "checked",
    S.QUOTED: "quoted",
    S.QUOTE_ACCEPTED: "quote_accepted",
    S.QUOTE_DECLINED: "quote_declined",
    S.ROUTED: "checked",
    S.ACCEPTED: "accepted",
    S.SCHEDULED: "scheduled",
    S.RECEIVED: "in_service",
    S.DIAGNOSING: "in_service",
    S.WAITING_PARTS: "in_service",
    S.REPAIRING: "in_service",
    S.REPAIRED: "in_service",
    S.REPLACED: "in_service",
    S.NO_FAULT_FOUND: "in_service",
    S.REJECTED: "in_service",
    S.READY_FOR_RETURN: "ready",
    S.RETURNED: "returned",
    S.CONFIRMED: "confirmed",
    S.CLOSED: "closed",
    S.CANCELLED: "cancelled",
    S.REOPENED: "reopened",
}


def can_move(origin: ClaimState, target: ClaimState, actor: Actor) -> bool:
    return actor in MOVES.get((origin, target), frozenset())


def next_states(origin: ClaimState, actor: Actor) -> list[ClaimState]:
    """The moves ``actor`` may make from ``origin``, in the diagram's order."""
    return [target for (start, target), who in MOVES.items() if start is origin and actor in who]


def needs_note(origin: ClaimState, target: ClaimState) -> bool:
    return (origin, target) in NOTE_REQUIRED
