"""Service centres against the emulator: staff keep the registry (admin and customer service
write, every staff role reads, each change audited), a partner company's users sign in and act
for their company only, suspending the company or removing the user ends access at once, and
the portal lists a province's service points."""

from __future__ import annotations

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.core.errors import Forbidden
from chalicelib.platform.auth import Principal
from chalicelib.service_centers import access
from tests.support.api import Api, StaffTokens, claims_of, error_code, field_codes
from tests.support.service_centers import center_body, center_user_token, given_center

pytestmark = pytest.mark.usefixtures("aws")


def test_customer_service_registers_a_partner_company_and_every_staff_role_reads_it(
    api: Api, staff: StaffTokens
) -> None:
    created = api.post(
        "/service-centers",
        json_body=center_body("mp-01", provinces=["Huế", "Hà Nội"], note="Hợp đồng 2026"),
        token=staff("cs"),
    )
    center_id = created.json_body["center_id"]

    assert created.status_code == 201, created.body
    body = created.json_body
    assert (body["code"], body["kind"], body["status"], body["version"]) == (
        "MP-01",
        "partner",
        "active",
        1,
    )
    assert body["provinces"] == ["Hà Nội", "Huế"]
    assert body["history"][0]["note"] == "Hợp đồng 2026"
    for reader in ("admin", "technician", "accountant", "director"):
        assert api.get(f"/service-centers/{center_id}", token=staff(reader)).status_code == 200
    [entry] = AuditTrail("demo").for_entity("service_center", center_id)
    assert (entry.action, entry.actor, entry.after["tax_code"]) == (
        "center_created",
        "cs",
        "0109000301",
    )


