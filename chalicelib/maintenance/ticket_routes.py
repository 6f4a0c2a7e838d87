"""Maintenance visits over HTTP for staff: the desk's due list (``/maintenance/due``) and the
tickets (``/maintenance/tickets…``). The desk (admin, customer service) books, assigns,
reschedules and cancels; the director and the accountant read; a technician reads and works the
tickets assigned to them, a service company's user their company's (any other: 404)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.claims import wiring as claims_wiring
from chalicelib.core.errors import Conflict, FieldError, Invalid, NotFound
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import ticket_service
from chalicelib.maintenance import tickets as rules
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.lines import Stage
from chalicelib.maintenance.ticket_service import Caller, role_of
from chalicelib.maintenance.tickets import Change, Role, Source, Ticket, TicketStatus
from chalicelib.maintenance.views import due_line_view, ticket_summary, ticket_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Role as StaffRole
from chalicelib.platform.auth import authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
    query_int,
)

if TYPE_CHECKING:
    from chalicelib.platform.schemas import RequestBody

console_tickets = Blueprint(__name__)
B = TypeVar("B", bound="RequestBody")
CORS = cors_for(get_settings().console_url)

DESK = frozenset({StaffRole.ADMIN, StaffRole.CS})
READERS = DESK | {StaffRole.DIRECTOR, StaffRole.ACCOUNTANT}
ANYONE = READERS | {StaffRole.TECHNICIAN, StaffRole.SERVICE}
DEFAULT_LIMIT, MAX_LIMIT = 100, ticket_service.LIST_LIMIT
MAX_SPAN_DAYS = 400
MINE_DAYS_BACK = 30


def _caller(allowed: frozenset[str]) -> Caller:
    """The caller, with their own assignee key as the claims name it (the same assignees)."""
    principal = authenticate(console_tickets.current_request, get_settings(), allowed)
    claims_caller = claims_wiring.caller_of(principal)
    return Caller(claims_caller.name, claims_caller.roles, claims_caller.assignee_key)


def _params() -> dict[str, str]:
    return dict(console_tickets.current_request.query_params or {})


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


def _span(params: dict[str, str]) -> tuple[date | None, date | None]:
    first, last = _day(params, "from"), _day(params, "until")
    if first and last and not 0 <= (last - first).days <= MAX_SPAN_DAYS:
        raise Invalid(fields=[FieldError("until", "date_range_invalid")])
    return first, last


def _detail(ticket: Ticket, caller: Caller, status: int = 200) -> Response:
    from chalicelib.maintenance import ticket_photos

    role = role_of(caller, ticket)
    history = maintenance_wiring.ticket_repository().history(ticket.ticket_id)
    links = ticket_photos.links(ticket.photos, storage=platform_wiring.storage())
    view = ticket_view(
        ticket, history, contacts=role is not None, role=role.value if role else None, links=links
    )
    return json_response(view, status=status, headers={"Cache-Control": "no-store"})


@console_tickets.route("/maintenance/due", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_maintenance_due() -> Response:
    """The desk's due list: the lines in one ``stage`` (overdue, reminded, reminded_again,
    waiting, booked) by due day, within ``from``–``until``."""
    _caller(READERS | {StaffRole.DIRECTOR})
    params = _params()
    try:
        stage = Stage(params.get("stage", Stage.OVERDUE.value))
    except ValueError:
        raise Invalid(fields=[FieldError("stage", "maintenance_stage_invalid")]) from None
    first, last = _span(params)
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    lines = maintenance_wiring.line_repository().by_stage(
        stage, due_from=first, due_until=last, limit=limit
    )
    units = catalog_wiring.unit_repository().find_many(line.serial for line in lines)
    return json_response({"lines": [due_line_view(line, units.get(line.serial)) for line in lines]})


@console_tickets.route("/maintenance/digest", methods=["GET"], cors=CORS)
@maps_domain_errors
def maintenance_digest() -> Response:
    """Today's figures, as the desk's daily message gives them: visits booked today, tickets
    not yet assigned, customers yet to answer, visits overdue, parts short."""
    from chalicelib.maintenance import digest

    _caller(READERS)
    figures = digest.gather(
        business_day(datetime.now(UTC)),
        tickets=maintenance_wiring.ticket_repository(),
        lines=maintenance_wiring.line_repository(),
        stock=maintenance_wiring.stock_repository(),
    )
    return json_response(
        {"day": figures.day.isoformat(), "visits_today": figures.visits_today,
         "unassigned": figures.unassigned, "awaiting": figures.awaiting,
         "overdue": figures.overdue, "short_parts": figures.short_parts, "cap": digest.CAP},
        headers={"Cache-Control": "no-store"},
    )  # fmt: skip


@console_tickets.route("/maintenance/tickets", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_maintenance_tickets() -> Response:
    """Tickets by slot day: a ``status``'s (the desk, the readers), or the caller's own
    (``mine=1``, or always for a technician or a company's user), within ``from``–``until``."""
    caller = _caller(ANYONE)
    params = _params()
    first, last = _span(params)
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    repository = maintenance_wiring.ticket_repository()
    if params.get("mine") == "1" or not caller.reads_all:
        if not caller.assignee_key:
            raise Invalid(fields=[FieldError("mine", "maintenance_no_assignee")])
        # the caller's own from a month back (what is still to do, and what they just did)
        since = first or business_day(datetime.now(UTC)) - timedelta(days=MINE_DAYS_BACK)
        found = repository.of_assignee(
            caller.assignee_key, day_from=since, day_until=last, limit=limit
        )
        raw = params.get("status")
        found = [t for t in found if not raw or t.status.value == raw]
    else:
        try:
            status = TicketStatus(params.get("status", TicketStatus.NEW.value))
        except ValueError:
            raise Invalid(fields=[FieldError("status", "maintenance_status_invalid")]) from None
        found = repository.by_status(status, day_from=first, day_until=last, limit=limit)
    return json_response(
        {"tickets": [ticket_summary(t, contacts=role_of(caller, t) is not None) for t in found]},
        headers={"Cache-Control": "no-store"},
    )


@console_tickets.route(
    "/maintenance/tickets", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def create_maintenance_ticket() -> Response:
    """The desk books a visit for a unit's component: the line is booked and its ticket
    opened in one write (201)."""
    from chalicelib.maintenance import schemas

    caller = _caller(DESK)
    request = parse_request(console_tickets.current_request, schemas.NewTicketRequest)
    serial = request.serial.strip().upper()
    line = maintenance_wiring.line_repository().find(serial, request.component)
    unit = catalog_wiring.unit_repository().find(serial)
    if line is None or unit is None:
        raise NotFound("maintenance_not_found")
    if request.claim_id:
        _claim_of(request.claim_id, serial, caller)
    now = datetime.now(UTC)
    _, ticket = ticket_service.book_visit(
        line,
        request.slot(),
        source=Source.CLAIM if request.claim_id else Source.MANAGER,
        customer=ticket_service.customer_of(unit),
        by=caller.name,
        today=business_day(now),
        at=now,
        tickets=maintenance_wiring.ticket_repository(),
        claim_id=request.claim_id,
    )
    logger.info("maintenance ticket opened", extra={"ticket_id": ticket.ticket_id, "by": "desk"})
    response = _detail(ticket, caller)
    response.status_code = 201
    return response


def _claim_of(claim_id: str, serial: str, caller: Caller) -> None:
    """The service request a visit is booked from: one the desk reads, for the same unit."""
    from chalicelib.claims import service as claims_service
    from chalicelib.claims.model import Caller as ClaimCaller

    claim = claims_service.get(
        claim_id, ClaimCaller(caller.name, caller.roles), store=claims_wiring.claim_repository()
    )
    if claim.serial != serial:
        raise Invalid(fields=[FieldError("claim_id", "maintenance_claim_other_unit")])


@console_tickets.route("/maintenance/tickets/{ticket_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_maintenance_ticket(ticket_id: str) -> Response:
    caller = _caller(ANYONE)
    ticket = ticket_service.visible(
        ticket_id, caller, tickets=maintenance_wiring.ticket_repository()
    )
    return _detail(ticket, caller)


Move = Callable[[Ticket, Role | None, str, datetime, date], tuple[Ticket, Change]]


def _move(ticket_id: str, body: type[B], make: Callable[[B, Caller], Move]) -> Response:
    """Read the ticket (404 unless the caller may), check the body's version, apply the move
    and save it; the ticket's page as it is now."""
    caller = _caller(ANYONE)
    request = parse_request(console_tickets.current_request, body)
    tickets = maintenance_wiring.ticket_repository()
    ticket = ticket_service.visible(ticket_id, caller, tickets=tickets)
    if ticket.version != request.version:  # type: ignore[attr-defined]
        raise Conflict("maintenance_ticket_changed")
    now = datetime.now(UTC)
    today = business_day(now)
    move = make(request, caller)
    after = ticket_service.change(
        ticket,
        lambda t, role: move(t, role, caller.name, now, today),
        caller,
        today=today,
        at=now,
        tickets=tickets,
        lines=maintenance_wiring.line_repository(),
    )
    logger.info(
        "maintenance ticket changed",
        extra={"ticket_id": after.ticket_id, "status": after.status.value},
    )
    return _detail(after, caller)


def _route(action: str) -> str:
    return f"/maintenance/tickets/{{ticket_id}}/{action}"


@console_tickets.route(
    _route("assign"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def assign_maintenance_ticket(ticket_id: str) -> Response:
    """To a technician (``tech#<username>``) or a partner company (``company#<id>``)."""
    from chalicelib.maintenance import schemas

    def make(request: schemas.AssignRequest, caller: Caller) -> Move:
        name = claims_wiring.assignee_name(request.assignee)
        if name is None:
            raise Invalid(fields=[FieldError("assignee", "maintenance_assignee_unknown")])
        return lambda t, role, by, at, _today: rules.assign(
            t, request.assignee, name, role=role, by=by, at=at
        )

    return _move(ticket_id, schemas.AssignRequest, make)


@console_tickets.route(
    _route("reschedule"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def reschedule_maintenance_ticket(ticket_id: str) -> Response:
    from chalicelib.maintenance import schemas

    def make(request: schemas.RescheduleRequest, caller: Caller) -> Move:
        return lambda t, role, by, at, today: rules.reschedule(
            t, request.slot(), today, role=role, by=by, at=at
        )

    return _move(ticket_id, schemas.RescheduleRequest, make)


@console_tickets.route(_route("start"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_maintenance_ticket(ticket_id: str) -> Response:
    """The assignee is on site."""
    from chalicelib.maintenance import schemas

    def make(request: schemas.TicketVersion, caller: Caller) -> Move:
        return lambda t, role, by, at, _today: rules.start(t, role=role, by=by, at=at)

    return _move(ticket_id, schemas.TicketVersion, make)


@console_tickets.route(_route("work"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def record_maintenance_work(ticket_id: str) -> Response:
    """The visit's record: the checklist ticked, notes, labour, the payment collected (held by
    the ticket's assignee), who confirmed for the customer."""
    from chalicelib.maintenance import schemas

    def make(request: schemas.WorkRequest, caller: Caller) -> Move:
        def move(
            t: Ticket, role: Role | None, by: str, at: datetime, _today: date
        ) -> tuple[Ticket, Change]:
            work = request.to_work(t.assignee_key or "")
            return rules.record_work(t, work, role=role, by=by, at=at)

        return move

    return _move(ticket_id, schemas.WorkRequest, make)


@console_tickets.route(
    _route("complete"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def complete_maintenance_ticket(ticket_id: str) -> Response:
    """Done (the checklist ticked, the customer's confirmation, the payment when owed): the
    unit's line waits for its next visit."""
    from chalicelib.maintenance import schemas

    def make(request: schemas.TicketVersion, caller: Caller) -> Move:
        return lambda t, role, by, at, today: rules.complete(t, today, role=role, by=by, at=at)

    return _move(ticket_id, schemas.TicketVersion, make)


@console_tickets.route(
    _route("cancel"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def cancel_maintenance_ticket(ticket_id: str) -> Response:
    """Cancelled with a reason: the visit is open again on the unit's line."""
    from chalicelib.maintenance import schemas

    def make(request: schemas.CancelRequest, caller: Caller) -> Move:
        return lambda t, role, by, at, _today: rules.cancel(
            t, request.reason, role=role, by=by, at=at
        )

    return _move(ticket_id, schemas.CancelRequest, make)


@console_tickets.route("/maintenance/tickets/{ticket_id}/qr.svg", methods=["GET"], cors=CORS)
@maps_domain_errors
def maintenance_ticket_qr(ticket_id: str) -> Response:
    """The printed ticket's QR code (SVG, 24 mm): the ticket's page in the console, which the
    technician opens on a phone (signed in: the link itself grants nothing)."""
    from chalicelib.labels import qr_codes

    caller = _caller(ANYONE)
    ticket = ticket_service.visible(
        ticket_id, caller, tickets=maintenance_wiring.ticket_repository()
    )
    url = f"{get_settings().console_url.rstrip('/')}/maintenance/tickets/{ticket.ticket_id}"
    return Response(
        body=qr_codes.svg(url, size_mm=24, border=4).decode("utf-8"),
        status_code=200,
        headers={"Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store"},
    )


def _with_ticket(ticket_id: str, version: int) -> tuple[Caller, Ticket]:
    caller = _caller(ANYONE)
    ticket = ticket_service.visible(
        ticket_id, caller, tickets=maintenance_wiring.ticket_repository()
    )
    if ticket.version != version:
        raise Conflict("maintenance_ticket_changed")
    return caller, ticket


@console_tickets.route(_route("parts"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def use_maintenance_part(ticket_id: str) -> Response:
    """A spare part used on the visit, taken from a place's stock in the ticket's own write
    (409 ``stock_not_enough`` when the place has less)."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_tickets.current_request, schemas.UsePartRequest)
    caller, ticket = _with_ticket(ticket_id, request.version)
    after = ticket_service.use_part(
        ticket,
        caller,
        part_code=request.part_code,
        qty=request.qty,
        location_id=request.location,
        at=datetime.now(UTC),
        stock=maintenance_wiring.stock_repository(),
        tickets=maintenance_wiring.ticket_repository(),
    )
    logger.info(
        "maintenance part used",
        extra={"ticket_id": after.ticket_id, "part": request.part_code, "qty": request.qty},
    )
    return _detail(after, caller)


@console_tickets.route(
    _route("parts/return"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def return_maintenance_part(ticket_id: str) -> Response:
    """The part at ``index`` taken back: it returns to the place it came from."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_tickets.current_request, schemas.ReturnPartRequest)
    caller, ticket = _with_ticket(ticket_id, request.version)
    after = ticket_service.return_part(
        ticket,
        caller,
        request.index,
        at=datetime.now(UTC),
        tickets=maintenance_wiring.ticket_repository(),
    )
    return _detail(after, caller)


@console_tickets.route(
    _route("photos"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def start_maintenance_photo(ticket_id: str) -> Response:
    """A presigned PUT for a photo of the visit (JPEG, PNG or WebP, at most 5 MB), for the
    assignee or the desk while the ticket is open and has room."""
    from chalicelib.catalog import schemas as catalog_schemas
    from chalicelib.maintenance import ticket_photos

    caller = _caller(ANYONE)
    ticket = ticket_service.visible(
        ticket_id, caller, tickets=maintenance_wiring.ticket_repository()
    )
    rules.check_photo(ticket, role_of(caller, ticket))
    request = parse_request(console_tickets.current_request, catalog_schemas.ImageUploadRequest)
    upload = ticket_photos.start_upload(
        ticket.ticket_id, request.content_type, request.size, storage=platform_wiring.storage()
    )
    return json_response(
        {"key": upload.key, "upload": {"url": upload.url, "headers": upload.headers}}, status=201
    )


@console_tickets.route(
    _route("photos/done"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def add_maintenance_photo(ticket_id: str) -> Response:
    """The uploaded photo checked, stored without metadata and added to the ticket."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_tickets.current_request, schemas.PhotoDoneRequest)
    caller, ticket = _with_ticket(ticket_id, request.version)
    after = ticket_service.add_photo(
        ticket,
        caller,
        request.key,
        at=datetime.now(UTC),
        storage=platform_wiring.storage(),
        tickets=maintenance_wiring.ticket_repository(),
    )
    logger.info("maintenance photo added", extra={"ticket_id": after.ticket_id,
                                                  "photos": len(after.photos)})  # fmt: skip
    return _detail(after, caller)


@console_tickets.route(
    _route("photos/remove"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def remove_maintenance_photo(ticket_id: str) -> Response:
    """A photo taken off the open ticket."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_tickets.current_request, schemas.PhotoDoneRequest)
    caller, ticket = _with_ticket(ticket_id, request.version)
    after = ticket_service.remove_photo(
        ticket, caller, request.key, at=datetime.now(UTC),
        tickets=maintenance_wiring.ticket_repository(),
    )  # fmt: skip
    return _detail(after, caller)
