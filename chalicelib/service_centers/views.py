"""Response shapes of the service centres' routes."""

from __future__ import annotations

from typing import Any

from chalicelib.core.lifecycle import StatusChange
from chalicelib.platform.members import AddedMember, Member
from chalicelib.platform.views import added_member_view, iso_time, member_view
from chalicelib.service_centers.access import CenterPrincipal
from chalicelib.service_centers.model import ServiceCenter

ORG_FIELD = "center_id"


def center_view(center: ServiceCenter) -> dict[str, Any]:
    details = center.details
    return {
        "center_id": center.center_id,
        "code": details.code,
        "name": details.name,
        "kind": details.kind.value,
        "tax_code": details.tax_code,
        "provinces": list(details.provinces),
        "address": details.address,
        "phone": details.phone,
        "hours": details.hours,
        "listed": details.listed,
        "status": center.status.value,
        "version": center.version,
        "created_at": iso_time(center.created_at),
        "created_by": center.created_by,
        "updated_at": iso_time(center.updated_at),
    }


def status_change_view(change: StatusChange) -> dict[str, Any]:
    return {
        "at": iso_time(change.at),
        "by": change.by,
        "from": change.status_from.value if change.status_from else None,
        "to": change.status_to.value,
        "note": change.note,
    }


def detail_view(center: ServiceCenter) -> dict[str, Any]:
    """One centre with its status history (newest first)."""
    return {
        **center_view(center),
        "history": [status_change_view(c) for c in reversed(center.history)],
    }


def center_user_view(user: Member) -> dict[str, Any]:
    return member_view(user, ORG_FIELD)


def added_user_view(added: AddedMember) -> dict[str, Any]:
    return added_member_view(added, ORG_FIELD)


def service_point_view(center: ServiceCenter) -> dict[str, Any]:
    """A centre as the portal lists it: how to reach it, never a person's phone, no tax code,
    no status history."""
    details = center.details
    return {
        "code": details.code,
        "name": details.name,
        "kind": details.kind.value,
        "address": details.address,
        "phone": details.phone or None,
        "hours": details.hours or None,
        "provinces": list(details.provinces),
    }


def own_center_view(principal: CenterPrincipal, center: ServiceCenter) -> dict[str, Any]:
    """The signed-in company user's own centre (no history, no staff names)."""
    details = center.details
    return {
        "username": principal.username,
        "center": {
            "center_id": center.center_id,
            "code": details.code,
            "name": details.name,
            "kind": details.kind.value,
            "provinces": list(details.provinces),
            "address": details.address,
            "phone": details.phone,
            "hours": details.hours,
            "status": center.status.value,
        },
    }
