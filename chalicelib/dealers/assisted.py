"""A dealer activates a unit for a buyer at the counter (channel ``dealer``): the buyer's phone
gets a code (the activation's own phone-code rules: 5 minutes, 5 attempts, one use, the send
limits per phone, client and prefix), the dealer types it back, and the unit is activated in
the same single transaction as on every channel. Only a unit shipped to this dealer and not yet
activated: a dealer activates what it holds, never another dealer's units (decided with the
issue: "shipped to this dealer", not any registered unit). The dealer is recorded with the
activation (the unit keeps its ``dealer_id``; the consent's evidence names the dealer and its
user). Pure: the ports are parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
from chalicelib.core.errors import Conflict, Forbidden

CHANNEL = "dealer"
T = TypeVar("T")


class UnitReader(Protocol):
    def get(self, serial: str) -> Unit: ...


@dataclass(frozen=True)
class Counter:
    """Who activates: the dealer and its signed-in user."""

    dealer_id: str
    username: str

    @property
    def evidence(self) -> str:
        """The consent's evidence: the buyer agreed at this dealer's counter, to this user."""
        return f"dealer:{self.dealer_id}:{self.username}"


# (serial, owner, evidence, before_write) -> the activation written
Activate = Callable[[str, Owner, str, Callable[[], None]], Activation]
# (phone, code): uses up the code, else Forbidden("phone_code_…")
ProvePhone = Callable[[str, str], None]


def check_unit(unit: Unit, dealer_id: str) -> None:
    """403 ``unit_not_shipped_to_dealer`` for a unit that is not this dealer's, 409
    ``already_activated`` (with when) or ``unit_not_activatable`` (void) otherwise."""
    if unit.dealer_id != dealer_id:
        raise Forbidden("unit_not_shipped_to_dealer")
    if unit.activation is not None:
        raise Conflict("already_activated", activated_at=unit.activation.activated_at.isoformat())
    if unit.status is not UnitStatus.SHIPPED:
        raise Conflict("unit_not_activatable")


def start(serial: str, counter: Counter, *, units: UnitReader, send_code: Callable[[], T]) -> T:
    """Check the unit, then send the code to the buyer's phone (``send_code``: its answer)."""
    check_unit(units.get(serial), counter.dealer_id)
    return send_code()


def confirm(
    serial: str,
    owner: Owner,
    code: str,
    counter: Counter,
    *,
    units: UnitReader,
    prove_phone: ProvePhone,
    activate: Activate,
) -> Activation:
    """Activate ``serial`` for ``owner`` once the code proves the phone (checked last, right
    before the write: a refused unit does not use the code up)."""
    check_unit(units.get(serial), counter.dealer_id)
    return activate(serial, owner, counter.evidence, lambda: prove_phone(owner.phone, code))
