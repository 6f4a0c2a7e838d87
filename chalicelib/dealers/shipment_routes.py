"""Shipments over HTTP (``/shipments…``, staff): admin and customer service open, scan, confirm,
cancel and take units back; the director and the accountant read. Every decision is audited
(the service writes the entries). ``/dealer/shipments…``: a dealer user's own confirmed or
cancelled shipments, its dealer taken from who it is, never from the request."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.audit.model import AuditEntry
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.dealers import shipment_service as service
from chalicelib.dealers import wiring
from chalicelib.dealers.access import authenticate_dealer
from chalicelib.dealers.shipment_service import ShipmentUnit
from chalicelib.dealers.shipment_views import (
    cancel_view,
    confirm_view,
    dealer_shipment_view,
    dealer_summary_view,
    return_view,
    scan_view,
    shipment_view,
    summary_view,
    units_view,
)
from chalicelib.dealers.shipments import Shipment, ShipmentStatus, ShipmentSummary
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
    query_int,
)

console_shipments = Blueprint(__name__)
dealer_shipments_api = Blueprint(__name__)  # registered under /dealer
CORS = cors_for(get_settings().console_url)

WRITERS = frozenset({Role.ADMIN, Role.CS})
READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.ACCOUNTANT})
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
CONFIRM_SECONDS = 20.0  # a request's share of the API's 30 s: the console confirms again
EXPORT_LINK_SECONDS = 15 * 60
_DEALER_LIST_QUERY = frozenset({"status", "date_from", "date_to", "limit", "cursor"})
_LIST_QUERY = _DEALER_LIST_QUERY | {"dealer_id", "dealer_code"}


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_shipments.current_request, get_settings(), allowed)


def _change_by(actor: str, request: Request) -> service.Change:
    context = getattr(request, "lambda_context", None)
    found = getattr(context, "aws_request_id", None) or (request.context or {}).get("requestId")
    return service.Change(actor, datetime.now(UTC), str(found or uuid.uuid4().hex))


def _change(principal: Principal) -> service.Change:
    return _change_by(principal.username, console_shipments.current_request)


def _language() -> str:
    return language_of(console_shipments.current_request)


def _day(params: dict[str, str], name: str) -> date | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise Invalid(fields=[FieldError(name, "date_invalid")])


def _known(params: dict[str, str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])


def _status(params: dict[str, str]) -> ShipmentStatus | None:
    try:
        return ShipmentStatus(params["status"]) if params.get("status") else None
    except ValueError:
        raise Invalid(fields=[FieldError("status", "shipment_status_invalid")]) from None


def _filters(params: dict[str, str]) -> service.ShipmentFilter:
    _known(params, _LIST_QUERY)
    status = _status(params)
    dealer_id = params.get("dealer_id") or None
    if dealer_id is not None and (not dealer_id.startswith("d_") or len(dealer_id) > 40):
        raise Invalid(fields=[FieldError("dealer_id", "dealer_id_invalid")])
    code = (params.get("dealer_code") or "").strip()
    if code and dealer_id is None:
        if len(code) > 32:
            raise Invalid(fields=[FieldError("dealer_code", "dealer_code_invalid")])
        dealer = wiring.dealer_repository().by_code(code)
        dealer_id = dealer.dealer_id if dealer else "d_unknown"  # an unknown code lists nothing
    return service.ShipmentFilter(
        dealer_id, status, _day(params, "date_from"), _day(params, "date_to")
    )


Page = tuple[list[ShipmentSummary], dict[str, Any] | None]


def _listed(
    params: dict[str, str],
    scope: str,
    read: Callable[[int, dict[str, Any] | None], Page],
    view: Callable[[ShipmentSummary], dict[str, Any]],
) -> Response:
    """One page of ``read`` (limit, after), its cursor signed for ``scope`` (the filters)."""
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    cursors = platform_wiring.cursors()
    found, after = read(limit, cursors.decode(scope, params.get("cursor")))
    return json_response(
        {"shipments": [view(s) for s in found], "next_cursor": cursors.encode(scope, after)}
    )


def _scope(prefix: str, wanted: service.ShipmentFilter) -> str:
    return f"{prefix}-" + "-".join(
        str(v) for v in (wanted.dealer_id, wanted.status, wanted.date_from, wanted.date_to)
    )


@console_shipments.route("/shipments", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_shipments() -> Response:
    """``GET /shipments?dealer_id=|dealer_code=&status=&date_from=&date_to=&limit=&cursor=``:
    the latest day first."""
    _staff(READERS)
    params: dict[str, str] = dict(console_shipments.current_request.query_params or {})
    wanted = _filters(params)
    store = wiring.shipment_repository()
    return _listed(
        params,
        _scope("shipments", wanted),
        lambda limit, after: service.page(wanted, limit=limit, after=after, store=store),
        summary_view,
    )


@console_shipments.route("/shipments", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_shipment() -> Response:
    """A new draft (201) for an active dealer, by its code."""
    from chalicelib.dealers import shipment_schemas

    principal = _staff(WRITERS)
    request = parse_request(
        console_shipments.current_request, shipment_schemas.ShipmentCreateRequest
    )
    shipment = service.create(
        request.dealer_code,
        request.ship_date,
        request.document_number,
        _change(principal),
        store=wiring.shipment_repository(),
        dealers=wiring.dealer_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response({"shipment": shipment_view(shipment, _language())}, status=201)


@console_shipments.route("/shipments/{shipment_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_shipment(shipment_id: str) -> Response:
    """A shipment with its units: a draft's scans, else every unit it shipped, as it is now."""
    _staff(READERS)
    store = wiring.shipment_repository()
    shipment = service.get(shipment_id, store=store)
    units = service.units_of(shipment, store=store, units=catalog_wiring.unit_shipping())
    return json_response(
        {"shipment": shipment_view(shipment, _language()), "units": units_view(units)}
    )


