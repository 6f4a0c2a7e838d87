"""``python -m devstack funnel rebuild`` (``make funnel-rollups``): the dealer funnel's counters
rebuilt from the units of the running stack (a one-off; the units stream keeps them otherwise).
Reads the whole units table, which no Lambda may: it runs here, with the stack's environment,
through the dealers' own rebuild (``chalicelib.dealers.funnel_rebuild``)."""

from __future__ import annotations

from collections import Counter

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
    units = (
        unit
        for unit in (unit_from_image(i) for i in _scan(dynamodb, UnitRecord.Meta.table_name))
        if unit.dealer_id
    )
    return funnel_rebuild.rebuild(units, store=wiring.funnel_counters())
