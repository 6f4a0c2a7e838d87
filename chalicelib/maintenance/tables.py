"""The maintenance tables: a model's plan (one item per model, versioned), each unit's plan
lines (one per component, with the sparse timer index the daily job reads and the stage index
the due list reads), the tickets and their history."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class ComponentMap(MapAttribute[str, Any]):
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    cycle_months = NumberAttribute(default=0)
    cycle_days = NumberAttribute(default=0)
    first_months = NumberAttribute(default=0)
    first_days = NumberAttribute(default=0)
    lead_days = NumberAttribute()
    rhythm = UnicodeAttribute()
    price_vnd = NumberAttribute(default=0)
    checklist = ListAttribute[str](default=list)


class MaintenancePlanRecord(Model):
    """Key: the model's ``code``. ``version`` counts its saves; each save is conditional on the
    version it was read at (two editors: one wins, the other is told)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance_plans")

    model_code = UnicodeAttribute(hash_key=True)
    components = ListAttribute(of=ComponentMap, default=list)
    version = NumberAttribute()
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class LineTimerIndex(GlobalSecondaryIndex["MaintenanceLineRecord"]):
    """Sparse: only a line waiting for something has a ``timer`` (``<day>#<shard>``), so the
    daily job reads one key per shard and day: the lines due that day, whatever the total."""

    class Meta:
        index_name = "timer_index"
        projection = AllProjection()

    timer = UnicodeAttribute(hash_key=True)
    line_key = UnicodeAttribute(range_key=True)


class LineStageIndex(GlobalSecondaryIndex["MaintenanceLineRecord"]):
    """The due list: a stage's lines by due day (``<due>#<serial>#<component>``); the job's
    watermark item has no stage and stays out."""

    class Meta:
        index_name = "stage_index"
        projection = AllProjection()

    stage = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class MaintenanceLineRecord(Model):
    """Key: the unit's ``serial`` and the plan component's ``component`` code: one line per
    component of a unit's plan. Each change is conditional on ``version``. The daily job's
    watermark is the item (``#job``, ``daily``): no serial starts with ``#``."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance")

    serial = UnicodeAttribute(hash_key=True)
    component = UnicodeAttribute(range_key=True)
    line_key = UnicodeAttribute(null=True)  # serial#component: the timer index's sort key
    timer = UnicodeAttribute(null=True)  # <day>#<shard> while a timer waits, else absent
    model_code = UnicodeAttribute(null=True)
    plan_version = NumberAttribute(null=True)
    plan = ComponentMap(null=True)  # the component as the plan said when the line was made
    anchor = UnicodeAttribute(null=True)  # ISO day
    occurrence = NumberAttribute(null=True)
    due = UnicodeAttribute(null=True)  # ISO day
    stage = UnicodeAttribute(null=True)
    due_key = UnicodeAttribute(null=True)  # <due>#<serial>#<component>: the stage index's sort key
    reminders = NumberAttribute(default=0)
    version = NumberAttribute(default=1)
    booking_day = UnicodeAttribute(null=True)  # ISO day of the slot picked
    booking_part = UnicodeAttribute(null=True)  # morning | afternoon
    booking_note = UnicodeAttribute(null=True)
    watermark = UnicodeAttribute(null=True)  # the job's item: the last day fully done
    updated_at = UTCDateTimeAttribute(null=True)

    timer_index = LineTimerIndex()
    stage_index = LineStageIndex()


class CheckMap(MapAttribute[str, Any]):
    text = UnicodeAttribute()
    done = BooleanAttribute(default=False)


class PaymentMap(MapAttribute[str, Any]):
    amount_vnd = NumberAttribute()
    method = UnicodeAttribute()  # cash | transfer
    collected_by = UnicodeAttribute()  # tech#<username> | company#<id>


class PartUseMap(MapAttribute[str, Any]):
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    unit = UnicodeAttribute()
    qty = NumberAttribute()
    price_vnd = NumberAttribute()
    cost_vnd = NumberAttribute()
    location_id = UnicodeAttribute()


class TicketStatusIndex(GlobalSecondaryIndex["MaintenanceTicketRecord"]):
    """The board: a status's tickets by slot day (``<day>#<ticket_id>``)."""

    class Meta:
        index_name = "status_index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    slot_key = UnicodeAttribute(range_key=True)


class TicketAssigneeIndex(GlobalSecondaryIndex["MaintenanceTicketRecord"]):
    """An assignee's own tickets by slot day: sparse (a new ticket has no assignee)."""

    class Meta:
        index_name = "assignee_index"
        projection = AllProjection()

    assignee_key = UnicodeAttribute(hash_key=True)
    slot_key = UnicodeAttribute(range_key=True)


class TicketSerialIndex(GlobalSecondaryIndex["MaintenanceTicketRecord"]):
    """A unit's tickets (its page), by ticket id."""

    class Meta:
        index_name = "serial_index"
        projection = AllProjection()

    serial = UnicodeAttribute(hash_key=True)
    ticket_id = UnicodeAttribute(range_key=True)


class MaintenanceTicketRecord(Model):
    """Key: ``ticket_id`` (``MT-XXXXXXXX``). Each change is conditional on ``version`` and
    written with its history item in one transaction."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance_tickets")

    ticket_id = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute()
    model_code = UnicodeAttribute()
    component = ComponentMap()
    occurrence = NumberAttribute()
    source = UnicodeAttribute()  # booking | manager | claim
    customer_name = UnicodeAttribute()
    customer_phone = UnicodeAttribute()
    province = UnicodeAttribute(default="")
    address = UnicodeAttribute(default="")
    slot_day = UnicodeAttribute()  # ISO day
    slot_part = UnicodeAttribute()  # morning | afternoon
    slot_note = UnicodeAttribute(default="")
    slot_key = UnicodeAttribute()  # <slot_day>#<ticket_id>
    status = UnicodeAttribute()
    checklist = ListAttribute(of=CheckMap, default=list)
    assignee_key = UnicodeAttribute(null=True)
    assignee_name = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(default="")
    labour_vnd = NumberAttribute(default=0)
    payment = PaymentMap(null=True)
    confirmed_by = UnicodeAttribute(default="")
    done_on = UnicodeAttribute(null=True)
    cancel_reason = UnicodeAttribute(default="")
    parts = ListAttribute(of=PartUseMap, default=list)
    photos = ListAttribute(of=UnicodeAttribute, default=list)  # the stored WebPs' keys
    claim_id = UnicodeAttribute(null=True)  # the service request it was booked from
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = NumberAttribute()

    status_index = TicketStatusIndex()
    assignee_index = TicketAssigneeIndex()
    serial_index = TicketSerialIndex()


class TicketHistoryRecord(Model):
    """Key: ``ticket_id`` + ``seq`` (the ticket's version after the change)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("maintenance_ticket_history")

    ticket_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    action = UnicodeAttribute()
    status_from = UnicodeAttribute(null=True)
    status_to = UnicodeAttribute()
    note = UnicodeAttribute(default="")
