"""Spare parts and their stock: the catalogue (code, name, unit, cost and price in whole VND,
the models it fits, the level under which it is short), the places stock is kept (the main
warehouse, a technician's van, a partner company), and the movements that change it. Pure: no
I/O.

A movement is never edited: a mistake is corrected by another movement (an adjustment with its
reason). Each kind moves stock in a fixed way:

=========== ========== ========== =====================================
kind        from       to         why
=========== ========== ========== =====================================
receipt     —          a place    bought in (its unit cost recorded)
issue       a place    —          used on a maintenance ticket
return      —          a place    back from a ticket
transfer    a place    a place    e.g. the warehouse to a van
adjustment  one of the two        a count's difference, with a reason
=========== ========== ========== =====================================

Stock can never go negative: every decrease is conditional on the quantity being there, in the
same transaction as the movement itself.

>>> deltas(Movement("mv_1", MovementKind.TRANSFER, "LOC-01", 3, "KHO", "VAN-AN", at=None))
[('KHO', 'LOC-01', -3), ('VAN-AN', 'LOC-01', 3)]
>>> normalize_part_code(" loc-01 ")
'LOC-01'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import FieldError, Invalid

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_.-]{0,31}")
NAME_MAX = 120
UNIT_MAX = 20
REASON_MAX = 300
MAX_QTY = 100_000
MAX_PART_VND = 500_000_000
MAX_MODELS = 50


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    VAN = "van"  # a technician's: ``holder`` is their ``tech#<username>``
    COMPANY = "company"  # a partner company's: ``holder`` is its ``company#<id>``


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    RETURN = "return"
    TRANSFER = "transfer"
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    name_en: str
    unit: str  # "cái", "bộ", "m", "lít"
    cost_vnd: int  # what it costs us
    price_vnd: int  # what a customer pays
    models: tuple[str, ...] = ()  # the model codes it fits (none: any)
    min_stock: int = 0  # at or under this in a place: short
    active: bool = True
    version: int = 1
    updated_by: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Location:
    location_id: str
    name: str
    kind: LocationKind
    holder: str | None = None  # tech#<username> | company#<id>: whose van or company


@dataclass(frozen=True)
class Movement:
    movement_id: str
    kind: MovementKind
    part_code: str
    qty: int  # always positive: the kind says which way
    source: str | None  # the place it leaves
    target: str | None  # the place it arrives
    at: datetime | None
    by: str = ""
    reason: str = ""
    ticket_id: str | None = None
    unit_cost_vnd: int = 0
    claim_id: str | None = None  # an issue to (or a return from) a service request


@dataclass(frozen=True)
class StockLine:
    """A part's quantity in one place."""

    location_id: str
    part_code: str
    on_hand: int


def normalize_part_code(raw: str) -> str:
    code = raw.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid("part_code_invalid")
    return code


normalize_location_id = normalize_part_code  # the same shape: KHO-HCM, VAN-AN


def check_movement(movement: Movement) -> Movement:
    """The movement, when its kind's places are given as the table above says (a field error
    otherwise); an adjustment needs its reason."""
    kind, source, target = movement.kind, movement.source, movement.target
    wants = {
        MovementKind.RECEIPT: (False, True),
        MovementKind.RETURN: (False, True),
        MovementKind.ISSUE: (True, False),
        MovementKind.TRANSFER: (True, True),
    }.get(kind)
    if wants is None:  # an adjustment: one place, either way
        if (source is None) == (target is None):
            raise Invalid(fields=[FieldError("to", "stock_adjustment_one_place")])
        if not movement.reason:
            raise Invalid(fields=[FieldError("reason", "stock_reason_required")])
    else:
        for name, wanted, given in (("from", wants[0], source), ("to", wants[1], target)):
            if wanted and given is None:
                raise Invalid(fields=[FieldError(name, "stock_place_required")])
            if not wanted and given is not None:
                raise Invalid(fields=[FieldError(name, "stock_place_not_allowed")])
    if source is not None and source == target:
        raise Invalid(fields=[FieldError("to", "stock_same_place")])
    if not 1 <= movement.qty <= MAX_QTY:
        raise Invalid(fields=[FieldError("qty", "stock_qty_invalid")])
    return movement


def deltas(movement: Movement) -> list[tuple[str, str, int]]:
    """``(place, part, change)`` for each place the movement touches, the decrease first."""
    out = []
    if movement.source is not None:
        out.append((movement.source, movement.part_code, -movement.qty))
    if movement.target is not None:
        out.append((movement.target, movement.part_code, movement.qty))
    return out


def is_short(line: StockLine, part: Part) -> bool:
    return line.on_hand <= part.min_stock
