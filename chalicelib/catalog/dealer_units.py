"""A dealer's units as the dealer (and its staff page) read them: from ``dealer_serial_index``,
in serial order. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DealerUnit:
    serial: str
    model_code: str
    status: str  # shipped, activated, void (registered again once returned: off the index)
    shipped_on: str | None  # ISO day
    activated_at: datetime | None
    shipment_id: str
    carton: str


@dataclass(frozen=True)
class DealerActivation:
    """An activated unit of the dealer's with its owner as stored; the dealers capability masks
    the name and phone before anyone sees them."""

    serial: str
    model_code: str
    activated_at: datetime | None
    channel: str
    owner_name: str
    owner_phone: str
    owner_province: str


@dataclass(frozen=True)
class DealerUnitPage:
    units: list[DealerUnit]
    after: dict[str, Any] | None


@dataclass(frozen=True)
class DealerActivationPage:
    activations: list[DealerActivation]
    after: dict[str, Any] | None
