"""``/funnel``: shipped vs activated per dealer, model and month, the activation rate and the
ageing of units not yet activated, for the roles that watch the business (admin, director,
customer service, accountant); read from the funnel's counters, never from the units.
``/dealer/funnel``: a dealer user's own, its dealer taken from who it is, never the request."""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.dealers import wiring as dealers_wiring
from chalicelib.dealers.access import authenticate_dealer
from chalicelib.dealers.funnel_report import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    Funnel,
    FunnelQuery,
    build_funnel,
)
from chalicelib.dealers.funnel_views import funnel_view
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import (
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    query_int,
)

console_funnel = Blueprint(__name__)
dealer_funnel_api = Blueprint(__name__)  # registered under /dealer
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.CS, Role.ACCOUNTANT})
EXPORT_LINK_SECONDS = 15 * 60
_QUERY = frozenset({"months", "dealer", "model"})
_DEALER_ID = re.compile(r"d_[0-9a-z]{1,40}")
_MODEL_CODE = re.compile(r"[^#\s]{1,64}")


def _query(params: Mapping[str, str], allowed: frozenset[str] = _QUERY) -> FunnelQuery:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    months = query_int(dict(params), "months", DEFAULT_MONTHS, 1, MAX_MONTHS, "funnel_months")
    dealer, model = params.get("dealer") or None, params.get("model") or None
    if dealer is not None and not _DEALER_ID.fullmatch(dealer):
        raise Invalid(fields=[FieldError("dealer", "funnel_dealer_invalid")])
    if model is not None and not _MODEL_CODE.fullmatch(model):
        raise Invalid(fields=[FieldError("model", "funnel_model_invalid")])
    return FunnelQuery(months=months, dealer_id=dealer, model_code=model)


def _funnel() -> tuple[Funnel, dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """The funnel the request asks for, with the dealers' (code, name) and the models' names."""
    request = console_funnel.current_request
    authenticate(request, get_settings(), READERS)
    query = _query(request.query_params or {})
    dealers = {
        d.dealer_id: (d.details.code, d.name) for d in dealers_wiring.dealer_repository().all()
    }
    if query.dealer_id is not None and query.dealer_id not in dealers:
        raise NotFound("dealer_not_found")
    funnel = build_funnel(
        business_day(datetime.now(UTC)),
        query,
        dealer_ids=[query.dealer_id] if query.dealer_id else sorted(dealers),
        counters=dealers_wiring.funnel_counters(),
    )
    found = catalog_wiring.model_cache().get_many(funnel.model_codes)
    models = {code: (m.name, m.name_en or m.name) for code, m in found.items()}
    return funnel, dealers, models


@console_funnel.route("/funnel", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_funnel() -> Response:
    funnel, dealers, models = _funnel()
    return json_response(funnel_view(funnel, dealers=dealers, models=models))


@console_funnel.route("/funnel/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_funnel() -> Response:
    """The funnel (same query as ``GET /funnel``) as an Excel file: a presigned link."""
    from chalicelib.dealers.funnel_export import XLSX, write_funnel

    funnel, dealers, models = _funnel()
    filename = f"funnel-{funnel.months[0]}-{funnel.months[-1]}.xlsx"
    key = f"exports/funnel/{uuid.uuid4().hex}.xlsx"
    storage = platform_wiring.storage()
    with tempfile.TemporaryFile() as out:
        rows = write_funnel(
            out,
            funnel,
            dealers=dealers,
            models=models,
            language=language_of(console_funnel.current_request),
        )
        storage.upload_from(key, out, content_type=XLSX, filename=filename)
    url = storage.download_url(key, expires_seconds=EXPORT_LINK_SECONDS)
    return json_response({"rows": rows, "filename": filename, "url": url})


@dealer_funnel_api.route("/funnel", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_own_funnel() -> Response:
    """``GET /dealer/funnel?months=&model=``: the signed-in dealer's own funnel (its totals'
    one key, the period's days)."""
    request = dealer_funnel_api.current_request
    principal = authenticate_dealer(request, get_settings())
    asked = _query(request.query_params or {}, _QUERY - {"dealer"})
    query = FunnelQuery(asked.months, principal.dealer_id, asked.model_code)
    funnel = build_funnel(
        business_day(datetime.now(UTC)),
        query,
        dealer_ids=[principal.dealer_id],
        counters=dealers_wiring.funnel_counters(),
    )
    found = catalog_wiring.model_cache().get_many(funnel.model_codes)
    models = {code: (m.name, m.name_en or m.name) for code, m in found.items()}
    dealer = dealers_wiring.dealer_repository().get(principal.dealer_id)
    dealers = {principal.dealer_id: (dealer.details.code if dealer else "", principal.dealer_name)}
    return json_response(funnel_view(funnel, dealers=dealers, models=models))
