"""Service requests over HTTP for staff (``/claims…``). The desk (admin, customer service,
director) files, reads, routes and moves every request; the accountant reads; a technician reads
and moves those assigned to them, a service company's user those sent to their company (any
other is 404 to them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from chalice.app import Blueprint, Request, Response

from chalicelib.activation import lookup
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.claims import service, wiring
from chalicelib.claims.model import (
    Caller,
    Channel,
    ClaimType,
    Routing,
    VerdictStatus,
)
from chalicelib.claims.states import ClaimState
from chalicelib.claims.views import column_view, detail_view, summaries_view
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.phone import normalize_vn_mobile, phone_key
from chalicelib.core.settings import get_settings
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.outbox.compose import inbox
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

if TYPE_CHECKING:
    from chalicelib.platform.schemas import RequestBody

console_claims = Blueprint(__name__)
E = TypeVar("E", bound=StrEnum)
B = TypeVar("B", bound="RequestBody")
CORS = cors_for(get_settings().console_url)

DESK = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR})
DIRECTOR = frozenset({Role.DIRECTOR, Role.ADMIN})  # the admin may do anything staff do
HISTORY_READERS = DESK | {Role.TECHNICIAN}
READERS = DESK | {Role.ACCOUNTANT}
WORKSHOP = DESK | {Role.TECHNICIAN, Role.SERVICE}
ANYONE = READERS | WORKSHOP
DEFAULT_LIMIT, MAX_LIMIT, BOARD_LIMIT = 25, 100, 20
_LIST_QUERY = frozenset(
    {"state", "type", "routing", "assignee", "serial", "phone", "from", "to", "breached"}
    | {"limit", "cursor"}
)


def _principal(allowed: frozenset[str]) -> Principal:
    return authenticate(console_claims.current_request, get_settings(), allowed)


def _caller(allowed: frozenset[str]) -> Caller:
    return wiring.caller_of(_principal(allowed))


def _params() -> dict[str, str]:
    return dict(console_claims.current_request.query_params or {})


def _language() -> str:
    return language_of(console_claims.current_request)


def _enum(params: dict[str, str], name: str, kind: type[E], code: str) -> E | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise Invalid(fields=[FieldError(name, code)]) from None


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


def _assignee(raw: str | None) -> str | None:
    if not raw:
        return None
    kind, _, name = raw.partition("#")
    if kind not in ("tech", "company") or not name or len(raw) > 80:
        raise Invalid(fields=[FieldError("assignee", "claim_assignee_invalid")])
    return raw


def _filters(params: dict[str, str], now: datetime) -> service.ClaimFilter:
    unknown = sorted(set(params) - _LIST_QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    serial = (params.get("serial") or "").strip().upper() or None
    if serial and len(serial) > 40:
        raise Invalid(fields=[FieldError("serial", "serial_invalid")])
    phone = params.get("phone")
    return service.ClaimFilter(
        state=_enum(params, "state", ClaimState, "claim_state_invalid"),
        claim_type=_enum(params, "type", ClaimType, "claim_type_invalid"),
        routing=_enum(params, "routing", Routing, "claim_routing_invalid"),
        assignee_key=_assignee(params.get("assignee")),
        serial=serial,
        phone=normalize_vn_mobile(phone) if phone else None,
        created_from=_day(params, "from"),
        created_to=_day(params, "to"),
        breached=params.get("breached") in ("1", "true"),
        now=now,
    )


def _scope(name: str, *parts: object) -> str:
    return name + "-" + "-".join(str(p) for p in parts)


def _seen_by(caller: Caller) -> str:
    """Whose requests a cursor pages (one assignee's cursor is no one else's)."""
    return "all" if caller.reads_all else str(caller.assignee_key)


@console_claims.route("/claims", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_claims() -> Response:
    """``GET /claims?state=&type=&routing=&assignee=&serial=&phone=&from=&to=&breached=&limit=
    &cursor=``: the table, latest first."""
    caller = _caller(ANYONE)
    params = _params()
    now = datetime.now(UTC)
    wanted = _filters(params, now)
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = _scope(
        "claims", _seen_by(caller), *(v for k, v in sorted(params.items()) if k != "cursor")
    )
    cursors = platform_wiring.cursors()
    found = service.page(
        wanted,
        caller,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        store=wiring.claim_repository(),
    )
    return json_response(
        {
            "claims": summaries_view(found.claims, now, masked=not caller.contacts_customers),
            "next_cursor": cursors.encode(scope, found.after),
        }
    )


@console_claims.route("/claims/technicians", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_technicians() -> Response:
    """Whom the desk can route a request to internally: the staff holding the technician
    role, by username."""
    from chalicelib.staff import wiring as staff_wiring

    _principal(DESK)
    return json_response({"technicians": staff_wiring.accounts().members(Role.TECHNICIAN)})


@console_claims.route("/claims/board", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_claims_board() -> Response:
    """Every state's column: its count and its first requests, the longest waiting first (a
    technician's or a company's own requests only)."""
    caller = _caller(ANYONE)
    params = _params()
    limit = query_int(params, "limit", BOARD_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    now = datetime.now(UTC)
    cursors = platform_wiring.cursors()
    columns = service.board(caller, limit=limit, store=wiring.claim_repository())
    seen_by = _seen_by(caller)
    return json_response(
        {
            "columns": [
                column_view(
                    c,
                    now,
                    cursors.encode(_scope("board", seen_by, c.state.value, limit), c.after),
                    masked=not caller.contacts_customers,
                )
                for c in columns
            ]
        }
    )


@console_claims.route("/claims/board/{state}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_claims_board_column(state: str) -> Response:
    """The next page of one column (``cursor`` from the board or the previous page)."""
    caller = _caller(ANYONE)
    params = _params()
    wanted = _enum({"state": state}, "state", ClaimState, "claim_state_invalid")
    if wanted is None:
        raise Invalid(fields=[FieldError("state", "claim_state_invalid")])
    limit = query_int(params, "limit", BOARD_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = _scope("board", _seen_by(caller), state, limit)
    cursors = platform_wiring.cursors()
    found = service.column(
        wanted,
        caller,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        store=wiring.claim_repository(),
    )
    position = cursors.encode(scope, found.after)
    masked = not caller.contacts_customers
    return json_response(column_view(found, datetime.now(UTC), position, masked=masked))


@console_claims.route("/claims/mine", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_my_claims() -> Response:
    """The caller's assigned requests (a technician's, a company's), latest change first."""
    caller = _caller(ANYONE)
    params = _params()
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = _scope("mine", caller.assignee_key)
    cursors = platform_wiring.cursors()
    found = service.mine(
        caller,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        store=wiring.claim_repository(),
    )
    now = datetime.now(UTC)
    return json_response(
        {
            "claims": summaries_view(found.claims, now),
            "next_cursor": cursors.encode(scope, found.after),
        }
    )


