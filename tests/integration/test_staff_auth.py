"""Staff sign-in (Cognito, the emulator's pool with the demo users) and the token checks every
staff route makes itself: chalice local and the test client enforce nothing."""

from __future__ import annotations

import pytest
from chalice.test import HTTPResponse

from devstack.demo_users import DEMO_USERS, DemoUser
from devstack.provision import CognitoSetup
from tests.support import factories as f
from tests.support.api import (
    Api,
    StaffTokens,
    claims_of,
    error_code,
    expired_token,
    forged_token,
    password_of,
    resigned_token,
)
from tests.support.aws import Emulator

# Every JSON staff route, with a body that would be valid for it (the CSV import is
# ``import_call``); ``test_the_route_lists_cover_every_staff_route`` keeps this list complete.
STAFF_ROUTES = [
    ("GET", "/brand", None),
    ("PUT", "/brand", {"name": "Garanti Demo", "serial_prefix": "GAR"}),
    ("GET", "/models", None),
    ("POST", "/models", f.model_body()),
    ("GET", "/models/AC-9", None),
    ("PUT", "/models/AC-9", {k: v for k, v in f.model_body().items() if k != "code"}),
    ("DELETE", "/models/AC-9", None),
    ("POST", "/units/generate", {"model_code": "AC-9", "count": 1}),
    ("GET", "/units/GAR00000017W", None),
    ("GET", "/messages", None),
    ("GET", "/messages/m_unknown", None),
    ("POST", "/messages/m_unknown/retry", None),
    ("GET", "/units/GAR00000017W/qr.png", None),
    ("GET", "/units/GAR00000017W/qr.svg", None),
    ("GET", "/labels/templates", None),
    ("GET", "/labels/templates/2x4cm-a4", None),
    (
        "PUT",
        "/labels/templates/tem-test",
        {"label": {"width_mm": 40, "height_mm": 20, "qr": {"x_mm": 0, "y_mm": 0, "size_mm": 20}}},
    ),
    ("DELETE", "/labels/templates/tem-test", None),
    ("POST", "/labels/jobs", {"batch": "LOT-A"}),
    ("GET", "/labels/jobs", None),
    ("GET", "/labels/jobs/lj_unknown", None),
    ("GET", "/staff/users", None),
    ("POST", "/staff/users", {"username": "newcomer", "roles": ["cs"]}),
    ("PUT", "/staff/users/cs/roles", {"roles": ["cs"]}),
    ("POST", "/staff/users/cs/disable", None),
    ("POST", "/staff/users/cs/enable", None),
    ("POST", "/staff/users/cs/password", None),
    ("GET", "/audit", None),
    ("POST", "/brand/logo", {"content_type": "image/png", "size": 2400}),
    ("POST", "/brand/logo/done", {"key": "brand-logos/0123456789abcdef"}),
    ("POST", "/models/AC-9/image", {"content_type": "image/png", "size": 2400}),
    ("POST", "/models/AC-9/image/done", {"key": "model-images/AC-9/0123456789abcdef"}),
    ("GET", "/dashboard", None),
    ("GET", "/customers?phone=0912345678", None),
    ("GET", "/customers/" + "0" * 64, None),
    ("POST", "/customers/" + "0" * 64 + "/reveal", None),
    ("POST", "/labels/preview", {"what": "label"}),
    ("GET", "/units", None),
    ("POST", "/units/exports", {}),
    ("GET", "/units/exports/3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9", None),
    ("POST", "/units/imports", {"filename": "units.csv", "size_bytes": 100}),
    ("GET", "/units/imports", None),
    ("GET", "/units/imports/ui_unknown", None),
    ("POST", "/units/imports/ui_unknown/start", None),
    ("POST", "/units/GAR00000017W/owner", None),
    ("GET", "/partners", None),
    (
        "POST",
        "/partners",
        {
            "phone": "0912345678",
            "name": "Nguyễn Văn Đạt",
            "citizen_id": "001203004567",
            "province": "Hà Nội",
            "bank_bin": "970436",
            "account_number": "0011004567890",
            "account_holder": "NGUYEN VAN DAT",
            "consent": True,
        },
    ),
    ("GET", "/partners/p_unknown", None),
    ("POST", "/partners/p_unknown/status", {"status": "approved"}),
    ("GET", "/rewards/rules", None),
    (
        "POST",
        "/rewards/rules",
        {"model_code": "AC-INV-12", "amount": 50000, "valid_from": "2026-01-01"},
    ),
    ("POST", "/rewards/rules/rr_unknown/end", None),
    ("GET", "/rewards", None),
    ("POST", "/rewards/GAR00000017W/decision", {"decision": "approve"}),
    ("POST", "/rewards/decisions", {"serials": ["GAR00000017W"], "decision": "approve"}),
    ("GET", "/rewards/periods/2026-01", None),
    ("POST", "/rewards/periods/2026-01/lock", None),
    ("POST", "/rewards/periods/2026-01/export", None),
    ("GET", "/rewards/exports/3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9", None),
    ("GET", "/cases?status=open", None),
    ("GET", "/cases/c_unknown", None),
    ("POST", "/cases/c_unknown/notes", {"text": "Đã liên hệ khách."}),
    ("POST", "/cases/c_unknown/close", None),
    ("POST", "/cases/photos", {"content_type": "image/png", "size": 2400}),
    ("POST", "/cases/photos/done", {"key": "case-uploads/staff/0123456789abcdef"}),
    ("POST", "/partners/p_unknown/commitment", {"on_file": True}),
    ("GET", "/payouts/settings", None),
    (
        "POST",
        "/payouts/settings",
        {"rate_bp": 1000, "threshold": 2000000, "effective_from": "2026-01-01"},
    ),
    ("GET", "/payouts", None),
    ("POST", "/payouts/preview", {}),
    ("POST", "/payouts", {}),
    ("GET", "/payouts/pb_unknown", None),
    ("POST", "/payouts/pb_unknown/export", None),
    ("POST", "/payouts/pb_unknown/lines/p_unknown/paid", {"reference": "FT1"}),
    ("POST", "/payouts/pb_unknown/lines/p_unknown/failed", {"reason": "sai tài khoản"}),
    ("GET", "/cartons", None),
    ("POST", "/cartons", {"code": "CT-TEST"}),
    ("GET", "/cartons/CT-UNKNOWN", None),
    ("POST", "/cartons/CT-UNKNOWN/units", {"serial": "GAR00000017W"}),
    ("DELETE", "/cartons/CT-UNKNOWN/units/GAR00000017W", None),
    ("POST", "/cartons/CT-UNKNOWN/close", None),
    ("POST", "/labels/cartons", {"codes": ["CT-UNKNOWN"]}),
    ("GET", "/labels/cartons/lj_unknown", None),
    ("GET", "/shipments", None),
    (
        "POST",
        "/shipments",
        {"dealer_code": "HN-01", "ship_date": "2026-03-02", "document_number": "PXK 1"},
    ),
    ("GET", "/shipments/s_unknown", None),
    ("POST", "/shipments/s_unknown/scans", {"code": "GAR00000017W"}),
    ("DELETE", "/shipments/s_unknown/scans/GAR00000017W", None),
    ("POST", "/shipments/s_unknown/confirm", None),
    ("POST", "/shipments/s_unknown/cancel", None),
    ("POST", "/shipments/s_unknown/returns", {"serials": ["GAR00000017W"]}),
    ("POST", "/shipments/s_unknown/export", None),
    ("GET", "/funnel", None),
    ("POST", "/funnel/export", None),
    ("GET", "/dealers", None),
    ("POST", "/dealers", {"code": "HN-01", "name": "Điện máy Minh Phát", "province": "Hà Nội"}),
    ("GET", "/dealers/d_unknown", None),
    ("PUT", "/dealers/d_unknown", {"name": "Minh Phát", "province": "Hà Nội", "version": 1}),
    ("POST", "/dealers/d_unknown/status", {"status": "suspended", "note": "Chậm thanh toán"}),
    ("GET", "/dealers/d_unknown/users", None),
    ("POST", "/dealers/d_unknown/users", {"username": "dealer9"}),
    ("DELETE", "/dealers/d_unknown/users/dealer9", None),
    ("GET", "/service-centers", None),
    (
        "POST",
        "/service-centers",
        {
            "code": "MP-01",
            "name": "Điện lạnh Minh Phát",
            "kind": "partner",
            "tax_code": "0109000301",
            "provinces": ["Hà Nội"],
        },
    ),
    ("GET", "/service-centers/sc_unknown", None),
    (
        "PUT",
        "/service-centers/sc_unknown",
        {"name": "Minh Phát", "provinces": ["Hà Nội"], "version": 1},
    ),
    ("POST", "/service-centers/sc_unknown/status", {"status": "suspended", "note": "Chậm"}),
    ("GET", "/service-centers/sc_unknown/users", None),
    ("POST", "/service-centers/sc_unknown/users", {"username": "service9"}),
    ("DELETE", "/service-centers/sc_unknown/users/service9", None),
    ("GET", "/claims", None),
    ("GET", "/claims/board", None),
    ("GET", "/claims/technicians", None),
    ("GET", "/claims/board/new", None),
    ("GET", "/claims/mine", None),
    (
        "POST",
        "/claims",
        {
            "serial": "GAR00000017W",
            "customer": {"name": "Trần Thị Bình", "phone": "0987654321"},
            "description": "Máy không lạnh",
        },
    ),
    ("GET", "/claims/SR-7K3M9Q2X", None),
    ("POST", "/claims/SR-7K3M9Q2X/moves", {"to": "triaged", "version": 1}),
    ("PATCH", "/claims/SR-7K3M9Q2X", {"version": 1, "claim_type": "warranty"}),
    (
        "POST",
        "/claims/SR-7K3M9Q2X/route",
        {"routing": "internal", "assignee": "technician", "version": 1},
    ),
    ("POST", "/claims/SR-7K3M9Q2X/verdict", {"version": 1}),
    ("POST", "/claims/SR-7K3M9Q2X/photos", {"content_type": "image/png", "size": 2400}),
    ("POST", "/claims/SR-7K3M9Q2X/photos/done", {"keys": ["claim-uploads/0123456789abcdef"]}),
    ("GET", "/claim-forms", None),
    ("GET", "/claim-forms/form?model=AC-9", None),
    ("PUT", "/claim-forms", {"scope": "model", "target": "AC-9", "version": 0, "fields": []}),
    ("GET", "/models/AC-9/help", None),
    ("PUT", "/models/AC-9/help", {"version": 0, "faults": []}),
    ("GET", "/models/AC-9/maintenance-plan", None),
    ("PUT", "/models/AC-9/maintenance-plan", {"version": 0, "components": []}),
    ("GET", "/maintenance/due", None),
    ("GET", "/maintenance/tickets", None),
    (
        "POST",
        "/maintenance/tickets",
        {"serial": "GAR00000017W", "component": "LOC-BUI", "day": "2026-12-31"},
    ),
    ("GET", "/maintenance/tickets/MT-2KJY2THT", None),
    ("GET", "/maintenance/tickets/MT-2KJY2THT/qr.svg", None),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/assign", {"version": 1, "assignee": "tech#an"}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/reschedule", {"version": 1, "day": "2026-12-31"}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/start", {"version": 1}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/work", {"version": 1}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/complete", {"version": 1}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/cancel", {"version": 1, "reason": "x"}),
    (
        "POST",
        "/maintenance/tickets/MT-2KJY2THT/parts",
        {"version": 1, "part_code": "LOC-01", "qty": 1, "location": "KHO"},
    ),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/parts/return", {"version": 1, "index": 0}),
    (
        "POST",
        "/maintenance/tickets/MT-2KJY2THT/photos",
        {"content_type": "image/jpeg", "size": 1000},
    ),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/photos/done", {"version": 1, "key": "x"}),
    ("POST", "/maintenance/tickets/MT-2KJY2THT/photos/remove", {"version": 1, "key": "x"}),
    ("GET", "/maintenance/reports?from=2026-07&until=2026-12", None),
    ("GET", "/reports/claims", None),
    ("POST", "/reports/claims/export", None),
    ("GET", "/privacy/requests", None),
    ("GET", "/privacy/retention", None),
    (
        "PUT",
        "/privacy/retention",
        {"messages_months": 24, "claims_months": 60, "visits_months": 60, "version": 0},
    ),
    ("POST", "/privacy/requests/PDR01m90vm0xyxpgmbn4vy5p02y4y/erase", None),
    ("POST", "/privacy/requests/PDR01m90vm0xyxpgmbn4vy5p02y4y/refuse", {"refusal_reason": "x"}),
    ("GET", "/maintenance/digest", None),
    (
        "POST",
        "/claims/SR-7K3M9Q2X/parts",
        {"version": 1, "part_code": "LOC-01", "qty": 1, "location": "KHO"},
    ),
    (
        "POST",
        "/claims/SR-7K3M9Q2X/parts/return",
        {"version": 1, "part_code": "LOC-01", "qty": 1, "location": "KHO"},
    ),
    ("GET", "/parts", None),
    ("GET", "/receivables/2026-11", None),
    (
        "POST",
        "/receivables/2026-11/MT-2KJY2THT/collect",
        {"version": 1, "amount_vnd": 1, "method": "cash"},
    ),
    ("POST", "/receivables/2026-11/MT-2KJY2THT/remit", {"version": 1, "amount_vnd": 1}),
    ("POST", "/receivables/2026-11/MT-2KJY2THT/reconcile", {"version": 1}),
    ("POST", "/receivables/2026-11/close", None),
    ("POST", "/receivables/2026-11/export", None),
    (
        "PUT",
        "/parts/LOC-01",
        {"version": 0, "name": "Lõi lọc", "unit": "cái", "cost_vnd": 1, "price_vnd": 2},
    ),
    ("GET", "/stock/locations", None),
    ("POST", "/stock/locations", {"location_id": "KHO", "name": "Kho", "kind": "warehouse"}),
    ("GET", "/stock", None),
    ("GET", "/stock/movements?part=LOC-01", None),
    (
        "POST",
        "/stock/movements",
        {"kind": "receipt", "part_code": "LOC-01", "qty": 1, "to": "KHO"},
    ),
    ("POST", "/models/AC-9/help/manual", {"content_type": "application/pdf", "size": 1000}),
    (
        "POST",
        "/claims/SR-7K3M9Q2X/override",
        {"status": "in_warranty", "reason": "Khách thân thiết", "version": 1},
    ),
    (
        "POST",
        "/claims/SR-7K3M9Q2X/costs",
        {
            "version": 1,
            "kind": "part",
            "description": "Bo mạch",
            "amount_vnd": 1,
            "payer": "warranty",
        },
    ),
    ("POST", "/claims/SR-7K3M9Q2X/replacement", {"new_serial": "GAR0000002Z1", "version": 1}),
    ("GET", "/units/GAR00000017W/warranty-history", None),
]
REQUEST = "PDR01m90vm0xyxpgmbn4vy5p02y4y"
TEMPLATES = {
    "/models/AC-9": "/models/{code}",
    "/units/GAR00000017W": "/units/{serial}",
    "/messages/m_unknown": "/messages/{message_id}",
    "/messages/m_unknown/retry": "/messages/{message_id}/retry",
    "/units/GAR00000017W/qr.png": "/units/{serial}/qr.png",
    "/units/GAR00000017W/qr.svg": "/units/{serial}/qr.svg",
    "/labels/templates/2x4cm-a4": "/labels/templates/{name}",
    "/labels/templates/tem-test": "/labels/templates/{name}",
    "/labels/jobs/lj_unknown": "/labels/jobs/{job_id}",
    "/staff/users/cs/roles": "/staff/users/{username}/roles",
    "/staff/users/cs/disable": "/staff/users/{username}/disable",
    "/staff/users/cs/enable": "/staff/users/{username}/enable",
    "/staff/users/cs/password": "/staff/users/{username}/password",
    "/models/AC-9/image": "/models/{code}/image",
    "/models/AC-9/image/done": "/models/{code}/image/done",
    "/customers?phone=0912345678": "/customers",
    "/customers/" + "0" * 64: "/customers/{customer_id}",
    "/customers/" + "0" * 64 + "/reveal": "/customers/{customer_id}/reveal",
    "/units/exports/3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9": "/units/exports/{export_id}",
    "/units/imports/ui_unknown": "/units/imports/{import_id}",
    "/units/imports/ui_unknown/start": "/units/imports/{import_id}/start",
    "/units/GAR00000017W/owner": "/units/{serial}/owner",
    "/partners/p_unknown": "/partners/{partner_id}",
    "/partners/p_unknown/status": "/partners/{partner_id}/status",
    "/rewards/rules/rr_unknown/end": "/rewards/rules/{rule_id}/end",
    "/rewards/GAR00000017W/decision": "/rewards/{serial}/decision",
    "/rewards/periods/2026-01": "/rewards/periods/{period}",
    "/rewards/periods/2026-01/lock": "/rewards/periods/{period}/lock",
    "/rewards/periods/2026-01/export": "/rewards/periods/{period}/export",
    "/rewards/exports/3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9": "/rewards/exports/{export_id}",
    "/cases?status=open": "/cases",
    "/cases/c_unknown": "/cases/{case_id}",
    "/cases/c_unknown/notes": "/cases/{case_id}/notes",
    "/cases/c_unknown/close": "/cases/{case_id}/close",
    "/partners/p_unknown/commitment": "/partners/{partner_id}/commitment",
    "/payouts/pb_unknown": "/payouts/{batch_id}",
    "/payouts/pb_unknown/export": "/payouts/{batch_id}/export",
    "/payouts/pb_unknown/lines/p_unknown/paid": "/payouts/{batch_id}/lines/{partner_id}/paid",
    "/payouts/pb_unknown/lines/p_unknown/failed": ("/payouts/{batch_id}/lines/{partner_id}/failed"),
    "/cartons/CT-UNKNOWN": "/cartons/{code}",
    "/cartons/CT-UNKNOWN/units": "/cartons/{code}/units",
    "/cartons/CT-UNKNOWN/units/GAR00000017W": "/cartons/{code}/units/{serial}",
    "/cartons/CT-UNKNOWN/close": "/cartons/{code}/close",
    "/labels/cartons/lj_unknown": "/labels/cartons/{job_id}",
    "/shipments/s_unknown": "/shipments/{shipment_id}",
    "/shipments/s_unknown/scans": "/shipments/{shipment_id}/scans",
    "/shipments/s_unknown/scans/GAR00000017W": "/shipments/{shipment_id}/scans/{serial}",
    "/shipments/s_unknown/confirm": "/shipments/{shipment_id}/confirm",
    "/shipments/s_unknown/cancel": "/shipments/{shipment_id}/cancel",
    "/shipments/s_unknown/returns": "/shipments/{shipment_id}/returns",
    "/shipments/s_unknown/export": "/shipments/{shipment_id}/export",
    "/dealer/shipments/s_unknown": "/dealer/shipments/{shipment_id}",
    "/dealer/shipments/s_unknown/export": "/dealer/shipments/{shipment_id}/export",
    "/dealers/d_unknown": "/dealers/{dealer_id}",
    "/dealers/d_unknown/status": "/dealers/{dealer_id}/status",
    "/dealers/d_unknown/users": "/dealers/{dealer_id}/users",
    "/dealers/d_unknown/users/dealer9": "/dealers/{dealer_id}/users/{username}",
    "/service-centers/sc_unknown": "/service-centers/{center_id}",
    "/service-centers/sc_unknown/status": "/service-centers/{center_id}/status",
    "/service-centers/sc_unknown/users": "/service-centers/{center_id}/users",
    "/service-centers/sc_unknown/users/service9": "/service-centers/{center_id}/users/{username}",
    "/claims/board/new": "/claims/board/{state}",
    "/claims/SR-7K3M9Q2X": "/claims/{claim_id}",
    "/claims/SR-7K3M9Q2X/moves": "/claims/{claim_id}/moves",
    "/claims/SR-7K3M9Q2X/route": "/claims/{claim_id}/route",
    "/claims/SR-7K3M9Q2X/verdict": "/claims/{claim_id}/verdict",
    "/claims/SR-7K3M9Q2X/photos": "/claims/{claim_id}/photos",
    "/claims/SR-7K3M9Q2X/photos/done": "/claims/{claim_id}/photos/done",
    "/claim-forms/form?model=AC-9": "/claim-forms/form",
    "/models/AC-9/help": "/models/{code}/help",
    "/models/AC-9/maintenance-plan": "/models/{code}/maintenance-plan",
    "/parts/LOC-01": "/parts/{code}",
    "/receivables/2026-11": "/receivables/{month}",
    "/receivables/2026-11/close": "/receivables/{month}/close",
    "/receivables/2026-11/export": "/receivables/{month}/export",
    **{
        f"/receivables/2026-11/MT-2KJY2THT/{step}": f"/receivables/{{month}}/{{ticket_id}}/{step}"
        for step in ("collect", "remit", "reconcile")
    },
    "/stock/movements?part=LOC-01": "/stock/movements",
    "/maintenance/reports?from=2026-07&until=2026-12": "/maintenance/reports",
    "/reports/claims": "/reports/{kind}",
    "/reports/claims/export": "/reports/{kind}/export",
    **{
        f"/privacy/requests/{REQUEST}/{step}": f"/privacy/requests/{{request_id}}/{step}"
        for step in ("erase", "refuse")
    },
    "/maintenance/tickets/MT-2KJY2THT": "/maintenance/tickets/{ticket_id}",
    **{
        f"/maintenance/tickets/MT-2KJY2THT/{action}": f"/maintenance/tickets/{{ticket_id}}/{action}"
        for action in (
            "assign",
            "reschedule",
            "start",
            "work",
            "complete",
            "cancel",
            "qr.svg",
            "parts",
            "parts/return",
            "photos",
            "photos/done",
            "photos/remove",
        )
    },
    "/models/AC-9/help/manual": "/models/{code}/help/manual",
    "/claims/SR-7K3M9Q2X/override": "/claims/{claim_id}/override",
    "/claims/SR-7K3M9Q2X/costs": "/claims/{claim_id}/costs",
    "/claims/SR-7K3M9Q2X/parts": "/claims/{claim_id}/parts",
    "/claims/SR-7K3M9Q2X/parts/return": "/claims/{claim_id}/parts/return",
    "/claims/SR-7K3M9Q2X/replacement": "/claims/{claim_id}/replacement",
    "/units/GAR00000017W/warranty-history": "/units/{serial}/warranty-history",
}
# /partner/ is the partner's own API: a partner session, never a staff token
# (tests/integration/test_partners.py checks its refusals); /dealer/ is a dealer user's own
# (DEALER_ROUTES below, and tests/integration/test_dealer_access.py); /service/ is a service
# company user's own (SERVICE_ROUTES below, and tests/integration/test_service_centers.py);
# /service-requests is the customer's (tests/integration/test_service_requests.py)
PUBLIC_PREFIXES = (
    "/public/", "/auth/", "/dev/", "/hooks/", "/partner/", "/dealer/", "/service/",
    "/service-requests",
)  # fmt: skip
DEALER_ROUTES = [
    ("GET", "/dealer/me", None),
    ("GET", "/dealer/funnel", None),
    ("GET", "/dealer/units", None),
    ("GET", "/dealer/activations", None),
    ("GET", "/dealer/shipments", None),
    ("GET", "/dealer/shipments/s_unknown", None),
    ("POST", "/dealer/shipments/s_unknown/export", None),
    (
        "POST",
        "/dealer/activations/start",
        {"serial": "GAR00000017W", "buyer": {"name": "Trần Thị Bình", "phone": "0987654321"}},
    ),
    (
        "POST",
        "/dealer/activations/confirm",
        {
            "serial": "GAR00000017W",
            "buyer": {"name": "Trần Thị Bình", "phone": "0987654321"},
            "code": "123456",
        },
    ),
]


