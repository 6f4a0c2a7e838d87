"""A dealer's user and its shipments (``/dealer/shipments…``), against the emulator, shipped
the way the warehouse ships (drafts, scans, confirmations, a return, a cancellation through the
staff API): it lists and reads its own confirmed and cancelled shipments only; another dealer's
shipment and its own drafts are 404, as if they did not exist; no customer shows, and a unit it
gave back that was sold elsewhere afterwards is only ``returned`` to it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from infra.openapi.shapes import DealerShipmentDetailResponse, DealerShipmentsResponse
from tests.integration.test_shipments import activate_now, confirmed_shipment, draft, scan
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.dealers import dealer_user_token, given_dealer

pytestmark = pytest.mark.usefixtures("aws")

SERIALS = [f"GAR-DS-{i:05d}" for i in range(6)]


@dataclass(frozen=True)
class Shipped:
    """Two dealers' shipments and a user of each (see :func:`shipped`)."""

    token_a: str
    token_b: str
    a_march: str  # A, confirmed: 0 activated, 1 shipped, 2 given back
    a_april: str  # A, confirmed then cancelled: 3 back in stock
    a_draft: str  # A, a draft holding 4
    a_dropped: str  # A, a draft cancelled before it shipped anything
    b_march: str  # B, confirmed: 5, and 2 (A gave it back), activated at B


@pytest.fixture
def shipped(api: Api, staff: StaffTokens) -> Shipped:
    seed.model("AC-9")
    seed.units(SERIALS)
    admin, cs = staff("admin"), staff("cs")
    a, b = given_dealer(api, admin, "HN-01"), given_dealer(api, admin, "HCM-01")
    a_march = confirmed_shipment(api, cs, SERIALS[:3])
    activate_now(SERIALS[0])
    returned = api.post(
        f"/shipments/{a_march}/returns", json_body={"serials": [SERIALS[2]]}, token=cs
    )
    assert returned.json_body["returned"] == [SERIALS[2]], returned.json_body
    a_april = draft(api, cs, ship_date="2026-04-10", document_number="PXK A2")
    scan(api, cs, a_april, SERIALS[3])
    assert api.post(f"/shipments/{a_april}/confirm", token=cs).json_body["finished"]
    assert api.post(f"/shipments/{a_april}/cancel", token=cs).status_code == 200
    a_draft = draft(api, cs, ship_date="2026-05-01", document_number="PXK A3")
    scan(api, cs, a_draft, SERIALS[4])
    a_dropped = draft(api, cs, ship_date="2026-04-20", document_number="PXK A4")
    assert api.post(f"/shipments/{a_dropped}/cancel", token=cs).status_code == 200
    b_march = draft(api, cs, dealer_code="HCM-01", ship_date="2026-03-15", document_number="B1")
    for serial in (SERIALS[5], SERIALS[2]):
        scan(api, cs, b_march, serial)
    assert api.post(f"/shipments/{b_march}/confirm", token=cs).json_body["finished"]
    activate_now(SERIALS[2])
    return Shipped(
        token_a=dealer_user_token(api, admin, a, "dealer.a"),
        token_b=dealer_user_token(api, admin, b, "dealer.b"),
        a_march=a_march,
        a_april=a_april,
        a_draft=a_draft,
        a_dropped=a_dropped,
        b_march=b_march,
    )


