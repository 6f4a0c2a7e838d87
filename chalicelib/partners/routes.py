"""The partner's own API (``/partner/…``), for the portal's partner pages and partner apps:
sign up and sign in by phone and a one-time code, then a bearer session token. No route takes a
partner id: a session only ever reads its own partner."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection
from datetime import UTC, datetime

from chalice.app import Blueprint, Request, Response

from chalicelib.activation import lookup
from chalicelib.activation import wiring as activation_wiring
from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.partners import service, sessions
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.model import Partner, PartnerStatus
from chalicelib.partners.rewards import PERIOD
from chalicelib.partners.views import (
    banks_view,
    own_partner_view,
    provinces_view,
    signed_in_view,
)
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import bearer_token
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

partner_api = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)
# the bank and province lists name no one and carry no credentials: any page may read them (the
# console's partner form as well as the portal's sign-up)
PUBLIC_LIST_CORS = cors_for("*")
MAX_BODY = 4096


def request_id(request: Request) -> str:
    """The invocation's id (the audit entry's source), else a fresh one."""
    context = getattr(request, "lambda_context", None)
    found = getattr(context, "aws_request_id", None) or (request.context or {}).get("requestId")
    return str(found or uuid.uuid4().hex)


def _proof(now: datetime, pepper: bytes) -> service.PhoneProof:
    return functools.partial(
        lookup.prove_partner_phone,
        now=now,
        pepper=pepper,
        store=activation_wiring.otp_repository(),
    )


def _session_key() -> bytes:
    return sessions.signing_key(platform_wiring.secrets().pepper)


def _partner(allowed: Collection[PartnerStatus] = sessions.SIGNED_IN) -> Partner:
    """The partner of the request's session (``Authorization: Bearer pst_…``)."""
    return sessions.authenticate(
        bearer_token(partner_api.current_request),
        now=datetime.now(UTC),
        key=_session_key(),
        sessions=partner_wiring.session_repository(),
        partners=partner_wiring.partner_repository(),
        allowed=allowed,
    )


