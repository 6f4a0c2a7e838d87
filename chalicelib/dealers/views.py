"""Response shapes of the dealer routes."""

from __future__ import annotations

from typing import Any

from chalicelib.dealers.model import Dealer, StatusChange
from chalicelib.dealers.service import DealerDetail
from chalicelib.platform.views import iso_time


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
