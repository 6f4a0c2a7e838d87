"""Garanti API and event handlers: creates the app, wires observability, registers blueprints."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Cron, DynamoDBEvent, Rate

from chalicelib.activation import events as unit_changes
from chalicelib.activation.routes import public
from chalicelib.audit import events as audited_changes
from chalicelib.audit.routes import console_audit
from chalicelib.catalog import export_events as unit_exports
from chalicelib.catalog import import_events as unit_import_changes
from chalicelib.catalog.carton_routes import console_cartons
from chalicelib.catalog.customer_routes import console_customers
from chalicelib.catalog.import_routes import console_imports
from chalicelib.catalog.routes import console
from chalicelib.catalog.transfer_routes import public_transfers
from chalicelib.claims import events as claim_changes
from chalicelib.claims.forms_routes import console_claim_forms, public_claim_forms
from chalicelib.claims.help_routes import console_model_help, public_model_help
from chalicelib.claims.public_routes import public_claims
from chalicelib.claims.routes import console_claims
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.dashboard import events as rollup_counts
from chalicelib.dashboard.routes import console_dashboard
from chalicelib.dealers import funnel_events as dealer_funnel
from chalicelib.dealers import nudge_events as dealer_nudges
from chalicelib.dealers.dealer_routes import dealer_api
from chalicelib.dealers.funnel_routes import console_funnel, dealer_funnel_api
from chalicelib.dealers.routes import console_dealers
from chalicelib.dealers.shipment_routes import console_shipments, dealer_shipments_api
from chalicelib.labels import events as label_job_changes
from chalicelib.labels.routes import console_labels
from chalicelib.maintenance import events as maintenance_events
from chalicelib.maintenance.claim_part_routes import console_claim_parts
from chalicelib.maintenance.public_routes import public_maintenance
from chalicelib.maintenance.receivable_routes import console_receivables
from chalicelib.maintenance.report_routes import console_reports
from chalicelib.maintenance.routes import console_maintenance
from chalicelib.maintenance.stock_routes import console_stock
from chalicelib.maintenance.ticket_routes import console_tickets
from chalicelib.messaging import events as notification_changes
from chalicelib.messaging.dev_routes import dev_routes
from chalicelib.messaging.hook_routes import hooks
from chalicelib.messaging.routes import console_messages
from chalicelib.partners import reward_events as installer_rewards
from chalicelib.partners import reward_export_events as reward_exports
from chalicelib.partners.case_routes import console_cases, partner_cases
from chalicelib.partners.payout_routes import console_payouts
from chalicelib.partners.reward_routes import console_rewards
from chalicelib.partners.routes import partner_api
from chalicelib.partners.staff_routes import console_partners
from chalicelib.platform import export_events as export_changes
from chalicelib.platform.http import chalice_errors_in_our_shape, observe, remember_request
from chalicelib.platform.streams import combined
from chalicelib.privacy import events as privacy_events
from chalicelib.privacy.routes import console_privacy, public_privacy
from chalicelib.reports import events as report_counts
from chalicelib.reports.routes import console_warranty_reports
from chalicelib.service_centers.company_routes import service_api
from chalicelib.service_centers.public_routes import public_service_points
from chalicelib.service_centers.routes import console_service_centers
from chalicelib.staff.routes import auth_routes
from chalicelib.staff.user_routes import console_staff

settings = get_settings()
app = Chalice(app_name="garanti")
# A customer's data as a PDF (privacy.routes) passes API Gateway as binary, like a PNG.
app.api.binary_types.append("application/pdf")
app.log = logger  # type: ignore[assignment]
app.register_middleware(observe, "all")
app.register_middleware(remember_request, "http")
app.register_middleware(chalice_errors_in_our_shape, "http")
app.register_blueprint(auth_routes)
app.register_blueprint(public, url_prefix="/public")
app.register_blueprint(console)
app.register_blueprint(console_imports)
app.register_blueprint(console_messages)
app.register_blueprint(console_customers)
app.register_blueprint(console_labels)
app.register_blueprint(console_dashboard)
app.register_blueprint(console_staff)
app.register_blueprint(console_audit)
app.register_blueprint(partner_api, url_prefix="/partner")
app.register_blueprint(console_partners)
app.register_blueprint(console_rewards)
app.register_blueprint(partner_cases, url_prefix="/partner")
app.register_blueprint(console_cases)
app.register_blueprint(console_payouts)
app.register_blueprint(console_shipments)
app.register_blueprint(console_dealers)
app.register_blueprint(dealer_api, url_prefix="/dealer")
app.register_blueprint(dev_routes, url_prefix="/dev")
app.register_blueprint(hooks, url_prefix="/hooks")
app.register_blueprint(console_cartons)
app.register_blueprint(console_funnel)
app.register_blueprint(dealer_funnel_api, url_prefix="/dealer")
app.register_blueprint(console_service_centers)
app.register_blueprint(service_api, url_prefix="/service")
app.register_blueprint(public_service_points, url_prefix="/public")
app.register_blueprint(console_claims)
app.register_blueprint(public_claims)
app.register_blueprint(dealer_shipments_api, url_prefix="/dealer")
app.register_blueprint(console_claim_forms)
app.register_blueprint(public_claim_forms, url_prefix="/public")
app.register_blueprint(console_model_help)
app.register_blueprint(console_maintenance)
app.register_blueprint(public_maintenance)
app.register_blueprint(console_tickets)
app.register_blueprint(console_stock)
app.register_blueprint(console_receivables)
app.register_blueprint(console_reports)
app.register_blueprint(console_claim_parts)
app.register_blueprint(public_model_help, url_prefix="/public")
app.register_blueprint(console_warranty_reports)
app.register_blueprint(public_privacy)
app.register_blueprint(public_transfers)
app.register_blueprint(console_privacy)


@app.on_dynamodb_record(stream_arn=settings.units_stream_arn, batch_size=50)
def on_unit_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Units stream: each change into the audit trail; activation → confirmation message in
    the outbox; the dashboard's daily activation counters; an installer's activation → its one
    reward decision in the ledger; the dealer funnel's counters (shipped, activated, returned);
    an activated unit's maintenance plan lines; the warranty reports' counters (shipments,
    activations, their lag, the units in the field)."""
    records = event.to_dict()
    return combined(
        unit_changes.handle(records, event.context),
        rollup_counts.count_activations(records),
        installer_rewards.earn_rewards(records),
        dealer_funnel.count_funnel(records),
        maintenance_events.make_lines(records),
        report_counts.count_units(records),
    )


@app.on_dynamodb_record(stream_arn=settings.notifications_stream_arn, batch_size=25)
def on_notification_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Notifications stream: a queued message is delivered through the configured provider; the
    dashboard's daily counters of messages delivered and failed; a customer's confirmation that
    never arrived holds the serial's installer reward for review."""
    records = event.to_dict()
    return combined(
        notification_changes.handle(records, event.context),
        rollup_counts.count_messages(records),
        installer_rewards.hold_undelivered(records),
    )


@app.on_dynamodb_record(stream_arn=settings.brands_stream_arn, batch_size=50)
def on_brand_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Brands stream: the brand's and its label templates' changes into the audit trail."""
    return audited_changes.handle_brand_change(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=settings.models_stream_arn, batch_size=50)
def on_model_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Models stream: each product model's changes into the audit trail."""
    return audited_changes.handle_model_change(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=settings.label_jobs_stream_arn, batch_size=1)
def on_label_job_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Label jobs stream: a queued job renders its label sheets (PDF) to the uploads bucket."""
    return label_job_changes.handle(event.to_dict(), event.context)


# Each kind of export job and the capability that writes it (platform.export_jobs).
EXPORT_WRITERS = {"unit": unit_exports.write, "reward": reward_exports.write}


@app.on_dynamodb_record(stream_arn=settings.exports_stream_arn, batch_size=1)
def on_export_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Exports stream: a queued export job writes its Excel file (the units list, a month's
    rewards) through its kind's writer."""
    return export_changes.handle(event.to_dict(), event.context, EXPORT_WRITERS)


@app.on_dynamodb_record(stream_arn=settings.unit_imports_stream_arn, batch_size=1)
def on_unit_import_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Unit imports stream: a queued import registers its file's units and writes its report."""
    return unit_import_changes.handle(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=settings.claims_stream_arn, batch_size=10)
def on_claim_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Claims stream: a request's uploaded photos checked, resized and stripped of their
    metadata (never in the API function); the customer's message for each customer-visible
    move (one per request and version); the audit trail; the warranty reports' counters
    (requests opened, repeated, resolved, their money)."""
    records = event.to_dict()
    return combined(
        claim_changes.handle(records, event.context),
        report_counts.count_claims(records),
    )


@app.on_dynamodb_record(stream_arn=settings.rewards_stream_arn, batch_size=50)
def on_reward_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Rewards stream: the warranty reports' counters (installers' reward entries, those a
    fraud signal flagged, what they cost)."""
    return report_counts.count_rewards(event.to_dict())


@app.on_dynamodb_record(stream_arn=settings.receivables_stream_arn, batch_size=50)
def on_receivable_change(event: DynamoDBEvent) -> dict[str, Any]:
    """Receivables stream: the warranty reports' counters (paid maintenance visits, what each
    collector collected and handed over)."""
    return report_counts.count_receivables(event.to_dict())


@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: CloudWatchEvent) -> dict[str, int]:
    """Every minute: scheduled messages that are due go back to the sender; a sender that died
    mid-send has its message settled (unknown, or resent where the provider de-duplicates); an
    accepted SMS whose delivery report never came is settled through eSMS's status API."""
    report = notification_changes.sweep()
    return {
        "queued": report.queued,
        "resent": report.resent,
        "unknown": report.unknown,
        "reconciled": report.reconciled,
    }


@app.schedule(Rate(15, unit=Rate.MINUTES))
def refresh_zalo_token(event: CloudWatchEvent) -> dict[str, bool]:
    """Refresh the Zalo OA access token before it expires (single-flight,
    docs/reference/zalo.md#token-refresh)."""
    return {"refreshed": notification_changes.refresh_zalo_token()}


@app.schedule(Cron(30, 0, "*", "*", "?", "*"))
def maintenance_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    """Daily, 07:30 in Vietnam: the maintenance lines whose timer fires today (and on the days a
    missed run left) move on: the customer reminded, reminded again, or the line overdue; then
    the desk's digest (today's visits, tickets unassigned, answers awaited, overdue, parts
    short), one message a person a day."""
    report = maintenance_events.run_reminders(event.time)
    figures, told = maintenance_events.send_digest(event.time)
    return {
        "days": len(report.days),
        "last_day": report.days[-1] if report.days else None,
        "due": report.due,
        "reminded": report.reminded,
        "overdue": report.overdue,
        "already": report.already,
        "digest_queued": told,
        "digest_quiet": figures.quiet,
    }


@app.schedule(Cron(0, 20, "*", "*", "?", "*"))
def apply_retention(event: CloudWatchEvent) -> dict[str, int]:
    """Daily, 03:00 in Vietnam: the people in items past their retention period (settings in
    the console) forgotten: old messages deleted, closed service requests and done visits
    pseudonymised, at most 500 a kind a run."""
    return privacy_events.apply_retention()


@app.schedule(Cron(0, 1, "?", "*", "MON", "*"))
def send_dealer_nudges(event: CloudWatchEvent) -> dict[str, int]:
    """Mondays 08:00 in Vietnam: each active dealer's units shipped more than 30 days ago
    (GARANTI_DEALER_NUDGE_DAYS) and still not activated, one message a dealer a week."""
    report = dealer_nudges.send_dealer_nudges(event.time)
    return {"dealers": report.dealers, "queued": report.queued, "already": report.already}