@partner_api.route("/codes", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def request_partner_code() -> Response:
    """A one-time code to the phone, to sign up or sign in (the look-up's send limits)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(partner_api.current_request, schemas.PartnerCodeRequest, MAX_BODY)
    identity = (partner_api.current_request.context or {}).get("identity") or {}
    sent = lookup.request_code(
        request.phone,
        client_ip=str(identity.get("sourceIp") or "unknown"),
        language=request.language,
        now=datetime.now(UTC),
        pepper=platform_wiring.secrets().pepper,
        store=activation_wiring.otp_repository(),
        brand_id=get_settings().brand_id,
        purpose="partner",
    )
    return json_response(
        {"sent": True, "expires_in": sent.expires_in, "resend_after": sent.resend_after}, 202
    )


@partner_api.route("/signup", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def sign_up_partner() -> Response:
    """A new partner, ``pending`` until staff approve, signed in (201 with a session)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(partner_api.current_request, schemas.PartnerSignupRequest, MAX_BODY)
    now, pepper = datetime.now(UTC), platform_wiring.secrets().pepper
    change = service.Change(service.PARTNER_ACTOR, now, request_id(partner_api.current_request))
    signed_in = service.sign_up(
        request.details(),
        request.code,
        change,
        pepper=pepper,
        prove_phone=_proof(now, pepper),
        partners=partner_wiring.partner_repository(),
        sessions=partner_wiring.session_repository(),
        session_key=_session_key(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(signed_in_view(signed_in.partner, signed_in.session), status=201)


@partner_api.route("/sessions", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def sign_in_partner() -> Response:
    """A new session for the phone's partner, with the code sent to it."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(partner_api.current_request, schemas.PartnerSignInRequest, MAX_BODY)
    now, pepper = datetime.now(UTC), platform_wiring.secrets().pepper
    signed_in = service.sign_in(
        request.phone,
        request.code,
        now=now,
        pepper=pepper,
        prove_phone=_proof(now, pepper),
        partners=partner_wiring.partner_repository(),
        sessions=partner_wiring.session_repository(),
        session_key=_session_key(),
    )
    return json_response(signed_in_view(signed_in.partner, signed_in.session))


@partner_api.route("/sessions/current", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def sign_out_partner() -> Response:
    """End the request's session (other sessions of the partner stay)."""
    sessions.close_session(
        bearer_token(partner_api.current_request),
        now=datetime.now(UTC),
        key=_session_key(),
        store=partner_wiring.session_repository(),
    )
    return Response(body="", status_code=204)


@partner_api.route("/me", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_own_partner() -> Response:
    """The signed-in partner's own record (also while pending approval)."""
    return json_response({"partner": own_partner_view(_partner(sessions.SIGNED_IN_OR_PENDING))})


@partner_api.route("/activations", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def activate_for_customer() -> Response:
    """An approved partner activates a unit for its customer (channel ``partner``, the partner
    the installer): the customer's activation's single transaction and rules."""
    from chalicelib.activation import schemas as activation_schemas
    from chalicelib.activation import service as activation_service
    from chalicelib.activation.views import activation_view

    partner = _partner()
    request = parse_request(
        partner_api.current_request, activation_schemas.PartnerActivationRequest, MAX_BODY
    )
    now, pepper = datetime.now(UTC), platform_wiring.secrets().pepper
    result = activation_service.activate(
        activation_schemas.activation_command(
            request,
            installer=request.installer.to_installer(
                (partner.partner_id, partner.details.name, partner.phone)
            ),
            idempotency_key=activation_schemas.idempotency_key(
                partner_api.current_request.headers.get("idempotency-key")
            ),
        ),
        now=now,
        links=platform_wiring.unit_links(),
        pepper=pepper,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        phone_proof=activation_wiring.phone_proof(now, pepper),
    )
    return json_response(activation_view(result), status=201)


@partner_api.route("/rewards", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_own_rewards() -> Response:
    """The signed-in partner's own ledger entries, newest first, paged, and their balance
    (approved minus paid, integer VND); ``period=YYYY-MM``: the month's entries and totals."""
    from chalicelib.partners import reward_service
    from chalicelib.partners.reward_views import entry_view, partner_month_view

    partner = _partner()
    params: dict[str, str] = dict(partner_api.current_request.query_params or {})
    limit = query_int(params, "limit", 25, 1, 100, code="limit_out_of_range")
    period = _period(params.get("period"))
    # a cursor opens only its own partner's list, and its own month's
    scope = f"partner-rewards-{partner.partner_id}" + (f"-{period}" if period else "")
    cursors, ledger = platform_wiring.cursors(), partner_wiring.reward_ledger()
    page = reward_service.partner_page(
        partner.partner_id,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        ledger=ledger,
        period=period,
    )
    body = {
        "entries": [entry_view(e, staff=False) for e in page.entries],
        "balance": reward_service.partner_balance(partner.partner_id, ledger=ledger),
        "next_cursor": cursors.encode(scope, page.after),
    }
    if period:
        totals = reward_service.partner_month(partner.partner_id, period, ledger=ledger)
        body["period"] = partner_month_view(period, totals)
    return json_response(body)


@partner_api.route("/units/{serial}/warranty-history", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_installed_unit_history(serial: str) -> Response:
    """The warranty history of a unit the signed-in partner installed, the customer masked;
    any other unit answers ``unit_not_found``, as one that does not exist."""
    from chalicelib.catalog.serials import normalize_serial
    from chalicelib.claims import service as claims_service
    from chalicelib.claims import wiring as claims_wiring
    from chalicelib.claims.history_views import warranty_history_view
    from chalicelib.dealers import wiring as dealers_wiring

    partner = _partner()
    found = claims_service.warranty_history(
        normalize_serial(serial),
        units=catalog_wiring.unit_repository(),
        store=claims_wiring.claim_repository(),
    )
    activation = found.unit.activation
    installer = activation.installer if activation else None
    if installer is None or installer.partner_id != partner.partner_id:
        raise NotFound("unit_not_found")
    return json_response(
        warranty_history_view(found, full=False, dealer_name=dealers_wiring.dealer_names().name_of)
    )


def _period(raw: str | None) -> str | None:
    """A ``period`` query parameter: ``YYYY-MM``, or absent."""
    if raw is None:
        return None
    if not PERIOD.fullmatch(raw):
        raise Invalid(fields=[FieldError("period", "reward_period_invalid")])
    return raw


@partner_api.route("/banks", methods=["GET"], cors=PUBLIC_LIST_CORS)
@maps_domain_errors
def list_partner_banks() -> Response:
    return json_response(banks_view(), headers={"Cache-Control": "max-age=3600"})


@partner_api.route("/provinces", methods=["GET"], cors=PUBLIC_LIST_CORS)
@maps_domain_errors
def list_partner_provinces() -> Response:
    return json_response(provinces_view(), headers={"Cache-Control": "max-age=3600"})
