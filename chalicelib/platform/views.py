"""Response shapes: domain objects → JSON-ready dicts. Nothing here leaks an owner's phone."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.activation.lookup import OwnedUnit
from chalicelib.activation.service import ActivationResult, PublicUnitView
from chalicelib.catalog.model import Brand, ProductModel, Unit
from chalicelib.core.errors import RowRejection
from chalicelib.core.phone import mask_phone

# What a customer sees of a unit's history (staff-side events such as imports stay internal).
CUSTOMER_EVENTS = frozenset({"activated", "shipped", "claim_opened", "claim_closed", "serviced"})

if TYPE_CHECKING:
    from chalicelib.outbox.model import OutboundMessage


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def brand_view(brand: Brand) -> dict[str, Any]:
    return {
        "brand_id": brand.brand_id,
        "name": brand.name,
        "serial_prefix": brand.serial_prefix,
        "serials_issued": brand.serials_issued,
        "serial_prefix_locked": brand.serials_issued > 0,
        "theme": theme_view(brand),
    }


def theme_view(brand: Brand) -> dict[str, Any]:
    theme = brand.theme
    return {
        "short_name": theme.short_name,
        "logo_url": theme.logo_url,
        "colors": {
            "primary": theme.primary,
            "on_primary": theme.on_primary,
            "accent": theme.accent,
        },
        "email": theme.email,
        "website": theme.website,
        "sections": list(theme.sections),
    }


def portal_settings_view(brand: Brand, hotline: str) -> dict[str, Any]:
    """What the portal needs to look like this brand: ``GET /public/settings``."""
    theme = theme_view(brand)
    return {
        "brand": {
            "id": brand.brand_id,
            "name": brand.name,
            "logo_url": theme["logo_url"],
            "colors": theme["colors"],
            "hotline": hotline,
            "email": theme["email"],
            "website": theme["website"],
        },
        "sections": theme["sections"],
        "languages": ["vi", "en"],
        "default_language": "vi",
    }


def model_view(model: ProductModel) -> dict[str, Any]:
    return {
        "code": model.code,
        "name": model.name,
        "description": model.description,
        "image_url": model.image_url,
        "specs": model.specs,
        "warranty_months": model.terms.months,
        "warranty_start_basis": model.terms.start_basis.value,
        "max_months_from_manufacture": model.terms.max_months_from_manufacture,
        "activation_deadline_days": model.terms.activation_deadline_days,
        "unit_count": model.unit_count,
        "created_at": _time(model.created_at),
        "updated_at": _time(model.updated_at),
    }


def public_model_view(model: ProductModel) -> dict[str, Any]:
    return {
        "code": model.code,
        "name": model.name,
        "description": model.description,
        "image_url": model.image_url,
        "specs": model.specs,
        "warranty_months": model.terms.months,
    }


def public_unit_view(view: PublicUnitView) -> dict[str, Any]:
    return {
        "serial": view.serial,
        "genuine": True,
        "model": public_model_view(view.model),
        "status": view.status.value,
        "activated_on": _day(view.activated_on),
        "warranty_end": _day(view.warranty_end),
        "customer_name": view.owner_masked,
    }


def activation_view(result: ActivationResult) -> dict[str, Any]:
    activation = result.activation
    return {
        "serial": result.serial,
        "model": {"code": result.model.code, "name": result.model.name},
        "status": "activated",
        "activated_at": _time(activation.activated_at),
        "warranty_start": _day(activation.warranty_start),
        "warranty_end": _day(activation.warranty_end),
        "warranty_basis": activation.warranty_reason,
        "certificate_url": result.certificate_url,
    }


def staff_unit_view(unit: Unit, qr_url: str, today: date) -> dict[str, Any]:
    activation = unit.activation
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status.value,
        "warranty_status": unit.public_status(today).value,
        "batch": unit.batch,
        "manufactured_on": _day(unit.manufactured_on),
        "shipped_on": _day(unit.shipped_on),
        "created_at": _time(unit.created_at),
        "qr_url": qr_url,
        "activation": None
        if activation is None
        else {
            "activated_at": _time(activation.activated_at),
            "channel": activation.channel,
            "warranty_start": _day(activation.warranty_start),
            "warranty_end": _day(activation.warranty_end),
            "warranty_basis": activation.warranty_reason,
            "customer": {
                "name": activation.owner.name,
                "phone_masked": mask_phone(activation.owner.phone),
                "province": activation.owner.province,
            },
        },
        "history": [
            {"at": _time(h.at), "event": h.event, "by": h.by, "note": h.note} for h in unit.history
        ],
    }


def owned_unit_view(owned: OwnedUnit, today: date, certificate_url: str) -> dict[str, Any]:
    unit, activation = owned.unit, owned.unit.activation
    return {
        "serial": unit.serial,
        "model": public_model_view(owned.model) if owned.model else {"code": unit.model_code},
        "status": unit.public_status(today).value,
        "activated_at": _time(activation.activated_at) if activation else None,
        "warranty_start": _day(activation.warranty_start) if activation else None,
        "warranty_end": _day(activation.warranty_end) if activation else None,
        "customer_name": activation.owner.name if activation else None,
        "certificate_url": certificate_url if activation else None,
        "history": [
            {"at": _time(event.at), "event": event.event}
            for event in unit.history
            if event.event in CUSTOMER_EVENTS
        ],
    }


def rejection_view(rejection: RowRejection) -> dict[str, Any]:
    return {"line": rejection.line, "serial": rejection.serial, "reason": rejection.reason}


def inbox_message_view(message: OutboundMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "template": message.template,
        "language": message.language,
        "text": message.text,
        "status": message.status.value,
        "channel": message.channel,
        "provider": message.provider,
        "created_at": _time(message.created_at),
        "delivered_at": _time(message.delivered_at),
    }


def staff_message_view(message: OutboundMessage, *, detail: bool = False) -> dict[str, Any]:
    """One outbox message for staff: the phone masked, the cost as text (exact VND)."""
    view: dict[str, Any] = {
        "message_id": message.message_id,
        "kind": message.template,
        "subject": message.subject,
        "to": mask_phone(message.recipient_phone),
        "language": message.language,
        "urgency": message.urgency.value,
        "status": message.status.value,
        "channel": message.channel or None,
        "provider": message.provider,
        "provider_message_id": message.provider_message_id,
        "attempts": message.attempts,
        "reason": message.reason,
        "error_class": message.error_class,
        "error_code": message.error_code,
        "cost_vnd": None if message.cost is None else str(message.cost),
        "cost_reported": message.cost_reported,
        "created_at": _time(message.created_at),
        "send_after": _time(message.send_after),
        "accepted_at": _time(message.accepted_at),
        "delivered_at": _time(message.delivered_at),
        "failed_at": _time(message.failed_at),
    }
    if detail:
        view["text"] = message.text
        view["events"] = [
            {
                "at": _time(e.at),
                "state": e.state,
                "channel": e.channel or None,
                "provider": e.provider or None,
                "reason": e.reason or None,
                "code": e.code or None,
            }
            for e in message.events
        ]
    return view
