"""Response shapes of the customer search and page: the name and phone masked, except in the
answer of a reveal (which the audit trail records)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.messaging.views import staff_message_view
from chalicelib.platform.views import iso_day, iso_time

if TYPE_CHECKING:
    from chalicelib.catalog.customers import Customer, CustomerProfile
    from chalicelib.catalog.model import Unit


def customer_summary_view(customer: Customer) -> dict[str, Any]:
    return {
        "customer_id": customer.customer_id,
        "name_masked": mask_name(customer.name),
        "phone_masked": mask_phone(customer.phone),
        "updated_at": iso_time(customer.updated_at),
    }


def _unit_view(unit: Unit, today: date) -> dict[str, Any]:
    activation = unit.activation
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status.value,
        "warranty_status": unit.public_status(today).value,
        "activated_at": iso_time(activation.activated_at) if activation else None,
        "warranty_end": iso_day(activation.warranty_end) if activation else None,
        "channel": activation.channel if activation else None,
    }


def customer_profile_view(profile: CustomerProfile, today: date) -> dict[str, Any]:
    """The customer's page: masked identity, consents per purpose (given or refused, when, how),
    units, and the messages sent to them (newest first, the phone masked, codes redacted)."""
    return {
        **customer_summary_view(profile.customer),
        "consents": [
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "at": iso_time(c.at),
                "channel": c.channel,
                "notice_version": c.notice_version,
                "evidence": c.evidence,
            }
            for c in profile.customer.consents
        ],
        "units": [_unit_view(unit, today) for unit in profile.units],
        "messages": [staff_message_view(m) for m in profile.messages],
    }


def revealed_customer_view(customer: Customer) -> dict[str, Any]:
    return {"customer_id": customer.customer_id, "name": customer.name, "phone": customer.phone}
