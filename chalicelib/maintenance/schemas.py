"""Request bodies of the maintenance routes (pydantic: loaded by the body routes on first use)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.maintenance.booking import Action, Answer
from chalicelib.maintenance.lines import DayPart
from chalicelib.maintenance.model import (
    CHECK_MAX,
    MAX_CHECKLIST,
    MAX_COMPONENTS,
    MAX_PRICE_VND,
    NAME_MAX,
    PlanComponent,
    normalize_component_code,
)
from chalicelib.maintenance.schedule import (
    MAX_DAYS,
    MAX_LEAD_DAYS,
    MAX_MONTHS,
    Rhythm,
    parse_cycle,
)
from chalicelib.platform.schemas import IsoDay, RequestBody, domain_check, text_field

NOTE_MAX = 300

Months = Annotated[StrictInt, Field(ge=0, le=MAX_MONTHS)]
Days = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS)]


class ComponentRequest(RequestBody):
    """One component: its cycle in months or in days (one of them), the first service's offset
    from the anchor (none: one cycle), the reminder's lead days, free or paid, its checklist."""

    code: Annotated[StrictStr, domain_check(normalize_component_code)]
    name: Annotated[StrictStr, text_field("maintenance_name", NAME_MAX)]
    name_en: Annotated[StrictStr, text_field("maintenance_name", NAME_MAX, False)] = ""
    cycle_months: Months = 0
    cycle_days: Days = 0
    first_months: Months = 0
    first_days: Days = 0
    lead_days: Annotated[StrictInt, Field(ge=0, le=MAX_LEAD_DAYS)] = 7
    rhythm: Literal["fixed", "floating"] = "fixed"
    price_vnd: Annotated[StrictInt, Field(ge=0, le=MAX_PRICE_VND)] = 0
    checklist: Annotated[
        list[Annotated[StrictStr, text_field("maintenance_check", CHECK_MAX)]],
        Field(max_length=MAX_CHECKLIST),
    ] = Field(default_factory=list)

    def to_component(self, index: int) -> PlanComponent:
        cycle = parse_cycle(self.cycle_months, self.cycle_days, field=f"components.{index}.cycle")
        first = (
            parse_cycle(self.first_months, self.first_days, field=f"components.{index}.first")
            if self.first_months or self.first_days
            else cycle
        )
        return PlanComponent(
            code=self.code,
            name=self.name,
            name_en=self.name_en,
            cycle=cycle,
            first_offset=first,
            lead_days=self.lead_days,
            rhythm=Rhythm(self.rhythm),
            price_vnd=self.price_vnd,
            checklist=tuple(self.checklist),
        )


class PlanRequest(RequestBody):
    """The model's whole plan, over the version the editor read (0: none yet)."""

    version: Annotated[StrictInt, Field(ge=0)]
    components: Annotated[list[ComponentRequest], Field(max_length=MAX_COMPONENTS)]

    def to_components(self) -> tuple[PlanComponent, ...]:
        return tuple(c.to_component(i) for i, c in enumerate(self.components))


class AnswerRequest(RequestBody):
    """The customer's answer: ``book`` a ``day`` and ``part`` (morning or afternoon),
    ``postpone`` ``until`` a day, or ``decline`` this service; an optional note."""

    action: Literal["book", "postpone", "decline"]
    day: IsoDay | None = None
    part: Literal["morning", "afternoon"] = "morning"
    until: IsoDay | None = None
    note: Annotated[StrictStr, text_field("maintenance_note", NOTE_MAX, False)] = ""

    def to_answer(self) -> Answer:
        if self.action == "book" and self.day is None:
            raise Invalid(fields=[FieldError("day", "maintenance_slot_required")])
        if self.action == "postpone" and self.until is None:
            raise Invalid(fields=[FieldError("until", "maintenance_postpone_required")])
        return Answer(Action(self.action), self.day, DayPart(self.part), self.until, self.note)
