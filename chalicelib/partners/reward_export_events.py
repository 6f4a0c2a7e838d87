"""The rewards' writer of the exports stream (``platform.export_events``): a job of kind
``reward`` writes a month's entries (``params``: ``period``, and ``reveal_phone`` when the asker
may read partners' phones). The ledger is read in query pages and each partner once, into a
constant-memory workbook: any month's length, memory flat."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from chalicelib.partners.model import Partner
from chalicelib.platform.export_jobs import ExportJob

KIND = "reward"  # its error codes: reward_export_failed, reward_export_stalled, …


def write(job: ExportJob, out: IO[bytes], on_progress: Callable[[int], object]) -> int:
    from chalicelib.partners import wiring as partner_wiring
    from chalicelib.partners.reward_export import write_rewards

    ledger, partners = partner_wiring.reward_ledger(), partner_wiring.partner_repository()
    known: dict[str, Partner | None] = {}

    def partner_of(partner_id: str) -> Partner | None:
        if partner_id not in known:  # one read per partner of the month
            known[partner_id] = partners.get(partner_id)
        return known[partner_id]

    return write_rewards(
        out,
        ledger.entries_of_period(job.params["period"]),
        partner_of,
        language=job.language,
        reveal_phone=job.params.get("reveal_phone") == "1",
        on_progress=on_progress,
    )
