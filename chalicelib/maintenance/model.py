"""A model's maintenance plan as the rest of the code sees it: its components, each with its
cycle, when the first service falls, how many days ahead the customer is reminded, whether it is
free or paid (whole VND) and its checklist. Pure: no I/O.

A plan is versioned: saving it makes a new version (``version`` + 1, conditional on the one the
editor read), and a unit's plan lines keep the version they were made from, so a plan changed
later never rewrites the due days of units already in service.

>>> component = PlanComponent(
...     code="filter", name="Lõi lọc", name_en="Filter", cycle=Cycle(months=3),
...     first_offset=Cycle(months=3), lead_days=7, rhythm=Rhythm.FIXED, price_vnd=0,
...     checklist=("Thay lõi", "Kiểm tra rò rỉ"))
>>> component.free
True
>>> normalize_component_code(" Filter-1 ")
'FILTER-1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.maintenance.schedule import Cycle, Rhythm

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
MAX_COMPONENTS = 20
MAX_CHECKLIST = 20
NAME_MAX = 100
CHECK_MAX = 200
MAX_PRICE_VND = 100_000_000


@dataclass(frozen=True)
class PlanComponent:
    code: str  # unique in its plan, never reused for another part: a unit's line is keyed by it
    name: str
    name_en: str
    cycle: Cycle
    first_offset: Cycle  # from the anchor to the first service
    lead_days: int  # the reminder goes this many days before the due day
    rhythm: Rhythm
    price_vnd: int  # 0: free (under the plan); else what the customer pays, whole VND
    checklist: tuple[str, ...] = ()

    @property
    def free(self) -> bool:
        return self.price_vnd == 0


@dataclass(frozen=True)
class MaintenancePlan:
    model_code: str
    components: tuple[PlanComponent, ...]
    version: int
    updated_by: str
    updated_at: datetime

    def component(self, code: str) -> PlanComponent | None:
        return next((c for c in self.components if c.code == code), None)


def normalize_component_code(raw: str) -> str:
    """A component's code as keys hold it: trimmed, upper case; ``Invalid`` otherwise."""
    code = raw.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid("maintenance_component_code_invalid")
    return code


def check_components(components: tuple[PlanComponent, ...]) -> tuple[PlanComponent, ...]:
    """The plan's components as saved: at most :data:`MAX_COMPONENTS`, codes unique (a field
    error on the repeated one)."""
    if len(components) > MAX_COMPONENTS:
        raise Invalid(fields=[FieldError("components", "maintenance_too_many_components")])
    seen: set[str] = set()
    for index, component in enumerate(components):
        if component.code in seen:
            raise Invalid(
                fields=[FieldError(f"components.{index}.code", "maintenance_component_repeated")]
            )
        seen.add(component.code)
    return components
