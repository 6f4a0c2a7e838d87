"""The funnel's answer as the console reads it (``GET /funnel``, docs/api.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.dealers.funnel_report import Ageing, Funnel, Tally

Names = Mapping[str, tuple[str, str]]  # id → (code or name, name or English name)


def tally_view(tally: Tally) -> dict[str, Any]:
    return {
        "shipped": tally.shipped,
        "net_shipped": tally.net_shipped,
        "activated": tally.activated,
        "returned": tally.returned,
        "activated_of_shipped": tally.cohort_activated,
        "returned_of_shipped": tally.cohort_returned,
        "activation_rate": tally.activation_rate,
    }


def ageing_view(ageing: Ageing) -> dict[str, int]:
    return {
        "days_0_30": ageing.days_0_30,
        "days_31_90": ageing.days_31_90,
        "over_90": ageing.over_90,
    }


def funnel_view(funnel: Funnel, *, dealers: Names, models: Names) -> dict[str, Any]:
    """``dealers``: id → (code, name); ``models``: code → (Vietnamese, English name); a dealer
    or model gone since shows its id or code."""

    def dealer(dealer_id: str) -> dict[str, str]:
        code, name = dealers.get(dealer_id, (dealer_id, dealer_id))
        return {"dealer_id": dealer_id, "dealer_code": code, "dealer_name": name}

    def model(code: str) -> dict[str, str]:
        name, name_en = models.get(code, (code, code))
        return {"model_code": code, "model_name": name, "model_name_en": name_en}

    return {
        "today": funnel.today.isoformat(),
        "filters": {
            "months": funnel.query.months,
            "dealer_id": funnel.query.dealer_id,
            "model_code": funnel.query.model_code,
        },
        "months": funnel.months,
        "total": tally_view(funnel.total),
        "ageing": ageing_view(funnel.ageing),
        "by_month": [{"month": m, **tally_view(t)} for m, t in funnel.by_month],
        "dealers": [
            {**dealer(d.dealer_id), **tally_view(d.tally), "ageing": ageing_view(d.ageing)}
            for d in funnel.dealers
        ],
        "rows": [
            {"month": r.month, **dealer(r.dealer_id), **model(r.model_code), **tally_view(r.tally)}
            for r in funnel.rows
        ],
        "dealer_options": [
            {"dealer_id": d, "dealer_code": code, "dealer_name": name}
            for d, (code, name) in sorted(dealers.items(), key=lambda item: item[1][0])
        ],
        "reads": funnel.reads,
    }