def test_a_dealer_lists_its_own_confirmed_and_cancelled_shipments_only(
    api: Api, shipped: Shipped
) -> None:
    def listed(query: str, token: str = shipped.token_a) -> list[str]:
        response = api.get(f"/dealer/shipments?{query}", token=token)
        assert response.status_code == 200, response.json_body
        return [s["shipment_id"] for s in response.json_body["shipments"]]

    listing = api.get("/dealer/shipments", token=shipped.token_a).json_body
    [april, march] = listing["shipments"]
    first = api.get("/dealer/shipments?limit=1", token=shipped.token_a).json_body
    rest = api.get(
        f"/dealer/shipments?limit=1&cursor={first['next_cursor']}", token=shipped.token_a
    )
    stolen = api.get(
        f"/dealer/shipments?limit=1&cursor={first['next_cursor']}", token=shipped.token_b
    )
    draft_asked = api.get("/dealer/shipments?status=draft", token=shipped.token_a)
    unknown = api.get("/dealer/shipments?dealer_code=HCM-01", token=shipped.token_a)

    DealerShipmentsResponse.model_validate(listing)  # the documented shape, exactly
    assert (april["shipment_id"], march["shipment_id"]) == (shipped.a_april, shipped.a_march)
    assert april == {
        "shipment_id": shipped.a_april,
        "ship_date": "2026-04-10",
        "document_number": "PXK A2",
        "status": "cancelled",
        "shipped": 1,
        "returned": 0,
        "kept": 0,
    }
    assert (march["status"], march["shipped"], march["returned"]) == ("confirmed", 3, 1)
    assert listed("", shipped.token_b) == [shipped.b_march]
    assert listed("status=cancelled") == [shipped.a_april]
    assert listed("status=confirmed&date_to=2026-03-31") == [shipped.a_march]
    assert listed("date_from=2026-04-01") == [shipped.a_april]  # no draft, cancelled or not
    assert [s["shipment_id"] for s in first["shipments"]] == [shipped.a_april]
    assert [s["shipment_id"] for s in rest.json_body["shipments"]] == [shipped.a_march]
    assert stolen.status_code == 400  # a cursor is its dealer's alone
    assert (draft_asked.status_code, error_code(draft_asked)) == (400, "invalid_input")
    assert field_codes(draft_asked) == {"status": "shipment_status_invalid"}
    assert (unknown.status_code, field_codes(unknown)) == (400, {"dealer_code": "unknown_field"})


def test_a_dealer_reads_its_shipment_s_units_as_they_are_now_and_nothing_else_s(
    api: Api, shipped: Shipped
) -> None:
    march = api.get(f"/dealer/shipments/{shipped.a_march}", token=shipped.token_a)
    april = api.get(f"/dealer/shipments/{shipped.a_april}", token=shipped.token_a).json_body
    hidden = {
        name: api.get(f"/dealer/shipments/{shipment_id}", token=token)
        for name, shipment_id, token in (
            ("b's", shipped.b_march, shipped.token_a),
            ("a's to b", shipped.a_march, shipped.token_b),
            ("a's draft", shipped.a_draft, shipped.token_a),
            ("a's cancelled draft", shipped.a_dropped, shipped.token_a),
            ("unknown", "s_00000000000000000000000000", shipped.token_a),
            ("no id", "nope", shipped.token_a),
        )
    }

    assert march.status_code == 200, march.json_body
    body = march.json_body
    DealerShipmentDetailResponse.model_validate(body)  # the documented shape, exactly
    assert (body["shipment"]["document_number"], body["shipment"]["status"]) == (
        "PXK 0012",
        "confirmed",
    )
    assert body["shipment"]["counts"] == [{"model_code": "AC-9", "count": 3}]
    assert [(u["serial"], u["status"], u["activated"]) for u in body["units"]] == [
        (SERIALS[0], "activated", True),
        (SERIALS[1], "shipped", False),
        (SERIALS[2], "returned", False),  # sold through B since: not A's to know
    ]
    assert [(u["serial"], u["status"]) for u in april["units"]] == [(SERIALS[3], "cancelled")]
    # no customer, no staff name, nothing of the other dealer
    text = march.body.decode() if isinstance(march.body, bytes) else str(march.body)
    for secret in ("912345678", "Khách", "created_by", "confirmed_by", "refused", "HCM-01"):
        assert secret not in text
    assert {name: (r.status_code, error_code(r)) for name, r in hidden.items()} == dict.fromkeys(
        hidden, (404, "shipment_not_found")
    )


def test_a_dealer_downloads_its_own_shipment_s_excel_and_no_other(
    api: Api, shipped: Shipped
) -> None:
    import requests
    from python_calamine import CalamineWorkbook

    own = api.post(f"/dealer/shipments/{shipped.a_march}/export", token=shipped.token_a)
    other = api.post(f"/dealer/shipments/{shipped.b_march}/export", token=shipped.token_a)

    assert own.status_code == 200, own.json_body
    rows = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(requests.get(own.json_body["url"], timeout=10).content)
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    assert [r[:5] for r in rows[5:]] == [
        [SERIALS[0], "AC-9", "", "Đã kích hoạt", "Có"],
        [SERIALS[1], "AC-9", "", "Đã xuất", "Không"],
        [SERIALS[2], "AC-9", "", "Đại lý đã trả", "Không"],
    ]
    assert (other.status_code, error_code(other)) == (404, "shipment_not_found")
