"""Staff accounts through the routes against the emulator's Cognito pool: an administrator
invites, sets roles, disables and enables, resets a password; nobody else may; an administrator
cannot lock themselves out; every change is one audit entry without the password. And each
staff member changes their own password with their access token."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.audit.repository import AuditTrail
from devstack.provision import CognitoSetup
from tests.support.api import Api, StaffTokens, error_code, field_codes, password_of
from tests.support.aws import Emulator


def invite(api: Api, token: str, **body: Any) -> Any:
    return api.post(
        "/staff/users",
        json_body={"username": "lan.nguyen", "roles": ["cs"], **body},
        token=token,
    )


def sign_in(api: Api, username: str, password: str) -> Any:
    return api.post("/auth/login", json_body={"username": username, "password": password})


def history(username: str) -> list[tuple[str, str, Any, Any]]:
    return [
        (e.action, e.actor, e.before, e.after)
        for e in AuditTrail("demo").for_entity("user", username)
    ]


def test_admin_lists_the_pools_users_with_their_roles(api: Api, staff: StaffTokens) -> None:
    response = api.get("/staff/users", token=staff("admin"))

    assert response.status_code == 200
    users = {u["username"]: u for u in response.json_body["users"]}
    assert {name: u["roles"] for name, u in users.items()} == {
        "admin": ["admin"],
        "cs": ["cs"],
        "technician": ["technician"],
        "accountant": ["accountant"],
        "director": ["director"],
    }
    assert users["cs"]["enabled"] is True and users["cs"]["status"] == "CONFIRMED"
    assert users["cs"]["created_at"] and response.json_body["next_cursor"] is None


@pytest.mark.parametrize("role", ["cs", "technician", "accountant", "director"])
def test_only_an_admin_manages_users(api: Api, staff: StaffTokens, role: str) -> None:
    token = staff(role)

    answers = [
        api.get("/staff/users", token=token),
        invite(api, token),
        api.put("/staff/users/cs/roles", json_body={"roles": ["admin"]}, token=token),
        api.post("/staff/users/cs/disable", token=token),
        api.post("/staff/users/cs/password", token=token),
    ]

    assert [(r.status_code, error_code(r)) for r in answers] == [(403, "role_not_allowed")] * 5


def test_an_invited_user_signs_in_once_with_the_temporary_password_then_their_own(
    api: Api, staff: StaffTokens
) -> None:
    response = invite(api, staff("admin"), username=" Lan.Nguyen ", email="lan@example.vn")

    assert response.status_code == 201
    body = response.json_body
    assert body["user"] == {
        "username": "lan.nguyen",
        "email": "lan@example.vn",
        "phone": None,
        "roles": ["cs"],
        "enabled": True,
        "status": "FORCE_CHANGE_PASSWORD",
        "created_at": body["user"]["created_at"],
    }
    temporary = body["temporary_password"]
    first = sign_in(api, "lan.nguyen", temporary)
    assert first.json_body["error"]["challenge"] == "NEW_PASSWORD_REQUIRED"
    own = api.post(
        "/auth/new-password",
        json_body={"username": "lan.nguyen", "password": temporary, "new_password": "Lan@2026own"},
    )
    assert own.status_code == 200
    assert sign_in(api, "lan.nguyen", "Lan@2026own").status_code == 200
    assert history("lan.nguyen") == [
        ("user_invited", "admin", None, {"roles": ["cs"], "email": "lan@example.vn"})
    ]
    assert temporary not in repr(AuditTrail("demo").for_entity("user", "lan.nguyen"))


def test_temporary_passwords_meet_the_pools_policy_and_differ(api: Api, staff: StaffTokens) -> None:
    first = invite(api, staff("admin"), username="a.one").json_body["temporary_password"]
    second = invite(api, staff("admin"), username="a.two").json_body["temporary_password"]

    assert first != second and len(first) == 16
    assert any(c.isupper() for c in first) and any(c.islower() for c in first)
    assert any(c.isdigit() for c in first) and any(not c.isalnum() for c in first)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"username": "a"}, "username", "username_invalid"),
        ({"username": "lan nguyen"}, "username", "username_invalid"),
        ({"username": "lan@x"}, "username", "username_invalid"),
        ({"email": "not-an-email"}, "email", "email_invalid"),
        ({"roles": ["owner"]}, "roles", "role_unknown"),
        ({"roles": []}, "roles", "roles_required"),
    ],
)
def test_invite_checks_username_email_and_roles(
    api: Api, staff: StaffTokens, body: dict[str, Any], field: str, code: str
) -> None:
    response = invite(api, staff("admin"), **body)

    assert response.status_code == 400
    assert field_codes(response) == {field: code}


def test_inviting_a_taken_username_is_a_conflict(api: Api, staff: StaffTokens) -> None:
    response = invite(api, staff("admin"), username="cs")

    assert (response.status_code, error_code(response)) == (409, "user_exists")


def test_admin_sets_roles_exactly_and_the_change_is_audited(api: Api, staff: StaffTokens) -> None:
    response = api.put(
        "/staff/users/cs/roles", json_body={"roles": ["technician", "cs"]}, token=staff("admin")
    )
    again = api.put(
        "/staff/users/cs/roles", json_body={"roles": ["cs", "technician"]}, token=staff("admin")
    )

    assert response.status_code == again.status_code == 200
    assert response.json_body["roles"] == ["cs", "technician"]
    signed_in = sign_in(api, "cs", password_of("cs")).json_body["id_token"]
    from tests.support.api import claims_of

    assert sorted(claims_of(signed_in)["cognito:groups"]) == ["cs", "technician"]
    assert history("cs") == [
        ("user_roles_changed", "admin", {"roles": ["cs"]}, {"roles": ["cs", "technician"]})
    ]


def test_an_admin_cannot_remove_their_own_admin_role(api: Api, staff: StaffTokens) -> None:
    response = api.put(
        "/staff/users/admin/roles", json_body={"roles": ["director"]}, token=staff("admin")
    )

    assert (response.status_code, error_code(response)) == (409, "own_admin_role")
    users = api.get("/staff/users", token=staff("admin")).json_body["users"]
    assert next(u for u in users if u["username"] == "admin")["roles"] == ["admin"]
    assert history("admin") == []


def test_an_admin_cannot_disable_themselves(api: Api, staff: StaffTokens) -> None:
    response = api.post("/staff/users/admin/disable", token=staff("admin"))

    assert (response.status_code, error_code(response)) == (409, "cannot_disable_self")
    assert sign_in(api, "admin", password_of("admin")).status_code == 200


def test_another_admin_may_take_an_admins_role_away(
    api: Api, staff: StaffTokens, cognito: CognitoSetup, emulator: Emulator
) -> None:
    emulator.cognito.admin_add_user_to_group(
        UserPoolId=cognito.user_pool_id, Username="director", GroupName="admin"
    )
    director = sign_in(api, "director", password_of("director")).json_body["id_token"]

    response = api.put("/staff/users/admin/roles", json_body={"roles": ["cs"]}, token=director)

    assert response.status_code == 200 and response.json_body["roles"] == ["cs"]


def test_a_disabled_user_cannot_sign_in_or_refresh_until_enabled(
    api: Api, staff: StaffTokens
) -> None:
    before = sign_in(api, "cs", password_of("cs")).json_body

    disabled = api.post("/staff/users/cs/disable", token=staff("admin"))

    assert disabled.status_code == 200 and disabled.json_body["enabled"] is False
    assert error_code(sign_in(api, "cs", password_of("cs"))) == "invalid_credentials"
    refused = api.post("/auth/refresh", json_body={"refresh_token": before["refresh_token"]})
    assert refused.status_code == 401
    enabled = api.post("/staff/users/cs/enable", token=staff("admin"))
    assert enabled.json_body["enabled"] is True
    assert sign_in(api, "cs", password_of("cs")).status_code == 200
    assert [(a, b, after) for a, _, b, after in history("cs")] == [
        ("user_enabled", {"enabled": False}, {"enabled": True}),
        ("user_disabled", {"enabled": True}, {"enabled": False}),
    ]


def test_a_password_reset_gives_a_new_temporary_password_shown_once(
    api: Api, staff: StaffTokens
) -> None:
    response = api.post("/staff/users/cs/password", token=staff("admin"))

    assert response.status_code == 200
    assert response.json_body["user"]["status"] == "FORCE_CHANGE_PASSWORD"
    temporary = response.json_body["temporary_password"]
    assert error_code(sign_in(api, "cs", password_of("cs"))) == "invalid_credentials"
    assert sign_in(api, "cs", temporary).json_body["error"]["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert history("cs") == [("user_password_reset", "admin", None, None)]


def test_an_unknown_or_malformed_username_is_not_found(api: Api, staff: StaffTokens) -> None:
    unknown = api.post("/staff/users/nobody/disable", token=staff("admin"))
    malformed = api.post("/staff/users/NO%20BODY/password", token=staff("admin"))

    assert [(r.status_code, error_code(r)) for r in (unknown, malformed)] == [
        (404, "user_not_found")
    ] * 2


def test_a_forged_cursor_is_refused(api: Api, staff: StaffTokens) -> None:
    response = api.get("/staff/users?cursor=abc.def", token=staff("admin"))

    assert field_codes(response) == {"cursor": "cursor_invalid"}


def tokens_of(api: Api, username: str) -> dict[str, Any]:
    body: dict[str, Any] = sign_in(api, username, password_of(username)).json_body
    return body


@pytest.mark.parametrize("username", ["technician", "director"])
def test_staff_change_their_own_password_with_their_access_token(
    api: Api, cognito: CognitoSetup, username: str
) -> None:
    access = tokens_of(api, username)["access_token"]

    response = api.post(
        "/auth/password",
        json_body={"current_password": password_of(username), "new_password": "New@2026pass"},
        token=access,
    )

    assert response.status_code == 204
    assert sign_in(api, username, "New@2026pass").status_code == 200
    assert error_code(sign_in(api, username, password_of(username))) == "invalid_credentials"


def test_a_wrong_current_password_or_a_weak_new_one_are_field_errors(
    api: Api, cognito: CognitoSetup
) -> None:
    access = tokens_of(api, "cs")["access_token"]

    wrong = api.post(
        "/auth/password",
        json_body={"current_password": "Wrong@2026", "new_password": "New@2026pass"},
        token=access,
    )
    weak = api.post(
        "/auth/password",
        json_body={"current_password": password_of("cs"), "new_password": "alllowercase"},
        token=access,
    )

    assert field_codes(wrong) == {"current_password": "current_password_wrong"}
    assert field_codes(weak) == {"new_password": "password_too_weak"}
    assert sign_in(api, "cs", password_of("cs")).status_code == 200


def test_changing_a_password_needs_the_access_token_not_the_id_token(
    api: Api, cognito: CognitoSetup
) -> None:
    body = {"current_password": password_of("cs"), "new_password": "New@2026pass"}

    with_id = api.post("/auth/password", json_body=body, token=tokens_of(api, "cs")["id_token"])
    without = api.post("/auth/password", json_body=body)

    assert (with_id.status_code, error_code(with_id)) == (401, "access_token_required")
    assert (without.status_code, error_code(without)) == (401, "authentication_required")
