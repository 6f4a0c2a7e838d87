"""``GET /dashboard``: the console's home for the roles that watch the business (admin, customer
service, director, accountant), read from the daily roll-ups, never from the units."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.settings import get_settings
from chalicelib.dashboard import summary as dashboard
from chalicelib.dashboard import wiring as dashboard_wiring
from chalicelib.dashboard.views import dashboard_view
from chalicelib.labels import wiring as labels_wiring
from chalicelib.messaging import wiring as messaging_wiring
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.outbox.model import spend_bucket
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors

console_dashboard = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

# the roles of GET /messages: the figures include today's messages and spend
READERS = frozenset({Role.ADMIN, Role.CS, Role.DIRECTOR, Role.ACCOUNTANT})


@console_dashboard.route("/dashboard", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_dashboard() -> Response:
    settings = get_settings()
    authenticate(console_dashboard.current_request, settings, READERS)
    now = datetime.now(UTC)
    today = business_day(now)
    jobs, _ = labels_wiring.label_jobs().list_for_brand(
        settings.brand_id, limit=dashboard.LABEL_JOBS_LOOKED_AT
    )
    cap = messaging_wiring.brand_messaging().daily_spend_cap_vnd
    summary = dashboard.summarize(
        today,
        counters=dashboard_wiring.rollups(),
        spent_today_vnd=outbox_wiring.notification_repository().spent(
            spend_bucket(settings.brand_id, today)
        ),
        cap_vnd=cap,
        label_jobs=dashboard.active_jobs(jobs, now),
    )
    models = catalog_wiring.model_cache().get_many(code for code, _ in summary.by_model)
    names = {code: (m.name, m.name_en or m.name) for code, m in models.items()}
    return json_response(dashboard_view(summary, names))
