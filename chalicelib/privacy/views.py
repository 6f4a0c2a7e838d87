"""What the privacy routes answer: a request as the customer and as staff see it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.activation.consent import PURPOSES
from chalicelib.catalog.customers import Customer
from chalicelib.privacy.model import RETENTION_BOUNDS, RETENTION_KINDS, PrivacyRequest, Retention


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def customer_request_view(request: PrivacyRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "kind": request.kind.value,
        "status": request.status.value,
        "created_at": request.created_at.isoformat(),
        "due_at": request.due_at.isoformat(),
    }


def staff_request_view(request: PrivacyRequest, now: datetime) -> dict[str, Any]:
    return {
        **customer_request_view(request),
        "phone_masked": request.phone_masked,
        "channel": request.channel,
        "language": request.language,
        "overdue": request.overdue(now),
        "handled_by": request.handled_by,
        "handled_at": _instant(request.handled_at),
        "reason": request.reason,
        "erased": dict(sorted(request.erased.items())),
    }


def consents_view(customer: Customer) -> dict[str, Any]:
    """Each purpose with the customer's last decision (``granted: null``: never asked)."""
    recorded = {c.purpose: c for c in customer.consents}
    consents = []
    for purpose in PURPOSES:
        found = recorded.get(purpose)
        consents.append(
            {
                "purpose": purpose,
                "granted": found.granted if found else None,
                "at": found.at.isoformat() if found else None,
                "channel": found.channel if found else None,
            }
        )
    return {"consents": consents}


def retention_view(retention: Retention) -> dict[str, Any]:
    return {
        **{f"{kind}_months": retention.months[kind] for kind in RETENTION_KINDS},
        "bounds": {f"{kind}_months": list(RETENTION_BOUNDS[kind]) for kind in RETENTION_KINDS},
        "version": retention.version,
        "updated_by": retention.updated_by or None,
        "updated_at": _instant(retention.updated_at),
    }
