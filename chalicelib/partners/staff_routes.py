"""Staff routes for installer partners (``/partners``): the list by status or phone, one
partner with their status history, creation and status changes (each audited). The citizen ID,
account number and tax code are in full for admin, director and accountant, masked for cs."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.phone import normalize_vn_mobile
from chalicelib.core.settings import get_settings
from chalicelib.partners import service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.model import PartnerStatus
from chalicelib.partners.routes import request_id
from chalicelib.partners.views import partner_view, staff_partner_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

console_partners = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.CS, Role.ACCOUNTANT})
WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR})
COMMITMENT_WRITERS = frozenset({Role.ADMIN, Role.ACCOUNTANT})  # the withholding's paperwork
FULL_VIEW = frozenset({Role.ADMIN, Role.DIRECTOR, Role.ACCOUNTANT})  # cs: last 4 digits only
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
_QUERY = frozenset({"status", "phone", "limit", "cursor"})
MAX_BODY = 4096


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_partners.current_request, get_settings(), allowed)


def _full(principal: Principal) -> bool:
    return bool(principal.roles & FULL_VIEW)


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username, datetime.now(UTC), request_id(console_partners.current_request)
    )


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_partners.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _status(raw: str | None) -> PartnerStatus:
    try:
        return PartnerStatus(raw or PartnerStatus.PENDING.value)
    except ValueError:
        raise Invalid(fields=[FieldError("status", "partner_status_invalid")]) from None


def _page(params: dict[str, str]) -> service.PartnerPage:
    partners = partner_wiring.partner_repository()
    if "phone" in params:
        if {"status", "cursor"} & set(params):
            raise Invalid(fields=[FieldError("phone", "partner_search_mode")])
        try:
            phone = normalize_vn_mobile(params["phone"])
        except Invalid as exc:
            raise Invalid(fields=[FieldError("phone", exc.code)]) from None
        return service.find_by_phone(
            phone, pepper=platform_wiring.secrets().pepper, partners=partners
        )
    status = _status(params.get("status"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"partners-{status.value}"
    after = platform_wiring.cursors().decode(scope, params.get("cursor"))
    return service.list_by_status(status, limit=limit, after=after, partners=partners)


@console_partners.route("/partners", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_partners() -> Response:
    """``GET /partners?status=pending`` (the default; oldest first, paged) or ``?phone=…``."""
    principal = _staff(READERS)
    params = _query()
    page = _page(params)
    scope = f"partners-{_status(params.get('status')).value}"
    return json_response(
        {
            "partners": [partner_view(p, full=_full(principal)) for p in page.partners],
            "next_cursor": platform_wiring.cursors().encode(scope, page.after),
        }
    )


@console_partners.route("/partners", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_partner() -> Response:
    """A partner created by staff, ``pending`` or ``approved``."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_partners.current_request, schemas.PartnerCreateRequest, MAX_BODY
    )
    partner = service.create(
        request.details(),
        PartnerStatus(request.status),
        request.note,
        _change(principal),
        pepper=platform_wiring.secrets().pepper,
        partners=partner_wiring.partner_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(staff_partner_view(partner, full=_full(principal)), status=201)


@console_partners.route("/partners/{partner_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_partner(partner_id: str) -> Response:
    principal = _staff(READERS)
    partner = service.get(partner_id, partners=partner_wiring.partner_repository())
    return json_response(staff_partner_view(partner, full=_full(principal)))


@console_partners.route(
    "/partners/{partner_id}/status", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def set_partner_status(partner_id: str) -> Response:
    """Approve, reject, suspend or reinstate (``approved`` again); a note is required to reject
    or suspend. Rejection and suspension end the partner's sessions at once."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(WRITERS)
    request = parse_request(
        console_partners.current_request, schemas.PartnerStatusRequest, MAX_BODY
    )
    partner = service.set_status(
        partner_id,
        PartnerStatus(request.status),
        request.note,
        _change(principal),
        partners=partner_wiring.partner_repository(),
        sessions=partner_wiring.session_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(staff_partner_view(partner, full=_full(principal)))


@console_partners.route(
    "/partners/{partner_id}/commitment",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def set_partner_commitment(partner_id: str) -> Response:
    """The accountant records whether the partner's commitment form (Mẫu 08/CK-TNCN) is on
    file: batches made from then on withhold no tax from them."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(COMMITMENT_WRITERS)
    request = parse_request(console_partners.current_request, schemas.CommitmentRequest, MAX_BODY)
    partner = service.set_commitment(
        partner_id,
        request.on_file,
        request.note,
        _change(principal),
        partners=partner_wiring.partner_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(staff_partner_view(partner, full=_full(principal)))
