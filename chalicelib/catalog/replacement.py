"""A unit replaced under warranty (issue 15): the unit handed to the customer instead is
registered now if it is not yet (same model as the old one), activated for the same owner with a
warranty starting on the replacement day, and both units name each other; the old one is void.
Pure: the units, the models and the owner's key come as ports.

Idempotent: a second call for the same pair (a retried request) finds the link made and answers
the new unit as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from chalicelib.catalog.model import (
    ACTIVATABLE,
    Activation,
    AddResult,
    NewUnit,
    ProductModel,
    Unit,
    UnitStatus,
)
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import Conflict, NotFound

REPLACEMENT_CHANNEL = "replacement"
REPLACEMENT_REASON = "warranty_from_replacement"


class ReplacementUnits(Protocol):
    def find(self, serial: str) -> Unit | None: ...
    def add(self, units: Sequence[NewUnit], *, event: str, by: str) -> AddResult: ...
    def replace(
        self, old_serial: str, new_serial: str, activation: Activation, *, owner_key: str, by: str
    ) -> None: ...


class Models(Protocol):
    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]: ...


def replace_unit(
    old_serial: str,
    new_serial: str,
    *,
    at: datetime,
    by: str,
    units: ReplacementUnits,
    models: Models,
    owner_key: Callable[[str], str],
) -> Unit:
    """Hand ``new_serial`` over instead of ``old_serial`` (activated, not void): 404
    ``unit_not_found`` for an unknown old unit; 409 ``unit_void``, ``unit_not_activated``,
    ``replacement_same_unit``, ``replacement_unit_unavailable`` (the new unit is activated or
    void). ``owner_key``: the phone's key (an HMAC under the stage's pepper)."""
    old = units.find(old_serial)
    if old is None:
        raise NotFound("unit_not_found")
    if old.replaced_by == new_serial:
        done = units.find(new_serial)
        if done is not None:
            return done
    if old.status is UnitStatus.VOID:
        raise Conflict("unit_void")
    if old.activation is None:
        raise Conflict("unit_not_activated")
    if new_serial == old_serial:
        raise Conflict("replacement_same_unit")
    new = units.find(new_serial) or _registered(new_serial, old.model_code, by, units)
    if new.status not in ACTIVATABLE:
        raise Conflict("replacement_unit_unavailable")
    model = models.get_many([new.model_code])[new.model_code]
    day = business_day(at)
    window = model.terms.window(activated_on=day)
    activation = Activation(
        activated_at=at,
        warranty_start=day,
        warranty_end=window.end,
        warranty_reason=REPLACEMENT_REASON,
        channel=REPLACEMENT_CHANNEL,
        owner=old.activation.owner,
        language=old.activation.language,
    )
    units.replace(
        old_serial, new_serial, activation, owner_key=owner_key(old.activation.owner.phone), by=by
    )
    replaced = units.find(new_serial)
    assert replaced is not None  # written just now
    return replaced


def _registered(serial: str, model_code: str, by: str, units: ReplacementUnits) -> Unit:
    """A serial not registered yet, registered now with the old unit's model."""
    units.add([NewUnit(serial, model_code)], event="replacement", by=by)
    found = units.find(serial)
    if found is None:  # pragma: no cover - the add just wrote it
        raise Conflict("replacement_unit_unavailable")
    return found
