"""Stock movements as a table: which places each kind takes, what an adjustment needs, and
which way each place's quantity moves."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import Invalid
from chalicelib.maintenance.parts import Movement, MovementKind, check_movement, deltas

K = MovementKind


def movement(kind: MovementKind, source: str | None, target: str | None, qty: int = 2,
             reason: str = "") -> Movement:  # fmt: skip
    return Movement("mv_1", kind, "LOC-01", qty, source, target, at=None, reason=reason)


@pytest.mark.parametrize(
    ("given", "changes"),
    [
        (movement(K.RECEIPT, None, "KHO"), [("KHO", "LOC-01", 2)]),
        (movement(K.ISSUE, "VAN", None), [("VAN", "LOC-01", -2)]),
        (movement(K.RETURN, None, "VAN"), [("VAN", "LOC-01", 2)]),
        (movement(K.TRANSFER, "KHO", "VAN"), [("KHO", "LOC-01", -2), ("VAN", "LOC-01", 2)]),
        (movement(K.ADJUSTMENT, "KHO", None, reason="đếm thiếu"), [("KHO", "LOC-01", -2)]),
        (movement(K.ADJUSTMENT, None, "KHO", reason="đếm thừa"), [("KHO", "LOC-01", 2)]),
    ],
)
def test_each_kind_moves_stock_its_way(given: Movement, changes: list[object]) -> None:
    assert deltas(check_movement(given)) == changes


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        (movement(K.RECEIPT, "KHO", "VAN"), "from", "stock_place_not_allowed"),
        (movement(K.RECEIPT, None, None), "to", "stock_place_required"),
        (movement(K.ISSUE, None, None), "from", "stock_place_required"),
        (movement(K.TRANSFER, "KHO", None), "to", "stock_place_required"),
        (movement(K.TRANSFER, "KHO", "KHO"), "to", "stock_same_place"),
        (movement(K.ADJUSTMENT, "KHO", "VAN", reason="x"), "to", "stock_adjustment_one_place"),
        (movement(K.ADJUSTMENT, None, None, reason="x"), "to", "stock_adjustment_one_place"),
        (movement(K.ADJUSTMENT, "KHO", None), "reason", "stock_reason_required"),
        (movement(K.RECEIPT, None, "KHO", qty=0), "qty", "stock_qty_invalid"),
        (movement(K.RECEIPT, None, "KHO", qty=100_001), "qty", "stock_qty_invalid"),
    ],
)
def test_a_movement_without_its_places_or_reason_is_refused_on_its_field(
    given: Movement, field: str, code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        check_movement(given)

    assert [(f.field, f.code) for f in refused.value.fields] == [(field, code)]
