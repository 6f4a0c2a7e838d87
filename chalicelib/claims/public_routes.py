"""Service requests over HTTP for the customer (``/service-requests…``, the portal).

Who may file for a serial: whoever holds the unit's sticker (``sig``: the signed token of its QR
link, as the landing page has it) or its owner signed in on "my products" (a lookup session
whose phone activated the unit). Who may follow a request: the tracking link's ``?t=`` (sent in
every message), or the "my products" session of the phone that filed it. A photo never passes
through here: the browser PUTs it to the bucket, the claims stream function cleans it.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.claims import photos, service, tracking, wiring
from chalicelib.claims.model import Caller, Channel, Claim
from chalicelib.claims.public_views import tracking_view
from chalicelib.claims.states import ClaimState
from chalicelib.claims.views import verdict_view
from chalicelib.core.errors import Forbidden, NotFound, TooManyRequests, Unauthorized
from chalicelib.core.phone import phone_key
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
)

public_claims = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)
HOUR = timedelta(hours=1)
REQUESTS_PER_HOUR = 10  # a customer files one or two; a script is stopped
PHOTOS_PER_HOUR = 40


def _throttle(kind: str, limit: int) -> None:
    """At most ``limit`` of ``kind`` per client IP in any hour (the IP kept only as an HMAC)."""
    identity = (public_claims.current_request.context or {}).get("identity") or {}
    client = hmac.new(
        platform_wiring.secrets().pepper, str(identity.get("sourceIp") or "unknown").encode(),
        "sha256",
    ).hexdigest()[:32]  # fmt: skip
    retry_after = platform_wiring.rate_limits().hit_sliding(
        f"{kind}#{client}", limit=limit, window=HOUR, now=datetime.now(UTC)
    )
    if retry_after is not None:
        raise TooManyRequests("claim_rate_limited", retry_after=retry_after)


def _session_owner() -> str | None:
    """The owner key of a "my products" session, if the request carries a valid one."""
    from chalicelib.claims.routes import session_owner

    return session_owner(public_claims.current_request)


def _prove_holder(serial: str, sig: str | None) -> None:
    """The caller holds the unit (its QR signature) or owns it ("my products");
    ``claim_proof_required`` (403) otherwise."""
    if sig and platform_wiring.unit_links().keyring.verify(sig) == serial:
        return
    owner = _session_owner()
    unit = catalog_wiring.unit_repository().find(serial) if owner else None
    activation = unit.activation if unit is not None else None
    pepper = platform_wiring.secrets().pepper
    if activation is not None and phone_key(pepper, activation.owner.phone) == owner:
        return
    raise Forbidden("claim_proof_required")


def _tracking_key() -> bytes:
    return tracking.tracking_key(platform_wiring.secrets().pepper)


def _customer_claim(claim_id: str) -> Claim:
    """The request if the caller may follow it (its link's ``t``, or the session of the phone
    that filed it); ``claim_not_found`` otherwise (a guessed reference learns nothing)."""
    store = wiring.claim_repository()
    claim = service.get(claim_id, Caller.the_customer(), store=store)
    params: dict[str, str] = dict(public_claims.current_request.query_params or {})
    token = params.get("t")
    if tracking.verify(_tracking_key(), claim.claim_id, token):
        return claim
    owner = _session_owner()
    if owner and phone_key(platform_wiring.secrets().pepper, claim.customer.phone) == owner:
        return claim
    raise NotFound("claim_not_found")


def _language() -> str:
    return language_of(public_claims.current_request)


def _shown(claim_id: str, status: int = 200) -> Response:
    claim = _customer_claim(claim_id)
    history = wiring.claim_repository().history(claim_id)
    return json_response(tracking_view(claim, history, _language()), status=status)


@public_claims.route(
    "/service-requests/eligibility", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def preview_eligibility() -> Response:
    """The verdict a request for the unit would get now, with its reasons (nothing written)."""
    from chalicelib.claims import schemas

    request = parse_request(public_claims.current_request, schemas.EligibilityRequest)
    _throttle("claim-eligibility", REQUESTS_PER_HOUR * 6)
    _prove_holder(request.serial, request.sig)
    unit, decided = service.preview(
        request.serial,
        at=datetime.now(UTC),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    model = catalog_wiring.model_cache().get(unit.model_code)
    return json_response(
        {
            "serial": unit.serial,
            "model": {"code": model.code, "name": model.localized(_language()).name},
            "verdict": verdict_view(decided, _language()),
        }
    )


@public_claims.route(
    "/service-requests/photos", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def start_service_request_photo() -> Response:
    """A presigned PUT for one photo (JPEG, PNG or WebP, at most 5 MB), before the request
    exists; the request names its key."""
    from chalicelib.catalog import schemas as catalog_schemas

    request = parse_request(public_claims.current_request, catalog_schemas.ImageUploadRequest)
    _throttle("claim-photo", PHOTOS_PER_HOUR)
    upload = photos.start_upload(
        request.content_type, request.size, storage=platform_wiring.storage()
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@public_claims.route(
    "/service-requests", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def file_service_request() -> Response:
    """A new request (201): its reference, its tracking link and its verdict."""
    from chalicelib.claims import schemas

    request = parse_request(public_claims.current_request, schemas.ServiceRequestCreateRequest)
    _throttle("claim-create", REQUESTS_PER_HOUR)
    _prove_holder(request.serial, request.sig)
    photos.check_uploaded(request.photos, storage=platform_wiring.storage())
    claim = service.create(
        request.draft(),
        Caller.the_customer(),
        channel=Channel.PORTAL,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        rules=wiring.rules(),
    )
    token = tracking.tracking_token(_tracking_key(), claim.claim_id)
    return json_response(
        {
            "claim_id": claim.claim_id,
            "tracking_url": tracking.tracking_url(get_settings().portal_url, claim.claim_id, token),
            "token": token,
            "verdict": verdict_view(claim.decided, _language()),
        },
        status=201,
    )


@public_claims.route("/service-requests/{claim_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def track_service_request(claim_id: str) -> Response:
    """The customer's view: the timeline of visible steps, the verdict's reasons, the expected
    return, what the customer may do now."""
    return _shown(claim_id)


@public_claims.route(
    "/service-requests/{claim_id}/moves",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def move_service_request(claim_id: str) -> Response:
    """The customer's move: accept or decline a quote, confirm the return, reopen, cancel."""
    from chalicelib.claims import schemas

    request = parse_request(public_claims.current_request, schemas.CustomerMoveRequest)
    claim = _customer_claim(claim_id)
    service.move(
        claim.claim_id,
        service.Move(to=ClaimState(request.to), version=claim.version, note=request.note),
        Caller.the_customer(),
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        rules=wiring.rules(),
    )
    return _shown(claim_id)


@public_claims.route(
    "/service-requests/{claim_id}/rating",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def rate_service_request(claim_id: str) -> Response:
    """The customer's rating (1–5) once the unit is back."""
    from chalicelib.claims import schemas

    request = parse_request(public_claims.current_request, schemas.RatingRequest)
    claim = _customer_claim(claim_id)
    service.rate(
        claim.claim_id,
        request.rating,
        request.note,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        rules=wiring.rules(),
    )
    return _shown(claim_id)


@public_claims.route("/public/units/{serial}/warranty-history", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_my_unit_warranty_history(serial: str) -> Response:
    """The warranty history of a unit on "my products" (the session of the phone that
    activated it; 401 ``session_required`` without one): the portal's origin."""
    from chalicelib.claims.routes import warranty_history_answer

    owner = _session_owner()
    if owner is None:
        raise Unauthorized("session_required")
    return json_response(warranty_history_answer(serial, owner=owner, full=False))
