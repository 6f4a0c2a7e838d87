"""The weekly dealer nudge's schedule handler (``send_dealer_nudges`` in app.py): the dealers,
their units awaiting activation (the catalog's ``awaiting_index``) and the outbox, wired."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.dealers import wiring as dealers_wiring
from chalicelib.dealers.nudge import Messaging, NudgeReport, nudge_dealers
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.platform import wiring as platform_wiring


def send_dealer_nudges(fired_at: str | None = None) -> NudgeReport:
    """This week's message to each active dealer with units awaiting activation for more than
    ``GARANTI_DEALER_NUDGE_DAYS`` days (30); a second run in the same week queues nothing.
    ``fired_at``: the scheduled event's ``time`` (``2026-12-07T01:00:00Z``), else now."""
    settings = get_settings()
    at = datetime.fromisoformat(fired_at) if fired_at else datetime.now(UTC)
    report = nudge_dealers(
        business_day(at),
        at,
        days=settings.dealer_nudge_days,
        dealers=dealers_wiring.dealer_repository().all(),
        units=catalog_wiring.awaiting_units(),
        outbox=outbox_wiring.notification_repository(),
        messaging=Messaging(
            platform_wiring.secrets().pepper, settings.brand_id, settings.console_url
        ),
    )
    logger.info(
        "dealer nudges",
        extra={"dealers": report.dealers, "queued": report.queued, "already": report.already},
    )
    return report
