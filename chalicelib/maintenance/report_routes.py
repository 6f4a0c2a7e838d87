"""Maintenance reports over HTTP (``/maintenance/reports``): over a span of months, revenue by
month, spare parts' usage and the services by product (:mod:`chalicelib.maintenance.reports`).
Read by the desk, the accountant and the director.

Each answer reads what it sums, within the span it names (at most twelve months): one query per
month's receivables and one item for its close, the done tickets by slot day (the status
index), and one query per catalogue part for its movements. A brand's maintenance is thousands
of visits a month, not millions; a rollup kept by a stream would be the next step past that."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import reports
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.receivables import parse_month
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors

console_reports = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.CS, Role.ACCOUNTANT, Role.DIRECTOR})


def _month(params: dict[str, str], name: str) -> str:
    raw = params.get(name, "")
    try:
        return parse_month(raw)
    except Invalid:
        raise Invalid(fields=[FieldError(name, "receivables_month_invalid")]) from None


def _view(
    months: list[reports.MonthFigures],
    parts: list[reports.PartFigures],
    products: list[reports.ProductFigures],
) -> dict[str, Any]:
    return {
        "months": [
            {"month": m.month, "visits": m.visits, "paid_visits": m.paid_visits,
             "amount_vnd": m.amount_vnd, "collected_vnd": m.collected_vnd,
             "parts_cost_vnd": m.parts_cost_vnd, "margin_vnd": m.margin_vnd, "closed": m.closed}
            for m in months
        ],
        "parts": [
            {"code": p.code, "name": p.name, "name_en": p.name_en, "unit": p.unit,
             "issued": p.issued, "returned": p.returned, "used": p.used, "cost_vnd": p.cost_vnd,
             "tickets": p.tickets, "claims": p.claims}
            for p in parts
        ],
        "products": [
            {"model_code": p.model_code, "component": {"code": p.component_code,
             "name": p.component_name, "name_en": p.component_name_en},
             "visits": p.visits, "amount_vnd": p.amount_vnd, "parts": p.parts}
            for p in products
        ],
    }  # fmt: skip


@console_reports.route("/maintenance/reports", methods=["GET"], cors=CORS)
@maps_domain_errors
def maintenance_reports() -> Response:
    """Revenue by month, parts' usage and services by product, ``from``–``until`` (months)."""
    authenticate(console_reports.current_request, get_settings(), READERS)
    params = dict(console_reports.current_request.query_params or {})
    first, last = _month(params, "from"), _month(params, "until")
    months = reports.months_between(first, last)
    day_from, day_until = reports.span_of(first, last)
    receivables = maintenance_wiring.receivable_repository()
    tickets = maintenance_wiring.ticket_repository()
    stock = maintenance_wiring.stock_repository()
    done = tickets.done_between(day_from, day_until)
    catalogue = stock.parts()
    movements = [
        m for part in catalogue for m in stock.movements_between(part.code, day_from, day_until)
    ]
    figures = reports.by_month(
        months,
        done,
        {month: receivables.of_month(month) for month in months},
        {month: receivables.month(month).closed for month in months},
    )
    return json_response(
        _view(figures, reports.by_part(catalogue, movements), reports.by_product(done)),
        headers={"Cache-Control": "no-store"},
    )
