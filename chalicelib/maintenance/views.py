"""Response shapes of the maintenance routes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name
from chalicelib.maintenance.lines import BOOKING_DAYS, POSTPONE_DAYS, PlanLine
from chalicelib.maintenance.model import MaintenancePlan, PlanComponent
from chalicelib.maintenance.parts import Movement, Part
from chalicelib.maintenance.stock_service import OnHand
from chalicelib.maintenance.tickets import Change, Ticket
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


def ticket_summary(ticket: Ticket, *, contacts: bool) -> dict[str, Any]:
    """A ticket as the board lists it (the customer's phone masked for a reader who does not
    call customers)."""
    customer = ticket.customer
    return {
        "ticket_id": ticket.ticket_id,
        "serial": ticket.serial,
        "model_code": ticket.model_code,
        "component": {"code": ticket.component.code, "name": ticket.component.name,
                      "name_en": ticket.component.name_en},
        "occurrence": ticket.occurrence,
        "source": ticket.source.value,
        "status": ticket.status.value,
        "slot": {"day": ticket.slot.day.isoformat(), "part": ticket.slot.part.value,
                 "note": ticket.slot.note},
        "customer": {
            "name": customer.name,
            "phone": customer.phone if contacts else mask_phone(customer.phone),
            "province": customer.province,
            "address": customer.address if contacts else "",
        },
        "assignee_key": ticket.assignee_key,
        "assignee_name": ticket.assignee_name,
        "amount_vnd": ticket.amount_vnd,
        "version": ticket.version,
    }  # fmt: skip


def ticket_view(
    ticket: Ticket,
    history: list[Change],
    *,
    contacts: bool,
    role: str | None,
    links: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The ticket's page: its summary, the plan's price, the checklist, the visit's record,
    the history, and the caller's part in it (``desk``, ``assignee`` or none: read only)."""
    payment = ticket.payment
    return {
        **ticket_summary(ticket, contacts=contacts),
        "claim_id": ticket.claim_id,
        "price_vnd": ticket.component.price_vnd,
        "labour_vnd": ticket.labour_vnd,
        "checklist": [{"text": c.text, "done": c.done} for c in ticket.checklist],
        "notes": ticket.notes,
        "payment": {"amount_vnd": payment.amount_vnd, "method": payment.method.value,
                    "collected_by": payment.collected_by} if payment else None,
        "parts": [
            {"code": u.code, "name": u.name, "unit": u.unit, "qty": u.qty,
             "price_vnd": u.price_vnd, "amount_vnd": u.amount_vnd, "location_id": u.location_id}
            for u in ticket.parts
        ],
        "photos": [{"key": k, "url": (links or {}).get(k)} for k in ticket.photos],
        "confirmed_by": ticket.confirmed_by,
        "done_on": ticket.done_on.isoformat() if ticket.done_on else None,
        "cancel_reason": ticket.cancel_reason,
        "created_at": iso_time(ticket.created_at),
        "created_by": ticket.created_by,
        "role": role,
        "history": [
            {"seq": c.seq, "at": iso_time(c.at), "by": c.by, "action": c.action,
             "status_from": c.status_from.value if c.status_from else None,
             "status_to": c.status_to.value, "note": c.note}
            for c in history
        ],
    }  # fmt: skip


def due_line_view(line: PlanLine, unit: Unit | None) -> dict[str, Any]:
    """A line on the desk's due list: the visit, its stage and the owner (masked: the unit's
    page reveals the phone, recorded)."""
    owner = unit.activation.owner if unit and unit.activation else None
    return {
        "serial": line.serial,
        "model_code": line.model_code,
        "component": {"code": line.component.code, "name": line.component.name,
                      "name_en": line.component.name_en},
        "occurrence": line.occurrence,
        "due": line.due.isoformat(),
        "stage": line.stage.value,
        "reminders": line.reminders,
        "booking": {"day": line.booking.day.isoformat(), "part": line.booking.part.value}
        if line.booking else None,
        "owner": {"name": mask_name(owner.name), "phone": mask_phone(owner.phone),
                  "province": owner.province} if owner else None,
    }  # fmt: skip


def part_view(part: Part) -> dict[str, Any]:
    return {
        "code": part.code,
        "name": part.name,
        "name_en": part.name_en,
        "unit": part.unit,
        "cost_vnd": part.cost_vnd,
        "price_vnd": part.price_vnd,
        "models": list(part.models),
        "min_stock": part.min_stock,
        "active": part.active,
        "version": part.version,
        "updated_by": part.updated_by,
        "updated_at": iso_time(part.updated_at) if part.updated_at else None,
    }


def on_hand_view(held: OnHand) -> dict[str, Any]:
    part = held.part
    return {
        "location_id": held.line.location_id,
        "part_code": held.line.part_code,
        "name": part.name if part else held.line.part_code,
        "name_en": part.name_en if part else "",
        "unit": part.unit if part else "",
        "on_hand": held.line.on_hand,
        "min_stock": part.min_stock if part else 0,
        "value_vnd": held.value_vnd,
        "short": held.short,
    }


def movement_view(movement: Movement) -> dict[str, Any]:
    return {
        "movement_id": movement.movement_id,
        "kind": movement.kind.value,
        "part_code": movement.part_code,
        "qty": movement.qty,
        "from": movement.source,
        "to": movement.target,
        "at": iso_time(movement.at) if movement.at else None,
        "by": movement.by,
        "reason": movement.reason,
        "ticket_id": movement.ticket_id,
        "claim_id": movement.claim_id,
        "unit_cost_vnd": movement.unit_cost_vnd,
    }
