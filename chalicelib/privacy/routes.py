"""Personal data over HTTP. The customer, signed in on "my products" with the lookup token a
code to their phone gave them: ``GET /public/my-data`` (their download, JSON or ``?format=pdf``),
``GET``/``POST /public/my-data/erasure`` (their erasure request), ``GET``/``POST
/public/my-data/consents`` (their consent per purpose). Staff:
``GET /privacy/requests`` (by status, the open ones soonest deadline first), ``POST
/privacy/requests/{id}/erase`` and ``…/refuse``."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.activation import lookup
from chalicelib.audit import wiring as audit_wiring
from chalicelib.audit.model import AuditEntry
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.personal_data import DataSubject
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate, bearer_token
from chalicelib.platform.http import (
    HEADERS,
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
    query_int,
)
from chalicelib.platform.http import (
    request_id as invocation_id,
)
from chalicelib.privacy import service
from chalicelib.privacy import wiring as privacy_wiring
from chalicelib.privacy.model import RequestStatus
from chalicelib.privacy.views import (
    consents_view,
    customer_request_view,
    retention_view,
    staff_request_view,
)

public_privacy = Blueprint(__name__)
console_privacy = Blueprint(f"{__name__}.console")
PUBLIC_CORS = cors_for(get_settings().portal_url)
CONSOLE_CORS = cors_for(get_settings().console_url)
# Customer service and the admin handle requests; the director follows them (docs/api.md).
READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR})
HANDLERS = frozenset({Role.ADMIN, Role.CS})
SETTERS = frozenset({Role.ADMIN})  # the retention periods
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
ENTITY = "privacy_request"


def _subject() -> DataSubject:
    """The signed-in customer (401 without a live lookup token; 404 when we hold nothing of
    their phone)."""
    key = lookup.owner_from_token(
        bearer_token(public_privacy.current_request),
        token_key=platform_wiring.secrets().lookup_token_key,
    )
    phone = privacy_wiring.phone_of(key)
    if phone is None:
        raise NotFound("privacy_nothing_held")
    return DataSubject(phone=phone, key=key)


@public_privacy.route("/public/my-data", methods=["GET"], cors=PUBLIC_CORS)
@maps_domain_errors
def download_my_data() -> Response:
    """``?format=json`` (default) or ``pdf`` (send ``Accept: application/pdf``: API Gateway
    answers binary only to a request that accepts it)."""
    params: dict[str, str] = dict(public_privacy.current_request.query_params or {})
    unknown = sorted(set(params) - {"format", "lang"})
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    wanted = params.get("format", "json")
    if wanted not in ("json", "pdf"):
        raise Invalid(fields=[FieldError("format", "format_invalid")])
    now = datetime.now(UTC)
    document = service.export(_subject(), privacy_wiring.personal_data(), at=now)
    filename = f"garanti-personal-data-{now.date().isoformat()}"
    if wanted == "json":
        return json_response(
            document,
            headers={"Content-Disposition": f'attachment; filename="{filename}.json"'},
        )
    from chalicelib.privacy.pdf import render  # the fonts load with the first PDF

    language = params.get("lang") or language_of(public_privacy.current_request)
    return Response(
        body=render(document, language),
        status_code=200,
        headers={
            **HEADERS,
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{filename}.pdf"',
        },
    )


@public_privacy.route("/public/my-data/erasure", methods=["GET"], cors=PUBLIC_CORS)
@maps_domain_errors
def read_my_erasure() -> Response:
    """The customer's open erasure request, if any (``{"request": null}`` otherwise)."""
    subject = _subject()
    request = privacy_wiring.request_repository().open_for(subject.key)
    return json_response({"request": customer_request_view(request) if request else None})


@public_privacy.route(
    "/public/my-data/erasure", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PUBLIC_CORS
)
@maps_domain_errors
def request_my_erasure() -> Response:
    """202 with the request and its deadline (the customer's open one if they asked before)."""
    from chalicelib.privacy import schemas  # pydantic: loaded by body routes on first use

    body = parse_request(public_privacy.current_request, schemas.ErasureRequest)
    request = service.request_erasure(
        _subject(),
        language=body.language,
        channel="portal",
        at=datetime.now(UTC),
        store=privacy_wiring.request_repository(),
    )
    return json_response({"request": customer_request_view(request)}, 202)


@public_privacy.route("/public/my-data/consents", methods=["GET"], cors=PUBLIC_CORS)
@maps_domain_errors
def read_my_consents() -> Response:
    """Each purpose with the customer's last decision."""
    key = _subject().key
    customer = catalog_wiring.customer_repository().get(key)
    if customer is None:
        raise NotFound("customer_not_found")
    return json_response(consents_view(customer))


