"""Response shapes of the payouts (amounts are integer VND)."""

from __future__ import annotations

from typing import Any

from chalicelib.partners.banks import bank_by_bin
from chalicelib.partners.payout_service import Draft, Settings
from chalicelib.partners.payouts import PayoutBatch, PayoutLine, WithholdingSetting
from chalicelib.platform.views import iso_day, iso_time


def setting_view(setting: WithholdingSetting) -> dict[str, Any]:
    return {
        "version": setting.version,
        "rate_bp": setting.rate_bp,
        "threshold": setting.threshold,
        "effective_from": iso_day(setting.effective_from),
        "confirmed_by": setting.confirmed_by,
        "confirmed_at": iso_time(setting.confirmed_at),
        "note": setting.note,
    }


def settings_view(settings: Settings) -> dict[str, Any]:
    """The version in effect today (``null``: none yet) and every version, newest first."""
    return {
        "current": setting_view(settings.current) if settings.current else None,
        "versions": [setting_view(v) for v in reversed(settings.versions)],
    }


def batch_view(batch: PayoutBatch) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id,
        "state": batch.state.value,
        "created_at": iso_time(batch.created_at),
        "created_by": batch.created_by,
        "periods": list(batch.periods),
        "setting": {
            "version": batch.setting.version,
            "rate_bp": batch.setting.rate_bp,
            "threshold": batch.setting.threshold,
            "effective_from": iso_day(batch.setting.effective_from),
        },
        "lines": batch.lines,
        "entries": batch.entries,
        "gross": batch.gross,
        "tax": batch.tax,
        "net": batch.net,
        "paid": batch.paid,
        "failed": batch.failed,
        "carried": batch.carried,
        "exported_at": iso_time(batch.exported_at),
        "exported_by": batch.exported_by or None,
        "closed_at": iso_time(batch.closed_at),
    }


def line_view(line: PayoutLine) -> dict[str, Any]:
    payee = line.payee
    bank = bank_by_bin(payee.bank_bin)
    return {
        "partner_id": payee.partner_id,
        "name": payee.name,
        "bank": {
            "bin": payee.bank_bin,
            "short_name": bank.short_name if bank else payee.bank_bin,
        },
        "account_number": payee.account_number,
        "account_holder": payee.account_holder,
        "commitment": payee.commitment,
        "state": line.state.value,
        "entries": len(line.entry_ids),
        "gross": line.gross,
        "tax": line.tax,
        "net": line.net,
        "reference": line.reference or None,
        "reason": line.reason or None,
        "settled_by": line.settled_by or None,
        "settled_at": iso_time(line.settled_at),
    }


def draft_view(found: Draft) -> dict[str, Any]:
    """What a batch made now would pay, before anything is written."""
    return {
        "setting": setting_view(found.setting),
        "periods": found.periods,
        "lines": [line_view(line) for line in found.plan.lines],
        "carried": [
            {"partner_id": c.partner_id, "gross": c.gross, "reason": c.reason.value}
            for c in found.plan.carried
        ],
        "totals": {
            "lines": len(found.plan.lines),
            "entries": found.plan.entries,
            "gross": found.plan.gross,
            "tax": found.plan.tax,
            "net": found.plan.net,
        },
    }
