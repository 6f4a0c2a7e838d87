"""A unit's warranty history as staff and its owner read it (``GET /units/{serial}/
warranty-history``): the activation, the owner (masked), the installer,
the dealer that sold it, the units it replaced or was replaced by, and every request with its
outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.claims.model import Claim
from chalicelib.claims.service import WarrantyHistory
from chalicelib.claims.states import CUSTOMER_STEP
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.platform.views import iso_day, iso_time


def _claim_row(claim: Claim) -> dict[str, Any]:
    return {
        "claim_id": claim.claim_id,
        "claim_type": claim.claim_type.value,
        "state": claim.state.value,
        "step": CUSTOMER_STEP[claim.state],
        "created_at": iso_time(claim.created_at),
        "verdict": claim.decided.status.value if claim.decided else None,
        "outcome": claim.outcome.value if claim.outcome else None,
        "replacement_serial": claim.replacement_serial,
        "reopen_count": claim.reopen_count,
    }


def warranty_history_view(
    found: WarrantyHistory, *, full: bool, dealer_name: Callable[[str], str | None]
) -> dict[str, Any]:
    """``full``: the desk's view (the installer's phone in full). The owner is always masked
    here: staff see an owner in full only through the unit's recorded reveal (``POST
    /units/{serial}/owner``), never by reading its history."""
    unit = found.unit
    activation = unit.activation
    owner = activation.owner if activation else None
    installer = activation.installer if activation else None

    def phone(value: str) -> str:
        return value if full else mask_phone(value)

    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status.value,
        "activated_at": iso_time(activation.activated_at) if activation else None,
        "warranty": (
            {
                "start": iso_day(activation.warranty_start),
                "end": iso_day(activation.warranty_end),
                "reason": activation.warranty_reason,
                "channel": activation.channel,
            }
            if activation
            else None
        ),
        "customer": {"name": mask_name(owner.name), "phone": mask_phone(owner.phone)}
        if owner
        else None,
        "installer": (
            {
                "name": installer.name,
                "phone": phone(installer.phone),
                "installed_on": iso_day(installer.installed_on),
                "store": installer.store or None,
            }
            if installer
            else None
        ),
        "store": (
            {"dealer_id": unit.dealer_id, "name": dealer_name(unit.dealer_id) or unit.dealer_id}
            if unit.dealer_id
            else None
        ),
        "replaces": unit.replaces or None,
        "replaced_by": unit.replaced_by or None,
        "replaced_on": iso_day(unit.replaced_on),
        "claims": [_claim_row(c) for c in found.claims],
    }
