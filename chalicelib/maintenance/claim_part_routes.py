"""Spare parts on a service request over HTTP (``/claims/{claim_id}/parts…``): served by the
stock's owner, written through the claims' own use case (:func:`chalicelib.claims.service.
add_cost`) so the part's movement and the request's cost line are one transaction. The desk
takes from any place; the request's assignee from their own (a technician: a warehouse or
their van; a partner company: its own place)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.claims import service as claims_service
from chalicelib.claims import wiring as claims_wiring
from chalicelib.claims.model import AlsoWrite, Caller, Claim
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.maintenance import claim_parts
from chalicelib.maintenance import wiring as maintenance_wiring
from chalicelib.maintenance.claim_parts import ClaimPart
from chalicelib.maintenance.stock_repository import stock_writes
from chalicelib.maintenance.views import movement_view
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    maps_domain_errors,
    parse_request,
)

console_claim_parts = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

WORKSHOP = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.TECHNICIAN, Role.SERVICE})


def _caller() -> Caller:
    principal = authenticate(console_claim_parts.current_request, get_settings(), WORKSHOP)
    return claims_wiring.caller_of(principal)


def _write(claim_id: str, make: Callable[[Claim, Caller, datetime], ClaimPart]) -> Response:
    """The request read (404 unless the caller may see it), the part worked out, then the cost
    line and the movement written together (409 ``stock_not_enough`` when the place has
    less, ``claim_changed`` when the request moved meanwhile)."""
    caller = _caller()
    store = claims_wiring.claim_repository()
    claim = claims_service.get(claim_id, caller, store=store)
    now = datetime.now(UTC)
    part = make(claim, caller, now)

    def also(_: Claim) -> AlsoWrite:
        return AlsoWrite(lambda tx: stock_writes(tx, part.movement, now), "stock_not_enough")

    after = claims_service.add_cost(
        claim.claim_id, part.cost, caller, at=now, store=store, rules=claims_wiring.rules(),
        also=also,
    )  # fmt: skip
    logger.info(
        "claim part moved",
        extra={"claim_id": after.claim_id, "kind": part.movement.kind.value,
               "part": part.movement.part_code, "qty": part.movement.qty},
    )  # fmt: skip
    body: dict[str, Any] = {
        "claim_id": after.claim_id,
        "version": after.version,
        "movement": movement_view(part.movement),
    }
    return json_response(body, status=201)


def _assignee_key(caller: Caller) -> str | None:
    """The desk takes from anywhere (``None``); anyone else as the assignee."""
    return None if caller.desk else caller.assignee_key or "none#"


@console_claim_parts.route(
    "/claims/{claim_id}/parts", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def use_claim_part(claim_id: str) -> Response:
    """A spare part used on the request: it leaves the place's stock and becomes the request's
    cost line (its cost, and who pays), in one transaction."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_claim_parts.current_request, schemas.ClaimPartRequest)
    return _write(
        claim_id,
        lambda claim, caller, at: claim_parts.use(
            claim, request.version, request.part_code, request.qty, request.location,
            request.payer, assignee_key=_assignee_key(caller), by=caller.name, at=at,
            stock=maintenance_wiring.stock_repository(),
        ),
    )  # fmt: skip


@console_claim_parts.route(
    "/claims/{claim_id}/parts/return", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def return_claim_part(claim_id: str) -> Response:
    """Some of a part the request holds taken back to a place (a negative cost line)."""
    from chalicelib.maintenance import schemas

    request = parse_request(console_claim_parts.current_request, schemas.ClaimPartReturnRequest)
    return _write(
        claim_id,
        lambda claim, caller, at: claim_parts.give_back(
            claim, request.version, request.part_code, request.qty, request.location,
            assignee_key=_assignee_key(caller), by=caller.name, at=at,
            stock=maintenance_wiring.stock_repository(),
        ),
    )  # fmt: skip
