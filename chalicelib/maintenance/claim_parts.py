"""Spare parts on a service request (a repair under warranty, a paid repair): the same
catalogue and the same places as the maintenance visits. A part used is an ``issue`` movement
naming the request and, **in the request's own transaction**, one cost line of kind ``part``
naming the movement (the part's code and quantity, its cost to us, and who pays: the warranty,
the customer or the supplier); a part taken back is a ``return`` movement and a negative line.
Only the lines a movement made count as held (a cost typed by hand with a part's code never
does), grouped by who paid and at what unit cost: a part goes back against the latest such
group, at its cost and payer, never more than that group holds. Pure: the stock comes as a port.

>>> held = (_line("LOC-01", 2, 80_000), _line("LOC-01", 1, -40_000), _line("TU-35UF", 1, 35_000),
...         _line("LOC-01", 5, 5, movement=""))  # typed by hand: not from stock
>>> held_on(held, "LOC-01"), held_on(held, "TU-35UF"), held_on(held, "X")
(1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.claims.model import Claim, CostLine, NewCost
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.ids import new_id
from chalicelib.maintenance.parts import Movement, MovementKind, check_movement
from chalicelib.maintenance.stock_service import (
    StockStore,
    existing_location,
    may_take_from,
    part_for,
)

PART = "part"


@dataclass(frozen=True)
class ClaimPart:
    """A part used on (or taken back off) a request: its cost line and its movement."""

    cost: NewCost
    movement: Movement


Group = tuple[str, int]  # who paid, the unit cost


def _stock_lines(costs: Iterable[CostLine], part_code: str) -> list[CostLine]:
    return [c for c in costs if c.kind == PART and c.part_code == part_code and c.movement_id]


def _unit_cost(line: CostLine) -> int:
    return abs(line.amount_vnd) // line.quantity


def held_by_group(costs: Iterable[CostLine], part_code: str) -> dict[Group, int]:
    """What the request holds of ``part_code`` from stock, per payer and unit cost."""
    held: dict[Group, int] = {}
    for line in _stock_lines(costs, part_code):
        group = (line.payer, _unit_cost(line))
        held[group] = held.get(group, 0) + (
            line.quantity if line.amount_vnd > 0 else -line.quantity
        )
    return held


def held_on(costs: Iterable[CostLine], part_code: str) -> int:
    """How many of ``part_code`` the request holds from stock."""
    return sum(held_by_group(costs, part_code).values())


def use(
    claim: Claim, version: int, part_code: str, qty: int, location_id: str, payer: str, *,
    assignee_key: str | None, by: str, at: datetime, stock: StockStore,
) -> ClaimPart:  # fmt: skip
    """A part taken from ``location_id`` for the request: its line at the catalogue's cost
    (``assignee_key``: the caller's when they work the request as its assignee, ``None`` for
    the desk)."""
    part, place = part_for(part_code, claim.model_code, location_id, assignee_key=assignee_key,
                           store=stock)  # fmt: skip
    movement = check_movement(
        Movement(new_id("mv_", at), MovementKind.ISSUE, part.code, qty, place.location_id, None,
                 at, by=by, unit_cost_vnd=part.cost_vnd, claim_id=claim.claim_id)
    )  # fmt: skip
    cost = NewCost(version, PART, part.name, part.cost_vnd * qty, payer, qty, part.code,
                   movement.movement_id)  # fmt: skip
    return ClaimPart(cost, movement)


def give_back(
    claim: Claim, version: int, part_code: str, qty: int, location_id: str, *,
    assignee_key: str | None, by: str, at: datetime, stock: StockStore,
) -> ClaimPart:  # fmt: skip
    """``qty`` of a part the request holds back to ``location_id``: a negative line at the cost
    and payer of the latest group still held (``claim_part_not_held`` when that group holds
    fewer: return the rest against the group before)."""
    lines = _stock_lines(claim.costs, part_code)
    held = held_by_group(lines, part_code)
    charged = next(
        (c for c in reversed(lines) if c.amount_vnd > 0 and held[(c.payer, _unit_cost(c))] > 0),
        None,
    )
    if charged is None or held[(charged.payer, _unit_cost(charged))] < qty:
        raise Invalid(fields=[FieldError("qty", "claim_part_not_held")])
    unit_cost = _unit_cost(charged)
    place = existing_location(location_id, stock, field="location")
    if assignee_key is not None and not may_take_from(place, assignee_key):
        raise Invalid(fields=[FieldError("location", "stock_location_not_yours")])
    movement = check_movement(
        Movement(new_id("mv_", at), MovementKind.RETURN, part_code, qty, None,
                 place.location_id, at, by=by, unit_cost_vnd=unit_cost, claim_id=claim.claim_id)
    )  # fmt: skip
    cost = NewCost(version, PART, charged.description, -unit_cost * qty, charged.payer, qty,
                   part_code, movement.movement_id)  # fmt: skip
    return ClaimPart(cost, movement)


def _line(code: str, qty: int, amount: int, movement: str = "mv_1") -> CostLine:
    return CostLine("1", PART, code, amount, "warranty", "x", datetime(2027, 1, 1, tzinfo=UTC),
                    qty, code, movement)  # fmt: skip
