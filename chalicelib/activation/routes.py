"""Public routes for the customer portal: no sign-in; capability tokens (QR) and OTP only."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalice.app import Blueprint, Response

from chalicelib.activation import lookup
from chalicelib.activation import service as activation
from chalicelib.activation import wiring as activation_wiring
from chalicelib.activation.certificate import fold_code
from chalicelib.activation.views import (
    activation_view,
    certificate_view,
    owned_unit_view,
    portal_settings_view,
    public_unit_view,
)
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.serials import normalize_serial
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import Conflict, Invalid, NotFound, Unauthorized
from chalicelib.core.settings import get_settings
from chalicelib.dealers import wiring as dealer_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import bearer_token
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)
from chalicelib.platform.throttle import throttle

public = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)


@public.route("/units/{token}", methods=["GET"], cors=CORS)
@maps_domain_errors
def view_unit(token: str) -> Response:
    view = activation.view_unit(
        token,
        today=business_day(datetime.now(UTC)),
        keyring=platform_wiring.secrets().qr_keyring,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        dealers=dealer_wiring.dealer_names(),
    )
    return json_response(public_unit_view(view))


@public.route("/settings", methods=["GET"], cors=CORS)
@maps_domain_errors
def portal_settings() -> Response:
    """The brand's look for the portal (name, logo, colours, hotline, sections)."""
    settings = get_settings()
    brand = catalog_wiring.brand_repository().get(settings.brand_id)
    return json_response(
        portal_settings_view(brand, brand.hotline_or(settings.hotline)),
        headers={"Cache-Control": "max-age=300"},
    )