@public_privacy.route(
    "/public/my-data/consents", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=PUBLIC_CORS
)
@maps_domain_errors
def decide_my_consent() -> Response:
    """Give or withdraw consent to one purpose: the sender asks before every message the
    purpose governs, so a withdrawal stops the next one (queued or scheduled before it too)."""
    from chalicelib.privacy import schemas

    body = parse_request(public_privacy.current_request, schemas.ConsentDecision)
    key = _subject().key
    customer = catalog_wiring.customer_repository().decide(
        key, body.purpose, body.granted, channel="portal", at=datetime.now(UTC)
    )
    return json_response(consents_view(customer))


# -- staff -----------------------------------------------------------------------------------------


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_privacy.current_request, get_settings(), allowed)


@console_privacy.route("/privacy/requests", methods=["GET"], cors=CONSOLE_CORS)
@maps_domain_errors
def list_privacy_requests() -> Response:
    """``?status=open`` (default; soonest deadline first), ``done`` or ``refused`` (newest
    first); ``?limit=`` 1–200."""
    _staff(READERS)
    params: dict[str, str] = dict(console_privacy.current_request.query_params or {})
    unknown = sorted(set(params) - {"status", "limit"})
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    try:
        status = RequestStatus(params.get("status", RequestStatus.OPEN.value))
    except ValueError:
        raise Invalid(fields=[FieldError("status", "status_invalid")]) from None
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    now = datetime.now(UTC)
    requests = privacy_wiring.request_repository().list(status, limit)
    return json_response({"requests": [staff_request_view(r, now) for r in requests]})


def _audit(principal: Principal, action: str, request_id: str, at: datetime) -> None:
    audit_wiring.audit_trail().record(
        AuditEntry(
            at=at,
            actor=principal.username,
            action=action,
            entity=ENTITY,
            entity_id=request_id,
            source=invocation_id(console_privacy.current_request),
        )
    )


@console_privacy.route("/privacy/requests/{request_id}/erase", methods=["POST"], cors=CONSOLE_CORS)
@maps_domain_errors
def erase_personal_data(request_id: str) -> Response:
    """Carry out the request: the person erased from every table, the request closed."""
    principal = _staff(HANDLERS)
    now = datetime.now(UTC)
    closed = service.erase(
        request_id,
        by=principal.username,
        at=now,
        store=privacy_wiring.request_repository(),
        parts=privacy_wiring.personal_data(),
    )
    _audit(principal, "personal_data_erased", closed.request_id, now)
    return json_response({"request": staff_request_view(closed, now)})


@console_privacy.route(
    "/privacy/requests/{request_id}/refuse",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CONSOLE_CORS,
)
@maps_domain_errors
def refuse_privacy_request(request_id: str) -> Response:
    """Close the request without erasing, with the reason (required)."""
    from chalicelib.privacy import schemas

    principal = _staff(HANDLERS)
    body = parse_request(console_privacy.current_request, schemas.RefusalRequest)
    now = datetime.now(UTC)
    closed = service.refuse(
        request_id,
        body.refusal_reason,
        by=principal.username,
        at=now,
        store=privacy_wiring.request_repository(),
    )
    _audit(principal, "privacy_request_refused", closed.request_id, now)
    return json_response({"request": staff_request_view(closed, now)})


@console_privacy.route("/privacy/retention", methods=["GET"], cors=CONSOLE_CORS)
@maps_domain_errors
def read_retention() -> Response:
    """How long each kind of item keeps its people (months), with each setting's bounds."""
    _staff(READERS)
    return json_response(retention_view(privacy_wiring.request_repository().retention()))


@console_privacy.route(
    "/privacy/retention", methods=["PUT"], content_types=JSON_ROUTE_TYPES, cors=CONSOLE_CORS
)
@maps_domain_errors
def save_retention() -> Response:
    """New periods (the admin), over the version read (409 ``retention_changed``)."""
    from chalicelib.privacy import schemas

    principal = _staff(SETTERS)
    body = parse_request(console_privacy.current_request, schemas.RetentionRequest)
    now = datetime.now(UTC)
    saved = service.set_retention(
        body.months(),
        version=body.version,
        by=principal.username,
        at=now,
        store=privacy_wiring.request_repository(),
    )
    _audit(principal, "retention_changed", "retention", now)
    return json_response(retention_view(saved))
