"""Ownership transfer over HTTP. The owner, signed in on "my products" (the lookup token):
``POST /public/my-units/{serial}/transfer`` (start: a code to the new owner's phone), ``GET`` it
(the pending one), ``POST …/transfer/cancel``. The new owner, from the link in their message:
``POST /public/transfers/accept`` (their phone, the code, their name and consents)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

from chalice.app import Blueprint, Response

from chalicelib.activation import lookup
from chalicelib.catalog import transfer
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import Invalid, NotFound, TooManyRequests
from chalicelib.core.phone import phone_key
from chalicelib.core.settings import get_settings
from chalicelib.outbox import wiring as outbox_wiring
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

public_transfers = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)
PATH = "/public/my-units/{serial}/transfer"
STARTS_PER_MINUTE = 5  # per client IP
CODES_PER_PHONE_PER_DAY = 5  # transfer codes to one phone a (UTC) day


def _owner_key() -> str:
    return lookup.owner_from_token(
        bearer_token(public_transfers.current_request),
        token_key=platform_wiring.secrets().lookup_token_key,
    )


def _serial(raw: str) -> str:
    try:
        return normalize_serial(raw)
    except Invalid:
        raise NotFound("unit_not_found") from None


def _limit_codes(phone: str, now: datetime) -> None:
    """Codes cost an SMS: at most ``STARTS_PER_MINUTE`` starts a minute from one client, and
    ``CODES_PER_PHONE_PER_DAY`` codes a day to one phone (``transfer_rate_limited``)."""
    secrets = platform_wiring.secrets()
    limits = platform_wiring.rate_limits()
    throttle(
        public_transfers.current_request,
        "transfer",
        pepper=secrets.pepper,
        limits=limits,
        refusal="transfer_rate_limited",
        limit=STARTS_PER_MINUTE,
    )
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(), UTC)
    bucket = f"transfer-to#{phone_key(secrets.pepper, phone)}#{now.date().isoformat()}"
    if not limits.hit(bucket, limit=CODES_PER_PHONE_PER_DAY, window_ends=tomorrow):
        wait = int((tomorrow - now).total_seconds()) + 1
        raise TooManyRequests("transfer_rate_limited", retry_after=wait)


def _view(pending: transfer.PendingTransfer | None) -> dict[str, object]:
    if pending is None:
        return {"transfer": None}
    return {
        "transfer": {
            "serial": pending.serial,
            "new_phone_masked": pending.to_masked,
            "issued_at": pending.issued_at.isoformat(),
            "expires_at": pending.expires_at.isoformat(),
        }
    }


def _context(model_code: str, now: datetime) -> transfer.MessageContext:
    settings = get_settings()
    brand = catalog_wiring.brand_repository().get(settings.brand_id)
    model = catalog_wiring.model_cache().get(model_code)
    return transfer.MessageContext(
        brand_id=settings.brand_id,
        pepper=platform_wiring.secrets().pepper,
        hotline=brand.hotline_or(settings.hotline),
        model_name=model.name,
        now=now,
    )


@public_transfers.route(PATH, methods=["GET"], cors=CORS)
@maps_domain_errors
def read_my_transfer(serial: str) -> Response:
    """The owner's pending transfer of this unit (``{"transfer": null}`` when none)."""
    pending = transfer.pending_of(
        _serial(serial),
        _owner_key(),
        now=datetime.now(UTC),
        pepper=platform_wiring.secrets().pepper,
        units=catalog_wiring.unit_repository(),
        transfers=catalog_wiring.transfer_repository(),
    )
    return json_response(_view(pending))


@public_transfers.route(PATH, methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def start_my_transfer(serial: str) -> Response:
    """202 once the code to the new owner is queued (a start replaces any pending one)."""
    from chalicelib.catalog import schemas  # pydantic: loaded by body routes on first use

    body = parse_request(public_transfers.current_request, schemas.TransferStart)
    now = datetime.now(UTC)
    _limit_codes(body.new_phone, now)
    started = transfer.start(
        _serial(serial),
        _owner_key(),
        body.new_phone,
        language=body.language,
        now=now,
        pepper=platform_wiring.secrets().pepper,
        units=catalog_wiring.unit_repository(),
        transfers=catalog_wiring.transfer_repository(),
    )
    url = f"{get_settings().portal_url}/transfer?s={quote(started.transfer.serial)}"
    context = _context(started.unit.model_code, now)
    outbox_wiring.notification_repository().add(
        transfer.code_message(started, body.new_phone, url, context)
    )
    return json_response(_view(started.transfer), 202)


@public_transfers.route(
    f"{PATH}/cancel", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def cancel_my_transfer(serial: str) -> Response:
    """The pending transfer withdrawn (its code no longer works)."""
    found = _serial(serial)
    owner_key = _owner_key()
    transfer.pending_of(
        found,
        owner_key,
        now=datetime.now(UTC),
        pepper=platform_wiring.secrets().pepper,
        units=catalog_wiring.unit_repository(),
        transfers=catalog_wiring.transfer_repository(),
    )  # 404 unless the unit is the caller's
    catalog_wiring.transfer_repository().cancel(found, owner_key)
    return json_response({"transfer": None})


@public_transfers.route(
    "/public/transfers/accept", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def accept_transfer() -> Response:
    """The new owner's confirmation: the unit is theirs, its warranty as it was."""
    from chalicelib.catalog import schemas

    body = parse_request(public_transfers.current_request, schemas.TransferAccept)
    now = datetime.now(UTC)
    serial = _serial(body.serial)
    accepted = transfer.accept(
        serial,
        body.code,
        body.owner(),
        body.consent_grants(),
        language=body.language,
        now=now,
        pepper=platform_wiring.secrets().pepper,
        units=catalog_wiring.unit_repository(),
        transfers=catalog_wiring.transfer_repository(),
    )
    context = _context(accepted.unit.model_code, now)
    outbox = outbox_wiring.notification_repository()
    for message in transfer.done_messages(accepted, body.language, context):
        outbox.add(message)
    activation = accepted.unit.activation
    return json_response(
        {
            "serial": serial,
            "model_name": context.model_name,
            "warranty_end": activation.warranty_end.isoformat() if activation else None,
        }
    )
