"""What the routes do not say about themselves: one entry per route of ``app.py`` (the builder
refuses a route without one, or one without a route), naming its body, query, answer, who may
call it and the error codes it answers beyond those every route of its kind shares.

Bodies are the request models the routes validate with (``chalicelib/*/schemas.py``); roles are
the routes' own constants; answers are :mod:`infra.openapi.shapes`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import get_args

from pydantic import BaseModel

from chalicelib.activation import schemas as activation_schemas
from chalicelib.audit import routes as audit_routes
from chalicelib.catalog import (
    carton_routes,
    carton_schemas,
    customer_routes,
    import_routes,
    import_schemas,
)
from chalicelib.catalog import routes as catalog_routes
from chalicelib.catalog import schemas as catalog_schemas
from chalicelib.claims import forms_routes, forms_schemas, help_routes
from chalicelib.claims import routes as claim_routes
from chalicelib.claims import schemas as claim_schemas
from chalicelib.claims.model import ClaimType
from chalicelib.dashboard import routes as dashboard_routes
from chalicelib.dealers import funnel_routes, shipment_routes, shipment_schemas
from chalicelib.dealers import routes as dealer_routes
from chalicelib.dealers import schemas as dealer_schemas
from chalicelib.labels import routes as labels_routes
from chalicelib.labels import schemas as labels_schemas
from chalicelib.maintenance import (
    claim_part_routes,
    receivable_routes,
    report_routes,
    stock_routes,
    ticket_routes,
)
from chalicelib.maintenance import routes as maintenance_routes
from chalicelib.maintenance import schemas as maintenance_schemas
from chalicelib.messaging import routes as messages_routes
from chalicelib.messaging.hook_routes import MAX_HOOK_BODY
from chalicelib.partners import case_routes, case_schemas, payout_routes, reward_routes
from chalicelib.partners import schemas as partner_schemas
from chalicelib.partners import staff_routes as partner_staff_routes
from chalicelib.platform.auth import STAFF
from chalicelib.platform.http import DEFAULT_MAX_BODY, MAX_CURSOR
from chalicelib.privacy import routes as privacy_routes
from chalicelib.privacy import schemas as privacy_schemas
from chalicelib.reports import routes as warranty_report_routes
from chalicelib.service_centers import routes as center_routes
from chalicelib.service_centers import schemas as center_schemas
from chalicelib.staff import schemas as staff_schemas
from chalicelib.staff import user_routes as staff_routes
from infra.openapi import shapes

JSON = "application/json"
CSV = "text/csv"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Query:
    """A query parameter: ``schema`` is JSON schema; numbers travel as plain ASCII digits."""

    name: str
    description: str
    schema: Mapping[str, object]
    required: bool = False
    example: str | None = None


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    # "staff" (with ``roles``), "lookup", a hook's signature scheme, or None (public)
    security: str | None = None
    roles: frozenset[str] = frozenset()
    body: type[BaseModel] | None = None
    raw_bodies: tuple[str, ...] = ()  # media types read as they are (CSV, a provider's form)
    provider_body: type[BaseModel] | None = None  # a provider's JSON, read field by field
    max_body: int | None = None
    query: tuple[Query, ...] = ()
    status: int = 200
    answer: type[BaseModel] | str | None = None  # a shape, a file's media type, or no body
    errors: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    example: object = None  # a body that passes validation (docs/api.md's examples)
    path_examples: Mapping[str, str] = field(default_factory=dict)  # beside PATH_EXAMPLES


def _digits(low: int, high: int, default: int) -> dict[str, object]:
    return {"type": "integer", "minimum": low, "maximum": high, "default": default}


def _text(max_length: int) -> dict[str, object]:
    return {"type": "string", "maxLength": max_length}


LIMIT_MESSAGES = Query("limit", "Page size.", _digits(1, 100, 50))
LIMIT_JOBS = Query("limit", "Page size.", _digits(1, 100, 20))
CURSOR = Query(
    "cursor",
    "The previous page's `next_cursor`, as it was (opaque, signed for this list).",
    {"type": "string", "maxLength": MAX_CURSOR},
)
LIMIT_UNITS = Query("limit", "Page size.", _digits(1, 100, 25))
UNIT_FILTERS = (
    Query(
        "serial",
        "An exact serial, or its start followed by `*` (`GAR0000*`).",
        _text(33),
        example="GAR0000*",
    ),
    Query("model", "Only this model's units.", _text(32)),
    Query("batch", "Only this batch's units.", _text(40)),
    Query(
        "status",
        "Only units in this status.",
        {"type": "string", "enum": ["registered", "shipped", "activated", "void"]},
    ),
    Query(
        "activated_from",
        "Activated on or after this day (Vietnam time).",
        {"type": "string", "format": "date"},
    ),
    Query(
        "activated_to",
        "Activated on or before this day (Vietnam time).",
        {"type": "string", "format": "date"},
    ),
)
BORDER = Query("border", "Quiet-zone modules (ISO/IEC 18004 asks 4).", _digits(2, 16, 4))
NO_UNIT = {404: ("unit_not_found",)}
HOOK_LIMITS = {413: ("payload_too_large",)}
# chalicelib/catalog/warranty.py: WarrantyTerms (the cap is at least the warranty's months)
TERMS_INVALID = (
    "warranty_months_out_of_range",
    "warranty_cap_out_of_range",
    "activation_deadline_out_of_range",
)
BAD_TEMPLATE_NAME = {400: ("invalid_input",)}
PHONE_CODE_REFUSALS = (
    "phone_code_required",
    "phone_code_wrong",
    "phone_code_expired",
    "phone_code_invalid",
    "phone_code_attempts_exhausted",
)
OTP_REFUSALS = ("otp_invalid", "otp_expired", "otp_attempts_exhausted", "otp_wrong_code")
# the send limits every one-time code shares (look-up, activation, partner)
OTP_SEND_LIMITS = {
    429: ("otp_resend_too_soon", "otp_send_limit", "otp_ip_limit", "otp_prefix_limit"),
}
PARTNER_EXAMPLE: dict[str, object] = {
    "phone": "0912345678",
    "name": "Nguyễn Văn Đạt",
    "citizen_id": "001203004567",
    "province": "Hà Nội",
    "bank_bin": "970436",
    "account_number": "0011004567890",
    "account_holder": "Nguyễn Văn Đạt",
    "tax_code": "8012345678",
}  # the name's field error: template_name_invalid

# a note's refusals (chalicelib/partners/cases.py, case_schemas.py)
CASE_NOTE_REFUSALS = (
    "case_note_empty",
    "case_note_too_long",
    "case_note_bad_characters",
    "case_note_too_many_photos",
    "case_photo_repeated",
    "case_photo_unknown",
)
IMAGE_DONE_REFUSALS = {
    400: ("image_upload_unknown", "image_unreadable", "image_too_many_pixels"),
    404: ("image_upload_missing",),
    413: ("image_too_large",),
}

PATH_EXAMPLES: Mapping[str, str] = {
    "serial": "GAR000000019",
    "component": "FILTER",
    "period": "2026-12",
    "code": "AC-INV-12",
    "name": "2x4cm-a4",
    "message_id": "m_khqvvap4gj45zrxjafagovn2ia",
    "job_id": "lj_5f0c2d1e",
    "export_id": "3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9",
    "customer_id": "9c2f6f0d5b1e4a7c8d3b2a190e8f7c6d5b4a39281706f5e4d3c2b1a09f8e7d6c",
    "import_id": "ui_5f0c2d1e",
    "username": "lan.nguyen",
    "partner_id": "p_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "rule_id": "r_5f0c2d1e8a9b",
    "case_id": "c_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "batch_id": "pb_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "shipment_id": "s_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "dealer_id": "d_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "center_id": "sc_01kbf3x5j2m8q7c4r6t9v0w1yz",
    "claim_id": "SR-7K3M9Q2X",
    "state": "triaged",
    "ticket_id": "MT-2KJY2THT",
    "month": "2026-11",
    "kind": "claims",
    "request_id": "PDR01m90vm0xyxpgmbn4vy5p02y4y",
}

PUBLIC = "public"
AUTH = "staff sign-in"
CATALOG = "catalog"
MESSAGES = "messages"
CUSTOMERS = "customers"
LABELS = "labels"
DASHBOARD = "dashboard"
STAFF_USERS = "staff users"
AUDIT = "audit"
PARTNER_API = "partner API"
PARTNERS = "partners"
REWARDS = "rewards"
CASES = "partner cases"
PAYOUTS = "payouts"
CARTONS = "cartons"
SHIPMENTS = "shipments"
HOOKS = "provider hooks"
DEV = "local stage"
FUNNEL = "dealer funnel"
FUNNEL_QUERY = (
    Query("months", "The period: this many calendar months up to today.", _digits(1, 24, 6)),
    Query(
        "dealer", "Only this dealer (its id).", _text(42), example="d_01kbf3x5j2m8q7c4r6t9v0w1yz"
    ),
    Query("model", "Only this model (its code).", _text(64)),
)
FUNNEL_ERRORS: Mapping[int, tuple[str, ...]] = {
    400: ("invalid_input",),
    404: ("dealer_not_found",),
}
DEALERS = "dealers"
REPORTS = "warranty reports"
_MONTH_PATTERN = {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"}
REPORT_QUERY = (
    Query("from", "The first month (by default eleven months before `until`).", _MONTH_PATTERN,
          example="2026-01"),
    Query("until", "The last month (by default this one; at most 24 in all, starting within "
          "the last 36).", _MONTH_PATTERN, example="2026-12"),
    Query("model", "Only this model (its code).", _text(64)),
    Query("dealer", "Only units shipped to this dealer (its id).", _text(42),
          example="d_01kbf3x5j2m8q7c4r6t9v0w1yz"),
    Query("province", "Only customers in this province (one of the 34, as written).", _text(40),
          example="Hà Nội"),
    Query("channel", "Only this channel: an activation's (web, sms, zalo, dealer, partner) or a "
          "request's (portal, console, zalo).", _text(8), example="web"),
)  # fmt: skip
REPORT_ERRORS: Mapping[int, tuple[str, ...]] = {
    400: ("report_month_invalid", "report_period_invalid", "report_period_too_long",
          "report_period_too_old", "report_model_invalid", "report_dealer_invalid",
          "report_province_invalid", "report_channel_invalid", "invalid_input"),
    404: ("report_not_found",),
}  # fmt: skip
CLAIMS = "service requests"
CLAIM_SETTINGS = "service request settings"
DEALER_API = "dealer's own"
CENTERS = "service centres"
SERVICE_API = "service company's own"
MAINTENANCE = "maintenance"
PRIVACY = "personal data"
LOOKUP_ERRORS: Mapping[int, tuple[str, ...]] = {
    401: ("authentication_required", "lookup_token_invalid", "lookup_token_expired"),
    404: ("privacy_nothing_held",),
}
CENTER_EXAMPLE = {
    "name": "Điện lạnh Minh Phát",
    "tax_code": "0109000301",
    "provinces": ["Hà Nội", "Bắc Ninh"],
    "address": "45 Lê Duẩn, Hoàn Kiếm",
    "phone": "024 3999 8888",
    "hours": "Thứ 2–Thứ 7, 8:00–17:30",
    "listed": True,
}
CENTER_FIELD_REFUSALS = (
    "center_tax_code_required",
    "center_provinces_required",
    "center_phone_invalid",
    "province_invalid",
    "tax_code_invalid",
)
DEALER_EXAMPLE: dict[str, object] = {
    "name": "Điện máy Minh Phát",
    "province": "Hà Nội",
    "address": "12 Phố Huế, Hai Bà Trưng",
    "tax_code": "0101234567",
    "contact_phone": "0912345678",
}
DEALER_PARENT_REFUSALS = (
    "dealer_parent_self",
    "dealer_parent_not_found",
    "dealer_parent_cycle",
    "dealer_parent_closed",
    "dealer_parent_not_allowed",
)

OPERATIONS: tuple[Operation, ...] = (
    # -- public ----------------------------------------------------------------------------------
    Operation(
        "GET",
        "/public/units/{token}",
        "The landing page after a QR scan: proves the unit is genuine",
        PUBLIC,
        answer=shapes.PublicUnitResponse,
        errors=NO_UNIT,
        description="A forged, truncated or unknown token is the same 404 as an unknown unit.",
    ),
    Operation(
        "POST",
        "/public/activations",
        "Activate a unit's warranty (exactly one request wins)",
        PUBLIC,
        body=activation_schemas.ActivationRequest,
        example={
            "token": "<the token of a QR link>",
            "customer": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "province": "Hà Nội"},
            "consents": {"warranty_service": True, "marketing": False},
            "language": "vi",
        },
        status=201,
        answer=shapes.ActivationResponse,
        errors={
            400: (
                "consent_required",
                "activation_deadline_passed",
                "idempotency_key_invalid",
                "installer_required",
                "installed_on_in_future",
                "installed_on_before_manufacture",
            ),
            401: ("partner_session_invalid", "partner_session_expired", "partner_session_revoked"),
            403: PHONE_CODE_REFUSALS,
            404: ("unit_not_found",),
            409: ("already_activated", "unit_not_activatable"),
            422: ("idempotency_key_reused",),
        },
        description=(
            "An `Idempotency-Key` header (8-100 of `A-Z a-z 0-9 _ -`, a UUID per attempt) makes "
            "a retry of the same request answer the original 201; the same key with another "
            "request is 422 `idempotency_key_reused`. A brand that confirms phones "
            "(`activation.confirm_phone` in `/public/settings`) needs `phone_code`, the code "
            '`POST /public/activations/code` sent to `customer.phone`. With `installer` ("I '
            "installed this product\") the channel is `partner`; an approved partner's session "
            "(`Authorization: Bearer pst_…`, optional) makes the partner the installer (the "
            "body's installer name and phone are then ignored)."
        ),
    ),
    Operation(
        "POST",
        "/public/activations/code",
        "Send the code that proves the phone about to own the unit (brands that confirm phones)",
        PUBLIC,
        body=activation_schemas.ActivationCodeRequest,
        example={"token": "<the token of a QR link>", "phone": "0912345678", "language": "vi"},
        status=202,
        answer=shapes.OtpSentResponse,
        errors={
            404: ("unit_not_found",),
            409: ("phone_code_not_required",),
            **OTP_SEND_LIMITS,
        },
    ),
    Operation(
        "POST",
        "/public/not-me",
        "Flag an activation for review: its confirmation's recipient says it was not them",
        PUBLIC,
        body=activation_schemas.NotMeRequest,
        example={"token": "<the token of the link>", "code": "ABCDEFGHIJKLMNOP"},
        answer=shapes.NotMeResponse,
        errors={404: ("not_me_link_invalid",), 429: ("not_me_rate_limited",)},
        description="The two parts of the confirmation's link `/n/<token>/<code>`; idempotent.",
    ),
    Operation(
        "GET",
        "/public/certificates/{token}",
        "The verifiable e-certificate behind `certificate_url`",
        PUBLIC,
        answer=shapes.CertificateResponse,
        errors={404: ("certificate_not_found", "unit_not_found")},
        description=(
            "With the owner's look-up token (`Authorization: Bearer`, optional) `customer_name` "
            "is in full and `owner_verified` true; any other token is ignored."
        ),
    ),
    Operation(
        "GET",
        "/public/certificates/verify/{serial}/{code}",
        "Check a paper certificate's verification code (30 a minute per client)",
        PUBLIC,
        answer=shapes.CertificateVerifiedResponse,
        path_examples={"code": "7KQ2M9PX"},
        errors={404: ("certificate_not_found",), 429: ("lookup_rate_limited",)},
    ),
    Operation(
        "POST",
        "/public/otp",
        "Send a one-time code to a phone (look-up by phone)",
        PUBLIC,
        body=activation_schemas.OtpRequest,
        example={"phone": "0912345678", "language": "vi"},
        status=202,
        answer=shapes.OtpSentResponse,
        errors=OTP_SEND_LIMITS,
    ),
    Operation(
        "POST",
        "/public/otp/verify",
        "Trade a one-time code for a look-up token",
        PUBLIC,
        body=activation_schemas.OtpVerifyRequest,
        example={"phone": "0912345678", "code": "123456"},
        answer=shapes.LookupTokenResponse,
        errors={
            401: OTP_REFUSALS,
            409: ("otp_attempts_exhausted",),
        },
    ),
    Operation(
        "GET",
        "/public/my-units",
        "The units activated with the verified phone, newest first",
        PUBLIC,
        security="lookup",
        answer=shapes.MyUnitsResponse,
        errors={
            401: (
                "authentication_required",
                "lookup_token_invalid",
                "lookup_token_expired",
            )
        },
    ),
    Operation(
        "GET",
        "/public/settings",
        "The brand's look for the portal (cached 5 minutes)",
        PUBLIC,
        answer=shapes.PortalSettingsResponse,
        errors={404: ("brand_not_found",)},
    ),
    Operation(
        "GET",
        "/public/serials/{serial}",
        "Look up a printed serial: genuine, status, dates; never the owner (30 a minute)",
        PUBLIC,
        answer=shapes.PublicUnitResponse,
        errors={404: ("unit_not_found",), 429: ("lookup_rate_limited",)},
    ),
    # -- staff sign-in ---------------------------------------------------------------------------
    Operation(
        "POST",
        "/auth/login",
        "Sign in to the Cognito user pool",
        AUTH,
        body=staff_schemas.LoginRequest,
        example={"username": "admin", "password": "a password"},
        max_body=4096,
        answer=shapes.TokensResponse,
        errors={
            401: (
                "invalid_credentials",
                "account_not_confirmed",
                "password_reset_required",
                "sign_in_challenge_required",
                "authentication_unavailable",
            ),
            429: ("too_many_requests",),
        },
    ),
    Operation(
        "POST",
        "/auth/refresh",
        "New ID and access tokens from a refresh token",
        AUTH,
        body=staff_schemas.RefreshRequest,
        example={"refresh_token": "<the refresh_token of a sign-in>"},
        max_body=8192,
        answer=shapes.TokensResponse,
        errors={
            401: ("invalid_credentials", "token_invalid", "authentication_unavailable"),
            429: ("too_many_requests",),
        },
    ),
    Operation(
        "POST",
        "/auth/new-password",
        "An invited user's first sign-in: the temporary password replaced, tokens answered",
        AUTH,
        body=staff_schemas.NewPasswordRequest,
        example={"username": "an", "password": "the temporary one", "new_password": "Own@2026pw"},
        max_body=4096,
        answer=shapes.TokensResponse,
        errors={
            400: ("password_too_weak",),
            401: ("invalid_credentials", "authentication_unavailable"),
            409: ("new_password_not_required",),
            429: ("too_many_requests",),
        },
    ),
    # -- catalog ---------------------------------------------------------------------------------
    Operation(
        "GET",
        "/brand",
        "The brand of this stage and its serial scheme",
        CATALOG,
        security="staff",
        roles=STAFF,
        answer=shapes.BrandResponse,
        errors={404: ("brand_not_found",)},
    ),
    Operation(
        "PUT",
        "/brand",
        "Name the brand and agree its serial prefix (locked once a serial is generated)",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.BrandRequest,
        example={
            "name": "Điện máy Ánh Dương",
            "serial_prefix": "GAR",
            "theme": {"short_name": "Ánh Dương", "primary": "#0b57d0", "sections": ["activate"]},
        },
        answer=shapes.BrandResponse,
        errors={409: ("serial_prefix_locked",)},
    ),
    Operation(
        "GET",
        "/models",
        "Every product model",
        CATALOG,
        security="staff",
        roles=STAFF,
        answer=shapes.ModelsResponse,
    ),
    Operation(
        "POST",
        "/models",
        "Create a product model",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.NewProductModelRequest,
        example={
            "code": "AC-INV-18",
            "name": "Máy lạnh Inverter 2 HP",
            "specs": {"Gas": "R32"},
            "warranty_months": 24,
            "warranty_start_basis": "activation",
            "max_months_from_manufacture": 36,
            "components": [
                {
                    "code": "compressor",
                    "name": "Máy nén",
                    "name_en": "Compressor",
                    "months": 84,
                    "activated_within_months": 24,
                }
            ],
        },
        status=201,
        answer=shapes.ModelResponse,
        errors={400: ("model_code_invalid", *TERMS_INVALID), 409: ("model_exists",)},
    ),
    Operation(
        "GET",
        "/models/{code}",
        "One product model",
        CATALOG,
        security="staff",
        roles=STAFF,
        answer=shapes.ModelResponse,
        errors={400: ("model_code_invalid",), 404: ("model_not_found",)},
    ),
    Operation(
        "PUT",
        "/models/{code}",
        "Change a product model (the body of `POST /models` without `code`)",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.ProductModelRequest,
        example={
            "name": "Máy lạnh Inverter 1.5 HP",
            "warranty_months": 24,
            "specs": {"Gas": "R32"},
        },
        answer=shapes.ModelResponse,
        errors={400: ("model_code_invalid", *TERMS_INVALID), 404: ("model_not_found",)},
    ),
    Operation(
        "DELETE",
        "/models/{code}",
        "Delete a product model no unit uses",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        status=204,
        errors={
            400: ("model_code_invalid",),
            404: ("model_not_found",),
            409: ("model_in_use",),
        },
    ),
    Operation(
        "POST",
        "/units/imports",
        "Import units from a CSV or Excel file of up to 100,000 lines: the import and the"
        " presigned PUT for its file",
        CATALOG,
        security="staff",
        roles=import_routes.IMPORTERS,
        body=import_schemas.UnitImportRequest,
        example={"filename": "units.xlsx", "size_bytes": 48213},
        status=201,
        answer=shapes.NewUnitImportResponse,
        errors={400: ("unit_import_file_type", "unit_import_too_large", "import_empty")},
    ),
    Operation(
        "POST",
        "/units/imports/{import_id}/start",
        "The file is uploaded: start the import (the same answer when asked again)",
        CATALOG,
        security="staff",
        roles=import_routes.IMPORTERS,
        status=202,
        answer=shapes.UnitImportResponse,
        errors={
            400: ("unit_import_not_uploaded", "unit_import_too_large"),
            404: ("unit_import_not_found",),
        },
    ),
    Operation(
        "GET",
        "/units/imports",
        "The brand's unit imports, newest first (without report links)",
        CATALOG,
        security="staff",
        roles=import_routes.IMPORTERS,
        query=(LIMIT_JOBS, CURSOR),
        answer=shapes.UnitImportsResponse,
    ),
    Operation(
        "GET",
        "/units/imports/{import_id}",
        "An import's status, counts and first rejected lines; when done, the report's link"
        " (Excel) valid 15 minutes",
        CATALOG,
        security="staff",
        roles=import_routes.IMPORTERS,
        answer=shapes.UnitImportResponse,
        errors={404: ("unit_import_not_found",)},
    ),
    Operation(
        "POST",
        "/brand/logo",
        "Start a logo's upload: a presigned PUT (JPEG, PNG or WebP, at most 5 MB)",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/png", "size": 24000},
        status=201,
        answer=shapes.ImageUploadResponse,
        errors={400: ("image_type_unsupported",), 413: ("image_too_large",)},
    ),
    Operation(
        "POST",
        "/brand/logo/done",
        "Finish it: the logo checked and re-encoded; its path for the brand's next save",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.ImageUploadedRequest,
        example={"key": "brand-logos/5f0c9a1b2c3d4e5f"},
        answer=shapes.LogoUploadedResponse,
        errors={
            400: ("image_upload_unknown", "image_unreadable", "image_too_many_pixels"),
            404: ("image_upload_missing",),
            413: ("image_too_large",),
        },
    ),
    Operation(
        "POST",
        "/models/{code}/image",
        "Start a picture's upload: a presigned PUT (JPEG, PNG or WebP, at most 5 MB)",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 412000},
        status=201,
        answer=shapes.ImageUploadResponse,
        errors={
            400: ("model_code_invalid", "image_type_unsupported"),
            404: ("model_not_found",),
            413: ("image_too_large",),
        },
    ),
    Operation(
        "POST",
        "/models/{code}/image/done",
        "Finish it: the upload checked, a thumbnail without metadata set as the model's picture",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.ImageUploadedRequest,
        example={"key": "model-images/AC-INV-12/5f0c9a1b2c3d4e5f"},
        answer=shapes.ModelResponse,
        errors={
            400: (
                "model_code_invalid",
                "image_upload_unknown",
                "image_unreadable",
                "image_too_many_pixels",
            ),
            404: ("model_not_found", "image_upload_missing"),
            413: ("image_too_large",),
        },
    ),
    Operation(
        "POST",
        "/units/import",
        "Register units from a CSV of `serial,model_code[,batch,manufactured_on,carton]`",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        raw_bodies=(CSV,),
        max_body=catalog_routes.MAX_IMPORT_BYTES,
        example="serial,model_code,batch,manufactured_on\nAB-1001,AC-INV-12,B1,2026-10-01\n",
        answer=shapes.ImportResponse,
        errors={
            400: (
                "import_empty",
                "import_too_many_rows",
                "import_not_utf8",
                "import_malformed_csv",
            ),
            413: ("payload_too_large",),
            415: ("unsupported_media_type",),
        },
    ),
    Operation(
        "POST",
        "/units/generate",
        "Generate serials for a model (prefix + sequence + Luhn mod 36 check character)",
        CATALOG,
        security="staff",
        roles=catalog_routes.ADMIN,
        body=catalog_schemas.GenerateUnitsRequest,
        example={
            "model_code": "AC-INV-12",
            "count": 5,
            "batch": "2026-11",
            "manufactured_on": "2026-11-01",
        },
        status=201,
        answer=shapes.GenerateResponse,
        errors={
            400: (
                "model_code_invalid",
                "generate_count_out_of_range",
                "serial_prefix_invalid",
                "serial_sequence_exhausted",
            ),
            404: ("model_not_found", "brand_not_found"),
        },
    ),
    Operation(
        "GET",
        "/units",
        "The units list: serial (exact or prefix with a trailing `*`), model, batch, status, "
        "activation days; owners masked; a page may be short (read budget) with `next_cursor`",
        CATALOG,
        security="staff",
        roles=catalog_routes.UNIT_READERS,
        query=(*UNIT_FILTERS, LIMIT_UNITS, CURSOR),
        answer=shapes.UnitsResponse,
        errors={
            400: (
                "serial_invalid",
                "model_code_invalid",
                "batch_invalid",
                "unit_status_invalid",
                "date_invalid",
                "date_range_invalid",
            )
        },
    ),
    Operation(
        "POST",
        "/units/exports",
        "Export the units list with these filters to Excel, as a job (202)",
        CATALOG,
        security="staff",
        roles=catalog_routes.UNIT_READERS,
        body=catalog_schemas.UnitExportRequest,
        example={"model": "AC-INV-12", "status": "activated", "activated_from": "2026-11-01"},
        status=202,
        answer=shapes.UnitExportResponse,
        errors={
            400: (
                "serial_invalid",
                "model_code_invalid",
                "batch_invalid",
                "unit_status_invalid",
                "date_invalid",
                "date_range_invalid",
            )
        },
    ),
    Operation(
        "GET",
        "/units/exports/{export_id}",
        "An export's progress (rows written); when done, a download link for 15 minutes",
        CATALOG,
        security="staff",
        roles=catalog_routes.UNIT_READERS,
        answer=shapes.UnitExportResponse,
        errors={404: ("unit_export_not_found",)},
    ),
    Operation(
        "POST",
        "/units/{serial}/owner",
        "The owner's full name and phone (each reveal is an `owner_revealed` audit entry)",
        CATALOG,
        security="staff",
        roles=catalog_routes.OWNER_READERS,
        answer=shapes.UnitOwnerResponse,
        errors={400: ("serial_invalid",), 404: ("unit_not_found", "unit_has_no_owner")},
    ),
    Operation(
        "GET",
        "/units/{serial}",
        "One unit: status, warranty, QR link, activation and history",
        CATALOG,
        security="staff",
        roles=catalog_routes.UNIT_READERS,
        answer=shapes.StaffUnitResponse,
        errors={400: ("serial_invalid",), 404: ("unit_not_found",)},
    ),
    # -- dashboard -------------------------------------------------------------------------------
    Operation(
        "GET",
        "/dashboard",
        "Activations today, in 7 and 30 days, by day, model and channel; today's messages and "
        "spend against the cap; label jobs running",
        DASHBOARD,
        security="staff",
        roles=dashboard_routes.READERS,
        answer=shapes.DashboardResponse,
        description="Read from the daily roll-up counters the units and notifications streams "
        "keep: the same few reads whatever the number of units.",
    ),
    # -- messages --------------------------------------------------------------------------------
    Operation(
        "GET",
        "/messages",
        "The brand's outbox, newest first, with the page's cost and today's spend",
        MESSAGES,
        security="staff",
        roles=messages_routes.READERS,
        query=(
            Query(
                "status",
                "Only messages in this state.",
                {"type": "string", "enum": sorted(get_args(shapes.DeliveryStatus))},
            ),
            Query(
                "phone",
                "Only messages to this Vietnamese mobile (not with `cursor`).",
                {"type": "string", "maxLength": 32},
            ),
            LIMIT_MESSAGES,
            CURSOR,
        ),
        answer=shapes.MessagesResponse,
        errors={
            400: ("phone_required", "phone_invalid", "phone_not_mobile", "phone_not_vietnamese")
        },
    ),
    Operation(
        "GET",
        "/messages/{message_id}",
        "One message with its text (a lookup code redacted) and events",
        MESSAGES,
        security="staff",
        roles=messages_routes.READERS,
        answer=shapes.MessageDetailResponse,
        errors={404: ("message_not_found",)},
    ),
    Operation(
        "POST",
        "/messages/{message_id}/retry",
        "Send a failed, unknown or stuck queued message again",
        MESSAGES,
        security="staff",
        roles=messages_routes.RETRIERS,
        status=202,
        answer=shapes.MessageDetailResponse,
        errors={
            404: ("message_not_found",),
            409: ("message_not_retryable", "message_expired"),
        },
    ),
    # -- customers -------------------------------------------------------------------------------
    Operation(
        "GET",
        "/customers",
        "Find a customer by phone (any spelling), the start of the name, or a unit's serial",
        CUSTOMERS,
        security="staff",
        roles=customer_routes.READERS,
        query=(
            Query(
                "phone",
                "A Vietnamese mobile in any spelling: the customer with it, or none.",
                {"type": "string", "maxLength": 32},
            ),
            Query(
                "name",
                "The start of the name, marks and case ignored (`tran thi`), 2 letters at least.",
                {"type": "string", "maxLength": 100},
            ),
            Query("serial", "A unit's serial: its owner, or none.", {"type": "string"}),
            Query("limit", "Page size (name searches).", _digits(1, 50, 20)),
            CURSOR,
        ),
        answer=shapes.CustomersResponse,
        errors={400: ("customer_search_mode", "invalid_input")},
        description="Exactly one of `phone`, `name`, `serial`. Name and phone are masked.",
    ),
    Operation(
        "GET",
        "/customers/{customer_id}",
        "A customer's units, consents per purpose and messages, masked",
        CUSTOMERS,
        security="staff",
        roles=customer_routes.READERS,
        answer=shapes.CustomerResponse,
        errors={404: ("customer_not_found",)},
    ),
    Operation(
        "POST",
        "/customers/{customer_id}/reveal",
        "A customer's full name and phone (recorded in the audit trail)",
        CUSTOMERS,
        security="staff",
        roles=customer_routes.REVEALERS,
        answer=shapes.RevealedCustomerResponse,
        errors={404: ("customer_not_found",)},
    ),
    # -- labels ----------------------------------------------------------------------------------
    Operation(
        "GET",
        "/units/{serial}/qr.png",
        "The unit's QR code as a 1-bit PNG (send `Accept: image/png`)",
        LABELS,
        security="staff",
        roles=labels_routes.QR_READERS,
        query=(Query("scale", "Pixels a module.", _digits(1, 40, 10)), BORDER),
        answer="image/png",
        errors={400: ("serial_invalid",), **NO_UNIT},
    ),
    Operation(
        "GET",
        "/units/{serial}/qr.svg",
        "The unit's QR code as an SVG at print size",
        LABELS,
        security="staff",
        roles=labels_routes.QR_READERS,
        query=(
            Query(
                "size_mm",
                "Printed width in millimetres, quiet zone included (a plain decimal).",
                {"type": "number", "minimum": 8, "maximum": 200, "default": 20},
            ),
            BORDER,
        ),
        answer="image/svg+xml",
        errors={400: ("serial_invalid",), **NO_UNIT},
    ),
    Operation(
        "GET",
        "/labels/templates",
        "Label templates, built-in first",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_READERS,
        answer=shapes.TemplatesResponse,
    ),
    Operation(
        "GET",
        "/labels/templates/{name}",
        "One label template",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_READERS,
        answer=shapes.TemplateResponse,
        errors={**BAD_TEMPLATE_NAME, 404: ("label_template_not_found",)},
    ),
    Operation(
        "PUT",
        "/labels/templates/{name}",
        "Create or replace one of the brand's templates (at most 30)",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_WRITERS,
        body=labels_schemas.LabelTemplateRequest,
        example={
            "label": {
                "width_mm": 50,
                "height_mm": 25,
                "qr": {"x_mm": 1, "y_mm": 1, "size_mm": 23},
                "texts": [
                    {"field": "brand", "x_mm": 25, "y_mm": 2, "width_mm": 24, "font_pt": 9},
                    {"field": "serial", "x_mm": 25, "y_mm": 7, "width_mm": 24, "font_pt": 8},
                ],
            },
            "stock": {"kind": "sheet", "columns": 4, "margin_top_mm": 12, "margin_left_mm": 5},
        },
        max_body=labels_routes.MAX_TEMPLATE_BODY,
        answer=shapes.TemplateResponse,
        errors={
            400: ("label_template_invalid", "label_text_unsupported", "invalid_input"),
            409: ("label_template_builtin", "label_templates_full", "label_templates_changed"),
        },
    ),
    Operation(
        "POST",
        "/labels/preview",
        "One label or one page of a template (as PUT takes it) as SVG, for the editor's live"
        " preview; `Accept: image/svg+xml` gets the SVG itself",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_READERS,
        body=labels_schemas.LabelPreviewRequest,
        example={
            "what": "sheet",
            "label": {
                "width_mm": 50,
                "height_mm": 25,
                "qr": {"x_mm": 1, "y_mm": 1, "size_mm": 23},
                "texts": [{"field": "serial", "x_mm": 25, "y_mm": 7, "width_mm": 24, "font_pt": 8}],
            },
            "stock": {"kind": "sheet", "columns": 4},
        },
        max_body=labels_routes.MAX_TEMPLATE_BODY,
        answer=shapes.PreviewResponse,
        errors={400: ("label_template_invalid", "label_text_unsupported", "invalid_input")},
    ),
    Operation(
        "DELETE",
        "/labels/templates/{name}",
        "Delete one of the brand's templates",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_WRITERS,
        status=204,
        errors={
            **BAD_TEMPLATE_NAME,
            404: ("label_template_not_found",),
            409: ("label_template_builtin", "label_templates_changed"),
        },
    ),
    Operation(
        "GET",
        "/labels/jobs",
        "The brand's label jobs, newest first (without download links)",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_READERS,
        query=(LIMIT_JOBS, CURSOR),
        answer=shapes.LabelJobsResponse,
    ),
    Operation(
        "POST",
        "/labels/jobs",
        "Ask for the label sheets of a batch, a serial range or a list (JSON, or CSV with"
        " `?template=`)",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_WRITERS,
        body=labels_schemas.LabelJobRequest,
        example={"template": "2x4cm-a4", "batch": "DEMO-202609"},
        raw_bodies=(CSV,),
        max_body=labels_routes.MAX_JOB_BODY,
        query=(
            Query(
                "template",
                "With a CSV body only: the template's name.",
                {"type": "string", "pattern": r"^[a-z0-9][a-z0-9.\-]{1,39}$"},
            ),
        ),
        status=202,
        answer=shapes.LabelJobResponse,
        errors={
            400: (
                "label_selection_required",
                "serial_range_mismatch",
                "serial_range_backwards",
                "serial_range_not_numbered",
                "too_many_labels",
                "serial_list_invalid",
                "serial_list_empty",
                "label_template_invalid",
                "label_text_unsupported",
                "import_not_utf8",
            ),
            404: ("batch_not_found", "label_template_not_found"),
            409: ("label_job_exists",),
        },
    ),
    Operation(
        "GET",
        "/labels/jobs/{job_id}",
        "A label job's status and progress; when done, a download link valid 15 minutes",
        LABELS,
        security="staff",
        roles=labels_routes.LABEL_READERS,
        answer=shapes.LabelJobResponse,
        errors={404: ("label_job_not_found",)},
    ),
    Operation(
        "POST",
        "/labels/cartons",
        "Queue carton labels (100 × 150 mm, one page a carton, the code as GS1-128 / Code 128)",
        LABELS,
        security="staff",
        roles=labels_routes.CARTON_LABEL_WRITERS,
        body=labels_schemas.CartonLabelJobRequest,
        example={"codes": ["106141411234567897", "CT-2026-0001"]},
        max_body=labels_routes.MAX_CARTON_JOB_BODY,
        status=202,
        answer=shapes.LabelJobResponse,
        errors={400: ("carton_code_invalid",), 404: ("carton_not_found",)},
        description="The job runs as every label job does; follow it with "
        "`GET /labels/cartons/{job_id}`.",
    ),
    Operation(
        "GET",
        "/labels/cartons/{job_id}",
        "A carton label job's status; when done, a download link valid 15 minutes",
        LABELS,
        security="staff",
        roles=labels_routes.CARTON_LABEL_READERS,
        answer=shapes.LabelJobResponse,
        errors={404: ("label_job_not_found",)},
    ),
    # -- staff users ---------------------------------------------------------------------------
    Operation(
        "POST",
        "/auth/password",
        "A signed-in staff member changes their own password (with their ACCESS token)",
        AUTH,
        security="staff",
        roles=STAFF,
        body=staff_schemas.ChangePasswordRequest,
        example={"current_password": "Own@2026pw", "new_password": "Newer@2026pw"},
        max_body=4096,
        status=204,
        errors={
            400: ("current_password_wrong", "password_too_weak"),
            401: ("access_token_required",),
            429: ("too_many_requests",),
        },
    ),
    Operation(
        "GET",
        "/staff/users",
        "The user pool's staff accounts with their roles, 60 a page",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        query=(CURSOR,),
        answer=shapes.StaffUsersResponse,
    ),
    Operation(
        "POST",
        "/staff/users",
        "Invite a staff member: the account and its temporary password, shown once",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        body=staff_schemas.InviteRequest,
        example={"username": "lan.nguyen", "email": "lan@example.vn", "roles": ["cs"]},
        max_body=4096,
        status=201,
        answer=shapes.TemporaryPasswordResponse,
        errors={
            400: ("username_invalid", "email_invalid", "role_unknown", "roles_required"),
            409: ("user_exists",),
        },
    ),
    Operation(
        "PUT",
        "/staff/users/{username}/roles",
        "Set exactly these roles (an administrator keeps their own admin role)",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        body=staff_schemas.RolesRequest,
        example={"roles": ["cs", "technician"]},
        max_body=4096,
        answer=shapes.StaffUserResponse,
        errors={
            400: ("role_unknown", "roles_required"),
            404: ("user_not_found",),
            409: ("own_admin_role",),
        },
    ),
    Operation(
        "POST",
        "/staff/users/{username}/disable",
        "Disable an account: sign-in and refresh refused, refresh tokens revoked",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        answer=shapes.StaffUserResponse,
        errors={404: ("user_not_found",), 409: ("cannot_disable_self",)},
    ),
    Operation(
        "POST",
        "/staff/users/{username}/enable",
        "Enable a disabled account again",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        answer=shapes.StaffUserResponse,
        errors={404: ("user_not_found",)},
    ),
    Operation(
        "POST",
        "/staff/users/{username}/password",
        "A new temporary password (shown once) to replace at the next sign-in",
        STAFF_USERS,
        security="staff",
        roles=staff_routes.ADMIN,
        answer=shapes.TemporaryPasswordResponse,
        errors={404: ("user_not_found",)},
    ),
    # -- the partner's own API -------------------------------------------------------------------
    Operation(
        "POST",
        "/partner/codes",
        "Send a one-time code to a partner's phone, to sign up or sign in",
        PARTNER_API,
        body=partner_schemas.PartnerCodeRequest,
        example={"phone": "0912345678", "language": "vi"},
        max_body=4096,
        status=202,
        answer=shapes.OtpSentResponse,
        errors=OTP_SEND_LIMITS,
    ),
    Operation(
        "POST",
        "/partner/signup",
        "Sign up as an installer partner (pending until staff approve), signed in at once",
        PARTNER_API,
        body=partner_schemas.PartnerSignupRequest,
        example=PARTNER_EXAMPLE | {"code": "123456", "consent": True, "language": "vi"},
        max_body=4096,
        status=201,
        answer=shapes.PartnerSignedInResponse,
        errors={
            401: OTP_REFUSALS,
            409: ("partner_exists",),
        },
        description=(
            "The code is the one `POST /partner/codes` sent to `phone`; it is checked first, so "
            "`partner_exists` only reaches the phone's holder. The answer's session token is "
            "shown once."
        ),
    ),
    Operation(
        "POST",
        "/partner/sessions",
        "Sign in with the phone and its one-time code: a new session",
        PARTNER_API,
        body=partner_schemas.PartnerSignInRequest,
        example={"phone": "0912345678", "code": "123456"},
        max_body=4096,
        answer=shapes.PartnerSignedInResponse,
        errors={
            401: OTP_REFUSALS,
            403: ("partner_rejected", "partner_suspended"),
            404: ("partner_not_found",),
        },
    ),
    Operation(
        "DELETE",
        "/partner/sessions/current",
        "Sign out: the request's session ends (the partner's other sessions stay)",
        PARTNER_API,
        security="partner",
        status=204,
    ),
    Operation(
        "GET",
        "/partner/me",
        "The signed-in partner's own record (pending partners too), masked",
        PARTNER_API,
        security="partner",
        answer=shapes.PartnerMeResponse,
    ),
    Operation(
        "POST",
        "/partner/activations",
        "An approved partner activates a unit for its customer (channel `partner`)",
        PARTNER_API,
        security="partner",
        body=activation_schemas.PartnerActivationRequest,
        example={
            "serial": "GAR00000017W",
            "customer": {"name": "Nguyễn Văn An", "phone": "0912 345 678", "province": "Hà Nội"},
            "consents": {"warranty_service": True, "marketing": False},
            "installer": {"installed_on": "2026-12-01", "store": "Điện máy Q1", "notes": ""},
            "language": "vi",
        },
        max_body=4096,
        status=201,
        answer=shapes.ActivationResponse,
        errors={
            400: (
                "consent_required",
                "activation_deadline_passed",
                "idempotency_key_invalid",
                "unit_reference_required",
                "installed_on_in_future",
                "installed_on_before_manufacture",
            ),
            403: PHONE_CODE_REFUSALS,
            404: ("unit_not_found",),
            409: ("already_activated", "unit_not_activatable"),
            422: ("idempotency_key_reused",),
        },
        description=(
            "The unit by its QR `token` or its `serial` (exactly one). The same single "
            "transaction, `Idempotency-Key` and phone-code rules as `POST /public/activations`; "
            "the signed-in partner is the installer. The customer gets the confirmation, the "
            "partner a `partner_activation` message."
        ),
    ),
    Operation(
        "GET",
        "/partner/banks",
        "The banks a partner can be paid into, with their NAPAS BIN (the sign-up form's list)",
        PARTNER_API,
        answer=shapes.BanksResponse,
    ),
    Operation(
        "GET",
        "/partner/provinces",
        "The 34 provinces and cities since 1 July 2025 (the sign-up form's list)",
        PARTNER_API,
        answer=shapes.ProvincesResponse,
    ),
    # -- partners (staff) ------------------------------------------------------------------------
    Operation(
        "GET",
        "/partners",
        "Partners in one status, oldest first, or the partner with a phone",
        PARTNERS,
        security="staff",
        roles=partner_staff_routes.READERS,
        query=(
            Query(
                "status",
                "Partners in this status (default `pending`: the review queue).",
                {"type": "string", "enum": ["pending", "approved", "rejected", "suspended"]},
            ),
            Query(
                "phone",
                "A Vietnamese mobile in any spelling: its partner, or none (alone).",
                {"type": "string", "maxLength": 32},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.PartnersResponse,
        errors={400: ("invalid_input",)},
        description="Citizen ID, account number and tax code are masked (last 4) for cs.",
    ),
    Operation(
        "POST",
        "/partners",
        "Create a partner (who agreed to the terms), pending or approved",
        PARTNERS,
        security="staff",
        roles=partner_staff_routes.WRITERS,
        body=partner_schemas.PartnerCreateRequest,
        example=PARTNER_EXAMPLE | {"consent": True, "status": "approved", "note": "Đã gặp"},
        max_body=4096,
        status=201,
        answer=shapes.PartnerDetailResponse,
        errors={409: ("partner_exists",)},
    ),
    Operation(
        "GET",
        "/partners/{partner_id}",
        "One partner with their status history",
        PARTNERS,
        security="staff",
        roles=partner_staff_routes.READERS,
        answer=shapes.PartnerDetailResponse,
        errors={404: ("partner_not_found",)},
    ),
    Operation(
        "POST",
        "/partners/{partner_id}/status",
        "Approve, reject, suspend or reinstate a partner (a note to reject or suspend)",
        PARTNERS,
        security="staff",
        roles=partner_staff_routes.WRITERS,
        body=partner_schemas.PartnerStatusRequest,
        example={"status": "suspended", "note": "Kích hoạt bất thường, đang xác minh"},
        max_body=4096,
        answer=shapes.PartnerDetailResponse,
        errors={404: ("partner_not_found",), 409: ("partner_status_not_allowed",)},
        description=(
            "`pending` → `approved` | `rejected`; `approved` → `suspended`; `suspended` → "
            "`approved`. Rejection and suspension end the partner's sessions at once."
        ),
    ),
    Operation(
        "POST",
        "/partners/{partner_id}/commitment",
        "Record whether the partner's commitment form (Mẫu 08/CK-TNCN) is on file",
        PARTNERS,
        security="staff",
        roles=partner_staff_routes.COMMITMENT_WRITERS,
        body=partner_schemas.CommitmentRequest,
        example={"on_file": True, "note": "Bản cam kết ký ngày 02/12/2026"},
        max_body=4096,
        answer=shapes.PartnerDetailResponse,
        errors={404: ("partner_not_found",)},
        description="On file, batches made from then on withhold no tax from the partner.",
    ),
    # -- dealers (staff) -------------------------------------------------------------------------
    Operation(
        "GET",
        "/dealers",
        "Dealers in code order, by the start of their code and by status",
        DEALERS,
        security="staff",
        roles=dealer_routes.READERS,
        query=(
            Query(
                "code",
                "The start of a dealer code, in any case (`hn` finds `HN-01`).",
                _text(dealer_routes.CODE_PREFIX_MAX),
                example="HN",
            ),
            Query(
                "status",
                "Only dealers in this status.",
                {"type": "string", "enum": ["active", "suspended", "closed"]},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.DealersResponse,
        errors={400: ("invalid_input",)},
        description="A status filter may make a page shorter than `limit`; follow `next_cursor`.",
    ),
    Operation(
        "POST",
        "/dealers",
        "Create a dealer (or a distributor), active",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        body=dealer_schemas.DealerCreateRequest,
        example={"code": "HN-01", **DEALER_EXAMPLE, "note": "Hợp đồng 2026"},
        max_body=dealer_routes.MAX_BODY,
        status=201,
        answer=shapes.DealerDetailResponse,
        errors={400: DEALER_PARENT_REFUSALS, 409: ("dealer_code_taken",)},
    ),
    Operation(
        "GET",
        "/dealers/{dealer_id}",
        "One dealer with its distributor, the dealers it supplies and its status history",
        DEALERS,
        security="staff",
        roles=dealer_routes.READERS,
        answer=shapes.DealerDetailResponse,
        errors={404: ("dealer_not_found",)},
    ),
    Operation(
        "PUT",
        "/dealers/{dealer_id}",
        "Edit a dealer's details (not its code), conditional on the version read",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        body=dealer_schemas.DealerEditRequest,
        example={**DEALER_EXAMPLE, "version": 1},
        max_body=dealer_routes.MAX_BODY,
        answer=shapes.DealerDetailResponse,
        errors={
            400: DEALER_PARENT_REFUSALS,
            404: ("dealer_not_found",),
            409: ("dealer_changed", "dealer_closed"),
        },
    ),
    Operation(
        "POST",
        "/dealers/{dealer_id}/status",
        "Suspend, reinstate or close a dealer (a note to suspend or close)",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        body=dealer_schemas.DealerStatusRequest,
        example={"status": "suspended", "note": "Chậm thanh toán"},
        max_body=dealer_routes.MAX_BODY,
        answer=shapes.DealerDetailResponse,
        errors={
            400: ("note_required",),
            404: ("dealer_not_found",),
            409: ("dealer_status_not_allowed", "dealer_changed"),
        },
        description=(
            "`active` → `suspended` | `closed`; `suspended` → `active` | `closed`. A suspended "
            "or closed dealer's users are refused at once."
        ),
    ),
    Operation(
        "GET",
        "/dealers/{dealer_id}/users",
        "The dealer's users, with their accounts' state",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        answer=shapes.DealerUsersResponse,
        errors={404: ("dealer_not_found",)},
    ),
    Operation(
        "POST",
        "/dealers/{dealer_id}/users",
        "Add a user to the dealer: an account in the `dealer` group, its temporary password once",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        body=dealer_schemas.DealerUserRequest,
        example={"username": "minh.phat", "email": "cuahang@minhphat.vn"},
        max_body=dealer_routes.MAX_BODY,
        status=201,
        answer=shapes.DealerUserAddedResponse,
        errors={
            400: ("username_invalid", "email_invalid"),
            404: ("dealer_not_found",),
            409: ("user_exists", "dealer_closed"),
        },
        description="The user replaces the password at the first sign-in "
        "(`POST /auth/new-password`), as staff do.",
    ),
    Operation(
        "DELETE",
        "/dealers/{dealer_id}/users/{username}",
        "Remove a user from the dealer: its access ends at once, its account is disabled",
        DEALERS,
        security="staff",
        roles=dealer_routes.WRITERS,
        status=204,
        errors={404: ("dealer_user_not_found",)},
    ),
    # -- service centres (staff) -----------------------------------------------------------------
    Operation(
        "GET",
        "/service-centers",
        "Service centres in code order, by the start of their code and by status",
        CENTERS,
        security="staff",
        roles=center_routes.READERS,
        query=(
            Query(
                "code",
                "The start of a centre code, in any case (`mp` finds `MP-01`).",
                _text(center_routes.CODE_PREFIX_MAX),
                example="MP",
            ),
            Query(
                "status",
                "Only centres in this status.",
                {"type": "string", "enum": ["active", "suspended", "closed"]},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.ServiceCentersResponse,
        errors={400: ("invalid_input",)},
        description="A status filter may make a page shorter than `limit`; follow `next_cursor`.",
    ),
    Operation(
        "POST",
        "/service-centers",
        "Register a service centre (the brand's own) or a partner service company, active",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        body=center_schemas.CenterCreateRequest,
        example={"code": "MP-01", "kind": "partner", **CENTER_EXAMPLE, "note": "Hợp đồng 2026"},
        max_body=center_routes.MAX_BODY,
        status=201,
        answer=shapes.ServiceCenterDetailResponse,
        errors={400: CENTER_FIELD_REFUSALS, 409: ("center_code_taken",)},
        description="A partner needs its tax code; an internal centre keeps none.",
    ),
    Operation(
        "GET",
        "/service-centers/{center_id}",
        "One service centre with its status history",
        CENTERS,
        security="staff",
        roles=center_routes.READERS,
        answer=shapes.ServiceCenterDetailResponse,
        errors={404: ("service_center_not_found",)},
    ),
    Operation(
        "PUT",
        "/service-centers/{center_id}",
        "Edit a centre's details (not its code or kind), conditional on the version read",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        body=center_schemas.CenterEditRequest,
        example={**CENTER_EXAMPLE, "version": 1},
        max_body=center_routes.MAX_BODY,
        answer=shapes.ServiceCenterDetailResponse,
        errors={
            400: CENTER_FIELD_REFUSALS,
            404: ("service_center_not_found",),
            409: ("center_changed", "center_closed"),
        },
    ),
    Operation(
        "POST",
        "/service-centers/{center_id}/status",
        "Suspend, reinstate or close a centre (a note to suspend or close)",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        body=center_schemas.CenterStatusRequest,
        example={"status": "suspended", "note": "Chậm xử lý yêu cầu"},
        max_body=center_routes.MAX_BODY,
        answer=shapes.ServiceCenterDetailResponse,
        errors={
            400: ("note_required",),
            404: ("service_center_not_found",),
            409: ("center_status_not_allowed", "center_changed"),
        },
        description=(
            "`active` → `suspended` | `closed`; `suspended` → `active` | `closed`. A suspended "
            "or closed company's users are refused at once; no request is routed to it."
        ),
    ),
    Operation(
        "GET",
        "/service-centers/{center_id}/users",
        "A partner company's users, with their accounts' state",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        answer=shapes.ServiceCenterUsersResponse,
        errors={404: ("service_center_not_found",)},
    ),
    Operation(
        "POST",
        "/service-centers/{center_id}/users",
        "Add a user to a partner company: an account in the `service` group, its temporary "
        "password once",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        body=center_schemas.CenterUserRequest,
        example={"username": "minhphat.kt", "email": "kythuat@minhphat.vn"},
        max_body=center_routes.MAX_BODY,
        status=201,
        answer=shapes.ServiceCenterUserAddedResponse,
        errors={
            400: ("username_invalid", "email_invalid"),
            404: ("service_center_not_found",),
            409: ("user_exists", "center_closed", "center_not_partner"),
        },
        description="The user replaces the password at the first sign-in "
        "(`POST /auth/new-password`), as staff do. The brand's own centre has no users of its "
        "own (its technicians are staff).",
    ),
    Operation(
        "DELETE",
        "/service-centers/{center_id}/users/{username}",
        "Remove a user from a company: its access ends at once, its account is disabled",
        CENTERS,
        security="staff",
        roles=center_routes.WRITERS,
        status=204,
        errors={404: ("service_user_not_found",)},
    ),
    # -- the service company's own (a company user's token) --------------------------------------
    Operation(
        "GET",
        "/service/me",
        "The signed-in company user and its centre",
        SERVICE_API,
        security="service",
        answer=shapes.ServiceMeResponse,
        description="The company's requests are the claims routes' (`/claims/mine`, scoped to "
        "`company#<center_id>`).",
    ),
    # -- public: service points --------------------------------------------------------------------
    Operation(
        "GET",
        "/public/service-points",
        "The authorised service points of a province",
        PUBLIC,
        query=(
            Query(
                "province",
                "One of the 34 provinces and cities, as written (`Hà Nội`, `Huế`).",
                _text(160),
                required=True,
                example="Hà Nội",
            ),
        ),
        answer=shapes.ServicePointsResponse,
        errors={400: ("province_required", "province_invalid"), 429: ("lookup_rate_limited",)},
        description="Active centres serving the province that staff list publicly, with the "
        "centre's public line and hours. At most 30 a minute per client.",
    ),
    # -- the dealer's own (a dealer user's token) ------------------------------------------------
    Operation(
        "GET",
        "/dealer/me",
        "The signed-in dealer user and its dealer",
        DEALER_API,
        security="dealer",
        answer=shapes.DealerMeResponse,
    ),
    Operation(
        "GET",
        "/dealer/units",
        "The units shipped to the dealer, in serial order",
        DEALER_API,
        security="dealer",
        query=(
            Query(
                "status",
                "Only units in this status.",
                {"type": "string", "enum": ["shipped", "activated", "void"]},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.DealerUnitsResponse,
        description="A status filter may make a page shorter than `limit`; follow `next_cursor`.",
    ),
    Operation(
        "GET",
        "/dealer/activations",
        "The dealer's units that customers activated, customers masked",
        DEALER_API,
        security="dealer",
        query=(Query("limit", "Page size.", _digits(1, 100, 25)), CURSOR),
        answer=shapes.DealerActivationsResponse,
    ),
    Operation(
        "POST",
        "/dealer/activations/start",
        "Send the buyer's phone a code, to activate a unit shipped to this dealer for them",
        DEALER_API,
        security="dealer",
        body=dealer_schemas.DealerActivationStartRequest,
        example={
            "serial": "GAR000000019",
            "buyer": {"name": "Trần Thị Bình", "phone": "0987654321", "province": "Hà Nội"},
            "language": "vi",
        },
        status=202,
        answer=shapes.OtpSentResponse,
        errors={
            403: ("unit_not_shipped_to_dealer",),
            404: ("unit_not_found",),
            409: ("already_activated", "unit_not_activatable"),
            **OTP_SEND_LIMITS,
        },
    ),
    Operation(
        "POST",
        "/dealer/activations/confirm",
        "Activate the unit for the buyer with the code they received (channel `dealer`)",
        DEALER_API,
        security="dealer",
        body=dealer_schemas.DealerActivationConfirmRequest,
        example={
            "serial": "GAR000000019",
            "buyer": {"name": "Trần Thị Bình", "phone": "0987654321", "province": "Hà Nội"},
            "code": "123456",
        },
        status=201,
        answer=shapes.DealerActivatedResponse,
        errors={
            400: ("activation_deadline_passed",),
            403: ("unit_not_shipped_to_dealer", *PHONE_CODE_REFUSALS),
            404: ("unit_not_found",),
            409: ("already_activated", "unit_not_activatable"),
        },
        description="The same unit and buyer as the start, and the code: the unit is activated "
        "in the single transaction every channel uses.",
    ),
    # -- audit -----------------------------------------------------------------------------------
    Operation(
        "GET",
        "/audit",
        "The audit trail, newest first: one thing's history, a staff member's, or days'",
        AUDIT,
        security="staff",
        roles=audit_routes.READERS,
        query=(
            Query(
                "entity",
                "The kind of thing: `unit`, `model`, `brand`, `label_template`, `user`,"
                " `customer`, `partner`. With `entity_id`, that thing's history; alone, a"
                " filter.",
                _text(128),
                example="model",
            ),
            Query("entity_id", "The thing's id (needs `entity`).", _text(128), example="AC-9"),
            Query("actor", "A staff username (or `system`, `customer`, `partner`).", _text(128)),
            Query(
                "from",
                "First day (Vietnam's calendar, `YYYY-MM-DD`); by days, today when absent.",
                {"type": "string", "format": "date"},
            ),
            Query(
                "to",
                "Last day (`YYYY-MM-DD`), today when absent; a range is at most 92 days.",
                {"type": "string", "format": "date"},
            ),
            LIMIT_MESSAGES,
            CURSOR,
        ),
        answer=shapes.AuditEntriesResponse,
        errors={
            400: (
                "audit_entity_unknown",
                "date_invalid",
                "date_range_backwards",
                "date_range_too_long",
                "limit_out_of_range",
            )
        },
    ),
    # -- rewards ---------------------------------------------------------------------------------
    Operation(
        "GET",
        "/rewards/rules",
        "Every reward rule: its latest version (what applies) and all its versions",
        REWARDS,
        security="staff",
        roles=reward_routes.RULE_READERS,
        answer=shapes.RewardRulesResponse,
    ),
    Operation(
        "POST",
        "/rewards/rules",
        "A new reward rule, or (with `rule_id`) the next version of one",
        REWARDS,
        security="staff",
        roles=reward_routes.RULE_WRITERS,
        body=partner_schemas.RewardRuleRequest,
        example={
            "model_code": "AC-INV-12",
            "amount": 50000,
            "valid_from": "2026-12-01",
            "valid_to": None,
            "priority": 0,
            "note": "Chương trình Tết",
        },
        max_body=4096,
        status=201,
        answer=shapes.RewardRuleResponse,
        errors={
            400: (
                "reward_amount_invalid",
                "reward_rule_dates_invalid",
                "reward_priority_invalid",
                "reward_rule_model_fixed",
            ),
            404: ("model_not_found", "reward_rule_not_found"),
            409: ("reward_rule_changed",),
        },
        description=(
            "Rules are never edited: a change is the rule's next version (the model stays), "
            "the old versions kept; two changes at once: the second is 409."
        ),
    ),
    Operation(
        "POST",
        "/rewards/rules/{rule_id}/end",
        "End a rule: its next version covers no day after `valid_to` (default today)",
        REWARDS,
        security="staff",
        roles=reward_routes.RULE_WRITERS,
        body=partner_schemas.RewardRuleEndRequest,
        example={"valid_to": "2026-12-31", "note": "Hết chương trình"},
        max_body=4096,
        status=201,
        answer=shapes.RewardRuleResponse,
        errors={404: ("reward_rule_not_found",), 409: ("reward_rule_ended", "reward_rule_changed")},
    ),
    Operation(
        "GET",
        "/rewards",
        "A month's reward ledger entries, newest first, optionally in one state",
        REWARDS,
        security="staff",
        roles=reward_routes.LEDGER_READERS,
        query=(
            Query(
                "period",
                "`YYYY-MM` of the activation day.",
                {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                required=True,
                example="2026-12",
            ),
            Query(
                "state",
                "Only entries in this state.",
                {
                    "type": "string",
                    "enum": [
                        "pending",
                        "held",
                        "approved",
                        "rejected",
                        "in_payout",
                        "paid",
                        "payment_failed",
                        "not_eligible",
                    ],
                },
            ),
            Query("limit", "Page size.", _digits(1, 100, 50)),
            CURSOR,
        ),
        answer=shapes.RewardsResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "POST",
        "/rewards/{serial}/decision",
        "Approve or reject one reward entry (the partner is told when approved)",
        REWARDS,
        security="staff",
        roles=reward_routes.DECIDERS,
        body=partner_schemas.RewardDecisionRequest,
        example={"decision": "approve", "note": "Đã gọi xác minh khách"},
        max_body=4096,
        answer=shapes.RewardDecisionResponse,
        errors={
            400: ("invalid_input", "note_required"),
            404: ("reward_not_found",),
            409: (
                "reward_not_eligible",
                "reward_already_decided",
                "reward_state_changed",
                "period_locked",
            ),
        },
        description=(
            "`pending` or `held` → `approved` / `rejected`; a note to reject and to approve a "
            "held entry. One transaction: the entry (conditional on its state and version), "
            "a check that its month is not locked, and the partner's `reward_approved`."
        ),
    ),
    Operation(
        "POST",
        "/rewards/decisions",
        "The same decision on up to 100 entries: every serial's outcome",
        REWARDS,
        security="staff",
        roles=reward_routes.DECIDERS,
        body=partner_schemas.RewardDecisionsRequest,
        example={"serials": ["GAR00000017W"], "decision": "reject", "note": "Trùng lặp"},
        max_body=8192,
        answer=shapes.RewardDecisionsResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "GET",
        "/rewards/periods/{period}",
        "A month's counts and sums per state, its partners and its lock",
        REWARDS,
        security="staff",
        roles=reward_routes.RECONCILERS,
        answer=shapes.RewardPeriodResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "POST",
        "/rewards/periods/{period}/lock",
        "Sign a month off: no decision on its entries after this",
        REWARDS,
        security="staff",
        roles=reward_routes.DECIDERS,
        answer=shapes.RewardPeriodResponse,
        errors={
            400: ("invalid_input",),
            409: ("period_has_undecided", "period_locked", "period_not_started"),
        },
    ),
    Operation(
        "POST",
        "/rewards/periods/{period}/export",
        "Export the month's entries to Excel, as a job (202): any length",
        REWARDS,
        security="staff",
        roles=reward_routes.RECONCILERS,
        status=202,
        answer=shapes.ExportJobResponse,
        errors={400: ("invalid_input",)},
        description="The exports stream writes it (constant memory, formulas neutralised); "
        "follow it at `GET /rewards/exports/{export_id}`.",
    ),
    Operation(
        "GET",
        "/rewards/exports/{export_id}",
        "A month's export: progress; when done, a download link for 15 minutes",
        REWARDS,
        security="staff",
        roles=reward_routes.RECONCILERS,
        answer=shapes.ExportJobResponse,
        errors={404: ("reward_export_not_found",)},
    ),
    Operation(
        "GET",
        "/partner/units/{serial}/warranty-history",
        "The warranty history of a unit the signed-in partner installed",
        PARTNER_API,
        security="partner",
        answer=shapes.WarrantyHistoryResponse,
        errors={400: ("serial_invalid", "serial_prefix_invalid"), 404: ("unit_not_found",)},
        description="Only a unit whose activation names the partner as its installer (any "
        "other unit is 404, as one that does not exist); the customer masked, every request "
        "on the unit with its outcome.",
    ),
    Operation(
        "GET",
        "/partner/rewards",
        "The signed-in partner's own reward entries (newest first) and balance",
        PARTNER_API,
        security="partner",
        query=(
            Query(
                "period",
                "Only this month's entries (`YYYY-MM` of the activation day), with its totals.",
                {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                example="2026-12",
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.PartnerRewardsResponse,
        errors={400: ("invalid_input",)},
        description="`balance`: approved minus paid, integer VND. `period`: the month's "
        "entries and, under `period`, its totals (400 `reward_period_invalid`).",
    ),
    # -- partners' cases -------------------------------------------------------------------------
    Operation(
        "POST",
        "/partner/cases",
        "Open a case: service for a unit the partner installed, or a complaint about its entry",
        PARTNER_API,
        security="partner",
        body=case_schemas.CaseOpenRequest,
        example={
            "kind": "service",
            "serial": "GAR00000017W",
            "subject": "Máy kêu to sau lắp đặt",
            "text": "Khách báo máy kêu to khi chạy đêm.",
            "photos": ["case-photos/p_01kbf3x5j2m8q7c4r6t9v0w1yz/5f0c9a1b2c3d4e5f6a7b.webp"],
        },
        max_body=case_routes.MAX_BODY,
        status=201,
        answer=shapes.PartnerCaseResponse,
        errors={
            400: (*CASE_NOTE_REFUSALS, "case_subject_required", "case_subject_too_long"),
            403: ("case_unit_not_installed",),
            404: ("unit_not_found", "case_entry_not_found", "case_photo_missing"),
        },
        description=(
            "`service`: the unit's activation recorded the partner as installer (signed in, or "
            "its phone typed on the public form). `complaint`: the serial's reward entry is the "
            "partner's own. The first note is the partner's; the case is `open`."
        ),
    ),
    Operation(
        "GET",
        "/partner/cases",
        "The signed-in partner's own cases, the latest activity first",
        PARTNER_API,
        security="partner",
        query=(Query("limit", "Page size.", _digits(1, 100, 25)), CURSOR),
        answer=shapes.PartnerCasesResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "GET",
        "/partner/cases/{case_id}",
        "One of the partner's own cases with its thread and photo links",
        PARTNER_API,
        security="partner",
        answer=shapes.PartnerCaseResponse,
        errors={404: ("case_not_found",)},
        description="Another partner's case is `case_not_found`, like a missing one.",
    ),
    Operation(
        "POST",
        "/partner/cases/{case_id}/notes",
        "The partner's note (text and up to 5 photos): the case is open again",
        PARTNER_API,
        security="partner",
        body=case_schemas.CaseNoteRequest,
        example={"text": "Đã thay tụ, máy vẫn kêu.", "photos": []},
        max_body=case_routes.MAX_BODY,
        status=201,
        answer=shapes.PartnerCaseResponse,
        errors={
            400: CASE_NOTE_REFUSALS,
            404: ("case_not_found", "case_photo_missing"),
            409: ("case_changed", "case_thread_full"),
        },
        description="A note on a closed case reopens it. Notes are never edited.",
    ),
    Operation(
        "POST",
        "/partner/cases/{case_id}/close",
        "The partner closes its case",
        PARTNER_API,
        security="partner",
        answer=shapes.PartnerCaseResponse,
        errors={404: ("case_not_found",), 409: ("case_closed", "case_changed")},
    ),
    Operation(
        "POST",
        "/partner/cases/photos",
        "Start a photo's upload: a presigned PUT (JPEG, PNG or WebP, at most 5 MB)",
        PARTNER_API,
        security="partner",
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 412000},
        status=201,
        answer=shapes.CasePhotoUploadResponse,
        errors={400: ("image_type_unsupported",), 413: ("image_too_large",)},
    ),
    Operation(
        "POST",
        "/partner/cases/photos/done",
        "Finish it: the photo checked and kept as a WebP without metadata, for a note",
        PARTNER_API,
        security="partner",
        body=catalog_schemas.ImageUploadedRequest,
        example={"key": "case-uploads/p_01kbf3x5j2m8q7c4r6t9v0w1yz/5f0c9a1b2c3d4e5f"},
        answer=shapes.CasePhotoResponse,
        errors=IMAGE_DONE_REFUSALS,
    ),
    Operation(
        "GET",
        "/cases",
        "The partners' cases in one status (open: the longest waiting first)",
        CASES,
        security="staff",
        roles=case_routes.READERS,
        query=(
            Query(
                "status",
                "Default `open`.",
                {"type": "string", "enum": ["open", "answered", "closed"], "default": "open"},
            ),
            Query(
                "kind",
                "Only this kind (a technician's queue is `service` only).",
                {"type": "string", "enum": ["service", "complaint"]},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.StaffCasesResponse,
        errors={400: ("case_status_invalid", "case_kind_invalid")},
        description=(
            "`admin`, `cs` and `director` read every case; a `technician` service cases only "
            "(`kind=complaint` is `role_not_allowed`)."
        ),
    ),
    Operation(
        "GET",
        "/cases/{case_id}",
        "A case with its thread and photo links",
        CASES,
        security="staff",
        roles=case_routes.READERS,
        answer=shapes.StaffCaseResponse,
        errors={404: ("case_not_found",)},
    ),
    Operation(
        "POST",
        "/cases/{case_id}/notes",
        "Answer a case: the partner is told (`partner_case_answered`)",
        CASES,
        security="staff",
        roles=case_routes.ANSWERERS,
        body=case_schemas.CaseNoteRequest,
        example={"text": "Kỹ thuật sẽ liên hệ trong hôm nay.", "photos": []},
        max_body=case_routes.MAX_BODY,
        status=201,
        answer=shapes.StaffCaseResponse,
        errors={
            400: CASE_NOTE_REFUSALS,
            404: ("case_not_found", "case_photo_missing"),
            409: ("case_closed", "case_changed", "case_thread_full"),
        },
        description=(
            "The case becomes `answered`. One write: the note (conditional on the case's "
            "version) and the partner's message (its id the case's and the note's number). "
            "Audited (`case_answered`)."
        ),
    ),
    Operation(
        "POST",
        "/cases/{case_id}/close",
        "Close a case (the partner may reopen it by writing)",
        CASES,
        security="staff",
        roles=case_routes.ANSWERERS,
        answer=shapes.StaffCaseResponse,
        errors={404: ("case_not_found",), 409: ("case_closed", "case_changed")},
        description="Audited (`case_closed`).",
    ),
    Operation(
        "POST",
        "/cases/photos",
        "Start a staff photo's upload: a presigned PUT",
        CASES,
        security="staff",
        roles=case_routes.ANSWERERS,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 412000},
        status=201,
        answer=shapes.CasePhotoUploadResponse,
        errors={400: ("image_type_unsupported",), 413: ("image_too_large",)},
    ),
    Operation(
        "POST",
        "/cases/photos/done",
        "Finish it: the photo checked and kept without metadata, for an answer",
        CASES,
        security="staff",
        roles=case_routes.ANSWERERS,
        body=catalog_schemas.ImageUploadedRequest,
        example={"key": "case-uploads/staff/5f0c9a1b2c3d4e5f"},
        answer=shapes.CasePhotoResponse,
        errors=IMAGE_DONE_REFUSALS,
    ),
    # -- shipments -------------------------------------------------------------------------------
    Operation(
        "GET",
        "/shipments",
        "Shipments, the latest ship date first",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.READERS,
        query=(
            Query("dealer_id", "Only this dealer's (`d_…`).", _text(40)),
            Query("dealer_code", "Only this dealer's, by its code (`HN-01`).", _text(32)),
            Query(
                "status",
                "Only shipments in this status.",
                {"type": "string", "enum": ["draft", "confirming", "confirmed", "cancelled"]},
            ),
            Query(
                "date_from",
                "Ship date on or after (`YYYY-MM-DD`).",
                {"type": "string", "format": "date"},
            ),
            Query(
                "date_to",
                "Ship date on or before (`YYYY-MM-DD`).",
                {"type": "string", "format": "date"},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.ShipmentsResponse,
        errors={
            400: (
                "shipment_status_invalid",
                "dealer_id_invalid",
                "dealer_code_invalid",
                "date_invalid",
            )
        },
    ),
    Operation(
        "POST",
        "/shipments",
        "Open a draft shipment to an active dealer",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        body=shipment_schemas.ShipmentCreateRequest,
        example={"dealer_code": "HN-01", "ship_date": "2026-03-02", "document_number": "PXK 0012"},
        status=201,
        answer=shapes.ShipmentResponse,
        errors={
            400: ("dealer_code_invalid", "shipment_document_required", "shipment_document_invalid"),
            404: ("dealer_not_found",),
            409: ("dealer_not_active",),
        },
        description="Audited (`shipment_created`).",
    ),
    Operation(
        "GET",
        "/shipments/{shipment_id}",
        "A shipment with its units (a draft's scans, else every unit it shipped, as it is now)",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.READERS,
        answer=shapes.ShipmentDetailResponse,
        errors={404: ("shipment_not_found",)},
    ),
    Operation(
        "POST",
        "/shipments/{shipment_id}/scans",
        "Scan a serial or a carton code into the draft",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        body=shipment_schemas.ScanRequest,
        example={"code": "GAR000000019"},
        answer=shapes.ScanResponse,
        errors={
            400: ("scan_code_invalid",),
            404: ("shipment_not_found",),
            409: ("shipment_not_draft", "shipment_full"),
        },
        description=(
            "Stored server-side (one item per serial): a reload or another device sees the "
            "scans. A unit already in this draft is a duplicate (`duplicate: true`, a notice, "
            "nothing changes); a unit not found, shipped, activated, void or in another draft "
            "is refused with its reason; a carton code scans each of its units."
        ),
    ),
    Operation(
        "DELETE",
        "/shipments/{shipment_id}/scans/{serial}",
        "Take a scanned serial out of the draft",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        answer=shapes.ShipmentResponse,
        errors={404: ("shipment_not_found", "scan_not_found"), 409: ("shipment_not_draft",)},
    ),
    Operation(
        "POST",
        "/shipments/{shipment_id}/confirm",
        "Ship the draft's units in chunks (resumable)",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        answer=shapes.ConfirmResponse,
        errors={
            400: ("shipment_empty",),
            404: ("shipment_not_found", "dealer_not_found"),
            409: ("shipment_cancelled", "dealer_not_active", "shipment_status_changed"),
        },
        description=(
            "99 units a transaction with the shipment's progress; a unit activated, shipped "
            "elsewhere or void meanwhile is set aside with its reason (`progress.refused`). "
            "Works up to 20 s: `finished: false` means call again to continue from the last "
            "committed chunk. Audited once (`shipment_confirmed`)."
        ),
    ),
    Operation(
        "POST",
        "/shipments/{shipment_id}/cancel",
        "Cancel: units not yet activated go back to registered",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        answer=shapes.CancelResponse,
        errors={404: ("shipment_not_found",), 409: ("shipment_status_changed",)},
        description="Activated units stay with the dealer (`kept`). Calling again finishes a "
        "cancellation cut short. Audited (`shipment_cancelled`).",
    ),
    Operation(
        "POST",
        "/shipments/{shipment_id}/returns",
        "Units scanned back from the dealer",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.WRITERS,
        body=shipment_schemas.ReturnRequest,
        example={"serials": ["GAR000000019"]},
        answer=shapes.ReturnResponse,
        errors={
            400: ("return_serials_count",),
            404: ("shipment_not_found",),
            409: ("shipment_not_confirmed",),
        },
        description="Each unit shipped by this shipment and not activated goes back to "
        "`registered`; the others are refused with their reason. Audited.",
    ),
    Operation(
        "POST",
        "/shipments/{shipment_id}/export",
        "The shipment's units as an Excel file: a presigned download link",
        SHIPMENTS,
        security="staff",
        roles=shipment_routes.READERS,
        answer=shapes.ExcelLinkResponse,
        errors={404: ("shipment_not_found",)},
        description="Serial, model, carton, status now (shipped, activated, returned, cancelled), "
        "activated, under the dealer, the ship date (a date cell) and the delivery note; formulas "
        "neutralised. Audited.",
    ),
    # -- the dealer's own shipments (a dealer user's token) ----------------------------------------
    Operation(
        "GET",
        "/dealer/shipments",
        "The signed-in dealer's confirmed and cancelled shipments, the latest ship date first",
        DEALER_API,
        security="dealer",
        query=(
            Query(
                "status",
                "Only shipments in this status (a draft is never a dealer's to see).",
                {"type": "string", "enum": ["confirmed", "cancelled"]},
            ),
            Query(
                "date_from",
                "Ship date on or after (`YYYY-MM-DD`).",
                {"type": "string", "format": "date"},
            ),
            Query(
                "date_to",
                "Ship date on or before (`YYYY-MM-DD`).",
                {"type": "string", "format": "date"},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.DealerShipmentsResponse,
        errors={400: ("shipment_status_invalid", "date_invalid")},
        description="The dealer is the user's, never the request's; drafts (even cancelled "
        "ones) and confirmations under way are left out (a page may be shorter than `limit`: "
        "follow `next_cursor`).",
    ),
    Operation(
        "GET",
        "/dealer/shipments/{shipment_id}",
        "One of the dealer's shipments with its units as they are now",
        DEALER_API,
        security="dealer",
        answer=shapes.DealerShipmentDetailResponse,
        errors={404: ("shipment_not_found",)},
        description="Another dealer's shipment, a draft (even cancelled) or one being confirmed "
        "is 404, as one that does not exist.",
    ),
    Operation(
        "POST",
        "/dealer/shipments/{shipment_id}/export",
        "One of the dealer's shipments as an Excel file: a presigned download link",
        DEALER_API,
        security="dealer",
        answer=shapes.ExcelLinkResponse,
        errors={404: ("shipment_not_found",)},
        description="The staff's file (POST /shipments/{shipment_id}/export) with the units as "
        "the dealer sees them. Audited (`shipment_exported`, the dealer's user as actor).",
    ),
    # -- payouts ---------------------------------------------------------------------------------
    Operation(
        "GET",
        "/payouts/settings",
        "The withholding setting in effect today and every version",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_READERS,
        answer=shapes.PayoutSettingsResponse,
    ),
    Operation(
        "POST",
        "/payouts/settings",
        "Confirm a new version of the withholding setting (rate, threshold, first day)",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_WRITERS,
        body=partner_schemas.PayoutSettingRequest,
        example={
            "rate_bp": 1000,
            "threshold": 2000000,
            "effective_from": "2026-01-01",
            "note": "Thông tư 111/2013/TT-BTC, điều 25",
        },
        max_body=4096,
        status=201,
        answer=shapes.PayoutSettingResponse,
        errors={
            400: ("payout_rate_invalid", "payout_threshold_invalid"),
            409: ("payout_setting_changed",),
        },
        description=(
            "Versions are never edited; a batch records the version it used. No batch can be "
            "made before a version applies."
        ),
    ),
    Operation(
        "GET",
        "/payouts",
        "The newest payout batches",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_READERS,
        query=(Query("limit", "How many.", _digits(1, 100, 25)),),
        answer=shapes.PayoutBatchesResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "POST",
        "/payouts/preview",
        "What a batch made now would pay: its lines, totals and who is carried (no write)",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_READERS,
        body=partner_schemas.PayoutBatchRequest,
        example={"periods": ["2026-11"]},
        max_body=4096,
        answer=shapes.PayoutPreviewResponse,
        errors={409: ("payout_setting_missing",)},
    ),
    Operation(
        "POST",
        "/payouts",
        "A payout batch of what the locked months owe, one line per partner",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_WRITERS,
        body=partner_schemas.PayoutBatchRequest,
        example={},
        max_body=4096,
        status=201,
        answer=shapes.PayoutBatchResponse,
        errors={
            404: ("payout_batch_not_found",),
            409: (
                "payout_setting_missing",
                "payout_nothing_to_pay",
                "payout_batch_busy",
                "payout_batch_too_large",
            ),
        },
        description=(
            "The `approved` and `payment_failed` entries (reversals netting) of the locked "
            "months among `periods` (default: this month and the 12 before). Each entry is "
            "taken by a conditional update: no entry is ever in two batches. A partner whose "
            "net is not above zero is carried. A batch left `creating` is resumed."
        ),
    ),
    Operation(
        "GET",
        "/payouts/{batch_id}",
        "One payout batch and its lines",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_READERS,
        answer=shapes.PayoutBatchResponse,
        errors={404: ("payout_batch_not_found",)},
    ),
    Operation(
        "POST",
        "/payouts/{batch_id}/export",
        "The batch as Excel (neutral sheet, bulk-transfer sheet, a VietQR code per line)",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_WRITERS,
        answer=shapes.ExcelLinkResponse,
        errors={404: ("payout_batch_not_found",), 409: ("payout_batch_state",)},
        description="The first export moves the batch to `exported`; formulas neutralised.",
    ),
    Operation(
        "POST",
        "/payouts/{batch_id}/lines/{partner_id}/paid",
        "Mark a line paid (the bank's reference): its entries paid, the partner told",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_WRITERS,
        body=partner_schemas.PayoutPaidRequest,
        example={"reference": "FT26336123456789"},
        max_body=4096,
        answer=shapes.PayoutBatchResponse,
        errors={
            400: ("reference_required", "reference_too_long", "payout_reference_required"),
            404: ("payout_batch_not_found", "payout_line_not_found"),
            409: ("payout_batch_state", "payout_line_settled"),
        },
        description=(
            "One transaction: the line, the batch's count and the partner's `reward_paid`; "
            "then the entries → `paid`. The same request again resumes the entries' moves."
        ),
    ),
    Operation(
        "POST",
        "/payouts/{batch_id}/lines/{partner_id}/failed",
        "Mark a line failed (why): its entries are owed again, for a later batch",
        PAYOUTS,
        security="staff",
        roles=payout_routes.PAYOUT_WRITERS,
        body=partner_schemas.PayoutFailedRequest,
        example={"reason": "Sai số tài khoản"},
        max_body=4096,
        answer=shapes.PayoutBatchResponse,
        errors={
            400: ("reason_required", "reason_too_long", "payout_reason_required"),
            404: ("payout_batch_not_found", "payout_line_not_found"),
            409: ("payout_batch_state", "payout_line_settled"),
        },
    ),
    # -- dealer funnel ---------------------------------------------------------------------------
    Operation(
        "GET",
        "/funnel",
        "Shipped vs activated per dealer, model and month; activation rates; ageing of units "
        "not yet activated",
        FUNNEL,
        security="staff",
        roles=funnel_routes.READERS,
        query=FUNNEL_QUERY,
        answer=shapes.FunnelResponse,
        errors=FUNNEL_ERRORS,
        description="Read from the daily counters the units stream keeps: one BatchGetItem per "
        "100 keys, the keys being the period's days (and the last 91, for the ageing) and one "
        "per dealer shown: 2 batch reads for 6 months and 20 dealers, 4 for 12 months, whatever "
        "the number of units.",
    ),
    Operation(
        "GET",
        "/dealer/funnel",
        "The signed-in dealer's own funnel: shipped vs activated by model and month, rates, ageing",
        DEALER_API,
        security="dealer",
        query=(FUNNEL_QUERY[0], FUNNEL_QUERY[2]),
        answer=shapes.FunnelResponse,
        errors={400: ("invalid_input",)},
        description="The same answer as GET /funnel for the user's own dealer (taken from who "
        "the user is, never from the request; `dealer` is refused as an unknown field).",
    ),
    Operation(
        "POST",
        "/funnel/export",
        "The funnel (the same query as GET /funnel) as an Excel file: a presigned link",
        FUNNEL,
        security="staff",
        roles=funnel_routes.READERS,
        query=FUNNEL_QUERY,
        answer=shapes.ExcelLinkResponse,
        errors=FUNNEL_ERRORS,
        description="Written now (dealers x models x months rows); formulas neutralised.",
    ),
    # -- warranty reports ------------------------------------------------------------------------
    Operation(
        "GET",
        "/reports/{kind}",
        "A warranty report (activations, claims, costs, parts, maintenance) by month and dimension",
        REPORTS,
        security="staff",
        roles=warranty_report_routes.READERS,
        query=REPORT_QUERY,
        answer=shapes.WarrantyReportResponse,
        errors=REPORT_ERRORS,
        description="Read from the daily roll-up items the units and claims streams keep, never "
        "from the units or requests: one BatchGetItem per 100 items, the items being the "
        "period's days of the report's families (a year of activations: 730 items, 8 reads), "
        "whatever the number of units. The claims report also reads the all-time totals and the "
        "days after the period (the units in the field at its end).",
    ),
    Operation(
        "POST",
        "/reports/{kind}/export",
        "A warranty report (the same query as GET /reports/{kind}) as an Excel file: a "
        "presigned link",
        REPORTS,
        security="staff",
        roles=warranty_report_routes.READERS,
        query=REPORT_QUERY,
        answer=shapes.ExcelLinkResponse,
        errors=REPORT_ERRORS,
        description="Written now: a sheet of totals, then one per table; formulas neutralised.",
    ),
    # -- hooks -----------------------------------------------------------------------------------
    Operation(
        "GET",
        "/hooks/esms/dlr/{token}",
        "eSMS delivery report (the secret path token authenticates it)",
        HOOKS,
        query=(
            Query(
                "RequestId",
                "Our message id (sent as eSMS's RequestId).",
                _text(64),
                example=PATH_EXAMPLES["message_id"],
            ),
            Query("SMSID", "eSMS's id of the SMS.", _text(64), example="a1b2c3"),
            Query(
                "SendStatus",
                "eSMS's state: 5 sent, 4 failed; 1, 2, 7 pending.",
                _text(4),
                example="5",
            ),
            Query("error_info", "A failure's detail (Zalo through eSMS).", _text(1024)),
        ),
        answer=shapes.HookAcknowledged,
        errors={
            400: ("hook_parameter_invalid",),
            404: ("not_found",),
            413: ("payload_too_large",),
            503: ("provider_status_unavailable",),
        },
    ),
    Operation(
        "GET",
        "/hooks/esms/mo",
        "eSMS inbound SMS to the short code; answered with eSMS's XML",
        HOOKS,
        security="esms_sign",
        query=(
            Query("sender", "The sender's phone number.", _text(20), example="84912345678"),
            Query("smsid", "eSMS's id of the inbound SMS.", _text(64), example="MO123"),
            Query(
                "content",
                "The text (at most 1 kB of UTF-8).",
                {"type": "string"},
                example="BH GAR000000019",
            ),
            Query(
                "receiverTime",
                "`yyyyMMddhhmmss`, Vietnam's time (within the last 24 hours).",
                {"type": "string", "pattern": "^[0-9]{14}$"},
                example="20261123101500",
            ),
            Query(
                "cpid",
                "The content provider's id eSMS gave the brand.",
                _text(64),
                example="CP1234",
            ),
        ),
        answer="text/xml",
        errors={
            400: ("hook_parameter_invalid", "hook_message_out_of_window"),
            401: ("signature_invalid",),
            413: ("content_too_long", "payload_too_large"),
        },
    ),
    Operation(
        "POST",
        "/hooks/speedsms/{token}",
        "SpeedSMS delivery report or inbound SMS (the secret path token authenticates it)",
        HOOKS,
        raw_bodies=(JSON,),
        provider_body=shapes.SpeedSmsCallback,
        example={"phone": "84912345678", "content": "BH GAR000000019", "type": "mo"},
        max_body=MAX_HOOK_BODY,
        answer=shapes.HookAcknowledged,
        errors={
            400: ("hook_parameter_invalid", "malformed_json", "body_must_be_object"),
            404: ("not_found",),
            413: ("content_too_long", "payload_too_large"),
        },
    ),
    Operation(
        "POST",
        "/hooks/twilio/status",
        "Twilio status callback",
        HOOKS,
        security="twilio_signature",
        raw_bodies=(FORM,),
        max_body=MAX_HOOK_BODY,
        answer=shapes.HookAcknowledged,
        errors={401: ("signature_invalid",), **HOOK_LIMITS},
    ),
    Operation(
        "POST",
        "/hooks/zalo",
        "Zalo OA / ZNS webhook",
        HOOKS,
        security="zalo_signature",
        raw_bodies=(JSON,),
        provider_body=shapes.ZaloEvent,
        example={
            "event_name": "user_send_text",
            "app_id": "1234567890123456789",
            "timestamp": "1764560000000",
            "sender": {"id": "2468013579"},
            "message": {"msg_id": "m1", "text": "BH GAR000000019"},
        },
        max_body=MAX_HOOK_BODY,
        answer=shapes.HookAcknowledged,
        errors={
            400: ("malformed_json", "body_must_be_object"),
            401: ("signature_invalid",),
            **HOOK_LIMITS,
        },
    ),
    # -- local stage -----------------------------------------------------------------------------
    Operation(
        "GET",
        "/dev/inbox",
        "Every message to a phone as the customer reads it (stage `local` only; 404 elsewhere)",
        DEV,
        query=(
            Query(
                "phone",
                "A Vietnamese mobile.",
                {"type": "string"},
                required=True,
                example="0912345678",
            ),
        ),
        answer=shapes.InboxResponse,
        errors={
            400: ("phone_required", "phone_invalid", "phone_not_mobile", "phone_not_vietnamese"),
            404: ("not_found",),
        },
    ),
    # -- service requests (staff) ------------------------------------------------------------------
    Operation(
        "GET",
        "/claims",
        "Service requests, the latest filed first, filtered",
        CLAIMS,
        security="staff",
        roles=claim_routes.ANYONE,
        query=(
            Query("state", "Only requests in this state.", _text(20), example="triaged"),
            Query(
                "type",
                "Only this type.",
                {"type": "string", "enum": [t.value for t in ClaimType]},
            ),
            Query(
                "routing",
                "Only internal or outsourced ones.",
                {"type": "string", "enum": ["internal", "outsourced"]},
            ),
            Query(
                "assignee",
                "Only one assignee's (`tech#<username>`, `company#<id>`).",
                _text(80),
                example="tech#technician",
            ),
            Query("serial", "Only one unit's.", _text(40)),
            Query("phone", "Only one customer's (a Vietnamese mobile).", _text(20)),
            Query(
                "from", "Filed on or after this day (UTC).", {"type": "string", "format": "date"}
            ),
            Query("to", "Filed on or before this day (UTC).", {"type": "string", "format": "date"}),
            Query("breached", "`true`: only those past their state's deadline.", _text(5)),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.ClaimsResponse,
        errors={
            400: (
                "claim_state_invalid",
                "claim_type_invalid",
                "claim_routing_invalid",
                "claim_assignee_invalid",
                "phone_invalid",
                "phone_required",
                "serial_invalid",
                "date_invalid",
                "limit_out_of_range",
            )
        },
        description="The most selective index answers (serial, phone, assignee, state, else "
        "the filing date); the other filters apply to the page read, so a page may hold fewer "
        "than `limit` and still have a `next_cursor`. A technician or a service company's user "
        "lists their own requests only (another assignee's is an empty page).",
    ),
    Operation(
        "GET",
        "/claims/technicians",
        "Whom a request can be routed to internally: the technicians' usernames",
        CLAIMS,
        security="staff",
        roles=claim_routes.DESK,
        answer=shapes.TechniciansResponse,
        description="The staff holding the `technician` role (the user pool's group), sorted; "
        "the console's routing picker lists them.",
    ),
    Operation(
        "GET",
        "/claims/board",
        "The board: every state's count and its first requests, the longest waiting first",
        CLAIMS,
        security="staff",
        roles=claim_routes.ANYONE,
        query=(Query("limit", "Requests per column.", _digits(1, 100, 20)),),
        answer=shapes.ClaimBoardResponse,
        errors={400: ("limit_out_of_range",)},
        description="The desk and the accountant see every request; a technician or a service "
        "company's user a board of their own requests (counts kept per assignee too).",
    ),
    Operation(
        "GET",
        "/claims/board/{state}",
        "The next page of one board column",
        CLAIMS,
        security="staff",
        roles=claim_routes.ANYONE,
        query=(Query("limit", "Requests per page.", _digits(1, 100, 20)), CURSOR),
        answer=shapes.ClaimColumn,
        errors={400: ("claim_state_invalid", "limit_out_of_range")},
    ),
    Operation(
        "GET",
        "/claims/mine",
        "The caller's assigned requests (a technician's, a service company's), latest first",
        CLAIMS,
        security="staff",
        roles=claim_routes.ANYONE,
        query=(Query("limit", "Page size.", _digits(1, 100, 25)), CURSOR),
        answer=shapes.ClaimsResponse,
        errors={400: ("limit_out_of_range",)},
    ),
    Operation(
        "POST",
        "/claims",
        "File a service request for a customer (a phone call, the counter)",
        CLAIMS,
        security="staff",
        roles=claim_routes.DESK,
        body=claim_schemas.ClaimCreateRequest,
        example={
            "claim_type": "repair",
            "serial": "GAR000000019",
            "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678", "province": "Hà Nội"},
            "description": "Máy không lạnh, có tiếng kêu",
        },
        status=201,
        answer=shapes.ClaimDetailResponse,
        errors={
            400: ("serial_invalid", "claim_description_required", "claim_description_too_long"),
            404: ("unit_not_found",),
            409: ("claim_unit_void",),
        },
        description="The verdict is decided at once, with its reasons. The request starts in "
        "`new` with its SLA deadline.",
    ),
    Operation(
        "GET",
        "/claims/{claim_id}",
        "A request: its fields, verdict with reasons, history, costs and the caller's moves",
        CLAIMS,
        security="staff",
        roles=claim_routes.ANYONE,
        answer=shapes.ClaimDetailResponse,
        errors={404: ("claim_not_found",)},
        description="A technician or a service company's user reaches only the requests "
        "assigned to them (any other is 404).",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/moves",
        "Move a request one step along the diagram",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.MoveRequest,
        example={"to": "triaged", "version": 1},
        answer=shapes.ClaimDetailResponse,
        errors={
            400: (
                "claim_note_required",
                "claim_quote_required",
                "claim_appointment_required",
                "instant_invalid",
            ),
            403: ("claim_not_yours",),
            404: ("claim_not_found",),
            409: (
                "claim_changed",
                "claim_move_not_allowed",
                "claim_assignee_required",
                "claim_reopen_too_late",
            ),
        },
        description="One conditional write with its history item: `version` is the one read; "
        "another change since is `claim_changed` (read again). The moves each caller may make "
        "are docs/claims.md's diagram (the detail's `moves`).",
    ),
    Operation(
        "PATCH",
        "/claims/{claim_id}",
        "Correct a request's fields without a move",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.EditRequest,
        example={"version": 2, "claim_type": "warranty", "expected_return": "2026-04-01"},
        answer=shapes.ClaimDetailResponse,
        errors={
            403: ("claim_not_yours", "claim_edit_not_allowed"),
            404: ("claim_not_found",),
            409: ("claim_changed",),
        },
        description="The assignee may change the appointment and the expected return only.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/route",
        "Route a request to a technician (internal) or a service company (outsourced)",
        CLAIMS,
        security="staff",
        roles=claim_routes.DESK,
        body=claim_schemas.RouteRequest,
        example={"routing": "internal", "assignee": "technician", "version": 2},
        answer=shapes.ClaimDetailResponse,
        errors={
            400: ("claim_assignee_unknown",),
            403: ("claim_route_not_allowed",),
            404: ("claim_not_found",),
            409: ("claim_changed", "claim_move_not_allowed"),
        },
        description="From `triaged` or `quote_accepted` the request moves to `routed`; a "
        "routed one changes hands.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/verdict",
        "Decide the verdict again, with the exclusions found",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.VerdictRequest,
        example={
            "version": 3,
            "exclusions": [{"code": "physical_damage", "reason": "Dàn nóng bị móp"}],
        },
        answer=shapes.ClaimDetailResponse,
        errors={
            400: ("claim_exclusion_reason_required",),
            403: ("claim_not_yours",),
            404: ("claim_not_found", "unit_not_found"),
            409: ("claim_changed",),
        },
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/override",
        "The director's verdict against the rules', with the reason",
        CLAIMS,
        security="staff",
        roles=claim_routes.DIRECTOR,
        body=claim_schemas.OverrideRequest,
        example={"status": "in_warranty", "reason": "Khách hàng thân thiết, lỗi nhẹ", "version": 4},
        answer=shapes.ClaimDetailResponse,
        errors={
            400: ("claim_override_reason_required",),
            404: ("claim_not_found",),
            409: ("claim_changed", "claim_not_decided"),
        },
        description="The verdict keeps the status before any override (`override.status_before`) "
        "and its reasons, plus `verdict_overridden`; the history keeps the reason. Deciding "
        "again (`/verdict`) drops the override.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/costs",
        "Append a cost or revenue line (integer VND, never edited)",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.CostRequest,
        example={
            "version": 6,
            "kind": "part",
            "description": "Bo mạch dàn lạnh",
            "part_code": "PCB-AC9",
            "quantity": 1,
            "amount_vnd": 850000,
            "payer": "warranty",
        },
        answer=shapes.ClaimDetailResponse,
        status=201,
        errors={
            400: ("claim_cost_zero", "claim_revenue_payer", "claim_cost_description_required"),
            403: ("claim_not_yours",),
            404: ("claim_not_found",),
            409: ("claim_changed", "claim_too_many_costs"),
        },
        description="Kinds `part`, `labour`, `travel` (costs) and `revenue` (the customer's "
        "payment); payers `warranty`, `customer`, `supplier`. A correction is a line of its own "
        "(a negative amount). The detail's `totals`: `cost_vnd`, `revenue_vnd`, `profit_vnd` and "
        "each payer's costs.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/replacement",
        "The unit replaced: the new one registered if needed, activated, linked; the old void",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.ReplacementRequest,
        example={"new_serial": "GAR0000002Z1", "version": 7},
        answer=shapes.ClaimDetailResponse,
        errors={
            403: ("claim_not_yours",),
            404: ("claim_not_found", "unit_not_found"),
            409: (
                "claim_changed",
                "claim_replacement_not_allowed",
                "unit_void",
                "unit_not_activated",
                "replacement_same_unit",
                "replacement_unit_unavailable",
            ),
        },
        description="While the unit is diagnosed, waits for parts, is repaired or was just "
        "moved to `replaced`. The catalog registers `new_serial` with the old unit's model when "
        "it is not registered, activates it for the same owner with a warranty from today "
        "(`warranty_from_replacement`), names each unit in the other (`replaces`, "
        "`replaced_by`) and voids the old one, in one transaction; the request keeps "
        "`replacement_serial`. A retry finds the catalog's part done.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/photos",
        "Start a photo's upload for a request: a presigned PUT",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 480000},
        status=201,
        answer=shapes.ImageUploadResponse,
        errors={
            400: ("image_type_unsupported",),
            404: ("claim_not_found",),
            413: ("image_too_large",),
        },
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/photos/done",
        "Add uploaded photos to a request (the claims stream cleans them)",
        CLAIMS,
        security="staff",
        roles=claim_routes.WORKSHOP,
        body=claim_schemas.PhotosDoneRequest,
        example={"keys": ["claim-uploads/5f0c9a1b2c3d4e5f"]},
        answer=shapes.ClaimDetailResponse,
        errors={
            400: ("claim_photo_unknown", "claim_photo_repeated", "claim_too_many_photos"),
            404: ("claim_not_found", "claim_photo_missing"),
            409: ("claim_changed",),
        },
        description="Only the key's existence is checked here (no bytes pass through the API): "
        "the photo is `uploaded` until the claims stream function has checked it, resized it "
        "and stripped its metadata (`ready`) or refused it (`refused`).",
    ),
    Operation(
        "GET",
        "/units/{serial}/warranty-history",
        "A unit's warranty history: activation, owner, installer, dealer, every request",
        CLAIMS,
        security="staff",
        roles=claim_routes.HISTORY_READERS,
        answer=shapes.WarrantyHistoryResponse,
        errors={400: ("serial_invalid",), 404: ("unit_not_found",)},
        description="The owner masked (in full only through the recorded reveal); the desk "
        "sees the installer's phone in full, a technician masked. The owner's \"my products\" "
        "session (a look-up token) reads it too: only for a unit its phone activated (else "
        "404) and only the requests it filed.",
    ),
    # -- service requests (the customer's) ---------------------------------------------------------
    Operation(
        "POST",
        "/service-requests/eligibility",
        "The verdict a service request for a unit would get now, with its reasons",
        PUBLIC,
        body=claim_schemas.EligibilityRequest,
        example={"serial": "GAR000000019", "sig": "AEQUCVBZGI2DSMBXGEZTAMBQGE"},
        answer=shapes.EligibilityResponse,
        errors={
            403: ("claim_proof_required",),
            404: ("unit_not_found",),
            429: ("claim_rate_limited",),
        },
        description="Who may ask: the holder of the unit's sticker (`sig`: the token of its QR "
        'link `/q/<token>`), or its owner signed in on "my products" (`Authorization: Bearer '
        "<lookup token>`) without `sig`.",
    ),
    Operation(
        "POST",
        "/service-requests/photos",
        "Start a photo's upload before filing: a presigned PUT",
        PUBLIC,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 480000},
        status=201,
        answer=shapes.ImageUploadResponse,
        errors={
            400: ("image_type_unsupported",),
            413: ("image_too_large",),
            429: ("claim_rate_limited",),
        },
    ),
    Operation(
        "POST",
        "/service-requests",
        "File a service request: its reference, tracking link and verdict",
        PUBLIC,
        body=claim_schemas.ServiceRequestCreateRequest,
        example={
            "serial": "GAR000000019",
            "sig": "AEQUCVBZGI2DSMBXGEZTAMBQGE",
            "claim_type": "warranty",
            "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678"},
            "description": "Máy chảy nước",
            "photos": [],
        },
        status=201,
        answer=shapes.ServiceRequestFiledResponse,
        errors={
            400: ("claim_photo_unknown", "claim_photo_repeated", "claim_too_many_photos"),
            403: ("claim_proof_required",),
            404: ("unit_not_found", "claim_photo_missing"),
            409: ("claim_unit_void",),
            429: ("claim_rate_limited",),
        },
        description="At most 10 a client an hour. Photos: at most six keys from "
        "`/service-requests/photos`, uploaded (their bytes never pass through the API).",
    ),
    Operation(
        "GET",
        "/public/units/{serial}/warranty-history",
        "A unit's warranty history on \"my products\" (the portal's origin)",
        PUBLIC,
        security="lookup",
        answer=shapes.WarrantyHistoryResponse,
        errors={401: ("session_required",), 404: ("unit_not_found",)},
        description="The session of the phone that activated the unit; its requests only, the "
        "owner and installer masked.",
    ),
    Operation(
        "GET",
        "/service-requests/{claim_id}",
        "The customer's tracking view of a request",
        PUBLIC,
        query=(Query("t", "The tracking link's token.", _text(32)),),
        answer=shapes.TrackingResponse,
        errors={404: ("claim_not_found",)},
        description='`t` from the tracking link, or the "my products" session of the phone '
        "that filed it; anything else is 404.",
    ),
    Operation(
        "POST",
        "/service-requests/{claim_id}/moves",
        "The customer's move: accept or decline a quote, confirm the return, reopen, cancel",
        PUBLIC,
        query=(Query("t", "The tracking link's token.", _text(32)),),
        body=claim_schemas.CustomerMoveRequest,
        example={"to": "quote_accepted"},
        answer=shapes.TrackingResponse,
        errors={
            400: ("claim_note_required",),
            404: ("claim_not_found",),
            409: ("claim_move_not_allowed", "claim_changed", "claim_reopen_too_late"),
        },
    ),
    Operation(
        "POST",
        "/service-requests/{claim_id}/rating",
        "The customer's rating once the unit is back (once)",
        PUBLIC,
        query=(Query("t", "The tracking link's token.", _text(32)),),
        body=claim_schemas.RatingRequest,
        example={"rating": 5, "note": "Sửa nhanh"},
        answer=shapes.TrackingResponse,
        errors={
            404: ("claim_not_found",),
            409: ("claim_not_returned", "claim_already_rated", "claim_changed"),
        },
    ),
    # -- cartons ----------------------------------------------------------------------------------
    Operation(
        "GET",
        "/cartons",
        "The brand's cartons, newest first, with their counts and model mix",
        CARTONS,
        security="staff",
        roles=carton_routes.READERS,
        query=(
            Query(
                "status",
                "Only cartons in this status.",
                {"type": "string", "enum": ["open", "closed"]},
            ),
            Query("limit", "Page size.", _digits(1, 100, 25)),
            CURSOR,
        ),
        answer=shapes.CartonsResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "POST",
        "/cartons",
        "Open a carton under a generated SSCC (no code) or a typed or scanned code",
        CARTONS,
        security="staff",
        roles=carton_routes.WRITERS,
        body=carton_schemas.CartonCreateRequest,
        example={"code": "(00)106141411234567897"},
        max_body=carton_routes.MAX_BODY,
        status=201,
        answer=shapes.CartonResponse,
        errors={
            400: ("carton_code_invalid", "carton_prefix_missing", "carton_sequence_exhausted"),
            409: ("carton_exists",),
        },
        description=(
            "Without `code`, the next SSCC of the stage's GS1 company prefix "
            "(`GARANTI_GS1_COMPANY_PREFIX`) and the cartons' sequence counter."
        ),
    ),
    Operation(
        "GET",
        "/cartons/{code}",
        "One carton with its units (serial order)",
        CARTONS,
        security="staff",
        roles=carton_routes.READERS,
        answer=shapes.CartonDetailResponse,
        errors={400: ("carton_code_invalid",), 404: ("carton_not_found",)},
        path_examples={"code": "106141411234567897"},
    ),
    Operation(
        "POST",
        "/cartons/{code}/units",
        "Pack a scanned unit into the open carton (the same unit again: `already`)",
        CARTONS,
        security="staff",
        roles=carton_routes.WRITERS,
        body=carton_schemas.CartonPackRequest,
        example={"serial": "GAR000000019"},
        max_body=carton_routes.MAX_BODY,
        answer=shapes.CartonPackResponse,
        errors={
            400: ("carton_code_invalid", "serial_invalid"),
            404: ("carton_not_found", "unit_not_found"),
            409: (
                "carton_closed",
                "carton_full",
                "carton_unit_in_other_carton",
                "carton_unit_shipped",
                "carton_unit_activated",
                "carton_unit_void",
                "carton_busy",
            ),
        },
        path_examples={"code": "106141411234567897"},
    ),
    Operation(
        "DELETE",
        "/cartons/{code}/units/{serial}",
        "Take a unit out of the open carton",
        CARTONS,
        security="staff",
        roles=carton_routes.WRITERS,
        answer=shapes.CartonResponse,
        errors={
            400: ("carton_code_invalid", "serial_invalid"),
            404: ("carton_not_found",),
            409: ("carton_closed", "carton_unit_not_in_carton"),
        },
        path_examples={"code": "106141411234567897"},
    ),
    Operation(
        "POST",
        "/cartons/{code}/close",
        "Close (seal) the carton; closing a closed carton changes nothing",
        CARTONS,
        security="staff",
        roles=carton_routes.WRITERS,
        answer=shapes.CartonResponse,
        errors={
            400: ("carton_code_invalid",),
            404: ("carton_not_found",),
            409: ("carton_empty",),
        },
        path_examples={"code": "106141411234567897"},
    ),
    # -- service requests: forms and self-help ---------------------------------------------------
    Operation(
        "GET",
        "/public/service-requests/form",
        "The fields a service request asks about the unit behind a QR code",
        PUBLIC,
        query=(
            Query("serial", "The unit's serial.", _text(33), required=True, example="GAR000000017"),
            Query(
                "sig",
                "The token of the unit's QR code (`<portal>/q/<token>`): it must carry `serial`.",
                _text(80),
                required=True,
            ),
        ),
        answer=shapes.UnitFormResponse,
        errors={400: ("serial_invalid", "invalid_input"), 404: ("unit_not_found",)},
    ),
    Operation(
        "GET",
        "/public/models/{code}/help",
        "A model's manual and common faults with their fixes (cached 5 minutes)",
        PUBLIC,
        answer=shapes.PublicModelHelpResponse,
        errors={400: ("model_code_invalid",), 404: ("model_not_found",)},
    ),
    Operation(
        "GET",
        "/claim-forms",
        "Every model's and category's own request form, and the default fields",
        CLAIM_SETTINGS,
        security="staff",
        roles=forms_routes.FORM_EDITORS,
        answer=shapes.ClaimFormsResponse,
    ),
    Operation(
        "GET",
        "/claim-forms/form",
        "One model's or category's form: its versions and what it inherits",
        CLAIM_SETTINGS,
        security="staff",
        roles=forms_routes.FORM_EDITORS,
        query=(
            Query("model", "A model's code (or `category`, not both).", _text(40), example="AC-9"),
            Query("category", "A category, in any spelling of it.", _text(60)),
        ),
        answer=shapes.ClaimFormDetailResponse,
        errors={
            400: ("claim_form_scope_required", "model_code_invalid", "invalid_input"),
            404: ("model_not_found",),
        },
    ),
    Operation(
        "PUT",
        "/claim-forms",
        "Save a model's or a category's form: its next version (no field: it inherits)",
        CLAIM_SETTINGS,
        security="staff",
        roles=forms_routes.FORM_EDITORS,
        body=forms_schemas.ClaimFormRequest,
        max_body=forms_routes.MAX_FORM_BODY,
        example={
            "scope": "model",
            "target": "AC-9",
            "version": 0,
            "fields": [
                {
                    "key": "unit_part",
                    "type": "select",
                    "label": "Bộ phận hỏng",
                    "label_en": "Faulty part",
                    "required": True,
                    "options": [
                        {"value": "indoor", "label": "Dàn lạnh", "label_en": "Indoor unit"},
                        {"value": "outdoor", "label": "Dàn nóng", "label_en": "Outdoor unit"},
                    ],
                }
            ],
        },
        answer=shapes.ClaimFormResponse,
        errors={
            400: ("model_code_invalid",),
            404: ("model_not_found",),
            409: ("claim_form_changed",),
        },
    ),
    Operation(
        "GET",
        "/models/{code}/help",
        "A model's self-help for its editor",
        CLAIM_SETTINGS,
        security="staff",
        roles=help_routes.HELP_EDITORS,
        answer=shapes.ModelHelpResponse,
        errors={400: ("model_code_invalid",), 404: ("model_not_found",)},
    ),
    Operation(
        "PUT",
        "/models/{code}/help",
        "Replace a model's manual and common faults",
        CLAIM_SETTINGS,
        security="staff",
        roles=help_routes.HELP_EDITORS,
        body=forms_schemas.ModelHelpRequest,
        max_body=help_routes.MAX_HELP_BODY,
        example={
            "version": 0,
            "manual_url": "https://example.com/ac-9.pdf",
            "faults": [
                {
                    "title": "Máy không lạnh",
                    "title_en": "Not cooling",
                    "fix": "Vệ sinh lưới lọc.",
                    "fix_en": "Clean the filter.",
                }
            ],
        },
        answer=shapes.ModelHelpResponse,
        errors={
            400: ("model_code_invalid", "manual_upload_empty"),
            404: ("model_not_found", "manual_upload_missing"),
            409: ("model_help_changed",),
            413: ("manual_too_large",),
        },
    ),
    # -- maintenance: the customer's visit --------------------------------------------------------
    Operation(
        "GET",
        "/public/maintenance/{serial}/{component}",
        "The maintenance visit a reminder's link is about",
        MAINTENANCE,
        query=(Query("t", "The reminder link's token.", _text(32)),),
        answer=shapes.MaintenanceVisitResponse,
        errors={404: ("maintenance_not_found",)},
        description="`t` from the link in the `maintenance_due` message; any other is 404, as "
        "a visit that does not exist.",
    ),
    Operation(
        "POST",
        "/public/maintenance/{serial}/{component}",
        "The customer's answer: book a slot, postpone, or decline the visit",
        MAINTENANCE,
        query=(Query("t", "The reminder link's token.", _text(32)),),
        body=maintenance_schemas.AnswerRequest,
        example={"action": "book", "day": "2027-02-20", "part": "morning"},
        answer=shapes.MaintenanceVisitResponse,
        errors={
            400: (
                "maintenance_slot_required",
                "maintenance_slot_out_of_range",
                "maintenance_postpone_out_of_range",
            ),
            404: ("maintenance_not_found",),
            409: ("maintenance_changed", "maintenance_already_booked"),
        },
        description="`book`: a `day` from tomorrow to three weeks ahead and a `part` (morning "
        "or afternoon): no reminder any more. `postpone`: `until` a day within three months: "
        "due then, reminded again before it. `decline`: this visit skipped, the next one waited "
        "for (the plan's rhythm).",
    ),
    # -- maintenance visits: the due list and the tickets ----------------------------------------
    Operation(
        "GET",
        "/maintenance/due",
        "The due list: one stage's plan lines by due day, with their owners (masked)",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.READERS,
        query=(
            Query(
                "stage",
                "The lines' stage (default `overdue`).",
                {
                    "type": "string",
                    "enum": ["waiting", "reminded", "reminded_again", "overdue", "booked"],
                },
            ),
            Query("from", "Due on or after this day.", {"type": "string", "format": "date"}),
            Query("until", "Due on or before this day.", {"type": "string", "format": "date"}),
            Query("limit", "At most this many lines.", _digits(1, 200, 100)),
        ),
        answer=shapes.DueLinesResponse,
        errors={400: ("maintenance_stage_invalid", "date_invalid", "date_range_invalid")},
    ),
    Operation(
        "GET",
        "/maintenance/tickets",
        "Maintenance tickets by slot day: one status's, or the caller's own",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        query=(
            Query(
                "status",
                "The tickets' status (default `new`); with `mine`, a filter.",
                {"type": "string", "enum": ["new", "assigned", "started", "done", "cancelled"]},
            ),
            Query(
                "mine",
                "`1`: the caller's own (always so for a technician or a company).",
                {"type": "string", "enum": ["1"]},
            ),
            Query("from", "Slot on or after this day.", {"type": "string", "format": "date"}),
            Query("until", "Slot on or before this day.", {"type": "string", "format": "date"}),
            Query("limit", "At most this many tickets.", _digits(1, 200, 100)),
        ),
        answer=shapes.TicketsResponse,
        errors={
            400: (
                "maintenance_status_invalid",
                "maintenance_no_assignee",
                "date_invalid",
                "date_range_invalid",
            ),
        },
    ),
    Operation(
        "POST",
        "/maintenance/tickets",
        "The desk books a visit for a unit's component: its ticket",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.DESK,
        body=maintenance_schemas.NewTicketRequest,
        example={
            "serial": "GAR000000019",
            "component": "LOC-BUI",
            "day": "2027-02-20",
            "part": "afternoon",
            "note": "Khách hẹn qua điện thoại",
        },
        status=201,
        answer=shapes.TicketResponse,
        errors={
            400: ("maintenance_desk_slot_out_of_range", "maintenance_claim_other_unit"),
            404: ("maintenance_not_found", "claim_not_found"),
            409: ("maintenance_already_booked", "maintenance_changed"),
        },
        description="The unit's line is booked and the ticket opened in one write; a slot from "
        "today to three months ahead. With `claim_id` (a service request of the same unit, for "
        "example a customer asking for maintenance) the ticket's source is `claim` and it names "
        "the request.",
    ),
    Operation(
        "GET",
        "/maintenance/tickets/{ticket_id}",
        "A maintenance ticket: the visit, its record, its history and the caller's part",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        answer=shapes.TicketResponse,
        errors={404: ("maintenance_ticket_not_found",)},
        description="A technician or a service company's user reaches only the tickets "
        "assigned to them (any other is 404).",
    ),
    Operation(
        "GET",
        "/maintenance/tickets/{ticket_id}/qr.svg",
        "The printed ticket's QR code: the ticket's page in the console",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        answer="image/svg+xml",
        errors={404: ("maintenance_ticket_not_found",)},
        description="24 mm wide, quiet zone included. Opening it needs a signed-in session "
        "that may read the ticket: the link grants nothing.",
    ),
    *(
        Operation(
            "POST",
            f"/maintenance/tickets/{{ticket_id}}/{action}",
            summary,
            MAINTENANCE,
            security="staff",
            roles=ticket_routes.ANYONE,
            body=body,
            example=example,
            answer=shapes.TicketResponse,
            errors={
                **({400: codes} if codes else {}),
                404: ("maintenance_ticket_not_found",),
                403: ("maintenance_ticket_forbidden",),
                409: (
                    "maintenance_ticket_changed",
                    "maintenance_ticket_closed",
                    "maintenance_ticket_not_assigned",
                    "maintenance_ticket_same_assignee",
                    "maintenance_changed",
                    "maintenance_parts_to_return",
                ),
            },
            description=description,
        )
        for action, summary, body, example, codes, description in (
            (
                "assign",
                "Assign a ticket to a technician or a service company (the desk)",
                maintenance_schemas.AssignRequest,
                {"version": 1, "assignee": "tech#technician"},
                ("maintenance_assignee_unknown",),
                "`tech#<username>`: an enabled technician; `company#<center_id>`: an active "
                "partner company.",
            ),
            (
                "reschedule",
                "Move a ticket's slot (the desk)",
                maintenance_schemas.RescheduleRequest,
                {"version": 2, "day": "2027-02-21", "part": "morning"},
                ("maintenance_desk_slot_out_of_range",),
                "",
            ),
            (
                "start",
                "The assignee is on site",
                maintenance_schemas.TicketVersion,
                {"version": 2},
                (),
                "",
            ),
            (
                "work",
                "Record the visit: checklist, notes, labour, payment, confirmation",
                maintenance_schemas.WorkRequest,
                {
                    "version": 3,
                    "checked": [True, True],
                    "notes": "Vệ sinh lưới lọc",
                    "labour_vnd": 50000,
                    "payment": {"amount_vnd": 50000, "method": "cash"},
                    "confirmed_by": "Nguyễn Văn An",
                },
                ("maintenance_checklist_mismatch", "maintenance_payment_too_much"),
                "Each field left out stays as it is; `payment: null` clears it. The payment is "
                "held by the ticket's assignee.",
            ),
            (
                "complete",
                "Complete a ticket: the unit's line waits for its next visit",
                maintenance_schemas.TicketVersion,
                {"version": 4},
                ("maintenance_ticket_incomplete",),
                "Refused (with a field error for each) unless every check is ticked, someone "
                "confirmed for the customer, and the payment is recorded when the visit costs "
                "something.",
            ),
            (
                "cancel",
                "Cancel a ticket with a reason (the desk): the visit opens again",
                maintenance_schemas.CancelRequest,
                {"version": 2, "reason": "Khách đi vắng"},
                (),
                "The unit's line waits for its reminder again, or is overdue when its day is "
                "past. A ticket with parts on it is refused (`maintenance_parts_to_return`): "
                "they go back to their place first.",
            ),
        )
    ),
    Operation(
        "POST",
        "/maintenance/tickets/{ticket_id}/parts",
        "A spare part used on the visit, taken from a place's stock",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        body=maintenance_schemas.UsePartRequest,
        example={"version": 3, "part_code": "LOC-01", "qty": 1, "location": "VAN-AN"},
        answer=shapes.TicketResponse,
        errors={
            400: (
                "part_code_invalid",
                "part_inactive",
                "part_not_for_model",
                "stock_location_unknown",
                "stock_location_not_yours",
                "maintenance_too_many_parts",
            ),
            403: ("maintenance_ticket_forbidden",),
            404: ("maintenance_ticket_not_found", "part_not_found"),
            409: (
                "maintenance_ticket_changed",
                "maintenance_ticket_closed",
                "maintenance_ticket_not_assigned",
                "stock_not_enough",
            ),
        },
        description="One transaction: the ticket (over its version), its history item, the "
        "place's quantity (a decrease conditional on it being there) and an `issue` movement. "
        "The assignee takes from a warehouse or their own van; the desk from anywhere.",
    ),
    Operation(
        "POST",
        "/maintenance/tickets/{ticket_id}/parts/return",
        "A part taken back off the visit: it returns to the place it came from",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        body=maintenance_schemas.ReturnPartRequest,
        example={"version": 4, "index": 0},
        answer=shapes.TicketResponse,
        errors={
            400: ("maintenance_part_unknown",),
            403: ("maintenance_ticket_forbidden",),
            404: ("maintenance_ticket_not_found",),
            409: ("maintenance_ticket_changed", "maintenance_ticket_closed"),
        },
    ),
    Operation(
        "POST",
        "/maintenance/tickets/{ticket_id}/photos",
        "Start a photo's upload for the visit: a presigned PUT",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        body=catalog_schemas.ImageUploadRequest,
        example={"content_type": "image/jpeg", "size": 480000},
        status=201,
        answer=shapes.ImageUploadResponse,
        errors={
            400: ("image_type_unsupported", "maintenance_too_many_photos"),
            403: ("maintenance_ticket_forbidden",),
            404: ("maintenance_ticket_not_found",),
            409: ("maintenance_ticket_closed", "maintenance_ticket_not_assigned"),
            413: ("image_too_large",),
        },
    ),
    Operation(
        "POST",
        "/maintenance/tickets/{ticket_id}/photos/done",
        "Finish it: the photo checked, kept without metadata and added to the ticket",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        body=maintenance_schemas.PhotoDoneRequest,
        example={"version": 4, "key": "ticket-uploads/MT-2KJY2THT/5f0c9a1b2c3d4e5f"},
        answer=shapes.TicketResponse,
        errors={
            **IMAGE_DONE_REFUSALS,
            400: (*IMAGE_DONE_REFUSALS[400], "maintenance_too_many_photos"),
            403: ("maintenance_ticket_forbidden",),
            404: ("maintenance_ticket_not_found", "image_upload_missing"),
            409: (
                "maintenance_ticket_changed",
                "maintenance_ticket_closed",
                "maintenance_ticket_not_assigned",
                "maintenance_photo_repeated",
            ),
        },
        description="Done in the API function, one photo a call (the caller is signed in): "
        "the original is read, re-encoded as a WebP at most 1600 px a side with no EXIF or GPS, "
        "and deleted.",
    ),
    Operation(
        "POST",
        "/maintenance/tickets/{ticket_id}/photos/remove",
        "A photo taken off the open ticket",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.ANYONE,
        body=maintenance_schemas.PhotoDoneRequest,
        example={"version": 5, "key": "ticket-photos/MT-2KJY2THT/3f2a9c0d1e2b3c4d5e6f.webp"},
        answer=shapes.TicketResponse,
        errors={
            400: ("maintenance_photo_unknown",),
            403: ("maintenance_ticket_forbidden",),
            404: ("maintenance_ticket_not_found",),
            409: ("maintenance_ticket_changed", "maintenance_ticket_closed"),
        },
    ),
    # -- spare parts and stock -------------------------------------------------------------------
    Operation(
        "GET",
        "/parts",
        "The spare parts' catalogue",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.PART_READERS,
        answer=shapes.PartsResponse,
    ),
    Operation(
        "PUT",
        "/parts/{code}",
        "Create (version 0) or replace a spare part",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.KEEPERS,
        body=maintenance_schemas.PartRequest,
        example={
            "version": 0,
            "name": "Lõi lọc thô 10 inch",
            "name_en": "10-inch sediment filter",
            "unit": "cái",
            "cost_vnd": 40000,
            "price_vnd": 90000,
            "models": ["AC-INV-12"],
            "min_stock": 5,
        },
        answer=shapes.PartResponse,
        errors={400: ("part_code_invalid",), 409: ("part_changed",)},
    ),
    Operation(
        "GET",
        "/stock/locations",
        "The places stock is kept (a partner company's user: its own)",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.READERS | {"service"},
        answer=shapes.LocationsResponse,
    ),
    Operation(
        "POST",
        "/stock/locations",
        "A new place: a warehouse, a technician's van or a partner company's",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.KEEPERS,
        body=maintenance_schemas.LocationRequest,
        example={"location_id": "VAN-AN", "name": "Xe anh An", "kind": "van", "holder": "tech#an"},
        status=201,
        answer=shapes.LocationResponse,
        errors={
            400: ("part_code_invalid", "stock_holder_mismatch"),
            409: ("stock_location_exists",),
        },
    ),
    Operation(
        "GET",
        "/stock",
        "On hand, in one place or everywhere: each line's value and whether it is short",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.READERS,
        query=(
            Query("location", "Only this place.", _text(32)),
            Query("short", "`1`: only the short lines.", {"type": "string", "enum": ["1"]}),
        ),
        answer=shapes.StockResponse,
        errors={400: ("part_code_invalid", "stock_location_unknown")},
        description="A warehouse lists every active part with a minimum above 0 even when it "
        "has none: that shortage first.",
    ),
    Operation(
        "POST",
        "/stock/movements",
        "A receipt, a transfer or an adjustment",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.KEEPERS,
        body=maintenance_schemas.MovementRequest,
        example={
            "kind": "transfer",
            "part_code": "LOC-01",
            "qty": 4,
            "from": "KHO-HCM",
            "to": "VAN-AN",
        },
        status=201,
        answer=shapes.MovementResponse,
        errors={
            400: (
                "part_code_invalid",
                "stock_location_unknown",
                "stock_place_required",
                "stock_place_not_allowed",
                "stock_same_place",
                "stock_adjustment_one_place",
                "stock_reason_required",
                "stock_qty_invalid",
            ),
            404: ("part_not_found",),
            409: ("stock_not_enough",),
        },
        description="One transaction: each place's quantity (a decrease conditional on it "
        "being there: stock never goes negative) and the movement, never edited. Issues and "
        "returns are a ticket's (`/maintenance/tickets/{ticket_id}/parts`).",
    ),
    Operation(
        "GET",
        "/stock/movements",
        "A part's movements, the latest first",
        MAINTENANCE,
        security="staff",
        roles=stock_routes.READERS,
        query=(
            Query("part", "The part's code.", _text(32), required=True),
            Query("limit", "At most this many.", _digits(1, 200, 100)),
        ),
        answer=shapes.MovementsResponse,
        errors={400: ("required", "part_code_invalid")},
    ),
    Operation(
        "GET",
        "/maintenance/digest",
        "Today's maintenance figures, as the desk's daily message gives them",
        MAINTENANCE,
        security="staff",
        roles=ticket_routes.READERS,
        answer=shapes.MaintenanceDigestResponse,
        description="The daily job sends the same figures after the reminders to every admin "
        "and customer service account with a phone (one message a person a day; none on a day "
        "with nothing to tell).",
    ),
    Operation(
        "GET",
        "/maintenance/reports",
        "Maintenance reports: revenue by month, parts' usage, services by product",
        MAINTENANCE,
        security="staff",
        roles=report_routes.READERS,
        query=(
            Query(
                "from",
                "The first month.",
                {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                required=True,
                example="2026-07",
            ),
            Query(
                "until",
                "The last month (at most twelve in all).",
                {"type": "string", "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                required=True,
                example="2026-12",
            ),
        ),
        answer=shapes.MaintenanceReportResponse,
        errors={400: ("receivables_month_invalid", "maintenance_report_span", "invalid_input")},
        description="A visit counts in the month it was done. Parts' usage is what was issued "
        "to tickets and claims less what came back, at the cost recorded on each movement.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/parts",
        "A spare part used on a service request: out of a place's stock, onto its costs",
        MAINTENANCE,
        security="staff",
        roles=claim_part_routes.WORKSHOP,
        body=maintenance_schemas.ClaimPartRequest,
        example={
            "version": 6,
            "part_code": "TU-35UF",
            "qty": 1,
            "location": "VAN-TECH",
            "payer": "warranty",
        },
        status=201,
        answer=shapes.ClaimPartResponse,
        errors={
            400: (
                "part_code_invalid",
                "claim_cost_zero",
                "part_inactive",
                "part_not_for_model",
                "stock_location_unknown",
                "stock_location_not_yours",
                "invalid_input",
            ),
            403: ("claim_not_yours", "role_not_allowed"),
            404: ("claim_not_found", "part_not_found"),
            409: ("claim_changed", "stock_not_enough", "claim_too_many_costs"),
        },
        description="The `issue` movement (naming the request) and the request's cost line of "
        "kind `part` (the part's cost × quantity, who pays) are one transaction.",
    ),
    Operation(
        "POST",
        "/claims/{claim_id}/parts/return",
        "Some of a part the request holds taken back to a place (a negative cost line)",
        MAINTENANCE,
        security="staff",
        roles=claim_part_routes.WORKSHOP,
        body=maintenance_schemas.ClaimPartReturnRequest,
        example={"version": 7, "part_code": "TU-35UF", "qty": 1, "location": "VAN-TECH"},
        status=201,
        answer=shapes.ClaimPartResponse,
        errors={
            400: (
                "part_code_invalid",
                "claim_part_not_held",
                "stock_location_unknown",
                "stock_location_not_yours",
                "invalid_input",
            ),
            403: ("claim_not_yours", "role_not_allowed"),
            404: ("claim_not_found",),
            409: ("claim_changed", "claim_too_many_costs"),
        },
    ),
    # -- maintenance receivables -----------------------------------------------------------------
    Operation(
        "GET",
        "/receivables/{month}",
        "A month's maintenance receivables: its lines, its collectors, its totals",
        MAINTENANCE,
        security="staff",
        roles=receivable_routes.READERS,
        answer=shapes.ReceivablesResponse,
        errors={400: ("receivables_month_invalid", "invalid_input")},
    ),
    *(
        Operation(
            "POST",
            f"/receivables/{{month}}/{{ticket_id}}/{step}",
            summary,
            MAINTENANCE,
            security="staff",
            roles=receivable_routes.ACCOUNTING,
            body=body,
            example=example,
            answer=shapes.ReceivablesResponse,
            errors={
                400: ("receivables_month_invalid", "receivables_amount_invalid", *extra),
                404: ("receivables_line_not_found",),
                409: (
                    "receivables_changed",
                    "receivables_month_closed",
                    "receivables_wrong_status",
                ),
            },
            description=description,
        )
        for step, summary, body, example, extra, description in (
            (
                "collect",
                "An open line collected after the visit",
                maintenance_schemas.CollectRequest,
                {"version": 1, "amount_vnd": 130000, "method": "transfer"},
                (),
                "Collected by the company itself (a transfer, or cash at the office): it "
                "reconciles without a hand-over.",
            ),
            (
                "remit",
                "What the holder handed over",
                maintenance_schemas.RemitRequest,
                {"version": 2, "amount_vnd": 130000, "on": "2027-02-21"},
                ("receivables_remit_too_much",),
                "At most what was collected; the difference is shown, never corrected.",
            ),
            (
                "reconcile",
                "A line checked by the accountant: final",
                maintenance_schemas.ReceivableVersion,
                {"version": 3},
                (),
                "A handed-over line, or one the company holds itself.",
            ),
        )
    ),
    Operation(
        "POST",
        "/receivables/{month}/close",
        "Close a past month whose every line is reconciled: locked afterwards",
        MAINTENANCE,
        security="staff",
        roles=receivable_routes.ACCOUNTING,
        answer=shapes.ReceivablesResponse,
        errors={
            400: ("receivables_month_invalid", "invalid_input"),
            409: (
                "receivables_month_not_over",
                "receivables_not_reconciled",
                "receivables_month_closed",
            ),
        },
    ),
    Operation(
        "POST",
        "/receivables/{month}/export",
        "A month's receivables as an Excel file (lines and collectors)",
        MAINTENANCE,
        security="staff",
        roles=receivable_routes.READERS,
        answer=shapes.ReceivablesExportResponse,
        errors={400: ("receivables_month_invalid", "invalid_input")},
    ),
    # -- maintenance plans ---------------------------------------------------------------------
    Operation(
        "GET",
        "/models/{code}/maintenance-plan",
        "A model's maintenance plan: its components, cycles, reminders, prices, checklists",
        MAINTENANCE,
        security="staff",
        roles=maintenance_routes.PLAN_READERS,
        answer=shapes.MaintenancePlanResponse,
        errors={400: ("model_code_invalid",), 404: ("model_not_found",)},
        description="Version 0 and no component: no plan saved yet.",
    ),
    Operation(
        "PUT",
        "/models/{code}/maintenance-plan",
        "Replace a model's maintenance plan",
        MAINTENANCE,
        security="staff",
        roles=maintenance_routes.PLAN_EDITORS,
        body=maintenance_schemas.PlanRequest,
        max_body=maintenance_routes.MAX_PLAN_BODY,
        example={
            "version": 0,
            "components": [
                {
                    "code": "FILTER",
                    "name": "Lõi lọc thô",
                    "name_en": "Sediment filter",
                    "cycle_months": 3,
                    "lead_days": 7,
                    "rhythm": "fixed",
                    "price_vnd": 150000,
                    "checklist": ["Thay lõi lọc", "Kiểm tra rò rỉ"],
                }
            ],
        },
        answer=shapes.MaintenancePlanResponse,
        errors={
            400: ("model_code_invalid", "maintenance_cycle_invalid"),
            404: ("model_not_found",),
            409: ("maintenance_plan_changed",),
        },
        description="Each component's cycle is months or days (one of them); its first service "
        "falls one cycle after the anchor unless `first_months` / `first_days` say otherwise. "
        "A unit's plan lines keep the version they were made from.",
    ),
    Operation(
        "POST",
        "/models/{code}/help/manual",
        "A presigned PUT for a model's PDF manual (at most 20 MB), straight to the bucket",
        CLAIM_SETTINGS,
        security="staff",
        roles=help_routes.HELP_EDITORS,
        body=forms_schemas.ManualUploadRequest,
        example={"content_type": "application/pdf", "size": 2400000},
        status=201,
        answer=shapes.ManualUploadResponse,
        errors={
            400: ("model_code_invalid",),
            404: ("model_not_found",),
            413: ("manual_too_large",),
        },
    ),
    # -- personal data ---------------------------------------------------------------------------
    Operation(
        "GET",
        "/public/my-data",
        "Everything we hold about the signed-in customer: JSON, or a readable PDF",
        PRIVACY,
        security="lookup",
        query=(
            Query(
                "format",
                "`json` (default) or `pdf` (send `Accept: application/pdf`).",
                {"type": "string", "enum": ["json", "pdf"], "default": "json"},
            ),
            Query(
                "lang",
                "The PDF's language (vi; en and fa read English).",
                {"type": "string", "enum": ["vi", "en", "fa"]},
            ),
        ),
        answer=shapes.PersonalDataDocument,
        errors={**LOOKUP_ERRORS, 400: ("invalid_input",)},
        description="Read from every capability that holds the person (by their phone's key, "
        "their phone, their units' serials), never by a scan. Sent as an attachment "
        "(`garanti-personal-data-<day>.json` / `.pdf`).",
    ),
    Operation(
        "GET",
        "/public/my-data/erasure",
        "The signed-in customer's open erasure request, if any",
        PRIVACY,
        security="lookup",
        answer=shapes.MyErasureResponse,
        errors=LOOKUP_ERRORS,
    ),
    Operation(
        "POST",
        "/public/my-data/erasure",
        "Ask for the customer's data to be erased (due within 72 hours)",
        PRIVACY,
        security="lookup",
        body=privacy_schemas.ErasureRequest,
        example={"confirm": True, "language": "vi"},
        status=202,
        answer=shapes.MyErasureResponse,
        errors={**LOOKUP_ERRORS, 400: ("invalid_input",), 409: ("privacy_request_handled",)},
        description="Asked again while open, the open request is the answer: one per person.",
    ),
    Operation(
        "GET",
        "/public/my-data/consents",
        "The signed-in customer's decision on each purpose",
        PRIVACY,
        security="lookup",
        answer=shapes.ConsentsResponse,
        errors={**LOOKUP_ERRORS, 404: ("privacy_nothing_held", "customer_not_found")},
    ),
    Operation(
        "POST",
        "/public/my-data/consents",
        "Give or withdraw consent to one purpose",
        PRIVACY,
        security="lookup",
        body=privacy_schemas.ConsentDecision,
        example={"purpose": "marketing", "granted": False},
        answer=shapes.ConsentsResponse,
        errors={
            **LOOKUP_ERRORS,
            400: ("invalid_input",),
            404: ("privacy_nothing_held", "customer_not_found"),
        },
        description="Recorded with its evidence (`portal:<day>`). The sender asks before each "
        "message a purpose governs (maintenance reminders: `warranty_service`; direct marketing "
        "only after a yes), so a withdrawal stops the next one, queued before it or not.",
    ),
    Operation(
        "GET",
        "/privacy/requests",
        "Personal-data requests: the open ones soonest deadline first, or the handled ones",
        PRIVACY,
        security="staff",
        roles=privacy_routes.READERS,
        query=(
            Query(
                "status",
                "open (default), done or refused.",
                {"type": "string", "enum": ["open", "done", "refused"], "default": "open"},
            ),
            Query("limit", "Page size.", _digits(1, 200, 50)),
        ),
        answer=shapes.PrivacyRequestsResponse,
        errors={400: ("invalid_input",)},
    ),
    Operation(
        "POST",
        "/privacy/requests/{request_id}/erase",
        "Carry out an erasure: the person erased or pseudonymised in every table",
        PRIVACY,
        security="staff",
        roles=privacy_routes.HANDLERS,
        answer=shapes.PrivacyRequestResponse,
        errors={
            404: ("privacy_request_not_found",),
            409: ("privacy_request_handled", "privacy_erasure_incomplete"),
        },
        description="The warranty facts stay (units, their warranty, service work, money); the "
        "person's name, phone, address and their mentions in free texts go. Each part is read "
        "again afterwards; anything left keeps the request open (409, run it again).",
    ),
    Operation(
        "POST",
        "/privacy/requests/{request_id}/refuse",
        "Close a request without erasing, with the reason",
        PRIVACY,
        security="staff",
        roles=privacy_routes.HANDLERS,
        body=privacy_schemas.RefusalRequest,
        example={"refusal_reason": "Đang có tranh chấp bảo hành chưa giải quyết"},
        answer=shapes.PrivacyRequestResponse,
        errors={
            400: ("invalid_input",),
            404: ("privacy_request_not_found",),
            409: ("privacy_request_handled",),
        },
    ),
    Operation(
        "GET",
        "/privacy/retention",
        "How long each kind of item keeps its people",
        PRIVACY,
        security="staff",
        roles=privacy_routes.READERS,
        answer=shapes.RetentionResponse,
    ),
    Operation(
        "PUT",
        "/privacy/retention",
        "Set the retention periods (months), over the version read",
        PRIVACY,
        security="staff",
        roles=privacy_routes.SETTERS,
        body=privacy_schemas.RetentionRequest,
        example={"messages_months": 24, "claims_months": 60, "visits_months": 60, "version": 0},
        answer=shapes.RetentionResponse,
        errors={400: ("invalid_input", "retention_out_of_range"), 409: ("retention_changed",)},
        description="A daily job (03:00 in Vietnam) applies them: messages older than their "
        "period are deleted, closed service requests and done visits are pseudonymised as an "
        "erasure would (the warranty facts stay), at most 500 a kind a run, each kind from "
        "where the last run stopped.",
    ),
    # -- ownership transfer ----------------------------------------------------------------------
    Operation(
        "GET",
        "/public/my-units/{serial}/transfer",
        "The owner's pending transfer of their unit, if any",
        PRIVACY,
        security="lookup",
        answer=shapes.TransferResponse,
        errors={**LOOKUP_ERRORS, 404: ("unit_not_found",)},
    ),
    Operation(
        "POST",
        "/public/my-units/{serial}/transfer",
        "Start an ownership transfer: a code to the new owner's phone",
        PRIVACY,
        security="lookup",
        body=catalog_schemas.TransferStart,
        example={"new_phone": "0987654321", "language": "vi"},
        status=202,
        answer=shapes.TransferResponse,
        errors={
            **LOOKUP_ERRORS,
            400: ("invalid_input",),
            404: ("unit_not_found",),
            409: ("transfer_same_owner", "unit_not_transferable"),
            429: ("transfer_rate_limited",),
        },
        description="Only the unit's owner (a unit of anyone else is 404, as one that does not "
        "exist). The code is six digits, good for 48 hours and five tries, sent with a link to "
        "the portal's `/transfer` page; a new start replaces the pending transfer (one a minute).",
    ),
    Operation(
        "POST",
        "/public/my-units/{serial}/transfer/cancel",
        "Withdraw the pending transfer (its code stops working)",
        PRIVACY,
        security="lookup",
        answer=shapes.TransferResponse,
        errors={**LOOKUP_ERRORS, 404: ("unit_not_found",)},
    ),
    Operation(
        "POST",
        "/public/transfers/accept",
        "The new owner confirms with the code: the unit is theirs, its warranty as it was",
        PRIVACY,
        body=catalog_schemas.TransferAccept,
        example={
            "serial": "GAR000000019",
            "phone": "0987654321",
            "code": "482913",
            "name": "Trần Thị Bình",
            "province": "Đà Nẵng",
            "consents": {"warranty_service": True, "marketing": False},
            "language": "vi",
        },
        answer=shapes.TransferAcceptedResponse,
        errors={
            400: ("invalid_input", "consent_required"),
            401: ("transfer_code_wrong",),
            404: ("transfer_not_found",),
            409: ("transfer_expired", "transfer_code_exhausted", "transfer_changed"),
        },
        description="One transaction: the unit's owner, the new owner's customer item with "
        "their consents (evidence `transfer:<serial>`) and the transfer's end. The unit's "
        "history gains `transferred` naming both owners masked; both are told by message.",
    ),
)

PATH_PARAMETERS: Mapping[str, str] = {
    "token": "A QR or certificate token (`<portal>/q/<token>`); for a hook, its secret path token.",
    "serial": "A unit's serial, as printed (case and separators are forgiven).",
    "code": (
        "A model's code, a carton's code (an SSCC, `(00)` allowed, or the own code), or (in a "
        "certificate check) the 8-character verification code."
    ),
    "message_id": "An outbox message's id (`m_…`).",
    "name": "A label template's name: 2–40 characters `a-z 0-9 . -`.",
    "job_id": "A label job's id (`lj_…`).",
    "export_id": "A units export's id (32 hexadecimal digits).",
    "customer_id": "A customer's opaque id, as `GET /customers` gives it (64 hex digits).",
    "import_id": "A unit import's id (`ui_…`).",
    "username": "A staff account's username: 2–64 characters `a-z 0-9 . _ -` (case is forgiven).",
    "partner_id": "A partner's id (`p_` + 26 characters).",
    "rule_id": "A reward rule's id (`r_` + 12 characters).",
    "batch_id": "A payout batch's id (`pb_` + 26 characters).",
    "dealer_id": "A dealer's id (`d_` + 26 characters).",
    "center_id": "A service centre's id (`sc_` + 26 characters).",
    "period": "A month, `YYYY-MM` (of the activation day, Vietnam's calendar).",
    "case_id": "A partner case's id (`c_` + 26 characters).",
    "shipment_id": "A shipment's id (`s_` + 26 characters).",
    "claim_id": "A service request's reference (`SR-` + 8 Crockford base32 letters).",
    "state": "A service request's state (docs/claims.md).",
    "component": "A maintenance plan component's code (`FILTER`, case is forgiven).",
    "ticket_id": "A maintenance ticket's reference (`MT-` + 8 Crockford base32 letters).",
    "month": "A month, `YYYY-MM` (of the maintenance visits done in it).",
    "kind": "A warranty report: `activations`, `claims`, `costs`, `parts` or `maintenance`.",
    "request_id": "A personal-data request's id (`PDR` + 26 lower-case letters and digits).",
}


# Every JSON body route: the edge's own refusals (chalicelib/platform/http.py).
BODY_ERRORS: Mapping[int, tuple[str, ...]] = {
    400: (
        "malformed_json",
        "duplicate_key",
        "body_required",
        "body_must_be_object",
        "invalid_input",
    ),
    413: ("payload_too_large",),
    415: ("unsupported_media_type", "request_rejected"),
}
# Every staff route (chalicelib/platform/auth.py).
STAFF_ERRORS: Mapping[int, tuple[str, ...]] = {
    401: (
        "authentication_required",
        "token_invalid",
        "token_expired",
        "authentication_unavailable",
    ),
    403: ("role_not_allowed",),
}
# Every partner route with a session (chalicelib/partners/sessions.py).
PARTNER_ERRORS: Mapping[int, tuple[str, ...]] = {
    401: (
        "authentication_required",
        "partner_session_invalid",
        "partner_session_expired",
        "partner_session_revoked",
    ),
}
# chalicelib/dealers/access.py: a dealer user's token, its mapping and its dealer's status
DEALER_ERRORS: Mapping[int, tuple[str, ...]] = {
    401: (
        "authentication_required",
        "token_invalid",
        "token_expired",
        "authentication_unavailable",
    ),
    403: ("role_not_allowed", "dealer_access_revoked", "dealer_account_inactive"),
}
# chalicelib/service_centers/access.py: a company user's token, its mapping and its centre's status
SERVICE_ERRORS: Mapping[int, tuple[str, ...]] = {
    401: DEALER_ERRORS[401],
    403: ("role_not_allowed", "service_access_revoked", "service_center_inactive"),
}
QUERY_ERRORS: Mapping[int, tuple[str, ...]] = {400: ("invalid_input",)}
# Every route: a Content-Type it does not list (a GET's too) is refused by Chalice itself, and
# reshaped (chalicelib/platform/http.py: chalice_errors_in_our_shape).
EVERY_ROUTE_ERRORS: Mapping[int, tuple[str, ...]] = {
    415: ("request_rejected",),
    500: ("internal_error",),
}
DEFAULT_BODY_LIMIT = DEFAULT_MAX_BODY
