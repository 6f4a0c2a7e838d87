"""Dealers and their users through the staff API, as an administrator makes them, and units
shipped to a dealer (the shipments capability's effects on a unit, written directly)."""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from chalicelib.catalog.tables import UnitRecord
from tests.support.api import Api
from tests.support.console import emulator_client
from tests.support.devstack_process import DevstackProcess


def given_dealer(api: Api, admin: str, code: str, **fields: Any) -> str:
    body = {"code": code, "name": f"Đại lý {code}", "province": "Hà Nội", **fields}
    response = api.post("/dealers", json_body=body, token=admin)
    assert response.status_code == 201, response.body
    return str(response.json_body["dealer_id"])


def dealer_user_token(api: Api, admin: str, dealer_id: str, username: str) -> str:
    """A new user of the dealer, signed in after replacing its temporary password."""
    added = api.post(f"/dealers/{dealer_id}/users", json_body={"username": username}, token=admin)
    assert added.status_code == 201, added.body
    signed_in = api.post(
        "/auth/new-password",
        json_body={
            "username": added.json_body["user"]["username"],
            "password": added.json_body["temporary_password"],
            "new_password": "Dealer@2026mine",
        },
    )
    assert signed_in.status_code == 200, signed_in.body
    return str(signed_in.json_body["id_token"])


def ship(serial: str, dealer_id: str, shipment_id: str = "s_test", day: str = "2026-11-20") -> None:
    """What a confirmed shipment writes on a unit (status, dealer, shipment, day, awaiting)."""
    UnitRecord(serial).update(
        actions=[
            UnitRecord.status.set("shipped"),
            UnitRecord.dealer_id.set(dealer_id),
            UnitRecord.shipment_id.set(shipment_id),
            UnitRecord.shipped_on.set(date.fromisoformat(day).isoformat()),
            UnitRecord.awaiting_dealer.set(dealer_id),
        ]
    )


def ship_in_stack(stack: DevstackProcess, serial: str, dealer_id: str) -> None:
    """The same, in an embedded stack's table (a browser test's stack is another process)."""
    emulator_client(stack, "dynamodb").update_item(
        TableName="garanti-local-units",
        Key={"serial": {"S": serial}},
        UpdateExpression=(
            "SET #s = :s, dealer_id = :d, awaiting_dealer = :d, shipment_id = :sh, shipped_on = :on"
        ),
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":s": {"S": "shipped"},
            ":d": {"S": dealer_id},
            ":sh": {"S": "s_browser"},
            ":on": {"S": "2026-11-20"},
        },
    )


def ship_by_api(
    stack: DevstackProcess,
    admin: dict[str, str],
    serials: list[str],
    *,
    dealer_code: str = "HN-01",
    document_number: str = "PXK UI",
    confirm: bool = True,
) -> str:
    """A shipment of ``serials`` to a demo dealer through the staff API: confirmed, or left a
    draft (``confirm=False``)."""
    body = {
        "dealer_code": dealer_code,
        "ship_date": "2026-11-20",
        "document_number": document_number,
    }
    created = requests.post(f"{stack.api}/shipments", json=body, headers=admin, timeout=10)
    assert created.status_code == 201, created.text
    shipment_id = str(created.json()["shipment"]["shipment_id"])
    for serial in serials:
        scanned = requests.post(
            f"{stack.api}/shipments/{shipment_id}/scans",
            json={"code": serial},
            headers=admin,
            timeout=10,
        )
        assert scanned.status_code == 200, scanned.text
    if confirm:
        confirmed = requests.post(
            f"{stack.api}/shipments/{shipment_id}/confirm", headers=admin, timeout=30
        )
        assert confirmed.json()["finished"], confirmed.text
    return shipment_id
