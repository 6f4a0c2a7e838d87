"""Response shapes of the customer's routes: a scanned unit, an activation, "my products", the
portal's settings. Nothing here leaks an owner's phone."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.activation.lookup import OwnedUnit
from chalicelib.activation.service import ActivationResult, Certificate, PublicUnitView
from chalicelib.catalog.model import Brand, Unit
from chalicelib.catalog.views import public_model_view, theme_view
from chalicelib.core.i18n import LANGUAGES
from chalicelib.core.qr_token import UnitLinks
from chalicelib.platform.views import iso_day, iso_time

# What a customer sees of a unit's history (staff-side events such as imports, cartons, returns
# and cancelled shipments stay internal): of the ``shipped`` events only the one by the shipment
# the unit is in now (the one that sold it), never a shipment undone since.
CUSTOMER_EVENTS = frozenset({"activated", "shipped", "claim_opened", "claim_closed", "serviced"})


def customer_history(unit: Unit) -> list[dict[str, Any]]:
    """The unit's history as its owner sees it: dates and events, never a note or an author."""
    return [
        {"at": iso_time(event.at), "event": event.event}
        for event in unit.history
        if event.event in CUSTOMER_EVENTS
        and (event.event != "shipped" or (unit.shipment_id and event.note == unit.shipment_id))
    ]


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
        "activation": {"confirm_phone": brand.confirm_phone},
        "languages": list(LANGUAGES),
        "default_language": "vi",
    }


def public_unit_view(view: PublicUnitView) -> dict[str, Any]:
    return {
        "serial": view.serial,
        "genuine": True,
        "model": public_model_view(view.model),
        "status": view.status.value,
        "activated_on": iso_day(view.activated_on),
        "warranty_end": iso_day(view.warranty_end),
        "customer_name": view.owner_masked,
        "sold_through": view.sold_through,
    }


def certificate_view(certificate: Certificate, links: UnitLinks) -> dict[str, Any]:
    """``GET /public/certificates/{token}``: the unit view, the code, the warranty and its
    terms, and the QR printed on it (the portal's verify page for this serial and code) as SVG
    path data in a square of ``qr.modules`` units, quiet zone included."""
    from chalicelib.labels import qr_codes  # the QR library: loaded by this route only
    from chalicelib.labels.template import QUIET_ZONE_MODULES

    unit = public_unit_view(certificate.view)
    if certificate.owner_name:
        unit["customer_name"] = certificate.owner_name
    verify_url = links.verification(certificate.view.serial, certificate.code)
    symbol = qr_codes.encode(verify_url)
    activation, terms = certificate.activation, certificate.terms
    return {
        "certificate": unit,
        "verified": True,
        "verification_code": certificate.code,
        "owner_verified": certificate.owner_name is not None,
        "warranty": {
            "months": terms.months,
            "start": iso_day(activation.warranty_start),
            "end": iso_day(activation.warranty_end),
            "basis": activation.warranty_reason,
            "max_months_from_manufacture": terms.max_months_from_manufacture,
        },
        "verify_url": verify_url,
        "qr": {
            "modules": symbol.size + 2 * QUIET_ZONE_MODULES,
            "path": qr_codes.svg_path(symbol),
        },
    }


def activation_view(result: ActivationResult) -> dict[str, Any]:
    activation = result.activation
    return {
        "serial": result.serial,
        "model": {
            "code": result.model.code,
            "name": result.model.name,
            "en": {"name": result.model.localized("en").name},
        },
        "status": "activated",
        "activated_at": iso_time(activation.activated_at),
        "warranty_start": iso_day(activation.warranty_start),
        "warranty_end": iso_day(activation.warranty_end),
        "warranty_basis": activation.warranty_reason,
        "certificate_url": result.certificate_url,
    }


def owned_unit_view(owned: OwnedUnit, today: date, certificate_url: str) -> dict[str, Any]:
    unit, activation = owned.unit, owned.unit.activation
    return {
        "serial": unit.serial,
        "model": public_model_view(owned.model) if owned.model else {"code": unit.model_code},
        "status": unit.public_status(today).value,
        "activated_at": iso_time(activation.activated_at) if activation else None,
        "warranty_start": iso_day(activation.warranty_start) if activation else None,
        "warranty_end": iso_day(activation.warranty_end) if activation else None,
        "customer_name": activation.owner.name if activation else None,
        "certificate_url": certificate_url if activation else None,
        "history": customer_history(unit),
    }
