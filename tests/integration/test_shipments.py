"""Shipments against the emulator: a draft for an active dealer filled by scans kept
server-side (a repeated scan a no-op, refusals with their reason, a carton's units at once),
confirmed in chunks that survive being cut short and a concurrent activation (every unit ends in
exactly one state, the refused ones named with their reason), cancelled and returned; warranty
counted from the shipment; the Excel export."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from chalicelib.audit.tables import AuditRecord
from chalicelib.catalog.model import Activation, Owner, UnitStatus
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.catalog.unit_shipping import UnitShipping
from chalicelib.catalog.warranty import StartBasis
from chalicelib.dealers import shipment_service as service
from chalicelib.dealers.repository import DealerRepository
from chalicelib.dealers.shipment_repository import ShipmentRepository
from chalicelib.dealers.shipments import Scan, ShipmentStatus
from chalicelib.dealers.tables import DealerRecord
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator

SHIP_DATE = "2026-03-02"


def given_dealer(code: str = "HN-01", status: str = "active", name: str = "Điện máy Hà Nội") -> str:
    dealer_id = f"d_{code.lower().replace('-', '')}"
    DealerRecord(
        dealer_id,
        code=code,
        listed="dealer",
        name=name,
        province="Hà Nội",
        status=status,
        created_at=datetime.now(UTC),
        created_by="admin",
    ).save()
    DealerRecord(f"code#{code}", owner_id=dealer_id).save()  # the code's claim, as the registry
    return dealer_id


def serials(n: int, prefix: str = "GAR-SH-") -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(n)]


@pytest.fixture
def units(aws: Emulator) -> list[str]:
    seed.model("AC-9")
    seed.model("AC-12")
    batch = serials(6)
    seed.units(batch[:4])
    seed.units(batch[4:], model_code="AC-12")
    given_dealer()
    return batch


def draft(api: Api, token: str, **body: Any) -> str:
    payload = {"dealer_code": "hn-01", "ship_date": SHIP_DATE, "document_number": "PXK 0012"}
    response = api.post("/shipments", json_body={**payload, **body}, token=token)
    assert response.status_code == 201, response.json_body
    return str(response.json_body["shipment"]["shipment_id"])


def scan(api: Api, token: str, shipment_id: str, code: str, **kwargs: Any) -> Any:
    response = api.post(
        f"/shipments/{shipment_id}/scans", json_body={"code": code}, token=token, **kwargs
    )
    assert response.status_code == 200, response.json_body
    return response.json_body


def counts(body: Any) -> dict[str, int]:
    return {c["model_code"]: c["count"] for c in body["shipment"]["counts"]}


def activate_now(serial: str) -> None:
    """A customer's activation, as the activation service commits it."""
    now = datetime.now(UTC)
    UnitRepository("demo").activate(
        serial,
        Activation(
            activated_at=now,
            warranty_start=now.date(),
            warranty_end=now.date(),
            warranty_reason="warranty_from_activation",
            channel="web",
            language="vi",
            owner=Owner(name="Khách", phone="+84912345678"),
        ),
        owner_key="k" * 64,
        consents=[],
    )


def audit_actions(entity_id: str) -> list[str]:
    return sorted(r.action for r in AuditRecord.scan() if r.entity_id == entity_id)


# -- drafts and scans ------------------------------------------------------------------------------