def _detail(claim_id: str, caller: Caller, status: int = 200) -> Response:
    from chalicelib.claims.photos import PHOTO_LINK_SECONDS

    found = service.detail(claim_id, caller, store=wiring.claim_repository())
    storage = platform_wiring.storage()
    links = {
        p.key: storage.download_url(p.key, expires_seconds=PHOTO_LINK_SECONDS)
        for p in found.claim.photos
        if p.state == "ready"
    }
    now = datetime.now(UTC)
    messages = [
        m
        for m in inbox(
            found.claim.customer.phone,
            now=now,
            pepper=platform_wiring.secrets().pepper,
            outbox=outbox_wiring.notification_repository(),
        )
        if m.subject == claim_id
    ]
    view = detail_view(
        found, now, _language(), links, messages[::-1], masked=not caller.contacts_customers
    )
    return json_response(view, status=status)


@console_claims.route("/claims", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def file_claim() -> Response:
    """A request staff file for a customer (201), decided at once."""
    from chalicelib.claims import schemas

    caller = _caller(DESK)
    request = parse_request(console_claims.current_request, schemas.ClaimCreateRequest)
    claim = service.create(
        request.draft(),
        caller,
        channel=Channel.CONSOLE,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        rules=wiring.rules(),
    )
    return _detail(claim.claim_id, caller, status=201)


@console_claims.route("/claims/{claim_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_claim(claim_id: str) -> Response:
    """The request's page: fields, verdict, history, costs, the caller's possible moves."""
    return _detail(claim_id, _caller(ANYONE))


@console_claims.route(
    "/claims/{claim_id}/moves", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def move_claim(claim_id: str) -> Response:
    """One move along the diagram, conditional on the version the caller read."""
    from chalicelib.claims import schemas

    caller = _caller(WORKSHOP)
    request = parse_request(console_claims.current_request, schemas.MoveRequest)
    service.move(
        claim_id,
        service.Move(
            to=ClaimState(request.to),
            version=request.version,
            note=request.note,
            expected_return=request.expected_return,
            appointment=request.appointment,
            quote_vnd=request.quote_vnd,
        ),
        caller,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        rules=wiring.rules(),
    )
    return _detail(claim_id, caller)


@console_claims.route(
    "/claims/{claim_id}", methods=["PATCH"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def edit_claim(claim_id: str) -> Response:
    """Fields corrected without a move, each change in the history."""
    from chalicelib.claims import schemas

    caller = _caller(WORKSHOP)
    request = parse_request(console_claims.current_request, schemas.EditRequest)
    service.edit(
        claim_id,
        service.Edit(
            version=request.version,
            claim_type=ClaimType(request.claim_type) if request.claim_type else None,
            expected_return=request.expected_return,
            appointment=request.appointment,
            description=request.description,
            customer_address=request.customer_address,
            customer_province=request.customer_province,
            preferred_time=request.preferred_time,
            note=request.note,
        ),
        caller,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        rules=wiring.rules(),
    )
    return _detail(claim_id, caller)


@console_claims.route(
    "/claims/{claim_id}/route", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def route_claim(claim_id: str) -> Response:
    """To a technician (internal) or a service company (outsourced): the request is routed."""
    from chalicelib.claims import schemas

    caller = _caller(DESK)
    request = parse_request(console_claims.current_request, schemas.RouteRequest)
    service.route(
        claim_id,
        request.assignee_key(),
        request.version,
        caller,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        names=wiring.assignee_name,
        rules=wiring.rules(),
        note=request.note,
    )
    return _detail(claim_id, caller)


@console_claims.route(
    "/claims/{claim_id}/verdict", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def redecide_claim(claim_id: str) -> Response:
    """Decide the verdict again, with the exclusions found (each with its reason)."""
    from chalicelib.claims import schemas

    caller = _caller(WORKSHOP)
    request = parse_request(console_claims.current_request, schemas.VerdictRequest)
    service.redecide(
        claim_id,
        request.exclusion_list(),
        request.version,
        caller,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        rules=wiring.rules(),
    )
    return _detail(claim_id, caller)


@console_claims.route(
    "/claims/{claim_id}/photos", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def start_claim_photo(claim_id: str) -> Response:
    """A presigned PUT for a photo of the request (the desk's, the assignee's)."""
    from chalicelib.catalog import schemas as catalog_schemas
    from chalicelib.claims import photos

    caller = _caller(WORKSHOP)
    service.get(claim_id, caller, store=wiring.claim_repository())
    request = parse_request(console_claims.current_request, catalog_schemas.ImageUploadRequest)
    upload = photos.start_upload(
        request.content_type, request.size, storage=platform_wiring.storage()
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@console_claims.route(
    "/claims/{claim_id}/photos/done", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def attach_claim_photos(claim_id: str) -> Response:
    """Uploaded photos added to the request; the claims stream cleans them (never this
    function)."""
    from chalicelib.claims import schemas

    caller = _caller(WORKSHOP)
    request = parse_request(console_claims.current_request, schemas.PhotosDoneRequest)
    service.attach_photos(
        claim_id,
        request.keys,
        caller,
        at=datetime.now(UTC),
        store=wiring.claim_repository(),
        storage=platform_wiring.storage(),
        rules=wiring.rules(),
    )
    return _detail(claim_id, caller)


def _written(
    claim_id: str,
    allowed: frozenset[str],
    body: type[B],
    write: Callable[[Caller, B, datetime], object],
    status: int = 200,
) -> Response:
    """A write route's frame: the caller, the body parsed, one service call, the detail."""
    caller = _caller(allowed)
    request = parse_request(console_claims.current_request, body)
    write(caller, request, datetime.now(UTC))
    return _detail(claim_id, caller, status=status)


@console_claims.route(
    "/claims/{claim_id}/override", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def override_claim_verdict(claim_id: str) -> Response:
    """The director's verdict against the engine's, with the reason."""
    from chalicelib.claims.schemas import OverrideRequest

    return _written(
        claim_id,
        DIRECTOR,
        OverrideRequest,
        lambda caller, request, at: service.override(
            claim_id, VerdictStatus(request.status), request.reason, request.version, caller,
            at=at, store=wiring.claim_repository(), rules=wiring.rules(),
        ),
    )  # fmt: skip


@console_claims.route(
    "/claims/{claim_id}/costs", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def add_claim_cost(claim_id: str) -> Response:
    """One cost or revenue line appended (201); the detail answers the totals."""
    from chalicelib.claims.schemas import CostRequest

    return _written(
        claim_id,
        WORKSHOP,
        CostRequest,
        lambda caller, request, at: service.add_cost(
            claim_id, request.cost(), caller, at=at, store=wiring.claim_repository(),
            rules=wiring.rules(),
        ),
        status=201,
    )  # fmt: skip


@console_claims.route(
    "/claims/{claim_id}/replacement", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def replace_claim_unit(claim_id: str) -> Response:
    """The unit replaced: the new one registered if needed, activated for the customer from
    today, both linked, the old one void."""
    from chalicelib.claims.schemas import ReplacementRequest

    return _written(
        claim_id,
        WORKSHOP,
        ReplacementRequest,
        lambda caller, request, at: service.record_replacement(
            claim_id, request.new_serial, request.version, caller, at=at,
            store=wiring.claim_repository(), replacer=wiring.unit_replacer(),
            rules=wiring.rules(), note=request.note,
        ),
    )  # fmt: skip


@console_claims.route("/units/{serial}/warranty-history", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_unit_warranty_history(serial: str) -> Response:
    """A unit's warranty history for staff (the desk sees the owner in full, a technician
    masked) or for its owner's "my products" session (their own requests only)."""
    owner = session_owner(console_claims.current_request)
    if owner is not None:
        return json_response(warranty_history_answer(serial, owner=owner, full=False))
    principal = _principal(HISTORY_READERS)
    return json_response(
        warranty_history_answer(serial, owner=None, full=bool(principal.roles & DESK))
    )


def session_owner(request: Request) -> str | None:
    """The owner key of a "my products" session the request carries (``None``: none, or a
    staff token)."""
    header = str(request.headers.get("authorization", ""))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return lookup.viewer_key(token.strip(), token_key=platform_wiring.secrets().lookup_token_key)


def warranty_history_answer(serial: str, *, owner: str | None, full: bool) -> dict[str, Any]:
    """The unit's history; for its owner's session only if their phone activated it (else
    ``unit_not_found``, as for a unit that does not exist), with the requests they filed."""
    from chalicelib.catalog.serials import normalize_serial
    from chalicelib.claims.history_views import warranty_history_view
    from chalicelib.dealers import wiring as dealers_wiring

    found = service.warranty_history(
        normalize_serial(serial),
        units=catalog_wiring.unit_repository(),
        store=wiring.claim_repository(),
    )
    if owner is not None:
        pepper = platform_wiring.secrets().pepper
        activation = found.unit.activation
        if activation is None or phone_key(pepper, activation.owner.phone) != owner:
            raise NotFound("unit_not_found")
        mine = [c for c in found.claims if phone_key(pepper, c.customer.phone) == owner]
        found = replace(found, claims=mine)
    return warranty_history_view(
        found, full=full, dealer_name=dealers_wiring.dealer_names().name_of
    )
