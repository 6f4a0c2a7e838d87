"""Parts on a service request go back only as they came: from stock (a line typed by hand with a
part's code holds nothing), against the latest group still held (who paid, at what unit cost).
Taking one back at the cost and payer it was charged is checked against the emulator
(tests/integration/test_claim_parts.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.claims.model import CostLine
from chalicelib.claims.states import ClaimState
from chalicelib.core.errors import Invalid
from chalicelib.maintenance import claim_parts
from tests.support.claims import claim_in

AT = datetime(2027, 1, 10, 3, tzinfo=UTC)


def line(qty: int, amount: int, payer: str = "warranty", movement: str = "mv") -> CostLine:
    return CostLine("1", "part", "Tụ điện", amount, payer, "an", AT, qty, "TU-35UF", movement)


def test_what_a_request_holds_is_counted_per_payer_and_unit_cost() -> None:
    costs = (
        line(1, 80_000),
        line(2, 200_000, payer="customer"),
        line(1, -100_000, payer="customer"),
        line(4, 40, movement=""),  # typed by hand: never left stock
    )

    assert claim_parts.held_by_group(costs, "TU-35UF") == {
        ("warranty", 80_000): 1, ("customer", 100_000): 1
    }  # fmt: skip
    assert claim_parts.held_on(costs, "TU-35UF") == 2


@pytest.mark.parametrize(
    "costs",
    [
        (line(5, 5, movement=""),),  # typed by hand: never left stock
        (line(1, 80_000), line(2, 200_000, payer="customer")),  # the latest group holds 2
        (line(3, 120_000), line(3, -120_000)),  # all back already
    ],
)
def test_nothing_more_goes_back_than_the_latest_group_holds(costs: tuple[CostLine, ...]) -> None:
    claim = replace(claim_in(ClaimState.REPAIRING), costs=costs)

    with pytest.raises(Invalid) as refused:
        claim_parts.give_back(
            claim, claim.version, "TU-35UF", 3, "KHO", assignee_key=None, by="lan", at=AT,
            stock=None,  # type: ignore[arg-type]  # refused before any place is read
        )  # fmt: skip

    assert [f.code for f in refused.value.fields] == ["claim_part_not_held"]
