"""The staff unit view of a shipped unit (``GET /units/{serial}``): the dealer it went to, by
name, its shipment and ship date; gone again once it is returned or its shipment cancelled, with
the history naming each step and its shipment. The portal's history of an owned unit shows only
the shipment that sold it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from chalicelib.activation.lookup import OwnedUnit
from chalicelib.activation.views import owned_unit_view
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.dealers.tables import DealerRecord
from infra.openapi.shapes import StaffUnitResponse
from tests.support import seed
from tests.support.api import Api, StaffTokens
from tests.support.aws import Emulator

SHIP_DATE = "2026-03-02"
SERIALS = [f"GAR-UV-{i:03d}" for i in range(4)]


@pytest.fixture
def shipped_setup(aws: Emulator) -> None:
    seed.model("AC-9")
    seed.units(SERIALS)
    DealerRecord(
        "d_hn01",
        code="HN-01",
        listed="dealer",
        name="Điện máy Hà Nội",
        province="Hà Nội",
        status="active",
        created_at=datetime.now(UTC),
        created_by="admin",
    ).save()
    DealerRecord("code#HN-01", owner_id="d_hn01").save()


def ship(api: Api, token: str, serials: Sequence[str]) -> str:
    body = {"dealer_code": "HN-01", "ship_date": SHIP_DATE, "document_number": "PXK 7"}
    created = api.post("/shipments", json_body=body, token=token)
    assert created.status_code == 201, created.json_body
    shipment_id = str(created.json_body["shipment"]["shipment_id"])
    for serial in serials:
        scanned = api.post(
            f"/shipments/{shipment_id}/scans", json_body={"code": serial}, token=token
        )
        assert scanned.status_code == 200, scanned.json_body
    assert api.post(f"/shipments/{shipment_id}/confirm", token=token).json_body["finished"]
    return shipment_id


def shipping_of(view: dict[str, object]) -> tuple[object, object, object, object]:
    return view["dealer"], view["shipment_id"], view["shipment_document"], view["shipped_on"]


def test_a_shipped_unit_shows_its_dealer_shipment_and_ship_date(
    api: Api, staff: StaffTokens, shipped_setup: None
) -> None:
    token = staff("admin")
    shipment_id = ship(api, token, SERIALS[:1])

    for role in ("admin", "cs", "director"):
        view = api.get(f"/units/{SERIALS[0]}", token=staff(role)).json_body
        assert shipping_of(view) == (
            {"dealer_id": "d_hn01", "name": "Điện máy Hà Nội"},
            shipment_id,
            "PXK 7",
            SHIP_DATE,
        )
        StaffUnitResponse.model_validate(view)  # the documented shape (docs/openapi.json)
    never = api.get(f"/units/{SERIALS[3]}", token=token).json_body
    assert shipping_of(never) == (None, None, None, None)
    StaffUnitResponse.model_validate(never)


def test_a_returned_or_unshipped_unit_loses_its_dealer_and_its_history_names_the_shipment(
    api: Api, staff: StaffTokens, shipped_setup: None
) -> None:
    token = staff("cs")
    first = ship(api, token, SERIALS[:2])
    returned = api.post(
        f"/shipments/{first}/returns", json_body={"serials": [SERIALS[0]]}, token=token
    )
    assert returned.json_body["returned"] == [SERIALS[0]]
    second = ship(api, token, SERIALS[2:3])
    assert api.post(f"/shipments/{second}/cancel", token=token).status_code == 200

    back = api.get(f"/units/{SERIALS[0]}", token=token).json_body
    cancelled = api.get(f"/units/{SERIALS[2]}", token=token).json_body
    still = api.get(f"/units/{SERIALS[1]}", token=token).json_body

    assert shipping_of(back) == (None, None, None, None)
    assert shipping_of(cancelled) == (None, None, None, None)
    assert still["shipment_id"] == first
    assert [(h["event"], h["note"]) for h in back["history"][1:]] == [
        ("shipped", first),
        ("returned", first),
    ]
    assert [(h["event"], h["note"]) for h in cancelled["history"][1:]] == [
        ("shipped", second),
        ("unshipped", second),
    ]


def test_a_customer_sees_only_the_shipment_that_sold_the_unit(
    api: Api, staff: StaffTokens, shipped_setup: None
) -> None:
    token = staff("cs")
    first = ship(api, token, SERIALS[:1])
    api.post(f"/shipments/{first}/returns", json_body={"serials": [SERIALS[0]]}, token=token)
    second = ship(api, token, SERIALS[:1])
    cancelled = ship(api, token, SERIALS[1:2])
    api.post(f"/shipments/{cancelled}/cancel", token=token)
    units, today = UnitRepository(), datetime.now(UTC).date()
    resold = owned_unit_view(OwnedUnit(units.get(SERIALS[0]), None), today, "")
    unshipped = owned_unit_view(OwnedUnit(units.get(SERIALS[1]), None), today, "")

    assert second != first
    assert [h["event"] for h in resold["history"]] == ["shipped"]
    assert unshipped["history"] == []
