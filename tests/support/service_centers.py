"""Service centres and their users through the staff API, as staff make them."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api


def center_body(code: str, **fields: Any) -> dict[str, Any]:
    """A partner company serving Hà Nội (its tax code, public line and hours)."""
    return {
        "code": code,
        "name": f"Công ty dịch vụ {code}",
        "kind": "partner",
        "tax_code": "0109000301",
        "provinces": ["Hà Nội"],
        "address": "45 Lê Duẩn, Hoàn Kiếm",
        "phone": "024 3999 8888",
        "hours": "Thứ 2–Thứ 7, 8:00–17:30",
        **fields,
    }


def given_center(api: Api, token: str, code: str, **fields: Any) -> str:
    response = api.post("/service-centers", json_body=center_body(code, **fields), token=token)
    assert response.status_code == 201, response.body
    return str(response.json_body["center_id"])


def center_user_token(api: Api, admin: str, center_id: str, username: str) -> str:
    """A new user of the company, signed in after replacing its temporary password."""
    added = api.post(
        f"/service-centers/{center_id}/users", json_body={"username": username}, token=admin
    )
    assert added.status_code == 201, added.body
    signed_in = api.post(
        "/auth/new-password",
        json_body={
            "username": added.json_body["user"]["username"],
            "password": added.json_body["temporary_password"],
            "new_password": "Service@2026mine",
        },
    )
    assert signed_in.status_code == 200, signed_in.body
    return str(signed_in.json_body["id_token"])