@console_shipments.route(
    "/shipments/{shipment_id}/scans", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def scan_into_shipment(shipment_id: str) -> Response:
    """A scanned serial or carton code into the draft: what was added, a duplicate's notice,
    each refusal with its reason, and the counts by model."""
    from chalicelib.dealers import shipment_schemas

    principal = _staff(WRITERS)
    request = parse_request(console_shipments.current_request, shipment_schemas.ScanRequest)
    result = service.scan(
        shipment_id,
        request.code,
        _change(principal),
        store=wiring.shipment_repository(),
        units=catalog_wiring.unit_shipping(),
        cartons=catalog_wiring.carton_contents,
        dealers=wiring.dealer_repository(),
    )
    return json_response(scan_view(result, _language()))


@console_shipments.route("/shipments/{shipment_id}/scans/{serial}", methods=["DELETE"], cors=CORS)
@maps_domain_errors
def remove_shipment_scan(shipment_id: str, serial: str) -> Response:
    """Take a scanned serial out of the draft."""
    principal = _staff(WRITERS)
    shipment = service.remove_scan(
        shipment_id, serial, _change(principal), store=wiring.shipment_repository()
    )
    return json_response({"shipment": shipment_view(shipment, _language())})


@console_shipments.route("/shipments/{shipment_id}/confirm", methods=["POST"], cors=CORS)
@maps_domain_errors
def confirm_shipment(shipment_id: str) -> Response:
    """Ship the draft's units in chunks for up to 20 s: ``finished`` false means "confirm again
    to continue" (the progress is kept); the refused units are listed with their reason."""
    principal = _staff(WRITERS)
    started = datetime.now(UTC)
    report = service.confirm(
        shipment_id,
        _change(principal),
        store=wiring.shipment_repository(),
        units=catalog_wiring.unit_shipping(),
        dealers=wiring.dealer_repository(),
        trail=audit_wiring.audit_trail(),
        time_left=lambda: (datetime.now(UTC) - started).total_seconds() < CONFIRM_SECONDS,
    )
    return json_response(confirm_view(report, _language()))


@console_shipments.route("/shipments/{shipment_id}/cancel", methods=["POST"], cors=CORS)
@maps_domain_errors
def cancel_shipment(shipment_id: str) -> Response:
    """Cancel: units not yet activated go back to registered; activated ones are kept."""
    principal = _staff(WRITERS)
    report = service.cancel(
        shipment_id,
        _change(principal),
        store=wiring.shipment_repository(),
        units=catalog_wiring.unit_shipping(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(cancel_view(report, _language()))


@console_shipments.route(
    "/shipments/{shipment_id}/returns", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def return_shipment_units(shipment_id: str) -> Response:
    """Units scanned back from the dealer: those shipped by it and not activated go back."""
    from chalicelib.dealers import shipment_schemas

    principal = _staff(WRITERS)
    request = parse_request(console_shipments.current_request, shipment_schemas.ReturnRequest)
    report = service.return_units(
        shipment_id,
        request.serials,
        _change(principal),
        store=wiring.shipment_repository(),
        units=catalog_wiring.unit_shipping(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response(return_view(report, _language()))


@console_shipments.route("/shipments/{shipment_id}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_shipment(shipment_id: str) -> Response:
    """The shipment's units as an Excel file (serial, model, carton, status, activated): a
    link."""
    principal = _staff(READERS)
    store = wiring.shipment_repository()
    shipment = service.get(shipment_id, store=store)
    units = service.units_of(shipment, store=store, units=catalog_wiring.unit_shipping())
    return _exported(shipment, units, _change(principal), _language())


def _exported(
    shipment: Shipment, units: Sequence[ShipmentUnit], change: service.Change, language: str
) -> Response:
    """The shipment's Excel written to the bucket (audited ``shipment_exported``): a link."""
    from chalicelib.dealers.shipment_export import XLSX, write_shipment

    shipment_id = shipment.shipment_id
    key = f"exports/shipments/{shipment_id}-{uuid.uuid4().hex}.xlsx"
    filename = f"shipment-{shipment.dealer_code}-{shipment.details.ship_date.isoformat()}.xlsx"
    storage = platform_wiring.storage()
    with tempfile.TemporaryFile() as out:
        rows = write_shipment(out, shipment, units, language=language)
        storage.upload_from(key, out, content_type=XLSX, filename=filename)
    audit_wiring.audit_trail().record(
        AuditEntry(
            at=change.at,
            actor=change.actor,
            action="shipment_exported",
            entity="shipment",
            entity_id=shipment_id,
            source=change.source,
            after={"rows": rows},
        )
    )
    url = storage.download_url(key, expires_seconds=EXPORT_LINK_SECONDS)
    return json_response({"rows": rows, "filename": filename, "url": url})


# -- the dealer's own (``/dealer/shipments…``) --------------------------------------------------


@dealer_shipments_api.route("/shipments", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_own_shipments() -> Response:
    """``GET /dealer/shipments?status=confirmed|cancelled&date_from=&date_to=&limit=&cursor=``:
    the signed-in dealer's own, the latest day first (a cursor is its dealer's alone)."""
    request = dealer_shipments_api.current_request
    principal = authenticate_dealer(request, get_settings())
    params: dict[str, str] = dict(request.query_params or {})
    _known(params, _DEALER_LIST_QUERY)
    wanted = service.ShipmentFilter(
        principal.dealer_id, _status(params), _day(params, "date_from"), _day(params, "date_to")
    )
    store = wiring.shipment_repository()
    return _listed(
        params,
        _scope("dealer-shipments", wanted),
        lambda limit, after: service.dealer_page(
            principal.dealer_id, wanted, limit=limit, after=after, store=store
        ),
        dealer_summary_view,
    )


def _own_shipment(shipment_id: str) -> tuple[str, Shipment, list[ShipmentUnit]]:
    """The signed-in dealer's user, and its shipment with the units as it may see them."""
    principal = authenticate_dealer(dealer_shipments_api.current_request, get_settings())
    store = wiring.shipment_repository()
    shipment = service.get_for_dealer(shipment_id, principal.dealer_id, store=store)
    units = service.units_for_dealer(shipment, store=store, units=catalog_wiring.unit_shipping())
    return principal.username, shipment, units


@dealer_shipments_api.route("/shipments/{shipment_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_own_shipment(shipment_id: str) -> Response:
    """One of the dealer's shipments with its units now (another dealer's, or a draft: 404)."""
    _, shipment, units = _own_shipment(shipment_id)
    return json_response(dealer_shipment_view(shipment, units))


@dealer_shipments_api.route("/shipments/{shipment_id}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_own_shipment(shipment_id: str) -> Response:
    """The dealer's shipment as the staff's Excel file (its units as the dealer sees them)."""
    username, shipment, units = _own_shipment(shipment_id)
    request = dealer_shipments_api.current_request
    return _exported(shipment, units, _change_by(username, request), language_of(request))
