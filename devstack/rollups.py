"""``python -m devstack rollups rebuild`` (``make rollups``): the dashboard's daily counters
rebuilt from the units and the outbox of the running stack (a one-off; the streams keep them
otherwise). Reads whole tables, which no Lambda may: it runs here, with the stack's
environment, through the dashboard's own rebuild (``chalicelib.dashboard.rebuild``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any


def _scan(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        yield from page["Items"]


def rebuild_rollups() -> dict[date, Counter[str]]:
    """Rebuild the stage's brand's roll-ups; returns the days written and their counters."""
    import boto3

    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.catalog.unit_stream import unit_from_image
    from chalicelib.core.settings import get_settings
    from chalicelib.dashboard import rebuild, wiring
    from chalicelib.outbox.repository import message_from_image
    from chalicelib.outbox.tables import NotificationRecord

    settings = get_settings()
    dynamodb = boto3.client("dynamodb", region_name=settings.region)
    units = (unit_from_image(item) for item in _scan(dynamodb, UnitRecord.Meta.table_name))
    messages = (
        message
        for message in (
            message_from_image(item) for item in _scan(dynamodb, NotificationRecord.Meta.table_name)
        )
        if message.brand_id == settings.brand_id
    )
    return rebuild.rebuild(units, messages, store=wiring.rollups())
