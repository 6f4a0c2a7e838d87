"""Response shapes of the dealer routes."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.dealer_units import DealerActivation, DealerUnit
from chalicelib.catalog.model import Activation
from chalicelib.core.lifecycle import StatusChange
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.dealers.access import DealerPrincipal
from chalicelib.dealers.model import Dealer
from chalicelib.dealers.service import DealerDetail
from chalicelib.dealers.users import AddedUser, DealerUser
from chalicelib.platform.views import added_member_view, iso_time, member_view


def dealer_view(dealer: Dealer) -> dict[str, Any]:
    details = dealer.details
    return {
        "dealer_id": dealer.dealer_id,
        "code": details.code,
        "name": details.name,
        "tax_code": details.tax_code,
        "province": details.province,
        "address": details.address,
        "contact_phone": details.contact_phone,
        "parent_id": details.parent_id,
        "status": dealer.status.value,
        "version": dealer.version,
        "created_at": iso_time(dealer.created_at),
        "created_by": dealer.created_by,
        "updated_at": iso_time(dealer.updated_at),
    }


def brief_view(dealer: Dealer) -> dict[str, Any]:
    return {
        "dealer_id": dealer.dealer_id,
        "code": dealer.details.code,
        "name": dealer.details.name,
        "status": dealer.status.value,
    }


def status_change_view(change: StatusChange) -> dict[str, Any]:
    return {
        "at": iso_time(change.at),
        "by": change.by,
        "from": change.status_from.value if change.status_from else None,
        "to": change.status_to.value,
        "note": change.note,
    }


def detail_view(found: DealerDetail) -> dict[str, Any]:
    """One dealer with its distributor, the dealers it supplies, and its status history
    (newest first)."""
    return {
        **dealer_view(found.dealer),
        "parent": brief_view(found.parent) if found.parent else None,
        "dealers": [brief_view(d) for d in found.dealers],
        "history": [status_change_view(c) for c in reversed(found.dealer.history)],
    }


def dealer_user_view(user: DealerUser) -> dict[str, Any]:
    return member_view(user, "dealer_id")


def added_user_view(added: AddedUser) -> dict[str, Any]:
    """The user and its temporary password: shown once, stored nowhere by us."""
    return added_member_view(added, "dealer_id")


def own_dealer_view(principal: DealerPrincipal, dealer: Dealer) -> dict[str, Any]:
    """The signed-in dealer user's own dealer (no history, no staff names)."""
    details = dealer.details
    return {
        "username": principal.username,
        "dealer": {
            "dealer_id": dealer.dealer_id,
            "code": details.code,
            "name": details.name,
            "province": details.province,
            "address": details.address,
            "status": dealer.status.value,
        },
    }


def dealer_unit_view(unit: DealerUnit) -> dict[str, Any]:
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status,
        "shipped_on": unit.shipped_on,
        "activated_at": iso_time(unit.activated_at),
        "shipment_id": unit.shipment_id or None,
        "carton": unit.carton or None,
    }


def dealer_activation_view(activation: DealerActivation) -> dict[str, Any]:
    """An activation of one of the dealer's units: the customer's name and phone masked, as
    everywhere outside customer service (``+84 91* *** *78``)."""
    return {
        "serial": activation.serial,
        "model_code": activation.model_code,
        "activated_at": iso_time(activation.activated_at),
        "channel": activation.channel,
        "customer_name": mask_name(activation.owner_name) if activation.owner_name else None,
        "customer_phone": mask_phone(activation.owner_phone) if activation.owner_phone else None,
        "province": activation.owner_province or None,
    }


def dealer_activated_view(serial: str, activation: Activation) -> dict[str, Any]:
    """A dealer's activation for a buyer, as its counter screen confirms it (buyer masked)."""
    return {
        "serial": serial,
        "status": "activated",
        "channel": activation.channel,
        "activated_at": iso_time(activation.activated_at),
        "warranty_start": activation.warranty_start.isoformat(),
        "warranty_end": activation.warranty_end.isoformat(),
        "customer_name": mask_name(activation.owner.name),
        "customer_phone": mask_phone(activation.owner.phone),
    }
