"""Response shapes of the maintenance routes."""

from __future__ import annotations

from typing import Any

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