SERVICE_ROUTES = [
    ("GET", "/service/me", None),
]


def test_the_route_lists_cover_every_staff_route() -> None:
    from app import app

    staff_routes = {
        (method, path)
        for path, methods in app.routes.items()
        if not path.startswith(PUBLIC_PREFIXES)
        for method in methods
    }
    covered = {(m, TEMPLATES.get(p, p)) for m, p, _ in STAFF_ROUTES} | {("POST", "/units/import")}

    assert staff_routes == covered


def call(api: Api, method: str, path: str, body: object, token: str | None) -> HTTPResponse:
    return api.request(method, path, json_body=body, token=token)


def import_call(api: Api, token: str | None) -> HTTPResponse:
    return api.post(
        "/units/import",
        body="serial,model_code\nSN-1,AC-9\n",
        token=token,
        headers={"Content-Type": "text/csv"},
    )


@pytest.mark.parametrize("user", DEMO_USERS, ids=lambda u: u.username)
def test_login_with_a_demo_user_returns_tokens_for_its_role(
    api: Api, cognito: CognitoSetup, user: DemoUser
) -> None:
    username = user.username

    response = api.post(
        "/auth/login", json_body={"username": username, "password": password_of(username)}
    )

    assert response.status_code == 200
    body = response.json_body
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] > 0
    assert body["refresh_token"]
    claims = claims_of(body["id_token"])
    assert claims["cognito:groups"] == [user.group]
    assert claims["aud"] == cognito.client_id
    assert claims_of(body["access_token"])["token_use"] == "access"


