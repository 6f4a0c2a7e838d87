"""Maintenance use cases: staff read and save a model's plan (replaced whole, versioned)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.catalog.model import ProductModel
from chalicelib.core.errors import Conflict
from chalicelib.maintenance.model import MaintenancePlan, PlanComponent, check_components


class PlanStore(Protocol):
    def find(self, model_code: str) -> MaintenancePlan | None: ...
    def save(self, plan: MaintenancePlan) -> None: ...


class ModelReader(Protocol):
    def get(self, code: str) -> ProductModel: ...


@dataclass(frozen=True)
class PlanChange:
    components: tuple[PlanComponent, ...]
    expected_version: int  # the version the editor read (0: none yet)
    actor: str
    at: datetime


def plan_of_model(model_code: str, *, models: ModelReader, plans: PlanStore) -> MaintenancePlan:
    """The model's plan; an empty one (version 0) when none was saved (``model_not_found``
    404 for a model that does not exist)."""
    code = models.get(model_code).code
    found = plans.find(code)
    if found is not None:
        return found
    return MaintenancePlan(code, (), 0, "", datetime.fromtimestamp(0).astimezone())


def save_plan(
    model_code: str, change: PlanChange, *, models: ModelReader, plans: PlanStore
) -> MaintenancePlan:
    """The model's plan replaced whole, as version ``expected_version + 1``;
    ``Conflict("maintenance_plan_changed")`` when someone saved since the editor read it."""
    current = plan_of_model(model_code, models=models, plans=plans)
    if change.expected_version != current.version:
        raise Conflict("maintenance_plan_changed", version=current.version)
    plan = MaintenancePlan(
        model_code=current.model_code,
        components=check_components(change.components),
        version=current.version + 1,
        updated_by=change.actor,
        updated_at=change.at,
    )
    plans.save(plan)
    return plan
