"""Staff routes for the accountant's payouts (``/payouts``): the withholding setting, the
batches (a preview, creation, one batch with its lines, its Excel export) and each line paid or
failed. The accountant and admin write; the director reads."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.partners import payout_service, service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.payout_service import BatchDetail
from chalicelib.partners.payout_views import (
    batch_view,
    draft_view,
    line_view,
    setting_view,
    settings_view,
)
from chalicelib.partners.payouts import LineState
from chalicelib.partners.reward_service import Messaging
from chalicelib.partners.routes import request_id
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

console_payouts = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

PAYOUT_READERS = frozenset({Role.ADMIN, Role.ACCOUNTANT, Role.DIRECTOR})
PAYOUT_WRITERS = frozenset({Role.ADMIN, Role.ACCOUNTANT})
EXPORT_LINK_SECONDS = 15 * 60
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
# What the API function (10 s, ≈ 0.3 vCPU) takes within its time: ~2 ms of CPU an entry on a
# full core (bench/payouts.py: 20 s for 10,000). A larger batch is refused (name fewer months),
# never timed out; a longer one needs the job (docs/architecture.md, "Payouts").
BATCH_SYNC_LIMIT = 1000
MAX_BODY = 4096


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_payouts.current_request, get_settings(), allowed)


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username, datetime.now(UTC), request_id(console_payouts.current_request)
    )


def _detail_view(detail: BatchDetail) -> dict[str, object]:
    return {"batch": batch_view(detail.batch), "lines": [line_view(x) for x in detail.lines]}


@console_payouts.route("/payouts/settings", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_payout_settings() -> Response:
    """The withholding setting in effect today and every version, newest first."""
    _staff(PAYOUT_READERS)
    found = payout_service.read_settings(
        business_day(datetime.now(UTC)), settings=partner_wiring.payout_settings()
    )
    return json_response(settings_view(found))


@console_payouts.route(
    "/payouts/settings", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def confirm_payout_setting() -> Response:
    """The accountant confirms a new version of the withholding setting (201)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(PAYOUT_WRITERS)
    request = parse_request(console_payouts.current_request, schemas.PayoutSettingRequest, MAX_BODY)
    setting = payout_service.confirm_setting(
        request.terms(),
        _change(principal),
        settings=partner_wiring.payout_settings(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response({"setting": setting_view(setting)}, status=201)


@console_payouts.route("/payouts", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_payout_batches() -> Response:
    """``GET /payouts?limit=``: the newest batches."""
    _staff(PAYOUT_READERS)
    params: dict[str, str] = dict(console_payouts.current_request.query_params or {})
    unknown = sorted(set(params) - {"limit"})
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    batches = payout_service.list_batches(limit, payouts=partner_wiring.payout_repository())
    return json_response({"batches": [batch_view(b) for b in batches]})


@console_payouts.route(
    "/payouts/preview", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def preview_payout_batch() -> Response:
    """What a batch made now would pay (its lines and totals, who is carried): nothing is
    written."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    _staff(PAYOUT_READERS)
    request = parse_request(console_payouts.current_request, schemas.PayoutBatchRequest, MAX_BODY)
    found = payout_service.draft(
        request.periods,
        business_day(datetime.now(UTC)),
        settings=partner_wiring.payout_settings(),
        payouts=partner_wiring.payout_repository(),
        partners=partner_wiring.partner_repository(),
    )
    return json_response(draft_view(found))


@console_payouts.route("/payouts", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS)
@maps_domain_errors
def create_payout_batch() -> Response:
    """A batch of what the locked months owe (201); a batch left ``creating`` is resumed."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(PAYOUT_WRITERS)
    request = parse_request(console_payouts.current_request, schemas.PayoutBatchRequest, MAX_BODY)
    change = _change(principal)
    detail = payout_service.create_batch(
        request.periods,
        change,
        day=business_day(change.at),
        settings=partner_wiring.payout_settings(),
        payouts=partner_wiring.payout_repository(),
        partners=partner_wiring.partner_repository(),
        trail=audit_wiring.audit_trail(),
        limit=BATCH_SYNC_LIMIT,
    )
    return json_response(_detail_view(detail), status=201)


@console_payouts.route("/payouts/{batch_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def read_payout_batch(batch_id: str) -> Response:
    """One batch and its lines (by partner id)."""
    _staff(PAYOUT_READERS)
    detail = payout_service.get_batch(batch_id, payouts=partner_wiring.payout_repository())
    return json_response(_detail_view(detail))


@console_payouts.route("/payouts/{batch_id}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_payout_batch(batch_id: str) -> Response:
    """The batch as an Excel file (the neutral layout, the bank's bulk-transfer sheet, a VietQR
    code per line): a presigned link. The first export moves the batch to ``exported``."""
    from chalicelib.partners.payout_export import XLSX, write_batch

    principal = _staff(PAYOUT_WRITERS)
    payouts = partner_wiring.payout_repository()
    detail = payout_service.exportable(batch_id, payouts=payouts)
    key = f"exports/payouts/{batch_id}.xlsx"
    filename = f"payouts-{batch_id}.xlsx"
    storage = platform_wiring.storage()
    with tempfile.TemporaryFile() as out:
        rows = write_batch(
            out, detail.batch, detail.lines, language=language_of(console_payouts.current_request)
        )
        storage.upload_from(key, out, content_type=XLSX, filename=filename)
    payout_service.exported(
        batch_id, rows, _change(principal), payouts=payouts, trail=audit_wiring.audit_trail()
    )
    url = storage.download_url(key, expires_seconds=EXPORT_LINK_SECONDS)
    return json_response({"rows": rows, "filename": filename, "url": url})


def _settle(batch_id: str, partner_id: str, to: LineState, text: str) -> Response:
    principal = _staff(PAYOUT_WRITERS)
    change = _change(principal)
    detail = payout_service.settle_line(
        batch_id,
        partner_id,
        to,
        text,
        change,
        day=business_day(change.at),
        payouts=partner_wiring.payout_repository(),
        trail=audit_wiring.audit_trail(),
        messaging=Messaging(platform_wiring.secrets().pepper, get_settings().brand_id),
    )
    return json_response(_detail_view(detail))


@console_payouts.route(
    "/payouts/{batch_id}/lines/{partner_id}/paid",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def mark_payout_line_paid(batch_id: str, partner_id: str) -> Response:
    """The line was paid (the bank's reference): its entries paid, the partner told."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    _staff(PAYOUT_WRITERS)
    request = parse_request(console_payouts.current_request, schemas.PayoutPaidRequest, MAX_BODY)
    return _settle(batch_id, partner_id, LineState.PAID, request.reference)


@console_payouts.route(
    "/payouts/{batch_id}/lines/{partner_id}/failed",
    methods=["POST"],
    content_types=JSON_ROUTE_TYPES,
    cors=CORS,
)
@maps_domain_errors
def mark_payout_line_failed(batch_id: str, partner_id: str) -> Response:
    """The transfer failed (why): its entries are owed again, for a later batch."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    _staff(PAYOUT_WRITERS)
    request = parse_request(console_payouts.current_request, schemas.PayoutFailedRequest, MAX_BODY)
    return _settle(batch_id, partner_id, LineState.FAILED, request.reason)
