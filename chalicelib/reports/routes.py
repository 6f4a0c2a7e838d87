"""``/reports/{kind}``: the warranty reports (activations, claims, costs, parts, maintenance)
over a period of months, filtered by model, dealer, province and channel, for the roles that
watch the business (admin, customer service, director, accountant); ``POST
/reports/{kind}/export`` writes the same report as an Excel file. Read from the roll-up items
(days × families), never the units."""

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
from chalicelib.core.i18n import text
from chalicelib.core.provinces import is_province
from chalicelib.core.settings import get_settings
from chalicelib.dealers import wiring as dealers_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import cors_for, json_response, language_of, maps_domain_errors
from chalicelib.reports import figures
from chalicelib.reports import wiring as reports_wiring
from chalicelib.reports.facts import LAG_BUCKETS, Dims
from chalicelib.reports.views import keyed, report_view
from chalicelib.service_centers import wiring as centers_wiring

console_warranty_reports = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.ACCOUNTANT})
EXPORT_LINK_SECONDS = 15 * 60
DEFAULT_MONTHS = 12
CHANNELS = ("web", "sms", "zalo", "dealer", "partner", "portal", "console")
_QUERY = frozenset({"from", "until", "model", "dealer", "province", "channel"})
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DEALER_ID = re.compile(r"d_[0-9a-z]{1,40}")
_MODEL_CODE = re.compile(r"[^#|\s]{1,64}")


def _month(params: Mapping[str, str], name: str, default: str) -> str:
    raw = params.get(name) or default
    if not _MONTH.fullmatch(raw):
        raise Invalid(fields=[FieldError(name, "report_month_invalid")])
    return raw


def parse_query(params: Mapping[str, str], today: str) -> figures.ReportQuery:
    """The period (``from``–``until``, months; by default the last twelve) and the filters."""
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    this_month = today[:7]
    last = _month(params, "until", this_month)
    first = _month(params, "from", figures.month_before(last, DEFAULT_MONTHS - 1))
    checks = (
        ("model", _MODEL_CODE.fullmatch),
        ("dealer", _DEALER_ID.fullmatch),
        ("province", is_province),
        ("channel", CHANNELS.__contains__),
    )
    for name, valid in checks:
        value = params.get(name)
        if value and not valid(value):
            raise Invalid(fields=[FieldError(name, f"report_{name}_invalid")])
    wanted = Dims(*(params.get(name, "") for name in ("model", "dealer", "province", "channel")))
    return figures.ReportQuery(first, last, wanted)


def _report(kind: str) -> tuple[figures.Report, int]:
    request = console_warranty_reports.current_request
    authenticate(request, get_settings(), READERS)
    if kind not in figures.KINDS:
        raise NotFound("report_not_found")
    today = business_day(datetime.now(UTC))
    query = parse_query(request.query_params or {}, today.isoformat())
    figures.check_period(query.first, query.last, today)
    stored = reports_wiring.counters().items(figures.items_to_read(kind, query, today))
    return figures.build(kind, query, stored.items, today), stored.reads


Names = dict[str, tuple[str, str]]


def _collectors(report: figures.Report) -> dict[str, str]:
    """Each collector's name: a technician's username, a service company's name."""
    holders = keyed(report, "collector")
    companies = (
        {f"company#{c.center_id}": c.name for c in centers_wiring.center_repository().all()}
        if any(h.startswith("company#") for h in holders)
        else {}
    )
    return {h: companies.get(h, h.removeprefix("tech#")) for h in holders}


def _names(report: figures.Report) -> tuple[Names, Names]:
    found = catalog_wiring.model_cache().get_many(keyed(report, "model"))
    models = {code: (m.name, m.name_en or m.name) for code, m in found.items()}
    wanted = set(keyed(report, "dealer"))
    dealers = {
        d.dealer_id: (d.details.code, d.name)
        for d in (dealers_wiring.dealer_repository().all() if wanted else [])
        if d.dealer_id in wanted
    }
    return models, dealers


@console_warranty_reports.route("/reports/{kind}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_report(kind: str) -> Response:
    report, reads = _report(kind)
    models, dealers = _names(report)
    return json_response(
        report_view(
            report, models=models, dealers=dealers, collectors=_collectors(report), reads=reads
        ),
        headers={"Cache-Control": "no-store"},
    )


def _labels(
    report: figures.Report,
    models: Mapping[str, tuple[str, str]],
    dealers: Mapping[str, tuple[str, str]],
    language: str,
) -> dict[str, dict[str, str]]:
    english = language == "en"
    return {
        "model": {c: f"{c} · {en if english else n}" for c, (n, en) in models.items()},
        "dealer": {d: f"{code} · {name}" for d, (code, name) in dealers.items()},
        "channel": {c: text(f"report_channel_{c}", language) for c in CHANNELS},
        "lag": {name: text(f"report_column_{name}", language) for _, name in LAG_BUCKETS},
        "collector": {**_collectors(report), "-": text("report_no_collector", language)},
    }


@console_warranty_reports.route("/reports/{kind}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_report(kind: str) -> Response:
    """The report (same query as ``GET /reports/{kind}``) as an Excel file: a presigned link."""
    from chalicelib.reports.export import XLSX, write_report

    report, _ = _report(kind)
    models, dealers = _names(report)
    language = language_of(console_warranty_reports.current_request)
    filename = f"{kind}-{report.months[0]}-{report.months[-1]}.xlsx"
    key = f"exports/reports/{uuid.uuid4().hex}.xlsx"
    storage = platform_wiring.storage()
    with tempfile.TemporaryFile() as out:
        rows = write_report(
            out, report, labels=_labels(report, models, dealers, language), language=language
        )
        storage.upload_from(key, out, content_type=XLSX, filename=filename)
    url = storage.download_url(key, expires_seconds=EXPORT_LINK_SECONDS)
    return json_response({"rows": rows, "filename": filename, "url": url})
