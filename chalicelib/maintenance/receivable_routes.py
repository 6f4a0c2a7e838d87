"""Maintenance receivables over HTTP (``/receivables…``): a month's lines and its collectors, the
accountant's steps on a line (collected, handed over, reconciled), the month's close and its
Excel export. The accountant and the admin act; the director reads."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import receivables as rules
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.receivables import Receivable
from chalicelib.maintenance.tickets import is_ticket_id
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
)
from chalicelib.platform.views import iso_time

console_receivables = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

ACCOUNTING = frozenset({Role.ADMIN, Role.ACCOUNTANT})
READERS = ACCOUNTING | {Role.DIRECTOR}
EXPORT_LINK_SECONDS = 15 * 60


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_receivables.current_request, get_settings(), allowed)


def _line_view(r: Receivable) -> dict[str, Any]:
    return {
        "ticket_id": r.ticket_id,
        "serial": r.serial,
        "customer_name": r.customer_name,
        "done_on": r.done_on.isoformat(),
        "amount_vnd": r.amount_vnd,
        "collected_vnd": r.collected_vnd,
        "method": r.method,
        "holder": r.holder,
        "holder_name": r.holder_name,
        "remitted_vnd": r.remitted_vnd,
        "remitted_on": r.remitted_on.isoformat() if r.remitted_on else None,
        "difference_vnd": r.difference_vnd,
        "parts_cost_vnd": r.parts_cost_vnd,
        "reconciled_by": r.reconciled_by,
        "status": r.status.value,
        "version": r.version,
    }


def _month_view(month: str) -> dict[str, Any]:
    repository = maintenance_wiring.receivable_repository()
    lines = repository.of_month(month)
    state = repository.month(month)
    return {
        "month": month,
        "closed": state.closed,
        "closed_at": iso_time(state.closed_at) if state.closed_at else None,
        "closed_by": state.closed_by,
        "lines": [_line_view(x) for x in lines],
        "collectors": [c.__dict__ for c in rules.collectors(lines)],
        "totals": {
            "amount_vnd": sum(x.amount_vnd for x in lines),
            "collected_vnd": sum(x.collected_vnd for x in lines),
            "remitted_vnd": sum(x.remitted_vnd or 0 for x in lines),
            "parts_cost_vnd": sum(x.parts_cost_vnd for x in lines),
            "reconciled": sum(x.status is rules.ReceivableStatus.RECONCILED for x in lines),
        },
    }


@console_receivables.route("/receivables/{month}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_receivables(month: str) -> Response:
    """A month's lines, its collectors (what each collected, handed over, still holds, the
    differences) and its totals; whether it is closed."""
    _staff(READERS)
    return json_response(
        _month_view(rules.parse_month(month)), headers={"Cache-Control": "no-store"}
    )


def _step(month: str, ticket_id: str, body: type[Any], make: Callable[..., Receivable]) -> Response:
    principal = _staff(ACCOUNTING)
    request = parse_request(console_receivables.current_request, body)
    month = rules.parse_month(month)
    repository = maintenance_wiring.receivable_repository()
    line = repository.get(month, ticket_id) if is_ticket_id(ticket_id) else None
    if line is None:
        raise NotFound("receivables_line_not_found")
    if line.version != request.version:
        raise Conflict("receivables_changed")
    now = datetime.now(UTC)
    after = make(line, request, principal.username, business_day(now))
    repository.save(after, before=line, by=principal.username, at=now)
    return json_response(_month_view(month))


def _path(action: str) -> str:
    return f"/receivables/{{month}}/{{ticket_id}}/{action}"


@console_receivables.route(
    _path("collect"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def collect_receivable(month: str, ticket_id: str) -> Response:
    """An open line collected after the visit (cash, or a transfer to the company)."""
    from chalicelib.maintenance import schemas

    return _step(
        month,
        ticket_id,
        schemas.CollectRequest,
        lambda r, q, by, _today: rules.collect(r, q.amount_vnd, q.method, "", ""),
    )


@console_receivables.route(
    _path("remit"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def remit_receivable(month: str, ticket_id: str) -> Response:
    """What the holder handed over (``on``: the day, today by default)."""
    from chalicelib.maintenance import schemas

    return _step(
        month,
        ticket_id,
        schemas.RemitRequest,
        lambda r, q, by, today: rules.remit(r, q.amount_vnd, q.on or today, by),
    )


@console_receivables.route(
    _path("reconcile"), methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def reconcile_receivable(month: str, ticket_id: str) -> Response:
    """Checked: a line handed over, or paid by transfer straight to the company."""
    from chalicelib.maintenance import schemas

    return _step(
        month,
        ticket_id,
        schemas.ReceivableVersion,
        lambda r, q, by, today: rules.reconcile(r, by, today),
    )


@console_receivables.route("/receivables/{month}/close", methods=["POST"], cors=CORS)
@maps_domain_errors
def close_receivables(month: str) -> Response:
    """The month closed: a past month whose every line is reconciled; locked afterwards."""
    principal = _staff(ACCOUNTING)
    month = rules.parse_month(month)
    repository = maintenance_wiring.receivable_repository()
    lines = repository.of_month(month)
    now = datetime.now(UTC)
    rules.check_closable(month, lines, business_day(now))
    repository.close(month, lines, by=principal.username, at=now)
    return json_response(_month_view(month))


@console_receivables.route("/receivables/{month}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_receivables(month: str) -> Response:
    """The month as an Excel file: a download link valid for 15 minutes."""
    from chalicelib.maintenance.receivable_export import XLSX, write_receivables

    _staff(READERS)
    month = rules.parse_month(month)
    lines = maintenance_wiring.receivable_repository().of_month(month)
    filename = f"receivables-{month}.xlsx"
    key = f"exports/receivables/{uuid.uuid4().hex}.xlsx"
    storage = platform_wiring.storage()
    with tempfile.TemporaryFile() as out:
        rows = write_receivables(
            out,
            month,
            lines,
            rules.collectors(lines),
            language=language_of(console_receivables.current_request),
        )
        storage.upload_from(key, out, content_type=XLSX, filename=filename)
    url = storage.download_url(key, expires_seconds=EXPORT_LINK_SECONDS)
    return json_response({"rows": rows, "filename": filename, "url": url})
