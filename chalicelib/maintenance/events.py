"""Maintenance's handlers: the units stream's step (a unit activated → one plan line per
component of its model's plan, anchored on the installation's day, else the activation's) and
the daily job (EventBridge, or ``make schedule ARGS="run maintenance_reminders"``).

A redelivered activation adds nothing (each line is a conditional put); a rerun of the daily
job moves no line twice and sends nothing twice (``reminders``)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import digest, reminders
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.booking_link import booking_key, booking_token, booking_url
from chalicelib.maintenance.lines import PlanLine, first_lines
from chalicelib.maintenance.model import MaintenancePlan
from chalicelib.outbox.compose import new_message
from chalicelib.outbox.model import OutboundMessage
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.streams import process_stream


def make_lines(event: dict[str, Any]) -> dict[str, Any]:
    """The units stream's step: each unit that became activated gets its plan lines."""
    plans: dict[str, MaintenancePlan | None] = {}  # a model's plan read once per batch

    def plan_of(model_code: str) -> MaintenancePlan | None:
        if model_code not in plans:
            plans[model_code] = maintenance_wiring.plan_repository().find(model_code)
        return plans[model_code]

    return process_stream(event, None, lambda record: _on_unit(record.raw_event, plan_of))


def _on_unit(raw: Mapping[str, Any], plan_of: Any) -> None:
    if raw.get("eventName") != "MODIFY":
        return
    change = raw["dynamodb"]
    old_status = change.get("OldImage", {}).get("status", {}).get("S")
    new_status = change.get("NewImage", {}).get("status", {}).get("S")
    if new_status != UnitStatus.ACTIVATED.value or old_status == UnitStatus.ACTIVATED.value:
        return
    unit = unit_from_image(change["NewImage"])
    plan = plan_of(unit.model_code)
    if unit.activation is None or plan is None or not plan.components:
        return
    added = maintenance_wiring.line_repository().add_new(
        first_lines(unit.serial, plan, anchor_of(unit)), at=datetime.now(UTC)
    )
    logger.info(
        "maintenance lines made",
        extra={"serial": unit.serial, "plan_version": plan.version, "added": added},
    )


def anchor_of(unit: Unit) -> date:
    """The day a unit's plan lines count from: its installation's, else its activation's."""
    assert unit.activation is not None
    installer = unit.activation.installer
    return installer.installed_on if installer else business_day(unit.activation.activated_at)


def run_reminders(fired_at: str | None = None) -> reminders.DailyReport:
    """The daily job for the Vietnamese day of ``fired_at`` (the scheduled event's ``time``,
    else now), catching up the days since the last run."""
    settings = get_settings()
    at = datetime.fromisoformat(fired_at) if fired_at else datetime.now(UTC)
    pepper = platform_wiring.secrets().pepper
    compose = functools.partial(
        _compose, key=booking_key(pepper), pepper=pepper, hotline=_hotline(), at=at
    )
    report = reminders.run_daily(
        business_day(at),
        lines=maintenance_wiring.line_repository(),
        units=catalog_wiring.unit_repository(),
        compose=compose,
        again_after_days=settings.maintenance_again_days,
        at=at,
    )
    logger.info(
        "maintenance reminders",
        extra={**report.__dict__, "days": len(report.days),
               "last_day": report.days[-1] if report.days else None},
    )  # fmt: skip
    return report


def _hotline() -> str:
    settings = get_settings()
    return catalog_wiring.brand_repository().get(settings.brand_id).hotline_or(settings.hotline)


def _compose(
    kind: str, line: PlanLine, unit: Unit, *, key: bytes, pepper: bytes, hotline: str, at: datetime
) -> OutboundMessage:
    """The reminder to the unit's owner, in their language, keyed by the line, its occurrence
    and the kind (a rerun queues nothing new)."""
    settings = get_settings()
    assert unit.activation is not None  # reminders.run_daily tells owners only
    owner, language = unit.activation.owner, unit.activation.language
    model = catalog_wiring.model_cache().get(unit.model_code).localized(language)
    component = line.component
    token = booking_token(key, line.serial, component.code)
    return new_message(
        kind,
        business_key=(line.key, str(line.occurrence)),
        brand_id=settings.brand_id,
        phone=owner.phone,
        language=language,
        fields={
            "customer_name": owner.name,
            "model": model.name,
            "serial": unit.serial,
            "component": component.name_en
            if language == "en" and component.name_en
            else component.name,
            "due_date": line.due.strftime("%d/%m/%Y"),
            "booking_url": booking_url(settings.portal_url, line.serial, component.code, token),
            "hotline": hotline,
        },
        subject=unit.serial,
        now=at,
        pepper=pepper,
    )


DIGEST_ROLES = ("admin", "cs")  # the desk: who books and assigns the visits


def send_digest(fired_at: str | None = None) -> tuple[digest.Digest, int]:
    """The day's digest to the desk (after the reminders, in the same daily run): the figures
    and how many messages were queued now (0 on a rerun: each is keyed by person and day)."""
    from chalicelib.outbox import wiring as outbox_wiring

    settings = get_settings()
    at = datetime.fromisoformat(fired_at) if fired_at else datetime.now(UTC)
    figures = digest.gather(
        business_day(at),
        tickets=maintenance_wiring.ticket_repository(),
        lines=maintenance_wiring.line_repository(),
        stock=maintenance_wiring.stock_repository(),
    )
    recipients = platform_wiring.pool_accounts().reachable(DIGEST_ROLES)
    outbox = outbox_wiring.notification_repository()
    queued = [
        m
        for m in digest.messages(figures, recipients, brand_id=settings.brand_id,
                                 console_url=settings.console_url,
                                 pepper=platform_wiring.secrets().pepper, now=at)
        if outbox.add(m)
    ]  # fmt: skip
    logger.info(
        "maintenance digest",
        extra={**{k: v for k, v in figures.__dict__.items() if k != "day"},
               "day": figures.day.isoformat(), "recipients": len(recipients),
               "queued": len(queued)},
    )  # fmt: skip
    return figures, len(queued)
