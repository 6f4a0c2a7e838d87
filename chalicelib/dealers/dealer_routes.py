"""A dealer user's own routes (``/dealer``): its dealer, the units shipped to it and their
activations (customers masked). Every route reads who the user acts for from the token and the
user's mapping (:mod:`chalicelib.dealers.access`), never from the request: one dealer never
sees another's units, and a cursor is signed for its dealer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.activation import lookup
from chalicelib.activation import service as activation_service
from chalicelib.activation import wiring as activation_wiring
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Activation, Owner
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.dealers import assisted, service
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.dealers.access import DealerPrincipal, authenticate_dealer
from chalicelib.dealers.views import (
    dealer_activated_view,
    dealer_activation_view,
    dealer_unit_view,
    own_dealer_view,
)
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

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


# -- activating for a buyer at the counter ------------------------------------------------------


def _counter(principal: DealerPrincipal) -> assisted.Counter:
    return assisted.Counter(principal.dealer_id, principal.username)


def _unit_serial(raw: str) -> str:
    try:
        return normalize_serial(raw)
    except Invalid:
        raise NotFound("unit_not_found") from None


@dealer_api.route("/activations/start", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_dealer_activation() -> Response:
    """A code to the buyer's phone, for a unit shipped to this dealer and not yet activated."""
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _dealer()
    request = parse_request(dealer_api.current_request, schemas.DealerActivationStartRequest)
    identity = (dealer_api.current_request.context or {}).get("identity") or {}
    now = datetime.now(UTC)

    def send() -> lookup.OtpSent:
        return lookup.request_code(
            request.buyer.phone,
            client_ip=str(identity.get("sourceIp") or "unknown"),
            language=request.language,
            now=now,
            pepper=platform_wiring.secrets().pepper,
            store=activation_wiring.otp_repository(),
            brand_id=get_settings().brand_id,
            purpose="activation",
        )

    sent = assisted.start(
        _unit_serial(request.serial),
        _counter(principal),
        units=catalog_wiring.unit_repository(),
        send_code=send,
    )
    return json_response(
        {"sent": True, "expires_in": sent.expires_in, "resend_after": sent.resend_after}, 202
    )


@dealer_api.route(
    "/activations/confirm", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def confirm_dealer_activation() -> Response:
    """The buyer's code back: the unit is activated for them (channel ``dealer``)."""
    from chalicelib.dealers import schemas  # pydantic: loaded by body routes on first use

    principal = _dealer()
    request = parse_request(dealer_api.current_request, schemas.DealerActivationConfirmRequest)
    now, pepper = datetime.now(UTC), platform_wiring.secrets().pepper
    units, models = catalog_wiring.unit_repository(), catalog_wiring.model_cache()
    buyer = request.buyer
    serial = _unit_serial(request.serial)

    def activate(
        serial: str, owner: Owner, evidence: str, before_write: Callable[[], None]
    ) -> Activation:
        return activation_service.activate_serial(
            serial,
            owner.phone,
            channel=assisted.CHANNEL,
            evidence=evidence,
            language=request.language,
            now=now,
            pepper=pepper,
            units=units,
            models=models,
            name=owner.name,
            province=owner.province,
            before_write=before_write,
        )

    done = assisted.confirm(
        serial,
        Owner(name=buyer.name, phone=buyer.phone, province=buyer.province),
        request.code,
        _counter(principal),
        units=units,
        prove_phone=functools.partial(
            lookup.confirm_phone, now=now, pepper=pepper, store=activation_wiring.otp_repository()
        ),
        activate=activate,
    )
    return json_response(dealer_activated_view(serial, done), status=201)
