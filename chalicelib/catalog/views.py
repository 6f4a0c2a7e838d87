"""Response shapes of the catalog: brands, models and units as JSON-ready dicts. Nothing here
leaks an owner's phone."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.catalog.model import Brand, Installer, ProductModel, Unit
from chalicelib.catalog.warranty import ComponentTerm
from chalicelib.core.errors import NotFound, RowRejection
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.platform.views import iso_day, iso_time


def brand_view(brand: Brand) -> dict[str, Any]:
    return {
        "brand_id": brand.brand_id,
        "name": brand.name,
        "serial_prefix": brand.serial_prefix,
        "serials_issued": brand.serials_issued,
        "serial_prefix_locked": brand.serials_issued > 0,
        "theme": theme_view(brand),
        "confirm_phone": brand.confirm_phone,
        "updated_by": brand.updated_by,
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
        "hotline": theme.hotline,
    }


def model_view(model: ProductModel, *, portal_url: str = "") -> dict[str, Any]:
    """A model for staff; ``image_src`` is its picture's full address (``image_url`` is a path
    on the portal, where the console cannot find it)."""
    image = model.image_url
    return {
        "code": model.code,
        "name": model.name,
        "description": model.description,
        "image_url": image,
        "image_src": f"{portal_url}{image}" if image.startswith("/") else image,
        "specs": model.specs,
        "name_en": model.name_en,
        "description_en": model.description_en,
        "spec_labels_en": model.spec_labels_en,
        "spec_values_en": model.spec_values_en,
        "category": model.category,
        "category_en": model.category_en,
        "warranty_months": model.terms.months,
        "warranty_start_basis": model.terms.start_basis.value,
        "max_months_from_manufacture": model.terms.max_months_from_manufacture,
        "activation_deadline_days": model.terms.activation_deadline_days,
        "components": [component_view(c) for c in model.terms.components],
        "rules_version": model.terms.rules_version,
        "unit_count": model.unit_count,
        "created_at": iso_time(model.created_at),
        "updated_at": iso_time(model.updated_at),
        "updated_by": model.updated_by,
    }


def component_view(part: ComponentTerm) -> dict[str, Any]:
    return {
        "code": part.code,
        "name": part.name,
        "name_en": part.name_en,
        "months": part.months,
        "activated_within_months": part.activated_within_months,
    }


def public_model_view(model: ProductModel) -> dict[str, Any]:
    """The model as the portal shows it: the Vietnamese texts at the top level (as ever) and
    ``en`` with the English ones, Vietnamese where a text has no English, so the portal picks
    by its language without asking again."""
    english = model.localized("en")
    return {
        "code": model.code,
        "name": model.name,
        "description": model.description,
        "image_url": model.image_url,
        "specs": model.specs,
        "warranty_months": model.terms.months,
        "en": {"name": english.name, "description": english.description, "specs": english.specs},
    }


def staff_unit_view(
    unit: Unit,
    qr_url: str,
    today: date,
    certificate_url: str | None = None,
    *,
    dealer_name: str | None = None,
    shipment_document: str | None = None,
) -> dict[str, Any]:
    """A unit for staff; ``dealer_name`` is the name of the dealer it was shipped to (read
    through the dealers' names port by the handler), ``shipment_document`` its shipment's
    delivery note number (likewise); ``None`` when unknown or not shipped."""
    activation = unit.activation
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status.value,
        "warranty_status": unit.public_status(today).value,
        "batch": unit.batch,
        "manufactured_on": iso_day(unit.manufactured_on),
        "shipped_on": iso_day(unit.shipped_on),
        "shipment_id": unit.shipment_id or None,
        "shipment_document": shipment_document if unit.shipment_id else None,
        "dealer": {"dealer_id": unit.dealer_id, "name": dealer_name} if unit.dealer_id else None,
        "carton": unit.carton or None,
        "created_at": iso_time(unit.created_at),
        "qr_url": qr_url,
        "certificate_url": certificate_url if activation is not None else None,
        "activation": None
        if activation is None
        else {
            "activated_at": iso_time(activation.activated_at),
            "channel": activation.channel,
            "warranty_start": iso_day(activation.warranty_start),
            "warranty_end": iso_day(activation.warranty_end),
            "warranty_basis": activation.warranty_reason,
            "customer": {
                "name_masked": mask_name(activation.owner.name),
                "phone_masked": mask_phone(activation.owner.phone),
                "province": activation.owner.province,
            },
            "installer": installer_view(activation.installer),
        },
        "history": [
            {"at": iso_time(h.at), "event": h.event, "by": h.by, "note": h.note}
            for h in unit.history
        ],
    }


def installer_view(installer: Installer | None) -> dict[str, Any] | None:
    """A ``partner`` activation's installer as staff see it (the phone masked)."""
    if installer is None:
        return None
    return {
        "name": installer.name,
        "phone_masked": mask_phone(installer.phone),
        "partner_id": installer.partner_id or None,
        "store": installer.store,
        "installed_on": iso_day(installer.installed_on),
        "notes": installer.notes,
    }


def unit_list_view(unit: Unit, today: date) -> dict[str, Any]:
    """A row of the console's units list: the owner masked (a reveal is its own request)."""
    activation = unit.activation
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status.value,
        "warranty_status": unit.public_status(today).value,
        "batch": unit.batch,
        "manufactured_on": iso_day(unit.manufactured_on),
        "created_at": iso_time(unit.created_at),
        "activated_at": iso_time(activation.activated_at) if activation else None,
        "warranty_end": iso_day(activation.warranty_end) if activation else None,
        "owner_name_masked": mask_name(activation.owner.name) if activation else None,
        "owner_phone_masked": mask_phone(activation.owner.phone) if activation else None,
    }


def owner_view(unit: Unit) -> dict[str, Any]:
    """The owner in full: only for a role that may see it, and each answer is audited."""
    if unit.activation is None:
        raise NotFound("unit_has_no_owner")
    owner = unit.activation.owner
    return {
        "serial": unit.serial,
        "name": owner.name,
        "phone": owner.phone,
        "province": owner.province,
        "address": owner.address,
    }


def rejection_view(rejection: RowRejection) -> dict[str, Any]:
    return {"line": rejection.line, "serial": rejection.serial, "reason": rejection.reason}
