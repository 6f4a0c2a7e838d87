"""Models' maintenance plans in DynamoDB: one item per model, each save conditional on its
version."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.core.errors import Conflict
from chalicelib.maintenance.model import MaintenancePlan, PlanComponent
from chalicelib.maintenance.schedule import Cycle, Rhythm
from chalicelib.maintenance.tables import ComponentMap, MaintenancePlanRecord
from chalicelib.platform.dynamodb import is_condition_failure


def plan_component(item: ComponentMap) -> PlanComponent:
    return PlanComponent(
        code=item.code,
        name=item.name,
        name_en=item.name_en or "",
        cycle=Cycle(months=int(item.cycle_months or 0), days=int(item.cycle_days or 0)),
        first_offset=Cycle(months=int(item.first_months or 0), days=int(item.first_days or 0)),
        lead_days=int(item.lead_days),
        rhythm=Rhythm(item.rhythm),
        price_vnd=int(item.price_vnd or 0),
        checklist=tuple(item.checklist or ()),
    )


def component_map(component: PlanComponent) -> ComponentMap:
    return ComponentMap(
        code=component.code,
        name=component.name,
        name_en=component.name_en,
        cycle_months=component.cycle.months,
        cycle_days=component.cycle.days,
        first_months=component.first_offset.months,
        first_days=component.first_offset.days,
        lead_days=component.lead_days,
        rhythm=component.rhythm.value,
        price_vnd=component.price_vnd,
        checklist=list(component.checklist),
    )


class PlanRepository:
    def find(self, model_code: str) -> MaintenancePlan | None:
        """The model's plan (``None``: never saved)."""
        try:
            record = MaintenancePlanRecord.get(model_code)
        except DoesNotExist:
            return None
        return MaintenancePlan(
            model_code=record.model_code,
            components=tuple(plan_component(c) for c in record.components or ()),
            version=int(record.version),
            updated_by=record.updated_by,
            updated_at=record.updated_at,
        )

    def save(self, plan: MaintenancePlan) -> None:
        """Write ``plan`` (its ``version`` the new one), only over the version before it:
        ``Conflict("maintenance_plan_changed")`` otherwise."""
        record = MaintenancePlanRecord(
            plan.model_code,
            components=[component_map(c) for c in plan.components],
            version=plan.version,
            updated_by=plan.updated_by,
            updated_at=plan.updated_at,
        )
        condition = (
            MaintenancePlanRecord.model_code.does_not_exist()
            if plan.version == 1
            else MaintenancePlanRecord.version == plan.version - 1
        )
        try:
            record.save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("maintenance_plan_changed", version=plan.version - 1) from exc
            raise