def test_login_with_a_wrong_password_is_invalid_credentials(
    api: Api, cognito: CognitoSetup
) -> None:
    response = api.post("/auth/login", json_body={"username": "admin", "password": "Wrong@2026"})

    assert response.status_code == 401
    assert error_code(response) == "invalid_credentials"


def test_login_of_an_unknown_user_looks_the_same_as_a_wrong_password(
    api: Api, cognito: CognitoSetup
) -> None:
    wrong_password = api.post("/auth/login", json_body={"username": "admin", "password": "x"})
    unknown = api.post("/auth/login", json_body={"username": "nobody", "password": "x"})

    assert unknown.status_code == wrong_password.status_code == 401
    assert unknown.json_body == wrong_password.json_body


def test_login_of_a_disabled_user_is_invalid_credentials(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    emulator.cognito.admin_disable_user(UserPoolId=cognito.user_pool_id, Username="cs")

    response = api.post("/auth/login", json_body={"username": "cs", "password": password_of("cs")})

    assert (response.status_code, error_code(response)) == (401, "invalid_credentials")


def test_login_with_a_temporary_password_asks_for_the_challenge(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    emulator.cognito.admin_create_user(
        UserPoolId=cognito.user_pool_id, Username="newcomer",
        TemporaryPassword="Temp@2026pass", MessageAction="SUPPRESS",
    )  # fmt: skip

    response = api.post(
        "/auth/login", json_body={"username": "newcomer", "password": "Temp@2026pass"}
    )

    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "sign_in_challenge_required"
    assert response.json_body["error"]["challenge"] == "NEW_PASSWORD_REQUIRED"


def invite(emulator: Emulator, cognito: CognitoSetup, username: str = "newcomer") -> None:
    """An account as an admin creates it: a temporary password, its group, no message sent."""
    emulator.cognito.admin_create_user(
        UserPoolId=cognito.user_pool_id, Username=username,
        TemporaryPassword="Temp@2026pass", MessageAction="SUPPRESS",
    )  # fmt: skip
    emulator.cognito.admin_add_user_to_group(
        UserPoolId=cognito.user_pool_id, Username=username, GroupName="cs"
    )


def test_a_first_sign_in_sets_a_new_password_and_signs_in(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    invite(emulator, cognito)

    response = api.post(
        "/auth/new-password",
        json_body={"username": "newcomer", "password": "Temp@2026pass",
                   "new_password": "Mine@2026pass"},
    )  # fmt: skip

    assert response.status_code == 200, response.body
    assert claims_of(response.json_body["id_token"])["cognito:groups"] == ["cs"]
    assert response.json_body["refresh_token"]
    again = api.post("/auth/login", json_body={"username": "newcomer", "password": "Mine@2026pass"})
    assert again.status_code == 200
    old = api.post("/auth/login", json_body={"username": "newcomer", "password": "Temp@2026pass"})
    assert (old.status_code, error_code(old)) == (401, "invalid_credentials")


def test_a_new_password_needs_the_right_temporary_one(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    invite(emulator, cognito)

    response = api.post(
        "/auth/new-password",
        json_body={"username": "newcomer", "password": "Guess@2026",
                   "new_password": "Mine@2026pass"},
    )  # fmt: skip

    assert (response.status_code, error_code(response)) == (401, "invalid_credentials")


def test_a_weak_new_password_is_refused_on_its_field_in_the_user_s_language(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    invite(emulator, cognito)

    response = api.post(
        "/auth/new-password",
        json_body={"username": "newcomer", "password": "Temp@2026pass",
                   "new_password": "allsmallletters"},
        headers={"Accept-Language": "en"},
    )  # fmt: skip

    assert response.status_code == 400
    field = response.json_body["error"]["fields"][0]
    assert (field["field"], field["code"]) == ("new_password", "password_too_weak")
    assert "too weak" in field["message"]
    still = api.post("/auth/login", json_body={"username": "newcomer", "password": "Temp@2026pass"})
    assert error_code(still) == "sign_in_challenge_required"


def test_an_account_with_its_own_password_cannot_set_one_this_way(
    api: Api, cognito: CognitoSetup
) -> None:
    response = api.post(
        "/auth/new-password",
        json_body={"username": "cs", "password": password_of("cs"),
                   "new_password": "Other@2026pass"},
    )  # fmt: skip

    assert (response.status_code, error_code(response)) == (409, "new_password_not_required")
    assert (
        api.post(
            "/auth/login", json_body={"username": "cs", "password": password_of("cs")}
        ).status_code
        == 200
    )


def test_login_of_an_unconfirmed_account_is_refused_not_a_server_error(
    api: Api, cognito: CognitoSetup, emulator: Emulator
) -> None:
    """Cognito answers ``UserNotConfirmedException`` (and, after an admin reset,
    ``PasswordResetRequiredException``): a refusal the caller can act on, not a 500."""
    emulator.cognito.sign_up(
        ClientId=cognito.client_id, Username="pending", Password="Pending@2026"
    )

    response = api.post(
        "/auth/login", json_body={"username": "pending", "password": "Pending@2026"}
    )

    assert response.status_code == 401
    assert response.json_body["error"]["code"]


def test_login_body_is_validated(api: Api, cognito: CognitoSetup) -> None:
    response = api.post("/auth/login", json_body={"username": "admin"})

    assert response.status_code == 400
    assert response.json_body["error"]["fields"][0]["field"] == "password"


def test_refresh_token_yields_new_tokens(api: Api, cognito: CognitoSetup) -> None:
    login = api.post(
        "/auth/login", json_body={"username": "cs", "password": password_of("cs")}
    ).json_body

    response = api.post("/auth/refresh", json_body={"refresh_token": login["refresh_token"]})

    assert response.status_code == 200
    assert claims_of(response.json_body["id_token"])["cognito:groups"] == ["cs"]


def test_refresh_with_an_unknown_token_is_invalid_credentials(
    api: Api, cognito: CognitoSetup
) -> None:
    response = api.post("/auth/refresh", json_body={"refresh_token": "not-a-refresh-token"})

    assert (response.status_code, error_code(response)) == (401, "invalid_credentials")


def test_a_signed_in_admin_reaches_every_staff_route(api: Api, staff: StaffTokens) -> None:
    for method, path, body in STAFF_ROUTES:
        response = call(api, method, path, body, staff("admin"))
        assert response.status_code not in (401, 403), (method, path, response.body)


def test_every_staff_route_rejects_a_request_without_a_token(api: Api, staff: StaffTokens) -> None:
    answers = [
        (path, r.status_code, error_code(r))
        for method, path, body in STAFF_ROUTES
        for r in [call(api, method, path, body, None)]
    ] + [("/units/import", (r := import_call(api, None)).status_code, error_code(r))]

    assert {(status, code) for _, status, code in answers} == {(401, "authentication_required")}


@pytest.mark.parametrize(
    "header", ["Basic YWRtaW46QWRtaW5AMjAyNg==", "Bearer", "Bearer   ", "token"]
)
def test_malformed_authorization_header_is_authentication_required(
    api: Api, staff: StaffTokens, header: str
) -> None:
    response = api.get("/models", headers={"Authorization": header})

    assert response.status_code == 401
    assert error_code(response) == "authentication_required"


def test_every_staff_route_rejects_a_token_signed_with_another_key(
    api: Api, staff: StaffTokens
) -> None:
    forged = forged_token(staff("admin"))

    answers = {
        (r.status_code, error_code(r))
        for method, path, body in STAFF_ROUTES
        for r in [call(api, method, path, body, forged)]
    } | {((r := import_call(api, forged)).status_code, error_code(r))}

    assert answers == {(401, "token_invalid")}


def test_every_staff_route_rejects_an_expired_token(api: Api, staff: StaffTokens) -> None:
    expired = expired_token(staff("admin"))

    answers = {
        (r.status_code, error_code(r))
        for method, path, body in STAFF_ROUTES
        for r in [call(api, method, path, body, expired)]
    } | {((r := import_call(api, expired)).status_code, error_code(r))}

    assert answers == {(401, "token_expired")}


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-app-client"},
        {"iss": "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_other"},
        {"token_use": "refresh"},
    ],
    ids=["other-client", "other-pool", "wrong-use"],
)
def test_token_for_another_client_pool_or_use_is_rejected(
    api: Api, staff: StaffTokens, changes: dict[str, str]
) -> None:
    token = resigned_token(staff("admin"), **changes)

    response = api.get("/models", token=token)

    assert (response.status_code, error_code(response)) == (401, "token_invalid")


def test_unsigned_token_is_rejected(api: Api, staff: StaffTokens) -> None:
    import jwt

    unsigned = jwt.encode(claims_of(staff("admin")), None, algorithm="none")

    response = api.get("/models", token=unsigned)

    assert (response.status_code, error_code(response)) == (401, "token_invalid")


@pytest.mark.parametrize("username", ["cs", "technician", "accountant", "director"])
def test_only_admins_change_the_catalog_or_register_units(
    api: Api, staff: StaffTokens, username: str
) -> None:
    token = staff(username)
    # customer service may also retry a message (test_console_messages covers it); the POSTs
    # that read (an export, a reveal, a label preview) have their own role tests
    reads_by_post = (
        "/units/exports",
        "/customers/",
        "/labels/preview",
        "/units/GAR00000017W/owner",
        "/rewards/periods/2026-01/export",
        "/payouts/preview",
        "/shipments/s_unknown/export",
        "/funnel/export",
        "/reports/claims/export",
    )
    writes = [
        route
        for route in STAFF_ROUTES
        if route[0] != "GET"
        and not (username == "cs" and route[1].startswith("/messages/"))
        # the director also manages installer partners (test_partners covers the roles)
        # and reward rules (test_installer_rewards covers their roles)
        and not (username == "director" and route[1].startswith(("/partners", "/rewards/")))
        # customer service ships units to dealers (test_shipments)
        and not (username == "cs" and route[1].startswith("/shipments"))
        # customer service and technicians answer partners' cases (test_partner_cases)
        and not (username in ("cs", "technician") and route[1].startswith("/cases"))
        # the accountant makes payouts and records commitment forms (test_payouts)
        and not (
            username == "accountant"
            and route[1].startswith(("/payouts", "/partners/p_unknown/commitment"))
        )
        and not route[1].startswith(reads_by_post)
        # customer service packs cartons (test_cartons covers the roles)
        and not (username == "cs" and route[1].startswith(("/cartons", "/labels/cartons")))
        # customer service keeps the service centres (test_service_centers)
        and not (username == "cs" and route[1].startswith("/service-centers"))
        # customer service handles personal-data requests (test_personal_data covers roles)
        and not (username == "cs" and route[1].startswith("/privacy/"))
        # the desk and the workshop file and move service requests (test_claims covers roles)
        and not (username != "accountant" and route[1].startswith("/claims"))
        # the desk books maintenance visits; anyone may try a ticket's move, which answers
        # 404 unless it is theirs (test_maintenance_tickets covers the roles)
        and not (username == "cs" and route[1] == "/maintenance/tickets")
        # the accountant keeps the maintenance receivables (test_receivables); reading a
        # month's export is the director's too
        and not (username == "accountant" and route[1].startswith("/receivables"))
        and not (username == "director" and route[1].endswith("/export"))
        # the stock keepers (admin, cs, the accountant) keep parts and stock (test_stock)
        and not (
            username in ("cs", "accountant")
            and route[1].startswith(("/parts/", "/stock/locations", "/stock/movements"))
        )
        and not route[1].startswith("/maintenance/tickets/")
        # customer service edits request forms and self-help (test_claim_settings) and
        # maintenance plans (test_maintenance_plans)
        and not (
            username == "cs"
            and route[1].startswith(
                ("/claim-forms", "/models/AC-9/help", "/models/AC-9/maintenance-plan")
            )
        )
    ]

    answers = {
        (r.status_code, error_code(r))
        for method, path, body in writes
        for r in [call(api, method, path, body, token)]
    } | {((r := import_call(api, token)).status_code, error_code(r))}

    assert answers == {(403, "role_not_allowed")}


def test_cs_creating_a_model_is_forbidden_and_nothing_is_created(
    api: Api, staff: StaffTokens
) -> None:
    response = api.post("/models", json_body=f.model_body(), token=staff("cs"))

    assert (response.status_code, error_code(response)) == (403, "role_not_allowed")
    assert api.get("/models", token=staff("admin")).json_body == {"models": []}


def test_accountant_cannot_read_units_but_customer_service_can(
    api: Api, staff: StaffTokens
) -> None:
    assert api.get("/units/GAR00000017W", token=staff("accountant")).status_code == 403
    assert api.get("/units/GAR00000017W", token=staff("cs")).status_code == 404


def test_every_role_may_list_the_catalog(api: Api, staff: StaffTokens) -> None:
    statuses = {api.get("/models", token=staff(user.username)).status_code for user in DEMO_USERS}

    assert statuses == {200}


def test_the_dealer_route_list_covers_every_dealer_route() -> None:
    from app import app

    dealer_routes = {
        (method, path)
        for path, methods in app.routes.items()
        if path.startswith("/dealer/")
        for method in methods
    }

    assert dealer_routes == {(m, TEMPLATES.get(p, p)) for m, p, _ in DEALER_ROUTES}


def test_a_dealer_token_is_refused_on_every_staff_route_and_staff_on_every_dealer_route(
    api: Api, staff: StaffTokens
) -> None:
    """Dealer isolation, the staff side: a dealer's user is never staff, staff are never a
    dealer (whatever their role, the admin included)."""
    from tests.support.dealers import dealer_user_token, given_dealer

    admin = staff("admin")
    dealer = dealer_user_token(api, admin, given_dealer(api, admin, "HN-01"), "dealer.a")

    on_staff = {
        (path, r.status_code, error_code(r))
        for method, path, body in STAFF_ROUTES
        for r in [call(api, method, path, body, dealer)]
    } | {("/units/import", (r := import_call(api, dealer)).status_code, error_code(r))}
    on_dealer = {
        (path, user.username, r.status_code, error_code(r))
        for method, path, body in DEALER_ROUTES
        for user in DEMO_USERS
        for r in [call(api, method, path, body, staff(user.username))]
    }

    assert {(status, code) for _, status, code in on_staff} == {(403, "role_not_allowed")}
    assert {(status, code) for *_, status, code in on_dealer} == {(403, "role_not_allowed")}
    assert api.get("/dealer/me", token=dealer).status_code == 200


def test_the_service_route_list_covers_every_service_company_route() -> None:
    from app import app

    service_routes = {
        (method, path)
        for path, methods in app.routes.items()
        if path.startswith("/service/")
        for method in methods
    }

    assert service_routes == {(m, TEMPLATES.get(p, p)) for m, p, _ in SERVICE_ROUTES}


def test_a_service_company_token_is_refused_on_every_staff_and_dealer_route_and_staff_on_its_own(
    api: Api, staff: StaffTokens
) -> None:
    """Company isolation, the staff side: a service company's user is never staff nor a
    dealer; staff (the admin included) are never a company."""
    from tests.support.service_centers import center_user_token, given_center

    admin = staff("admin")
    company = center_user_token(api, admin, given_center(api, admin, "MP-01"), "service.a")

    on_others = {
        (path, r.status_code, error_code(r))
        for method, path, body in [*STAFF_ROUTES, *DEALER_ROUTES]
        # the service requests and maintenance tickets sent to its company are a company
        # user's too (their own tests: it sees and moves only those)
        if not path.startswith(("/claims", "/maintenance/tickets", "/parts"))
        and not (method == "GET" and path == "/stock/locations")
        for r in [call(api, method, path, body, company)]
    } | {("/units/import", (r := import_call(api, company)).status_code, error_code(r))}
    on_service = {
        (path, user.username, r.status_code, error_code(r))
        for method, path, body in SERVICE_ROUTES
        for user in DEMO_USERS
        for r in [call(api, method, path, body, staff(user.username))]
    }

    assert {(status, code) for _, status, code in on_others} == {(403, "role_not_allowed")}
    assert {(status, code) for *_, status, code in on_service} == {(403, "role_not_allowed")}
    assert api.get("/service/me", token=company).status_code == 200