def test_a_draft_goes_only_to_an_active_dealer(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    given_dealer("HCM-02", status="suspended")
    admin = staff("admin")
    body = {"ship_date": SHIP_DATE, "document_number": "PXK 1"}

    suspended = api.post("/shipments", json_body={"dealer_code": "HCM-02", **body}, token=admin)
    unknown = api.post("/shipments", json_body={"dealer_code": "NOPE", **body}, token=admin)

    assert (suspended.status_code, error_code(suspended)) == (409, "dealer_not_active")
    assert (unknown.status_code, error_code(unknown)) == (404, "dealer_not_found")
    shipment_id = draft(api, admin)
    assert audit_actions(shipment_id) == ["shipment_created"]


def test_a_draft_takes_no_scan_once_its_dealer_is_suspended(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("cs")
    shipment_id = draft(api, token)
    scan(api, token, shipment_id, units[0])
    given_dealer("HN-01", status="suspended")

    refused = api.post(f"/shipments/{shipment_id}/scans", json_body={"code": units[1]}, token=token)

    assert (refused.status_code, error_code(refused)) == (409, "dealer_not_active")
    shown = api.get(f"/shipments/{shipment_id}", token=token).json_body
    assert shown["shipment"]["total"] == 1


def test_scans_are_kept_server_side_counted_by_model_and_a_repeat_is_a_no_op(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("cs")
    shipment_id = draft(api, token)

    scan(api, token, shipment_id, units[0].lower())
    scan(api, token, shipment_id, units[4])
    again = scan(api, token, shipment_id, units[0], headers={"Accept-Language": "en"})

    assert again["scan"]["duplicate"] is True
    assert again["scan"]["notice"] == "Already scanned into this shipment."
    assert counts(again) == {"AC-9": 1, "AC-12": 1}
    reloaded = api.get(f"/shipments/{shipment_id}", token=staff("director")).json_body
    assert [u["serial"] for u in reloaded["units"]] == [units[0], units[4]]
    assert reloaded["shipment"]["total"] == 2


def test_units_that_cannot_ship_are_refused_with_the_reason(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("admin")
    activate_now(units[1])
    UnitRecord(units[2]).update(actions=[UnitRecord.status.set(UnitStatus.VOID.value)])
    other = draft(api, token, document_number="PXK 2")
    scan(api, token, other, units[3])
    shipment_id = draft(api, token)

    refused = {
        code: scan(api, token, shipment_id, code)["scan"]["refused"]
        for code in (units[1], units[2], units[3], "GAR-NOPE")
    }

    assert {c: [r["code"] for r in found] for c, found in refused.items()} == {
        units[1]: ["unit_already_activated"],
        units[2]: ["unit_void"],
        units[3]: ["unit_in_another_draft"],
        "GAR-NOPE": ["scan_code_unknown"],
    }
    assert refused[units[3]][0]["detail"] == other
    assert api.get(f"/shipments/{shipment_id}", token=token).json_body["units"] == []


def test_a_carton_code_scans_its_units_and_a_scan_can_be_removed(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    for serial in units[:3]:
        UnitRecord(serial).update(actions=[UnitRecord.carton.set("093123450000000012")])
    token = staff("admin")
    shipment_id = draft(api, token)

    body = scan(api, token, shipment_id, "(00)093123450000000012")
    removed = api.delete(f"/shipments/{shipment_id}/scans/{units[1]}", token=token)

    assert body["scan"]["kind"] == "carton"
    assert body["scan"]["code"] == "093123450000000012"  # the carton's own code, not as scanned
    assert body["scan"]["added"] == units[:3]
    assert counts(body) == {"AC-9": 3}
    assert counts(removed.json_body) == {"AC-9": 2}
    gone = api.delete(f"/shipments/{shipment_id}/scans/{units[1]}", token=token)
    assert (gone.status_code, error_code(gone)) == (404, "scan_not_found")
    listed = api.get(f"/shipments/{shipment_id}", token=token).json_body["units"]
    assert [(u["serial"], u["carton"]) for u in listed] == [
        (units[0], "093123450000000012"),
        (units[2], "093123450000000012"),
    ]


# -- confirmation ----------------------------------------------------------------------------------


def test_confirming_ships_the_units_to_the_dealer_with_their_history(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("admin")
    shipment_id = draft(api, token)
    for serial in units[:3]:
        scan(api, token, shipment_id, serial)

    confirmed = api.post(f"/shipments/{shipment_id}/confirm", token=token).json_body

    assert confirmed["finished"] is True
    assert confirmed["shipment"]["status"] == "confirmed"
    assert confirmed["shipment"]["progress"]["shipped"] == 3
    record = UnitRecord.get(units[0])
    assert (record.status, record.dealer_id, record.shipment_id, record.shipped_on) == (
        "shipped",
        "d_hn01",
        shipment_id,
        SHIP_DATE,
    )
    assert record.awaiting_dealer == "d_hn01"
    assert record.history[-1].event == "shipped"
    assert UnitRecord.get(units[3]).status == "registered"
    again = api.post(f"/shipments/{shipment_id}/scans", json_body={"code": units[3]}, token=token)
    assert (again.status_code, error_code(again)) == (409, "shipment_not_draft")
    assert audit_actions(shipment_id) == ["shipment_confirmed", "shipment_created"]


def test_activation_of_a_shipped_unit_ends_its_wait_at_the_dealer(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("admin")
    shipment_id = draft(api, token)
    scan(api, token, shipment_id, units[0])
    api.post(f"/shipments/{shipment_id}/confirm", token=token)

    activate_now(units[0])

    record = UnitRecord.get(units[0])
    assert (record.status, record.awaiting_dealer, record.dealer_id) == (
        "activated",
        None,
        "d_hn01",
    )


class CutShort:
    """The real units, with a run that dies right after its ``k``-th chunk committed (the
    answer lost: a timeout) and a customer who activates ``serials`` after chunk ``at``."""

    def __init__(
        self,
        units: UnitShipping,
        *,
        die_after: int | None,
        activate_after: int,
        serials: Sequence[str],
    ) -> None:
        self._units, self._die_after, self._at, self._serials = (
            units,
            die_after,
            activate_after,
            serials,
        )
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._units, name)

    def ship(self, *args: Any, **kwargs: Any) -> Any:
        outcome = self._units.ship(*args, **kwargs)
        self.calls += 1
        if self.calls == self._at:
            for serial in self._serials:
                activate_now(serial)
        if self._die_after is not None and self.calls == self._die_after:
            raise TimeoutError("the run was cut short")
        return outcome


def test_two_thousand_units_confirmed_through_cuts_and_a_concurrent_activation(
    aws: Emulator,
) -> None:
    seed.model("AC-9")
    batch = serials(2000)
    seed.units(batch)
    dealer_id = given_dealer()
    store, units, dealers = ShipmentRepository(), UnitShipping(), DealerRepository()
    change = service.Change("admin", datetime.now(UTC), "req-1")
    shipment = service.create(
        "HN-01", date(2026, 3, 2), "PXK 2000", change, store=store, dealers=dealers, trail=_Trail()
    )
    at = datetime.now(UTC)
    store.add_scans(shipment.shipment_id, [Scan(s, "AC-9", at, "admin") for s in batch])
    # activated meanwhile: one in a chunk already committed, two in chunks still to come
    early, late = batch[10], [batch[1500], batch[1999]]
    activated = [early, *late]

    first = CutShort(units, die_after=5, activate_after=3, serials=[early, *late])
    with pytest.raises(TimeoutError):
        service.confirm(
            shipment.shipment_id, change, store=store, units=first, dealers=dealers, trail=_Trail()
        )
    halfway = store.get(shipment.shipment_id)
    assert halfway is not None and halfway.status is ShipmentStatus.CONFIRMING
    assert halfway.progress.shipped == 5 * 99  # the fifth chunk committed before the cut
    stopped = service.confirm(
        shipment.shipment_id,
        service.Change("cs", datetime.now(UTC), "req-2"),
        store=store,
        units=units,
        dealers=dealers,
        trail=_Trail(),
        time_left=iter([True, True, False]).__next__,
    )
    assert (stopped.finished, stopped.chunks) == (False, 3)
    report = service.confirm(
        shipment.shipment_id, change, store=store, units=units, dealers=dealers, trail=_Trail()
    )

    assert report.finished and report.shipment.status is ShipmentStatus.CONFIRMED
    states: dict[str, set[str]] = {}
    for record in UnitRecord.batch_get(batch):
        states.setdefault(record.status, set()).add(record.serial)
        if record.status == "shipped":
            assert (record.shipment_id, record.dealer_id, record.awaiting_dealer) == (
                shipment.shipment_id,
                dealer_id,
                dealer_id,
            )
            assert [h.event for h in record.history].count("shipped") == 1
    assert states["activated"] == set(activated)
    assert states["shipped"] == set(batch) - set(late) - {early}
    assert set(states) == {"shipped", "activated"}
    refused = {(r.serial, r.reason) for r in report.shipment.progress.refused}
    assert refused == {(s, "unit_already_activated") for s in late}
    assert report.shipment.progress.shipped + len(refused) == 2000  # the early one shipped first
    assert report.shipment.progress.chunks == 21


class _Trail:
    def record(self, entry: Any) -> bool:
        return True


# -- cancel, return, warranty, export --------------------------------------------------------------


def confirmed_shipment(api: Api, token: str, serials_: Sequence[str]) -> str:
    shipment_id = draft(api, token)
    for serial in serials_:
        scan(api, token, shipment_id, serial)
    assert api.post(f"/shipments/{shipment_id}/confirm", token=token).json_body["finished"]
    return shipment_id


def test_cancelling_brings_back_units_not_activated_and_keeps_the_activated(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("admin")
    shipment_id = confirmed_shipment(api, token, units[:3])
    activate_now(units[0])

    body = api.post(f"/shipments/{shipment_id}/cancel", token=token).json_body

    assert (body["unshipped"], body["kept"]) == (2, [units[0]])
    assert body["shipment"]["status"] == "cancelled"
    back = UnitRecord.get(units[1])
    assert (back.status, back.dealer_id, back.shipment_id, back.awaiting_dealer) == (
        "registered",
        None,
        None,
        None,
    )
    assert back.history[-1].event == "unshipped"
    assert UnitRecord.get(units[0]).status == "activated"
    assert "shipment_cancelled" in audit_actions(shipment_id)
    detail = api.get(f"/shipments/{shipment_id}", token=token).json_body
    assert [(u["serial"], u["status"]) for u in detail["units"]] == [
        (units[0], "activated"),
        (units[1], "cancelled"),
        (units[2], "cancelled"),
    ]
    (row,) = [
        s
        for s in api.get("/shipments?status=cancelled", token=token).json_body["shipments"]
        if s["shipment_id"] == shipment_id
    ]
    assert (row["shipped"], row["returned"], row["kept"]) == (3, 0, 1)


def test_returned_units_go_back_unless_activated(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    token = staff("cs")
    shipment_id = confirmed_shipment(api, token, units[:2])
    activate_now(units[1])

    body = api.post(
        f"/shipments/{shipment_id}/returns",
        json_body={"serials": [units[0], units[1], units[3]]},
        token=token,
    ).json_body

    assert body["returned"] == [units[0]]
    assert {(r["serial"], r["code"]) for r in body["refused"]} == {
        (units[1], "unit_already_activated"),
        (units[3], "unit_not_in_shipment"),
    }
    assert body["shipment"]["returned"] == 1
    record = UnitRecord.get(units[0])
    assert (record.status, record.history[-1].event) == ("registered", "returned")
    detail = api.get(f"/shipments/{shipment_id}", token=token).json_body
    assert [(u["serial"], u["status"]) for u in detail["units"]] == [
        (units[0], "returned"),  # still listed: the shipment shipped it
        (units[1], "activated"),
    ]
    api.post(f"/shipments/{shipment_id}/cancel", token=token)
    after = api.get(f"/shipments/{shipment_id}", token=token).json_body
    assert [u["status"] for u in after["units"]] == ["returned", "activated"]  # not "cancelled"


def test_a_model_with_warranty_from_shipment_counts_it_from_the_ship_date(
    api: Api, staff: StaffTokens, aws: Emulator
) -> None:
    seed.model("AC-S", terms=f.terms(12, StartBasis.SHIPMENT))
    seed.units(["GAR-SHIP-1"], model_code="AC-S")
    given_dealer()
    confirmed_shipment(api, staff("admin"), ["GAR-SHIP-1"])

    response = api.post(
        "/public/activations", json_body=f.activation_body(seed.token("GAR-SHIP-1"))
    )

    assert response.status_code in (200, 201), response.json_body
    record = UnitRecord.get("GAR-SHIP-1")
    assert (record.warranty_start, record.warranty_end) == ("2026-03-02", "2027-03-01")
    assert record.warranty_reason == "warranty_from_shipment"


def test_the_excel_export_lists_the_units_with_formulas_neutralised(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    import requests
    from python_calamine import CalamineWorkbook

    given_dealer("HN-01", name='=HYPERLINK("http://x")')
    token = staff("admin")
    shipment_id = confirmed_shipment(api, token, units[:2])
    activate_now(units[0])

    body = api.post(f"/shipments/{shipment_id}/export", token=staff("accountant")).json_body
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(requests.get(body["url"], timeout=10).content))
        .get_sheet_by_index(0)
        .to_python()
    )

    assert body["rows"] == 2
    assert str(rows[0][1]).startswith("HN-01 ")
    assert "=HYPERLINK" in str(rows[0][1])
    assert isinstance(rows[1][1], date)  # the ship date is a date cell, not text
    assert rows[4][:5] == ["Số serial", "Mẫu", "Thùng", "Trạng thái", "Đã kích hoạt"]
    assert [r[:5] for r in rows[5:]] == [
        [units[0], "AC-9", "", "Đã kích hoạt", "Có"],
        [units[1], "AC-9", "", "Đã xuất", "Không"],
    ]


def test_the_list_filters_by_dealer_status_and_dates(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    given_dealer("HCM-02", name="Điện máy Sài Gòn")
    token = staff("admin")
    march = draft(api, token)
    april = draft(api, token, dealer_code="HCM-02", ship_date="2026-04-10", document_number="B")
    scan(api, token, march, units[0])
    api.post(f"/shipments/{march}/confirm", token=token)

    def listed(query: str) -> list[str]:
        response = api.get(f"/shipments?{query}", token=staff("accountant"))
        assert response.status_code == 200, response.json_body
        return [s["shipment_id"] for s in response.json_body["shipments"]]

    assert listed("") == [april, march]  # the latest ship date first
    assert listed("dealer_code=hcm-02") == [april]
    assert listed("dealer_id=d_hn01&status=confirmed") == [march]
    assert listed("status=draft") == [april]
    assert listed("date_from=2026-04-01") == [april]
    assert listed("date_to=2026-03-31") == [march]
    assert listed("dealer_code=NOPE") == []
    bad = api.get("/shipments?status=lost", token=token)
    assert (bad.status_code, error_code(bad)) == (400, "invalid_input")


def test_two_confirmations_racing_commit_each_chunk_once(aws: Emulator) -> None:
    import threading

    seed.model("AC-9")
    batch = serials(300, prefix="GAR-RACE-")
    seed.units(batch)
    given_dealer()
    store, units, dealers = ShipmentRepository(), UnitShipping(), DealerRepository()
    change = service.Change("admin", datetime.now(UTC), "req-race")
    shipment = service.create(
        "HN-01", date(2026, 3, 2), "PXK RACE", change, store=store, dealers=dealers, trail=_Trail()
    )
    store.add_scans(shipment.shipment_id, [Scan(s, "AC-9", change.at, "admin") for s in batch])
    store.start_confirming(shipment.shipment_id, by="admin", at=change.at)
    reports: list[Any] = []

    def run() -> None:
        reports.append(
            service.confirm(
                shipment.shipment_id,
                change,
                store=store,
                units=units,
                dealers=dealers,
                trail=_Trail(),
            )
        )

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    final = store.get(shipment.shipment_id)
    assert final is not None and final.status is ShipmentStatus.CONFIRMED
    assert (final.progress.shipped, final.progress.chunks, final.progress.refused) == (300, 4, ())
    assert sum(r.chunks for r in reports) == 4  # every chunk committed by exactly one run
    for record in UnitRecord.batch_get(batch):
        assert record.status == "shipped"
        assert [h.event for h in record.history].count("shipped") == 1
