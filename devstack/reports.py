"""``python -m devstack reports rebuild`` (``make report-rollups``): the warranty reports'
counters rebuilt from the units, the service requests, the reward entries and the receivables
of the running stack (a one-off; their streams keep them otherwise). Reads whole tables, which
no Lambda may: it runs here, with the stack's environment, through the reports' own rebuild
(``chalicelib.reports.rebuild``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from devstack.rollups import _scan


def rebuild_reports() -> dict[str, Counter[str]]:
    """Rebuild the stage's brand's report counters; returns the items written."""
    import boto3

    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.catalog.unit_stream import unit_from_image
    from chalicelib.catalog.warranty import business_day
    from chalicelib.claims import wiring as claims_wiring
    from chalicelib.claims.claim_stream import claim_from_image
    from chalicelib.claims.tables import ClaimRecord
    from chalicelib.core.settings import get_settings
    from chalicelib.maintenance.receivable_stream import receivable_from_image
    from chalicelib.maintenance.stock_tables import ReceivableRecord
    from chalicelib.partners.reward_stream import entry_from_image
    from chalicelib.partners.reward_tables import RewardRecord
    from chalicelib.reports import rebuild, wiring

    settings = get_settings()
    dynamodb = boto3.client("dynamodb", region_name=settings.region)
    units = [unit_from_image(item) for item in _scan(dynamodb, UnitRecord.Meta.table_name)]
    repository = claims_wiring.claim_repository()
    claims = [
        rebuild.ClaimWithHistory(claim, tuple(repository.history(claim.claim_id)))
        for claim in (
            claim_from_image(item) for item in _scan(dynamodb, ClaimRecord.Meta.table_name)
        )
    ]
    rewards = [entry_from_image(i) for i in _scan(dynamodb, RewardRecord.Meta.table_name)]
    receivables = [
        receivable_from_image(i) for i in _scan(dynamodb, ReceivableRecord.Meta.table_name)
    ]
    return rebuild.rebuild(
        units,
        claims,
        rewards=rewards,
        receivables=receivables,
        today=business_day(datetime.now(UTC)),
        store=wiring.counters(),
    )
