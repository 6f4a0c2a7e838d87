"""Response shapes of the partner API and the staff's partner routes. The citizen ID, the
account number and the tax code are masked (last 4) unless the caller may see them in full."""

from __future__ import annotations

from typing import Any

from chalicelib.core.provinces import CITIES, PROVINCES_ONLY
from chalicelib.partners.banks import BANKS, Bank, bank_by_bin
from chalicelib.partners.model import Partner, StatusChange, mask_digits
from chalicelib.partners.sessions import IssuedSession
from chalicelib.platform.views import iso_time


def bank_view(bank: Bank) -> dict[str, str]:
    return {"bin": bank.bin, "short_name": bank.short_name, "name": bank.name}


def banks_view() -> dict[str, Any]:
    return {"banks": [bank_view(bank) for bank in BANKS]}


def provinces_view() -> dict[str, Any]:
    return {"cities": list(CITIES), "provinces": list(PROVINCES_ONLY)}


def _shown(value: str | None, full: bool) -> str | None:
    if value is None:
        return None
    return value if full else mask_digits(value)


def _bank(bin_: str) -> dict[str, str]:
    bank = bank_by_bin(bin_)
    return bank_view(bank) if bank else {"bin": bin_, "short_name": bin_, "name": bin_}


def partner_view(partner: Partner, *, full: bool) -> dict[str, Any]:
    """A partner's record; ``full`` shows the citizen ID, account number and tax code."""
    details = partner.details
    return {
        "partner_id": partner.partner_id,
        "phone": details.phone,
        "name": details.name,
        "citizen_id": _shown(details.citizen_id, full),
        "province": details.province,
        "bank": _bank(details.bank_bin),
        "account_number": _shown(details.account_number, full),
        "account_holder": details.account_holder,
        "tax_code": _shown(details.tax_code, full),
        "status": partner.status.value,
        "consent": {
            "given_at": iso_time(partner.consent.given_at),
            "text_version": partner.consent.text_version,
        },
        "created_at": iso_time(partner.created_at),
        "created_by": partner.created_by,
        "commitment": {
            "on_file": partner.commitment.on_file,
            "by": partner.commitment.by,
            "at": iso_time(partner.commitment.at),
            "note": partner.commitment.note,
        }
        if partner.commitment
        else None,
    }


def status_change_view(change: StatusChange) -> dict[str, Any]:
    return {
        "at": iso_time(change.at),
        "by": change.by,
        "from": change.status_from.value if change.status_from else None,
        "to": change.status_to.value,
        "note": change.note,
    }


def staff_partner_view(partner: Partner, *, full: bool) -> dict[str, Any]:
    """One partner for staff, with the status history, newest first."""
    history = [status_change_view(change) for change in reversed(partner.history)]
    return {**partner_view(partner, full=full), "history": history}


def own_partner_view(partner: Partner) -> dict[str, Any]:
    """The partner's own record, as their session reads it: masked like cs sees it (a session
    on a lost phone must not hand out an identity), without staff notes."""
    view = partner_view(partner, full=False)
    view.pop("created_by")
    if view["commitment"]:
        view["commitment"] = {"on_file": view["commitment"]["on_file"]}  # not who recorded it
    return view


def signed_in_view(partner: Partner, issued: IssuedSession) -> dict[str, Any]:
    return {
        "partner": own_partner_view(partner),
        "session": {
            "token": issued.token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
        },
    }
