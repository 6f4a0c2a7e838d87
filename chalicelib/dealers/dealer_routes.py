"""A dealer user's own routes (``/dealer``): its dealer, the units shipped to it and their
activations (customers masked). Every route reads who the user acts for from the token and the
user's mapping (:mod:`chalicelib.dealers.access`), never from the request: one dealer never
sees another's units, and a cursor is signed for its dealer."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.dealers import service
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.dealers.access import DealerPrincipal, authenticate_dealer
from chalicelib.dealers.views import dealer_activation_view, dealer_unit_view, own_dealer_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors, query_int

dealer_api = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

DEFAULT_LIMIT, MAX_LIMIT = 25, 100
UNIT_STATUSES = ("shipped", "activated", "void")


def _dealer() -> DealerPrincipal:
    return authenticate_dealer(dealer_api.current_request, get_settings())


def _query(allowed: frozenset[str]) -> dict[str, str]:
    params: dict[str, str] = dict(dealer_api.current_request.query_params or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


@dealer_api.route("/me", methods=["GET"], cors=CORS)
@maps_domain_errors
def dealer_me() -> Response:
    principal = _dealer()
    dealer = service.get(principal.dealer_id, dealers=dealer_wiring.dealer_repository())
    return json_response(own_dealer_view(principal, dealer))


@dealer_api.route("/units", methods=["GET"], cors=CORS)
@maps_domain_errors
def dealer_units() -> Response:
    """``GET /dealer/units?status=shipped&limit=&cursor=``: the dealer's units, serial order."""
    principal = _dealer()
    params = _query(frozenset({"status", "limit", "cursor"}))
    status = params.get("status") or None
    if status is not None and status not in UNIT_STATUSES:
        raise Invalid(fields=[FieldError("status", "unit_status_invalid")])
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"dealer-units-{principal.dealer_id}-{status or 'all'}"
    cursors = platform_wiring.cursors()
    page = catalog_wiring.dealer_units().units(
        principal.dealer_id,
        status=status,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
    )
    return json_response(
        {
            "units": [dealer_unit_view(u) for u in page.units],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


@dealer_api.route("/activations", methods=["GET"], cors=CORS)
@maps_domain_errors
def dealer_activations() -> Response:
    """``GET /dealer/activations?limit=&cursor=``: its activated units, customers masked."""
    principal = _dealer()
    params = _query(frozenset({"limit", "cursor"}))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"dealer-activations-{principal.dealer_id}"
    cursors = platform_wiring.cursors()
    page = catalog_wiring.dealer_units().activations(
        principal.dealer_id, limit=limit, after=cursors.decode(scope, params.get("cursor"))
    )
    return json_response(
        {
            "activations": [dealer_activation_view(a) for a in page.activations],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )
