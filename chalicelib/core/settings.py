"""The only reader of ``os.environ``: typed, validated, fails fast.

Stage values live in ``.chalice/config.json``; secrets (QR keys, OTP pepper, token keys) live in
SSM Parameter Store under ``secrets_parameter`` and are read through :mod:`chalicelib.secrets`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

STAGES = ("local", "dev", "prod")
DEMO_GS1_PREFIX = "8930000"  # the local stage's (devstack, tests): not a prefix GS1 issued to us


class SettingsError(RuntimeError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    portal_url: str
    console_url: str
    secrets_parameter: str
    messaging_parameter: str
    delivery_failures_queue: str
    uploads_bucket: str
    cognito_user_pool_id: str
    cognito_client_id: str
    cognito_issuer: str
    cognito_jwks_url: str
    hotline: str
    brand_id: str
    units_stream_arn: str
    notifications_stream_arn: str
    label_jobs_stream_arn: str
    exports_stream_arn: str
    unit_imports_stream_arn: str
    claims_stream_arn: str
    rewards_stream_arn: str
    receivables_stream_arn: str
    brands_stream_arn: str
    models_stream_arn: str
    max_stream_retries: int
    label_workers: int  # QR encoding processes of a label job; 0 = one per CPU
    # The rewards' fraud signals (issue 13): more than ``burst_count`` activations by a partner
    # within ``burst_minutes``; the last ``sequence_run`` entries of a partner on consecutive
    # serial numbers; one customer phone on more than ``units_per_customer`` rewarded units.
    reward_burst_count: int = 10
    reward_burst_minutes: int = 60
    reward_sequence_run: int = 5
    reward_units_per_customer: int = 3
    # Hold an installer's reward when the unit was never shipped to a dealer before it was
    # activated (for brands that ship every unit by scan, issue 14); off by default.
    reward_require_shipment: bool = False
    # The weekly dealer nudge (issue 14): units shipped more than this many days ago and still
    # not activated.
    dealer_nudge_days: int = 30
    maintenance_again_days: int = 3  # a maintenance reminder unanswered: again, then overdue
    # Service requests (issue 15): each state's SLA hours over the defaults
    # (``"new=4,triaged=24"``, chalicelib/claims/sla.py), and how many days after the unit's
    # return the customer may reopen a request.
    claim_sla_hours: str = ""
    claim_reopen_days: int = 30
    # An emulator's endpoint (AWS_ENDPOINT_URL, which boto3 and PynamoDB read themselves) is an
    # IP address: S3 must address buckets by path there.
    s3_path_style: bool = False
    # The brand's GS1 company prefix (6–12 digits): generated carton codes are SSCCs under it.
    # "" = cartons get only typed (own) codes; the local stage has a demo prefix.
    gs1_company_prefix: str = ""

    def table_name(self, name: str) -> str:
        """``garanti-<stage>-<name>``: the one place a table name is built."""
        return f"{self.table_prefix}-{name}"

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def _get(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise SettingsError(f"environment variable {name} is required")
    return value


def _whole(name: str, default: int) -> int:
    """A whole number ≥ 1 from ``name``, else ``default``."""
    raw = _get(name, str(default))
    if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
        raise SettingsError(f"{name} must be a whole number of at least 1")
    return int(raw)


def _gs1_prefix(stage: str) -> str:
    raw = os.environ.get("GARANTI_GS1_COMPANY_PREFIX", DEMO_GS1_PREFIX if stage == "local" else "")
    if raw and not (raw.isascii() and raw.isdigit() and 6 <= len(raw) <= 12):
        raise SettingsError("GARANTI_GS1_COMPANY_PREFIX must be 6 to 12 digits")
    return raw


def _placeholder_stream(region: str, table: str) -> str:
    # Chalice needs a literal stream ARN at import; the real one is wired by infra/ (AWS) or
    # resolved by the devstack poller (local) from the table name in this ARN.
    return f"arn:aws:dynamodb:{region}:000000000000:table/{table}/stream/placeholder"


@functools.cache
def get_settings() -> Settings:
    stage = _get("GARANTI_STAGE", "local")
    if stage not in STAGES:
        raise SettingsError(f"GARANTI_STAGE must be one of {STAGES}, got {stage!r}")
    region = _get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-1"))
    prefix = _get("GARANTI_TABLE_PREFIX", f"garanti-{stage}")
    pool_id = os.environ.get("GARANTI_COGNITO_USER_POOL_ID", "")
    issuer = os.environ.get("GARANTI_COGNITO_ISSUER") or (
        f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    )
    portal_url = _get("GARANTI_PORTAL_URL", "http://127.0.0.1:8080").rstrip("/")
    retries = _get("GARANTI_MAX_STREAM_RETRIES", "5")
    workers = _get("GARANTI_LABEL_WORKERS", "0")
    if not (workers.isascii() and workers.isdigit()):
        raise SettingsError("GARANTI_LABEL_WORKERS must be a whole number")
    if not (retries.isascii() and retries.isdigit()):
        raise SettingsError("GARANTI_MAX_STREAM_RETRIES must be a whole number")
    return Settings(
        stage=stage,
        region=region,
        table_prefix=prefix,
        portal_url=portal_url,
        console_url=_get("GARANTI_CONSOLE_URL", portal_url).rstrip("/"),
        secrets_parameter=_get("GARANTI_SECRETS_PARAMETER", f"/garanti/{stage}/secrets"),
        messaging_parameter=_get("GARANTI_MESSAGING_PARAMETER", f"/garanti/{stage}/messaging"),
        delivery_failures_queue=_get(
            "GARANTI_DELIVERY_FAILURES_QUEUE", f"{prefix}-delivery-failures"
        ),
        uploads_bucket=_get("GARANTI_UPLOADS_BUCKET", f"{prefix}-uploads"),
        cognito_user_pool_id=pool_id,
        cognito_client_id=os.environ.get("GARANTI_COGNITO_CLIENT_ID", ""),
        cognito_issuer=issuer,
        cognito_jwks_url=os.environ.get("GARANTI_COGNITO_JWKS_URL")
        or f"{issuer}/.well-known/jwks.json",
        hotline=_get("GARANTI_HOTLINE", "1800 6868"),
        brand_id=_get("GARANTI_BRAND_ID", "demo"),
        units_stream_arn=os.environ.get("GARANTI_UNITS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-units"),
        notifications_stream_arn=os.environ.get("GARANTI_NOTIFICATIONS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-notifications"),
        label_jobs_stream_arn=os.environ.get("GARANTI_LABEL_JOBS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-label_jobs"),
        exports_stream_arn=os.environ.get("GARANTI_EXPORTS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-exports"),
        unit_imports_stream_arn=os.environ.get("GARANTI_UNIT_IMPORTS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-unit_imports"),
        claims_stream_arn=os.environ.get("GARANTI_CLAIMS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-claims"),
        rewards_stream_arn=os.environ.get("GARANTI_REWARDS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-rewards"),
        receivables_stream_arn=os.environ.get("GARANTI_RECEIVABLES_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-receivables"),
        brands_stream_arn=os.environ.get("GARANTI_BRANDS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-brands"),
        models_stream_arn=os.environ.get("GARANTI_MODELS_STREAM_ARN")
        or _placeholder_stream(region, f"{prefix}-models"),
        max_stream_retries=int(retries),
        label_workers=int(workers),
        gs1_company_prefix=_gs1_prefix(stage),
        reward_burst_count=_whole("GARANTI_REWARD_BURST_COUNT", 10),
        reward_burst_minutes=_whole("GARANTI_REWARD_BURST_MINUTES", 60),
        reward_sequence_run=_whole("GARANTI_REWARD_SEQUENCE_RUN", 5),
        reward_units_per_customer=_whole("GARANTI_REWARD_UNITS_PER_CUSTOMER", 3),
        reward_require_shipment=os.environ.get("GARANTI_REWARD_REQUIRE_SHIPMENT", "").lower()
        in ("1", "true", "yes"),
        dealer_nudge_days=_whole("GARANTI_DEALER_NUDGE_DAYS", 30),
        maintenance_again_days=_whole("GARANTI_MAINTENANCE_AGAIN_DAYS", 3),
        claim_sla_hours=os.environ.get("GARANTI_CLAIM_SLA_HOURS", ""),
        claim_reopen_days=_whole("GARANTI_CLAIM_REOPEN_DAYS", 30),
        s3_path_style=bool(os.environ.get("AWS_ENDPOINT_URL")),
    )