@public.route("/serials/{serial}", methods=["GET"], cors=CORS)
@maps_domain_errors
def view_serial(serial: str) -> Response:
    """Look up the serial printed on a product: genuine, status, dates; never the owner."""
    _throttle("serial_lookup")
    view = activation.view_serial(
        _serial(serial, "unit_not_found"),
        today=business_day(datetime.now(UTC)),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    return json_response(public_unit_view(view))


@public.route("/certificates/{token}", methods=["GET"], cors=CORS)
@maps_domain_errors
def view_certificate(token: str) -> Response:
    """The verifiable certificate behind ``<portal>/c/<token>``: valid only once activated,
    with the code that proves a paper copy (``/certificates/verify/{serial}/{code}``). With
    the owner's look-up token (``Authorization: Bearer``, optional) it names the owner in full."""
    secrets = platform_wiring.secrets()
    certificate = activation.view_certificate(
        token,
        today=_today(),
        viewer_key=lookup.viewer_key(_optional_bearer(), token_key=secrets.lookup_token_key),
        keyring=secrets.qr_keyring,
        pepper=secrets.pepper,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    return json_response(certificate_view(certificate, platform_wiring.unit_links()))


@public.route("/certificates/verify/{serial}/{code}", methods=["GET"], cors=CORS)
@maps_domain_errors
def verify_certificate(serial: str, code: str) -> Response:
    """Is this paper certificate real? The same 404 for any serial, unit or code that is not."""
    _throttle("certificate_verify")
    if not (4 <= len(folded := fold_code(code)) <= 16 and folded.isascii() and folded.isalnum()):
        raise NotFound("certificate_not_found")
    view = activation.verify_certificate(
        _serial(serial, "certificate_not_found"),
        code,
        today=_today(),
        pepper=platform_wiring.secrets().pepper,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    return json_response({"certificate": public_unit_view(view), "verified": True})


def _today() -> date:
    return business_day(datetime.now(UTC))


def _optional_bearer() -> str | None:
    try:
        return bearer_token(public.current_request)
    except Unauthorized:
        return None


def _serial(raw: str, not_found: str) -> str:
    try:
        return normalize_serial(raw)
    except Invalid:
        raise NotFound(not_found) from None


def _throttle(kind: str, refusal: str = "lookup_rate_limited") -> None:
    """At most ``LOOKUPS_PER_MINUTE`` of ``kind`` per client IP in any minute
    (:mod:`chalicelib.platform.throttle`)."""
    throttle(
        public.current_request,
        kind,
        refusal=refusal,
        pepper=platform_wiring.secrets().pepper,
        limits=platform_wiring.rate_limits(),
    )


@public.route("/activations", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def activate() -> Response:
    from chalicelib.activation import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(public.current_request, schemas.ActivationRequest)
    installer = request.installer
    command = schemas.activation_command(
        request,
        installer=installer.to_installer(_signed_in_partner()) if installer else None,
        idempotency_key=_idempotency_key(),
    )
    now, pepper = datetime.now(UTC), platform_wiring.secrets().pepper
    result = activation.activate(
        command,
        now=now,
        links=platform_wiring.unit_links(),
        pepper=pepper,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        phone_proof=activation_wiring.phone_proof(now, pepper),
    )
    return json_response(activation_view(result), status=201)


def _signed_in_partner() -> tuple[str, str, str] | None:
    """The (id, name, phone) of the partner whose session the request carries (``Bearer
    pst_…``), if any; a session that is not live, or a partner not approved, is refused."""
    from chalicelib.partners import sessions
    from chalicelib.partners import wiring as partner_wiring

    token = _optional_bearer()
    if token is None or not token.startswith(sessions.TOKEN_PREFIX):
        return None
    partner = sessions.authenticate(
        token,
        now=datetime.now(UTC),
        key=sessions.signing_key(platform_wiring.secrets().pepper),
        sessions=partner_wiring.session_repository(),
        partners=partner_wiring.partner_repository(),
    )
    return partner.partner_id, partner.details.name, partner.phone


@public.route("/activations/code", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def request_activation_code() -> Response:
    """Send the code that proves the phone about to own the unit (brands that confirm phones)."""
    from chalicelib.activation import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(public.current_request, schemas.ActivationCodeRequest)
    settings = get_settings()
    activation.resolve_token(request.token, platform_wiring.unit_links().keyring)
    if not catalog_wiring.brand_repository().get(settings.brand_id).confirm_phone:
        raise Conflict("phone_code_not_required")
    return _send_code(request.phone, request.language, "activation")


@public.route("/not-me", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def report_not_me() -> Response:
    """Flag an activation for review: its confirmation's recipient says "this wasn't me"."""
    from chalicelib.activation import schemas  # pydantic: loaded by body routes on first use
    from chalicelib.outbox import wiring as outbox_wiring

    _throttle("not_me", "not_me_rate_limited")
    request = parse_request(public.current_request, schemas.NotMeRequest)
    secrets = platform_wiring.secrets()
    activation.report_not_me(
        request.token,
        request.code,
        now=datetime.now(UTC),
        keyring=secrets.qr_keyring,
        pepper=secrets.pepper,
        units=catalog_wiring.unit_repository(),
        messages=outbox_wiring.notification_repository(),
    )
    settings = get_settings()
    brand = catalog_wiring.brand_repository().get(settings.brand_id)
    return json_response({"reported": True, "hotline": brand.hotline_or(settings.hotline)})


def _idempotency_key() -> str:
    """The ``Idempotency-Key`` header ("" when absent); 400 when it is not a plain token."""
    from chalicelib.activation import schemas

    return schemas.idempotency_key(public.current_request.headers.get("idempotency-key"))


@public.route("/otp", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def request_lookup_code() -> Response:
    from chalicelib.activation import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(public.current_request, schemas.OtpRequest)
    return _send_code(request.phone, request.language, "lookup")


def _send_code(phone: str, language: str, purpose: lookup.CodePurpose) -> Response:
    """202 with the code's lifetimes, once the code to ``phone`` is queued (the send limits per
    phone, client address and number prefix are the same for both purposes)."""
    identity = (public.current_request.context or {}).get("identity") or {}
    sent = lookup.request_code(
        phone,
        client_ip=str(identity.get("sourceIp") or "unknown"),
        language=language,
        now=datetime.now(UTC),
        pepper=platform_wiring.secrets().pepper,
        store=activation_wiring.otp_repository(),
        brand_id=get_settings().brand_id,
        purpose=purpose,
    )
    return json_response(
        {"sent": True, "expires_in": sent.expires_in, "resend_after": sent.resend_after}, 202
    )


@public.route("/otp/verify", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def verify_lookup_code() -> Response:
    from chalicelib.activation import schemas  # pydantic: loaded by body routes on first use

    request = parse_request(public.current_request, schemas.OtpVerifyRequest)
    secrets = platform_wiring.secrets()
    token = lookup.verify_code(
        request.phone,
        request.code,
        now=datetime.now(UTC),
        pepper=secrets.pepper,
        token_key=secrets.lookup_token_key,
        store=activation_wiring.otp_repository(),
    )
    return json_response(
        {"lookup_token": token.token, "token_type": "Bearer", "expires_in": token.expires_in}
    )


@public.route("/my-units", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_my_units() -> Response:
    owned = lookup.my_units(
        bearer_token(public.current_request),
        token_key=platform_wiring.secrets().lookup_token_key,
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
    )
    today = business_day(datetime.now(UTC))
    links = platform_wiring.unit_links()
    return json_response(
        {"units": [owned_unit_view(o, today, links.certificate(o.unit.serial)) for o in owned]}
    )
