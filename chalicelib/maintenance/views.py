"""Response shapes of the maintenance routes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.catalog.model import ProductModel
from chalicelib.maintenance.lines import BOOKING_DAYS, POSTPONE_DAYS, PlanLine
from chalicelib.maintenance.model import MaintenancePlan, PlanComponent
from chalicelib.platform.views import iso_time


def component_view(component: PlanComponent) -> dict[str, Any]:
    return {
        "code": component.code,
        "name": component.name,
        "name_en": component.name_en,
        "cycle_months": component.cycle.months,
        "cycle_days": component.cycle.days,
        "first_months": component.first_offset.months,
        "first_days": component.first_offset.days,
        "lead_days": component.lead_days,
        "rhythm": component.rhythm.value,
        "price_vnd": component.price_vnd,
        "checklist": list(component.checklist),
    }


def plan_view(plan: MaintenancePlan) -> dict[str, Any]:
    return {
        "model_code": plan.model_code,
        "components": [component_view(c) for c in plan.components],
        "version": plan.version,
        "updated_by": plan.updated_by or None,
        "updated_at": iso_time(plan.updated_at) if plan.version else None,
    }


def public_line_view(
    line: PlanLine, model: ProductModel, language: str, today: date
) -> dict[str, Any]:
    """A line as its customer's page reads it: the product, the component (both names), its
    price and checklist, the visit waited for, and the days a slot or a postponement may take."""
    component = line.component
    return {
        "serial": line.serial,
        "model": {
            "code": line.model_code,
            "name": model.localized(language).name,
            "image_url": model.image_url,
        },
        "component": {
            "code": component.code,
            "name": component.name,
            "name_en": component.name_en,
            "price_vnd": component.price_vnd,
            "checklist": list(component.checklist),
        },
        "occurrence": line.occurrence,
        "due": line.due.isoformat(),
        "stage": line.stage.value,
        "booking": (
            {
                "day": line.booking.day.isoformat(),
                "part": line.booking.part.value,
                "note": line.booking.note,
            }
            if line.booking
            else None
        ),
        "book_from": (today + timedelta(days=1)).isoformat(),
        "book_until": (today + timedelta(days=BOOKING_DAYS)).isoformat(),
        "postpone_until": (today + timedelta(days=POSTPONE_DAYS)).isoformat(),
    }
