"""``python -m devstack funnel rebuild`` (``make funnel-rollups``): the dealer funnel's counters
rebuilt from the units of the running stack (a one-off; the units stream keeps them otherwise).
Reads the whole units table, which no Lambda may: it runs here, with the stack's environment,
through the dealers' own rebuild (``chalicelib.dealers.funnel_rebuild``)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache

from devstack.rollups import _scan


def rebuild_funnel() -> dict[str, Counter[str]]:
    """Rebuild the stage's brand's funnel counters; returns the items written."""
    import boto3

    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.catalog.unit_stream import unit_from_image
    from chalicelib.core.settings import get_settings
    from chalicelib.dealers import funnel_rebuild, wiring

    settings = get_settings()
    dynamodb = boto3.client("dynamodb", region_name=settings.region)
    units = (unit_from_image(i) for i in _scan(dynamodb, UnitRecord.Meta.table_name))
    shipments = wiring.shipment_repository()

    @cache
    def shipment_of(shipment_id: str) -> tuple[str, date] | None:
        found = shipments.get(shipment_id)
        return None if found is None else (found.details.dealer_id, found.details.ship_date)

    return funnel_rebuild.rebuild(units, shipment_of=shipment_of, store=wiring.funnel_counters())