def test_a_code_is_one_centre_s_and_a_partner_needs_its_tax_code(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    given_center(api, admin, "MP-01")

    taken = api.post("/service-centers", json_body=center_body("mp-01"), token=admin)
    no_tax = api.post(
        "/service-centers", json_body=center_body("MP-02", tax_code=None), token=admin
    )
    bad = api.post(
        "/service-centers",
        json_body=center_body("MP-03", provinces=["Hà Tây"], phone="gọi anh Nam"),
        token=admin,
    )

    assert (taken.status_code, error_code(taken)) == (409, "center_code_taken")
    assert (no_tax.status_code, field_codes(no_tax)) == (
        400,
        {"tax_code": "center_tax_code_required"},
    )
    assert field_codes(bad) == {"provinces": "province_invalid", "phone": "center_phone_invalid"}


def test_others_only_read(api: Api, staff: StaffTokens) -> None:
    center_id = given_center(api, staff("admin"), "MP-01")

    refused = {
        (r.status_code, error_code(r))
        for who in ("technician", "accountant", "director")
        for r in [
            api.post("/service-centers", json_body=center_body("X-1"), token=staff(who)),
            api.post(
                f"/service-centers/{center_id}/status",
                json_body={"status": "suspended", "note": "x"},
                token=staff(who),
            ),
        ]
    }

    assert refused == {(403, "role_not_allowed")}


def test_an_edit_made_on_an_old_version_is_refused_and_one_on_the_current_is_audited(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    center_id = given_center(api, admin, "MP-01")
    edit = {k: v for k, v in center_body("MP-01").items() if k not in ("code", "kind")}

    first = api.put(
        f"/service-centers/{center_id}",
        json_body={**edit, "provinces": ["Hà Nội", "Bắc Ninh"], "version": 1},
        token=admin,
    )
    second = api.put(
        f"/service-centers/{center_id}",
        json_body={**edit, "listed": False, "version": 1},
        token=staff("cs"),
    )

    assert first.status_code == 200, first.body
    assert (first.json_body["provinces"], first.json_body["version"]) == (
        ["Hà Nội", "Bắc Ninh"],
        2,
    )
    assert (second.status_code, error_code(second)) == (409, "center_changed")
    edited = next(iter(AuditTrail("demo").for_entity("service_center", center_id)))
    assert (edited.action, edited.before, edited.after) == (
        "center_edited",
        {"provinces": ["Hà Nội"]},
        {"provinces": ["Hà Nội", "Bắc Ninh"]},
    )


def test_the_list_finds_centres_by_code_prefix_and_status(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    for code in ("HN-02", "HN-01", "HCM-01"):
        given_center(api, admin, code)
    suspended = given_center(api, admin, "HN-03")
    api.post(
        f"/service-centers/{suspended}/status",
        json_body={"status": "suspended", "note": "Chậm xử lý"},
        token=admin,
    )

    hn = api.get("/service-centers?code=hn", token=staff("director")).json_body
    active = api.get("/service-centers?code=HN&status=active", token=admin).json_body
    bad = api.get("/service-centers?status=open", token=admin)

    assert [c["code"] for c in hn["centers"]] == ["HN-01", "HN-02", "HN-03"]
    assert [c["code"] for c in active["centers"]] == ["HN-01", "HN-02"]
    assert field_codes(bad) == {"status": "center_status_invalid"}


def test_a_company_user_acts_only_for_its_company_until_removed_or_suspended(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    a, b = given_center(api, admin, "MP-01"), given_center(api, admin, "MP-02")
    token_a = center_user_token(api, admin, a, "Minh.Phat")
    token_b = center_user_token(api, admin, b, "other.co")

    me = api.get("/service/me", token=token_a)
    key_a = access.assignee_key_for(_principal(token_a))
    key_b = access.assignee_key_for(_principal(token_b))
    api.post(
        f"/service-centers/{a}/status",
        json_body={"status": "suspended", "note": "Tạm dừng hợp đồng"},
        token=admin,
    )
    removed = api.delete(f"/service-centers/{b}/users/other.co", token=admin)

    assert me.status_code == 200, me.body
    assert (me.json_body["username"], me.json_body["center"]["center_id"]) == ("minh.phat", a)
    assert (key_a, key_b) == (f"company#{a}", f"company#{b}")
    assert removed.status_code == 204
    for token, code in ((token_a, "service_center_inactive"), (token_b, "service_access_revoked")):
        refused = api.get("/service/me", token=token)
        assert (refused.status_code, error_code(refused)) == (403, code)
        with pytest.raises(Forbidden) as no_key:
            access.assignee_key_for(_principal(token))
        assert no_key.value.code == code
    assert access.center_name(a) == "Công ty dịch vụ MP-01"


def test_the_brand_s_own_centre_has_no_users_of_its_own(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    internal = given_center(api, admin, "TT-HN", kind="internal", tax_code=None)

    refused = api.post(
        f"/service-centers/{internal}/users", json_body={"username": "tech.hn"}, token=admin
    )

    assert (refused.status_code, error_code(refused)) == (409, "center_not_partner")


def test_staff_and_dealers_are_not_a_company(api: Api, staff: StaffTokens) -> None:
    refused = api.get("/service/me", token=staff("admin"))

    assert (refused.status_code, error_code(refused)) == (403, "role_not_allowed")
    with pytest.raises(Forbidden):
        access.assignee_key_for(_principal(staff("cs")))


def test_routing_offers_the_active_centres_of_a_province(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    given_center(api, admin, "MP-01")
    given_center(api, admin, "HUE-01", provinces=["Huế"])
    given_center(api, admin, "TT-HN", kind="internal", tax_code=None)

    assert [c.code for c in access.active_centers("Hà Nội")] == ["MP-01", "TT-HN"]
    assert [c.code for c in access.active_centers()] == ["HUE-01", "MP-01", "TT-HN"]


def test_the_portal_lists_a_province_s_public_service_points(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    given_center(api, admin, "MP-01")
    given_center(api, admin, "HIDDEN", listed=False)
    given_center(api, admin, "HUE-01", provinces=["Huế"])
    closed = given_center(api, admin, "OLD-01")
    api.post(
        f"/service-centers/{closed}/status",
        json_body={"status": "closed", "note": "Hết hợp đồng"},
        token=admin,
    )

    listed = api.get("/public/service-points?province=H%C3%A0%20N%E1%BB%99i")
    unknown = api.get("/public/service-points?province=Atlantis")
    missing = api.get("/public/service-points")

    assert listed.status_code == 200, listed.body
    assert listed.json_body == {
        "province": "Hà Nội",
        "points": [
            {
                "code": "MP-01",
                "name": "Công ty dịch vụ MP-01",
                "kind": "partner",
                "address": "45 Lê Duẩn, Hoàn Kiếm",
                "phone": "024 3999 8888",
                "hours": "Thứ 2–Thứ 7, 8:00–17:30",
                "provinces": ["Hà Nội"],
            }
        ],
    }
    assert field_codes(unknown) == {"province": "province_invalid"}
    assert field_codes(missing) == {"province": "province_required"}


def test_service_points_are_rate_limited_like_other_public_look_ups(api: Api) -> None:
    answers = [api.get("/public/service-points?province=Hu%E1%BA%BF") for _ in range(31)]

    assert {a.status_code for a in answers[:30]} == {200}
    assert (answers[30].status_code, error_code(answers[30])) == (429, "lookup_rate_limited")
    assert int(answers[30].headers["Retry-After"]) >= 1


def _principal(token: str) -> Principal:
    claims = claims_of(token)
    return Principal(
        username=claims["cognito:username"],
        subject=claims["sub"],
        roles=frozenset(claims.get("cognito:groups", [])),
    )
