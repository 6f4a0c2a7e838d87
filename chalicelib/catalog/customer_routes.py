"""Staff routes for customers: find one by phone, name or serial; their page (units, consents,
messages), masked; the full name and phone on a recorded reveal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalice.app import Blueprint, Request, Response

from chalicelib.catalog import customers
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.customer_views import (
    customer_profile_view,
    customer_summary_view,
    revealed_customer_view,
)
from chalicelib.catalog.customers import CustomerPage, SearchMode
from chalicelib.catalog.serials import normalize_serial
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors, query_int

if TYPE_CHECKING:
    from chalicelib.outbox.model import OutboundMessage

console_customers = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

# Customer service and the admin find customers and may see who they are (each reveal
# recorded); the director reads the masked pages; technicians and accountants have no use for
# a customer list (docs/api.md, roles).
READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR})
REVEALERS = frozenset({Role.ADMIN, Role.CS})
DEFAULT_LIMIT, MAX_LIMIT = 20, 50
_QUERY = frozenset({"phone", "name", "serial", "limit", "cursor"})
CURSOR_SCOPE = "customers"


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_customers.current_request, get_settings(), allowed)


def _query() -> dict[str, str]:
    params: dict[str, str] = dict(console_customers.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    return params


def _request_id(request: Request) -> str:
    """The invocation's id (Lambda's, else API Gateway's): the source of an audit entry."""
    context = getattr(request, "lambda_context", None)
    request_id = getattr(context, "aws_request_id", None) or request.context.get("requestId")
    if not request_id:
        raise RuntimeError("a request without an id cannot be audited")
    return str(request_id)


def _search(mode: SearchMode, value: str, params: dict[str, str]) -> CustomerPage:
    pepper = platform_wiring.secrets().pepper
    store = catalog_wiring.customer_repository()
    if mode is SearchMode.NAME:
        limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
        position = platform_wiring.cursors().decode(CURSOR_SCOPE, params.get("cursor"))
        after = position["after"]["S"] if position and "after" in position else None
        return customers.find_by_name(value, limit=limit, after=after, customers=store)
    if "cursor" in params:  # one customer at most: there is no next page
        raise Invalid(fields=[FieldError("cursor", "cursor_invalid")])
    if mode is SearchMode.PHONE:
        return customers.find_by_phone(value, pepper=pepper, customers=store)
    try:
        serial = normalize_serial(value)
    except Invalid:
        raise Invalid(fields=[FieldError("serial", "serial_invalid")]) from None
    return customers.find_by_serial(
        serial, pepper=pepper, customers=store, units=catalog_wiring.unit_repository()
    )


@console_customers.route("/customers", methods=["GET"], cors=CORS)
@maps_domain_errors
def search_customers() -> Response:
    """``GET /customers?phone=0912345678`` | ``?name=tran thi`` | ``?serial=GAR000000019``."""
    _staff(READERS)
    params = _query()
    mode, value = customers.search_mode(params)
    page = _search(mode, value, params)
    cursor = None if page.after is None else {"after": {"S": page.after}}
    return json_response(
        {
            "customers": [customer_summary_view(c) for c in page.customers],
            "next_cursor": platform_wiring.cursors().encode(CURSOR_SCOPE, cursor),
        }
    )


@console_customers.route("/customers/{customer_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_customer(customer_id: str) -> Response:
    from chalicelib.messaging import message_log  # the outbox: loaded by the first call
    from chalicelib.outbox import wiring as outbox_wiring

    _staff(READERS)
    now = datetime.now(UTC)

    def messages_to(recipient_key: str) -> list[OutboundMessage]:
        page = message_log.messages_to(
            get_settings().brand_id,
            recipient_key,
            status=None,
            now=now,
            log=outbox_wiring.notification_repository(),
        )
        return page.messages

    found = customers.profile(
        customer_id,
        customers=catalog_wiring.customer_repository(),
        units=catalog_wiring.unit_repository(),
        messages=messages_to,
    )
    return json_response(customer_profile_view(found, business_day(now)))


@console_customers.route("/customers/{customer_id}/reveal", methods=["POST"], cors=CORS)
@maps_domain_errors
def reveal_customer(customer_id: str) -> Response:
    """The full name and phone, for customer service on a call; recorded in the audit trail."""
    from chalicelib.audit import wiring as audit_wiring

    principal = _staff(REVEALERS)
    customer = customers.reveal(
        customer_id,
        by=principal.username,
        source=_request_id(console_customers.current_request),
        now=datetime.now(UTC),
        customers=catalog_wiring.customer_repository(),
        audit=audit_wiring.audit_trail(),
    )
    return json_response(revealed_customer_view(customer))
